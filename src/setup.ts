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

/** Migrates, then runs every module's idempotent seed. */
export async function prepareDatabase(database: Database, opts: { seed?: boolean } = {}): Promise<void> {
  await runMigrations(database);
  if (opts.seed === false) return;
  for (const m of modules) if (m.seed) await m.seed(database);
}
