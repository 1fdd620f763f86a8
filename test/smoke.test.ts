import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, DB_KINDS, REF, signedInClient, type TestApp } from "./helpers/app.ts";

describe.each(DB_KINDS)("smoke on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  it("serves the reference plan with its 19 actions", async () => {
    const res = await t.app.inject({ url: `/api/v1/territories/${REF}/plan` });
    expect(res.statusCode).toBe(200);
    const plan = res.json();
    const actions = plan.themes.flatMap((th: { objectives: { actions: unknown[] }[] }) => th.objectives.flatMap((o) => o.actions));
    expect(actions).toHaveLength(19);
  });

  it("signs an agent in", async () => {
    const c = await signedInClient(t, { role: "agent", territory: REF });
    const res = await c.get("/gestion");
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("Collines de Normandie");
  });
});
