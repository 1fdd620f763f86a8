import pg from "pg";
import type { Config } from "./config.ts";
import { isDatabaseUnavailable, openPglite, openPostgres, runMigrations, type Database } from "./core/db/client.ts";
import { acquireDataDirLock, type DataDirLock } from "./core/db/lock.ts";
import { modules } from "./modules/index.ts";

/** Opens the configured database (PGlite in DATA_DIR unless DATABASE_URL is set), locking DATA_DIR. */
export async function openDatabase(config: Config): Promise<{ database: Database; lock?: DataDirLock }> {
  if (config.databaseUrl) {
    const database = await openPostgres(config.databaseUrl);
    try {
      await database.query("select 1");
    } catch (e) {
      await database.close().catch(() => {});
      throw new Error(unreachableMessage(config.databaseUrl, e));
    }
    return { database };
  }
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

/** Why the PostgreSQL server of DATABASE_URL cannot be used, in French, without its password. */
export function unreachableMessage(url: string, e: unknown): string {
  let where = "DATABASE_URL";
  try {
    const u = new URL(url);
    where = `${u.hostname}:${u.port || "5432"}, base ${u.pathname.slice(1) || "(défaut)"}`;
  } catch {
    // An unparsable URL: name the variable only.
  }
  const err = e as Error & { code?: string };
  const why =
    err.code === "ECONNREFUSED"
      ? "connexion refusée (le serveur PostgreSQL est-il démarré ?)"
      : err.code === "ENOTFOUND" || err.code === "EAI_AGAIN"
        ? "nom d'hôte inconnu"
        : err.code === "28P01" || err.code === "28000"
          ? "identifiant ou mot de passe refusé"
          : err.code === "3D000"
            ? "cette base n'existe pas (créez-la avec createdb)"
            : isDatabaseUnavailable(e)
              ? "le serveur ne répond pas"
              : String(err.message).slice(0, 200);
  return `Impossible d'ouvrir la base PostgreSQL (${where}) : ${why}. Vérifiez DATABASE_URL et que le serveur accepte les connexions ; Collines ne démarre pas sans sa base.`;
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
