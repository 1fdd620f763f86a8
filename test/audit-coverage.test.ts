// Audit coverage (issue 3, "Audit trail"): every mutating route of the registry is called once
// successfully, with the permission matrix's request and a role the matrix allows, and must write
// an audit entry naming what the route declares. The few routes exempt by nature are listed here,
// each with its reason, and checked to write none. Entries cannot be changed through the app.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MATRIX_ROLES, type MatrixRole, type Outcome } from "../src/core/authz/matrix.ts";
import { allRoutes } from "../src/modules/index.ts";
import { firstAdminLink } from "../src/modules/accounts/api.ts";
import { createTestApp, DB_KINDS, REF } from "./helpers/app.ts";
import { matrixRows, MatrixWorld, parseKey } from "./helpers/matrix.ts";

/** POST routes that write no business record, hence no audit entry — each with its reason. */
const EXEMPT: Record<string, string> = {
  "POST /connexion": "writes only throttling counters and the session; an entry per sign-in would also bump the content version and empty every cache",
  "POST /deconnexion": "deletes the visitor's own session only",
  "POST /mot-de-passe-oublie": "writes a one-time token and throttling counters for an anonymous visitor; an entry would let anyone empty every cache",
  "POST /connexion/lien": "writes throttling counters and, for an existing account, a one-time sign-in link; same reason as the reset request",
  "POST /connexion/lien/:token": "uses up a one-time sign-in link and opens a session: a sign-in, like POST /connexion",
  "POST /t/:slug/inscription": "writes throttling counters and a one-time confirmation link; the confirmation (POST /t/:slug/inscription/:token) writes the entries",
  "POST /t/:slug/questions": "an anonymous visitor's question added to the inbox; an entry would bump the content version (anyone could empty every cache); the staff's handling of it is audited",
};

/** Routes whose successful call needs a state the matrix's territories do not have. */
const FIRST_ADMIN = "POST /installation/:token";

const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const posts = allRoutes().filter((r) => r.method === "POST");

describe.each(DB_KINDS)("audit coverage on %s", (kind) => {
  let world: MatrixWorld;
  let firstAdmin: { status: number; location?: string; entities: string[] };

  beforeAll(async () => {
    world = new MatrixWorld(await createTestApp(kind));
    await world.init();
    // Before any account exists, the first-start link creates the platform admin.
    const link = await firstAdminLink(world.t.database, "http://localhost:3000");
    const before = await world.auditCount();
    const password = "phrase de passe du premier administrateur";
    const res = await world.request("POST", { url: new URL(link!).pathname, form: { displayName: "Première Admin", email: "premiere-admin@exemple.fr", password, confirm: password } }, { role: "anonymous", territory: REF });
    const rows = await world.t.database.query<{ entity: string }>("select entity from audit_log where id > $1", [before.max]);
    firstAdmin = { status: res.statusCode, location: res.headers.location as string | undefined, entities: rows.map((r) => r.entity) };
    await world.setup([REF]);
  });
  afterAll(async () => world?.t.close());

  /** Sends a matrix request as the least privileged role it allows; returns the entities of the entries written. */
  async function callAllowed(key: string, outcomes: Record<MatrixRole, Outcome>): Promise<{ problem?: string; entities: string[] }> {
    const role = MATRIX_ROLES.find((r) => outcomes[r] === "allow");
    if (!role) return { problem: "aucun rôle autorisé dans la matrice", entities: [] };
    const before = await world.auditCount();
    const r = await world.send(key, world.person(REF, role), { slug: REF, records: REF });
    const rows = await world.t.database.query<{ entity: string }>("select entity from audit_log where id > $1 order by id", [before.max]);
    return { problem: r.actual === "allow" ? undefined : `appel refusé en tant que ${role} : ${r.actual}${r.detail}`, entities: rows.map((x) => x.entity) };
  }

  /** The matrix rows of a route (its variants included). */
  const rowsOf = (route: string) => matrixRows().filter(([k]) => parseKey(k).route === route);

  it("writes an entry for the first platform admin's account", () => {
    expect(firstAdmin.status).toBe(303);
    expect(firstAdmin.location).toBe("/gestion");
    expect(firstAdmin.entities).toContain(allRoutes().find((r) => routeKey(r) === FIRST_ADMIN)?.audit);
  });

  it("writes an entry, of the entity the route declares, for every successful call of every other mutating route", async () => {
    const problems: string[] = [];
    let called = 0;
    for (const route of posts) {
      const key = routeKey(route);
      if (key in EXEMPT || key === FIRST_ADMIN) continue;
      const rows = rowsOf(key);
      if (!rows.length) problems.push(`${key} : aucune ligne dans la matrice`);
      // Each request of the route (variants too) writes an entry; the entity the route declares is among them.
      const written = new Set<string>();
      for (const [rowKey, outcomes] of rows) {
        const { problem, entities } = await callAllowed(rowKey, outcomes);
        entities.forEach((e) => written.add(e));
        if (problem) problems.push(`${rowKey} : ${problem}`);
        else if (!entities.length) problems.push(`${rowKey} : aucune entrée au journal`);
      }
      if (rows.length && !written.has(route.audit ?? "")) problems.push(`${key} : entrées ${[...written].join(", ") || "aucune"}, mais la route déclare ${route.audit ?? "rien"}`);
      called++;
    }
    expect(problems).toEqual([]);
    expect(called).toBe(posts.length - Object.keys(EXEMPT).length - 1);
  });

  it("writes none for the few routes exempt by nature, which exist and declare no entity", async () => {
    const problems: string[] = [];
    for (const [key, reason] of Object.entries(EXEMPT)) {
      expect(reason.length).toBeGreaterThan(20);
      const route = posts.find((r) => routeKey(r) === key);
      if (!route) {
        problems.push(`${key} : n'existe plus (retirez-la de la liste)`);
        continue;
      }
      if (route.audit) problems.push(`${key} : déclare ${route.audit} (retirez-la de la liste)`);
      for (const [rowKey, outcomes] of rowsOf(key)) {
        const { problem, entities } = await callAllowed(rowKey, outcomes);
        if (problem) problems.push(`${rowKey} : ${problem}`);
        if (entities.length) problems.push(`${rowKey} : écrit ${entities.join(", ")} (retirez-la de la liste)`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("offers no way to change or delete an entry: the trail is read-only, even for its territory admin", async () => {
    // The trail is read through GET pages only, and no route declares that it writes the trail itself.
    const journal = allRoutes().filter((r) => r.url.includes("/journal"));
    expect(journal.length).toBeGreaterThan(0);
    expect(journal.filter((r) => r.method !== "GET").map(routeKey)).toEqual([]);
    expect(allRoutes().filter((r) => r.audit && /^audit/.test(r.audit)).map(routeKey)).toEqual([]);

    const admin = world.person(REF, "territory_admin");
    const before = await world.auditCount();
    const fingerprint = await world.auditFingerprint(before.max);
    const [{ id }] = await world.t.database.query<{ id: number }>("select max(id) as id from audit_log");
    for (const path of ["", ".csv", `/${id}`, `/${id}/modifier`, `/${id}/supprimer`]) {
      const res = await world.request("POST", { url: `/t/${REF}/gestion/journal${path}`, form: { entity: "action", after: "{}" } }, admin);
      expect(res.statusCode, path).toBe(404);
    }
    expect(await world.auditCount()).toEqual(before);
    expect(await world.auditFingerprint(before.max)).toBe(fingerprint);
  });
});
