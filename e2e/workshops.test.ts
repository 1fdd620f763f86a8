// Issue 5's workshop journey in Chromium, every page checked with axe (WCAG 2.1 A/AA, zero
// violations): an industrialist signs in by e-mailed link from a workshop's page, sees only their own
// company in Mon espace (linked by the SIRET of their account), registers to a full workshop
// (waiting list), another person cancels, they are promoted (Mon espace shows it, the e-mail is in
// the outbox); the staff's pages (list, form with its errors, a workshop's registrations) and the
// "Je souhaite participer" and unsubscribe pages pass axe too.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page, Response } from "playwright-core";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { Mailer, type OutboxEntry } from "../src/core/mail/index.ts";
import { createUser } from "../src/modules/accounts/api.ts";
import { companies, establishments } from "../src/modules/companies/api.ts";
import { registrations, workshops } from "../src/modules/participation/schema.ts";
import { axeReport, launchBrowser, newContext } from "./browser.ts";
import { startServer, type RunningServer } from "./server.ts";

const REF = "collines-de-normandie";
const PASSWORD = "une phrase de passe assez longue";
// Two valid SIRETs (Luhn), of two companies of the territory.
const SIRET_IRIS = "73282932000074";
const SIRET_OTHER = "55210055400013";

let server: RunningServer;
let browser: Browser;
let mailer: Mailer;
let territoryId: number;
let themeId: number;
/** The workshop of the first journey (registrations, a cancellation), for the staff's page. */
let journeyWorkshopId = 0;
const checked: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  mailer = new Mailer({ dataDir: server.dataDir, smtpUrl: undefined });
  const [t] = await server.database.query<{ id: number }>("select id from territories where slug = $1", [REF]);
  territoryId = Number(t.id);
  const [theme] = await server.database.query<{ id: number }>("select id from plan_themes where territory_id = $1 and visibility = 'published' order by position limit 1", [territoryId]);
  themeId = Number(theme.id);
});

afterAll(async () => {
  if (checked.length) console.info(`Ateliers : ${checked.length} pages vérifiées avec axe, sans violation :\n  ${checked.join("\n  ")}`);
  await browser?.close();
  await server?.close();
});

async function expectAccessible(page: Page, where = new URL(page.url()).pathname): Promise<void> {
  expect(await page.getAttribute("html", "lang"), `lang de ${where}`).toBe("fr");
  expect(await page.locator("h1").count(), `nombre de h1 sur ${where}`).toBe(1);
  expect(await axeReport(page), `axe sur ${where}`).toBe("");
  checked.push(where);
}

async function visit(page: Page, path: string, status = 200): Promise<void> {
  const res = await page.goto(path);
  expect(res?.status(), `statut de ${path}`).toBe(status);
  await expectAccessible(page, new URL(page.url()).pathname.replace(/\/[A-Za-z0-9_-]{32,}$/, "/:jeton"));
}

function firstRequest(response: Response) {
  let request = response.request();
  while (request.redirectedFrom()) request = request.redirectedFrom()!;
  return request;
}

async function submit(page: Page, button: Locator): Promise<Response> {
  const committed = page.waitForEvent("framenavigated", (frame) => frame === page.mainFrame());
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && (r.status() < 300 || r.status() >= 400) && firstRequest(r).method() === "POST"),
    button.click(),
  ]);
  await committed;
  await page.waitForLoadState("load");
  return response;
}

async function mailTo(to: string, subject: RegExp): Promise<OutboxEntry> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const entry = (await mailer.outbox(1000)).find((m) => m.to === to && subject.test(m.subject));
    if (entry) return entry;
    if (Date.now() > deadline) throw new Error(`Aucun courriel « ${subject.source} » pour ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const statusMessage = (page: Page) => page.locator("[role=status]").first().innerText();

async function company(name: string, siret: string): Promise<number> {
  const [c] = await server.database.db.insert(companies).values({ territoryId, siren: siret.slice(0, 9), name }).returning({ id: companies.id });
  await server.database.db.insert(establishments).values({ territoryId, companyId: c.id, siret, name });
  return c.id;
}

async function person(email: string, name: string, role: "industrialist" | "agent", siret?: string, password?: string): Promise<number> {
  const u = await server.database.db.transaction((tx) => createUser(tx, { actor: ANONYMOUS, role: "test" }, { email, displayName: name, password: password ?? `${PASSWORD} ${name}`, membership: { territorySlug: REF, role } }));
  if (siret) await server.database.query("update users set siret = $1 where id = $2", [siret, u.id]);
  return u.id;
}

describe("workshops: an industrialist is promoted from the waiting list", () => {
  it("signs in by link, sees only their company, joins the waiting list, is promoted when another cancels", async () => {
    await company("Fonderie du Noireau", SIRET_IRIS);
    await company("Plasturgie du Bocage", SIRET_OTHER);
    const iris = "iris.industrielle@exemple.fr";
    const bastien = "bastien.industriel@exemple.fr";
    await person(iris, "Iris Lemoine", "industrialist", SIRET_IRIS);
    const bastienId = await person(bastien, "Bastien Roux", "industrialist", SIRET_OTHER, PASSWORD);
    const startsAt = new Date(Date.now() + 14 * 86400_000);
    const [w] = await server.database.db
      .insert(workshops)
      .values({
        territoryId,
        themeId,
        title: "Attirer les jeunes vers nos métiers",
        description: "Un atelier pour construire ensemble l'action sur l'apprentissage.",
        startsAt,
        endsAt: new Date(startsAt.getTime() + 2 * 3600_000),
        place: "Maison de l'entreprise, Vire",
        capacity: 1,
        status: "published",
        icsUid: `e2e-${randomUUID()}@collines`,
      })
      .returning();
    await server.database.db.insert(registrations).values({ territoryId, workshopId: w.id, userId: bastienId, status: "confirmed" });
    journeyWorkshopId = w.id;
    const workshopPath = `/t/${REF}/ateliers/${w.id}`;

    const irisContext = await newContext(browser, server.baseUrl);
    const page = await irisContext.newPage();
    try {
      // The public list, the workshop's page, and the sign-in by link from there.
      await visit(page, `/t/${REF}`);
      await page.locator("nav.main-nav").getByRole("link", { name: "Ateliers" }).click();
      await page.waitForURL(`**/t/${REF}/ateliers`);
      await expectAccessible(page);
      await page.getByRole("link", { name: "Attirer les jeunes vers nos métiers" }).click();
      await page.waitForURL(`**${workshopPath}`);
      await expectAccessible(page);
      expect(await page.locator("main").innerText()).toContain("Complet");
      await page.getByRole("link", { name: "connectez-vous avec un lien reçu par courriel" }).click();
      await page.waitForURL("**/connexion/lien?**");
      await expectAccessible(page, "/connexion/lien");
      await page.getByLabel("Adresse électronique").fill(iris);
      await submit(page, page.getByRole("button", { name: "Recevoir le lien" }));
      const link = (await mailTo(iris, /lien de connexion/)).text.match(/https?:\/\/\S+\/connexion\/lien\/\S+/)![0];
      await visit(page, link);
      await submit(page, page.getByRole("button", { name: "Me connecter" }));
      expect(new URL(page.url()).pathname).toBe(workshopPath);
      await expectAccessible(page, `${workshopPath} (connectée)`);

      // Full: the waiting list.
      await submit(page, page.getByRole("button", { name: "M'inscrire sur la liste d'attente" }));
      expect(await statusMessage(page)).toContain("vous êtes sur la liste d'attente");
      expect(await page.locator("main").innerText()).toContain("Vous êtes sur la liste d'attente (position 1)");
      await expectAccessible(page, `${workshopPath} (liste d'attente)`);
      await mailTo(iris, /liste d'attente/);

      // Mon espace: her company only (linked by the SIRET of her account), her waiting-list place.
      await visit(page, `/t/${REF}/mon-espace`);
      const espace = await page.locator("main").innerText();
      expect(espace).toContain("Fonderie du Noireau");
      expect(espace).not.toContain("Plasturgie du Bocage");
      expect(espace).not.toContain("Bastien");
      expect(espace).toContain("Sur liste d'attente (position 1)");

      // "Je souhaite participer": the form, its error state, then saved.
      await page.getByRole("link", { name: "Indiquer mes thématiques et disponibilités" }).click();
      await page.waitForURL(`**/t/${REF}/participer`);
      await expectAccessible(page);
      await page.locator("#champ-themeIds").check();
      await page.getByLabel("mardi").check();
      await submit(page, page.getByRole("button", { name: "Enregistrer" }));
      expect(new URL(page.url()).pathname).toBe(`/t/${REF}/mon-espace`);
      await expectAccessible(page, `/t/${REF}/mon-espace (souhaits enregistrés)`);

      // Bastien cancels his seat (signed in with his password, in his own browser).
      const bastienContext = await newContext(browser, server.baseUrl);
      const other = await bastienContext.newPage();
      try {
        await visit(other, "/connexion");
        await other.fill("#champ-email", bastien);
        await other.fill("#champ-password", PASSWORD);
        await submit(other, other.getByRole("button", { name: "Se connecter", exact: true }));
        await visit(other, workshopPath);
        expect(await other.locator("main").innerText()).toContain("Vous êtes inscrit à cet atelier.");
        await submit(other, other.getByRole("button", { name: "Annuler mon inscription" }));
        expect(await statusMessage(other)).toContain("Votre inscription est annulée.");
        await expectAccessible(other, `${workshopPath} (désinscrit)`);
        // Bastien's Mon espace names his company, never Iris's.
        await visit(other, `/t/${REF}/mon-espace`);
        const his = await other.locator("main").innerText();
        expect(his).toContain("Plasturgie du Bocage");
        expect(his).not.toContain("Fonderie du Noireau");
      } finally {
        await bastienContext.close();
      }

      // Iris is promoted: Mon espace shows it, and the e-mail is in the outbox with its invitation.
      await visit(page, `/t/${REF}/mon-espace`);
      expect(await page.locator("main").innerText()).toContain("Inscription confirmée");
      const promoted = await mailTo(iris, /une place s'est libérée/);
      expect(promoted.text).toContain(workshopPath);
      await visit(page, workshopPath);
      expect(await page.locator("main").innerText()).toContain("Vous êtes inscrit à cet atelier.");

      // The unsubscribe link of the e-mail, in a browser that is not signed in.
      const unsubscribe = promoted.text.match(/https?:\/\/\S+\/desabonnement\/\S+/)![0];
      const anonymous = await newContext(browser, server.baseUrl);
      try {
        const p = await anonymous.newPage();
        await visit(p, unsubscribe);
        await submit(p, p.getByRole("button", { name: "Confirmer le désabonnement" }));
        expect(await p.locator("main").innerText()).toContain("C'est fait");
        await expectAccessible(p, `/t/${REF}/desabonnement/:jeton (fait)`);
      } finally {
        await anonymous.close();
      }
    } finally {
      await irisContext.close();
    }
  }, 120_000);

  it("gives the staff accessible pages: list, form and its errors, a workshop's registrations and invitations", async () => {
    const agent = "agent.ateliers@exemple.fr";
    await person(agent, "Agnès Agent", "agent", undefined, PASSWORD);
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    try {
      await visit(page, "/connexion");
      await page.fill("#champ-email", agent);
      await page.fill("#champ-password", PASSWORD);
      await submit(page, page.getByRole("button", { name: "Se connecter", exact: true }));
      await visit(page, `/t/${REF}/gestion/ateliers`);
      await page.getByRole("link", { name: "Programmer un atelier" }).click();
      await page.waitForURL("**/gestion/ateliers/nouveau");
      await expectAccessible(page);
      await page.getByLabel("Titre").fill("Atelier simplification");
      const bad = await submit(page, page.getByRole("button", { name: "Enregistrer l'atelier" }));
      expect(bad.status()).toBe(422);
      expect(await page.title()).toMatch(/^Erreur – /);
      await expectAccessible(page, "/gestion/ateliers/nouveau (erreurs)");
      const day = new Date(Date.now() + 21 * 86400_000).toISOString().slice(0, 10);
      await page.getByLabel("Date", { exact: true }).fill(day);
      await page.getByLabel("Thématique").selectOption(String(themeId));
      await page.getByLabel("Lieu").fill("Hôtel d'entreprises, Flers");
      const ok = await submit(page, page.getByRole("button", { name: "Enregistrer l'atelier" }));
      expect(ok.status()).toBe(200);
      expect(await statusMessage(page)).toContain("L'atelier est programmé");
      await expectAccessible(page, "/gestion/ateliers/:id");
      expect(await page.locator("#inviter").count()).toBe(1);
      await visit(page, `/t/${REF}/gestion/ateliers`);
      // The journey's workshop: Iris confirmed (attendance box), Bastien's cancellation listed.
      if (journeyWorkshopId) {
        await visit(page, `/t/${REF}/gestion/ateliers/${journeyWorkshopId}`);
        const regs = await page.locator("#inscrits").locator("..").innerText();
        expect(regs).toContain("Iris Lemoine");
        expect(regs).toContain("Fonderie du Noireau");
        expect(regs).toContain("Inscription annulée");
        await page.getByLabel("Iris Lemoine présente").check();
        await submit(page, page.getByRole("button", { name: "Enregistrer les présences" }));
        expect(await statusMessage(page)).toContain("Les présences sont enregistrées.");
        await expectAccessible(page, "/gestion/ateliers/:id (présences)");
      }
    } finally {
      await context.close();
    }
  }, 60_000);
});
