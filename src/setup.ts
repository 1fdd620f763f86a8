import pg from "pg";
import type { Config } from "./config.ts";
import { openPglite, openPostgres, runMigrations, type Database } from "./core/db/client.ts";
import { acquireDataDirLock, type DataDirLock } from "./core/db/lock.ts";
import { modules } from "./modules/index.ts";

/** Opens the configured database (PGlite in DATA_DIR unless DATABASE_URL is set), locking DATA_DIR. */
export async function openDatabase(config: Config): Promise<{ database: Database; lock?: DataDirLock }> {
  if (config.databaseUrl) return { database: await openPostgres(config.databaseUrl) };
  const { mkdirSync } = await import("node:fs");
  mkdirSync(config.dataDir, { recursive: true });
  const lock = acquireDataDirLock(config.dataDir);
  try {
    return { database: await openPglite(config.dataDir), lock };
  } catch (e) {
    lock.release();
    throw e;
  }
}

const PREPARE_LOCK = 730_000;

/**
 * Migrates, then runs every module's idempotent seed. Several processes starting together on one
 * PostgreSQL database take turns (a session advisory lock), so none sees a half-migrated schema.
 */
export async function prepareDatabase(database: Database, opts: { seed?: boolean } = {}): Promise<void> {
  // The lock lives on its own connection, so a small pool is still free for the migrations.
  const client = database.url ? new pg.Client({ connectionString: database.url }) : undefined;
  await client?.connect();
  const lock = (sql: string) => (client ? client.query(sql, [PREPARE_LOCK]) : database.query(sql, [PREPARE_LOCK]));
  await lock("select pg_advisory_lock($1)");
  try {
    await runMigrations(database);
    if (opts.seed === false) return;
    for (const m of modules) if (m.seed) await m.seed(database);
  } finally {
    await lock("select pg_advisory_unlock($1)").catch(() => {});
    await client?.end().catch(() => {});
  }
}
