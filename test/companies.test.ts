// Companies: Sirene import on the generated fixture, search with typos, the company page, manual
// entries, contacts with consent, linked accounts, CSV export, restricted diffusion (P) never shown.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, count, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { auditLog, users } from "../src/core/db/schema.ts";
import { importSirene, SireneImportError } from "../src/modules/companies/commands/import-sirene.ts";
import { companyOfUser, findCompanyBySiret, linkUserToCompany } from "../src/modules/companies/api.ts";
import { companies, companyContacts, companyUsers, establishments } from "../src/modules/companies/schema.ts";
import { importRuns } from "../src/modules/observatory/api.ts";
import { territories } from "../src/modules/territories/api.ts";
import { sirenOf, siretOf } from "../scripts/generate-sirene-sample.ts";
import { createTestApp, DB_KINDS, DEMO, REF, signedInClient, type Client, type TestApp } from "./helpers/app.ts";
import { expectWellFormedPage, h1Of, textOf } from "./helpers/html.ts";

const FIXTURE = new URL("./fixtures/sirene/", import.meta.url).pathname;
const EST = join(FIXTURE, "StockEtablissement_utf8.csv");
const UL = join(FIXTURE, "StockUniteLegale_utf8.csv");
const CLI = { actor: ANONYMOUS, role: "cli" };
const FORGES_HEAD = siretOf("732829320", 1);
const FORGES_FLERS = siretOf("732829320", 12);
const FORGES_CLOSED = siretOf("732829320", 23);
const MARTIN = sirenOf(40_000_022);

describe.each(DB_KINDS)("companies on %s", (kind) => {
  let t: TestApp;
  let refId: number;
  let demoId: number;
  let agent: Client;
  let tmp: string;
  const base = `/t/${REF}/gestion/entreprises`;

  // Chunks of 2 rows, so that the fixture spans several transactions (the default is 100 or 1,000).
  const run = (etablissements = EST, unitesLegales = UL, chunkRows: number | undefined = 2) =>
    importSirene(t.database, CLI, { territoryId: refId, territorySlug: REF, etablissements, unitesLegales, chunkRows });
  const companyId = async (siren: string, territoryId = refId) =>
    (await t.database.db.select({ id: companies.id }).from(companies).where(and(eq(companies.siren, siren), eq(companies.territoryId, territoryId))))[0]?.id;
  const counts = async () => {
    const [c] = await t.database.db.select({ n: count() }).from(companies).where(eq(companies.territoryId, refId));
    const [e] = await t.database.db.select({ n: count() }).from(establishments).where(eq(establishments.territoryId, refId));
    return { companies: Number(c.n), establishments: Number(e.n) };
  };

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), "collines-companies-"));
    t = await createTestApp(kind);
    refId = (await t.database.db.select().from(territories).where(eq(territories.slug, REF)))[0].id;
    demoId = (await t.database.db.select().from(territories).where(eq(territories.slug, DEMO)))[0].id;
    agent = await signedInClient(t, { role: "agent", territory: REF });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it("imports the territory's establishments, rejecting malformed rows with their line numbers", async () => {
    const r = await run();
    expect(r.etablissementsRead).toBe(14);
    expect(r.outside).toBe(1);
    expect(r.companiesCreated).toBe(5);
    expect(r.establishmentsCreated).toBe(6);
    expect(r.closedSkipped).toBe(2);
    expect(r.rejected).toBe(5);
    expect(r.rejections).toEqual([
      expect.stringMatching(/^StockEtablissement, ligne 11 : SIRET invalide/),
      "StockEtablissement, ligne 12 : 52 valeurs au lieu de 53 (ligne mal formée)",
      "StockEtablissement, ligne 13 : tranche d'effectifs inconnue « 99 »",
      "StockEtablissement, ligne 14 : code NAF rév. 2 mal formé « 22-29 »",
      `StockEtablissement, ligne 15 : l'unité légale ${sirenOf(40_000_066)} est absente du fichier StockUniteLegale`,
    ]);
    expect(await counts()).toEqual({ companies: 5, establishments: 6 });
    const [runRow] = await t.database.db.select().from(importRuns).where(eq(importRuns.id, r.runId));
    expect(runRow.status).toBe("done");
    expect(runRow.rowsRejected).toBe(5);
    expect(runRow.rejections[0]).toContain("ligne 11");
    // Nothing from outside the territory, nothing for the closed company.
    expect(await companyId(sirenOf(40_000_055))).toBeUndefined();
    expect(await companyId(sirenOf(40_000_077))).toBeUndefined();
    const [head] = await t.database.db.select().from(establishments).where(eq(establishments.siret, FORGES_HEAD));
    expect(head).toMatchObject({ nafCode: "25.50A", nafSection: "C", workforceBand: "21", headOffice: true, address: "12 rue des Forges", communeCode: "14762", active: true });
    const [c] = await t.database.db.select().from(companies).where(eq(companies.siren, "732829320"));
    expect(c).toMatchObject({ name: "FORGES DE LA VIRE", legalForm: "5710", legalFormLabel: "SAS, société par actions simplifiée", source: "sirene", industry: true });
    // The restricted natural person: no name, no address kept at all.
    const [m] = await t.database.db.select().from(companies).where(eq(companies.siren, MARTIN));
    expect(m).toMatchObject({ name: "[diffusion restreinte]", diffusion: "P", naturalPerson: true });
    const [me] = await t.database.db.select().from(establishments).where(eq(establishments.companyId, m.id));
    expect(me.address).toBeNull();
    expect(JSON.stringify(await t.database.db.select().from(companies))).not.toMatch(/MARTINEAU|JEANNE|VIGNES/i);
  });

  it("re-imports without duplicates (ZIP this time), and marks closed establishments inactive", async () => {
    const again = await run(join(FIXTURE, "StockEtablissement_utf8.zip"), join(FIXTURE, "StockUniteLegale_utf8.zip"));
    expect(again).toMatchObject({ companiesCreated: 0, companiesUpdated: 0, establishmentsCreated: 0, establishmentsUpdated: 0, establishmentsUnchanged: 6 });
    expect(await counts()).toEqual({ companies: 5, establishments: 6 });
    // Next month: the Flers establishment closed, the company renamed.
    const est = readFileSync(EST, "utf8").replace(new RegExp(`(${FORGES_FLERS}.*?),A,`), "$1,F,");
    const ul = readFileSync(UL, "utf8").replace("FORGES DE LA VIRE", "FORGES ET FONDERIES DE LA VIRE");
    writeFileSync(join(tmp, "e.csv"), est);
    writeFileSync(join(tmp, "u.csv"), ul);
    const next = await run(join(tmp, "e.csv"), join(tmp, "u.csv"));
    expect(next).toMatchObject({ companiesCreated: 0, companiesUpdated: 1, establishmentsCreated: 0, establishmentsClosed: 1 });
    const [flers] = await t.database.db.select().from(establishments).where(eq(establishments.siret, FORGES_FLERS));
    expect(flers.active).toBe(false);
    expect(await counts()).toEqual({ companies: 5, establishments: 6 });
    // The import is in the change journal, once per run.
    const [a] = await t.database.db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.entity, "sirene_import"), eq(auditLog.territoryId, refId)));
    expect(Number(a.n)).toBe(3);
    // Restore the fixture's state for the next tests (default chunk size this time).
    await run(EST, UL, undefined);
    expect((await t.database.db.select().from(establishments).where(eq(establishments.siret, FORGES_FLERS)))[0].active).toBe(true);
    expect(FORGES_CLOSED).toHaveLength(14);
  });

  it("refuses a file without a needed column, naming it, and writes nothing", async () => {
    const before = await counts();
    writeFileSync(join(tmp, "bad.csv"), readFileSync(EST, "utf8").replace("codeCommuneEtablissement", "codeCommune"));
    await expect(run(join(tmp, "bad.csv"))).rejects.toThrow(/n'a pas la colonne « codeCommuneEtablissement »/);
    await expect(run(UL, UL)).rejects.toThrow(SireneImportError);
    copyFileSync(EST, join(tmp, "swap.csv"));
    await expect(run(join(tmp, "swap.csv"), EST)).rejects.toThrow(/StockEtablissement, pas un StockUniteLegale/);
    await expect(run(join(tmp, "absent.csv"))).rejects.toThrow(/introuvable/);
    expect(await counts()).toEqual(before);
    const [last] = await t.database.db.select().from(importRuns).where(eq(importRuns.territoryId, refId)).orderBy(desc(importRuns.id)).limit(1);
    expect(last.status).toBe("failed");
  });

  it("lists industry first and finds companies by name with a typo, SIRET, activity and commune", async () => {
    const list = await agent.get(base);
    expectWellFormedPage(list, { signedIn: true });
    const text = textOf(list.body);
    expect(text.indexOf("FORGES DE LA VIRE")).toBeLessThan(text.indexOf("EPICERIE DE LA GARE"));
    expect(text.indexOf("PLASTIQUES DU NOIREAU")).toBeLessThan(text.indexOf("EPICERIE DE LA GARE"));
    const search = async (q: string) => textOf((await agent.get(`${base}?q=${encodeURIComponent(q)}`)).body);
    expect(await search("forjes de la vir")).toContain("FORGES DE LA VIRE");
    expect(await search("plastiqes")).toContain("PLASTIQUES DU NOIREAU");
    expect(await search("forjes")).toContain("FORGES DE LA VIRE");
    expect(await search(FORGES_FLERS.replace(/(\d{3})(\d{3})(\d{3})/, "$1 $2 $3 "))).toContain("FORGES DE LA VIRE");
    expect(await search("mécanique industrielle")).toContain("FORGES DE LA VIRE");
    const conde = await search("Condé-en-Normandie");
    expect(conde).toContain("PLASTIQUES DU NOIREAU");
    expect(conde).not.toContain("EPICERIE");
    const industry = textOf((await agent.get(`${base}?activite=industrie`)).body);
    expect(industry).toContain("BOULANGERIE DU MARCHE");
    expect(industry).not.toContain("EPICERIE");
    expect(await search("zzzzqqqq")).toContain("Aucune entreprise ne correspond");
    // Bad query: a 400 page, not a crash.
    expect((await agent.get(`${base}?activite=Z9`)).statusCode).toBe(400);
  });

  it("never shows nor exports a restricted unit's personal data", async () => {
    const id = await companyId(MARTIN);
    const page = await agent.get(`${base}/${id}`);
    expectWellFormedPage(page, { signedIn: true });
    expect(h1Of(page.body)).toBe("[diffusion restreinte]");
    expect(page.body).not.toMatch(/MARTINEAU|Jeanne|vignes/i);
    expect(textOf(page.body)).toContain("Diffusion restreinte au répertoire Sirene");
    const csv = await agent.get(`${base}/export.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.body).not.toMatch(/MARTINEAU|JEANNE|VIGNES/i);
    const line = csv.body.split("\r\n").find((l) => l.startsWith(siretOf(MARTIN, 1)))!;
    expect(line).toContain("[diffusion restreinte]");
    expect(line).toContain("restreinte");
    expect(csv.body).toContain("12 rue des Forges");
    expect(await agent.get(`${base}?q=martineau`).then((r) => textOf(r.body))).toContain("Aucune entreprise ne correspond");
  });

  it("shows everything known of a company: establishments, contacts with consent, accounts, participation", async () => {
    const id = (await companyId("732829320"))!;
    const url = `${base}/${id}`;
    const page = await agent.get(url);
    expectWellFormedPage(page, { signedIn: true });
    const text = textOf(page.body);
    expect(text).toContain("732 829 320 00017");
    expect(text).toContain("25.50A – Forge, estampage, matriçage ; métallurgie des poudres");
    expect(text).toContain("50 à 99 salariés");
    expect(text).toContain("Vire Normandie");
    // A contact: consent ticked without date nor way is refused (422, values kept, nothing written).
    const bad = await agent.post(`${url}/contacts`, { name: "Claire Hamel", role: "Directrice", email: "pas-une-adresse", consent: "on" }, { formPage: url });
    expect(bad.statusCode).toBe(422);
    expect(h1Of(bad.body)).toBe("FORGES DE LA VIRE");
    expect(bad.body).toMatch(/<title>Erreur – /);
    expect(bad.body).toContain("Claire Hamel");
    expect(textOf(bad.body)).toContain("Indiquez la date à laquelle la personne a donné son accord.");
    expect((await t.database.db.select().from(companyContacts).where(eq(companyContacts.companyId, id))).length).toBe(0);
    const ok = await agent.post(`${url}/contacts`, { name: "Claire Hamel", role: "Directrice", email: "c.hamel@forges.example", phone: "02 31 00 00 00", consent: "on", consentDate: "2026-03-02", consentSource: "meeting" }, { formPage: url });
    expect(ok.statusCode).toBe(303);
    const after = textOf((await agent.get(url)).body);
    expect(after).toContain("Claire Hamel , Directrice");
    expect(after).toContain("Accord pour être contacté le 2 mars 2026 (Rencontre ou réunion)");
    // An establishment by hand: its SIRET must belong to the company; the commune must exist.
    const wrong = await agent.post(`${url}/etablissements`, { siret: siretOf(sirenOf(40_000_011), 45), communeCode: "61169" }, { formPage: url });
    expect(wrong.statusCode).toBe(422);
    expect(textOf(wrong.body)).toContain("commence par son SIREN 732829320");
    const corsica = await agent.post(`${url}/etablissements`, { siret: siretOf("732829320", 56), communeCode: "20004" }, { formPage: url });
    expect(corsica.statusCode).toBe(422);
    const added = await agent.post(`${url}/etablissements`, { siret: siretOf("732829320", 56), communeCode: "2A004", nafCode: "2562b", workforceBand: "11" }, { formPage: url });
    expect(added.statusCode).toBe(303);
    expect(textOf((await agent.get(url)).body)).toContain("Ajaccio");
    // Participation rows of the company are shown.
    const user = (await t.database.db.insert(users).values({ email: "industriel-forges@exemple.fr", displayName: "Luc Lebreton" }).returning())[0];
    await t.database.db.transaction((tx) => linkUserToCompany(tx, CLI, { territoryId: refId, userId: user.id, companyId: id, via: "request" }));
    await t.database.query("insert into part_proposals (territory_id, author_id, company_id, title, problem, proposed_action) values ($1, $2, $3, 'Mutualiser les achats d''acier', 'p', 'a')", [refId, user.id, id]);
    expect(textOf((await agent.get(base)).body)).toContain("Luc Lebreton (industriel-forges@exemple.fr) demande à agir pour FORGES DE LA VIRE");
    const withLink = textOf((await agent.get(url)).body);
    expect(withLink).toContain("Luc Lebreton");
    expect(withLink).toContain("En attente de confirmation");
    expect(withLink).toContain("Mutualiser les achats d'acier");
  });

  it("links accounts to companies through the api, an agent confirming pending links", async () => {
    const id = (await companyId("732829320"))!;
    expect(await findCompanyBySiret(t.database.db, refId, FORGES_FLERS)).toMatchObject({ id, matchedBy: "siret" });
    expect(await findCompanyBySiret(t.database.db, refId, siretOf("732829320", 99))).toMatchObject({ id, matchedBy: "siren", establishmentId: null });
    expect(await findCompanyBySiret(t.database.db, demoId, FORGES_FLERS)).toBeNull();
    const p = await findCompanyBySiret(t.database.db, refId, siretOf(MARTIN, 1));
    expect(p?.name).toBe("[diffusion restreinte]");
    const [user] = await t.database.db.select().from(users).where(eq(users.email, "industriel-forges@exemple.fr"));
    expect(await companyOfUser(t.database.db, refId, user.id)).toMatchObject({ id, status: "pending", via: "request" });
    // Another territory's company cannot be linked from here.
    expect(await t.database.db.transaction((tx) => linkUserToCompany(tx, CLI, { territoryId: demoId, userId: user.id, companyId: id, via: "agent" }))).toBeNull();
    const [l] = await t.database.db.select().from(companyUsers).where(eq(companyUsers.userId, user.id));
    // Under another company's address the link is not found.
    const other = (await companyId(sirenOf(40_000_011)))!;
    expect((await agent.post(`${base}/${other}/comptes/${l.id}/confirmer`, {}, { formPage: `${base}/${id}` })).statusCode).toBe(404);
    const res = await agent.post(`${base}/${id}/comptes/${l.id}/confirmer`, {}, { formPage: `${base}/${id}` });
    expect(res.statusCode).toBe(303);
    expect(await companyOfUser(t.database.db, refId, user.id)).toMatchObject({ id, status: "confirmed" });
    // A SIRET claim links and confirms at once; linking twice changes nothing.
    const again = await t.database.db.transaction((tx) => linkUserToCompany(tx, CLI, { territoryId: refId, userId: user.id, companyId: id, via: "siret_claim" }));
    expect(again).toMatchObject({ status: "confirmed", created: false });
  });

  it("creates and edits a company by hand, with French errors", async () => {
    const form = await agent.get(`${base}/nouvelle`);
    expectWellFormedPage(form, { signedIn: true });
    const bad = await agent.post(`${base}/nouvelle`, { siren: "732 829 321", name: "", nafCode: "99.99Z" });
    expect(bad.statusCode).toBe(422);
    const text = textOf(bad.body);
    expect(text).toContain("Ce numéro SIREN n'existe pas");
    expect(text).toContain("Indiquez le nom de l'entreprise.");
    expect(text).toContain("Indiquez un code NAF rév. 2");
    const dup = await agent.post(`${base}/nouvelle`, { siren: "732829320", name: "Doublon" });
    expect(dup.statusCode).toBe(422);
    expect(textOf(dup.body)).toContain("a déjà ce numéro SIREN");
    const siren = sirenOf(41_234_567);
    const ok = await agent.post(`${base}/nouvelle`, { siren, name: "Atelier Lemonnier", legalForm: "5499", nafCode: "33.12Z", coBuilder: "on" });
    expect(ok.statusCode).toBe(303);
    const id = (await companyId(siren))!;
    expect(ok.headers.location).toBe(`${base}/${id}`);
    const page = textOf((await agent.get(`${base}/${id}`)).body);
    expect(page).toContain("Société à responsabilité limitée (sans autre indication) (5499)");
    expect(page).toContain("Saisie par le service");
    const edit = await agent.post(`${base}/${id}/modifier`, { name: "Ateliers Lemonnier", legalForm: "5499", nafCode: "33.12Z" }, { formPage: `${base}/${id}/modifier` });
    expect(edit.statusCode).toBe(303);
    expect(textOf((await agent.get(`${base}?q=lemonier`)).body)).toContain("Ateliers Lemonnier");
    // Another territory's address does not find it.
    expect((await agent.get(`/t/${DEMO}/gestion/entreprises/${id}`)).statusCode).toBe(403);
    const admin = await signedInClient(t, { platformAdmin: true });
    expect((await admin.get(`/t/${DEMO}/gestion/entreprises/${id}`)).statusCode).toBe(404);
    const imports = await agent.get(`${base}/imports`);
    expectWellFormedPage(imports, { signedIn: true });
    expect(textOf(imports.body)).toContain("StockEtablissement, ligne 11");
  });
});
