import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as tables from "./tables.ts";

export type Schema = typeof tables;
/** The Drizzle database, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction or the database itself: commands accept either. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0] | Db;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /** Runs several SQL statements (no parameters). */
  exec(sql: string): Promise<void>;
  /** Runs one statement with parameters and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
  pglite?: PGlite;
  pool?: pg.Pool;
  /** The server's URL (PostgreSQL only), for tasks that need their own connection. */
  url?: string;
}

export const MIGRATIONS_DIR = new URL("../../../migrations", import.meta.url).pathname;

/** PGlite extensions: a database whose indexes use them must always be opened with them. */
async function pgliteExtensions() {
  const [{ pg_trgm }, { unaccent }, { amcheck }] = await Promise.all([
    import("@electric-sql/pglite/contrib/pg_trgm"),
    import("@electric-sql/pglite/contrib/unaccent"),
    import("@electric-sql/pglite/contrib/amcheck"),
  ]);
  return { pg_trgm, unaccent, amcheck };
}

/** Opens the embedded database in `dataDir/pgdata` (created on first use). */
export async function openPglite(dataDir: string | undefined, options: { loadDataDir?: Blob } = {}): Promise<Database> {
  let path: string | undefined;
  if (dataDir) {
    path = join(dataDir, "pgdata");
    mkdirSync(dataDir, { recursive: true });
  }
  // Loaded on demand: a server on PostgreSQL never pays PGlite's ~45 MB.
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([import("@electric-sql/pglite"), import("drizzle-orm/pglite")]);
  const client = await PGlite.create(path, { extensions: await pgliteExtensions(), loadDataDir: options.loadDataDir });
  const db = drizzlePglite(client, { schema: tables }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    pglite: client,
    async exec(sql) {
      await client.exec(sql);
    },
    async query(sql, params) {
      const r = await client.query(sql, params as unknown[]);
      return r.rows as never;
    },
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

/** Connects to a PostgreSQL server. */
export async function openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30000,
  });
  // A dropped connection must not crash the process: the pool reconnects on the next query. The
  // pool listens for errors of idle clients only; a client checked out (a transaction between two
  // queries, a job's lock) gets a listener of its own, its pending query failing with the error.
  pool.on("error", () => {});
  pool.on("connect", (client) => {
    client.on("error", () => {});
  });
  const db = drizzlePg(pool, { schema: tables }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    pool,
    url,
    async exec(sql) {
      await pool.query(sql);
    },
    async query(sql, params) {
      const r = await pool.query(sql, params as unknown[]);
      return r.rows as never;
    },
    async close() {
      await pool.end();
    },
  };
}

/** Applies every pending migration (forward only). */
export async function runMigrations(database: Database): Promise<void> {
  if (database.kind === "pglite") {
    const { migrate: migratePglite } = await import("drizzle-orm/pglite/migrator");
    await migratePglite(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  } else {
    await migratePg(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  }
}

/** A lost or refused database connection (PostgreSQL restarting, unreachable, out of connections). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as (Error & { code?: string; cause?: unknown }) | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    const code = typeof e.code === "string" ? e.code : "";
    if (["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "57P01", "57P02", "57P03", "53300"].includes(code) || code.startsWith("08")) return true;
    if (/Connection terminated|timeout exceeded when trying to connect|connection error|the database system is (starting up|shutting down)/i.test(String(e.message))) return true;
  }
  return false;
}
