import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit } from "../src/core/audit/index.ts";
import { users } from "../src/core/db/schema.ts";
import { actions, themes } from "../src/modules/plan/schema.ts";
import { territories } from "../src/modules/territories/schema.ts";
import { Client, createTestApp, DB_KINDS, REF, signedInClient, type TestApp } from "./helpers/app.ts";

describe.each(DB_KINDS)("audit trail on %s", (kind) => {
  let t: TestApp;
  let actionId: number;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const db = t.database.db;
    const [ref] = await db.select().from(territories).where(eq(territories.slug, REF));
    const [a] = await db.select().from(actions).where(eq(actions.territoryId, ref.id)).limit(1);
    actionId = a.id;
    const admin = await signedInClient(t, { role: "territory_admin", territory: REF, email: "journal-admin@exemple.fr" });
    void admin;
    const [u] = await db.select().from(users).where(eq(users.email, "journal-admin@exemple.fr"));
    await db.transaction((tx) =>
      recordAudit(
        tx,
        { actor: { user: { id: u.id, email: u.email, displayName: u.displayName, isPlatformAdmin: false }, memberships: [{ territoryId: ref.id, role: "territory_admin" }] } },
        { territoryId: ref.id, action: "update", entity: "action", entityId: a.id, before: { status: null }, after: { status: "in_progress" } },
      ),
    );
  });
  afterAll(async () => t?.close());

  it("lets the territory admin search and export the trail", async () => {
    const admin = new Client(t.app);
    await admin.post("/connexion", { email: "journal-admin@exemple.fr", password: "correct-horse-battery-staple" }, { formPage: "/connexion" });
    const page = await admin.get(`/t/${REF}/gestion/journal?entity=action&actor=journal-admin`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain("Journal des modifications");
    expect(page.body).toContain("<ins>En cours</ins>");
    expect(page.body).toContain("1 entrée");
    const csv = await admin.get(`/t/${REF}/gestion/journal.csv?entity=action`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.body.startsWith("\uFEFFDate (heure de Paris);Auteur")).toBe(true);
    expect(csv.body).toContain("Statut : Statut non renseigné → En cours");
    const bad = await admin.get(`/t/${REF}/gestion/journal?from=2019-02-30`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("Cette date n'existe pas.");
  });

  it("shows an action's history to its editors only", async () => {
    const agent = await signedInClient(t, { role: "agent", territory: REF });
    const staffView = await agent.get(`/t/${REF}/actions/${actionId}`);
    expect(staffView.body).toContain("Historique");
    expect(staffView.body).toContain("Test territory_admin");
    const publicView = await t.app.inject({ url: `/t/${REF}/actions/${actionId}` });
    expect(publicView.body).not.toContain("Historique");
    // An agent cannot read the whole trail; nobody anonymous can.
    expect((await agent.get(`/t/${REF}/gestion/journal`)).statusCode).toBe(403);
    expect((await t.app.inject({ url: `/t/${REF}/gestion/journal` })).statusCode).toBe(303);
  });

  it("shows the history on a record's edit page", async () => {
    const agent = await signedInClient(t, { role: "agent", territory: REF });
    const [ref] = await t.database.db.select().from(territories).where(eq(territories.slug, REF));
    const [theme] = await t.database.db.select().from(themes).where(eq(themes.territoryId, ref.id)).limit(1);
    const url = `/t/${REF}/gestion/thematiques/${theme.id}`;
    const saved = await agent.post(url, { code: theme.code, title: "ATTIRER les talents", description: "", visibility: theme.visibility });
    expect(saved.statusCode).toBe(303);
    const page = await agent.get(url);
    expect(page.body).toContain("Historique");
    expect(page.body).toContain("<ins>ATTIRER les talents</ins>");
  });
});
