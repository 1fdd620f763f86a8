// Issue 3's journeys in Chromium, every page visited checked with axe (WCAG 2.1 A/AA, zero
// violations): a committee member invited from the members page creates the account, later signs in
// by e-mail link and reads the confidential follow-up; an agent of one territory is refused the
// other's back-office; a Région funder sees both territories of its région; a person signs in
// through a real OpenID Connect provider on loopback. One server (its DATA_DIR a temporary folder
// whose outbox the test reads, as a person trying the demo reads /dev/outbox) and one browser.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Locator, Page, Response } from "playwright-core";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { Mailer, type OutboxEntry } from "../src/core/mail/index.ts";
import { createUser } from "../src/modules/accounts/api.ts";
import type { Role } from "../src/core/db/schema.ts";
import { startTestProvider, type TestProvider } from "../test/helpers/oidc-provider.ts";
import { axeReport, launchBrowser, newContext } from "./browser.ts";
import { freePort, startServer, type RunningServer } from "./server.ts";

const REF = "collines-de-normandie";
const DEMO = "demo-bocage-des-forges";
const PASSWORD = "une phrase de passe assez longue";

let server: RunningServer;
let browser: Browser;
let provider: TestProvider;
let mailer: Mailer;
const names = new Map<string, string>();
const territoryIds = new Map<string, number>();
/** Every page checked with axe, for the summary printed at the end. */
const checked: string[] = [];

beforeAll(async () => {
  // The provider must know our callback before the app starts, and the app its own address.
  const port = await freePort();
  provider = await startTestProvider({ redirectUris: [`http://127.0.0.1:${port}/connexion/oidc/retour`] });
  [server, browser] = await Promise.all([startServer({ port, env: provider.env }), launchBrowser()]);
  mailer = new Mailer({ dataDir: server.dataDir, smtpUrl: undefined });
  for (const t of await server.database.query<{ id: number; slug: string; name: string }>("select id, slug, name from territories where slug = any($1)", [[REF, DEMO]])) {
    names.set(t.slug, t.name);
    territoryIds.set(t.slug, Number(t.id));
  }
});

afterAll(async () => {
  if (checked.length) console.info(`Parcours : ${checked.length} pages vérifiées avec axe, sans violation :\n  ${checked.join("\n  ")}`);
  await browser?.close();
  await server?.close();
  await provider?.close();
});

/** An account made directly in the database (password known), with one role or none. */
async function account(email: string, displayName: string, membership?: { territory: string; role: Role }): Promise<number> {
  const created = await server.database.db.transaction((tx) =>
    createUser(tx, { actor: ANONYMOUS, role: "test" }, { email, displayName, password: PASSWORD, membership: membership && { territorySlug: membership.territory, role: membership.role } }),
  );
  return created.id;
}

/** Runs `fn` in a fresh browser context (cookies of one person), closed afterwards. */
async function asPerson<T>(fn: (page: Page, context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await newContext(browser, server.baseUrl);
  try {
    return await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

/** What every page must satisfy, as it is now: French, one h1, a title, no axe violation. */
async function expectAccessible(page: Page, where = new URL(page.url()).pathname): Promise<void> {
  expect(await page.getAttribute("html", "lang"), `lang de ${where}`).toBe("fr");
  expect(await page.locator("h1").count(), `nombre de h1 sur ${where}`).toBe(1);
  expect((await page.title()).length, `titre de ${where}`).toBeGreaterThan(0);
  expect(await axeReport(page), `axe sur ${where}`).toBe("");
  checked.push(where);
}

/** A path as it may be printed: the secret of an e-mailed link replaced by a placeholder. */
const printable = (path: string) => path.replace(/\/[A-Za-z0-9_-]{32,}$/, "/:jeton");

/** Opens a path (or an address) and checks its status and accessibility. */
async function visit(page: Page, path: string, status = 200): Promise<void> {
  const res = await page.goto(path);
  expect(res?.status(), `statut de ${printable(path)}`).toBe(status);
  await expectAccessible(page, `${printable(new URL(page.url()).pathname)} (${status})`);
}

/** The request a navigation started with, before any redirect. */
function firstRequest(response: Response) {
  let request = response.request();
  while (request.redirectedFrom()) request = request.redirectedFrom()!;
  return request;
}

/** Clicks a form's button and returns the final answer (after redirects) of its POST, once the new page has loaded. */
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

const pathOf = (page: Page) => new URL(page.url()).pathname;
const statusMessage = (page: Page) => page.locator("[role=status]").first().innerText();

/** Signs in with the password form, from the sign-in page, and lands on `/gestion`. */
async function signIn(page: Page, email: string): Promise<void> {
  await visit(page, "/connexion");
  await page.fill("#champ-email", email);
  await page.fill("#champ-password", PASSWORD);
  const res = await submit(page, page.getByRole("button", { name: "Se connecter", exact: true }));
  expect(pathOf(page), `connexion de ${email} refusée (${res.status()})`).toBe("/gestion");
  await expectAccessible(page, "/gestion");
}

/** Signs out with the header's button. */
async function signOut(page: Page): Promise<void> {
  await submit(page, page.locator(".site-header").getByRole("button", { name: "Se déconnecter" }));
  expect(pathOf(page)).toBe("/");
  expect(await statusMessage(page)).toContain("Vous êtes déconnecté.");
}

/** The first message to `to` whose subject matches and that `seen` does not hold, waited for (links are sent after the answer). */
async function mailTo(to: string, subject: RegExp, seen = new Set<string>()): Promise<OutboxEntry> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const entry = (await mailer.outbox()).find((m) => m.to === to && subject.test(m.subject) && !seen.has(m.id));
    if (entry) return entry;
    if (Date.now() > deadline) throw new Error(`Aucun courriel « ${subject.source} » pour ${to} dans ${mailer.outboxDir}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The link of a message that starts with `path` on this server (BASE_URL is the server's real address). */
function linkIn(entry: OutboxEntry, path: string): string {
  const found = entry.text.match(/https?:\/\/\S+/g)?.find((u) => u.startsWith(`${server.baseUrl}${path}`));
  if (!found) throw new Error(`Pas de lien ${server.baseUrl}${path}… dans « ${entry.subject} » :\n${entry.text}`);
  return found;
}

/** A confidential action of a territory that the follow-up shows (live, under a published or confidential objective and theme). */
async function confidentialAction(slug: string): Promise<{ id: number; title: string }> {
  const [row] = await server.database.query<{ id: number; title: string }>(
    `select a.id, a.title from plan_actions a
       join plan_objectives o on o.id = a.objective_id
       join plan_themes t on t.id = o.theme_id
     where a.territory_id = $1 and a.visibility = 'confidential' and a.archived_at is null
       and o.visibility <> 'draft' and o.archived_at is null and t.visibility <> 'draft' and t.archived_at is null
     order by a.number limit 1`,
    [territoryIds.get(slug)],
  );
  expect(row, `une action confidentielle dans ${slug}`).toBeDefined();
  return { id: Number(row.id), title: row.title };
}

describe("an invited committee member", () => {
  it("is invited from the members page, creates the account, later signs in by e-mail link and reads the confidential follow-up", async () => {
    const invitee = "elue.comite@exemple.fr";
    const secret = await confidentialAction(DEMO);
    await account("admin.demo@exemple.fr", "Dominique Admin", { territory: DEMO, role: "territory_admin" });

    // The public plan does not show the confidential action.
    await asPerson(async (page) => {
      await visit(page, `/t/${DEMO}/plan`);
      expect(await page.locator("main").innerText()).not.toContain(secret.title);
    });

    // The territory admin invites the person from the members page.
    await asPerson(async (page) => {
      await signIn(page, "admin.demo@exemple.fr");
      await page.locator(`main a[href="/t/${DEMO}/gestion"]`).first().click();
      await page.waitForURL(`**/t/${DEMO}/gestion`);
      await expectAccessible(page);
      await page.locator(`a[href="/t/${DEMO}/gestion/membres"]`).first().click();
      await page.waitForURL(`**/t/${DEMO}/gestion/membres`);
      await expectAccessible(page);
      const form = page.locator(`form[action="/t/${DEMO}/gestion/membres/invitations"]`);
      await form.getByLabel("Adresse électronique").fill(invitee);
      await form.getByLabel("Rôle", { exact: true }).selectOption("committee_member");
      const res = await submit(page, form.getByRole("button", { name: "Envoyer l'invitation" }));
      expect(res.status()).toBe(200);
      expect(pathOf(page)).toBe(`/t/${DEMO}/gestion/membres`);
      expect(await statusMessage(page)).toContain(`Invitation envoyée à ${invitee}.`);
      const row = page.locator("section[aria-labelledby=invitations] tbody tr", { hasText: invitee });
      expect(await row.innerText()).toContain("Membre de comité");
      await expectAccessible(page, `/t/${DEMO}/gestion/membres (invitation envoyée)`);
    });

    const invitation = await mailTo(invitee, /invitation/);
    const seen = new Set([invitation.id]);

    // The invitee follows the link, creates the account, then signs out; later, in the same
    // browser, asks for a sign-in link, opens it from the outbox and confirms.
    await asPerson(async (page) => {
      // The demo's outbox page lists the message, as it does for a person trying the platform.
      await visit(page, "/dev/outbox");
      expect(await page.locator("main").innerText()).toContain(invitation.subject);

      await visit(page, linkIn(invitation, "/invitation/"));
      expect(await page.locator("h1").innerText()).toBe("Invitation sur Collines");
      expect(await page.locator("main").innerText()).toContain("« Membre de comité »");
      await page.getByLabel("Votre nom").fill("Élise Comité");
      await page.getByLabel("Mot de passe", { exact: true }).fill(PASSWORD);
      await page.getByLabel("Confirmez le mot de passe").fill(PASSWORD);
      const created = await submit(page, page.getByRole("button", { name: "Créer mon compte et accepter" }));
      expect(created.status()).toBe(200);
      expect(pathOf(page)).toBe(`/t/${DEMO}`);
      expect(await statusMessage(page)).toContain("Votre compte est créé et l'invitation acceptée");
      await expectAccessible(page, `/t/${DEMO} (compte créé)`);
      await signOut(page);

      await visit(page, "/connexion");
      await page.getByRole("link", { name: "Recevoir un lien de connexion par courriel" }).click();
      await page.waitForURL("**/connexion/lien");
      await expectAccessible(page);
      await page.getByLabel("Adresse électronique").fill(invitee);
      const asked = await submit(page, page.getByRole("button", { name: "Recevoir le lien" }));
      expect(asked.status()).toBe(200);
      expect(await statusMessage(page)).toContain("Si un compte existe pour cette adresse");
      await expectAccessible(page, "/connexion/lien (envoyé)");

      const link = linkIn(await mailTo(invitee, /lien de connexion/, seen), "/connexion/lien/");
      await visit(page, link);
      expect(await page.locator("h1").innerText()).toBe("Se connecter");
      const signedIn = await submit(page, page.getByRole("button", { name: "Me connecter" }));
      expect(signedIn.status()).toBe(200);
      expect(pathOf(page)).toBe("/gestion");
      expect(await statusMessage(page)).toContain("Vous êtes connecté.");
      await expectAccessible(page, "/gestion (membre de comité)");

      // The follow-up of the territory: confidential items shown, badged.
      await page.locator(`main a[href="/t/${DEMO}/suivi"]`).first().click();
      await page.waitForURL(`**/t/${DEMO}/suivi`);
      await expectAccessible(page);
      expect(await page.locator("h1").innerText()).toBe("Suivi du plan d'actions");
      const item = page.locator("main li", { has: page.locator(`a[href="/t/${DEMO}/actions/${secret.id}"]`) });
      expect(await item.innerText()).toContain(secret.title);
      expect(await item.locator(".badge-confidential").count()).toBeGreaterThan(0);
      await item.locator(`a[href="/t/${DEMO}/actions/${secret.id}"]`).click();
      await page.waitForURL(`**/t/${DEMO}/actions/${secret.id}`);
      await expectAccessible(page);
      expect(await page.locator("main").innerText()).toContain(secret.title);
      expect(await page.locator("main .badge-confidential").count()).toBeGreaterThan(0);

      // Reading is all a committee member does: the back-office stays closed.
      await visit(page, `/t/${DEMO}/gestion`, 403);
    });

    // The link served once: opened again, it is refused with an accessible page.
    await asPerson(async (page) => {
      await visit(page, linkIn(invitation, "/invitation/"), 404);
    });
  }, 90_000);
});

describe("an agent of one territory", () => {
  it("works in its back-office and is refused the other's, whose pages and records stay closed", async () => {
    await account("agent.ref@exemple.fr", "Alix Agent", { territory: REF, role: "agent" });
    const demoAction = await confidentialAction(DEMO);
    await asPerson(async (page) => {
      await signIn(page, "agent.ref@exemple.fr");
      await page.locator(`main a[href="/t/${REF}/gestion"]`).first().click();
      await page.waitForURL(`**/t/${REF}/gestion`);
      await expectAccessible(page);
      // Nothing on its home leads to the other territory's back-office.
      expect(await page.locator(`a[href^="/t/${DEMO}/gestion"]`).count()).toBe(0);

      await visit(page, `/t/${DEMO}/gestion`, 403);
      expect(await page.locator("h1").innerText()).toBe("Accès refusé");
      await visit(page, `/t/${DEMO}/gestion/membres`, 403);
      await visit(page, `/t/${DEMO}/gestion/actions/${demoAction.id}`, 403);
      // The other territory's record id, through its own back-office: not found, not shown.
      await visit(page, `/t/${REF}/gestion/actions/${demoAction.id}`, 404);
      expect(await page.locator("main").innerText()).not.toContain(demoAction.title);
      // Nor through the other's follow-up.
      await visit(page, `/t/${DEMO}/suivi`, 403);
    });
  }, 60_000);
});

describe("a Région funder", () => {
  it("sees the two territories of its région side by side, read-only", async () => {
    const userId = await account("region.normandie@exemple.fr", "Région Normandie – Service Territoires");
    await server.database.query("insert into funder_grants (user_id, label, region_code) values ($1, $2, $3)", [userId, "Région Normandie", "28"]);
    await asPerson(async (page) => {
      await signIn(page, "region.normandie@exemple.fr");
      const followed = page.locator("main .card-list").last();
      const text = await followed.innerText();
      expect(await page.locator("main h2", { hasText: "Territoires que vous suivez (lecture seule)" }).count()).toBe(1);
      for (const slug of [REF, DEMO]) {
        expect(text).toContain(names.get(slug));
        expect(await followed.locator(`a[href="/t/${slug}/suivi"]`).count()).toBe(1);
      }

      await page.getByRole("link", { name: /Suivi des territoires/ }).click();
      await page.waitForURL("**/gestion/suivi");
      await expectAccessible(page);
      const rows = page.locator("main table tbody tr");
      expect(await rows.count()).toBe(2);
      for (const slug of [REF, DEMO]) {
        const row = rows.filter({ has: page.locator(`a[href="/t/${slug}/suivi"]`) });
        expect(await row.innerText()).toContain(names.get(slug));
        expect(await row.innerText()).toContain("Financeur ou signataire");
      }

      // Each territory's follow-up, confidential items included; no back-office.
      const secret = await confidentialAction(DEMO);
      await visit(page, `/t/${REF}/suivi`);
      await visit(page, `/t/${DEMO}/suivi`);
      expect(await page.locator("main").innerText()).toContain(secret.title);
      await visit(page, `/t/${REF}/gestion`, 403);
    });
  }, 60_000);
});

describe("single sign-on", () => {
  it("signs in through the OpenID Connect provider and comes back to the account page", async () => {
    provider.accounts.set("pc-lea", { email: "lea.fabre@usine-exemple.fr", given_name: "Léa", usual_name: "Fabre", siret: "73282932000074", uid: "77" });
    await asPerson(async (page) => {
      await visit(page, "/connexion?retour=/compte");
      await page.getByRole("link", { name: "Se connecter avec ProConnect" }).click();
      // The provider's own development pages (not ours: no axe there): log in, then consent.
      await page.waitForURL(`${provider.issuer}/**`);
      await page.fill("input[name=login]", "pc-lea");
      await page.fill("input[name=password]", "peu-importe");
      await page.getByRole("button", { name: "Sign-in" }).click();
      await page.getByRole("button", { name: "Continue" }).click();
      await page.waitForURL(`${server.baseUrl}/compte`);
      await page.waitForLoadState("load");
      await expectAccessible(page, "/compte (ProConnect)");
      expect(await statusMessage(page)).toContain("Vous êtes connecté avec ProConnect.");
      expect(await page.locator("main").innerText()).toContain("Léa Fabre");
      const [user] = await server.database.query<{ email: string; siret: string | null; password_hash: string | null }>("select email, siret, password_hash from users where oidc_sub = $1", ["pc-lea"]);
      expect(user).toEqual({ email: "lea.fabre@usine-exemple.fr", siret: "73282932000074", password_hash: null });
    });
  }, 60_000);
});
