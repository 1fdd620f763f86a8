// `npm run bench:soak`: simulated users against the real server (a child process), on the embedded
// database and on PostgreSQL, mixing reads (public portal, API, back-office) and writes (follow-up
// notes, contacts, themes, platform settings, and every write route below that exists at run time).
// Reports errors (goal: 0), throughput and latency percentiles, then checks in the database that
// every acknowledged write (answered 303) is there.
//
// Environment: SOAK_USERS (default 200), SOAK_DURATION (seconds, default 60), SOAK_THINK_MS (upper
// bound of the pause between two requests of a user, default 500), SOAK_DATABASES (default
// "pglite,postgres").
import { randomBytes, createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request, Agent } from "node:http";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { ensureDebianPackages, freePort, pgBinDir, startPgCluster } from "../scripts/lib/pg-cluster.mjs";
import { openPglite, openPostgres, type Database } from "../src/core/db/client.ts";
import { prepareDatabase } from "../src/setup.ts";
import { allRoutes } from "../src/modules/index.ts";
import { Cleanup, sleep, startNode, stopChild, waitReady } from "./lib.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const USERS = Number(process.env.SOAK_USERS ?? 200);
const DURATION = Number(process.env.SOAK_DURATION ?? 60);
const THINK = Number(process.env.SOAK_THINK_MS ?? 500);
const DATABASES = (process.env.SOAK_DATABASES ?? "pglite,postgres").split(",").map((s) => s.trim()) as ("pglite" | "postgres")[];
const SLUG = "collines-de-normandie";
const STAFF = Math.max(2, Math.round(USERS * 0.3));

interface World {
  sessions: string[];
  userIds: number[];
  adminSession: string;
  actionIds: number[];
  /** Published workshops with room for everyone (when the participation module has its routes). */
  workshopIds: number[];
}

/** Registration to a workshop: a write of the participation module, used when the route exists. */
const REGISTRATION = allRoutes().some((r) => r.method === "POST" && r.url === "/t/:slug/ateliers/:id/inscription");

/** Staff accounts with open sessions, written before the server starts. */
async function prepareWorld(db: Database): Promise<World> {
  await prepareDatabase(db);
  const [t] = await db.query<{ id: number }>("select id from territories where slug = $1", [SLUG]);
  const actionIds = (await db.query<{ id: number }>("select id from plan_actions where territory_id = $1 and archived_at is null and visibility = 'published' order by id", [t.id])).map((r) => r.id);
  const open = async (userId: number) => {
    const token = randomBytes(24).toString("base64url");
    await db.query("insert into sessions (id_hash, user_id, expires_at) values ($1, $2, now() + interval '1 day')", [createHash("sha256").update(token).digest("hex"), userId]);
    return token;
  };
  const sessions: string[] = [];
  const userIds: number[] = [];
  for (let i = 0; i < STAFF; i++) {
    const [u] = await db.query<{ id: number }>("insert into users (email, display_name) values ($1, $2) returning id", [`soak-${i}-${randomBytes(3).toString("hex")}@exemple.fr`, `Agent endurance ${i}`]);
    await db.query("insert into memberships (user_id, territory_id, role) values ($1, $2, 'agent')", [u.id, t.id]);
    sessions.push(await open(u.id));
    userIds.push(u.id);
  }
  const workshopIds: number[] = [];
  if (REGISTRATION) {
    for (let i = 0; i < 40; i++) {
      const [w] = await db.query<{ id: number }>(
        "insert into part_workshops (territory_id, title, starts_at, ends_at, place, capacity, status, ics_uid) values ($1, $2, now() + interval '10 days', now() + interval '10 days 2 hours', 'Salle d''endurance', 100000, 'published', $3) returning id",
        [t.id, `Atelier d'endurance ${i}`, `soak-${randomBytes(6).toString("hex")}@collines`],
      );
      workshopIds.push(w.id);
    }
  }
  const [admin] = await db.query<{ id: number }>("insert into users (email, display_name, is_platform_admin) values ($1, 'Admin endurance', true) returning id", [`soak-admin-${randomBytes(3).toString("hex")}@exemple.fr`]);
  return { sessions, userIds, adminSession: await open(admin.id), actionIds, workshopIds };
}

const agent = new Agent({ keepAlive: true, maxSockets: USERS + 10 });

interface Answer {
  status: number;
  ms: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function http(base: string, method: "GET" | "POST", path: string, cookie: string, form?: Record<string, string>): Promise<Answer> {
  return new Promise((resolve) => {
    const started = performance.now();
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const req = request(
      `${base}${path}`,
      { method, agent, timeout: 60_000, headers: { cookie, ...(body ? { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
        res.on("error", () => resolve({ status: -1, ms: performance.now() - started, body: "", headers: {} }));
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve({ status: -1, ms: performance.now() - started, body: "", headers: {} }));
    req.end(body);
  });
}

interface Stats {
  /** The first words of each distinct error answer, with how often it came. */
  errorSamples: Map<string, number>;
  byKind: Map<string, { n: number; errors: number; ms: number[] }>;
  statuses: Map<number, number>;
  acknowledged: { notes: string[]; contacts: string[]; themes: string[]; settings: number; registrations: [number, number][] };
}

function record(stats: Stats, kind: string, a: Answer, ok: (s: number) => boolean) {
  const k = stats.byKind.get(kind) ?? { n: 0, errors: 0, ms: [] };
  k.n++;
  k.ms.push(a.ms);
  if (!ok(a.status)) {
    k.errors++;
    const sample = `${a.status} ${a.body.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim().slice(0, 90)}`;
    stats.errorSamples.set(sample, (stats.errorSamples.get(sample) ?? 0) + 1);
  }
  stats.byKind.set(kind, k);
  stats.statuses.set(a.status, (stats.statuses.get(a.status) ?? 0) + 1);
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

async function soak(base: string, world: World): Promise<Stats & { seconds: number }> {
  const stats: Stats = { errorSamples: new Map(), byKind: new Map(), statuses: new Map(), acknowledged: { notes: [], contacts: [], themes: [], settings: 0, registrations: [] } };
  // One CSRF pair for everyone (the token is bound to the cookie secret, not to the session).
  const page = await http(base, "GET", "/connexion", "");
  const secret = String((page.headers["set-cookie"] as string[]).find((c) => c.startsWith("collines_csrf="))!.split(";")[0]);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
  const deadline = Date.now() + DURATION * 1000;
  let n = 0;
  const ok2 = (s: number) => s === 200;
  const ok303 = (s: number) => s === 303;
  const action = () => world.actionIds[Math.floor(Math.random() * world.actionIds.length)];
  const registered = new Map<number, number>();

  const user = async (i: number) => {
    const staff = i < STAFF ? world.sessions[i] : undefined;
    const cookie = staff ? `${secret}; collines_session=${staff}` : secret;
    await sleep(Math.random() * THINK);
    while (Date.now() < deadline) {
      const r = Math.random();
      if (!staff) {
        // Anonymous visitors: the portal and the open API.
        const [kind, path] =
          r < 0.3 ? ["lecture: accueil", `/t/${SLUG}`] : r < 0.6 ? ["lecture: plan", `/t/${SLUG}/plan`] : r < 0.85 ? ["lecture: fiche action", `/t/${SLUG}/actions/${action()}`] : ["lecture: API plan", `/api/v1/territories/${SLUG}/plan`];
        record(stats, kind, await http(base, "GET", path, cookie), ok2);
      } else if (r < 0.45) {
        record(stats, "lecture: gestion", await http(base, "GET", `/t/${SLUG}/gestion`, cookie), ok2);
      } else if (r < 0.52 && world.workshopIds.length) {
        // Each agent registers once to each workshop, in order.
        const done = registered.get(i) ?? 0;
        if (done < world.workshopIds.length) {
          registered.set(i, done + 1);
          const w = world.workshopIds[done];
          const a = await http(base, "POST", `/t/${SLUG}/ateliers/${w}/inscription`, cookie, { _csrf: token });
          record(stats, "écriture: inscription à un atelier", a, ok303);
          if (a.status === 303) stats.acknowledged.registrations.push([w, world.userIds[i]]);
        }
      } else if (r < 0.6) {
        record(stats, "lecture: suivi d'action", await http(base, "GET", `/t/${SLUG}/gestion/actions/${action()}/suivi`, cookie), ok2);
      } else if (r < 0.8) {
        const body = `Note d'endurance ${++n} ${randomBytes(3).toString("hex")}`;
        const a = await http(base, "POST", `/t/${SLUG}/gestion/actions/${action()}/suivi/notes`, cookie, { _csrf: token, body, visibility: "draft" });
        record(stats, "écriture: note de suivi", a, ok303);
        if (a.status === 303) stats.acknowledged.notes.push(body);
      } else if (r < 0.93) {
        const service = `Service d'endurance ${++n} ${randomBytes(3).toString("hex")}`;
        const a = await http(base, "POST", `/t/${SLUG}/gestion/coordonnees/nouveau`, cookie, { _csrf: token, service, phone: "02 31 00 00 00", email: "", address: "" });
        record(stats, "écriture: coordonnée", a, ok303);
        if (a.status === 303) stats.acknowledged.contacts.push(service);
      } else if (r < 0.98) {
        const title = `Thématique d'endurance ${++n} ${randomBytes(3).toString("hex")}`;
        const a = await http(base, "POST", `/t/${SLUG}/gestion/thematiques/nouvelle`, cookie, { _csrf: token, code: `E${n}`, title, description: "", visibility: "draft" });
        record(stats, "écriture: thématique", a, ok303);
        if (a.status === 303) stats.acknowledged.themes.push(title);
      } else {
        const admin = `${secret}; collines_session=${world.adminSession}`;
        const a = await http(base, "POST", "/gestion/parametres", admin, { _csrf: token, inactiveMonths: String(24 + (n++ % 100)) });
        record(stats, "écriture: paramètres (comptes)", a, ok303);
        if (a.status === 303) stats.acknowledged.settings++;
      }
      await sleep(Math.random() * THINK);
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: USERS }, (_, i) => user(i)));
  return { ...stats, seconds: (Date.now() - started) / 1000 };
}

/** Every acknowledged write, looked up in the database after the run. */
async function verify(db: Database, stats: Stats): Promise<{ checked: number; missing: string[] }> {
  const missing: string[] = [];
  const check = async (sql: string, values: string[]) => {
    const found = new Set((await db.query<{ v: string }>(sql)).map((r) => r.v));
    for (const v of values) if (!found.has(v)) missing.push(v);
  };
  await check("select body as v from plan_action_notes where body like 'Note d''endurance %'", stats.acknowledged.notes);
  await check("select service as v from territory_contacts where service like 'Service d''endurance %'", stats.acknowledged.contacts);
  await check("select title as v from plan_themes where title like 'Thématique d''endurance %'", stats.acknowledged.themes);
  const [{ n }] = await db.query<{ n: number }>("select count(*)::int as n from audit_log where entity = 'platform_setting'");
  if (stats.acknowledged.settings > 0 && Number(n) < stats.acknowledged.settings) missing.push(`paramètres : ${n} entrées pour ${stats.acknowledged.settings} écritures`);
  if (stats.acknowledged.registrations.length) {
    const rows = await db.query<{ w: number; u: number }>("select workshop_id as w, user_id as u from part_registrations where status <> 'cancelled'");
    const found = new Set(rows.map((r) => `${r.w}:${r.u}`));
    for (const [w, u] of stats.acknowledged.registrations) if (!found.has(`${w}:${u}`)) missing.push(`inscription ${w}/${u}`);
  }
  const a = stats.acknowledged;
  return { checked: a.notes.length + a.contacts.length + a.themes.length + a.settings + a.registrations.length, missing };
}

interface Result {
  database: string;
  users: number;
  seconds: number;
  requests: number;
  errors: number;
  throughput: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  errorSamples: Record<string, number>;
  kinds: { kind: string; n: number; errors: number; p50: number; p99: number }[];
  writesChecked: number;
  writesMissing: string[];
}

async function main() {
  const cleanup = new Cleanup();
  process.on("SIGINT", () => void cleanup.run().then(() => process.exit(130)));
  const results: Result[] = [];
  try {
    for (const kind of DATABASES) {
      const dir = mkdtempSync(join(tmpdir(), `collines-soak-${kind}-`));
      cleanup.add(`dossier ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
      const dataDir = join(dir, "data");
      let url: string | undefined;
      if (kind === "postgres") {
        if (!pgBinDir()) ensureDebianPackages(["postgresql"]);
        const cluster = await startPgCluster();
        cleanup.add("cluster PostgreSQL", () => cluster.stop());
        url = cluster.url;
      }
      console.log(`\n— ${kind} : préparation (migrations, données, ${STAFF} agents et leurs sessions)…`);
      const db = url ? await openPostgres(url) : await openPglite(dataDir);
      const world = await prepareWorld(db);
      await db.close();
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const log = join(dir, "server.log");
      const server = startNode(["src/main.ts", "serve"], { PORT: String(port), HOST: "127.0.0.1", DATA_DIR: dataDir, DATABASE_URL: url, BASE_URL: `http://localhost:${port}`, LOG_LEVEL: "warn", NODE_ENV: "production" }, log);
      cleanup.add(`serveur ${kind}`, () => stopChild(server));
      await waitReady(`${base}/readyz`, server, log);
      console.log(`— ${kind} : ${USERS} utilisateurs pendant ${DURATION} s (pause ≤ ${THINK} ms)…`);
      const stats = await soak(base, world);
      await stopChild(server);
      const check = url ? await openPostgres(url) : await openPglite(dataDir);
      const verified = await verify(check, stats);
      await check.close();
      const all = [...stats.byKind.values()].flatMap((k) => k.ms);
      const errors = [...stats.byKind.values()].reduce((s, k) => s + k.errors, 0);
      results.push({
        database: kind,
        users: USERS,
        seconds: stats.seconds,
        requests: all.length,
        errors,
        throughput: all.length / stats.seconds,
        p50: pct(all, 50),
        p99: pct(all, 99),
        statuses: Object.fromEntries(stats.statuses),
        errorSamples: Object.fromEntries(stats.errorSamples),
        kinds: [...stats.byKind].map(([k, v]) => ({ kind: k, n: v.n, errors: v.errors, p50: pct(v.ms, 50), p99: pct(v.ms, 99) })),
        writesChecked: verified.checked,
        writesMissing: verified.missing,
      });
    }
  } finally {
    await cleanup.run();
    agent.destroy();
  }
  const lines = [
    `Endurance : ${USERS} utilisateurs simultanés, ${DURATION} s, pause ≤ ${THINK} ms, ${cpus().length} cœurs`,
    "",
    "| base | requêtes | erreurs | débit (req/s) | p50 (ms) | p99 (ms) | écritures acquittées vérifiées | manquantes |",
    "|---|--:|--:|--:|--:|--:|--:|--:|",
    ...results.map((r) => `| ${r.database} | ${r.requests} | ${r.errors} | ${r.throughput.toFixed(0)} | ${r.p50.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.writesChecked} | ${r.writesMissing.length} |`),
    "",
    ...results.flatMap((r) => [
      `${r.database} — par type (statuts : ${JSON.stringify(r.statuses)}) :`,
      "| type | requêtes | erreurs | p50 (ms) | p99 (ms) |",
      "|---|--:|--:|--:|--:|",
      ...r.kinds.map((k) => `| ${k.kind} | ${k.n} | ${k.errors} | ${k.p50.toFixed(0)} | ${k.p99.toFixed(0)} |`),
      ...Object.entries(r.errorSamples).map(([k, n]) => `erreur ×${n} : ${k}`),
      "",
    ]),
  ];
  console.log(`\n${lines.join("\n")}`);
  mkdirSync(join(ROOT, "bench", "results"), { recursive: true });
  const file = join(ROOT, "bench", "results", `soak-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify({ users: USERS, duration: DURATION, think: THINK, results }, null, 2));
  console.log(`Résultats : ${file}`);
  const failed = results.some((r) => r.errors > 0 || r.writesMissing.length > 0);
  process.exitCode = failed ? 1 : 0;
}

void main();
