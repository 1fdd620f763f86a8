// The action sheet in Chromium, with axe on every page: an agent records progress, adds a milestone
// and marks it done, writes a note and attaches a document; the public action page then shows them
// (confidential items never); the search finds them; a committee member reads the follow-up.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { createUser } from "../src/modules/accounts/api.ts";
import { axeReport, launchBrowser } from "./browser.ts";
import { checkPage, withPage as withPageOf } from "./checks.ts";
import { startServer, type RunningServer } from "./server.ts";

const SLUG = "collines-de-normandie";
const PASSWORD = "une phrase de passe pour le suivi";
let server: RunningServer;
let browser: Browser;
let actionId: number;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  for (const [email, role] of [
    ["agent.suivi@exemple.fr", "agent"],
    ["comite.suivi@exemple.fr", "committee_member"],
  ] as const) {
    await server.database.db.transaction((tx) =>
      createUser(tx, { actor: ANONYMOUS, role: "test" }, { email, displayName: role === "agent" ? "Camille Agent" : "Dominique Comité", password: PASSWORD, membership: { territorySlug: SLUG, role } }),
    );
  }
  const res = await fetch(`${server.baseUrl}/api/v1/territories/${SLUG}/plan`);
  const plan = (await res.json()) as { themes: { objectives: { actions: { id: number }[] }[] }[] };
  actionId = plan.themes[0].objectives[0].actions[0].id;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const withPage = <T>(fn: (page: Page) => Promise<T>) => withPageOf(browser, server.baseUrl, fn);

async function signIn(page: Page, email: string) {
  await page.goto("/connexion");
  await page.fill("#champ-email", email);
  await page.fill("#champ-password", PASSWORD);
  await Promise.all([page.waitForURL("**/gestion"), page.getByRole("button", { name: "Se connecter" }).click()]);
}

/** Submits a form by its button and waits for the page that follows (a redirect to the sheet). */
async function submit(page: Page, button: ReturnType<Page["getByRole"]>) {
  await Promise.all([page.waitForLoadState("load"), page.waitForNavigation(), button.click()]);
}

describe("action follow-up", () => {
  it("an agent records progress, a milestone done, a note and a document; the public page shows what is published", async () => {
    const sheet = `/t/${SLUG}/gestion/actions/${actionId}/suivi`;
    await withPage(async (page) => {
      await signIn(page, "agent.suivi@exemple.fr");
      // From the edit form to the sheet.
      await checkPage(page, `/t/${SLUG}/gestion/actions/${actionId}`);
      await Promise.all([page.waitForURL(`**${sheet}`), page.getByRole("link", { name: /Suivi de l’action/ }).click()]);
      await checkPage(page, sheet);
      expect(await page.locator(".completeness").innerText()).toContain("Pilote");

      // A form sent with an error: 422, the summary, the values kept, still accessible.
      const add = page.getByRole("form", { name: "Ajouter un jalon" });
      await add.getByLabel("Nom").fill("");
      await submit(page, add.getByRole("button", { name: "Ajouter le jalon" }));
      expect(await page.title()).toMatch(/^Erreur – /);
      expect(await page.locator(".error-summary").innerText()).toContain("Indiquez le nom du jalon");
      expect(await axeReport(page)).toBe("");

      // Status, with its comment.
      const status = page.getByRole("form", { name: "Changer le statut" });
      await status.getByLabel("Nouveau statut (facultatif)").selectOption("in_progress");
      await status.getByLabel("Commentaire (facultatif)").fill("Lancée par le comité de pilotage");
      await submit(page, status.getByRole("button", { name: "Changer le statut" }));
      expect(await page.locator(".notice-success, [role=status]").first().innerText()).toContain("Statut changé");

      // Two milestones; the first is marked done.
      for (const [name, due] of [
        ["Recrutement du chargé de mission", "2026-03-31"],
        ["Ouverture de la cellule", "2027-06-30"],
      ]) {
        const f = page.getByRole("form", { name: "Ajouter un jalon" });
        await f.getByLabel("Nom").fill(name);
        await f.getByLabel("Échéance (facultatif)").fill(due);
        await submit(page, f.getByRole("button", { name: "Ajouter le jalon" }));
      }
      await submit(page, page.getByRole("button", { name: "Marquer réalisé aujourd’hui le jalon Recrutement du chargé de mission" }));
      expect(await page.locator("#statut").locator("..").innerText()).toContain("Avancement : 50 %");

      // A published note and a confidential one.
      for (const [body, vis] of [
        ["Le chargé de mission a pris ses fonctions.", "published"],
        ["Tension sur le budget : ne pas diffuser.", "confidential"],
      ]) {
        const f = page.getByRole("form", { name: "Ajouter une note de suivi" });
        await f.getByLabel("Note").fill(body);
        await f.getByLabel("Visibilité").selectOption(vis);
        await submit(page, f.getByRole("button", { name: "Ajouter la note" }));
      }

      // A published document (a real PDF file chosen in the file input).
      const dir = mkdtempSync(join(tmpdir(), "collines-doc-"));
      const file = join(dir, "compte-rendu.pdf");
      writeFileSync(file, "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
      const doc = page.getByRole("form", { name: "Ajouter un document" });
      await doc.getByLabel("Titre du document").fill("Compte rendu du comité");
      await doc.getByLabel("Fichier").setInputFiles(file);
      await doc.getByLabel("Visibilité").selectOption("published");
      await submit(page, doc.getByRole("button", { name: "Ajouter le document" }));
      expect(await page.locator("#documents").locator("..").innerText()).toContain("Compte rendu du comité");
      await checkPage(page, sheet);

      // The back-office search finds the confidential note for the staff.
      await checkPage(page, `/t/${SLUG}/recherche?q=budget`);
      expect(await page.locator(".search-results").innerText()).toContain("Tension sur le budget");
    });

    // Anyone: the public action page shows the progress, the milestones, the timeline, the published note and document.
    await withPage(async (page) => {
      await checkPage(page, `/t/${SLUG}/actions/${actionId}`);
      const main = await page.locator("main").innerText();
      expect(main).toContain("Avancement : 50 %");
      expect(main).toContain("Recrutement du chargé de mission");
      expect(main).toContain("Réalisé le");
      expect(main).toContain("Statut : En cours");
      expect(main).toContain("Le chargé de mission a pris ses fonctions.");
      expect(main).not.toContain("Tension sur le budget");
      expect(main).not.toContain("Lancée par le comité de pilotage");
      expect(await page.locator("progress").getAttribute("value")).toBe("50");
      const [download] = await Promise.all([page.waitForResponse((r) => r.url().includes("/documents/")), page.getByRole("link", { name: "Compte rendu du comité" }).click()]);
      expect(download.status()).toBe(200);
      expect(download.headers()["content-type"]).toBe("application/pdf");
      // The plan's search box leads to the results page.
      await checkPage(page, `/t/${SLUG}/plan`);
      await page.getByLabel("Rechercher dans le plan d’actions").fill("cellule d'accueil");
      await Promise.all([page.waitForURL("**/recherche?**"), page.getByRole("button", { name: "Rechercher" }).click()]);
      expect(await axeReport(page)).toBe("");
      expect(await page.locator(".search-results").innerText()).toMatch(/Action \d+/);
      expect(await page.locator(".search-results mark").count()).toBeGreaterThan(0);
    });

    // A committee member reads the follow-up, the confidential note included.
    await withPage(async (page) => {
      await signIn(page, "comite.suivi@exemple.fr");
      await checkPage(page, `/t/${SLUG}/suivi`);
      await checkPage(page, `/t/${SLUG}/actions/${actionId}`);
      expect(await page.locator("main").innerText()).toContain("Tension sur le budget");
    });
  }, 120_000);
});
