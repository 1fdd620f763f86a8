// The real server as an operator runs it: `collines serve` on a data directory, the lock, the
// control socket, graceful stop, idempotent restart, and the PostgreSQL mode.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { freePort } from "../scripts/lib/pg-cluster.mjs";
import { openPglite, openPostgres } from "../src/core/db/client.ts";
import { REF, TEST_PASSWORD } from "./helpers/app.ts";

const ROOT = new URL("..", import.meta.url).pathname;

interface Proc {
  child: ChildProcess;
  out: () => string;
  exit: Promise<number | null>;
}

/** Runs `node --import tsx src/main.ts …` with a clean environment plus `env`. */
function run(args: string[], env: Record<string, string>, stdin?: string): Proc {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !["DATABASE_URL", "DATA_DIR", "PORT", "BASE_URL"].includes(k))) as Record<string, string>;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", ...args], {
    cwd: ROOT,
    env: { ...base, NODE_ENV: "test", HOST: "127.0.0.1", LOG_LEVEL: "warn", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  child.stdin!.end(stdin ?? "");
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, out: () => out, exit };
}

async function waitFor(p: Proc, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void p.exit.then(() => (exited = true));
  for (;;) {
    const m = pattern.exec(p.out());
    if (m) return m;
    if (exited || Date.now() > deadline) throw new Error(`${pattern} not seen ${exited ? "(process exited)" : "in time"}:\n${p.out()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops a server with SIGTERM and returns its exit code. */
async function stop(p: Proc): Promise<number | null> {
  p.child.kill("SIGTERM");
  return p.exit;
}

/** Signs in over real HTTP (CSRF token and cookie from the form first). */
async function signIn(base: string, email: string, password: string): Promise<number> {
  const form = await fetch(`${base}/connexion`);
  const cookie = form.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
  const res = await fetch(`${base}/connexion`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ _csrf: token, email, password }).toString(),
  });
  return res.status;
}

const COUNTED = ["territories", "plan_actions", "plan_themes", "governance_members", "geo_communes", "audit_log", "users"];

async function countRows(dataDir: string): Promise<Record<string, number>> {
  const db = await openPglite(dataDir);
  try {
    const out: Record<string, number> = {};
    for (const t of COUNTED) out[t] = Number((await db.query<{ n: number }>(`select count(*)::int as n from ${t}`))[0].n);
    return out;
  } finally {
    await db.close();
  }
}

describe("the server process on its embedded database", () => {
  let dataDir: string;
  let port: number;
  let base: string;
  let server: Proc | undefined;
  const email = `agent-${randomBytes(3).toString("hex")}@exemple.fr`;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "collines-process-"));
    port = await freePort();
    base = `http://localhost:${port}`;
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("migrates and seeds on first start, prints the one-time first-admin link and serves the plan", async () => {
    server = run(["serve"], { DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(server, /Collines est prêt/, 120_000);
    const link = (await waitFor(server, /(http:\/\/localhost:\d+\/installation\/[A-Za-z0-9_-]+)/, 1000))[1];
    expect(server.out()).toContain("Aucun compte n'existe encore");
    expect(existsSync(join(dataDir, "collines.lock"))).toBe(true);
    expect((await fetch(link)).status).toBe(200);
    const plan = await fetch(`${base}/api/v1/territories/${REF}/plan`);
    expect(plan.status).toBe(200);
    const body = (await plan.json()) as { themes: { objectives: { actions: unknown[] }[] }[] };
    expect(body.themes.flatMap((t) => t.objectives.flatMap((o) => o.actions))).toHaveLength(19);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  }, 150_000);

  it("refuses a second server on the same data directory at once, in French", async () => {
    const second = run(["serve"], { DATA_DIR: dataDir, PORT: String(await freePort()) });
    const started = Date.now();
    const code = await second.exit;
    expect(code).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(second.out()).toContain("est déjà utilisé par un autre processus Collines");
    // The running server is untouched.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  }, 30_000);

  it("creates an account through the running server's control socket, and that account signs in", async () => {
    const add = run(["user", "add", "--email", email, "--name", "Agent Process", "--territory", REF, "--role", "agent"], { DATA_DIR: dataDir }, `${TEST_PASSWORD}\n`);
    expect(await add.exit, add.out()).toBe(0);
    expect(add.out()).toContain(`Compte créé : ${email}`);
    expect(add.out()).not.toContain("Mot de passe provisoire");
    const list = run(["user", "list"], { DATA_DIR: dataDir });
    expect(await list.exit).toBe(0);
    expect(list.out()).toContain(email);
    expect(await signIn(base, email, TEST_PASSWORD)).toBe(303);
    expect(await signIn(base, email, "mauvais-mot-de-passe")).toBe(422);
    // A bad command through the socket fails with a French message and a non-zero code.
    const bad = run(["user", "add", "--email", email, "--name", "Doublon"], { DATA_DIR: dataDir }, `${TEST_PASSWORD}\n`);
    expect(await bad.exit).not.toBe(0);
    expect(bad.out()).toContain("Un compte existe déjà");
  }, 60_000);

  it("on SIGTERM lets an in-flight request finish, then exits 0 and removes the lock", async () => {
    const form = await fetch(`${base}/connexion`);
    const cookie = form.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
    const payload = new URLSearchParams({ _csrf: token, email, password: TEST_PASSWORD }).toString();
    const answered = new Promise<number>((resolve, reject) => {
      const req = request(
        { host: "127.0.0.1", port, method: "POST", path: "/connexion", headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(payload), cookie } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      // Half the body now, the rest after the server was told to stop.
      req.write(payload.slice(0, 10));
      setTimeout(() => {
        server!.child.kill("SIGTERM");
        setTimeout(() => req.end(payload.slice(10)), 500);
      }, 300);
    });
    expect(await answered).toBe(303);
    expect(await server!.exit).toBe(0);
    expect(server!.out()).not.toMatch(/Error|erreur/i);
    expect(existsSync(join(dataDir, "collines.lock"))).toBe(false);
    expect(existsSync(join(dataDir, "collines.sock"))).toBe(false);
  }, 60_000);

  it("restarts on the same data directory without changing anything (idempotent seed, no new link)", async () => {
    const before = await countRows(dataDir);
    expect(before.territories).toBe(2);
    expect(before.plan_actions).toBe(39);
    expect(before.users).toBe(1);
    server = run(["serve"], { DATA_DIR: dataDir, PORT: String(port) });
    await waitFor(server, /Collines est prêt/, 90_000);
    expect(server.out()).not.toContain("Aucun compte n'existe encore");
    expect((await fetch(`${base}/t/${REF}/plan`)).status).toBe(200);
    expect(await signIn(base, email, TEST_PASSWORD)).toBe(303);
    expect(await stop(server)).toBe(0);
    expect(await countRows(dataDir)).toEqual(before);
  }, 150_000);
});

describe.skipIf(!inject("pgUrl"))("the server process on PostgreSQL (DATABASE_URL)", () => {
  let dbName: string;
  let url: string;

  beforeAll(async () => {
    dbName = `proc_${randomBytes(5).toString("hex")}`;
    const admin = await openPostgres(inject("pgUrl"), { max: 1 });
    await admin.exec(`CREATE DATABASE ${dbName}`);
    await admin.close();
    url = inject("pgUrl").replace(/\/postgres$/, `/${dbName}`);
  });
  afterAll(async () => {
    const admin = await openPostgres(inject("pgUrl"), { max: 1 });
    await admin.exec(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.close();
  });

  it("migrates, seeds and serves the plan from a fresh database, and stops cleanly", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "collines-process-pg-"));
    const port = await freePort();
    const server = run(["serve"], { DATABASE_URL: url, DATA_DIR: dataDir, PORT: String(port) });
    try {
      await waitFor(server, /Collines est prêt : .*\(base PostgreSQL\)/, 90_000);
      expect(server.out()).toContain("Aucun compte n'existe encore");
      // No PGlite lock or socket: the data directory is not the database.
      expect(existsSync(join(dataDir, "collines.lock"))).toBe(false);
      const res = await fetch(`http://localhost:${port}/t/${REF}/plan`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("4 thématiques, 12 objectifs et 19 actions.");
      expect(((await (await fetch(`http://localhost:${port}/readyz`)).json()) as { database: string }).database).toBe("postgres");
      expect(await stop(server)).toBe(0);
      // A second run of the seed changes nothing.
      const seed = run(["seed"], { DATABASE_URL: url, DATA_DIR: dataDir });
      expect(await seed.exit, seed.out()).toBe(0);
      const db = await openPostgres(url, { max: 1 });
      const [{ n }] = await db.query<{ n: number }>("select count(*)::int as n from plan_actions");
      await db.close();
      expect(n).toBe(39);
    } finally {
      if (server.child.exitCode === null) server.child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
