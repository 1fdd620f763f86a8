import { createHash, randomBytes } from "node:crypto";
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileTypeFromBuffer } from "file-type";
import type { Tx } from "../db/client.ts";
import { files } from "../db/schema.ts";

/** The kinds of file the platform accepts, by the type sniffed from their content. */
export const FILE_KINDS = {
  pdf: { mime: "application/pdf", label: "PDF" },
  png: { mime: "image/png", label: "PNG" },
  jpeg: { mime: "image/jpeg", label: "JPEG" },
  xlsx: { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", label: "Excel (XLSX)" },
  docx: { mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", label: "Word (DOCX)" },
  ods: { mime: "application/vnd.oasis.opendocument.spreadsheet", label: "OpenDocument (ODS)" },
  odt: { mime: "application/vnd.oasis.opendocument.text", label: "OpenDocument (ODT)" },
  csv: { mime: "text/csv", label: "CSV" },
} as const;
export type FileKind = keyof typeof FILE_KINDS;

export class UploadRejected extends Error {}

/** Sniffs a file's kind from its bytes (never from its name or the browser's claim). */
export async function sniffKind(buffer: Uint8Array): Promise<FileKind | undefined> {
  const detected = await fileTypeFromBuffer(buffer);
  if (detected) {
    const kind = (Object.keys(FILE_KINDS) as FileKind[]).find((k) => FILE_KINDS[k].mime === detected.mime);
    return kind;
  }
  // Text has no magic number: accept CSV only when it is valid UTF-8 without control bytes.
  const sample = buffer.subarray(0, 64 * 1024);
  if (sample.includes(0)) return undefined;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(sample.length < buffer.length ? sample.subarray(0, lastCharBoundary(sample)) : sample);
  } catch {
    return undefined;
  }
  // Markup (HTML, SVG, XML) is not a table, whatever it is named.
  const head = new TextDecoder("utf-8").decode(sample.subarray(0, 4096)).replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("<") || /<(script|html|svg|iframe|body|object|embed)\b/i.test(head)) return undefined;
  return "csv";
}

/** The kind a file name's extension claims, when it names one of the accepted kinds. */
function kindOfName(name: string): FileKind | undefined {
  const ext = /\.([a-z0-9]{2,5})$/i.exec(name)?.[1]?.toLowerCase();
  if (!ext) return undefined;
  return ext === "jpg" ? "jpeg" : (Object.keys(FILE_KINDS) as FileKind[]).find((k) => k === ext);
}

function lastCharBoundary(b: Uint8Array): number {
  let i = b.length;
  // Step back over an incomplete UTF-8 sequence cut by the sample's end.
  while (i > 0 && (b[i - 1] & 0xc0) === 0x80) i--;
  return i > 0 && b[i - 1] >= 0xc0 ? i - 1 : b.length;
}

/** A display name safe to show and to send in Content-Disposition; never used as a path. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .normalize("NFC")
    .replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069"<>:|?*]/g, "")
    .trim()
    .slice(0, 150);
  return cleaned || "fichier";
}

export interface StoreOptions {
  dataDir: string;
  territoryId: number | null;
  uploadedBy: number | null;
  originalName: string;
  allowed: FileKind[];
  maxBytes: number;
}

/** Where a file with this checksum lives: DATA_DIR/files/ab/cd/abcd… */
export function storagePath(dataDir: string, sha256: string): string {
  return join(dataDir, "files", sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/**
 * Checks an upload (size, kind sniffed from content), stores it once by SHA-256 and records it.
 * The bytes are written (atomically) before the row; an orphan file is harmless and deduplicated.
 */
export async function storeFile(tx: Tx, buffer: Buffer, opts: StoreOptions): Promise<typeof files.$inferSelect> {
  if (buffer.length === 0) throw new UploadRejected("Le fichier est vide.");
  if (buffer.length > opts.maxBytes) {
    throw new UploadRejected(`Le fichier dépasse la taille autorisée (${Math.floor(opts.maxBytes / 1024 / 1024)} Mo).`);
  }
  const kind = await sniffKind(buffer);
  if (!kind || !opts.allowed.includes(kind)) {
    throw new UploadRejected(`Ce type de fichier n'est pas accepté. Formats acceptés : ${opts.allowed.map((k) => FILE_KINDS[k].label).join(", ")}.`);
  }
  // A name that claims another kind (compte-rendu.pdf holding text) is refused: the person meant something else.
  const claimed = kindOfName(opts.originalName);
  if (claimed && claimed !== kind) {
    throw new UploadRejected(`Le contenu du fichier ne correspond pas à son extension (.${opts.originalName.split(".").pop()}) : c'est un fichier ${FILE_KINDS[kind].label}. Vérifiez le fichier choisi.`);
  }
  const sha256 = createHash("sha256").update(buffer).digest("hex");
  const path = storagePath(opts.dataDir, sha256);
  const exists = await stat(path).then(
    (s) => s.size === buffer.length,
    () => false,
  );
  if (!exists) {
    const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(tmp, buffer, { flag: "wx" });
      await rename(tmp, path);
    } catch (e) {
      // Never leave half a file; a full disk is said plainly (nothing was recorded).
      await rm(tmp, { force: true }).catch(() => {});
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOSPC" || code === "EDQUOT") {
        throw new UploadRejected("Le serveur n'a plus de place pour enregistrer ce fichier : rien n'a été enregistré. Prévenez l'administrateur de la plateforme.");
      }
      throw e;
    }
  }
  const [row] = await tx
    .insert(files)
    .values({ territoryId: opts.territoryId, sha256, size: buffer.length, mime: FILE_KINDS[kind].mime, originalName: cleanFileName(opts.originalName), uploadedBy: opts.uploadedBy })
    .returning();
  return row;
}
