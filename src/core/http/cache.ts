/**
 * Rendered anonymous pages keyed by ETag and URL. Safe to lose: the ETag carries the database's
 * content version, so an entry of an older version is never served.
 */
export class PageCache {
  private readonly entries = new Map<string, { body: string; type: string }>();
  constructor(private readonly max: number) {}

  get(etag: string, url: string) {
    const key = `${etag} ${url}`;
    const hit = this.entries.get(key);
    if (hit) {
      // Keep recently used entries at the end (LRU order).
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  set(etag: string, url: string, value: { body: string; type: string }) {
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(`${etag} ${url}`, value);
  }
}
