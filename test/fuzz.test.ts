// Hostile input on every route of the registry (issue 7). For each route, a valid request is built
// as the permission matrix builds it (test/helpers/matrix.ts: real records, a session of a role
// allowed to use the route, the CSRF pair), then sent again with one part replaced by an input
// derived from the route's own zod schemas or taken from the hostile corpus (test/helpers/fuzz.ts).
// It fails on any 5xx, on any input reflected unescaped in an HTML answer (or in the page a
// successful POST redirects to), and on any database change after a rejected (4xx) request: a
// row-level trigger on every table counts the rows each committed transaction wrote.
// CI: fixed seed, FUZZ_RUNS inputs per route and role (default 6), two roles per route.
// `npm run fuzz`: FUZZ_RUNS=60 on every allowed role (see scripts/fuzz.mjs).
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixRole } from "../src/core/authz/matrix.ts";
import { SESSION_COOKIE } from "../src/core/auth/session.ts";
import type { RouteDef } from "../src/core/http/registry.ts";
import { allRoutes } from "../src/modules/index.ts";
import { createTestApp, DB_KINDS, REF, type DbKind } from "./helpers/app.ts";
import { matrixRows, MatrixWorld, REQUESTS, type BuiltRequest, type Person } from "./helpers/matrix.ts";
import { mutationsFor, rng, type Mutation } from "./helpers/fuzz.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 6);
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const ALL_ROLES = process.env.FUZZ_ALL_ROLES === "1";
/** CI sends a third of the raw-body cases to each POST route (each case still reaches ~a third of them). */
const RAW_SHARE = process.env.FUZZ_ALL_ROLES === "1" ? 1 : 3;
const KINDS: DbKind[] = process.env.FUZZ_DB ? (process.env.FUZZ_DB.split(",") as DbKind[]) : DB_KINDS;
/** Tables a rejected request may legitimately touch: failed sign-ins are counted (throttling), a session's last-seen time is refreshed every five minutes. */
const MAY_CHANGE_ON_REJECTION = new Set(["sign_in_attempts", "sessions"]);
const ALLOWED: string[] = ["allow", "filtered", "follow_up"];

const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
/** Percent-encoding that also sends a lone surrogate, as the invalid UTF-8 bytes ED A0 80. */
const percentEncode = (s: string) => s.replace(/[\uD800-\uDFFF]/g, (c, i: number) => (/[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(s.slice(i - 1, i + 1)) || /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(s.slice(i, i + 2)) ? c : "\u0000LONE")).split("\u0000LONE").map(encodeURIComponent).join("%ED%A0%80");

/** The matrix key used for a route (its plain row, else its first variant) and the roles it allows. */
function plan(route: RouteDef): { key: string; roles: MatrixRole[] } | undefined {
  const rows = matrixRows().filter(([k]) => k.split("#")[0] === routeKey(route));
  const row = rows.find(([k]) => !k.includes("#")) ?? rows[0];
  if (!row) return undefined;
  const allowed = (Object.entries(row[1]) as [MatrixRole, string][]).filter(([, o]) => ALLOWED.includes(o)).map(([r]) => r);
  const roles = allowed.length ? allowed : (["anonymous"] as MatrixRole[]);
  if (ALL_ROLES || roles.length <= 2) return { key: row[0], roles };
  // Two roles in CI: the least and the most privileged that may use it.
  return { key: row[0], roles: [roles[0], roles[roles.length - 1]] };
}

interface Timing {
  ms: number;
  what: string;
  status: number;
}

describe.each(KINDS)("fuzz: hostile input on every route (%s)", (kind) => {
  let world: MatrixWorld;
  let csrf = { secret: "", token: "" };
  let stateSql = "";
  const timings: Timing[] = [];
  const perRoute = new Map<string, number>();

  beforeAll(async () => {
    world = new MatrixWorld(await createTestApp(kind));
    await world.setup([REF]);
    const page = await world.t.app.inject({ url: "/connexion" });
    csrf = {
      secret: (page.cookies as { name: string; value: string }[]).find((c) => c.name === "collines_csrf")!.value,
      token: /name="_csrf" value="([^"]+)"/.exec(page.body)![1],
    };
    // Every row written, per table, counted by a row-level trigger in the writing transaction: a
    // rolled-back write leaves no count, and updates are seen as well as inserts and deletes.
    const tables = await world.t.database.query<{ t: string }>(
      "select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
    );
    await world.t.database.exec(`
      create table fuzz_writes (t text primary key, n bigint not null);
      create function fuzz_count() returns trigger language plpgsql as $$
      begin
        insert into fuzz_writes (t, n) values (TG_TABLE_NAME, 1) on conflict (t) do update set n = fuzz_writes.n + 1;
        return null;
      end $$;
      ${tables
        .filter((x) => !MAY_CHANGE_ON_REJECTION.has(x.t))
        .map((x) => `create trigger fuzz_count after insert or update or delete on "${x.t}" for each row execute function fuzz_count();`)
        .join("\n")}
    `);
    stateSql = "select t, n::text as n from fuzz_writes";
  }, 120_000);
  afterAll(async () => world?.t.close());

  /** Rows written so far, per table (see the triggers above). */
  async function state(): Promise<Record<string, string>> {
    const rows = await world.t.database.query<{ t: string; n: string }>(stateSql);
    return Object.fromEntries(rows.map((r) => [r.t, String(r.n)]));
  }

  let addr = 0;
  /** Sends one (possibly mutated) request as a person's browser would. */
  async function send(method: "GET" | "POST", built: BuiltRequest, person: Person, m?: Mutation): Promise<LightMyRequestResponse> {
    const cookies: Record<string, string> = { collines_csrf: csrf.secret, ...(person.session ? { [SESSION_COOKIE]: person.session } : {}), ...built.cookies };
    const headers: Record<string, string> = { cookie: Object.entries(cookies).map(([k, v]) => `${k}=${v}`).join("; ") };
    let payload: string | Buffer | undefined;
    if (m?.kind === "raw") {
      headers["content-type"] = m.contentType;
      if (m.withToken) headers["x-csrf-token"] = csrf.token;
      payload = m.body;
    } else if (method === "POST") {
      const body = new URLSearchParams({ _csrf: csrf.token });
      const form: Record<string, string | string[]> = { ...(built.form ?? {}) };
      if (m?.kind === "field") form[m.field] = m.value;
      if (m?.kind === "duplicate") form[m.field] = Array.from({ length: 500 }, (_, i) => (i % 2 ? String(form[m.field] ?? "x") : `autre ${i}`));
      for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
      payload = body.toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
    }
    addr++;
    return world.t.app.inject({ method, url: built.url, headers, payload, remoteAddress: `10.99.${(addr >> 8) & 255}.${addr & 255}` });
  }

  /** The URL of the built request with the mutation's param or query applied. */
  function mutatedUrl(route: RouteDef, url: string, m: Mutation): string {
    if (m.kind === "param") {
      const [path, qs] = url.split("?");
      const segments = path.split("/");
      const at = route.url.split("/").indexOf(`:${m.param}`);
      if (at >= 0) segments[at] = m.value;
      return segments.join("/") + (qs ? `?${qs}` : "");
    }
    if (m.kind === "query") return `${url}${url.includes("?") ? "&" : "?"}${encodeURIComponent(m.field)}=${percentEncode(m.value)}`;
    return url;
  }

  const isHtml = (res: LightMyRequestResponse) => String(res.headers["content-type"] ?? "").startsWith("text/html");

  it("answers every input without a server error, an unescaped reflection or a write after a refusal", async () => {
    const failures: string[] = [];
    const r = rng(SEED);
    let n = 0;
    const marker = () => `fz${++n}x`;
    let sent = 0;
    let writesSeen = 0;
    const unbuilt: string[] = [];
    let routeIndex = 0;
    for (const route of allRoutes()) {
      routeIndex++;
      const p = plan(route);
      const spec = p && REQUESTS[p.key];
      if (!p || !spec) {
        // test/permission-matrix.test.ts fails for such a route; here it is only named.
        unbuilt.push(routeKey(route));
        continue;
      }
      let routeCount = 0;
      for (const role of p.roles) {
        const base = world.person(REF, role);
        const probeBuilt = await spec.build({ world, t: world.fixture(REF), slug: REF, person: base, n: world.next() });
        // The raw-body cases (content types, sizes, bytes) once per route: they never reach a role's rules.
        const mutations = mutationsFor(route, probeBuilt.form, RUNS, r, marker, role === p.roles[0]).filter(
          (m, i) => m.kind !== "raw" || RAW_SHARE === 1 || (i + routeIndex) % RAW_SHARE === 0,
        );
        for (const m of mutations) {
          const person = spec.actor ? await world.freshPerson(base, spec.actor) : base;
          let built: BuiltRequest;
          try {
            built = await spec.build({ world, t: world.fixture(REF), slug: REF, person, n: world.next() });
          } catch (e) {
            failures.push(`${routeKey(route)} : construction impossible (${(e as Error).message})`);
            continue;
          }
          built = { ...built, url: mutatedUrl(route, built.url, m) };
          const what = `${route.method} ${built.url.length > 90 ? `${built.url.slice(0, 87)}…` : built.url} [${role}] ${m.label}`;
          const before = await state();
          const started = performance.now();
          const res = await send(route.method, built, person, m);
          const ms = performance.now() - started;
          sent++;
          routeCount++;
          timings.push({ ms, what, status: res.statusCode });
          if (res.statusCode >= 500) failures.push(`${what} → HTTP ${res.statusCode} ${res.body.slice(0, 200)}`);
          const probe = m.kind === "field" || m.kind === "query" ? m.probe : undefined;
          if (probe && isHtml(res) && res.body.includes(probe)) failures.push(`${what} → renvoyé sans échappement : ${probe}`);
          if (res.statusCode >= 400 && res.statusCode < 500) {
            const after = await state();
            const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
            if (changed.length) failures.push(`${what} → HTTP ${res.statusCode} mais la base a changé : ${changed.map((k) => `${k} (${Number(after[k]) - Number(before[k] ?? 0)} lignes)`).join(", ")}`);
          }
          // The detector sees writes: successful POSTs must show up in it (checked at the end).
          if (route.method === "POST" && res.statusCode === 303 && route.audit) {
            const after = await state();
            if (Object.keys(after).some((k) => after[k] !== before[k])) writesSeen++;
          }
          // A stored input shows up on the page a successful POST leads to.
          const location = String(res.headers.location ?? "");
          if (route.method === "POST" && res.statusCode === 303 && location.startsWith("/") && !location.startsWith("//")) {
            const next = await send("GET", { url: location, cookies: built.cookies }, person);
            if (next.statusCode >= 500) failures.push(`${what} → ${location} : HTTP ${next.statusCode}`);
            if (probe && isHtml(next) && next.body.includes(probe)) failures.push(`${what} → ${location} : renvoyé sans échappement : ${probe}`);
          }
        }
      }
      perRoute.set(routeKey(route), routeCount);
    }
    const slowest = [...timings].sort((a, b) => b.ms - a.ms).slice(0, 12);
    const counts = [...perRoute.values()];
    console.log(
      [
        `fuzz (${kind}) : ${sent} requêtes sur ${perRoute.size} routes (${Math.min(...counts)}–${Math.max(...counts)} par route), graine ${SEED}, FUZZ_RUNS=${RUNS} ; ${writesSeen} écritures réussies vues par le détecteur`,
        ...(unbuilt.length ? [`routes sans requête de la matrice (non essayées) : ${unbuilt.join(", ")}`] : []),
        "réponses les plus lentes :",
        "|    ms | HTTP | requête |",
        "|------:|-----:|---------|",
        ...slowest.map((t) => `| ${t.ms.toFixed(0).padStart(5)} | ${t.status}  | ${t.what.replace(/\|/g, "¦").slice(0, 160)} |`),
      ].join("\n"),
    );
    expect(failures).toEqual([]);
    expect(writesSeen).toBeGreaterThan(50);
  }, 900_000);
});
