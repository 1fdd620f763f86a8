import pg from "pg";
import { contentVersion } from "../db/schema.ts";
import type { Database } from "../db/client.ts";

export const CONTENT_CHANNEL = "collines_content";

/**
 * The database's content version, read once and kept until the database announces a change
 * (LISTEN/NOTIFY: every bump notifies at commit, in every process). Without a live listener the
 * version is read for each request, concurrent requests sharing one read.
 */
export class ContentVersion {
  private value: number | undefined;
  private inflight: Promise<number> | undefined;
  private generation = 0;
  private listening = false;
  private client: pg.Client | undefined;
  private closed = false;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly database: Database) {}

  /** Subscribes to change notifications (reconnecting by itself on PostgreSQL). */
  async start(): Promise<void> {
    if (this.database.pglite) {
      this.unlisten = await this.database.pglite.listen(CONTENT_CHANNEL, () => this.invalidate());
      this.listening = true;
      return;
    }
    if (this.database.url) await this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.database.url });
    const lost = () => {
      if (this.client !== client) return;
      this.listening = false;
      this.client = undefined;
      this.invalidate();
      client.end().catch(() => {});
      if (!this.closed) setTimeout(() => void this.connect(), 1000).unref();
    };
    client.on("error", lost);
    client.on("end", lost);
    client.on("notification", () => this.invalidate());
    try {
      await client.connect();
      await client.query(`LISTEN ${CONTENT_CHANNEL}`);
      this.client = client;
      this.invalidate();
      this.listening = true;
    } catch {
      client.end().catch(() => {});
      if (!this.closed) setTimeout(() => void this.connect(), 1000).unref();
    }
  }

  invalidate(): void {
    this.value = undefined;
    this.generation++;
  }

  /** The current version. */
  get(): Promise<number> {
    if (this.listening && this.value !== undefined) return Promise.resolve(this.value);
    if (this.inflight) return this.inflight;
    const generation = this.generation;
    this.inflight = this.database.db
      .select({ v: contentVersion.version })
      .from(contentVersion)
      .limit(1)
      .then((rows) => {
        const v = rows[0]?.v ?? 0;
        // A change announced while reading may not be in what was read: keep it only if none was.
        if (this.listening && generation === this.generation) this.value = v;
        return v;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  async stop(): Promise<void> {
    this.closed = true;
    this.listening = false;
    await this.unlisten?.().catch(() => {});
    const c = this.client;
    this.client = undefined;
    await c?.end().catch(() => {});
  }
}
