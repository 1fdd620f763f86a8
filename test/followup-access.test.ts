// Roles in practice: committee members and funders read the follow-up (confidential included, never
// drafts) without editing anything; an agent limited to one intercommunalité edits only its actions
// and the joint (◆) ones it is partner of.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, createTestApp, DB_KINDS, DEMO, REF, signedInClient, type TestApp } from "./helpers/app.ts";
import { expectWellFormedPage, mainOf, textOf } from "./helpers/html.ts";

const FLERS_SIREN = "200035814";

interface ActionRow {
  id: number;
  number: number;
  title: string;
  description: string | null;
  status: string | null;
  visibility: string;
  objective_id: number;
  lead_authority_id: number | null;
  joint: boolean;
  commune_code: string | null;
}

describe.each(DB_KINDS)("follow-up access and limited agents on %s", (kind) => {
  let t: TestApp;
  let refId: number;
  let demoId: number;
  let flersId: number;
  let draft: ActionRow;
  let confidential: ActionRow;
  const anon = () => new Client(t.app);

  const rows = async <T>(sql: string, params: unknown[] = []) => t.database.query<T>(sql, params);
  const one = async <T>(sql: string, params: unknown[] = []) => (await rows<T>(sql, params))[0];
  const auditCount = async () => Number((await one<{ n: number }>("select count(*)::int as n from audit_log")).n);
  const action = (territoryId: number, n: number) => one<ActionRow>("select * from plan_actions where territory_id = $1 and number = $2", [territoryId, n]);
  const partnerIds = async (actionId: number) =>
    (await rows<{ authority_id: number | null }>("select authority_id from plan_action_partners where action_id = $1 order by position", [actionId])).map((r) => r.authority_id);
  const userId = async (email: string) => Number((await one<{ id: number }>("select id from users where email = $1", [email])).id);
  /** The action form as the browser sends it for a stored action, with some fields changed. */
  const actionFields = async (a: ActionRow, extra: Record<string, string | string[]> = {}) => {
    const partners = await partnerIds(a.id);
    const fields: Record<string, string | string[]> = {
      objectiveId: String(a.objective_id),
      number: String(a.number),
      title: a.title,
      description: a.description ?? "",
      status: a.status ?? "",
      visibility: a.visibility,
      leadAuthorityId: a.lead_authority_id ? String(a.lead_authority_id) : "",
      partnerAuthorityIds: partners.filter((p) => p !== null).map(String),
      otherPartners: "",
      communeCode: a.commune_code ?? "",
    };
    if (a.joint) fields.joint = "on";
    return { ...fields, ...extra };
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    refId = Number((await one<{ id: number }>("select id from territories where slug = $1", [REF])).id);
    demoId = Number((await one<{ id: number }>("select id from territories where slug = $1", [DEMO])).id);
    flersId = Number((await one<{ id: number }>("select id from territory_authorities where territory_id = $1 and siren = $2", [refId, FLERS_SIREN])).id);
    draft = await action(demoId, 15);
    confidential = await action(demoId, 20);
  });
  afterAll(async () => t?.close());

  it("starts from the demo's draft action 15 and confidential action 20", () => {
    expect(draft.visibility).toBe("draft");
    expect(confidential.visibility).toBe("confidential");
  });

  it("never shows the confidential action to anonymous visitors: page, API and CSV", async () => {
    const visitor = anon();
    expect((await visitor.get(`/t/${DEMO}/actions/${confidential.id}`)).statusCode).toBe(404);
    expect((await visitor.get(`/api/v1/territories/${DEMO}/actions/${confidential.id}`)).statusCode).toBe(404);
    const csv = await visitor.get(`/t/${DEMO}/plan.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toContain(confidential.title);
    expect(textOf((await visitor.get(`/t/${DEMO}/plan`)).body)).not.toContain(confidential.title);
    expect(JSON.stringify((await visitor.get(`/api/v1/territories/${DEMO}/plan`)).json())).not.toContain(confidential.title);
    const suivi = await visitor.get(`/t/${DEMO}/suivi`);
    expect(suivi.statusCode).toBe(303);
    expect(suivi.headers.location).toBe(`/connexion?retour=${encodeURIComponent(`/t/${DEMO}/suivi`)}`);
    expect((await visitor.get("/gestion/suivi")).statusCode).toBe(303);
  });

  it("lets a committee member read the confidential action, badged, but not the draft, and edit nothing", async () => {
    const member = await signedInClient(t, { role: "committee_member", territory: DEMO });

    const page = await member.get(`/t/${DEMO}/actions/${confidential.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers["cache-control"]).toBe("private, no-store");
    expectWellFormedPage(page, { signedIn: true });
    const text = textOf(mainOf(page.body));
    expect(text).toContain(confidential.title);
    expect(page.body).toContain('<span class="badge badge-confidential">Confidentiel</span>');
    expect(text).not.toContain("Modifier cette action");
    expect((await member.get(`/t/${DEMO}/actions/${draft.id}`)).statusCode).toBe(404);

    const plan = await member.get(`/t/${DEMO}/plan`);
    expect(plan.statusCode).toBe(200);
    expect(textOf(plan.body)).toContain(confidential.title);
    expect(textOf(plan.body)).not.toContain(draft.title);
    expect(plan.body).toContain("badge-confidential");

    const suivi = await member.get(`/t/${DEMO}/suivi`);
    expect(suivi.statusCode).toBe(200);
    expectWellFormedPage(suivi, { signedIn: true });
    expect(suivi.body).toContain("<caption");
    expect(suivi.body).toContain(`href="/t/${DEMO}/actions/${confidential.id}"`);
    expect(suivi.body).not.toContain(`/actions/${draft.id}"`);
    expect(textOf(suivi.body)).toContain(confidential.title);
    expect(textOf(suivi.body)).not.toContain(draft.title);
    // 20 actions, minus the draft.
    expect(textOf(mainOf(suivi.body))).toContain("19 actions, dont 1 confidentielle");
    // The follow-up of another territory is not theirs.
    expect((await member.get(`/t/${REF}/suivi`)).statusCode).toBe(403);

    // Read-only: the back-office stays closed and a forged post changes nothing.
    expect((await member.get(`/t/${DEMO}/gestion`)).statusCode).toBe(403);
    expect((await member.get(`/t/${DEMO}/gestion/actions/${confidential.id}`)).statusCode).toBe(403);
    const before = await auditCount();
    const res = await member.post(`/t/${DEMO}/gestion/actions/${confidential.id}`, await actionFields(confidential, { title: "Piraté" }), { formPage: `/t/${DEMO}/suivi` });
    expect(res.statusCode).toBe(403);
    expect(textOf(res.body)).toContain("Accès refusé");
    const theme = await one<{ id: number; code: string; title: string }>("select id, code, title from plan_themes where territory_id = $1 order by position limit 1", [demoId]);
    const themeRes = await member.post(`/t/${DEMO}/gestion/thematiques/${theme.id}`, { code: theme.code, title: "Piraté", visibility: "published" }, { formPage: `/t/${DEMO}/suivi` });
    expect(themeRes.statusCode).toBe(403);
    expect((await action(demoId, 20)).title).toBe(confidential.title);
    expect(await auditCount()).toBe(before);

    // Their home links to the follow-up, not to a back-office they cannot open.
    const home = await member.get("/gestion");
    expect(home.body).toContain(`href="/t/${DEMO}/suivi"`);
    expect(home.body).toContain('href="/gestion/suivi"');
    expect(home.body).not.toContain(`href="/t/${DEMO}/gestion"`);

    // Anonymous again after them: nothing leaked through the shared page cache.
    expect((await anon().get(`/t/${DEMO}/actions/${confidential.id}`)).statusCode).toBe(404);
    expect(textOf((await anon().get(`/t/${DEMO}/plan`)).body)).not.toContain(confidential.title);
  });

  it("shows a Région funder its two territories side by side, read-only", async () => {
    const email = `region-${kind}@exemple.fr`;
    const funder = await signedInClient(t, { email });
    await t.database.query("insert into funder_grants (user_id, label, region_code) values ($1, $2, $3)", [await userId(email), "Région Normandie", "28"]);

    const res = await funder.get("/gestion/suivi");
    expect(res.statusCode).toBe(200);
    expectWellFormedPage(res, { signedIn: true });
    expect(res.body).toContain("<caption");
    expect(res.body).toContain(`href="/t/${REF}/suivi"`);
    expect(res.body).toContain(`href="/t/${DEMO}/suivi"`);
    const text = textOf(mainOf(res.body));
    expect(text).toContain("Collines de Normandie");
    expect(text).toContain("2 territoires suivis");
    expect(text).toContain("Financeur ou signataire");

    const home = await funder.get("/gestion");
    expect(home.body).toContain('href="/gestion/suivi"');
    expect(home.body).toContain(`href="/t/${DEMO}/suivi"`);

    const suivi = await funder.get(`/t/${DEMO}/suivi`);
    expect(suivi.statusCode).toBe(200);
    expect(textOf(suivi.body)).toContain(confidential.title);
    expect(textOf(suivi.body)).not.toContain(draft.title);
    expect((await funder.get(`/t/${DEMO}/actions/${confidential.id}`)).statusCode).toBe(200);
    expect((await funder.get(`/t/${DEMO}/actions/${draft.id}`)).statusCode).toBe(404);

    for (const slug of [REF, DEMO]) expect((await funder.get(`/t/${slug}/gestion`)).statusCode).toBe(403);
    const before = await auditCount();
    const post = await funder.post(`/t/${DEMO}/gestion/actions/${confidential.id}`, await actionFields(confidential, { title: "Piraté" }), { formPage: "/gestion/suivi" });
    expect(post.statusCode).toBe(403);
    const archive = await funder.post(`/t/${DEMO}/gestion/actions/${confidential.id}/archiver`, {}, { formPage: "/gestion/suivi" });
    expect(archive.statusCode).toBe(403);
    expect(await auditCount()).toBe(before);
    expect((await action(demoId, 20)).title).toBe(confidential.title);
  });

  it("shows a person who follows no territory an empty follow-up overview", async () => {
    const nobody = await signedInClient(t, { role: "industrialist", territory: DEMO });
    const res = await nobody.get("/gestion/suivi");
    expect(res.statusCode).toBe(200);
    expect(textOf(mainOf(res.body))).toContain("Vous ne suivez encore aucun territoire.");
    expect(res.body).not.toContain(`href="/t/${DEMO}/suivi"`);
    expect((await nobody.get(`/t/${DEMO}/suivi`)).statusCode).toBe(403);
    expect((await nobody.get(`/t/${DEMO}/actions/${confidential.id}`)).statusCode).toBe(404);
  });

  it("limits an agent of Flers Agglo to its actions and the joint ones it is partner of", async () => {
    const email = `agent-flers-${kind}@exemple.fr`;
    const agent = await signedInClient(t, { role: "agent", territory: REF, email });
    await t.database.query("update memberships set authority_id = $1 where user_id = $2 and territory_id = $3", [flersId, await userId(email), refId]);
    const G = `/t/${REF}/gestion`;

    const joint = await action(refId, 1);
    const notJoint = await action(refId, 2);
    expect(joint.joint).toBe(true);
    expect(await partnerIds(joint.id)).toContain(flersId);
    expect(notJoint.joint).toBe(false);
    expect(notJoint.lead_authority_id).not.toBe(flersId);

    // The tree offers "Modifier" only where it is allowed.
    const tree = await agent.get(G);
    expect(tree.statusCode).toBe(200);
    expect(tree.body).toContain(`href="${G}/actions/${joint.id}"`);
    expect(tree.body).not.toContain(`href="${G}/actions/${notJoint.id}"`);
    expect(tree.body).not.toContain(`href="${G}/thematiques/nouvelle"`);
    expect(tree.body).not.toMatch(new RegExp(`href="${G}/thematiques/\\d+"`));
    expect(tree.body).not.toMatch(new RegExp(`href="${G}/objectifs/\\d+"`));
    expect(textOf(tree.body)).toContain("Vous modifiez les actions portées par");

    // The joint action: editable.
    expect((await agent.get(`${G}/actions/${joint.id}`)).statusCode).toBe(200);
    const saved = await agent.post(`${G}/actions/${joint.id}`, await actionFields(joint, { status: "in_progress" }));
    expect(saved.statusCode).toBe(303);
    expect((await action(refId, 1)).status).toBe("in_progress");
    // The public sheet offers the edit link too.
    expect((await agent.get(`/t/${REF}/actions/${joint.id}`)).body).toContain(`href="${G}/actions/${joint.id}"`);

    // But not so far that the action would leave its hands (Flers dropped as partner): refused, nothing written.
    let before = await auditCount();
    const lost = await agent.post(`${G}/actions/${joint.id}`, await actionFields(joint, { partnerAuthorityIds: [] }), { formPage: G });
    expect(lost.statusCode).toBe(403);
    expect(await partnerIds(joint.id)).toContain(flersId);
    expect(await auditCount()).toBe(before);

    // Action 2, led by the other intercommunalité and not joint: refused everywhere.
    before = await auditCount();
    expect((await agent.get(`${G}/actions/${notJoint.id}`)).statusCode).toBe(403);
    const refused = await agent.post(`${G}/actions/${notJoint.id}`, await actionFields(notJoint, { title: "Changement refusé" }), { formPage: G });
    expect(refused.statusCode).toBe(403);
    expect(textOf(refused.body)).toContain("Vous ne pouvez modifier que les actions portées par votre intercommunalité");
    for (const verb of ["archiver", "monter", "descendre"]) {
      expect((await agent.post(`${G}/actions/${notJoint.id}/${verb}`, {}, { formPage: G })).statusCode, verb).toBe(403);
    }
    expect((await action(refId, 2)).title).toBe(notJoint.title);
    expect(await auditCount()).toBe(before);
    expect((await agent.get(`/t/${REF}/actions/${notJoint.id}`)).body).not.toContain(`href="${G}/actions/${notJoint.id}"`);

    // Themes and objectives: refused.
    const theme = await one<{ id: number; code: string; title: string }>("select id, code, title from plan_themes where territory_id = $1 order by position limit 1", [refId]);
    expect((await agent.get(`${G}/thematiques/${theme.id}`)).statusCode).toBe(403);
    expect((await agent.post(`${G}/thematiques/${theme.id}`, { code: theme.code, title: "Changement refusé", visibility: "published" }, { formPage: G })).statusCode).toBe(403);
    expect((await agent.post(`${G}/thematiques/nouvelle`, { code: "REFUS", title: "Refusée", visibility: "draft" }, { formPage: G })).statusCode).toBe(403);
    expect((await agent.post(`${G}/objectifs/nouveau`, { themeId: String(theme.id), title: "Refusé", visibility: "draft" }, { formPage: G })).statusCode).toBe(403);
    expect(await auditCount()).toBe(before);

    // New actions: led by Flers Agglo only (the form offers no other lead).
    const form = await agent.get(`${G}/actions/nouvelle`);
    expect(form.statusCode).toBe(200);
    const leadSelect = /name="leadAuthorityId"[\s\S]*?<\/select>/.exec(form.body)?.[0] ?? "";
    expect(leadSelect).toContain(`<option value="${flersId}" selected>`);
    expect(leadSelect.match(/<option /g)).toHaveLength(1);
    const newFields = (lead: number | null) => ({
      objectiveId: String(joint.objective_id),
      number: "",
      title: `Action de Flers Agglo ${lead ?? "sans porteur"}`,
      description: "",
      status: "",
      visibility: "draft",
      leadAuthorityId: lead ? String(lead) : "",
      otherPartners: "",
      communeCode: "",
    });
    expect((await agent.post(`${G}/actions/nouvelle`, { ...newFields(notJoint.lead_authority_id), number: "900" })).statusCode).toBe(403);
    expect((await agent.post(`${G}/actions/nouvelle`, { ...newFields(null), number: "901" })).statusCode).toBe(403);
    expect(await auditCount()).toBe(before);
    const created = await agent.post(`${G}/actions/nouvelle`, { ...newFields(flersId), number: "902" });
    expect(created.statusCode).toBe(303);
    const mine = await action(refId, 902);
    expect(mine.lead_authority_id).toBe(flersId);
    // Its own action: editable and archivable.
    expect((await agent.post(`${G}/actions/${mine.id}/archiver`, {}, { formPage: G })).statusCode).toBe(303);
  });

  it("lets an agent of the whole territory edit every action, theme and objective", async () => {
    const agent = await signedInClient(t, { role: "agent", territory: REF });
    const G = `/t/${REF}/gestion`;
    const notJoint = await action(refId, 2);
    const tree = await agent.get(G);
    expect(tree.body).toContain(`href="${G}/actions/${notJoint.id}"`);
    expect(tree.body).toContain(`href="${G}/thematiques/nouvelle"`);
    expect(textOf(tree.body)).not.toContain("Vous modifiez les actions portées par");
    const res = await agent.post(`${G}/actions/${notJoint.id}`, await actionFields(notJoint, { status: "planned" }));
    expect(res.statusCode).toBe(303);
    expect((await action(refId, 2)).status).toBe("planned");
    const theme = await one<{ id: number }>("select id from plan_themes where territory_id = $1 order by position limit 1", [refId]);
    expect((await agent.get(`${G}/thematiques/${theme.id}`)).statusCode).toBe(200);
  });
});
