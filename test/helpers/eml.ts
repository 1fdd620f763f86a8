// Reads the attachments of a raw e-mail (.eml written by the outbox): enough MIME for the tests.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface EmlAttachment {
  contentType: string;
  filename: string | null;
  content: string;
}

function headerBlock(part: string): { headers: string; body: string } {
  const i = part.search(/\r?\n\r?\n/);
  if (i < 0) return { headers: part, body: "" };
  return { headers: part.slice(0, i).replace(/\r?\n[ \t]+/g, " "), body: part.slice(i).replace(/^\r?\n\r?\n/, "") };
}

function decodeBody(body: string, encoding: string): string {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (/quoted-printable/i.test(encoding)) {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

/** The attachments (and text parts) of a multipart message. */
export function emlParts(raw: string): EmlAttachment[] {
  const top = headerBlock(raw);
  const boundary = /boundary="?([^";\s]+)"?/i.exec(top.headers)?.[1];
  if (!boundary) return [];
  const out: EmlAttachment[] = [];
  for (const chunk of raw.split(`--${boundary}`).slice(1)) {
    if (chunk.startsWith("--")) break;
    const { headers, body } = headerBlock(chunk.replace(/^\r?\n/, ""));
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? "text/plain";
    if (/multipart\//i.test(type)) {
      out.push(...emlParts(`${headers}\n\n${body}`));
      continue;
    }
    const encoding = /content-transfer-encoding:\s*([^\s;]+)/i.exec(headers)?.[1] ?? "7bit";
    const filename = /filename="?([^";\r\n]+)"?/i.exec(headers)?.[1] ?? null;
    out.push({ contentType: type.trim(), filename, content: decodeBody(body.trim(), encoding) });
  }
  return out;
}

/** The raw .eml messages of an outbox directory whose JSON summary is addressed to `to`, oldest first. */
export function outboxMessages(dataDir: string, to?: string): { subject: string; to: string; raw: string }[] {
  const dir = join(dataDir, "outbox");
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith(".json")).sort();
  } catch {
    return [];
  }
  return names
    .map((n) => {
      const entry = JSON.parse(readFileSync(join(dir, n), "utf8")) as { to: string; subject: string };
      let raw = "";
      try {
        raw = readFileSync(join(dir, n.replace(/\.json$/, ".eml")), "utf8");
      } catch {
        /* no raw message */
      }
      return { subject: entry.subject, to: entry.to, raw };
    })
    .filter((m) => !to || m.to === to);
}

/** The .ics attached to a raw message. */
export function icsOf(raw: string): string {
  const part = emlParts(raw).find((p) => /text\/calendar/i.test(p.contentType));
  if (!part) throw new Error("Pas de fichier .ics joint");
  return part.content;
}
