// Mon espace on PGlite and PostgreSQL: the company linked by the account's SIRET claim or requested
// by SIRET, only the person's own records (and their company's), e-mail preferences, "Je souhaite
// participer", and the monthly digest job (once a month, only to those who turned it on).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "../src/core/db/schema.ts";
import { Mailer } from "../src/core/mail/index.ts";
import { territories } from "../src/modules/territories/api.ts";
import { themes } from "../src/modules/plan/api.ts";
import { companies, companyUsers, establishments } from "../src/modules/companies/api.ts";
import { interests, notificationPreferences, proposals, questions, registrations, workshops } from "../src/modules/participation/schema.ts";
import { sendDigests } from "../src/modules/participation/notifications/jobs.ts";
import { Client, createTestApp, DB_KINDS, REF, signedInClient, type TestApp } from "./helpers/app.ts";
import { expectWellFormedPage, mainOf, textOf } from "./helpers/html.ts";
import { rowCounts } from "./helpers/data.ts";

const SIRET_A = "73282932000074";
const SIRET_B = "55210055400013";

describe.each(DB_KINDS)("Mon espace on %s", (kind) => {
  let t: TestApp;
  let dataDir: string;
  let refId: number;
  let themeId: number;
  let companyA: number;
  const mailer = () => new Mailer({ dataDir, smtpUrl: undefined });
  const env = () => ({ db: t.database.db, mailer: mailer(), baseUrl: "http://localhost:3000", mailFrom: "Collines <ne-pas-repondre@collines.invalid>" });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "collines-espace-"));
    t = await createTestApp(kind, { DATA_DIR: dataDir });
    const db = t.database.db;
    refId = (await db.select().from(territories).where(eq(territories.slug, REF)))[0].id;
    themeId = (await db.select().from(themes).where(and(eq(themes.territoryId, refId), eq(themes.visibility, "published"))).orderBy(themes.position))[0].id;
    for (const [name, siret] of [["Fonderie du Noireau", SIRET_A], ["Plasturgie du Bocage", SIRET_B]] as const) {
      const [c] = await db.insert(companies).values({ territoryId: refId, siren: siret.slice(0, 9), name }).returning({ id: companies.id });
      await db.insert(establishments).values({ territoryId: refId, companyId: c.id, siret });
      if (siret === SIRET_A) companyA = c.id;
    }
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function member(name: string, siret?: string, role: "industrialist" | "committee_member" = "industrialist") {
    const email = `${name}-${kind}-${randomUUID().slice(0, 6)}@exemple.fr`;
    const client = await signedInClient(t, { role, territory: REF, email });
    const [u] = await t.database.db.select().from(users).where(eq(users.email, email));
    if (siret) await t.database.db.update(users).set({ siret }).where(eq(users.id, u.id));
    return { client, email, id: u.id };
  }

  it("links the account to the company its SIRET claim names, and shows only that company", async () => {
    const a = await member("claim", SIRET_A);
    const res = await a.client.get(`/t/${REF}/mon-espace`);
    expect(res.statusCode).toBe(200);
    expectWellFormedPage(res, { signedIn: true });
    const main = textOf(mainOf(res.body));
    expect(main).toContain("Fonderie du Noireau");
    expect(main).not.toContain("Plasturgie du Bocage");
    const [link] = await t.database.db.select().from(companyUsers).where(eq(companyUsers.userId, a.id));
    expect([link.status, link.via, link.companyId]).toEqual(["confirmed", "siret_claim", companyA]);
    const entry = await t.database.query<{ n: number | string }>("select count(*) as n from audit_log where entity = 'company_user' and entity_id = $1", [String(link.id)]);
    expect(Number(entry[0].n)).toBe(1);
  });

  it("files a request by SIRET for an agent to confirm; a wrong or unknown SIRET gets a French message and nothing is written", async () => {
    const b = await member("demande");
    const page = `/t/${REF}/mon-espace`;
    const before = await rowCounts(t.database, ["company_users", "audit_log"]);
    const typo = await b.client.post(`${page}/entreprise`, { siret: "552 100 554 00014" }, { formPage: page });
    expect(typo.statusCode).toBe(422);
    expect(typo.body).toMatch(/<title>Erreur – /);
    expect(textOf(typo.body)).toContain("Ce numéro SIRET n'existe pas");
    const unknown = await b.client.post(`${page}/entreprise`, { siret: "40483304800022" }, { formPage: page });
    expect(unknown.statusCode).toBe(422);
    expect(textOf(unknown.body)).toContain("Aucune entreprise connue du territoire n'a ce SIRET");
    expect(await rowCounts(t.database, ["company_users", "audit_log"])).toEqual(before);
    const ok = await b.client.post(`${page}/entreprise`, { siret: "552 100 554 00013" }, { formPage: page });
    expect(ok.statusCode).toBe(303);
    const [link] = await t.database.db.select().from(companyUsers).where(eq(companyUsers.userId, b.id));
    expect([link.status, link.via]).toEqual(["pending", "request"]);
    expect(textOf((await b.client.get(page)).body)).toContain("Votre rattachement à Plasturgie du Bocage attend la confirmation");
  });

  it("shows one's own registrations, proposals, questions and answers, and one's company's other registrations, nothing of others", async () => {
    const a = await member("moi", SIRET_A);
    const colleague = await member("collegue", SIRET_A);
    const stranger = await member("autre", SIRET_B);
    await a.client.get(`/t/${REF}/mon-espace`);
    await colleague.client.get(`/t/${REF}/mon-espace`);
    const db = t.database.db;
    const startsAt = new Date(Date.now() + 7 * 86400_000);
    const [w] = await db
      .insert(workshops)
      .values({ territoryId: refId, themeId, title: "Atelier des collègues", startsAt, endsAt: new Date(startsAt.getTime() + 3600_000), place: "Vire", capacity: 10, icsUid: `t-${randomUUID()}` })
      .returning();
    await db.insert(registrations).values([
      { territoryId: refId, workshopId: w.id, userId: colleague.id, companyId: companyA, status: "confirmed" },
      { territoryId: refId, workshopId: w.id, userId: stranger.id, status: "confirmed" },
    ]);
    await db.insert(proposals).values([
      { territoryId: refId, authorId: a.id, title: "Ma proposition de navette", problem: "p", proposedAction: "a" },
      { territoryId: refId, authorId: stranger.id, title: "Proposition d'un autre", problem: "p", proposedAction: "a" },
    ]);
    await db.insert(questions).values([
      { territoryId: refId, userId: a.id, name: "Moi", email: a.email, subject: "Ma question sur le foncier", body: "?", status: "answered", answer: "Voici la réponse du service.", answeredAt: new Date() },
      { territoryId: refId, name: "Autre", email: stranger.email, subject: "Question d'un autre", body: "?" },
    ]);
    const main = textOf(mainOf((await a.client.get(`/t/${REF}/mon-espace`)).body));
    expect(main).toContain("Ma proposition de navette");
    expect(main).toContain("Ma question sur le foncier");
    expect(main).toContain("Voici la réponse du service.");
    expect(main).toContain("Test industrialist – Atelier des collègues");
    expect(main).not.toContain("Proposition d'un autre");
    expect(main).not.toContain("Question d'un autre");
    expect(main).not.toContain("Plasturgie du Bocage");
    expect(main.match(/Atelier des collègues/g)?.length).toBe(1);
  });

  it("tells a pending industrialist and a funder what they may do; sends anonymous visitors to sign in", async () => {
    const anon = await new Client(t.app).get(`/t/${REF}/mon-espace`);
    expect(anon.statusCode).toBe(303);
    expect(String(anon.headers.location)).toMatch(/^\/connexion/);
    const other = await signedInClient(t, {});
    expect(textOf((await other.get(`/t/${REF}/mon-espace`)).body)).toContain("Vous ne participez pas encore à ce territoire");
    expect((await other.get(`/t/${REF}/participer`)).statusCode).toBe(403);
  });

  it("saves the interests form; a bad choice gets a French message and changes nothing", async () => {
    const a = await member("souhait");
    const before = await rowCounts(t.database, ["part_interests", "audit_log"]);
    const bad = await a.client.post(`/t/${REF}/participer`, { themeIds: [String(themeId)], days: ["9"], frequency: "souvent", format: "" });
    expect(bad.statusCode).toBe(422);
    expect(textOf(bad.body)).toContain("Choisissez des jours de la liste.");
    expect(textOf(bad.body)).toContain("Choisissez une fréquence dans la liste.");
    expect(await rowCounts(t.database, ["part_interests", "audit_log"])).toEqual(before);
    const ok = await a.client.post(`/t/${REF}/participer`, { themeIds: [String(themeId)], days: ["2", "4"], frequency: "monthly", format: "video", comment: "Plutôt le matin" });
    expect(ok.statusCode).toBe(303);
    const [row] = await t.database.db.select().from(interests).where(eq(interests.userId, a.id));
    expect([row.themeId, row.days, row.frequency, row.format, row.comment]).toEqual([themeId, [2, 4], "monthly", "video", "Plutôt le matin"]);
    expect(textOf((await a.client.get(`/t/${REF}/mon-espace`)).body)).toContain("mardi, jeudi, une fois par mois, en visioconférence");
    // Unchecking every theme removes the declarations.
    expect((await a.client.post(`/t/${REF}/participer`, { days: [], frequency: "", format: "" })).statusCode).toBe(303);
    expect(await t.database.db.select().from(interests).where(eq(interests.userId, a.id))).toEqual([]);
  });

  it("sends the monthly digest once a month to those who turned it on (off by default), with the territory's news", async () => {
    const on = await member("lettre-oui");
    const off = await member("lettre-non");
    const page = `/t/${REF}/mon-espace`;
    expect(textOf((await off.client.get(page)).body)).toContain("Lettre mensuelle des nouveautés du territoire");
    const [defaults] = await t.database.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, off.id));
    expect([defaults.workshopEmails, defaults.proposalEmails, defaults.monthlyDigest]).toEqual([true, true, false]);
    const saved = await on.client.post(`${page}/preferences`, { workshopEmails: "on", monthlyDigest: "on" }, { formPage: page });
    expect(saved.statusCode).toBe(303);
    const [prefs] = await t.database.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, on.id));
    expect([prefs.workshopEmails, prefs.proposalEmails, prefs.monthlyDigest]).toEqual([true, false, true]);
    const startsAt = new Date(Date.now() + 20 * 86400_000);
    await t.database.db.insert(workshops).values({ territoryId: refId, themeId, title: "Atelier du mois", startsAt, endsAt: new Date(startsAt.getTime() + 3600_000), place: "Flers", capacity: 10, icsUid: `t-${randomUUID()}` });
    await sendDigests(env());
    await sendDigests(env());
    const box = await mailer().outbox(1000);
    const mine = box.filter((m) => m.to === on.email);
    expect(mine.length).toBe(1);
    expect(mine[0].subject).toContain("les nouvelles du mois");
    expect(mine[0].text).toContain("Atelier du mois");
    expect(mine[0].text).toContain(`/t/${REF}/desabonnement/`);
    expect(box.filter((m) => m.to === off.email)).toEqual([]);
  });
});
