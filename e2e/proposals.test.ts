// Issue 5's proposals and questions in Chromium, every page visited checked with axe (WCAG 2.1
// A/AA, zero violations): an industrialist proposes an action, another supports and comments it, a
// committee member evaluates it, an agent accepts it and finds the draft action in the plan's
// back-office; a visitor asks a question through the public form, an agent answers it and publishes
// it in the FAQ, which shows it without the visitor's identity.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Locator, Page, Response } from "playwright-core";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { Mailer, type OutboxEntry } from "../src/core/mail/index.ts";
import { createUser } from "../src/modules/accounts/api.ts";
import type { Role } from "../src/core/db/schema.ts";
import { axeReport, launchBrowser, newContext } from "./browser.ts";
import { startServer, type RunningServer } from "./server.ts";
import { seedDemoQuestions } from "../src/modules/participation/questions/seed.ts";

const REF = "collines-de-normandie";
const DEMO = "demo-bocage-des-forges";
const PASSWORD = "une phrase de passe assez longue";

let server: RunningServer;
let browser: Browser;
let mailer: Mailer;
const checked: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  mailer = new Mailer({ dataDir: server.dataDir, smtpUrl: undefined });
  await seedDemoQuestions(server.database); // a no-op when the start already seeded it
});

afterAll(async () => {
  if (checked.length) console.info(`Propositions et questions : ${checked.length} pages vérifiées avec axe, sans violation :\n  ${checked.join("\n  ")}`);
  await browser?.close();
  await server?.close();
});

async function account(email: string, displayName: string, role: Role): Promise<void> {
  await server.database.db.transaction((tx) => createUser(tx, { actor: ANONYMOUS, role: "test" }, { email, displayName, password: PASSWORD, membership: { territorySlug: REF, role } }));
}

async function asPerson<T>(fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await newContext(browser, server.baseUrl);
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

async function expectAccessible(page: Page, where = new URL(page.url()).pathname): Promise<void> {
  expect(await page.getAttribute("html", "lang"), `lang de ${where}`).toBe("fr");
  expect(await page.locator("h1").count(), `nombre de h1 sur ${where}`).toBe(1);
  expect(await axeReport(page), `axe sur ${where}`).toBe("");
  checked.push(where);
}

async function visit(page: Page, path: string, status = 200): Promise<void> {
  const res = await page.goto(path);
  expect(res?.status(), `statut de ${path}`).toBe(status);
  await expectAccessible(page, `${new URL(page.url()).pathname} (${status})`);
}

function firstRequest(response: Response) {
  let request = response.request();
  while (request.redirectedFrom()) request = request.redirectedFrom()!;
  return request;
}

/** Clicks a form's button, waits for the page its POST ends on, checks it with axe; returns the final answer. */
async function submit(page: Page, button: Locator): Promise<Response> {
  const committed = page.waitForEvent("framenavigated", (frame) => frame === page.mainFrame());
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && (r.status() < 300 || r.status() >= 400) && firstRequest(r).method() === "POST"),
    button.click(),
  ]);
  await committed;
  await page.waitForLoadState("load");
  await expectAccessible(page, `${new URL(page.url()).pathname} (après envoi, ${response.status()})`);
  return response;
}

const statusMessage = (page: Page) => page.locator("[role=status]").first().innerText();

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto("/connexion");
  await page.fill("#champ-email", email);
  await page.fill("#champ-password", PASSWORD);
  await submit(page, page.getByRole("button", { name: "Se connecter", exact: true }));
  expect(new URL(page.url()).pathname).toBe("/gestion");
}

async function mailTo(to: string, subject: RegExp): Promise<OutboxEntry> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const entry = (await mailer.outbox()).find((m) => m.to === to && subject.test(m.subject));
    if (entry) return entry;
    if (Date.now() > deadline) throw new Error(`Aucun courriel « ${subject.source} » pour ${to}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a proposal of action, from submission to a draft action of the plan", () => {
  it("is submitted by an industrialist, supported and commented, evaluated, accepted, and found in the plan's back-office", async () => {
    const title = "Un groupement d'employeurs pour la maintenance industrielle";
    await account("industriel.propose@exemple.fr", "Camille Industrielle", "industrialist");
    await account("industriel.soutient@exemple.fr", "Dominique Soutien", "industrialist");
    await account("comite.evalue@exemple.fr", "Claude Comité", "committee_member");
    await account("agent.decide@exemple.fr", "Alex Agent", "agent");

    // Submission.
    const url = await asPerson(async (page) => {
      await signIn(page, "industriel.propose@exemple.fr");
      await visit(page, `/t/${REF}/propositions`);
      await page.getByRole("link", { name: "Proposer une action" }).click();
      await expectAccessible(page);
      const empty = await submit(page, page.getByRole("button", { name: "Déposer la proposition" }));
      expect(empty.status()).toBe(422);
      expect(await page.title()).toMatch(/^Erreur – /);
      await page.fill("#champ-title", title);
      await page.selectOption("#champ-themeId", { index: 1 });
      await page.fill("#champ-problem", "Les PME du territoire peinent à recruter des techniciens de maintenance à temps plein.");
      await page.fill("#champ-proposedAction", "Créer un groupement d'employeurs qui partage trois techniciens entre cinq entreprises.");
      await page.fill("#champ-expectedPartners", "GEIQ Industrie, CCI");
      await page.fill("#champ-roughBudgetEuros", "45 000");
      const res = await submit(page, page.getByRole("button", { name: "Déposer la proposition" }));
      expect(res.status()).toBe(200);
      expect(await statusMessage(page)).toContain("est déposée");
      expect(await page.locator("h1").innerText()).toBe(title);
      return new URL(page.url()).pathname;
    });

    // Support and comment by another industrialist.
    await asPerson(async (page) => {
      await signIn(page, "industriel.soutient@exemple.fr");
      await visit(page, url);
      await submit(page, page.getByRole("button", { name: "Soutenir cette proposition" }));
      expect(await page.locator("#soutiens").locator("..").innerText()).toContain("1 personne soutient cette proposition.");
      await page.fill("#champ-body", "Nous partagerions volontiers un technicien.");
      await submit(page, page.getByRole("button", { name: "Publier le commentaire" }));
      expect(await page.locator(".comment-list").innerText()).toContain("Nous partagerions volontiers un technicien.");
    });

    // Review and evaluation by a committee member.
    await asPerson(async (page) => {
      await signIn(page, "comite.evalue@exemple.fr");
      await visit(page, url);
      await submit(page, page.getByRole("button", { name: "Mettre à l'examen" }));
      await page.getByRole("link", { name: "Évaluer" }).click();
      await expectAccessible(page);
      await page.check("#critere-theme");
      await page.check("#critere-demand");
      await page.check("#critere-partners");
      await page.fill("#champ-score", "15");
      await page.fill("#champ-answer", "Le comité retient la proposition : elle répond à une demande exprimée par plusieurs entreprises.");
      await submit(page, page.getByRole("button", { name: "Enregistrer l'évaluation" }));
      expect(await statusMessage(page)).toContain("15 / 20");
    });

    // Decision by an agent: accepted, a draft action in the back-office.
    await asPerson(async (page) => {
      await signIn(page, "agent.decide@exemple.fr");
      await visit(page, url);
      await page.getByRole("link", { name: "Enregistrer la décision" }).click();
      await expectAccessible(page);
      await page.check("#decision-accepted");
      expect(await page.inputValue("#champ-answer")).toContain("Le comité retient la proposition");
      await submit(page, page.getByRole("button", { name: "Enregistrer la décision" }));
      const message = await statusMessage(page);
      expect(message).toMatch(/Proposition acceptée : l'action n° \d+ est créée en brouillon/);
      const actionLink = page.getByRole("link", { name: /^l'action n° \d+/ });
      const href = (await actionLink.getAttribute("href"))!;
      await visit(page, `/t/${REF}/gestion`);
      expect(await page.locator("main").innerText()).toContain(title);
      await visit(page, href);
      expect(await page.locator("h1").innerText()).toContain(title);
      await visit(page, `/t/${REF}/gestion/propositions`);
    });
    const mail = await mailTo("industriel.propose@exemple.fr", /réponse du comité/);
    expect(mail.text).toContain("elle est acceptée");

    // The public reads it without the author's name.
    await asPerson(async (page) => {
      await visit(page, url);
      const text = await page.locator("main").innerText();
      expect(text).toContain("Acceptée");
      expect(text).not.toContain("Camille Industrielle");
      await visit(page, `/t/${REF}/propositions`);
    });
  }, 120_000);
});

describe("a question through the public form, answered and published in the FAQ", () => {
  it("is sent by a visitor, answered by an agent by e-mail, and published without the visitor's identity", async () => {
    await account("agent.questions@exemple.fr", "Sacha Agent", "agent");
    await asPerson(async (page) => {
      await visit(page, `/t/${REF}/faq`);
      await page.getByRole("link", { name: "Poser une question" }).click();
      await expectAccessible(page);
      await page.fill("#champ-name", "Jeanne Visiteuse");
      await page.fill("#champ-email", "jeanne.visiteuse@exemple.fr");
      await page.fill("#champ-companyName", "Tôlerie Visiteuse");
      await page.fill("#champ-subject", "Ateliers pour les petites entreprises");
      await page.fill("#champ-body", "Une entreprise de six salariés peut-elle participer aux ateliers thématiques ?");
      await page.check("#champ-consent");
      // The trap field stays out of the keyboard order and out of sight.
      const box = await page.locator("#champ-site").boundingBox();
      expect(box === null || box.x + box.width <= 0).toBe(true);
      expect(await page.getAttribute("#champ-site", "tabindex")).toBe("-1");
      await page.waitForTimeout(3200); // a person takes longer than the minimal time to submit
      await submit(page, page.getByRole("button", { name: "Envoyer ma question" }));
      expect(await statusMessage(page)).toContain("votre question est envoyée");
    });

    await asPerson(async (page) => {
      await signIn(page, "agent.questions@exemple.fr");
      await visit(page, `/t/${REF}/gestion/questions`);
      await page.getByRole("link", { name: "Ateliers pour les petites entreprises" }).click();
      await expectAccessible(page);
      await page.selectOption("#champ-assigneeId", { label: "Sacha Agent" });
      await submit(page, page.getByRole("button", { name: "Attribuer" }));
      await page.fill("#champ-answer", "Oui : les ateliers sont ouverts à toutes les entreprises du territoire, quelle que soit leur taille.");
      await submit(page, page.getByRole("button", { name: "Envoyer la réponse" }));
      expect(await statusMessage(page)).toContain("Réponse envoyée à jeanne.visiteuse@exemple.fr");
      await page.fill("#champ-faqQuestion", "Une petite entreprise peut-elle participer aux ateliers thématiques ?");
      await submit(page, page.getByRole("button", { name: "Publier dans la FAQ" }));
      expect(await statusMessage(page)).toContain("publiées dans la FAQ");
    });
    const mail = await mailTo("jeanne.visiteuse@exemple.fr", /Réponse à votre question/);
    expect(mail.text).toContain("quelle que soit leur taille");

    await asPerson(async (page) => {
      await visit(page, `/t/${REF}/faq`);
      const text = await page.locator("main").innerText();
      expect(text).toContain("Une petite entreprise peut-elle participer aux ateliers thématiques ?");
      expect(text).toContain("quelle que soit leur taille");
      for (const secret of ["Jeanne", "Visiteuse", "jeanne.visiteuse", "Tôlerie"]) expect(text).not.toContain(secret);
    });
  }, 90_000);
});

describe("the demo territory's FAQ", () => {
  it("passes axe, as do the question form and an empty list of proposals", async () => {
    await asPerson(async (page) => {
      await visit(page, `/t/${DEMO}/faq`);
      expect(await page.locator(".faq-entry").count()).toBeGreaterThanOrEqual(3);
      await visit(page, `/t/${DEMO}/questions`);
      await visit(page, `/t/${DEMO}/propositions?etat=merged`);
    });
  }, 60_000);
});
