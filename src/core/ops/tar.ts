// A minimal POSIX tar (ustar) writer and reader for the backup archive: regular files only, names
// of at most 100 bytes, streamed to and from disk so an archive never has to fit in memory.
import { closeSync, openSync, readSync, writeSync } from "node:fs";

const BLOCK = 512;

function header(name: string, size: number, mtime: number): Buffer {
  const b = Buffer.alloc(BLOCK, 0);
  if (Buffer.byteLength(name) > 100) throw new Error(`Nom trop long pour l'archive : ${name}`);
  b.write(name, 0, 100, "utf8");
  b.write("0000644\0", 100, 8, "ascii");
  b.write("0000000\0", 108, 8, "ascii");
  b.write("0000000\0", 116, 8, "ascii");
  b.write(`${size.toString(8).padStart(11, "0")}\0`, 124, 12, "ascii");
  b.write(`${Math.floor(mtime / 1000).toString(8).padStart(11, "0")}\0`, 136, 12, "ascii");
  b.write("        ", 148, 8, "ascii");
  b.write("0", 156, 1, "ascii");
  b.write("ustar\0", 257, 6, "ascii");
  b.write("00", 263, 2, "ascii");
  let sum = 0;
  for (const x of b) sum += x;
  b.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "ascii");
  return b;
}

/** Writes a tar file entry by entry. */
export class TarWriter {
  private fd: number;
  constructor(path: string) {
    this.fd = openSync(path, "wx", 0o600);
  }
  /** Adds an entry from bytes in memory. */
  add(name: string, data: Uint8Array, mtime = Date.now()): void {
    writeSync(this.fd, header(name, data.length, mtime));
    writeSync(this.fd, data);
    this.pad(data.length);
  }
  /** Adds an entry copied from a file on disk, in chunks. */
  addFile(name: string, path: string, size: number, mtime = Date.now()): void {
    writeSync(this.fd, header(name, size, mtime));
    const src = openSync(path, "r");
    try {
      const buf = Buffer.alloc(1024 * 1024);
      let done = 0;
      while (done < size) {
        const n = readSync(src, buf, 0, Math.min(buf.length, size - done), done);
        if (n <= 0) throw new Error(`Fichier raccourci pendant la sauvegarde : ${path}`);
        writeSync(this.fd, buf.subarray(0, n));
        done += n;
      }
    } finally {
      closeSync(src);
    }
    this.pad(size);
  }
  close(): void {
    writeSync(this.fd, Buffer.alloc(BLOCK * 2, 0));
    closeSync(this.fd);
  }
  private pad(size: number) {
    const rest = size % BLOCK;
    if (rest) writeSync(this.fd, Buffer.alloc(BLOCK - rest, 0));
  }
}

export interface TarEntry {
  name: string;
  size: number;
  /** Offset of the entry's data in the archive. */
  offset: number;
}

/** Lists the entries of a tar file (reading headers only); throws a French error when it is not one. */
export function readTarIndex(path: string): TarEntry[] {
  const fd = openSync(path, "r");
  try {
    const out: TarEntry[] = [];
    const h = Buffer.alloc(BLOCK);
    let pos = 0;
    for (;;) {
      const n = readSync(fd, h, 0, BLOCK, pos);
      if (n < BLOCK) throw new Error("Archive tronquée : ce n'est pas une sauvegarde complète.");
      if (h.every((x) => x === 0)) return out;
      if (h.toString("ascii", 257, 262) !== "ustar") throw new Error("Ce fichier n'est pas une sauvegarde Collines (archive tar attendue).");
      const name = h.toString("utf8", 0, 100).replace(/\0.*$/s, "");
      const size = parseInt(h.toString("ascii", 124, 136).replace(/\0.*$/s, "").trim(), 8);
      if (!Number.isFinite(size) || size < 0) throw new Error("Archive illisible (taille d'entrée invalide).");
      out.push({ name, size, offset: pos + BLOCK });
      pos += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads one entry's bytes. */
export function readTarEntry(path: string, entry: TarEntry): Buffer {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(entry.size);
    let done = 0;
    while (done < entry.size) {
      const n = readSync(fd, buf, done, entry.size - done, entry.offset + done);
      if (n <= 0) throw new Error("Archive tronquée : ce n'est pas une sauvegarde complète.");
      done += n;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}
