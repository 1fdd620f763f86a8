// The back-office of a territory: plan (themes, objectives, actions), pages and contacts, through
// HTTP as a browser without JavaScript would use it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, createTestApp, DB_KINDS, DEMO, REF, signedInClient, type TestApp } from "./helpers/app.ts";

describe.each(DB_KINDS)("back-office on %s", (kind) => {
  let t: TestApp;
  let agent: Client;
  const G = `/t/${REF}/gestion`;

  const one = async <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await t.database.query<T>(sql, params))[0];
  const count = async (table: string) => Number((await one<{ n: number }>(`select count(*)::int as n from ${table}`)).n);
  const counts = async () => ({
    themes: await count("plan_themes"),
    objectives: await count("plan_objectives"),
    actions: await count("plan_actions"),
    partners: await count("plan_action_partners"),
    pages: await count("territory_pages"),
    contacts: await count("territory_contacts"),
    audit: await count("audit_log"),
  });
  const territoryId = async (slug: string) => Number((await one<{ id: number }>("select id from territories where slug = $1", [slug])).id);
  const actionByNumber = async (slug: string, n: number) =>
    one<{ id: number; objective_id: number; position: number; status: string | null; archived_at: Date | null; title: string }>(
      "select * from plan_actions where territory_id = $1 and number = $2",
      [await territoryId(slug), n],
    );
  const publicPlan = async () => {
    const res = await t.app.inject({ url: `/api/v1/territories/${REF}/plan` });
    expect(res.statusCode).toBe(200);
    return res.json() as { themes: { code: string; title: string; objectives: { id: number; title: string; actions: { number: number; title: string; partners: { name: string }[] }[] }[] }[] };
  };
  const publicNumbers = async () => (await publicPlan()).themes.flatMap((th) => th.objectives.flatMap((o) => o.actions.map((a) => a.number)));
  const lastAudit = () => one<{ action: string; entity: string; entity_id: string; before: unknown; after: unknown; actor_role: string }>("select * from audit_log order by id desc limit 1");

  /** A full valid action form, to be overridden field by field. */
  const actionFields = (objectiveId: number, extra: Record<string, string | string[]> = {}) => ({
    objectiveId: String(objectiveId),
    number: "",
    title: "Créer un club des DRH de l'industrie",
    description: "Réunir les responsables des ressources humaines.\n\nDeux rencontres par an.",
    status: "",
    visibility: "published",
    leadAuthorityId: "",
    otherPartners: "",
    communeCode: "",
    ...extra,
  });

  beforeAll(async () => {
    t = await createTestApp(kind);
    agent = await signedInClient(t, { role: "agent", territory: REF });
  });
  afterAll(async () => t?.close());

  it("sends anonymous visitors to the sign-in page and refuses their posts", async () => {
    const anon = new Client(t.app);
    for (const url of [G, `${G}/thematiques/nouvelle`, `${G}/actions/nouvelle`, `${G}/pages`, `${G}/coordonnees`]) {
      const res = await anon.get(url);
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toBe(`/connexion?retour=${encodeURIComponent(url)}`);
    }
    const before = await counts();
    // Without a token: the CSRF check refuses.
    const raw = await t.app.inject({ method: "POST", url: `${G}/thematiques/nouvelle`, headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "code=X&title=X&visibility=published" });
    expect(raw.statusCode).toBe(403);
    // With a valid token from a public form: the permission check refuses.
    const res = await anon.post(`${G}/thematiques/nouvelle`, { code: "PIRATE", title: "Pirate", visibility: "published" }, { formPage: "/connexion" });
    expect(res.statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it("shows the whole plan with its badges, the side navigation and the add links", async () => {
    const res = await agent.get(G);
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toContain("no-store");
    const html = res.body;
    expect(html).toContain("<h1>Gestion du plan d'actions</h1>");
    expect(html).toContain('aria-label="Menu de gestion"');
    expect(html).toContain(`href="${G}/pages"`);
    expect(html).toContain(`href="${G}/coordonnees"`);
    expect(html).toContain(`href="/t/${REF}"`);
    expect(html).toContain("Ajouter une thématique");
    expect(html).toContain("Ajouter un objectif");
    expect(html).toContain("Ajouter une action");
    expect(html).toContain("ATTIRER");
    expect(html).toContain("Publié");
    expect(html).toContain("Statut non renseigné");
    expect(html.match(/>Monter</g)?.length).toBeGreaterThan(5);
    expect(html).toContain("Aucun élément n'est archivé.");
  });

  it("creates a theme, an objective and an action, which reach the public portal once published", async () => {
    const before = await counts();
    const tid = await territoryId(REF);

    // Theme: the code is upper-cased.
    let res = await agent.post(`${G}/thematiques/nouvelle`, { code: "valoriser", title: "Valoriser l'industrie", description: "", visibility: "published" });
    expect(res.statusCode).toBe(303);
    const theme = await one<{ id: number; code: string; position: number }>("select * from plan_themes where territory_id = $1 and code = 'VALORISER'", [tid]);
    expect(theme).toBeTruthy();
    expect((await lastAudit()).entity).toBe("theme");
    res = await agent.get(res.headers.location as string);
    expect(res.body).toContain("Thématique VALORISER ajoutée.");

    // Objective, preselected from the tree's link.
    res = await agent.get(`${G}/objectifs/nouveau?theme=${theme.id}`);
    expect(res.body).toMatch(new RegExp(`<option value="${theme.id}" selected`));
    res = await agent.post(`${G}/objectifs/nouveau`, { themeId: String(theme.id), title: "Faire connaître les métiers", visibility: "draft" });
    expect(res.statusCode).toBe(303);
    const objective = await one<{ id: number }>("select id from plan_objectives where theme_id = $1", [theme.id]);

    // Action: the form proposes the next free number (19 actions in the reference plan).
    res = await agent.get(`${G}/actions/nouvelle?objectif=${objective.id}`);
    expect(res.body).toContain('name="number" type="text" value="20"');
    const flers = await one<{ id: number }>("select id from territory_authorities where territory_id = $1 and short_name is null", [tid]);
    const ivn = await one<{ id: number }>("select id from territory_authorities where territory_id = $1 and short_name = 'IVN'", [tid]);
    const commune = await one<{ code: string }>("select c.code from geo_communes c join territory_authorities a on a.siren = c.epci_siren where a.territory_id = $1 order by c.code limit 1", [tid]);
    res = await agent.post(
      `${G}/actions/nouvelle`,
      actionFields(objective.id, {
        number: "20",
        status: "in_progress",
        leadAuthorityId: String(ivn.id),
        joint: "on",
        partnerAuthorityIds: String(flers.id),
        otherPartners: "CCI Ouest Normandie\n\n  CCI Ouest Normandie \nPôle emploi",
        communeCode: commune.code,
      }),
      { formPage: `${G}/actions/nouvelle` },
    );
    expect(res.statusCode).toBe(303);
    res = await agent.get(res.headers.location as string);
    expect(res.body).toContain("Action 20 enregistrée.");
    const action = await actionByNumber(REF, 20);
    expect(action.status).toBe("in_progress");
    const partners = await t.database.query<{ name: string; authority_id: number | null }>("select name, authority_id from plan_action_partners where action_id = $1 order by position", [action.id]);
    expect(partners.map((p) => p.name)).toEqual(["Flers Agglo", "CCI Ouest Normandie", "Pôle emploi"]);
    expect(partners[0].authority_id).toBe(flers.id);

    const after = await counts();
    expect(after.themes).toBe(before.themes + 1);
    expect(after.objectives).toBe(before.objectives + 1);
    expect(after.actions).toBe(before.actions + 1);
    expect(after.audit).toBe(before.audit + 3);

    // The objective is a draft: the published action under it stays off the public portal.
    expect(await publicNumbers()).not.toContain(20);
    expect((await t.app.inject({ url: `/t/${REF}/actions/${action.id}` })).statusCode).toBe(404);
    // The staff still sees its sheet, with a link back to the form.
    expect((await agent.get(`/t/${REF}/actions/${action.id}`)).body).toContain(`${G}/actions/${action.id}`);

    res = await agent.post(`${G}/objectifs/${objective.id}`, { themeId: String(theme.id), title: "Faire connaître les métiers", visibility: "published" });
    expect(res.statusCode).toBe(303);
    expect(await publicNumbers()).toContain(20);
    const plan = await publicPlan();
    const published = plan.themes.find((th) => th.code === "VALORISER")!.objectives[0].actions[0];
    expect(published.partners.map((p) => p.name)).toEqual(["Flers Agglo", "CCI Ouest Normandie", "Pôle emploi"]);
    expect((await t.app.inject({ url: `/t/${REF}/plan` })).body).toContain("Créer un club des DRH");
  });

  it("answers 422 with the values kept, an error summary and nothing written", async () => {
    const objective = await actionByNumber(REF, 1);
    const before = await counts();
    const res = await agent.post(`${G}/actions/nouvelle`, actionFields(objective.objective_id, { number: "abc", title: "", description: "Gardée telle quelle <b>", status: "bogus" }));
    expect(res.statusCode).toBe(422);
    const html = res.body;
    expect(html).toContain("<title>Erreur – Ajouter une action");
    expect(html).toContain('class="error-summary"');
    expect(html).toContain('href="#champ-title"');
    expect(html).toContain('href="#champ-number"');
    expect(html).toContain('href="#champ-status"');
    expect(html).toContain("Indiquez le titre de l'action.");
    expect(html).toContain("Le numéro est un nombre entier de 1 à 999.");
    expect(html).toContain('id="champ-title"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain("Gardée telle quelle &lt;b>");
    expect(html).toContain('value="abc"');
    expect(await counts()).toEqual(before);
  });

  it("refuses a number already used, archived actions included", async () => {
    const first = await actionByNumber(REF, 1);
    const before = await counts();
    let res = await agent.post(`${G}/actions/nouvelle`, actionFields(first.objective_id, { number: "1", title: "Doublon" }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain(`Ce numéro est déjà utilisé par l'action « ${first.title.slice(0, 40)}`);
    expect(res.body).toContain('value="Doublon"');
    // Out of range.
    for (const number of ["0", "1000", "-3", "2.5", "1e2"]) {
      res = await agent.post(`${G}/actions/nouvelle`, actionFields(first.objective_id, { number, title: "Hors bornes" }));
      expect(res.statusCode, number).toBe(422);
    }
    // Editing action 2 to take number 1.
    const second = await actionByNumber(REF, 2);
    res = await agent.post(`${G}/actions/${second.id}`, actionFields(second.objective_id, { number: "1", title: second.title }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain("Ce numéro est déjà utilisé");
    expect(await counts()).toEqual(before);
  });

  it("validates cross-references: objective, lead, partners and commune of the territory", async () => {
    const first = await actionByNumber(REF, 1);
    const demoAction = await actionByNumber(DEMO, 1);
    const demoAuthority = await one<{ id: number }>("select id from territory_authorities where territory_id = $1 limit 1", [await territoryId(DEMO)]);
    const ivn = await one<{ id: number }>("select id from territory_authorities where territory_id = $1 and short_name = 'IVN'", [await territoryId(REF)]);
    const before = await counts();
    const res = await agent.post(
      `${G}/actions/nouvelle`,
      actionFields(demoAction.objective_id, { number: "500", leadAuthorityId: String(demoAuthority.id), communeCode: "75056", partnerAuthorityIds: [String(ivn.id)] }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#champ-objectiveId"');
    expect(res.body).toContain('href="#champ-leadAuthorityId"');
    expect(res.body).toContain('href="#champ-communeCode"');
    // The lead cannot also be a partner.
    const res2 = await agent.post(`${G}/actions/nouvelle`, actionFields(first.objective_id, { number: "501", leadAuthorityId: String(ivn.id), partnerAuthorityIds: [String(ivn.id)] }));
    expect(res2.statusCode).toBe(422);
    expect(res2.body).toContain('href="#champ-partnerAuthorityIds"');
    expect(res2.body).toMatch(/id="champ-partnerAuthorityIds"[^>]*checked/);
    expect(await counts()).toEqual(before);
  });

  it("survives repeated fields and absurd values without a 500", async () => {
    const first = await actionByNumber(REF, 1);
    const before = await counts();
    const cases: Record<string, string | string[]>[] = [
      actionFields(first.objective_id, { objectiveId: ["999999999999999", "1"], number: ["7777", "8"] }),
      actionFields(first.objective_id, { objectiveId: "-1", number: "12", title: "x".repeat(301) }),
      actionFields(first.objective_id, { number: "12", title: "ok\u0000", visibility: "public", leadAuthorityId: "abc", partnerAuthorityIds: ["1", "x"], communeCode: "<script>" }),
      actionFields(first.objective_id, { number: "600", description: "y".repeat(10001) }),
      {},
    ];
    for (const fields of cases) {
      const res = await agent.post(`${G}/actions/nouvelle`, fields, { formPage: G });
      expect(res.statusCode).toBe(422);
      expect(res.body).toContain('class="error-summary"');
    }
    for (const url of [`${G}?archives=1&archives=x`, `${G}?archives[]=1`, `${G}/objectifs/nouveau?theme=abc&theme=1`, `${G}/actions/nouvelle?objectif=-5`, `${G}/pages/accessibilite?depart=x&depart=y`]) {
      expect((await agent.get(url)).statusCode, url).toBe(200);
    }
    for (const url of [`${G}/actions/abc`, `${G}/actions/0`, `${G}/actions/99999999999`, `${G}/thematiques/1e3`]) {
      expect((await agent.get(url)).statusCode, url).toBe(404);
    }
    expect((await agent.post(`${G}/thematiques/nouvelle`, { code: ["É!", "OK"], title: ["", "Titre"], visibility: ["x"] }, { formPage: G })).statusCode).toBe(422);
    expect(await counts()).toEqual(before);
  });

  it("edits an action: same number is fine, moving to another objective puts it last, status can be emptied", async () => {
    const a5 = await actionByNumber(REF, 5);
    const a1 = await actionByNumber(REF, 1);
    expect(a5.objective_id).not.toBe(a1.objective_id);
    const last = await one<{ m: number }>("select max(position) as m from plan_actions where objective_id = $1", [a1.objective_id]);
    const before = await counts();
    // Unchanged: nothing written.
    let form = await agent.get(`${G}/actions/${a5.id}`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`value="${a5.title}"`);
    const row = await one<{ lead_authority_id: number | null; joint: boolean; commune_code: string | null; description: string | null }>("select * from plan_actions where id = $1", [a5.id]);
    const authorityPartners = await t.database.query<{ authority_id: number }>("select authority_id from plan_action_partners where action_id = $1 and authority_id is not null", [a5.id]);
    let res = await agent.post(
      `${G}/actions/${a5.id}`,
      actionFields(a5.objective_id, {
        number: "5",
        title: a5.title,
        description: row.description ?? "",
        leadAuthorityId: row.lead_authority_id ? String(row.lead_authority_id) : "",
        joint: row.joint ? "on" : "",
        communeCode: row.commune_code ?? "",
        partnerAuthorityIds: authorityPartners.map((p) => String(p.authority_id)),
      }),
    );
    expect(res.statusCode).toBe(303);
    expect(decodeURIComponent(decodeURIComponent(String(res.headers["set-cookie"])))).toContain("Aucune modification");
    expect((await counts()).audit).toBe(before.audit);

    res = await agent.post(`${G}/actions/${a5.id}`, actionFields(a1.objective_id, { number: "5", title: "Titre modifié", status: "done" }));
    expect(res.statusCode).toBe(303);
    let moved = await actionByNumber(REF, 5);
    expect(moved.objective_id).toBe(a1.objective_id);
    expect(moved.position).toBe(Number(last.m) + 1);
    expect(moved.status).toBe("done");
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: "update", entity: "action", entity_id: String(a5.id) });
    expect(audit.after).toMatchObject({ title: "Titre modifié", status: "done", objectiveId: a1.objective_id });
    const updated = await one<{ updated_at: Date }>("select updated_at from plan_actions where id = $1", [a5.id]);
    expect(Date.now() - new Date(updated.updated_at).getTime()).toBeLessThan(60_000);

    res = await agent.post(`${G}/actions/${a5.id}`, actionFields(a1.objective_id, { number: "5", title: "Titre modifié", status: "" }));
    moved = await actionByNumber(REF, 5);
    expect(moved.status).toBeNull();
    expect((await counts()).audit).toBe(before.audit + 2);
    form = await agent.get(`${G}/actions/${a5.id}`);
    expect(form.body).toContain("Non renseigné");
  });

  it("reorders within the parent with Monter and Descendre", async () => {
    const themeOrder = async () => (await publicPlan()).themes.map((th) => th.code);
    const initial = await themeOrder();
    const second = await one<{ id: number }>("select id from plan_themes where territory_id = $1 and code = $2", [await territoryId(REF), initial[1]]);
    const before = await counts();
    let res = await agent.post(`${G}/thematiques/${second.id}/monter`, {}, { formPage: G });
    expect(res.statusCode).toBe(303);
    expect(await themeOrder()).toEqual([initial[1], initial[0], ...initial.slice(2)]);
    expect((await counts()).audit).toBe(before.audit + 1);
    expect(await lastAudit()).toMatchObject({ action: "reorder", entity: "theme" });
    // Already first: nothing written.
    res = await agent.post(`${G}/thematiques/${second.id}/monter`, {}, { formPage: G });
    expect(res.statusCode).toBe(303);
    expect((await counts()).audit).toBe(before.audit + 1);
    res = await agent.post(`${G}/thematiques/${second.id}/descendre`, {}, { formPage: G });
    expect(await themeOrder()).toEqual(initial);

    // Actions within their objective.
    const a2 = await actionByNumber(REF, 2);
    const siblings = await t.database.query<{ number: number }>("select number from plan_actions where objective_id = $1 and archived_at is null order by position, number", [a2.objective_id]);
    if (siblings.length > 1) {
      const target = siblings[1].number;
      const a = await actionByNumber(REF, target);
      await agent.post(`${G}/actions/${a.id}/monter`, {}, { formPage: G });
      const now = await t.database.query<{ number: number }>("select number from plan_actions where objective_id = $1 and archived_at is null order by position, number", [a2.objective_id]);
      expect(now[0].number).toBe(target);
    }
  });

  it("archives and restores themes, objectives and actions; archived items leave the public portal", async () => {
    const a3 = await actionByNumber(REF, 3);
    const before = await counts();
    let res = await agent.post(`${G}/actions/${a3.id}/archiver`, {}, { formPage: G });
    expect(res.statusCode).toBe(303);
    expect(await publicNumbers()).not.toContain(3);
    expect((await actionByNumber(REF, 3)).archived_at).not.toBeNull();
    expect((await t.app.inject({ url: `/api/v1/territories/${REF}/actions/${a3.id}` })).statusCode).toBe(404);
    // Shown in the archives, not in the tree.
    let home = await agent.get(`${G}?archives=1`);
    expect(home.body).toContain("Actions archivées");
    expect(home.body).toContain(`${G}/actions/${a3.id}/restaurer`);
    expect((await agent.get(G)).body).toContain("Afficher les éléments archivés (1)");
    // Numbers are never reused.
    res = await agent.post(`${G}/actions/nouvelle`, actionFields(a3.objective_id, { number: "3" }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain("archivée");
    res = await agent.post(`${G}/actions/${a3.id}/restaurer`, {}, { formPage: G });
    expect(res.statusCode).toBe(303);
    expect(await publicNumbers()).toContain(3);

    // Archiving an objective keeps its live actions but takes them off the public portal.
    const objectiveActions = (await t.database.query<{ number: number }>("select number from plan_actions where objective_id = $1 and archived_at is null", [a3.objective_id])).map((r) => r.number);
    res = await agent.post(`${G}/objectifs/${a3.objective_id}/archiver`, {}, { formPage: G });
    expect(res.statusCode).toBe(303);
    const numbers = await publicNumbers();
    for (const n of objectiveActions) expect(numbers).not.toContain(n);
    expect((await actionByNumber(REF, 3)).archived_at).toBeNull();
    expect((await t.app.inject({ url: `/t/${REF}/actions/${a3.id}` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/t/${REF}/plan.csv` })).body).not.toContain(a3.title);
    res = await agent.post(`${G}/objectifs/${a3.objective_id}/restaurer`, {}, { formPage: G });
    expect(await publicNumbers()).toEqual(expect.arrayContaining(objectiveActions));

    // A theme, then a live theme takes its code: restoring it is refused with an explanation.
    const theme = await one<{ id: number; code: string; title: string }>("select t.* from plan_themes t join plan_objectives o on o.theme_id = t.id where o.id = $1", [a3.objective_id]);
    res = await agent.post(`${G}/thematiques/${theme.id}/archiver`, {}, { formPage: G });
    expect((await publicPlan()).themes.map((th) => th.code)).not.toContain(theme.code);
    home = await agent.get(`${G}?archives=1`);
    expect(home.body).toContain("Thématiques archivées");
    res = await agent.post(`${G}/thematiques/nouvelle`, { code: theme.code, title: "Homonyme", visibility: "draft" });
    expect(res.statusCode).toBe(303);
    const homonym = await one<{ id: number }>("select id from plan_themes where title = 'Homonyme'");
    const mid = await counts();
    res = await agent.post(`${G}/thematiques/${theme.id}/restaurer`, {}, { formPage: G });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain("Impossible de restaurer");
    expect(await counts()).toEqual(mid);
    // Renaming the homonym's code frees it; a duplicate code is refused on the form too.
    res = await agent.post(`${G}/thematiques/${homonym.id}`, { code: "VALORISER", title: "Homonyme", visibility: "draft" });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain("est déjà utilisé par la thématique");
    res = await agent.post(`${G}/thematiques/${homonym.id}`, { code: "HOMONYME", title: "Homonyme", visibility: "draft" });
    expect(res.statusCode).toBe(303);
    res = await agent.post(`${G}/thematiques/${theme.id}/restaurer`, {}, { formPage: G });
    expect(res.statusCode).toBe(303);
    expect((await publicPlan()).themes.map((th) => th.code)).toContain(theme.code);

    const after = await counts();
    // 6 archive/restore + create + 1 update; every mutation left at least one audit row.
    expect(after.audit - before.audit).toBe(8);
    const rows = await t.database.query<{ action: string; entity: string }>("select action, entity from audit_log order by id desc limit 8");
    expect(rows.map((r) => `${r.action}:${r.entity}`).sort()).toEqual(
      ["archive:action", "restore:action", "archive:objective", "restore:objective", "archive:theme", "create:theme", "update:theme", "restore:theme"].sort(),
    );
  });

  it("keeps each territory's data to its own staff", async () => {
    const demoTid = await territoryId(DEMO);
    const demoAction = await actionByNumber(DEMO, 1);
    const demoTheme = await one<{ id: number }>("select id from plan_themes where territory_id = $1 limit 1", [demoTid]);
    const demoContact = await one<{ id: number }>("select id from territory_contacts where territory_id = $1 limit 1", [demoTid]);
    const before = await counts();
    for (const url of [`${G}/actions/${demoAction.id}`, `${G}/objectifs/${demoAction.objective_id}`, `${G}/thematiques/${demoTheme.id}`, `${G}/coordonnees/${demoContact.id}`]) {
      const res = await agent.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain(demoAction.title);
    }
    for (const url of [
      `${G}/actions/${demoAction.id}/archiver`,
      `${G}/actions/${demoAction.id}/monter`,
      `${G}/objectifs/${demoAction.objective_id}/archiver`,
      `${G}/thematiques/${demoTheme.id}/descendre`,
      `${G}/coordonnees/${demoContact.id}/supprimer`,
    ]) {
      expect((await agent.post(url, {}, { formPage: G })).statusCode, url).toBe(404);
    }
    expect((await agent.post(`${G}/actions/${demoAction.id}`, actionFields(demoAction.objective_id, { number: "400" }), { formPage: G })).statusCode).toBe(404);
    // The other territory's back-office is closed to this agent.
    const D = `/t/${DEMO}/gestion`;
    for (const url of [D, `${D}/actions/${demoAction.id}`, `${D}/pages`, `${D}/coordonnees`]) expect((await agent.get(url)).statusCode, url).toBe(403);
    expect((await agent.post(`${D}/actions/${demoAction.id}/archiver`, {}, { formPage: G })).statusCode).toBe(403);
    expect(await counts()).toEqual(before);
    // A platform admin manages every territory.
    const admin = await signedInClient(t, { platformAdmin: true });
    expect((await admin.get(D)).statusCode).toBe(200);
  });

  it("edits the territory's pages: an empty legal page shows the default text", async () => {
    let res = await agent.get(`${G}/pages`);
    expect(res.statusCode).toBe(200);
    for (const key of ["presentation", "mentions-legales", "accessibilite", "donnees-personnelles"]) expect(res.body).toContain(`${G}/pages/${key}`);
    expect((await agent.get(`${G}/pages/inconnue`)).statusCode).toBe(404);

    res = await agent.get(`${G}/pages/mentions-legales`);
    expect(res.body).toContain("Laissez le texte vide pour afficher le texte par défaut");
    res = await agent.get(`${G}/pages/mentions-legales?depart=defaut`);
    expect(res.body).toMatch(/<textarea[^>]*name="body"[^>]*>Ce site présente le Territoire d'industrie/);

    const before = await counts();
    res = await agent.post(`${G}/pages/mentions-legales`, { body: "Hébergeur : OVH, 2 rue Kellermann, 59100 Roubaix." });
    expect(res.statusCode).toBe(303);
    expect((await t.app.inject({ url: `/t/${REF}/mentions-legales` })).body).toContain("Hébergeur : OVH");
    let after = await counts();
    expect(after.pages).toBe(before.pages + 1);
    expect(after.audit).toBe(before.audit + 1);
    expect(await lastAudit()).toMatchObject({ action: "create", entity: "territory_page" });

    res = await agent.post(`${G}/pages/mentions-legales`, { body: "   " });
    expect(res.statusCode).toBe(303);
    expect((await t.app.inject({ url: `/t/${REF}/mentions-legales` })).body).toContain("Ce site présente le Territoire d'industrie");
    after = await counts();
    expect(after.audit).toBe(before.audit + 2);

    const mid = await counts();
    res = await agent.post(`${G}/pages/presentation`, { body: "z".repeat(50001) });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('href="#champ-body"');
    expect(await counts()).toEqual(mid);
    res = await agent.post(`${G}/pages/presentation`, { body: "Deux intercommunalités,\n\nune ambition industrielle." });
    expect(res.statusCode).toBe(303);
    expect((await t.app.inject({ url: `/t/${REF}/presentation` })).body).toContain("<p>une ambition industrielle.</p>");
  });

  it("edits the contacts: add, validate the phone, edit, reorder, remove, keep the last one", async () => {
    const C = `${G}/coordonnees`;
    const tid = await territoryId(REF);
    let res = await agent.get(C);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("02 31 66 27 96");

    const before = await counts();
    res = await agent.post(`${C}/nouveau`, { service: "", phone: "12345", email: "pas-une-adresse", address: "1 rue de la Gare" });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain("<title>Erreur – Ajouter un contact");
    expect(res.body).toContain('href="#champ-service"');
    expect(res.body).toContain('href="#champ-phone"');
    expect(res.body).toContain('href="#champ-email"');
    expect(res.body).toContain("numéro de téléphone français");
    expect(res.body).toContain("1 rue de la Gare");
    expect(await counts()).toEqual(before);

    res = await agent.post(`${C}/nouveau`, { service: "Flers Agglo – développement économique", phone: "+33 (0)2.33.98.44.44", email: "eco@flers-agglo.fr", address: "" });
    expect(res.statusCode).toBe(303);
    const added = await one<{ id: number; phone: string; address: string | null }>("select * from territory_contacts where territory_id = $1 order by id desc limit 1", [tid]);
    expect(added.phone).toBe("02 33 98 44 44");
    expect(added.address).toBeNull();
    expect((await t.app.inject({ url: `/t/${REF}/contact` })).body).toContain("eco@flers-agglo.fr");

    res = await agent.post(`${C}/${added.id}`, { service: "Flers Agglo – développement économique", phone: "0233984445", email: "eco@flers-agglo.fr", address: "" });
    expect(res.statusCode).toBe(303);
    expect((await one<{ phone: string }>("select phone from territory_contacts where id = $1", [added.id])).phone).toBe("02 33 98 44 45");

    // Moving it first makes it the contact the legal pages name.
    res = await agent.post(`${C}/${added.id}/monter`, {}, { formPage: C });
    expect(res.statusCode).toBe(303);
    expect((await t.app.inject({ url: `/t/${REF}/donnees-personnelles` })).body).toContain("eco@flers-agglo.fr");

    res = await agent.get(`${C}/${added.id}/supprimer`);
    expect(res.body).toContain("Supprimer le contact « Flers Agglo");
    res = await agent.post(`${C}/${added.id}/supprimer`, {}, { formPage: C });
    expect(res.statusCode).toBe(303);
    expect((await counts()).contacts).toBe(before.contacts);
    expect((await counts()).audit).toBe(before.audit + 4);

    const remaining = await one<{ id: number }>("select id from territory_contacts where territory_id = $1", [tid]);
    const mid = await counts();
    res = await agent.post(`${C}/${remaining.id}/supprimer`, {}, { formPage: C });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain("seul contact");
    expect(await counts()).toEqual(mid);
  });

  it("declares an audit entity on every mutating back-office route", async () => {
    const { allRoutes } = await import("../src/modules/index.ts");
    const posts = allRoutes().filter((r) => r.method === "POST" && r.url.includes("/gestion"));
    expect(posts.length).toBeGreaterThan(15);
    for (const r of posts) expect(r.audit, r.url).toMatch(/^[a-z_]+$/);
  });
});
