import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type { Config } from "../../config.ts";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  attachments?: { filename: string; content: string | Buffer; contentType: string }[];
}

export interface OutboxEntry {
  id: string;
  to: string;
  subject: string;
  text: string;
  date: string;
}


/**
 * Sends mail through SMTP when SMTP_URL is set; otherwise writes each message to DATA_DIR/outbox
 * (a raw .eml and a .json summary) so a person trying the platform can follow its links.
 */
export class Mailer {
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;
  readonly outboxDir: string;
  constructor(private readonly config: Pick<Config, "smtpUrl" | "dataDir"> & { mailFrom?: string }) {
    this.outboxDir = join(config.dataDir, "outbox");
    this.transport = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  }

  get usesOutbox(): boolean {
    return !this.config.smtpUrl;
  }

  /** Sends one message; in outbox mode, returns the stored entry. */
  async send(message: MailMessage): Promise<OutboxEntry | undefined> {
    const info = (await this.transport.sendMail({ from: this.config.mailFrom ?? "Collines <ne-pas-repondre@collines.invalid>", ...message })) as { message?: Buffer };
    if (!this.usesOutbox) return undefined;
    await mkdir(this.outboxDir, { recursive: true, mode: 0o700 });
    const id = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}`;
    const entry: OutboxEntry = { id, to: message.to, subject: message.subject, text: message.text, date: new Date().toISOString() };
    if (info.message) await writeFile(join(this.outboxDir, `${id}.eml`), info.message, { mode: 0o600 });
    await writeFile(join(this.outboxDir, `${id}.json`), JSON.stringify(entry), { mode: 0o600 });
    return entry;
  }

  /** The messages of the outbox, newest first. */
  async outbox(limit = 100): Promise<OutboxEntry[]> {
    let names: string[];
    try {
      names = (await readdir(this.outboxDir)).filter((n) => n.endsWith(".json")).sort().reverse().slice(0, limit);
    } catch {
      return [];
    }
    const out: OutboxEntry[] = [];
    for (const n of names) {
      try {
        out.push(JSON.parse(await readFile(join(this.outboxDir, n), "utf8")) as OutboxEntry);
      } catch {
        /* a half-written entry is skipped */
      }
    }
    return out;
  }
}
