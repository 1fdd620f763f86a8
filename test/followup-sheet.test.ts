// The action sheet, complete: people, schedule, status history, milestones, money, indicators
// (observations), notes, documents, links, completeness; the public page and the open API show only
// what is published; bad input changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, createTestApp, DB_KINDS, DEMO, REF, signedInClient, type TestApp } from "./helpers/app.ts";
import { textOf } from "./helpers/html.ts";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082", "hex");

/** A multipart body as a browser sends it. */
function multipart(fields: Record<string, string>, file?: { name: string; filename: string; type: string; data: Buffer }) {
  const boundary = "----collines" + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="${file.filename}"\r\nContent-Type: ${file.type}\r\n\r\n`));
    parts.push(file.data, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(DB_KINDS)("action sheet on %s", (kind) => {
  let t: TestApp;
  let agent: Client;
  let actionId: number;
  let otherId: number;
  let confidentialId: number;
  let tid: number;
  const one = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await t.database.query<T>(sql, params))[0];
  const n = async (sql: string, params: unknown[] = []) => Number((await one<{ n: number }>(sql, params)).n);
  const S = () => `/t/${REF}/gestion/actions/${actionId}/suivi`;
  const audits = () => n("select count(*)::int as n from audit_log");

  beforeAll(async () => {
    t = await createTestApp(kind, { MAX_UPLOAD_MB: "1" });
    agent = await signedInClient(t, { role: "agent", territory: REF });
    tid = Number((await one<{ id: number }>("select id from territories where slug = $1", [REF])).id);
    const rows = await t.database.query<{ id: number }>("select id from plan_actions where territory_id = $1 and visibility = 'published' and archived_at is null order by number limit 2", [tid]);
    actionId = Number(rows[0].id);
    otherId = Number(rows[1].id);
    confidentialId = Number(
      (
        await one<{ id: number }>(
          "insert into plan_actions (territory_id, objective_id, number, title, visibility) select territory_id, objective_id, 900, 'Action CONFIDENTIELLE-TEST', 'confidential' from plan_actions where id = $1 returning id",
          [actionId],
        )
      ).id,
    );
  });
  afterAll(async () => t?.close());

  it("shows the sheet to the staff with its completeness, and refuses others", async () => {
    const res = await agent.get(S());
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain("Complétude de la fiche");
    expect(text).toContain("Il manque");
    expect(text).toMatch(/Pilote/);
    expect((await new Client(t.app).get(S())).statusCode).toBe(303);
    const committee = await signedInClient(t, { role: "committee_member", territory: REF });
    expect((await committee.get(S())).statusCode).toBe(403);
    const otherAgent = await signedInClient(t, { role: "agent", territory: DEMO });
    expect((await otherAgent.get(S())).statusCode).toBe(403);
    expect((await agent.get(`/t/${REF}/gestion/actions/999999/suivi`)).statusCode).toBe(404);
  });

  it("records status changes with their author and comment, from the sheet and from the edit form", async () => {
    let res = await agent.post(`${S()}/statut`, { status: "in_progress", comment: "Lancement en comité" }, { formPage: S() });
    expect(res.statusCode).toBe(303);
    const change = await one<{ from_status: string | null; to_status: string; comment: string; author_id: number }>("select * from plan_status_changes where action_id = $1 order by id desc limit 1", [actionId]);
    expect(change).toMatchObject({ from_status: null, to_status: "in_progress", comment: "Lancement en comité" });
    expect(change.author_id).toBeTruthy();
    // The existing edit form records its changes too.
    const edit = await agent.get(`/t/${REF}/gestion/actions/${actionId}`);
    const fields: Record<string, string> = {};
    for (const m of edit.body.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) if (m[1] !== "_csrf" && m[1] !== "joint" && m[1] !== "partnerAuthorityIds") fields[m[1]] = m[2].replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
    const objectiveId = /<option value="(\d+)" selected/.exec(edit.body.split('name="objectiveId"')[1])![1];
    const action = await one<{ title: string; description: string | null; number: number; lead_authority_id: number | null; joint: boolean }>("select * from plan_actions where id = $1", [actionId]);
    res = await agent.post(`/t/${REF}/gestion/actions/${actionId}`, {
      objectiveId,
      number: String(action.number),
      title: action.title,
      description: action.description ?? "",
      status: "paused",
      visibility: "published",
      leadAuthorityId: action.lead_authority_id ? String(action.lead_authority_id) : "",
      ...(action.joint ? { joint: "on" } : {}),
      statusComment: "Attente du financement",
    });
    expect(res.statusCode).toBe(303);
    const last = await one<{ from_status: string; to_status: string; comment: string }>("select * from plan_status_changes where action_id = $1 order by id desc limit 1", [actionId]);
    expect(last).toMatchObject({ from_status: "in_progress", to_status: "paused", comment: "Attente du financement" });
    const page = textOf((await agent.get(S())).body);
    expect(page).toContain("Attente du financement");
    // Same status again: a clear message, nothing written.
    const before = await n("select count(*)::int as n from plan_status_changes");
    res = await agent.post(`${S()}/statut`, { status: "paused", comment: "encore" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("déjà ce statut");
    expect(await n("select count(*)::int as n from plan_status_changes")).toBe(before);
  });

  it("sets pilots, referent élu, priority and tags; refuses an account that is not an agent of the territory", async () => {
    const pilot = Number((await one<{ id: number }>("select u.id from users u join memberships m on m.user_id = u.id where m.territory_id = $1 and m.role = 'agent' limit 1", [tid])).id);
    const outsider = Number((await one<{ id: number }>("select u.id from users u join memberships m on m.user_id = u.id join territories t on t.id = m.territory_id where t.slug = $1 limit 1", [DEMO]))?.id ?? 0);
    let res = await agent.post(`${S()}/personnes`, { pilotUserIds: [String(pilot)], referentElu: "Marie Dupont", priority: "high", tags: "emploi, Emploi, foncier" }, { formPage: S() });
    expect(res.statusCode).toBe(303);
    const a = await one<{ referent_elu: string; priority: string; tags: string[] }>("select * from plan_actions where id = $1", [actionId]);
    expect(a).toMatchObject({ referent_elu: "Marie Dupont", priority: "high", tags: ["emploi", "foncier"] });
    expect(await n("select count(*)::int as n from plan_action_pilots where action_id = $1", [actionId])).toBe(1);
    const before = await audits();
    res = await agent.post(`${S()}/personnes`, { pilotUserIds: [String(outsider || 999999)], referentElu: "X", priority: "high", tags: "" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain("<title>Erreur – ");
    expect(textOf(res.body)).toContain("agents du territoire");
    expect(await audits()).toBe(before);
    expect((await one<{ referent_elu: string }>("select referent_elu from plan_actions where id = $1", [actionId])).referent_elu).toBe("Marie Dupont");
  });

  it("keeps the schedule consistent and says how progress is computed", async () => {
    let res = await agent.post(`${S()}/calendrier`, { startDate: "2026-02-01", plannedEndDate: "2026-01-01", progressMode: "milestones", progressManual: "" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("ne peut pas précéder");
    res = await agent.post(`${S()}/calendrier`, { startDate: "2026-13-45", plannedEndDate: "", progressMode: "milestones", progressManual: "" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('value="2026-13-45"');
    res = await agent.post(`${S()}/calendrier`, { startDate: "2025-01-01", plannedEndDate: "2025-06-30", progressMode: "manual", progressManual: "40" }, { formPage: S() });
    expect(res.statusCode).toBe(303);
    const text = textOf((await agent.get(S())).body);
    expect(text).toContain("40 %");
    expect(text).toContain("saisi par l’équipe");
    expect(text).toMatch(/fin prévue .* est dépassée/);
  });

  it("adds, edits, marks done, reorders and deletes milestones; progress derives from them", async () => {
    await agent.post(`${S()}/calendrier`, { startDate: "2025-01-01", plannedEndDate: "2030-06-30", progressMode: "milestones", progressManual: "" }, { formPage: S() });
    for (const [name, due] of [
      ["Étude de faisabilité", "2025-03-01"],
      ["Choix du prestataire", "2025-09-01"],
      ["Inauguration", "2031-01-01"],
    ])
      expect((await agent.post(`${S()}/jalons`, { name, dueDate: due, doneDate: "", visibility: "published" }, { formPage: S() })).statusCode).toBe(303);
    const ms = await t.database.query<{ id: number; name: string; position: number }>("select * from plan_milestones where action_id = $1 order by position", [actionId]);
    expect(ms.map((m) => m.name)).toEqual(["Étude de faisabilité", "Choix du prestataire", "Inauguration"]);
    expect((await agent.post(`${S()}/jalons/${ms[0].id}`, { op: "fait" }, { formPage: S() })).statusCode).toBe(303);
    expect((await agent.post(`${S()}/jalons/${ms[2].id}`, { op: "monter" }, { formPage: S() })).statusCode).toBe(303);
    expect((await agent.post(`${S()}/jalons/${ms[1].id}`, { op: "enregistrer", name: "Choix du prestataire", dueDate: "2025-09-01", doneDate: "", visibility: "confidential" }, { formPage: S() })).statusCode).toBe(303);
    const after = await t.database.query<{ name: string; done_date: string | null; visibility: string }>("select name, done_date::text, visibility from plan_milestones where action_id = $1 order by position", [actionId]);
    expect(after.map((m) => m.name)).toEqual(["Étude de faisabilité", "Inauguration", "Choix du prestataire"]);
    expect(after[0].done_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const text = textOf((await agent.get(S())).body);
    expect(text).toContain("Avancement : 33 %");
    expect(text).toContain("calculé à partir des jalons réalisés");
    expect(text).toMatch(/En retard de \d/);
    // Bad input: nothing changes.
    let res = await agent.post(`${S()}/jalons`, { name: "", dueDate: "demain", visibility: "published" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("Indiquez le nom du jalon");
    res = await agent.post(`${S()}/jalons/${ms[0].id}`, { op: "exploser" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    // A milestone cannot be done in the future (new or edited).
    res = await agent.post(`${S()}/jalons`, { name: "Futur", dueDate: "", doneDate: "2099-01-01", visibility: "published" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("La date de réalisation ne peut pas être dans le futur");
    res = await agent.post(`${S()}/jalons/${ms[1].id}`, { op: "enregistrer", name: "Choix du prestataire", dueDate: "2025-09-01", doneDate: "2099-01-01", visibility: "confidential" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    expect(await n("select count(*)::int as n from plan_milestones where done_date = '2099-01-01'")).toBe(0);
    // Another action's milestone under this action's address: not found.
    const foreign = Number((await one<{ id: number }>("insert into plan_milestones (territory_id, action_id, name) values ($1, $2, 'Autre') returning id", [tid, otherId])).id);
    expect((await agent.post(`${S()}/jalons/${foreign}`, { op: "supprimer" }, { formPage: S() })).statusCode).toBe(404);
    expect(await n("select count(*)::int as n from plan_milestones where id = $1", [foreign])).toBe(1);
    res = await agent.post(`${S()}/jalons/${ms[2].id}`, { op: "supprimer" }, { formPage: S() });
    expect(res.statusCode).toBe(303);
    expect(await n("select count(*)::int as n from plan_milestones where action_id = $1", [actionId])).toBe(2);
  });

  it("enters money in euros (French format), stores cents and computes totals and gaps", async () => {
    expect((await agent.post(`${S()}/budget`, { year: "2026", nature: "investment", amount: "12 500,50", label: "Travaux" }, { formPage: S() })).statusCode).toBe(303);
    expect((await agent.post(`${S()}/budget`, { year: "2027", nature: "operating", amount: "7499,50", label: "" }, { formPage: S() })).statusCode).toBe(303);
    expect(await one("select amount_cents::int as c from plan_budget_lines where action_id = $1 and year = 2026", [actionId])).toEqual({ c: 1250050 });
    expect((await agent.post(`${S()}/financement`, { funderKind: "region", funderName: "Impulsion Industrie", requested: "10 000", granted: "8 000", paid: "2 000", comment: "" }, { formPage: S() })).statusCode).toBe(303);
    expect((await agent.post(`${S()}/financement`, { funderKind: "etat", funderName: "DETR", requested: "5000", granted: "", paid: "", comment: "" }, { formPage: S() })).statusCode).toBe(303);
    const text = textOf((await agent.get(S())).body);
    expect(text).toContain("Total Investissement 12 500,50 €, fonctionnement 7 499,50 € 20 000 €");
    // Planned 20 000, granted 8 000: 12 000 not covered, 40 %; requested 15 000 → 7 000 not granted; 6 000 granted not paid.
    expect(text).toContain("Coût prévisionnel non couvert par les aides accordées 12 000 € (aides accordées : 40 % du coût)");
    expect(text).toContain("Demandé, pas encore accordé 7 000 €");
    expect(text).toContain("Accordé, pas encore versé 6 000 €");
    const before = await audits();
    let res = await agent.post(`${S()}/budget`, { year: "26", nature: "investment", amount: "douze", label: "" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("montant en euros");
    res = await agent.post(`${S()}/financement`, { funderKind: "lune", funderName: "X", requested: "1", granted: "10", paid: "20" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    expect(await audits()).toBe(before);
    const line = await one<{ id: number }>("select id from plan_financing_lines where action_id = $1 and funder_name = 'DETR'", [actionId]);
    res = await agent.post(`${S()}/financement/${line.id}`, { op: "enregistrer", funderKind: "etat", funderName: "DETR", requested: "5000", granted: "5000", paid: "", comment: "Accordée" }, { formPage: S() });
    expect(res.statusCode).toBe(303);
    expect(await one("select granted_cents::int as g from plan_financing_lines where id = $1", [line.id])).toEqual({ g: 500000 });
  });

  it("links indicators: a local one for the action whose values are observations, and one of the catalogue", async () => {
    let res = await agent.post(`${S()}/indicateurs/nouveau`, { name: "Entreprises accompagnées", unit: "entreprises", baselineValue: "3", baselineDate: "2025-01-01", direction: "up", visibility: "published", decimals: "0" }, { formPage: S() });
    expect(res.statusCode).toBe(303);
    const link = await one<{ id: number; indicator_id: number; geo_level: string; geo_code: string }>("select * from plan_action_indicators where action_id = $1", [actionId]);
    expect(link).toMatchObject({ geo_level: "action", geo_code: String(actionId) });
    expect((await agent.post(`${S()}/indicateurs/${link.id}`, { op: "cible", targetDate: "2027-12-31", value: "20" }, { formPage: S() })).statusCode).toBe(303);
    expect((await agent.post(`${S()}/indicateurs/${link.id}`, { op: "valeur", period: "2026-06-30", value: "7,5", source: "CCI", comment: "Bilan semestriel" }, { formPage: S() })).statusCode).toBe(303);
    const obs = await one<{ value: number; source: string; geo_level: string; geo_code: string }>("select * from observations where indicator_id = $1", [link.indicator_id]);
    expect(obs).toMatchObject({ value: 7.5, source: "CCI", geo_level: "action", geo_code: String(actionId) });
    res = await agent.post(`${S()}/indicateurs/${link.id}`, { op: "valeur", period: "", value: "beaucoup" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    // A national indicator of the catalogue: linked at the territory; its values come from the observatory.
    const national = Number((await one<{ id: number }>("insert into indicators (code, name, unit) values ('test-emploi', 'Emploi salarié industriel', 'emplois') returning id")).id);
    // The observatory names a territory's series by the territory's id.
    await t.database.query("insert into observations (indicator_id, geo_level, geo_code, period, value, source) values ($1, 'territory', $2, '2025-01-01', 1234, 'URSSAF')", [national, String(tid)]);
    res = await agent.post(`${S()}/indicateurs`, { indicatorId: String(national), geoLevel: "territory", baselineValue: "", baselineDate: "", visibility: "published" }, { formPage: S() });
    expect(res.statusCode).toBe(303);
    const natLink = await one<{ id: number }>("select id from plan_action_indicators where action_id = $1 and indicator_id = $2", [actionId, national]);
    res = await agent.post(`${S()}/indicateurs/${natLink.id}`, { op: "valeur", period: "2026-01-01", value: "1" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("viennent de l’observatoire");
    const text = textOf((await agent.get(S())).body);
    expect(text).toContain("Entreprises accompagnées");
    expect(text).toContain("Bilan semestriel");
    expect(text).toMatch(/1\s?234 emplois/);
  });

  it("reads an observatory series the observatory computes for the territory (summed from its intercommunalités)", async () => {
    const pop = Number((await one<{ id: number }>("select id from indicators where code = 'pop_municipale' and territory_id is null")).id);
    const expected = Number(
      (
        await one<{ n: number }>(
          "select sum(o.value)::int as n from observations o join territory_authorities a on a.siren = o.geo_code and a.territory_id = $2 where o.indicator_id = $1 and o.geo_level = 'epci' and o.period = '2022-01-01'",
          [pop, tid],
        )
      ).n,
    );
    expect(expected).toBeGreaterThan(50_000);
    expect(await n("select count(*)::int as n from observations where indicator_id = $1 and geo_level = 'territory'", [pop])).toBe(0);
    const res = await agent.post(`${S()}/indicateurs`, { indicatorId: String(pop), geoLevel: "territory", baselineValue: "", baselineDate: "", visibility: "published" }, { formPage: S() });
    expect(res.statusCode).toBe(303);
    const figure = new Intl.NumberFormat("fr-FR").format(expected).replace(/\s/g, "\\s?");
    expect(textOf((await agent.get(S())).body)).toMatch(new RegExp(`${figure} habitants`));
    expect(textOf((await new Client(t.app).get(`/t/${REF}/actions/${actionId}`)).body)).toMatch(new RegExp(`${figure} habitants`));
  });

  it("adds notes and documents (sniffed, size-limited), downloads them with their rights", async () => {
    expect((await agent.post(`${S()}/notes`, { body: "Réunion publique tenue à Vire.", visibility: "published" }, { formPage: S() })).statusCode).toBe(303);
    expect((await agent.post(`${S()}/notes`, { body: "NOTE-CONFIDENTIELLE : négociation en cours.", visibility: "confidential" }, { formPage: S() })).statusCode).toBe(303);
    const csrf = await agent.csrf(S());
    const upload = async (fields: Record<string, string>, file?: Parameters<typeof multipart>[1]) => {
      const m = multipart({ _csrf: csrf, ...fields }, file);
      return t.app.inject({ method: "POST", url: `${S()}/documents`, headers: { cookie: agent.jar.header(), "content-type": m.contentType }, payload: m.payload });
    };
    let res = await upload({ title: "Compte rendu", visibility: "published" }, { name: "file", filename: "compte rendu été.pdf", type: "application/pdf", data: PDF });
    expect(res.statusCode).toBe(303);
    res = await upload({ title: "DOC-CONFIDENTIEL", visibility: "confidential" }, { name: "file", filename: "plan.png", type: "image/png", data: PNG });
    expect(res.statusCode).toBe(303);
    const before = await n("select count(*)::int as n from plan_action_documents");
    // A disguised file, an empty one, one over the limit, none at all: 422, nothing stored.
    res = await upload({ title: "Faux", visibility: "published" }, { name: "file", filename: "x.pdf", type: "application/pdf", data: Buffer.from([0, 1, 2, 3, 0, 0]) });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("type de fichier n'est pas accepté");
    res = await upload({ title: "Gros", visibility: "published" }, { name: "file", filename: "gros.pdf", type: "application/pdf", data: Buffer.concat([PDF, Buffer.alloc(1024 * 1024 + 10, 32)]) });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("taille autorisée");
    res = await upload({ title: "Sans fichier", visibility: "published" });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("Choisissez le fichier");
    expect(await n("select count(*)::int as n from plan_action_documents")).toBe(before);
    // Without the CSRF token: refused.
    const m = multipart({ title: "x", visibility: "published" }, { name: "file", filename: "a.pdf", type: "application/pdf", data: PDF });
    expect((await t.app.inject({ method: "POST", url: `${S()}/documents`, headers: { cookie: agent.jar.header(), "content-type": m.contentType }, payload: m.payload })).statusCode).toBe(403);

    const docs = await t.database.query<{ id: number; title: string }>("select id, title from plan_action_documents where action_id = $1 order by id", [actionId]);
    const pub = docs.find((d) => d.title === "Compte rendu")!;
    const conf = docs.find((d) => d.title === "DOC-CONFIDENTIEL")!;
    const anon = new Client(t.app);
    res = await anon.get(`/t/${REF}/actions/${actionId}/documents/${pub.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.headers["content-disposition"]).toBe(`inline; filename="compte rendu ete.pdf"; filename*=UTF-8''compte%20rendu%20%C3%A9t%C3%A9.pdf`);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.rawPayload.equals(PDF)).toBe(true);
    expect((await anon.get(`/t/${REF}/actions/${actionId}/documents/${conf.id}`)).statusCode).toBe(404);
    const funder = await signedInClient(t, { role: "committee_member", territory: REF });
    expect((await funder.get(`/t/${REF}/actions/${actionId}/documents/${conf.id}`)).statusCode).toBe(200);
    // Under another territory's address: not found.
    expect((await agent.get(`/t/${DEMO}/actions/${actionId}/documents/${pub.id}`)).statusCode).toBe(404);
  });

  it("links actions of the same territory only", async () => {
    expect((await agent.post(`${S()}/liens`, { toActionId: String(otherId), kind: "depends_on" }, { formPage: S() })).statusCode).toBe(303);
    let res = await agent.post(`${S()}/liens`, { toActionId: String(otherId), kind: "related" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("déjà liées");
    const demoAction = Number((await one<{ id: number }>("select a.id from plan_actions a join territories t on t.id = a.territory_id where t.slug = $1 limit 1", [DEMO])).id);
    res = await agent.post(`${S()}/liens`, { toActionId: String(demoAction), kind: "related" }, { formPage: S() });
    expect(res.statusCode).toBe(422);
    expect(await n("select count(*)::int as n from plan_action_links where from_action_id = $1", [actionId])).toBe(1);
    const text = textOf((await agent.get(S())).body);
    expect(text).toContain("Dépend de");
  });

  it("publishes only what is published: public page and open API, never confidential items", async () => {
    const anon = new Client(t.app);
    const res = await anon.get(`/t/${REF}/actions/${actionId}`);
    expect(res.statusCode).toBe(200);
    const text = textOf(res.body);
    expect(text).toContain("Étude de faisabilité");
    expect(text).not.toContain("Choix du prestataire");
    expect(text).toContain("Réunion publique tenue à Vire.");
    expect(text).not.toContain("NOTE-CONFIDENTIELLE");
    expect(text).not.toContain("DOC-CONFIDENTIEL");
    expect(text).toContain("Compte rendu");
    expect(text).toContain("Entreprises accompagnées");
    expect(text).toContain("Avancement");
    expect(res.body).toContain("<progress");
    expect(text).not.toContain("Impulsion Industrie");
    expect(text).not.toContain("Attente du financement");
    const api = await anon.get(`/api/v1/territories/${REF}/actions/${actionId}`);
    expect(api.statusCode).toBe(200);
    const json = api.json();
    // The confidential milestone is not published; progress counts every milestone (1 done of 2).
    expect(json.followUp.milestones.map((m: { name: string }) => m.name)).toEqual(["Étude de faisabilité"]);
    expect(json.followUp.progress).toMatchObject({ percent: 50, mode: "milestones" });
    expect(JSON.stringify(json)).not.toContain("CONFIDENTIEL");
    expect((await anon.get(`/api/v1/territories/${REF}/actions/${confidentialId}`)).statusCode).toBe(404);
    expect(json.followUp.documents[0].url).toContain(`/documents/`);
    expect(json.followUp.indicators[0]).toMatchObject({ name: "Entreprises accompagnées", unit: "entreprises" });
    // Committee members read the follow-up: confidential note and money included.
    const committee = await signedInClient(t, { role: "committee_member", territory: REF });
    const ftext = textOf((await committee.get(`/t/${REF}/actions/${actionId}`)).body);
    expect(ftext).toContain("NOTE-CONFIDENTIELLE");
    expect(ftext).toContain("Impulsion Industrie");
    expect(ftext).toContain("Choix du prestataire");
  });

  it("searches the plan in French: actions for everyone, notes and documents for follow-up readers", async () => {
    const anon = new Client(t.app);
    let res = await anon.get(`/t/${REF}/recherche?q=${encodeURIComponent("réunions publiques")}`);
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).not.toContain("Réunion publique tenue");
    res = await anon.get(`/t/${REF}/recherche?q=${encodeURIComponent("CONFIDENTIELLE-TEST")}`);
    expect(textOf(res.body)).not.toContain("Action CONFIDENTIELLE-TEST");
    const committee = await signedInClient(t, { role: "committee_member", territory: REF });
    res = await committee.get(`/t/${REF}/recherche?q=${encodeURIComponent("négociations")}`);
    expect(textOf(res.body)).toContain("négociation en cours");
    expect(res.body).toContain("<mark>");
    res = await committee.get(`/t/${REF}/recherche?q=${encodeURIComponent("compte rendu")}`);
    expect(textOf(res.body)).toContain("Compte rendu");
    res = await anon.get(`/t/${REF}/recherche?q=${encodeURIComponent("<script>alert(1)</script>")}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain("<script>alert");
  });

  it("seeds the demo territory's follow-up once: public pages show the published part, the follow-up the rest", async () => {
    const demo = Number((await one<{ id: number }>("select id from territories where slug = $1", [DEMO])).id);
    const id = async (n: number) => Number((await one<{ id: number }>("select id from plan_actions where territory_id = $1 and number = $2", [demo, n])).id);
    const anon = new Client(t.app);
    let text = textOf((await anon.get(`/t/${DEMO}/actions/${await id(4)}`)).body);
    expect(text).toContain("Première tranche viabilisée (4 ha)");
    expect(text).toContain("Surface viabilisée");
    expect(text).not.toContain("FEDER (fictif)");
    text = textOf((await anon.get(`/t/${DEMO}/actions/${await id(2)}`)).body);
    expect(text).toContain("Le site est en ligne");
    expect(text).not.toContain("Bilan avec les entreprises");
    expect(text).not.toContain("relancer le prestataire");
    const committee = await signedInClient(t, { role: "committee_member", territory: DEMO });
    text = textOf((await committee.get(`/t/${DEMO}/suivi`)).body);
    expect(text).toContain("Avancement, retards et financement des actions");
    expect(text).toMatch(/1 jalon en retard/);
    expect(await n("select count(*)::int as n from audit_log where entity = 'action_followup' and territory_id = $1", [demo])).toBe(1);
  });
});
