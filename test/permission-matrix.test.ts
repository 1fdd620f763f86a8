// The permission matrix (issue 3, "Proof"): every row that the modules declare in their matrix.ts
// is sent as a real request, for every role, in two territories; any difference fails, and so does
// a registered route without rows. One territory's agent also tries the other's record ids.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MATRIX_ROLES, type Outcome } from "../src/core/authz/matrix.ts";
import { allRoutes, modules } from "../src/modules/index.ts";
import { createTestApp, DB_KINDS, DEMO, REF } from "./helpers/app.ts";
import { MATRICES, matrixRows, MatrixWorld, parseKey, REQUESTS } from "./helpers/matrix.ts";

const TERRITORIES = [REF, DEMO];
const OUTCOMES: Outcome[] = ["allow", "login", "forbidden", "not_found", "filtered", "follow_up"];
const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
/** Routes naming a record of a territory by id: the ones another territory's agent tries. */
const RECORD_ROUTE = /^\/(t|api\/v1\/territories)\/:slug\/.*:id\b/;

describe("permission matrix: the declarations", () => {
  it("gives every registered route rows in its own module's matrix, for every role, and nothing else", () => {
    const problems: string[] = [];
    for (const m of modules) {
      const matrix = MATRICES[m.id];
      if (!matrix) {
        problems.push(`module ${m.id}: pas de matrix.ts déclaré dans test/helpers/matrix.ts`);
        continue;
      }
      const own = new Set(m.routes.map(routeKey));
      for (const r of m.routes) if (!Object.keys(matrix).some((k) => parseKey(k).route === routeKey(r))) problems.push(`${routeKey(r)} (${m.id}) : aucune ligne`);
      for (const [key, outcomes] of Object.entries(matrix)) {
        if (!own.has(parseKey(key).route)) problems.push(`${key} (${m.id}) : pas une route du module`);
        for (const role of MATRIX_ROLES) if (!OUTCOMES.includes(outcomes[role])) problems.push(`${key} : ${role} → ${String(outcomes[role])}`);
        if (Object.keys(outcomes).length !== MATRIX_ROLES.length) problems.push(`${key} : rôles en trop`);
      }
    }
    expect(problems).toEqual([]);
    expect(allRoutes().length).toBe(new Set(matrixRows().map(([k]) => parseKey(k).route)).size);
  });

  it("has a concrete request for every row, and none left over", () => {
    const keys = matrixRows().map(([k]) => k);
    expect(keys.filter((k) => !REQUESTS[k])).toEqual([]);
    expect(Object.keys(REQUESTS).filter((k) => !keys.includes(k))).toEqual([]);
  });
});

describe.each(DB_KINDS)("permission matrix on %s", (kind) => {
  let world: MatrixWorld;
  let audit = { n: 0, max: 0 };
  let first = { max: 0, fingerprint: "" };
  /** Every time the audit trail shrank or an earlier entry changed, with the route that did it. */
  const rewrites: string[] = [];

  beforeAll(async () => {
    world = new MatrixWorld(await createTestApp(kind));
    await world.setup(TERRITORIES);
    audit = await world.auditCount();
    first = { max: audit.max, fingerprint: await world.auditFingerprint(audit.max) };
  });
  afterAll(async () => world?.t.close());

  /** Sends one route's rows and watches the trail: entries are only ever added. */
  async function watched<T>(key: string, run: () => Promise<T>): Promise<T> {
    const before = await world.auditFingerprint(audit.max);
    const upTo = audit.max;
    const out = await run();
    const now = await world.auditCount();
    if (now.n < audit.n || now.max < audit.max) rewrites.push(`${key} : le journal est passé de ${audit.n} à ${now.n} entrées`);
    if ((await world.auditFingerprint(upTo)) !== before) rewrites.push(`${key} : une entrée existante a changé`);
    audit = now;
    return out;
  }

  it.each(TERRITORIES)("gives every role the declared outcome in %s", async (slug) => {
    const differences: string[] = [];
    let rows = 0;
    for (const [key, outcomes] of matrixRows()) {
      const audited = allRoutes().find((r) => routeKey(r) === parseKey(key).route)?.audit;
      await watched(key, async () => {
        for (const role of MATRIX_ROLES) {
          const before = audited ? await world.auditCount() : undefined;
          const r = await world.send(key, world.person(slug, role), { slug, records: slug });
          rows++;
          if (r.actual !== outcomes[role]) differences.push(`${key} — ${role} : attendu ${outcomes[role]}, obtenu ${r.actual}${r.detail}`);
          // An allowed change really happened: it left its entry in the trail.
          else if (before && r.actual === "allow" && (await world.auditCount()).max === before.max) differences.push(`${key} — ${role} : autorisé, mais rien au journal${r.detail}`);
        }
      });
    }
    expect(differences).toEqual([]);
    expect(rows).toBe(matrixRows().length * MATRIX_ROLES.length);
    // Every row of every module, sent as eight people: minutes on a loaded 2-core machine.
  }, 600_000);

  it.each([
    [REF, DEMO],
    [DEMO, REF],
  ])("keeps %s's agent away from %s's records: 404 under its own address, 403 under theirs", async (own, other) => {
    const agent = world.person(own, "agent");
    const differences: string[] = [];
    let tried = 0;
    for (const [key, outcomes] of matrixRows()) {
      const { url } = parseKey(key);
      if (!RECORD_ROUTE.test(url)) continue;
      const publicRoute = allRoutes().find((r) => routeKey(r) === parseKey(key).route)?.permission === "public";
      await watched(key, async () => {
        // The other territory's ids under the agent's own territory: they do not exist there.
        const mine = await world.send(key, agent, { slug: own, records: other });
        const expectedMine = ["allow", "filtered", "follow_up"].includes(outcomes.agent) ? "not_found" : outcomes.agent;
        if (mine.actual !== expectedMine) differences.push(`${key} sous ${own} : attendu ${expectedMine}, obtenu ${mine.actual}${mine.detail}`);
        // Under the other territory's address: its back-office is closed to this agent.
        if (!publicRoute) {
          const theirs = await world.send(key, agent, { slug: other, records: other });
          if (theirs.actual !== "forbidden") differences.push(`${key} sous ${other} : attendu forbidden, obtenu ${theirs.actual}${theirs.detail}`);
        }
        tried++;
      });
    }
    expect(differences).toEqual([]);
    expect(tried).toBeGreaterThan(20);
  });

  it("only ever adds to the audit trail: no route shrinks it or changes an entry, but the RGPD closing of an account", async () => {
    expect(rewrites).toEqual([]);
    expect(await world.auditFingerprint(first.max)).toBe(first.fingerprint);
    expect((await world.auditCount()).max).toBeGreaterThan(first.max);
    // The one rewrite: closing an account erased its e-mail from the entries about it (written just before).
    const about = await world.t.database.query<{ email: string | null }>("select after->>'email' as email from audit_log where entity = 'user' and actor_role = 'test'");
    expect(about.length).toBe(2 * (MATRIX_ROLES.length - 1));
    expect(about.filter((r) => r.email !== null)).toEqual([]);
  });
});
