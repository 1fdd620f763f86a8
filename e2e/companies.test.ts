// Companies in Chromium, every page visited checked with axe (WCAG 2.1 A/AA, zero violations): an
// agent finds a company imported from the Sirene fixture by a misspelt name, opens its page, adds a
// contact with the consent, sees the restricted unit without its personal data, and adds a company
// by hand (the error state included). Plain forms and links: nothing needs JavaScript.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { createUser } from "../src/modules/accounts/api.ts";
import { importSirene } from "../src/modules/companies/commands/import-sirene.ts";
import { territories } from "../src/modules/territories/api.ts";
import { sirenOf } from "../scripts/generate-sirene-sample.ts";
import { axeReport, launchBrowser, newContext } from "./browser.ts";
import { startServer, type RunningServer } from "./server.ts";

const REF = "collines-de-normandie";
const PASSWORD = "une phrase de passe assez longue";
const FIXTURE = new URL("../test/fixtures/sirene/", import.meta.url).pathname;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  const db = server.database.db;
  const [t] = await db.select().from(territories).where(eq(territories.slug, REF));
  await importSirene(server.database, { actor: ANONYMOUS, role: "cli" }, {
    territoryId: t.id,
    territorySlug: REF,
    etablissements: `${FIXTURE}StockEtablissement_utf8.zip`,
    unitesLegales: `${FIXTURE}StockUniteLegale_utf8.zip`,
  });
  await db.transaction((tx) =>
    createUser(tx, { actor: ANONYMOUS, role: "test" }, { email: "agent-entreprises@exemple.fr", displayName: "Agent entreprises", password: PASSWORD, membership: { territorySlug: REF, role: "agent" } }),
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function expectAccessible(page: Page): Promise<void> {
  const where = new URL(page.url()).pathname;
  expect(await page.getAttribute("html", "lang"), `lang de ${where}`).toBe("fr");
  expect(await page.locator("h1").count(), `nombre de h1 sur ${where}`).toBe(1);
  expect(await axeReport(page), `axe sur ${where}`).toBe("");
}

describe("companies back-office", () => {
  it("an agent searches with a typo, opens the company, records a contact, adds a company by hand", async () => {
    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    try {
      await page.goto("/connexion");
      await page.fill("#champ-email", "agent-entreprises@exemple.fr");
      await page.fill("#champ-password", PASSWORD);
      await Promise.all([page.waitForNavigation({ timeout: 15_000 }), page.getByRole("button", { name: "Se connecter", exact: true }).click()]);
      expect(new URL(page.url()).pathname).not.toBe("/connexion");

      await page.goto(`/t/${REF}/gestion`);
      await Promise.all([page.waitForNavigation({ timeout: 15_000 }), page.locator(`a[href="/t/${REF}/gestion/entreprises"]`).first().click()]);
      expect(new URL(page.url()).pathname).toBe(`/t/${REF}/gestion/entreprises`);
      await expectAccessible(page);
      // Industry first: the first row is an industrial company.
      expect(await page.locator("tbody tr").first().locator(".badge-industry").count()).toBe(1);

      await page.fill("#f-q", "forjes vire");
      await Promise.all([page.waitForNavigation({ timeout: 15_000 }), page.getByRole("button", { name: "Rechercher" }).click()]);
      expect(page.url()).toContain("q=forjes");
      await expectAccessible(page);
      await Promise.all([page.waitForNavigation({ timeout: 15_000 }), page.getByRole("link", { name: "FORGES DE LA VIRE" }).click()]);
      await expectAccessible(page);
      expect(await page.locator("h1").textContent()).toBe("FORGES DE LA VIRE");
      expect(await page.locator("#etablissements ~ table tbody tr").count()).toBe(2);

      // A contact with consent; first forgetting the date, which the form asks for.
      await page.locator("summary", { hasText: "Ajouter un contact" }).click();
      const form = page.locator("form[action$='/contacts']");
      await form.locator("#champ-name").fill("Claire Hamel");
      await form.locator("#champ-role").fill("Directrice");
      await form.locator("#champ-consent").check();
      await form.locator("#champ-consentSource").selectOption("meeting");
      await Promise.all([page.waitForNavigation({ timeout: 15_000 }), form.getByRole("button", { name: "Ajouter le contact" }).click()]);
      expect(await page.title()).toMatch(/^Erreur – /);
      await expectAccessible(page);
      await page.locator("form[action$='/contacts'] #champ-consentDate").fill("2026-03-02");
      await Promise.all([page.waitForNavigation({ timeout: 15_000 }), page.locator("form[action$='/contacts']").getByRole("button", { name: "Ajouter le contact" }).click()]);
      expect(page.url()).toMatch(/#contact-\d+$/);
      expect(await page.locator(".contact-list").textContent()).toContain("Accord pour être contacté le 2 mars 2026");

      // The restricted natural person: shown without name nor address.
      await page.goto(`/t/${REF}/gestion/entreprises?q=${sirenOf(40_000_022)}`);
      await Promise.all([page.waitForNavigation({ timeout: 15_000 }), page.getByRole("link", { name: "[diffusion restreinte]" }).click()]);
      await expectAccessible(page);
      expect(await page.content()).not.toMatch(/MARTINEAU|vignes/i);

      // A company by hand, with an error first.
      await page.goto(`/t/${REF}/gestion/entreprises/nouvelle`);
      await expectAccessible(page);
      await page.fill("#champ-siren", "123456789");
      await page.fill("#champ-name", "Atelier Lemonnier");
      await Promise.all([page.waitForNavigation({ timeout: 15_000 }), page.getByRole("button", { name: "Ajouter l'entreprise" }).click()]);
      expect(await page.title()).toMatch(/^Erreur – /);
      await expectAccessible(page);
      await page.fill("#champ-siren", sirenOf(41_234_567));
      await Promise.all([page.waitForNavigation({ timeout: 15_000 }), page.getByRole("button", { name: "Ajouter l'entreprise" }).click()]);
      expect(page.url()).toMatch(/\/entreprises\/\d+$/);
      await expectAccessible(page);
      expect(await page.locator(".flash, [role=status]").first().textContent()).toContain("L'entreprise est ajoutée.");

      await page.goto(`/t/${REF}/gestion/entreprises/imports`);
      await expectAccessible(page);
    } finally {
      await context.close();
    }
  }, 90_000);
});
