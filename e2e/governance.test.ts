// A committee at work in Chromium, every page checked with axe (WCAG 2.1 A/AA, zero violations):
// the territory admin adds a member with an e-mail to the comité de pilotage, prepares a meeting
// whose agenda comes from a late milestone, sends the invitations (the .ics in the outbox is parsed),
// records attendance and minutes, records a decision whose amendment adds an action and withdraws
// another, applies it, and the comparison of the plan's versions shows both with the decision.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { icsInstant, icsProp, parisDateAndTime, parseIcs } from "../src/core/formats/ics.ts";
import { createUser } from "../src/modules/accounts/api.ts";
import { icsOf, outboxMessages } from "../test/helpers/eml.ts";
import { axeReport, launchBrowser, newContext } from "./browser.ts";
import { startServer, type RunningServer } from "./server.ts";

const REF = "collines-de-normandie";
const PASSWORD = "une phrase de passe assez longue";
const ADMIN = "admin.gouvernance@exemple.fr";
const MEMBER_EMAIL = "elue.copil@exemple.fr";

let server: RunningServer;
let browser: Browser;
let refId = 0;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  refId = Number((await server.database.query<{ id: number }>("select id from territories where slug = $1", [REF]))[0]!.id);
  await server.database.db.transaction((tx) =>
    createUser(tx, { actor: ANONYMOUS, role: "test" }, { email: ADMIN, displayName: "Admin gouvernance", password: PASSWORD, membership: { territorySlug: REF, role: "territory_admin" } }),
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await page.getAttribute("html", "lang"), `lang de ${where}`).toBe("fr");
  expect(await page.locator("h1").count(), `nombre de h1 sur ${where}`).toBe(1);
  expect(await axeReport(page), `axe sur ${where}`).toBe("");
}

async function visit(page: Page, path: string, status = 200): Promise<void> {
  const res = await page.goto(path);
  expect(res?.status(), `statut de ${path}`).toBe(status);
  await expectAccessible(page, path);
}

/** Clicks a submit button, waits for the page the POST leads to, returns its status. */
async function submit(page: Page, button: Locator): Promise<number> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().isNavigationRequest() && (r.status() < 300 || r.status() >= 400)), button.click()]);
  await page.waitForLoadState("load");
  return response.status();
}

describe("the demo territory's committees (fictional)", () => {
  it("its governance page lists a held and a planned meeting and a decision; their pages pass axe", async () => {
    const context = await newContext(browser, server.baseUrl);
    try {
      const page = await context.newPage();
      await visit(page, "/t/demo-bocage-des-forges/gouvernance");
      const main = await page.locator("main").innerText();
      expect(main).toContain("Comité de pilotage de printemps (démonstration)");
      expect(main).toContain("Lancement anticipé de la première action (démonstration)");
      for (const href of await page.locator("main a[href*='/gouvernance/reunions/']").evaluateAll((as) => as.map((a) => a.getAttribute("href")!))) await visit(page, href);
      await visit(page, "/t/demo-bocage-des-forges/plan/versions");
      await visit(page, "/t/demo-bocage-des-forges/plan/versions/1");
    } finally {
      await context.close();
    }
  }, 60_000);
});

describe("a committee meeting amends the plan", () => {
  it("prepares, invites, holds, decides, amends and compares, every page accessible", async () => {
    const db = server.database;
    // A late milestone on action 3, for the agenda builder.
    const [a3] = await db.query<{ id: number; title: string }>("select id, title from plan_actions where territory_id = $1 and number = 3", [refId]);
    const [a19] = await db.query<{ id: number; title: string }>("select id, title from plan_actions where territory_id = $1 and number = 19", [refId]);
    await db.query("insert into plan_milestones (territory_id, action_id, name, due_date) values ($1, $2, $3, $4)", [refId, a3!.id, "Cahier des charges validé", "2025-06-30"]);

    const context = await newContext(browser, server.baseUrl);
    const page = await context.newPage();
    try {
      await visit(page, "/connexion");
      await page.fill("#champ-email", ADMIN);
      await page.fill("#champ-password", PASSWORD);
      await submit(page, page.getByRole("button", { name: "Se connecter", exact: true }));

      // The back-office: the seeded bodies; add a member with an e-mail to the comité de pilotage.
      const base = `/t/${REF}/gestion/gouvernance`;
      await visit(page, base);
      await page.getByRole("link", { name: "Comité de pilotage" }).first().click();
      await page.waitForLoadState("load");
      await expectAccessible(page, "instance");
      await page.fill("#champ-memberName", "Élue du comité (test)");
      await page.selectOption("#champ-side", "élu");
      await page.fill("#champ-email", MEMBER_EMAIL);
      expect(await submit(page, page.getByRole("button", { name: "Ajouter le membre" }))).toBe(200);
      await expectAccessible(page, "instance (membre ajouté)");
      expect(await page.locator("main").innerText()).toContain(MEMBER_EMAIL);

      // A meeting: first with the end before the start (refused, accessible error page), then right.
      await visit(page, `${base}/reunions/nouvelle`);
      const yesterday = parisDateAndTime(new Date(Date.now() - 86400_000)).date;
      await page.selectOption("#champ-bodyId", { label: "Comité de pilotage" });
      await page.fill("#champ-title", "Comité de pilotage de suivi");
      await page.fill("#champ-date", yesterday);
      await page.fill("#champ-start", "16:00");
      await page.fill("#champ-end", "14:00");
      await page.fill("#champ-place", "Vire Normandie, salle du conseil");
      await page.fill("#champ-extraEmails", "sous-prefecture@exemple.fr");
      expect(await submit(page, page.getByRole("button", { name: "Programmer la réunion" }))).toBe(422);
      await expectAccessible(page, "réunion (erreur)");
      expect(await page.title()).toMatch(/^Erreur – /);
      await page.fill("#champ-start", "14:00");
      await page.fill("#champ-end", "16:00");
      expect(await submit(page, page.getByRole("button", { name: "Programmer la réunion" }))).toBe(200);
      await expectAccessible(page, "réunion");
      const meetingUrl = new URL(page.url()).pathname;

      // The agenda builder proposes the late milestone: tick it.
      const suggestion = page.locator(".gov-suggestions label", { hasText: "Cahier des charges validé" });
      await expect.poll(() => suggestion.count()).toBe(1);
      await suggestion.click();
      await page.fill("#champ-freeTitle", "Questions diverses");
      expect(await submit(page, page.getByRole("button", { name: "Ajouter à l'ordre du jour" }))).toBe(200);
      await expectAccessible(page, "réunion (ordre du jour)");
      const agenda = await page.locator("ol.gov-agenda").innerText();
      expect(agenda).toContain("Cahier des charges validé");
      expect(agenda).toContain("Questions diverses");

      // Invitations: the member and the extra address get the .ics.
      expect(await submit(page, page.getByRole("button", { name: /Envoyer les invitations/ }))).toBe(200);
      await expectAccessible(page, "réunion (invitations envoyées)");
      const mail = outboxMessages(server.dataDir, MEMBER_EMAIL).at(-1)!;
      expect(mail.subject).toContain("Invitation : Comité de pilotage de suivi");
      const root = parseIcs(icsOf(mail.raw));
      const cal = root.children[0]!;
      const ev = cal.children.find((c) => c.type === "VEVENT")!;
      expect(icsProp(cal, "METHOD")!.value).toBe("REQUEST");
      expect(icsProp(ev, "DTSTART")!.params.TZID).toBe("Europe/Paris");
      expect(parisDateAndTime(icsInstant(root, icsProp(ev, "DTSTART")!))).toEqual({ date: yesterday, time: "14:00" });
      expect(ev.props.filter((p) => p.name === "ATTENDEE").map((p) => p.value.toLowerCase())).toContain(`mailto:${MEMBER_EMAIL}`);
      expect(outboxMessages(server.dataDir, "sous-prefecture@exemple.fr")).toHaveLength(1);

      // Held: attendance and minutes.
      for (const radio of await page.locator('input[type=radio][value="present"]').all()) await radio.check();
      await page.fill("#champ-minutes", "Le comité constate le retard du cahier des charges et adopte l'avenant n° 1.");
      expect(await submit(page, page.getByRole("button", { name: /la réunion s'est tenue/ }))).toBe(200);
      await expectAccessible(page, "réunion (tenue)");
      expect(await page.locator("dl.facts").innerText()).toContain("Tenue");

      // The decision, about action 3.
      await page.fill("#champ-decisionTitle", "Adoption de l'avenant n° 1");
      await page.fill("#champ-decisionBody", "Ajout d'une action de covoiturage ; retrait de l'action 19.");
      await page.selectOption("#champ-actionIds", [String(a3!.id)]);
      expect(await submit(page, page.getByRole("button", { name: "Enregistrer la décision" }))).toBe(200);
      await expectAccessible(page, "décision");
      expect(await page.locator("h1").innerText()).toMatch(/^Décision n° \d+$/);

      // The amendment: add an action, withdraw action 19, apply.
      expect(await submit(page, page.getByRole("button", { name: "Préparer l'avenant" }))).toBe(200);
      await expectAccessible(page, "avenant");
      await page.selectOption("#champ-objectiveId", { index: 1 });
      await page.fill("#champ-title", "Plateforme de covoiturage inter-entreprises");
      await page.selectOption("#champ-visibility", "published");
      expect(await submit(page, page.locator("form[action$='/ajout'] button[type=submit]"))).toBe(200);
      await page.selectOption("#champ-withdrawActionId", String(a19!.id));
      expect(await submit(page, page.locator("form[action$='/retrait'] button[type=submit]"))).toBe(200);
      await expectAccessible(page, "avenant (deux changements)");
      expect(await page.locator("#avenant ~ ol, section[aria-labelledby=avenant] ol").first().innerText()).toContain("Retrait de l'action 19");
      expect(await submit(page, page.getByRole("button", { name: /Appliquer l'avenant au plan/ }))).toBe(200);

      // The comparison of version 1 (as signed) and version 2.
      expect(new URL(page.url()).pathname).toBe(`/t/${REF}/plan/versions/comparer`);
      await expectAccessible(page, "comparaison");
      expect(await page.locator("section[aria-labelledby=ajoutees]").innerText()).toContain("Plateforme de covoiturage inter-entreprises");
      const withdrawn = await page.locator("section[aria-labelledby=retirees]").innerText();
      expect(withdrawn).toContain(a19!.title);
      expect(withdrawn).toContain("Adoption de l'avenant n° 1");

      // The meeting page and the governance page; the decision shows on both.
      await page.goto(meetingUrl);
      await visit(page, `/t/${REF}/plan/versions`);
      await visit(page, `/t/${REF}/plan/versions/2`);
      await visit(page, `/t/${REF}/gouvernance`);
      expect(await page.locator("main").innerText()).toContain("Adoption de l'avenant n° 1");
    } finally {
      await context.close();
    }

    // An anonymous visitor: the held meeting's page without its minutes.
    const anon = await newContext(browser, server.baseUrl);
    try {
      const p = await anon.newPage();
      const [m] = await db.query<{ id: number }>("select id from gov_meetings where territory_id = $1 and title = $2", [refId, "Comité de pilotage de suivi"]);
      await visit(p, `/t/${REF}/gouvernance/reunions/${m!.id}`);
      expect(await p.locator("main").innerText()).not.toContain("retard du cahier des charges");
    } finally {
      await anon.close();
    }
  }, 180_000);
});
