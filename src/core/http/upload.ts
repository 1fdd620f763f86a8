// Multipart uploads (forms with enctype="multipart/form-data") through core/files: the size limit
// is MAX_UPLOAD_MB, the kind is sniffed from the content and the original name is only displayed.
import type { FastifyInstance, FastifyReply } from "fastify";
import multipart, { type MultipartFile } from "@fastify/multipart";
import type { Config } from "../../config.ts";
import type { Tx } from "../db/client.ts";
import type { files } from "../db/schema.ts";
import { readFile } from "node:fs/promises";
import { inflateRawSync } from "node:zlib";
import { cleanFileName, FILE_KINDS, storagePath, storeFile, UploadRejected, type FileKind } from "../files/index.ts";

export { UploadRejected, FILE_KINDS, type FileKind };

/** Documents a person may attach: PDF, office files (Word, Excel, OpenDocument), images, CSV. */
export const DOCUMENT_KINDS: FileKind[] = ["pdf", "docx", "xlsx", "odt", "ods", "png", "jpeg", "csv"];

/** A file received in a multipart form, read into memory (bounded by MAX_UPLOAD_MB). */
export interface UploadedFile {
  readonly kind: "upload";
  /** The name the browser sent: shown (cleaned), never used as a path. */
  filename: string;
  data: Buffer;
  /** The file went over the size limit (or unpacks beyond MAX_UNPACKED_BYTES): it must be refused. */
  truncated: boolean;
  /** A ZIP container (XLSX, DOCX, ODS…) that unpacks beyond MAX_UNPACKED_BYTES: an archive bomb. */
  bomb?: boolean;
}

/** What a ZIP-based upload (XLSX, DOCX, ODS, ODT) may unpack to, all entries together. */
export const MAX_UNPACKED_BYTES = 100 * 1024 * 1024;

/**
 * Whether a ZIP unpacks beyond `cap` bytes: every entry of the central directory is inflated with
 * a bounded output (declared sizes can lie), so an archive bomb is caught before any parser sees
 * it. Not a ZIP, or a damaged one: false (the parser refuses it later).
 */
export function unpacksBeyond(data: Buffer, cap = MAX_UNPACKED_BYTES): boolean {
  if (data.length < 22 || data.readUInt32LE(0) !== 0x04034b50) return false;
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 65557); i--) {
    if (data.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return false;
  const entries = data.readUInt16LE(eocd + 10);
  let p = data.readUInt32LE(eocd + 16);
  let total = 0;
  try {
    for (let n = 0; n < entries; n++) {
      if (p + 46 > data.length || data.readUInt32LE(p) !== 0x02014b50) return false;
      const method = data.readUInt16LE(p + 10);
      const compressed = data.readUInt32LE(p + 20);
      const declared = data.readUInt32LE(p + 24);
      const local = data.readUInt32LE(p + 42);
      p += 46 + data.readUInt16LE(p + 28) + data.readUInt16LE(p + 30) + data.readUInt16LE(p + 32);
      if (local + 30 > data.length) return false;
      const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
      const body = data.subarray(start, start + compressed);
      if (method === 0) total += body.length;
      else if (method === 8) total += inflateRawSync(body, { maxOutputLength: cap - total + 1 }).length;
      else total += declared;
      if (total > cap) return true;
    }
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || e instanceof RangeError;
  }
  return false;
}

/**
 * Registers @fastify/multipart: a multipart form's text fields become strings of `req.body` (so the
 * CSRF token and zod schemas read them as from any form) and its file becomes an `UploadedFile`.
 * One file per request, fields and parts bounded; a file over the limit is marked, not thrown, so
 * the form answers 422 with a French message.
 */
export async function registerUploads(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: "keyValues",
    throwFileSizeLimit: false,
    limits: { fileSize: config.maxUploadBytes, files: 1, fields: 50, fieldSize: 100 * 1024, parts: 60, headerPairs: 100 },
    async onFile(part: MultipartFile) {
      const data = await part.toBuffer();
      const bomb = !part.file.truncated && unpacksBeyond(data);
      const upload: UploadedFile = { kind: "upload", filename: part.filename ?? "", data, truncated: part.file.truncated || bomb, bomb };
      (part as unknown as { value: unknown }).value = upload;
    },
  });
}

/** The file of a form field, or undefined when none was chosen (browsers send an empty part). */
export function uploadedFile(body: unknown, field: string): UploadedFile | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[field];
  if (typeof value !== "object" || value === null || (value as UploadedFile).kind !== "upload") return undefined;
  const file = value as UploadedFile;
  return file.data.length === 0 && !file.filename ? undefined : file;
}

/** The text fields of a multipart (or urlencoded) body, files left out: what a zod form schema reads. */
export function textFields(body: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries((body as Record<string, unknown>) ?? {})) {
    if (typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"))) out[k] = v as string | string[];
  }
  return out;
}

export interface SaveUploadOptions {
  territoryId: number | null;
  uploadedBy: number | null;
  allowed?: FileKind[];
}

/**
 * Checks and stores an uploaded file (in the caller's transaction). Throws UploadRejected with a
 * French message for an empty, oversized or refused file.
 */
export async function saveUpload(tx: Tx, config: Config, file: UploadedFile, opts: SaveUploadOptions): Promise<typeof files.$inferSelect> {
  if (file.bomb) throw new UploadRejected(`Le fichier, une fois décompressé, dépasse ${MAX_UNPACKED_BYTES / 1024 / 1024} Mo : il est refusé.`);
  if (file.truncated) throw new UploadRejected(`Le fichier dépasse la taille autorisée (${Math.floor(config.maxUploadBytes / 1024 / 1024)} Mo).`);
  return storeFile(tx, file.data, {
    dataDir: config.dataDir,
    territoryId: opts.territoryId,
    uploadedBy: opts.uploadedBy,
    originalName: file.filename,
    allowed: opts.allowed ?? DOCUMENT_KINDS,
    maxBytes: config.maxUploadBytes,
  });
}

/**
 * `Content-Disposition` for a stored file: an ASCII fallback name and the UTF-8 name (RFC 6266 /
 * 8187), no quote, backslash or control character able to break the header.
 */
export function contentDisposition(name: string, disposition: "attachment" | "inline" = "attachment"): string {
  const clean = cleanFileName(name);
  const ascii = clean
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\%;]/g, "_");
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * Sends a stored file once its reader has been checked: its recorded type, never sniffed by the
 * browser, as an attachment (PDF and images may open in the browser, sandboxed), private.
 */
export async function sendStoredFile(reply: FastifyReply, config: Config, file: typeof files.$inferSelect, name = file.originalName): Promise<FastifyReply> {
  let body: Buffer;
  try {
    body = await readFile(storagePath(config.dataDir, file.sha256));
  } catch {
    return reply.code(404).type("text/plain; charset=utf-8").send("Fichier introuvable.");
  }
  const inline = file.mime === FILE_KINDS.pdf.mime || file.mime === FILE_KINDS.png.mime || file.mime === FILE_KINDS.jpeg.mime;
  return reply
    .header("content-type", file.mime === FILE_KINDS.csv.mime ? "text/csv; charset=utf-8" : file.mime)
    .header("content-disposition", contentDisposition(name, inline ? "inline" : "attachment"))
    .header("x-content-type-options", "nosniff")
    .header("content-security-policy", "default-src 'none'; sandbox")
    .header("cache-control", "private, no-store")
    .send(body);
}
