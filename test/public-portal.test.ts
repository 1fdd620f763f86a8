// The public portal of both seeded territories: every page well formed, the reference territory
// exactly as its source, the plan's filters.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, DB_KINDS, DEMO, REF, type TestApp } from "./helpers/app.ts";
import { actionsOf, publicTerritoryPages, SEED, SEED_ACTIONS, type ActionRow } from "./helpers/data.ts";
import { count, decode, expectWellFormedPage, h1Of, mainOf, textOf } from "./helpers/html.ts";

/** The actions listed on a plan page: number, title, ◆ mark, status label. */
function listedActions(html: string) {
  return [...html.matchAll(/<li class="action-item">([\s\S]*?)<\/li>/g)].map(([, li]) => ({
    number: Number(/Action (\d+)/.exec(li)![1]),
    title: decode(/class="action-title">([\s\S]*?)<\/a>/.exec(li)![1]),
    joint: li.includes('class="joint-mark"'),
    status: textOf(/<span class="status[^"]*">([\s\S]*?)<\/span>/.exec(li)![1]),
  }));
}

describe.each(DB_KINDS)("public portal on %s", (kind) => {
  let t: TestApp;
  let refActions: ActionRow[];
  let demoActions: ActionRow[];
  const get = (url: string) => t.app.inject({ url });

  beforeAll(async () => {
    t = await createTestApp(kind);
    refActions = await actionsOf(t.database, REF);
    demoActions = await actionsOf(t.database, DEMO);
  });
  afterAll(async () => t?.close());

  it("answers every public page of both territories with a well-formed French page", async () => {
    const urls = ["/", "/connexion", "/mentions-legales", "/accessibilite", "/donnees-personnelles", "/plan-du-site", ...publicTerritoryPages(REF, refActions[0].id), ...publicTerritoryPages(DEMO, demoActions[0].id)];
    expect(urls.length).toBeGreaterThanOrEqual(21);
    for (const url of urls) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expectWellFormedPage(res);
    }
  });

  it("answers the platform's legal pages with a link to each territory's own", async () => {
    for (const p of ["mentions-legales", "accessibilite", "donnees-personnelles", "plan-du-site"]) {
      const res = await get(`/${p}`);
      expect(res.statusCode, p).toBe(200);
      expectWellFormedPage(res);
      expect(res.body).toContain(`href="/t/${REF}/${p}"`);
      expect(res.body).toContain(`href="/t/${DEMO}/${p}"`);
    }
  });

  it("lists both territories on the platform home", async () => {
    const text = textOf((await get("/")).body);
    expect(text).toContain("Collines de Normandie");
    expect(text).toContain("Bocage des Forges (démonstration)");
  });

  it("shows the reference territory's home from its source, figures dated", async () => {
    const res = await get(`/t/${REF}`);
    const text = textOf(mainOf(res.body));
    expect(h1Of(res.body)).toBe("Collines de Normandie");
    expect(text).toContain("Intercom de la Vire au Noireau");
    expect(text).toContain("Flers Agglo");
    expect(text).toMatch(/SIREN 200068799/);
    expect(text).toMatch(/SIREN 200035814/);
    expect(text).toMatch(/59 communes/);
    expect(text).toMatch(/Liste des 17 communes/);
    expect(text).toMatch(/Liste des 42 communes/);
    expect(text).toMatch(/141 territoires identifiés fin novembre 2018/);
    expect(text).toMatch(/183 territoires depuis 2023/);
    expect(text).toContain("signé le 30 avril 2019");
    expect(text).toContain("Période 2019–2022");
    expect(text).toMatch(/Actions prévues 23/);
    expect(text).toMatch(/Actions décrites ici 19/);
    expect(text).toContain("L'accord compte 23 actions ; 19 sont décrites dans le document source. Les 4 autres, portées par l'autre intercommunalité, n'y sont pas décrites");
    expect(text).toMatch(/19 actions décrites au plan/);
    expect(text).toMatch(/8 actions en partenariat ◆/);
    // The theme → enjeu link is inferred by the transcription: never shown as fact.
    expect(text).not.toMatch(/enjeu \d/);
    expect(text).toContain("Le document source ne dit pas à quel enjeu répond chaque thématique");
    // The map keeps its attribution.
    expect(res.body).toContain("IGN Admin Express");
  });

  it("shows the reference plan exactly as the seed of record, ◆ on the 8 joint actions only", async () => {
    const res = await get(`/t/${REF}/plan`);
    expect(res.statusCode).toBe(200);
    const html = mainOf(res.body);
    expect(textOf(html)).toContain("4 thématiques, 12 objectifs et 19 actions.");
    const themes = [...html.matchAll(/<h2 id="theme-\d+">([\s\S]*?)<\/h2>/g)].map((m) => textOf(m[1]));
    expect(themes).toEqual(SEED.plan.themes.map((th) => `Thématique « ${th.code} »`));
    const objectives = [...html.matchAll(/<span class="kicker">Objectif (\d+)<\/span>([\s\S]*?)<\/h3>/g)].map((m) => ({ n: Number(m[1]), title: textOf(m[2]) }));
    expect(objectives).toEqual(SEED.plan.themes.flatMap((th) => th.objectives).map((o, i) => ({ n: i + 1, title: o.title })));
    const listed = listedActions(html);
    expect(listed.map(({ number, title }) => ({ number, title }))).toEqual(SEED_ACTIONS.map((a) => ({ number: a.n, title: a.title })));
    expect(listed.filter((a) => a.joint).map((a) => a.number)).toEqual([1, 8, 10, 11, 12, 15, 18, 19]);
    expect(SEED_ACTIONS.filter((a) => a.jointWithFlersAgglo).map((a) => a.n)).toEqual([1, 8, 10, 11, 12, 15, 18, 19]);
    expect(listed.every((a) => a.status === "Statut non renseigné")).toBe(true);
    expect(textOf(html)).toContain("◆ : action dont la conception et/ou la mise en œuvre sont conduites en partenariat avec Flers Agglo");
  });

  it("filters the plan by theme, status and partnership", async () => {
    const numbers = async (query: string) => listedActions(mainOf((await get(`/t/${REF}/plan?${query}`)).body)).map((a) => a.number);
    expect(await numbers("theme=RECRUTER")).toEqual([11, 12, 13, 14]);
    expect(await numbers("theme=SIMPLIFIER")).toEqual([15, 16, 17]);
    expect(await numbers("partenariat=oui")).toEqual([1, 8, 10, 11, 12, 15, 18, 19]);
    expect(await numbers("partenariat=non")).toEqual([2, 3, 4, 5, 6, 7, 9, 13, 14, 16, 17]);
    expect(await numbers("theme=ATTIRER&partenariat=oui")).toEqual([1, 8, 10]);
    expect(await numbers("status=non-renseigne")).toHaveLength(19);
    expect(await numbers("theme=&status=&partenariat=")).toHaveLength(19);
    const none = await get(`/t/${REF}/plan?status=done`);
    expect(none.statusCode).toBe(200);
    expect(textOf(none.body)).toContain("Aucune action ne correspond à ces filtres.");
    expect(textOf(none.body)).toContain("0 action affichée sur 19.");
    // The demo has real statuses.
    const done = listedActions(mainOf((await get(`/t/${DEMO}/plan?status=done`)).body));
    expect(done.map((a) => a.number)).toEqual([1, 7, 10, 13]);
    expect(done.every((a) => a.status === "Réalisée")).toBe(true);
    // The selected filters stay selected.
    expect((await get(`/t/${REF}/plan?theme=INNOVER`)).body).toContain('<option value="INNOVER" selected>');
  });

  it("answers an invalid filter with a French 400 page and an unknown theme with 404", async () => {
    for (const q of ["status=fini", "partenariat=peut-etre", "status=done&status=planned", `theme=${"x".repeat(41)}`]) {
      const res = await get(`/t/${REF}/plan?${q}`);
      expect(res.statusCode, q).toBe(400);
      expectWellFormedPage(res);
      expect(h1Of(res.body)).toBe("Requête invalide");
      expect(textOf(res.body)).toContain("Les paramètres de l'adresse ne sont pas valides");
    }
    const unknown = await get(`/t/${REF}/plan?theme=INCONNU`);
    expect(unknown.statusCode).toBe(404);
    expectWellFormedPage(unknown);
  });

  it("shows an action sheet with only what the source says", async () => {
    const a7 = refActions.find((a) => a.number === 7)!;
    const res = await get(`/t/${REF}/actions/${a7.id}`);
    expect(res.statusCode).toBe(200);
    expectWellFormedPage(res);
    const text = textOf(mainOf(res.body));
    expect(h1Of(res.body)).toBe(`Action 7 ${SEED_ACTIONS[6].title}`);
    expect(text).toContain("Noues de Sienne (code INSEE 14658)");
    expect(text).toContain("Statut non renseigné");
    expect(text).toContain("Porteur Intercom de la Vire au Noireau");
    expect(text).toContain("Aucun partenaire renseigné");
    expect(text).toContain("La fiche détaillée de cette action n'est pas encore publiée.");
    expect(text).not.toContain("Modifier cette action");
    const a1 = refActions.find((a) => a.number === 1)!;
    const joint = textOf(mainOf((await get(`/t/${REF}/actions/${a1.id}`)).body));
    expect(joint).toContain("Oui ◆ : conception et/ou mise en œuvre en partenariat avec Flers Agglo");
    expect(joint).toContain("Partenaires Flers Agglo");
  });

  it("answers 404 for an unknown territory, action or malformed id", async () => {
    for (const url of [
      "/t/inconnu",
      "/t/inconnu/plan",
      "/t/INVALID_SLUG!/plan",
      `/t/${REF}/actions/999999`,
      `/t/${REF}/actions/abc`,
      `/t/${REF}/actions/0`,
      `/t/${REF}/actions/-1`,
      `/t/${REF}/actions/99999999999999999999`,
      `/t/${REF}/actions/1.5`,
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(h1Of(res.body)).toBe("Page introuvable");
    }
  });

  it("holds no invented data for the reference territory", async () => {
    const db = t.database;
    // No description, no status: the source gives neither.
    const actions = await db.query<{ description: string | null; status: string | null; visibility: string }>(
      "select a.description, a.status, a.visibility from plan_actions a join territories t on t.id = a.territory_id where t.slug = $1",
      [REF],
    );
    expect(actions).toHaveLength(19);
    expect(actions.every((a) => a.description === null && a.status === null && a.visibility === "published")).toBe(true);
    const themes = await db.query<{ description: string | null }>("select th.description from plan_themes th join territories t on t.id = th.territory_id where t.slug = $1", [REF]);
    expect(themes.every((th) => th.description === null)).toBe(true);
    // The only people named are the four of the source.
    const people = await db.query<{ name: string }>("select distinct m.name from governance_members m join territories t on t.id = m.territory_id where t.slug = $1 order by 1", [REF]);
    const seedPeople = [
      ...new Set(SEED.territory.governance.flatMap((g) => [...(g.chairs ?? []), ...(g.members ?? [])].map((p) => p.name))),
    ].sort();
    expect(seedPeople).toHaveLength(4);
    expect(people.map((p) => p.name)).toEqual(seedPeople);
    const gov = (await get(`/t/${REF}/gouvernance`)).body;
    expect([...new Set([...mainOf(gov).matchAll(/<strong>([^<]+)<\/strong>/g)].map((m) => decode(m[1])))].sort()).toEqual(seedPeople);
    // No stored pages (presentation, legal texts are the defaults), one contact: the source's.
    expect(await db.query("select p.key from territory_pages p join territories t on t.id = p.territory_id where t.slug = $1", [REF])).toEqual([]);
    const contacts = await db.query<{ phone: string; email: string }>("select c.phone, c.email from territory_contacts c join territories t on t.id = c.territory_id where t.slug = $1", [REF]);
    expect(contacts).toEqual([{ phone: SEED.territory.contact.phone, email: SEED.territory.contact.email }]);
    const presentation = textOf(mainOf((await get(`/t/${REF}/presentation`)).body));
    expect(presentation).toContain("Ce territoire n'a pas encore rédigé de présentation.");
    // The reference portal is not marked as a demo; the demo one is.
    expect((await get(`/t/${REF}`)).body).not.toContain("données fictives");
    expect((await get(`/t/${DEMO}`)).body).toContain("Démonstration – données fictives");
  });

  it("shows the contact from the source", async () => {
    const text = textOf(mainOf((await get(`/t/${REF}/contact`)).body));
    expect(text).toContain(SEED.territory.contact.service);
    expect(text).toContain("02 31 66 27 96");
    expect(text).toContain("dev.eco@vireaunoireau.fr");
  });

  it("counts joint actions and plan size from the data on the demo home", async () => {
    const text = textOf(mainOf((await get(`/t/${DEMO}`)).body));
    // 20 actions, of which one draft and one confidential are not public.
    expect(text).toMatch(/18 actions décrites au plan/);
    expect(count(text, "Interco du Bocage (fictive)")).toBeGreaterThan(0);
  });
});
