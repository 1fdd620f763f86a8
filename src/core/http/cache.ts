import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** A rendered answer, with its compressed forms made once, on first demand. */
export class CachedPage {
  private br?: Buffer;
  private gz?: Buffer;
  constructor(
    readonly body: string,
    readonly type: string,
  ) {}

  compressed(encoding: "br" | "gzip"): { encoding: string; body: Buffer } | undefined {
    if (Buffer.byteLength(this.body) < 1024) return undefined;
    if (encoding === "br") {
      this.br ??= brotliCompressSync(this.body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } });
      return { encoding, body: this.br };
    }
    this.gz ??= gzipSync(this.body, { level: 9 });
    return { encoding, body: this.gz };
  }
}

/**
 * Rendered anonymous answers keyed by ETag and URL (LRU, bounded). Safe to lose: the ETag
 * carries the database's content version, so an entry of an older version is never served.
 */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  constructor(private readonly max: number) {}

  get(etag: string, url: string): CachedPage | undefined {
    const key = `${etag} ${url}`;
    const hit = this.entries.get(key);
    if (hit) {
      // Keep recently used entries at the end (LRU order).
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(etag: string, url: string, body: string, type: string): CachedPage {
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    const page = new CachedPage(body, type);
    this.entries.set(`${etag} ${url}`, page);
    return page;
  }
}
