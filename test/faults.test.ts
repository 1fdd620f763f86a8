// Faults (issue 7), on the real server process (`bin/collines.mjs serve`):
// - kill -9 during a stream of writes on the embedded database, restart: the database opens, passes
//   amcheck (every B-tree index against its table, every heap) and holds every write answered 2xx/3xx;
//   then `collines backup` through the running server and `collines restore` into an empty DATA_DIR;
// - a PostgreSQL restart under load: 503 meanwhile (never 500), the process lives, and it comes back
//   by itself (the time is printed);
// - a start with PostgreSQL unreachable: a French message, exit code ≠ 0;
// - a start on a database left at the previous migration: the new code migrates it, data kept;
// - no room left for uploads: a French refusal, no partial file, no row.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, inject, it } from "vitest";
import { freePort, startPgCluster } from "../scripts/lib/pg-cluster.mjs";
import { MIGRATIONS_DIR, openPglite, openPostgres, type Database } from "../src/core/db/client.ts";
import { sha256 } from "../src/core/auth/session.ts";
import { storeFile, UploadRejected } from "../src/core/files/index.ts";
import { tableFingerprints } from "../src/core/ops/backup.ts";
import { REF } from "./helpers/app.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const run = promisify(execFile);
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Proc {
  child: ChildProcess;
  out: () => string;
  exit: Promise<number | null>;
}

/** The test's environment without the variables a command takes from us, plus `env`. */
function cleanEnv(env: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["DATABASE_URL", "DATA_DIR", "PORT", "BASE_URL"].includes(k))) as Record<string, string>;
  return { ...base, NODE_ENV: "test", HOST: "127.0.0.1", LOG_LEVEL: "warn", ...env };
}

/** `node bin/collines.mjs …` (a server, or any command) with a clean environment plus `env`. */
function collines(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ["bin/collines.mjs", ...args], { cwd: ROOT, env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return { child, out: () => out, exit };
}

async function ready(p: Proc, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!/Collines est prêt/.test(p.out())) {
    if (p.child.exitCode !== null || Date.now() > deadline) throw new Error(`Le serveur n'a pas démarré :\n${p.out()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Polls /readyz until 200 (right after a start the stuck-event-loop guard may still answer 503). */
async function readyz(base: string, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let status = 0;
  while (Date.now() < deadline) {
    status = await fetch(`${base}/readyz`).then((r) => r.status, () => 0);
    if (status === 200) return status;
    await new Promise((r) => setTimeout(r, 250));
  }
  return status;
}

/** A platform administrator with an open session, written straight into a database. */
async function adminSession(db: Database): Promise<string> {
  const token = randomBytes(24).toString("base64url");
  const [u] = await db.query<{ id: number }>("insert into users (email, display_name, is_platform_admin) values ($1, 'Admin pannes', true) returning id", [`pannes-${randomBytes(3).toString("hex")}@exemple.fr`]);
  await db.query("insert into sessions (id_hash, user_id, expires_at) values ($1, $2, now() + interval '1 day')", [sha256(token), u.id]);
  return token;
}

/** A browser of a signed-in person: session cookie, CSRF pair. */
async function browser(base: string, session: string) {
  const page = await fetch(`${base}/connexion`);
  const secret = page.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.startsWith("collines_csrf="))!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
  const cookie = `${secret}; collines_session=${session}`;
  return {
    get: (path: string) => fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" }),
    post: (path: string, form: Record<string, string>) =>
      fetch(`${base}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: token, ...form }).toString(),
      }),
  };
}

/** Writers posting new contacts until stopped; returns the services acknowledged (303). */
function writeStream(b: Awaited<ReturnType<typeof browser>>, tag: string, writers = 6) {
  const acknowledged: string[] = [];
  const statuses = new Map<number | string, number>();
  let stop = false;
  let n = 0;
  const loops = Array.from({ length: writers }, async () => {
    while (!stop) {
      const service = `${tag} ${++n}`;
      let status: number | string;
      try {
        const res = await b.post(`/t/${REF}/gestion/coordonnees/nouveau`, { service, phone: "02 31 00 00 00", email: "", address: "" });
        await res.arrayBuffer();
        status = res.status;
        if (status === 303) acknowledged.push(service);
      } catch {
        status = "connexion perdue";
        await new Promise((r) => setTimeout(r, 50));
      }
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
  });
  return {
    acknowledged,
    statuses,
    stop: async () => {
      stop = true;
      await Promise.all(loops);
    },
  };
}

/** amcheck on every B-tree index (with heapallindexed) and every table's heap: the corruptions found. */
async function amcheck(db: Database): Promise<string[]> {
  await db.exec("create extension if not exists amcheck");
  const problems: string[] = [];
  const indexes = await db.query<{ oid: number; name: string }>(
    "select c.oid::int as oid, c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid join pg_am am on am.oid = c.relam join pg_namespace n on n.oid = c.relnamespace where am.amname = 'btree' and n.nspname in ('public', 'drizzle') and c.relpersistence = 'p'",
  );
  for (const ix of indexes) {
    try {
      await db.query("select bt_index_check($1::oid::regclass, true)", [ix.oid]);
    } catch (e) {
      problems.push(`index ${ix.name} : ${(e as Error).message}`);
    }
  }
  const tables = await db.query<{ oid: number; name: string }>("select c.oid::int as oid, c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind = 'r' and n.nspname in ('public', 'drizzle')");
  for (const t of tables) {
    const rows = await db.query<{ msg: string }>("select msg from verify_heapam($1::oid::regclass)", [t.oid]);
    for (const r of rows) problems.push(`table ${t.name} : ${r.msg}`);
  }
  expect(indexes.length).toBeGreaterThan(50);
  return problems;
}

/** A DATA_DIR holding the run's seeded template (a start needs no seeding then). */
async function seededDataDir(): Promise<{ dataDir: string; session: string }> {
  const dir = mkdtempSync(join(tmpdir(), "collines-pannes-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const dataDir = join(dir, "data");
  const db = await openPglite(dataDir, { loadDataDir: new Blob([new Uint8Array(readFileSync(inject("pgliteTemplate")))]) });
  const session = await adminSession(db);
  await db.close();
  return { dataDir, session };
}

describe("faults on the embedded database", () => {
  it("survives kill -9 during writes: the database opens, passes amcheck and holds every acknowledged write; backup and restore through the CLI", async () => {
    const { dataDir, session } = await seededDataDir();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = { DATA_DIR: dataDir, PORT: String(port), BASE_URL: `http://localhost:${port}` };
    const first = collines(["serve"], env);
    await ready(first);
    const stream = writeStream(await browser(base, session), "Panne");
    // Killed in the middle of the stream, once it is well under way.
    const until = Date.now() + 20_000;
    while (stream.acknowledged.length < 40 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    first.child.kill("SIGKILL");
    await first.exit;
    await stream.stop();
    const acknowledged = [...stream.acknowledged];
    expect(acknowledged.length, JSON.stringify(Object.fromEntries(stream.statuses))).toBeGreaterThanOrEqual(40);
    expect(stream.statuses.get(500)).toBeUndefined();

    // The lock of the killed process is taken over; recovery replays the WAL.
    const started = Date.now();
    const second = collines(["serve"], env);
    await ready(second);
    const restartMs = Date.now() - started;
    expect(await readyz(base)).toBe(200);

    // A backup through the running server, then a clean stop.
    const archive = join(dataDir, "..", "sauvegarde.tar");
    const backup = await run(process.execPath, ["bin/collines.mjs", "backup", "--out", archive], { cwd: ROOT, env: cleanEnv(env) });
    expect(backup.stdout).toMatch(/Sauvegarde écrite/);
    second.child.kill("SIGTERM");
    expect(await second.exit).toBe(0);

    const db = await openPglite(dataDir);
    try {
      expect(await amcheck(db)).toEqual([]);
      const rows = await db.query<{ service: string }>("select service from territory_contacts where service like 'Panne %'");
      const stored = new Set(rows.map((r) => r.service));
      expect(acknowledged.filter((s) => !stored.has(s))).toEqual([]);
      // Each stored contact has its audit entry (same transaction).
      const [{ n }] = await db.query<{ n: number }>(
        "select count(*)::int as n from territory_contacts c where c.service like 'Panne %' and not exists (select 1 from audit_log a where a.entity = 'territory_contact' and a.entity_id = c.id::text)",
      );
      expect(Number(n)).toBe(0);
      console.log(`kill -9 : ${acknowledged.length} écritures acquittées, toutes présentes après redémarrage (${rows.length} en base), redémarrage en ${restartMs} ms, amcheck sans erreur`);

      // Restore into an empty DATA_DIR through the CLI: identical tables.
      const target = join(dataDir, "..", "restauree");
      const restore = await run(process.execPath, ["bin/collines.mjs", "restore", "--from", archive], { cwd: ROOT, env: cleanEnv({ DATA_DIR: target }) });
      expect(restore.stdout).toMatch(/Restauration terminée et vérifiée/);
      const copy = await openPglite(target);
      try {
        expect(await tableFingerprints((sql) => copy.query(sql))).toEqual(await tableFingerprints((sql) => db.query(sql)));
      } finally {
        await copy.close();
      }
    } finally {
      await db.close();
    }
  }, 240_000);

  it("starts on a database left at the previous migration: migrates it forward, data kept", async () => {
    const dir = mkdtempSync(join(tmpdir(), "collines-migration-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    // The migrations folder as the previous version shipped it: every migration but the last.
    const previous = join(dir, "migrations");
    mkdirSync(join(previous, "meta"), { recursive: true });
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, "meta", "_journal.json"), "utf8")) as { entries: { tag: string }[] };
    const kept = journal.entries.slice(0, -1);
    writeFileSync(join(previous, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: kept }));
    for (const e of kept) writeFileSync(join(previous, `${e.tag}.sql`), readFileSync(join(MIGRATIONS_DIR, `${e.tag}.sql`)));
    const dataDir = join(dir, "data");
    const old = await openPglite(dataDir);
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(old.db as never, { migrationsFolder: previous });
    await old.query("insert into users (email, display_name) values ('ancien@exemple.fr', 'Compte d''avant la mise à jour')");
    await old.close();

    const port = await freePort();
    const server = collines(["serve"], { DATA_DIR: dataDir, PORT: String(port), BASE_URL: `http://localhost:${port}` });
    await ready(server, 150_000);
    expect(await readyz(`http://127.0.0.1:${port}`)).toBe(200);
    server.child.kill("SIGTERM");
    await server.exit;
    const db = await openPglite(dataDir);
    try {
      const [{ n }] = await db.query<{ n: number }>("select count(*)::int as n from drizzle.__drizzle_migrations");
      expect(Number(n)).toBe(journal.entries.length);
      expect(await db.query("select display_name from users where email = 'ancien@exemple.fr'")).toEqual([{ display_name: "Compte d'avant la mise à jour" }]);
    } finally {
      await db.close();
    }
  }, 240_000);

  it("refuses an upload with a French message when the disk is full, leaving no partial file and no row", async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), "collines-plein-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const files = join(dir, "files");
    mkdirSync(files);
    try {
      await run("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", files]);
    } catch {
      // Mounting needs root (CI runs as root); elsewhere this case cannot be staged.
      console.log("disque plein : mount tmpfs impossible (pas root), cas non joué");
      ctx.skip();
      return;
    }
    cleanups.push(async () => {
      await run("umount", ["-l", files]).catch(() => {});
    });
    const db = await openPglite(undefined, { loadDataDir: new Blob([new Uint8Array(readFileSync(inject("pgliteTemplate")))]) });
    try {
      const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), randomBytes(400 * 1024), Buffer.from("\n%%EOF\n")]);
      const [{ n: before }] = await db.query<{ n: number }>("select count(*)::int as n from files");
      const attempt = db.db.transaction((tx) => storeFile(tx, pdf, { dataDir: dir, territoryId: null, uploadedBy: null, originalName: "gros.pdf", allowed: ["pdf"], maxBytes: 10 * 1024 * 1024 }));
      await expect(attempt).rejects.toThrow(UploadRejected);
      await expect(attempt).rejects.toThrow(/plus de place/);
      const [{ n: after }] = await db.query<{ n: number }>("select count(*)::int as n from files");
      expect(after).toBe(before);
      const left: string[] = [];
      const walk = (d: string) => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          if (e.isDirectory()) walk(join(d, e.name));
          else left.push(e.name);
        }
      };
      walk(files);
      expect(left).toEqual([]);
    } finally {
      await db.close();
    }
  }, 60_000);
});

describe.skipIf(process.env.COLLINES_TEST_PG === "off")("faults on PostgreSQL", () => {
  it("refuses to start when the database is unreachable, in French, with a non-zero exit code", async () => {
    const closed = await freePort();
    const p = collines(["serve"], { DATABASE_URL: `postgres://collines:secret@127.0.0.1:${closed}/collines`, PORT: String(await freePort()), DATA_DIR: join(tmpdir(), "collines-inaccessible") });
    const code = await p.exit;
    expect(code).not.toBe(0);
    expect(p.out()).toContain("Impossible d'ouvrir la base PostgreSQL (127.0.0.1:");
    expect(p.out()).toContain("connexion refusée");
    expect(p.out()).not.toContain("secret");
  }, 60_000);

  it("answers 503 while PostgreSQL restarts under load, never crashes, and comes back by itself", async () => {
    const cluster = await startPgCluster();
    cleanups.push(() => cluster.stop());
    // The seeded template of the run, copied into this cluster (pg_dump | pg_restore).
    const dump = join(cluster.dir, "template.pgdump");
    const src = inject("pgUrl").replace(/\/postgres$/, "/collines_template");
    await run(join(cluster.bin, "pg_dump"), ["--format=custom", "--no-owner", `--file=${dump}`, src]);
    await run(join(cluster.bin, "pg_restore"), ["--no-owner", `--dbname=${cluster.url}`, dump]);
    const admin = await openPostgres(cluster.url, { max: 1 });
    const session = await adminSession(admin);
    await admin.close();

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const server = collines(["serve"], { DATABASE_URL: cluster.url, PORT: String(port), BASE_URL: `http://localhost:${port}`, DATA_DIR: join(cluster.dir, "app") });
    await ready(server);
    const b = await browser(base, session);
    const stream = writeStream(b, "Redémarrage", 4);
    const reads = new Map<number | string, number>();
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const res = await b.get(`/t/${REF}/gestion`).catch(() => undefined);
        const s = res?.status ?? "connexion perdue";
        await res?.arrayBuffer();
        reads.set(s, (reads.get(s) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    await new Promise((r) => setTimeout(r, 1000));
    // Down for 3 s, then up again.
    const ctl = (args: string[]) => run("runuser", ["-u", "postgres", "--", join(cluster.bin, "pg_ctl"), "-D", cluster.data, ...args]);
    const opts = `-p ${cluster.port} -k ${cluster.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=128MB`;
    await ctl(["-m", "fast", "-w", "stop"]);
    let during = 0;
    const downUntil = Date.now() + 3000;
    while (Date.now() < downUntil) {
      const res = await b.get(`/t/${REF}/gestion`);
      await res.arrayBuffer();
      if (res.status === 503) {
        during++;
        expect(res.headers.get("retry-after")).toBeTruthy();
      }
      expect(res.status).not.toBe(500);
      await new Promise((r) => setTimeout(r, 100));
    }
    await ctl(["-o", opts, "-l", join(cluster.dir, "log"), "-w", "-t", "60", "start"]);
    const up = Date.now();
    let back = -1;
    while (Date.now() - up < 30_000) {
      const res = await b.get(`/t/${REF}/gestion`);
      await res.arrayBuffer();
      if (res.status === 200) {
        back = Date.now() - up;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    // Writes go through again.
    const after = await b.post(`/t/${REF}/gestion/coordonnees/nouveau`, { service: "Après redémarrage", phone: "", email: "", address: "" });
    reading = false;
    await reader;
    await stream.stop();
    console.log(
      `redémarrage PostgreSQL : ${during} réponses 503 pendant la coupure de 3 s, de retour ${back} ms après le redémarrage ; lectures ${JSON.stringify(Object.fromEntries(reads))}, écritures ${JSON.stringify(Object.fromEntries(stream.statuses))}`,
    );
    expect(during).toBeGreaterThan(0);
    expect(back).toBeGreaterThanOrEqual(0);
    expect(after.status).toBe(303);
    expect(server.child.exitCode).toBeNull();
    expect(reads.get(500)).toBeUndefined();
    expect(stream.statuses.get(500)).toBeUndefined();
    // Every acknowledged write is there.
    const check = await openPostgres(cluster.url, { max: 1 });
    try {
      const rows = await check.query<{ service: string }>("select service from territory_contacts where service like 'Redémarrage %'");
      const stored = new Set(rows.map((r) => r.service));
      expect(stream.acknowledged.filter((s) => !stored.has(s))).toEqual([]);
    } finally {
      await check.close();
    }
    server.child.kill("SIGTERM");
    await server.exit;
    expect(existsSync(cluster.data)).toBe(true);
  }, 240_000);
});
