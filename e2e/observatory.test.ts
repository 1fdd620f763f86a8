// The observatory in Chromium: the overview, an indicator page and the catalogue pass axe (WCAG 2.1
// AA); the map's form works without JavaScript (GET, the chosen indicator drawn); the charts' data
// tables open by keyboard; an agent adds a local indicator and a value, and sees it published.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, newContext } from "./browser.ts";
import { checkPage, withPage as withPageOf } from "./checks.ts";
import { startServer, type RunningServer } from "./server.ts";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { createUser } from "../src/modules/accounts/api.ts";

const REF = "collines-de-normandie";
const DEMO = "demo-bocage-des-forges";
const AGENT = { email: "agent.observatoire@exemple.fr", password: "phrase de passe de l'observatoire 2026" };

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  await server.database.db.transaction((tx) =>
    createUser(tx, { actor: ANONYMOUS, role: "test" }, { email: AGENT.email, displayName: "Agente de l'observatoire", password: AGENT.password, membership: { territorySlug: REF, role: "agent" } }),
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const withPage = <T>(fn: (page: Page) => Promise<T>, options: Parameters<typeof newContext>[2] = {}) => withPageOf(browser, server.baseUrl, fn, options);

describe("observatory", () => {
  it("the overview, an indicator page and the catalogue pass axe, in both territories", async () => {
    await withPage(async (page) => {
      for (const slug of [REF, DEMO]) {
        await checkPage(page, `/t/${slug}/observatoire`);
        expect(await page.locator("h1").textContent()).toBe("Observatoire du territoire");
        expect(await page.locator(".obs-key-figures li").count()).toBeGreaterThan(0);
        expect(await page.locator("svg.map-svg path.map-area").count()).toBeGreaterThan(10);
        await checkPage(page, `/t/${slug}/observatoire/indicateurs/pop_municipale`);
        expect(await page.locator("#classement").count()).toBe(1);
      }
      await checkPage(page, `/t/${REF}/observatoire/indicateurs`);
      await checkPage(page, `/t/${DEMO}/observatoire/indicateurs/parcs_emplois_crees`);
      // The demo's local series is a chart with its table.
      expect(await page.locator("figure.chart svg[role=img]").count()).toBe(1);
    });
  }, 90_000);

  it("chooses the map's indicator without JavaScript, by keyboard", async () => {
    await withPage(
      async (page) => {
        await page.goto(`/t/${DEMO}/observatoire`);
        await page.selectOption("#champ-carte", "foncier_disponible");
        // The period list belongs to the previous indicator: the server picks the latest period of the new one.
        await page.locator(".obs-map-form button").focus();
        await page.keyboard.press("Enter");
        await page.waitForURL(/carte=foncier_disponible/);
        expect(await page.locator("#champ-carte").inputValue()).toBe("foncier_disponible");
        expect(await page.locator("#obs-map-title").textContent()).toContain("Foncier économique disponible (fictif)");
        expect(await page.locator("svg.map-svg path.choro-none").count()).toBeGreaterThan(0);
        expect(await page.locator("svg.map-svg path[class*='choro-']:not(.choro-none)").count()).toBeGreaterThan(0);
        // (axe needs JavaScript: the same page is checked with it in the first test.)
        // The data table of a chart opens from the keyboard.
        const summary = page.locator("details.chart-data summary").first();
        await summary.focus();
        await page.keyboard.press("Enter");
        expect(await page.locator("details.chart-data").first().getAttribute("open")).not.toBeNull();
      },
      { javaScriptEnabled: false },
    );
  }, 60_000);

  it("an agent adds a local indicator and a value; the public page shows it", async () => {
    await withPage(async (page) => {
      await page.goto("/connexion");
      await page.fill("#champ-email", AGENT.email);
      await page.fill("#champ-password", AGENT.password);
      await Promise.all([page.waitForURL(/\/gestion$/), page.getByRole("button", { name: "Se connecter", exact: true }).click()]);
      await checkPage(page, `/t/${REF}/gestion/observatoire`);
      await page.click("text=Ajouter un indicateur local");
      await checkPage(page, `/t/${REF}/gestion/observatoire/indicateurs/nouveau`);
      // An empty form: the error summary, then a valid one.
      await page.fill("#champ-code", "");
      await Promise.all([page.waitForURL(/nouveau$/), page.getByRole("button", { name: "Enregistrer", exact: true }).click()]);
      expect(await page.title()).toMatch(/^Erreur – /);
      expect(await axeOk(page)).toBe(true);
      await page.fill("#champ-code", "emplois_parcs_e2e");
      await page.fill("#champ-name", "Emplois créés dans les parcs d’activités");
      await page.fill("#champ-unit", "emplois");
      await page.selectOption("#champ-level", "territory");
      await Promise.all([page.waitForURL(/indicateurs\/\d+$/), page.getByRole("button", { name: "Enregistrer", exact: true }).click()]);
      expect(await axeOk(page)).toBe(true);
      await page.fill("#champ-period", "2024");
      await page.fill("#champ-value", "37");
      await Promise.all([page.waitForURL(/indicateurs\/\d+$/), page.click("text=Enregistrer la valeur")]);
      expect(await page.locator("table").first().textContent()).toContain("37");
      await checkPage(page, `/t/${REF}/observatoire/indicateurs/emplois_parcs_e2e`);
      expect(await page.locator("table").first().textContent()).toContain("37");
    });
  }, 90_000);
});

async function axeOk(page: Page): Promise<boolean> {
  const { axeReport } = await import("./browser.ts");
  const report = await axeReport(page);
  if (report) console.error(report);
  return report === "";
}
