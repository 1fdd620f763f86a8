// Backups and restores (docs/operations.md): one tar archive holding a manifest, the database and
// the uploaded files (DATA_DIR/files).
// - Embedded (PGlite): the data directory dumped by the running server (through the control
//   socket) inside a transaction, so no other transaction can be half-way; restored into an empty
//   DATA_DIR.
// - PostgreSQL: pg_dump's custom format, under the same exported snapshot as the manifest's
//   fingerprints; restored with pg_restore into an empty database.
// The manifest lists every table's row count and the md5 of its ordered rows, and every file's
// SHA-256: a restore checks the result against it and says so.
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import pg from "pg";
import { openPglite, openPostgres, type Database } from "../db/client.ts";
import { acquireDataDirLock, lockHolder } from "../db/lock.ts";
import { readTarEntry, readTarIndex, TarWriter } from "./tar.ts";

export const BACKUP_FORMAT = "collines-sauvegarde";

export interface TableFingerprint {
  rows: number;
  md5: string;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  database: "pglite" | "postgres";
  /** Migrations applied (drizzle's journal), so a restore on older code can refuse clearly. */
  migrations: number;
  tables: Record<string, TableFingerprint>;
  files: { path: string; size: number; sha256: string }[];
}

type Query = <T>(sql: string) => Promise<T[]>;

/** Every table of the database (schema-qualified), drizzle's migration journal included. */
async function tableNames(q: Query): Promise<string[]> {
  const rows = await q<{ s: string; t: string }>(
    "select table_schema as s, table_name as t from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1, 2",
  );
  return rows.map((r) => `${r.s}.${r.t}`);
}

/** Row count and md5 of the rows in a fixed order, for every table: equal fingerprints, equal data. */
export async function tableFingerprints(q: Query): Promise<Record<string, TableFingerprint>> {
  const out: Record<string, TableFingerprint> = {};
  for (const name of await tableNames(q)) {
    const [s, t] = name.split(".");
    const [row] = await q<{ n: number; h: string }>(
      `select count(*)::int as n, md5(coalesce(string_agg(x::text, E'\\n' order by x::text), '')) as h from "${s}"."${t}" x`,
    );
    out[name] = { rows: Number(row.n), md5: row.h };
  }
  return out;
}

/** Every uploaded file under DATA_DIR/files, with its size and SHA-256. */
export function listFiles(dataDir: string): Manifest["files"] {
  const root = join(dataDir, "files");
  const out: Manifest["files"] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && !e.name.endsWith(".tmp")) {
        const data = readFileSync(p);
        out.push({ path: relative(dataDir, p), size: data.length, sha256: createHash("sha256").update(data).digest("hex") });
      }
    }
  };
  walk(root);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** The directory of pg_dump / pg_restore: PATH, else the newest Debian major. */
function pgTool(name: "pg_dump" | "pg_restore"): string {
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const majors = readdirSync(root).filter((d) => existsSync(join(root, d, "bin", name))).sort((a, b) => Number(b) - Number(a));
    if (majors.length) return join(root, majors[0], "bin", name);
  }
  return name;
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("error", (e) => reject(new Error(`${cmd} introuvable ou impossible à lancer (${e.message}) : installez les outils clients de PostgreSQL.`)));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} a échoué (code ${code}) : ${err.trim().slice(0, 500)}`))));
  });
}

/** Writes a backup archive of the running database and DATA_DIR/files; returns a French summary. */
export async function createBackup(database: Database, dataDir: string, out: string): Promise<string> {
  if (existsSync(out)) throw new Error(`Le fichier ${out} existe déjà : choisissez un autre nom (une sauvegarde n'en écrase jamais une autre).`);
  mkdirSync(dirname(out), { recursive: true });
  const partial = `${out}.${randomBytes(4).toString("hex")}.partiel`;
  let manifest: Manifest;
  let dbEntry: { name: string; data?: Uint8Array; path?: string };
  const started = Date.now();
  if (database.kind === "pglite") {
    const pglite = database.pglite!;
    // Inside a transaction: no other transaction can run, so the files are at a commit boundary.
    const taken = await pglite.transaction(async (tx) => {
      const q: Query = async <T,>(sql: string) => (await tx.query<T>(sql)).rows;
      const tables = await tableFingerprints(q);
      const dump = await pglite.dumpDataDir("gzip");
      return { tables, dump: new Uint8Array(await dump.arrayBuffer()) };
    });
    manifest = { format: BACKUP_FORMAT, version: 1, createdAt: new Date().toISOString(), database: "pglite", migrations: migrationCount(taken.tables), tables: taken.tables, files: [] };
    dbEntry = { name: "base/pgdata.tar.gz", data: taken.dump };
  } else {
    // One REPEATABLE READ snapshot for the fingerprints and pg_dump (--snapshot).
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const dumpPath = `${partial}.pgdump`;
    try {
      await client.query("begin isolation level repeatable read read only");
      const [{ id }] = (await client.query<{ id: string }>("select pg_export_snapshot() as id")).rows;
      const q: Query = async <T,>(sql: string) => (await client.query(sql)).rows as T[];
      const tables = await tableFingerprints(q);
      await run(pgTool("pg_dump"), ["--format=custom", "--no-owner", "--no-privileges", `--snapshot=${id}`, `--file=${dumpPath}`, database.url!]);
      await client.query("commit");
      manifest = { format: BACKUP_FORMAT, version: 1, createdAt: new Date().toISOString(), database: "postgres", migrations: migrationCount(tables), tables, files: [] };
      dbEntry = { name: "base/collines.pgdump", path: dumpPath };
    } finally {
      await client.end().catch(() => {});
    }
  }
  // Files after the database: every row of the dump has its file (files are written before rows).
  manifest.files = listFiles(dataDir);
  try {
    const tar = new TarWriter(partial);
    tar.add("manifeste.json", Buffer.from(JSON.stringify(manifest, null, 2)));
    if (dbEntry.data) tar.add(dbEntry.name, dbEntry.data);
    else tar.addFile(dbEntry.name, dbEntry.path!, statSync(dbEntry.path!).size);
    for (const f of manifest.files) tar.addFile(f.path, join(dataDir, f.path), f.size);
    tar.close();
    renameSync(partial, out);
  } finally {
    rmSync(partial, { force: true });
    if (dbEntry.path) rmSync(dbEntry.path, { force: true });
  }
  const rows = Object.values(manifest.tables).reduce((s, t) => s + t.rows, 0);
  return `Sauvegarde écrite : ${out} (${formatBytes(statSync(out).size)}, ${Object.keys(manifest.tables).length} tables, ${rows} lignes, ${manifest.files.length} fichiers, ${((Date.now() - started) / 1000).toFixed(1).replace(".", ",")} s).`;
}

function migrationCount(tables: Record<string, TableFingerprint>): number {
  return tables["drizzle.__drizzle_migrations"]?.rows ?? 0;
}

function formatBytes(n: number): string {
  return n > 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(".", ",")} Mo` : `${Math.ceil(n / 1024)} ko`;
}

export interface RestoreTarget {
  dataDir: string;
  /** PostgreSQL: the (empty) database to restore into; unset: the embedded database of dataDir. */
  databaseUrl?: string;
}

/**
 * Restores an archive into an empty instance (the server stopped), then checks every table and
 * file against the manifest. Refuses, writing nothing, when the target already holds data.
 */
export async function restoreBackup(from: string, target: RestoreTarget): Promise<string> {
  if (!existsSync(from)) throw new Error(`Sauvegarde introuvable : ${from}`);
  const index = readTarIndex(from);
  const manifestEntry = index.find((e) => e.name === "manifeste.json");
  if (!manifestEntry) throw new Error("Ce fichier n'est pas une sauvegarde Collines (pas de manifeste).");
  const manifest = JSON.parse(readTarEntry(from, manifestEntry).toString("utf8")) as Manifest;
  if (manifest.format !== BACKUP_FORMAT || manifest.version !== 1) throw new Error("Format de sauvegarde inconnu.");
  const wanted = target.databaseUrl ? "postgres" : "pglite";
  if (manifest.database !== wanted) {
    throw new Error(
      manifest.database === "pglite"
        ? "Cette sauvegarde vient de la base embarquée : restaurez-la sans DATABASE_URL, dans un DATA_DIR vide."
        : "Cette sauvegarde vient de PostgreSQL : restaurez-la avec DATABASE_URL vers une base vide.",
    );
  }
  // Every file's bytes must match its name (SHA-256) before anything is written.
  const fileEntries = index.filter((e) => e.name.startsWith("files/"));
  for (const f of manifest.files) {
    const e = fileEntries.find((x) => x.name === f.path);
    if (!e) throw new Error(`Sauvegarde incomplète : le fichier ${f.path} manque.`);
  }
  let database: Database;
  let release = () => {};
  const started = Date.now();
  if (!target.databaseUrl) {
    if (lockHolder(target.dataDir) !== undefined) throw new Error("Un serveur Collines tourne sur ce répertoire de données : arrêtez-le avant de restaurer.");
    if (existsSync(join(target.dataDir, "pgdata", "PG_VERSION"))) {
      throw new Error(`Le répertoire ${target.dataDir} contient déjà une base : restaurez dans un DATA_DIR vide (ou déplacez l'ancien répertoire).`);
    }
    mkdirSync(target.dataDir, { recursive: true });
    const lock = acquireDataDirLock(target.dataDir);
    release = () => lock.release();
    const entry = index.find((e) => e.name === "base/pgdata.tar.gz");
    if (!entry) throw new Error("Sauvegarde incomplète : la base manque.");
    try {
      rmSync(join(target.dataDir, "pgdata"), { recursive: true, force: true });
      database = await openPglite(target.dataDir, { loadDataDir: new Blob([new Uint8Array(readTarEntry(from, entry))]) });
    } catch (e) {
      rmSync(join(target.dataDir, "pgdata"), { recursive: true, force: true });
      release();
      throw e;
    }
  } else {
    database = await openPostgres(target.databaseUrl, { max: 2 });
    const [{ n }] = await database.query<{ n: number }>("select count(*)::int as n from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema')");
    if (Number(n) > 0) {
      await database.close();
      throw new Error("La base PostgreSQL visée n'est pas vide : créez une base vide (createdb) et restaurez-y.");
    }
    const entry = index.find((e) => e.name === "base/collines.pgdump");
    if (!entry) {
      await database.close();
      throw new Error("Sauvegarde incomplète : la base manque.");
    }
    const dumpPath = join(target.dataDir, `.restauration-${randomBytes(4).toString("hex")}.pgdump`);
    mkdirSync(target.dataDir, { recursive: true });
    writeFileSync(dumpPath, readTarEntry(from, entry), { mode: 0o600 });
    try {
      await run(pgTool("pg_restore"), ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", `--dbname=${target.databaseUrl}`, dumpPath]);
    } catch (e) {
      await database.close();
      throw e;
    } finally {
      rmSync(dumpPath, { force: true });
    }
  }
  try {
    // Files: written under a temporary name, checked, then renamed: never half a file.
    for (const f of manifest.files) {
      const e = fileEntries.find((x) => x.name === f.path)!;
      const data = readTarEntry(from, e);
      if (createHash("sha256").update(data).digest("hex") !== f.sha256) throw new Error(`Fichier abîmé dans la sauvegarde : ${f.path}`);
      const dest = join(target.dataDir, f.path);
      if (!dest.startsWith(join(target.dataDir, "files"))) throw new Error(`Chemin refusé dans la sauvegarde : ${f.path}`);
      mkdirSync(dirname(dest), { recursive: true });
      writeFileSync(`${dest}.tmp`, data, { mode: 0o600 });
      renameSync(`${dest}.tmp`, dest);
    }
    const q: Query = (sql) => database.query(sql);
    const now = await tableFingerprints(q);
    const differ = Object.keys({ ...manifest.tables, ...now }).filter((t) => manifest.tables[t]?.md5 !== now[t]?.md5 || manifest.tables[t]?.rows !== now[t]?.rows);
    if (differ.length) throw new Error(`La restauration ne correspond pas à la sauvegarde (tables : ${differ.join(", ")}).`);
    const rows = Object.values(now).reduce((s, t) => s + t.rows, 0);
    return `Restauration terminée et vérifiée : ${Object.keys(now).length} tables (${rows} lignes) et ${manifest.files.length} fichiers identiques à la sauvegarde du ${manifest.createdAt} (${((Date.now() - started) / 1000).toFixed(1).replace(".", ",")} s).`;
  } finally {
    await database.close();
    release();
  }
}
