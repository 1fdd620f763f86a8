import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { createGunzip, createInflateRaw } from "node:zlib";
import { ImportError } from "./errors.ts";

// Opening an import file as a stream of text: gzip and ZIP (first CSV entry) are unpacked on the
// fly, UTF-8 (with or without BOM) or Latin-1/Windows-1252 is detected from the first bytes, and
// compressed bytes are counted for the progress bar. Nothing is read whole into memory.

export interface OpenedSource {
  /** Decoded text, in chunks. */
  text: Readable;
  /** Bytes of the file read so far (before unpacking), for progress. */
  bytesRead(): number;
  /** Size of the file when known. */
  totalBytes?: number;
  /** The encoding chosen. */
  encoding(): "utf-8" | "windows-1252";
  /** The header line, when known before reading (plain files): the text can then be piped as is. */
  headLine?: string;
}

/** Counts bytes passing through. */
class Counter extends Transform {
  count = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    this.count += chunk.length;
    cb(null, chunk);
  }
}

/** Whether a buffer (the start of a file) is valid UTF-8, ignoring a sequence cut at its end. */
export function looksUtf8(buf: Buffer): boolean {
  let i = 0;
  const n = buf.length;
  while (i < n) {
    const b = buf[i];
    let need = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return false;
    if (i + need >= n) return true; // cut at the end of the sample
    for (let k = 1; k <= need; k++) if ((buf[i + k] & 0xc0) !== 0x80) return false;
    i += need + 1;
  }
  return true;
}

/**
 * Decodes bytes to UTF-8: a file whose first 64 KB are valid UTF-8 passes through unchanged (the
 * CSV parser drops a BOM); otherwise it is read as Windows-1252 (the Latin-1 superset that French
 * administrative files use) and re-encoded.
 */
class Decoder extends Transform {
  /** A decoder whose encoding is already known (plain files): no sample is kept. */
  static forced(encoding: "windows-1252"): Decoder {
    const d = new Decoder();
    d.decided = true;
    d.chosen = encoding;
    d.decoder = new TextDecoder(encoding);
    return d;
  }
  private decoder?: TextDecoder;
  private decided = false;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  chosen: "utf-8" | "windows-1252" = "utf-8";
  private decide(sample: Buffer) {
    this.decided = true;
    if (!looksUtf8(sample)) {
      this.chosen = "windows-1252";
      this.decoder = new TextDecoder("windows-1252");
    }
  }
  private out(chunk: Buffer, last = false): Buffer | string {
    return this.decoder ? this.decoder.decode(chunk, { stream: !last }) : chunk;
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    if (this.decided) return cb(null, this.out(chunk));
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < 65536) return cb();
    const all = Buffer.concat(this.pending);
    this.pending = [];
    this.decide(all);
    cb(null, this.out(all));
  }
  override _flush(cb: TransformCallback) {
    if (!this.decided) {
      const all = Buffer.concat(this.pending);
      this.decide(all);
      return cb(null, all.length ? this.out(all, true) : undefined);
    }
    if (this.decoder) {
      const rest = this.decoder.decode();
      return cb(null, rest || undefined);
    }
    cb();
  }
}

/**
 * Streams the first entry of a ZIP archive whose name ends with `.csv` or `.txt` (or the first
 * entry), reading local file headers only: deflated entries are inflated until their end, so the
 * archive is never read whole nor written to disk.
 */
class ZipEntryReader extends Transform {
  private buf: Buffer = Buffer.alloc(0);
  private state: "header" | "skip" | "data" | "done" = "header";
  private skipLeft = 0;
  private inflater?: Transform;
  private storedLeft = 0;
  entryName?: string;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    this.pump(cb);
  }

  private pump(cb: TransformCallback) {
    for (;;) {
      if (this.state === "done") {
        this.buf = Buffer.alloc(0);
        return cb();
      }
      if (this.state === "skip") {
        const n = Math.min(this.skipLeft, this.buf.length);
        this.buf = this.buf.subarray(n);
        this.skipLeft -= n;
        if (this.skipLeft > 0) return cb();
        this.state = "header";
        continue;
      }
      if (this.state === "data") {
        const data = this.buf;
        this.buf = Buffer.alloc(0);
        if (!data.length) return cb();
        if (this.inflater) {
          // Backpressure: wait for the inflater to take the chunk before asking for more.
          if (!this.inflater.write(data)) this.inflater.once("drain", () => cb());
          else cb();
          return;
        }
        const take = data.subarray(0, this.storedLeft);
        this.storedLeft -= take.length;
        this.push(take);
        if (this.storedLeft <= 0) this.state = "done";
        return cb();
      }
      // header
      if (this.buf.length < 30) return cb();
      const sig = this.buf.readUInt32LE(0);
      if (sig !== 0x04034b50) return cb(new ImportError("L’archive ZIP ne contient aucun fichier CSV lisible."));
      const flags = this.buf.readUInt16LE(6);
      const method = this.buf.readUInt16LE(8);
      const compSize = this.buf.readUInt32LE(18);
      const size = this.buf.readUInt32LE(22);
      const nameLen = this.buf.readUInt16LE(26);
      const extraLen = this.buf.readUInt16LE(28);
      if (this.buf.length < 30 + nameLen + extraLen) return cb();
      const name = this.buf.subarray(30, 30 + nameLen).toString("utf8");
      this.buf = this.buf.subarray(30 + nameLen + extraLen);
      const wanted = /\.(csv|txt)$/i.test(name) && !name.startsWith("__MACOSX/");
      if (!wanted) {
        if (flags & 0x08 || compSize === 0xffffffff) return cb(new ImportError(`L’archive ZIP commence par « ${name} », qui n’est pas un fichier CSV : placez le CSV en premier ou décompressez-le.`));
        this.state = "skip";
        this.skipLeft = compSize;
        continue;
      }
      this.entryName = name;
      if (method === 8) {
        this.inflater = createInflateRaw();
        this.inflater.on("data", (d: Buffer) => this.push(d));
        this.inflater.on("error", (e) => this.destroy(new ImportError(`Archive ZIP illisible : ${e.message}`)));
        this.inflater.on("end", () => {
          this.state = "done";
        });
        this.state = "data";
      } else if (method === 0) {
        if (flags & 0x08) return cb(new ImportError("Archive ZIP non prise en charge (entrée stockée sans taille)."));
        this.storedLeft = size === 0xffffffff ? Number.MAX_SAFE_INTEGER : size;
        this.state = "data";
      } else return cb(new ImportError(`Archive ZIP non prise en charge (méthode de compression ${method}).`));
    }
  }

  override _flush(cb: TransformCallback) {
    if (!this.entryName) return cb(new ImportError("L’archive ZIP ne contient aucun fichier CSV."));
    if (this.inflater && this.state !== "done") {
      this.inflater.once("end", () => cb());
      this.inflater.end();
      return;
    }
    cb();
  }
}

/** Peeks the first bytes of a stream and gives them back with the rest. */
async function peek(stream: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let len = 0;
  const it = stream[Symbol.asyncIterator]();
  while (len < n) {
    const r = await it.next();
    if (r.done) break;
    const b = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value as string);
    chunks.push(b);
    len += b.length;
  }
  const head = Buffer.concat(chunks);
  async function* rest() {
    if (head.length) yield head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value as Buffer;
    }
  }
  return { head, stream: Readable.from(rest(), { objectMode: false }) };
}

/**
 * Opens an import file (a path, or a stream of bytes such as an upload) as decoded text,
 * unpacking gzip and ZIP by their signature, whatever the file's name.
 */
export async function openImportSource(input: string | Readable): Promise<OpenedSource> {
  let raw: Readable;
  let totalBytes: number | undefined;
  if (typeof input === "string") {
    let size: number;
    try {
      size = statSync(input).size;
    } catch {
      throw new ImportError(`Fichier introuvable ou illisible : ${input}`);
    }
    totalBytes = size;
    // A plain (uncompressed) file: its encoding and header line come from its first 64 KB, and its
    // bytes go to the parser with no transform in between (the fast path of big national files).
    const sample = Buffer.alloc(Math.min(size, 65536));
    const fd = openSync(input, "r");
    try {
      readSync(fd, sample, 0, sample.length, 0);
    } finally {
      closeSync(fd);
    }
    const compressed = (sample[0] === 0x1f && sample[1] === 0x8b) || (sample.length >= 4 && sample.readUInt32LE(0) === 0x04034b50);
    if (!compressed) {
      const encoding = looksUtf8(sample) ? "utf-8" : "windows-1252";
      const decodedHead = new TextDecoder(encoding).decode(sample.subarray(0, Math.min(sample.length, 65536)));
      const nl = decodedHead.search(/\r?\n/);
      // Without a line end in the sample the header is longer than 64 KB: read it the slow way.
      if (nl >= 0 || sample.length === size) {
        const stream = createReadStream(input, { highWaterMark: 256 * 1024 });
        let count = 0;
        stream.on("data", (c) => (count += c.length));
        const text = encoding === "utf-8" ? stream : stream.pipe(Decoder.forced("windows-1252"));
        if (encoding !== "utf-8") stream.on("error", (e) => text.destroy(e));
        return { text, bytesRead: () => count, totalBytes, encoding: () => encoding, headLine: (nl >= 0 ? decodedHead.slice(0, nl) : decodedHead).replace(/^\uFEFF/, "") };
      }
    }
    raw = createReadStream(input, { highWaterMark: 256 * 1024 });
  } else raw = input;
  const counter = new Counter();
  raw.on("error", (e) => counter.destroy(e));
  const counted = raw.pipe(counter);
  const { head, stream } = await peek(counted, 4);
  let bytes: Readable = stream;
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    stream.on("error", (e) => gunzip.destroy(e));
    bytes = stream.pipe(gunzip);
  } else if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) {
    const zip = new ZipEntryReader();
    stream.on("error", (e) => zip.destroy(e));
    bytes = stream.pipe(zip);
  }
  const decoder = new Decoder();
  bytes.on("error", (e) => decoder.destroy(e instanceof ImportError ? e : new ImportError(`Fichier illisible : ${e.message}`)));
  const text = bytes.pipe(decoder);
  return { text, bytesRead: () => counter.count, totalBytes, encoding: () => decoder.chosen };
}

/** The delimiter of a header line: the most frequent of `;`, `,`, tab outside quotes (`;` on a tie). */
export function detectDelimiter(headerLine: string): ";" | "," | "\t" {
  let inQuotes = false;
  const counts = { ";": 0, ",": 0, "\t": 0 };
  for (const ch of headerLine) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === ";" || ch === "," || ch === "\t")) counts[ch]++;
  }
  if (counts["\t"] > counts[";"] && counts["\t"] > counts[","]) return "\t";
  return counts[","] > counts[";"] ? "," : ";";
}
