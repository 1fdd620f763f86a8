import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, memberships, platformSettings, sessions, users } from "../src/core/db/schema.ts";
import { runJob } from "../src/core/jobs/index.ts";
import "../src/modules/accounts/module.tsx";
import { createTestApp, DB_KINDS, REF, signedInClient, type TestApp } from "./helpers/app.ts";

describe.each(DB_KINDS)("personal data (RGPD) on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  it("downloads one's data and closes the account under a pseudonym", async () => {
    const c = await signedInClient(t, { role: "agent", territory: REF, email: "rgpd@exemple.fr" });
    const data = await c.get("/compte/donnees.json");
    expect(data.statusCode).toBe(200);
    expect(data.headers["content-disposition"]).toContain("attachment");
    const json = data.json();
    expect(json.account.email).toBe("rgpd@exemple.fr");
    expect(json.roles[0]).toMatchObject({ slug: REF, role: "agent" });

    const wrong = await c.post("/compte/fermer", { email: "autre@exemple.fr", confirm: "on" }, { formPage: "/compte/fermer" });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain("Cette adresse n'est pas celle de votre compte.");
    const ok = await c.post("/compte/fermer", { email: "rgpd@exemple.fr", confirm: "on" }, { formPage: "/compte/fermer" });
    expect(ok.statusCode).toBe(303);

    const db = t.database.db;
    const [u] = await db.select().from(users).where(eq(users.displayName, (await db.select().from(users)).find((x) => x.displayName.startsWith("Compte supprimé"))!.displayName));
    expect(u.email).toMatch(/^supprime-\d+@anonyme\.invalid$/);
    expect(u.passwordHash).toBeNull();
    expect(await db.select().from(memberships).where(eq(memberships.userId, u.id))).toHaveLength(0);
    expect(await db.select().from(sessions).where(eq(sessions.userId, u.id))).toHaveLength(0);
    const trail = await db.select().from(auditLog).where(eq(auditLog.entityId, String(u.id)));
    expect(JSON.stringify(trail)).not.toContain("rgpd@exemple.fr");
    expect((await c.get("/compte")).statusCode).toBe(303);
  });

  it("closes accounts inactive past the retention the platform admin sets", async () => {
    const admin = await signedInClient(t, { platformAdmin: true });
    const bad = await admin.post("/gestion/parametres", { inactiveMonths: "3" });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("entre 6 et 120");
    expect((await admin.post("/gestion/parametres", { inactiveMonths: "24" })).statusCode).toBe(303);
    const [setting] = await t.database.db.select().from(platformSettings).where(eq(platformSettings.key, "retention"));
    expect(setting.value).toEqual({ inactiveMonths: 24 });

    await signedInClient(t, { role: "agent", territory: REF, email: "dormant@exemple.fr" });
    await t.database.db.update(users).set({ lastSignInAt: new Date("2020-01-01T00:00:00Z") }).where(eq(users.email, "dormant@exemple.fr"));
    const report = await runJob(t.database, "retention");
    expect(report).toMatch(/^1 compte/);
    expect(await t.database.db.select().from(users).where(eq(users.email, "dormant@exemple.fr"))).toHaveLength(0);
    // The platform admin is never closed by retention, and an agent cannot change the setting.
    const agent = await signedInClient(t, { role: "agent", territory: REF });
    expect((await agent.get("/gestion/parametres")).statusCode).toBe(403);
  });
});
