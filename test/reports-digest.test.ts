// The pilots' weekly digest (issue 4): content (late and coming milestones, the week's notes), once
// per week, turned off from the account page or by the e-mail's link without signing in.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Mailer } from "../src/core/mail/index.ts";
import { digestWeekStart, sendDigests } from "../src/modules/reports/digest/digest.ts";
import { Client, createTestApp, DB_KINDS, DEMO, signedInClient, type TestApp } from "./helpers/app.ts";
import { mainOf, textOf } from "./helpers/html.ts";
import { seedFollowUp, type FollowUpFixture } from "./helpers/matrix-requests/reports.ts";

describe.each(DB_KINDS)("weekly digest on %s", (kind) => {
  let t: TestApp;
  let fx: FollowUpFixture;
  let pilot: Client;
  let pilotId: number;
  const dataDir = `.tmp/digest-${kind}-${process.pid}`;
  const mailer = new Mailer({ dataDir, smtpUrl: undefined });
  const email = `pilote-${kind}-${Date.now()}@exemple.fr`;
  // A Tuesday: the week began on Monday 07:00, Paris time.
  const now = new Date("2030-03-12T09:00:00Z");
  const q = <T>(sql: string, params: unknown[] = []) => t.database.query<T>(sql, params);

  beforeAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    t = await createTestApp(kind);
    fx = await seedFollowUp(t.database, DEMO, "RESUME");
    pilot = await signedInClient(t, { role: "agent", territory: DEMO, email });
    pilotId = (await q<{ id: number }>("select id from users where email = $1", [email]))[0]!.id;
    await q("insert into plan_action_pilots (territory_id, action_id, user_id) values ($1, $2, $3)", [fx.territoryId, fx.actionId, pilotId]);
    // A milestone due within the next 14 days, one later (not in the digest), a note of the week and an older one.
    await q("insert into plan_milestones (territory_id, action_id, name, due_date) values ($1, $2, 'Comité de sélection RESUME', '2030-03-20'), ($1, $2, 'Bilan lointain RESUME', '2030-05-01')", [fx.territoryId, fx.actionId]);
    await q("update plan_action_notes set at = '2030-03-10T10:00:00Z' where action_id = $1", [fx.actionId]);
    await q("insert into plan_action_notes (territory_id, action_id, body, visibility, at) values ($1, $2, 'Ancienne note RESUME', 'confidential', '2030-02-01T10:00:00Z')", [fx.territoryId, fx.actionId]);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("starts the week on Monday 07:00, Paris time", () => {
    expect(digestWeekStart(now).toISOString()).toBe("2030-03-11T06:00:00.000Z");
    expect(digestWeekStart(new Date("2030-03-11T05:59:00Z")).toISOString()).toBe("2030-03-04T06:00:00.000Z");
    // Summer time: 07:00 in Paris is 05:00 UTC.
    expect(digestWeekStart(new Date("2030-07-03T12:00:00Z")).toISOString()).toBe("2030-07-01T05:00:00.000Z");
  });

  it("sends each pilot their late and coming milestones and the week's notes, once a week", async () => {
    const report = await sendDigests(t.database.db, { baseUrl: "http://localhost:3000", mailer, now });
    expect(report).toMatch(/\d+ courriel\(s\) envoyé\(s\)/);
    const mails = (await mailer.outbox()).filter((m) => m.to === email);
    expect(mails).toHaveLength(1);
    const text = mails[0]!.text;
    expect(mails[0]!.subject).toContain("jalon");
    expect(text).toContain("JALONS EN RETARD");
    expect(text).toContain(`« ${fx.lateMilestone} », prévu le 15 janvier 2020`);
    expect(text).toContain("« Comité de sélection RESUME », prévu le 20 mars 2030");
    expect(text).not.toContain("Bilan lointain RESUME");
    expect(text).toContain(fx.note);
    expect(text).not.toContain("Ancienne note RESUME");
    expect(text).toContain(`http://localhost:3000/t/${DEMO}/actions/${fx.actionId}`);
    expect(text).toMatch(/http:\/\/localhost:3000\/resume-hebdomadaire\/desabonnement\/\d+\.[\w-]{32}/);
    // Never twice the same week, even when run again.
    await sendDigests(t.database.db, { baseUrl: "http://localhost:3000", mailer, now: new Date(now.getTime() + 3600_000) });
    expect((await mailer.outbox()).filter((m) => m.to === email)).toHaveLength(1);
    // The next week, again.
    await sendDigests(t.database.db, { baseUrl: "http://localhost:3000", mailer, now: new Date(now.getTime() + 7 * 86400_000) });
    expect((await mailer.outbox()).filter((m) => m.to === email)).toHaveLength(2);
  });

  it("is turned off from the account page, and back on", async () => {
    const page = await pilot.get("/compte/resume-hebdomadaire");
    expect(page.statusCode).toBe(200);
    expect(textOf(mainOf(page.body))).toContain("vous le recevez");
    const off = await pilot.post("/compte/resume-hebdomadaire", {});
    expect(off.statusCode).toBe(303);
    expect((await q<{ weekly_digest: boolean }>("select weekly_digest from plan_digest_preferences where user_id = $1", [pilotId]))[0]!.weekly_digest).toBe(false);
    await sendDigests(t.database.db, { baseUrl: "http://localhost:3000", mailer, now: new Date(now.getTime() + 14 * 86400_000) });
    expect((await mailer.outbox()).filter((m) => m.to === email)).toHaveLength(2);
    await pilot.post("/compte/resume-hebdomadaire", { weeklyDigest: "on" });
    expect((await q<{ weekly_digest: boolean }>("select weekly_digest from plan_digest_preferences where user_id = $1", [pilotId]))[0]!.weekly_digest).toBe(true);
  });

  it("is turned off by the e-mail's link without signing in; a forged link is refused", async () => {
    const mail = (await mailer.outbox()).find((m) => m.to === email)!;
    const link = /http:\/\/localhost:3000(\/resume-hebdomadaire\/desabonnement\/\S+)/.exec(mail.text)![1]!;
    const visitor = new Client(t.app);
    const page = await visitor.get(link);
    expect(page.statusCode).toBe(200);
    expect(textOf(mainOf(page.body))).toContain("Ne plus recevoir le résumé hebdomadaire");
    const done = await visitor.post(link, {});
    expect(done.statusCode).toBe(303);
    expect(textOf(mainOf((await visitor.get(link)).body))).toContain("Vous ne recevez plus le résumé hebdomadaire");
    expect((await q<{ weekly_digest: boolean }>("select weekly_digest from plan_digest_preferences where user_id = $1", [pilotId]))[0]!.weekly_digest).toBe(false);
    const forged = link.replace(/\d+\./, `${pilotId + 1}.`);
    expect((await visitor.get(forged)).statusCode).toBe(404);
    expect((await visitor.get("/resume-hebdomadaire/desabonnement/nimporte-quoi")).statusCode).toBe(404);
  });
});
