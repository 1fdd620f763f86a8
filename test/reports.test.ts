// Dashboards and progress reports (issue 4): the territory dashboard and its CSV, the funders'
// dashboard across territories, the "bilan d'avancement" as PDF and XLSX, on both databases.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, createTestApp, DB_KINDS, DEMO, REF, signedInClient, type TestApp } from "./helpers/app.ts";
import { expectWellFormedPage, mainOf, textOf } from "./helpers/html.ts";
import { pdfPages } from "./helpers/pdf-text.ts";
import { seedFollowUp, type FollowUpFixture } from "./helpers/matrix-requests/reports.ts";

describe.each(DB_KINDS)("dashboards and progress reports on %s", (kind) => {
  let t: TestApp;
  let fx: FollowUpFixture;
  let refFx: FollowUpFixture;
  let agent: Client;
  const base = `/t/${DEMO}/gestion/tableau-de-bord`;

  beforeAll(async () => {
    t = await createTestApp(kind);
    fx = await seedFollowUp(t.database, DEMO);
    refFx = await seedFollowUp(t.database, REF, "REFERENCE");
    agent = await signedInClient(t, { role: "agent", territory: DEMO });
  });
  afterAll(async () => t?.close());

  it("shows the dashboard's figures to the territory's staff", async () => {
    const res = await agent.get(base);
    expect(res.statusCode).toBe(200);
    expectWellFormedPage(res, { signedIn: true });
    const text = textOf(mainOf(res.body));
    expect(text).toContain("Tableau de bord du plan d’actions");
    expect(text).toContain("120 000 € de coût prévisionnel");
    expect(text).toContain("82 345,67 € accordés");
    expect(text).toContain(fx.lateMilestone);
    expect(text).toContain("Emplois créés RAPPORT");
    expect(text).toContain("50 %");
    expect(res.body).toContain(`href="${base}/bilan.pdf"`);
    expect(res.body).toContain(`href="${base}/statuts.csv"`);
    // The other territory's figures never show.
    expect(text).not.toContain(refFx.lateMilestone);
  });

  it("gives the CSV of each chart", async () => {
    const statuts = await agent.get(`${base}/statuts.csv`);
    expect(statuts.statusCode).toBe(200);
    expect(statuts.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(statuts.body).toMatch(/^\uFEFFThématique;À venir \(actions\);En cours \(actions\)/);
    const money = (await agent.get(`${base}/financements.csv`)).body;
    expect(money).toContain("Type de financeur;Demandé (€);Accordé (€);Versé (€)");
    expect(money).toContain("État;50000;40000;10000");
    expect(money).toContain("Europe (FEDER…);12345.67;12345.67;0");
    const late = (await agent.get(`${base}/jalons-en-retard.csv`)).body;
    expect(late).toContain(`${fx.lateMilestone};2020-01-15`);
    expect((await agent.get(`${base}/avancement.csv`)).statusCode).toBe(200);
    expect((await agent.get(`${base}/indicateurs.csv`)).body).toContain("Emplois créés RAPPORT;emplois;10;20;2025-01-01;30;2099-12-31;50");
    expect((await agent.get(`${base}/inconnu.csv`)).statusCode).toBe(404);
  });

  it("refuses industrialists and anonymous visitors", async () => {
    const industrialist = await signedInClient(t, { role: "industrialist", territory: DEMO });
    expect((await industrialist.get(base)).statusCode).toBe(403);
    expect((await industrialist.get(`${base}/bilan.pdf`)).statusCode).toBe(403);
    const anon = new Client(t.app);
    expect((await anon.get(base)).statusCode).toBe(303);
    expect((await anon.get(`${base}/statuts.csv`)).statusCode).toBe(403);
    // The other territory's agent reaches nothing here.
    const other = await signedInClient(t, { role: "agent", territory: REF });
    expect((await other.get(base)).statusCode).toBe(403);
  });

  it("makes the progress report as a PDF holding the figures", async () => {
    const res = await agent.get(`${base}/bilan.pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.headers["content-disposition"]).toMatch(/attachment; filename="bilan-d-avancement-demo-bocage-des-forges-\d{4}-\d{2}-\d{2}\.pdf"/);
    const pages = await pdfPages(res.rawPayload);
    const all = pages.join(" ");
    const actions = Number((await t.database.query<{ n: number }>(
      `select count(*)::int as n from plan_actions a join plan_objectives o on o.id = a.objective_id join plan_themes th on th.id = o.theme_id
       where a.territory_id = $1 and a.archived_at is null and o.archived_at is null and th.archived_at is null and a.visibility <> 'draft' and o.visibility <> 'draft' and th.visibility <> 'draft'`,
      [fx.territoryId],
    ))[0]!.n);
    expect(pages[0]).toContain("Bilan d’avancement");
    expect(pages[0]).toContain("Document de suivi – diffusion restreinte");
    expect(pages[0]).toMatch(new RegExp(`${actions} actions suivies`));
    expect(all).toContain("120 000 €");
    expect(all).toContain("82 345,67 €");
    expect(all).toContain(fx.lateMilestone);
    expect(all).toContain(fx.note);
    // One page per action after the summary.
    expect(pages.filter((p) => /Action \d+ – /.test(p)).length).toBeGreaterThanOrEqual(actions);
    expect(pages.at(-1)).toMatch(/Page \d+ \/ \d+/);
  });

  it("makes the same report as XLSX: actions, milestones, financing, budget, indicators", async () => {
    const res = await agent.get(`${base}/bilan.xlsx`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Actions", "Jalons", "Financements", "Budget", "Indicateurs"]);
    const actions = wb.getWorksheet("Actions")!;
    const row = actions.getRows(2, actions.rowCount - 1)!.find((r) => r.getCell(1).value === fx.actionNumber)!;
    expect(row.getCell(5).value).toBe("En cours");
    expect(row.getCell(20).value).toBe(120000);
    expect(row.getCell(22).value).toBe(70000);
    const financing = wb.getWorksheet("Financements")!;
    const granted = financing.getColumn(6).values.filter((v): v is number => typeof v === "number");
    expect(granted.reduce((a, b) => a + b, 0)).toBeCloseTo(82345.67, 2);
    expect(wb.getWorksheet("Jalons")!.getColumn(3).values).toContain(fx.lateMilestone);
    expect(wb.getWorksheet("Indicateurs")!.getRow(2).getCell(7).value).toBe(20);
    // Confidential actions are in (readers of the follow-up), drafts never.
    const titles = actions.getColumn(4).values;
    const draft = (await t.database.query<{ title: string }>("select title from plan_actions where territory_id = $1 and visibility = 'draft'", [fx.territoryId]))[0]!;
    const confidential = (await t.database.query<{ title: string }>("select title from plan_actions where id = $1", [fx.otherActionId]))[0]!;
    expect(titles).toContain(confidential.title);
    expect(titles).not.toContain(draft.title);
  });

  it("gives a funder of two territories one dashboard across them, and each territory's", async () => {
    const funder = await signedInClient(t, {});
    const userId = (await t.database.query<{ id: number }>("select id from users order by id desc limit 1"))[0]!.id;
    await t.database.query("insert into funder_grants (user_id, label, territory_id) values ($1, 'Région test', $2), ($1, 'Région test', $3)", [userId, fx.territoryId, refFx.territoryId]);
    const res = await funder.get("/gestion/tableau-de-bord");
    expect(res.statusCode).toBe(200);
    const text = textOf(mainOf(res.body));
    expect(text).toContain("Collines de Normandie");
    expect(text).toContain(fx.lateMilestone);
    expect(text).toContain(refFx.lateMilestone);
    expect(text).toContain("240 000 € de coût prévisionnel");
    const csv = (await funder.get("/gestion/tableau-de-bord/statuts.csv")).body;
    expect(csv).toMatch(/^\uFEFFTerritoire;/);
    expect((await funder.get(base)).statusCode).toBe(200);
    expect((await funder.get(`${base}/bilan.xlsx`)).statusCode).toBe(200);
    // Someone who follows nothing sees an empty dashboard, not another's figures.
    const nobody = await signedInClient(t, { role: "industrialist", territory: DEMO });
    const empty = textOf(mainOf((await nobody.get("/gestion/tableau-de-bord")).body));
    expect(empty).toContain("Vous ne suivez encore aucun territoire");
    expect(empty).not.toContain(fx.lateMilestone);
  });
});
