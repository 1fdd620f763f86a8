// Backups (issue 7): `createBackup` is what `collines backup` runs (through the control socket of
// the running server for the embedded database); `restoreBackup` is `collines restore`. A backup
// taken while transactions keep committing restores into an empty instance, whole transactions
// only; a quiet backup restores every table (row counts + md5 of ordered rows) and every uploaded
// file identical to the original. A non-empty target or a damaged archive is refused.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openPglite, openPostgres, type Database } from "../src/core/db/client.ts";
import { recordAudit } from "../src/core/audit/index.ts";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { storeFile } from "../src/core/files/index.ts";
import { createBackup, listFiles, restoreBackup, tableFingerprints, type Manifest } from "../src/core/ops/backup.ts";
import { readTarEntry, readTarIndex } from "../src/core/ops/tar.ts";
import { createTestApp, DB_KINDS, type TestApp } from "./helpers/app.ts";

const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex");
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

const fingerprints = (d: Database) => tableFingerprints((sql) => d.query(sql));

describe.each(DB_KINDS)("backup and restore (%s)", (kind) => {
  let t: TestApp;
  let dir: string;
  let dataDir: string;
  const targets: { url: string; db?: Database }[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "collines-backup-"));
    dataDir = join(dir, "source");
    t = await createTestApp(kind, { DATA_DIR: dataDir });
    // Uploaded files as the upload code stores them (SHA-256 names), with their rows.
    await t.database.db.transaction(async (tx) => {
      await storeFile(tx, PDF, { dataDir, territoryId: null, uploadedBy: null, originalName: "compte-rendu.pdf", allowed: ["pdf", "png"], maxBytes: 1e6 });
      await storeFile(tx, PNG, { dataDir, territoryId: null, uploadedBy: null, originalName: "logo.png", allowed: ["pdf", "png"], maxBytes: 1e6 });
    });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    for (const x of targets) {
      await x.db?.close();
      if (kind === "postgres") {
        const admin = await openPostgres(inject("pgUrl"), { max: 1 });
        await admin.exec(`DROP DATABASE IF EXISTS ${x.url.split("/").pop()} WITH (FORCE)`);
        await admin.close();
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** An empty target: a new DATA_DIR, and for PostgreSQL a new empty database. */
  async function emptyTarget(): Promise<{ dataDir: string; databaseUrl?: string }> {
    const target = join(dir, `cible-${randomBytes(3).toString("hex")}`);
    if (kind === "pglite") return { dataDir: target };
    const name = `r_${randomBytes(5).toString("hex")}`;
    const admin = await openPostgres(inject("pgUrl"), { max: 1 });
    await admin.exec(`CREATE DATABASE ${name} TEMPLATE template0`);
    await admin.close();
    const url = inject("pgUrl").replace(/\/postgres$/, `/${name}`);
    targets.push({ url });
    return { dataDir: target, databaseUrl: url };
  }

  async function open(target: { dataDir: string; databaseUrl?: string }): Promise<Database> {
    const db = target.databaseUrl ? await openPostgres(target.databaseUrl, { max: 2 }) : await openPglite(target.dataDir);
    targets.push({ url: target.databaseUrl ?? "", db });
    return db;
  }

  it("takes a consistent backup while transactions keep committing, and restores whole transactions only", async () => {
    let stop = false;
    let committed = 0;
    // Each transaction writes two entries of one request id: a restore must never hold one alone.
    const writer = (async () => {
      while (!stop) {
        const rid = `sauvegarde-${committed}`;
        await t.database.db.transaction(async (tx) => {
          await recordAudit(tx, { actor: ANONYMOUS, role: "test", requestId: rid }, { action: "create", entity: "test", entityId: 1, after: { n: 1 } });
          await recordAudit(tx, { actor: ANONYMOUS, role: "test", requestId: rid }, { action: "update", entity: "test", entityId: 1, after: { n: 2 } });
        });
        committed++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    await new Promise((r) => setTimeout(r, 100));
    const out = join(dir, "pendant-les-ecritures.tar");
    const summary = await createBackup(t.database, dataDir, out);
    const atBackup = committed;
    await new Promise((r) => setTimeout(r, 100));
    stop = true;
    await writer;
    expect(summary).toMatch(/^Sauvegarde écrite : .* tables, \d+ lignes, 2 fichiers/);
    expect(atBackup).toBeGreaterThan(0);

    const target = await emptyTarget();
    const restored = await restoreBackup(out, target);
    expect(restored).toMatch(/^Restauration terminée et vérifiée : \d+ tables .* et 2 fichiers identiques/);
    const db = await open(target);
    const pairs = await db.query<{ n: number }>("select count(*)::int as n from audit_log where request_id like 'sauvegarde-%' group by request_id having count(*) <> 2");
    expect(pairs).toEqual([]);
    const [{ n }] = await db.query<{ n: number }>("select count(*)::int as n from audit_log where request_id like 'sauvegarde-%'");
    expect(Number(n)).toBeGreaterThan(0);
    expect(Number(n) % 2).toBe(0);
  }, 120_000);

  it("restores every table and every uploaded file identical to the original", async () => {
    const out = join(dir, "au-calme.tar");
    await createBackup(t.database, dataDir, out);
    const index = readTarIndex(out);
    const manifest = JSON.parse(readTarEntry(out, index.find((e) => e.name === "manifeste.json")!).toString()) as Manifest;
    expect(manifest.database).toBe(kind);
    expect(manifest.migrations).toBeGreaterThan(0);

    const target = await emptyTarget();
    await restoreBackup(out, target);
    const db = await open(target);
    const [original, copy] = [await fingerprints(t.database), await fingerprints(db)];
    expect(Object.keys(copy).length).toBeGreaterThan(30);
    expect(copy).toEqual(original);
    // Every file, byte for byte.
    const files = listFiles(dataDir);
    expect(files).toHaveLength(2);
    expect(listFiles(target.dataDir)).toEqual(files);
    for (const f of files) expect(readFileSync(join(target.dataDir, f.path)).equals(readFileSync(join(dataDir, f.path)))).toBe(true);
    // The restored instance keeps working: its sequences go on after the restored ids.
    const [{ id }] = await db.query<{ id: number }>("insert into audit_log (action, entity, actor_role) values ('create', 'test', 'test') returning id");
    const [{ m }] = await t.database.query<{ m: number }>("select max(id)::int as m from audit_log");
    expect(Number(id)).toBeGreaterThan(Number(m));
  }, 120_000);

  it("refuses a target that already holds data, a damaged archive and a file that is not a backup, writing nothing", async () => {
    const out = join(dir, "refus.tar");
    await createBackup(t.database, dataDir, out);
    await expect(createBackup(t.database, dataDir, out)).rejects.toThrow(/existe déjà/);

    const target = await emptyTarget();
    await restoreBackup(out, target);
    const before = await fingerprints(await open(target));
    await expect(restoreBackup(out, target)).rejects.toThrow(kind === "pglite" ? /contient déjà une base/ : /n'est pas vide/);
    expect(await fingerprints(targets[targets.length - 1].db!)).toEqual(before);

    const damaged = join(dir, "abimee.tar");
    writeFileSync(damaged, readFileSync(out));
    truncateSync(damaged, Math.floor(readFileSync(out).length / 2));
    const t2 = await emptyTarget();
    await expect(restoreBackup(damaged, t2)).rejects.toThrow(/tronquée|incomplète|manque/);
    expect(existsSync(join(t2.dataDir, "pgdata", "PG_VERSION"))).toBe(false);

    const notBackup = join(dir, "pas-une-sauvegarde.tar");
    writeFileSync(notBackup, "bonjour".repeat(200));
    await expect(restoreBackup(notBackup, await emptyTarget())).rejects.toThrow(/pas une sauvegarde Collines|tronquée/);
  }, 120_000);
});
