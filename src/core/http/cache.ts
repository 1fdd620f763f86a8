import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** A rendered answer, with its compressed forms made once, on first demand. */
export class CachedPage {
  private br?: Buffer;
  private gz?: Buffer;
  readonly size: number;
  constructor(
    readonly body: string,
    readonly type: string,
  ) {
    this.size = Math.ceil(Buffer.byteLength(body) * 1.35);
  }

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
  private bytes = 0;
  constructor(
    private readonly max: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

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
    const page = new CachedPage(body, type);
    const key = `${etag} ${url}`;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.bytes -= previous.size;
    }
    // Room for the page and its compressed forms (about a third more).
    while (this.entries.size && (this.entries.size >= this.max || this.bytes + page.size > this.maxBytes)) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, CachedPage];
      this.entries.delete(oldestKey);
      this.bytes -= oldest.size;
    }
    this.entries.set(key, page);
    this.bytes += page.size;
    return page;
  }
}
