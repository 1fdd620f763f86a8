// Dashboards, progress reports and the plan import in Chromium (issue 4): the dashboard passes axe,
// its PDF and XLSX downloads work, an import with errors shows them all, a valid import updates the plan.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { createUser } from "../src/modules/accounts/api.ts";
import { pdfPages } from "../test/helpers/pdf-text.ts";
import { seedFollowUp, type FollowUpFixture } from "../test/helpers/matrix-requests/reports.ts";
import { axeReport, launchBrowser, newContext } from "./browser.ts";
import { checkPage } from "./checks.ts";
import { startServer, type RunningServer } from "./server.ts";

const SLUG = "demo-bocage-des-forges";
const PASSWORD = "phrase de passe des rapports 2026";
let server: RunningServer;
let browser: Browser;
let fx: FollowUpFixture;
const dir = mkdtempSync(join(tmpdir(), "collines-rapports-"));

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  fx = await seedFollowUp(server.database, SLUG, "NAVIGATEUR");
  await server.database.db.transaction((tx) =>
    createUser(tx, { actor: ANONYMOUS, role: "test" }, { email: "agent.rapports@exemple.fr", displayName: "Agent Rapports", password: PASSWORD, membership: { territorySlug: SLUG, role: "agent" } }),
  );
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signedIn<T>(fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await newContext(browser, server.baseUrl, { acceptDownloads: true });
  try {
    const page = await context.newPage();
    await page.goto("/connexion");
    await page.fill("#champ-email", "agent.rapports@exemple.fr");
    await page.fill("#champ-password", PASSWORD);
    await Promise.all([page.waitForURL("**/gestion"), page.getByRole("button", { name: "Se connecter", exact: true }).click()]);
    return await fn(page);
  } finally {
    await context.close();
  }
}

async function download(page: Page, linkName: RegExp): Promise<Buffer> {
  const [dl] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: linkName }).click()]);
  return readFileSync((await dl.path())!);
}

describe("dashboard and progress reports", () => {
  it("the dashboard passes axe; its PDF, XLSX and CSV downloads hold the figures", async () => {
    await signedIn(async (page) => {
      await checkPage(page, `/t/${SLUG}/gestion/tableau-de-bord`);
      await expect(page.locator("h1").textContent()).resolves.toContain("Tableau de bord");
      expect(await page.locator("figure.chart svg[role=img]").count()).toBeGreaterThanOrEqual(3);
      await expect(page.locator("main").innerText()).resolves.toContain(fx.lateMilestone);
      const pdf = await download(page, /bilan d’avancement \(PDF\)/);
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      const text = (await pdfPages(pdf)).join(" ");
      expect(text).toContain("82 345,67 €");
      expect(text).toContain(fx.note);
      const xlsx = await download(page, /bilan d’avancement \(tableur XLSX\)/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(["Actions", "Jalons", "Financements", "Budget", "Indicateurs"]);
      const csv = await download(page, /Télécharger les données \(CSV\) : jalons en retard/);
      expect(csv.toString("utf8")).toContain(fx.lateMilestone);
      // Keyboard: the first chart's data table opens without a mouse.
      const summary = page.locator("details.chart-data summary").first();
      await summary.focus();
      await page.keyboard.press("Enter");
      await expect(page.locator("details.chart-data").first().getAttribute("open")).resolves.not.toBeNull();
    });
  }, 120_000);
});

describe("plan import", () => {
  it("shows every error of a wrong file, then imports a valid one", async () => {
    await signedIn(async (page) => {
      await checkPage(page, `/t/${SLUG}/gestion/import`);
      const template = await download(page, /modèle \(XLSX/);
      expect(template.subarray(0, 2).toString()).toBe("PK");
      const wrong = join(dir, "plan-faux.csv");
      writeFileSync(wrong, "Thématique;Objectif;N°;Action;Statut\r\nEmploi;Former;;Former des soudeurs;Bientôt\r\nEmploi;;;;\r\n");
      await page.setInputFiles("#champ-fichier", wrong);
      await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Vérifier le fichier" }).click()]);
      expect(await page.title()).toMatch(/^Erreur – /);
      const errors = await page.locator(".error-summary").innerText();
      expect(errors).toContain("ligne 2, colonne E (« Statut ») : statut inconnu « Bientôt »");
      expect(errors).toContain("ligne 3, colonne B (« Objectif ») : valeur obligatoire manquante");
      expect(errors).toContain("ligne 3, colonne D (« Action ») : valeur obligatoire manquante");
      expect(await axeReport(page), "axe sur la page d’erreurs de l’import").toBe("");
      const good = join(dir, "plan.csv");
      writeFileSync(good, "\uFEFFThématique;Objectif;N°;Action;Statut\r\nCompétences;Former aux métiers de l’industrie;;Former des soudeurs en alternance;En cours\r\n");
      await page.setInputFiles("#champ-fichier", good);
      await Promise.all([page.waitForURL(/\/gestion\/import\/\d+$/), page.getByRole("button", { name: "Vérifier le fichier" }).click()]);
      await expect(page.locator("main").innerText()).resolves.toContain("Former des soudeurs en alternance");
      await checkPage(page, new URL(page.url()).pathname);
      await Promise.all([page.waitForURL(`**/t/${SLUG}/gestion`), page.getByRole("button", { name: "Confirmer l’import" }).click()]);
      await expect(page.locator("[role=status]").first().innerText()).resolves.toContain("Import terminé : 1 action créée");
      await page.goto(`/t/${SLUG}/plan`);
      await expect(page.locator("main").innerText()).resolves.toContain("Former des soudeurs en alternance");
    });
  }, 120_000);
});
