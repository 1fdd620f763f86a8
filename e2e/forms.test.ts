// The sign-in form and the back-office in Chromium: axe (WCAG 2.1 AA) finds nothing in the normal
// and the error states, errors are announced and linked to their fields, and a person signs in
// with the keyboard alone. The back-office is crawled from its home, so new pages are covered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page, Response } from "playwright-core";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { createUser } from "../src/modules/accounts/api.ts";
import { axeReport, launchBrowser } from "./browser.ts";
import { withPage as withPageOf } from "./checks.ts";
import { startServer, type RunningServer } from "./server.ts";

const REF = "collines-de-normandie";
const PASSWORD = "une phrase de passe assez longue";
const ADMIN = { email: "admin-e2e@exemple.fr", displayName: "Camille Essai" };

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  await server.database.db.transaction((tx) =>
    createUser(tx, { actor: ANONYMOUS, role: "test" }, { ...ADMIN, password: PASSWORD, membership: { territorySlug: REF, role: "territory_admin" } }),
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const withPage = <T>(fn: (page: Page) => Promise<T>) => withPageOf(browser, server.baseUrl, fn);

/** The request a navigation started with, before any redirect. */
function firstRequest(response: Response) {
  let request = response.request();
  while (request.redirectedFrom()) request = request.redirectedFrom()!;
  return request;
}

/** Submits a form by `act` (a click, Enter…) and returns the final answer (after redirects) of its POST. */
async function submit(page: Page, act: () => Promise<void>): Promise<Response> {
  // The answer, then the new document: the old one stays "loaded" until the new one commits.
  const committed = page.waitForEvent("framenavigated", (frame) => frame === page.mainFrame());
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().isNavigationRequest() && (r.status() < 300 || r.status() >= 400) && firstRequest(r).method() === "POST"),
    act(),
  ]);
  await committed;
  await page.waitForLoadState("load");
  return response;
}

/** The id, and ARIA error wiring, of the focused element. */
const focused = (page: Page) =>
  page.evaluate("({ id: document.activeElement?.id ?? '', tag: document.activeElement?.tagName ?? '', cls: String(document.activeElement?.className ?? '') })") as Promise<{ id: string; tag: string; cls: string }>;

/** A form in its error state: 422, "Erreur – " title, focused summary whose links reach invalid, described fields. */
async function expectErrorState(page: Page, response: Response, where: string) {
  expect(response.status(), `statut de ${where}`).toBe(422);
  expect(await page.title(), `titre de ${where}`).toMatch(/^Erreur – /);
  const summary = page.locator(".error-summary");
  expect(await summary.count(), `récapitulatif des erreurs de ${where}`).toBe(1);
  expect((await focused(page)).cls, `focus sur le récapitulatif de ${where}`).toContain("error-summary");
  const links = await summary.locator("a").all();
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) {
    const href = (await link.getAttribute("href")) ?? "";
    expect(href, `lien du récapitulatif de ${where}`).toMatch(/^#champ-/);
    const field = page.locator(href);
    expect(await field.count(), `champ ${href} de ${where}`).toBe(1);
    if ((await field.getAttribute("type")) === "checkbox") continue;
    expect(await field.getAttribute("aria-invalid"), `aria-invalid de ${href}`).toBe("true");
    const describedBy = ((await field.getAttribute("aria-describedby")) ?? "").split(" ");
    expect(describedBy, `message d'erreur relié à ${href}`).toContain(`${href.slice(1)}-erreur`);
  }
  // Following the first link with the keyboard puts the focus in its field.
  await links[0].focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(`document.activeElement?.id === ${JSON.stringify(((await links[0].getAttribute("href")) ?? "").slice(1))}`, undefined, { timeout: 2000 });
  expect(await axeReport(page), `axe sur ${where} (erreur)`).toBe("");
}

/** Tabs forward until the element matching `selector` has focus (at most `max` presses). */
async function tabTo(page: Page, selector: string, max = 30): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) {
      const outline = (await page.evaluate("getComputedStyle(document.activeElement).outlineStyle")) as string;
      expect(outline, `focus visible sur ${selector}`).not.toBe("none");
      return;
    }
  }
  throw new Error(`${selector} n'est pas atteignable au clavier en ${max} tabulations`);
}

/** Signs in through the form (keyboard alone) and lands on the back-office home. */
async function signInWithKeyboard(page: Page) {
  await page.goto("/connexion");
  await tabTo(page, "#champ-email");
  await page.keyboard.type(ADMIN.email);
  await page.keyboard.press("Tab");
  expect((await focused(page)).id).toBe("champ-password");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Tab");
  expect(await page.evaluate("document.activeElement?.textContent?.trim()")).toBe("Se connecter");
  const response = await submit(page, () => page.keyboard.press("Enter"));
  expect(new URL(page.url()).pathname, `connexion refusée (${response.status()}) : ${await page.locator("main").innerText()}`).toBe("/gestion");
}

describe("sign-in form", () => {
  it("passes axe in its normal state", async () => {
    await withPage(async (page) => {
      await page.goto("/connexion");
      expect(await page.title()).toMatch(/^Se connecter – /);
      expect(await page.locator("label[for=champ-email]").count()).toBe(1);
      expect(await page.locator("label[for=champ-password]").count()).toBe(1);
      expect(await axeReport(page)).toBe("");
    });
  });

  it("submitted empty: 422, errors summarised, linked and announced, still accessible", async () => {
    await withPage(async (page) => {
      await page.goto("/connexion");
      const response = await submit(page, () => page.getByRole("button", { name: "Se connecter" }).click());
      await expectErrorState(page, response, "la connexion vide");
      expect(await page.locator(".error-summary a").allTextContents()).toEqual(["Indiquez votre adresse électronique.", "Indiquez votre mot de passe."]);
    });
  });

  it("with wrong credentials: 422, the address kept, the password not, still accessible", async () => {
    await withPage(async (page) => {
      await page.goto("/connexion");
      await page.fill("#champ-email", ADMIN.email);
      await page.fill("#champ-password", "pas le bon mot de passe");
      const response = await submit(page, () => page.getByRole("button", { name: "Se connecter" }).click());
      await expectErrorState(page, response, "la connexion refusée");
      expect(await page.locator(".error-summary a").allTextContents()).toEqual(["Adresse électronique ou mot de passe incorrect."]);
      expect(await page.inputValue("#champ-email")).toBe(ADMIN.email);
      expect(await page.inputValue("#champ-password")).toBe("");
    });
  });

  it("a person signs in with the keyboard alone and reaches the back-office", async () => {
    await withPage(async (page) => {
      await signInWithKeyboard(page);
      expect(await page.locator("h1").textContent()).toBe("Gestion");
      expect(await page.locator("[role=status]").textContent()).toContain("Vous êtes connecté.");
      expect(await axeReport(page)).toBe("");
      // Then signs out, still with the keyboard.
      await tabTo(page, ".site-header button.link-button");
      await submit(page, () => page.keyboard.press("Enter"));
      expect(new URL(page.url()).pathname).toBe("/");
      expect(await page.locator("[role=status]").textContent()).toContain("Vous êtes déconnecté.");
    });
  });
});

describe("forgotten password form", () => {
  it("passes axe, and in its error state too", async () => {
    await withPage(async (page) => {
      const res = await page.goto("/mot-de-passe-oublie");
      expect(res?.status()).toBe(200);
      expect(await axeReport(page)).toBe("");
      const response = await submit(page, () => page.locator("main form[method=post] button[type=submit]").first().click());
      await expectErrorState(page, response, "le mot de passe oublié vide");
    });
  });
});

/** One page of each template is enough: `/actions/12?x=1` and `/actions/13` are one template. */
const pattern = (path: string) => path.replace(/\/\d+(?=\/|$)/g, "/:id");
const MAX_PER_PATTERN = 1;
const MAX_PAGES = 60;
/** Signed-in pages: a back-office (platform or territory) and the person's own account. */
const BACK_OFFICE = /^((\/t\/[a-z0-9-]+)?\/gestion|\/compte)(\/|$)/;

describe("back-office", () => {
  it("every page reachable from /gestion passes axe, and every form in its error state too", async () => {
    await withPage(async (page) => {
      await signInWithKeyboard(page);
      const origin = server.baseUrl;
      const queue = ["/gestion", `/t/${REF}/gestion`];
      const seen = new Set<string>(queue);
      const perPattern = new Map<string, number>();
      const visited: string[] = [];
      const formsInError: string[] = [];
      const problems: string[] = [];
      while (queue.length && visited.length < MAX_PAGES) {
        const path = queue.shift()!;
        if (process.env.E2E_DEBUG) console.info(new Date().toISOString(), path);
        let response: Response | null;
        try {
          response = await page.goto(path);
        } catch (e) {
          problems.push(`${path} : ${(e as Error).message.split("\n")[0]}`);
          continue;
        }
        visited.push(`${path} (${response?.status()})`);
        if (response?.status() !== 200) {
          problems.push(`${path} : statut ${response?.status()}`);
          continue;
        }
        if ((await page.getAttribute("html", "lang")) !== "fr") problems.push(`${path} : lang ≠ fr`);
        if ((await page.locator("h1").count()) !== 1) problems.push(`${path} : ${await page.locator("h1").count()} h1`);
        const report = await axeReport(page);
        if (report) problems.push(report);

        // Links under a back-office, each page template visited at most MAX_PER_PATTERN times.
        const hrefs = (await page.evaluate("[...document.querySelectorAll('a[href]')].map((a) => a.href)")) as string[];
        for (const href of hrefs) {
          const url = new URL(href);
          // Pages only: exports (.csv, .xlsx…) are files, not pages.
          if (url.origin !== origin || !BACK_OFFICE.test(url.pathname) || /\.[a-z0-9]{2,5}$/i.test(url.pathname)) continue;
          const next = url.pathname + url.search;
          const key = pattern(url.pathname);
          if (seen.has(next) || (perPattern.get(key) ?? 0) >= MAX_PER_PATTERN) continue;
          seen.add(next);
          perPattern.set(key, (perPattern.get(key) ?? 0) + 1);
          queue.push(next);
        }

        // Error state: every form with required fields, submitted with them emptied. One-button
        // forms (archive, move…) and the sign-out form are left alone: they change data.
        const forms = await page.locator("main form[method=post]:not(.inline-form)").all();
        for (let i = 0; i < forms.length; i++) {
          const form = page.locator("main form[method=post]:not(.inline-form)").nth(i);
          const required = form.locator("input[required]:not([type=checkbox]):not([type=radio]):not([type=hidden]):not([type=file]), textarea[required]");
          const requiredSelects = form.locator("select[required]:has(option[value=''])");
          if (!(await required.count()) && !(await requiredSelects.count())) continue;
          for (const field of await required.all()) await field.fill("");
          for (const select of await requiredSelects.all()) await select.selectOption("");
          const where = `${path} (formulaire ${i + 1})`;
          const answer = await submit(page, () => form.locator("button[type=submit], input[type=submit]").first().click());
          formsInError.push(where);
          try {
            await expectErrorState(page, answer, where);
          } catch (e) {
            problems.push(`${where} : ${(e as Error).message}`);
          }
          await page.goto(path);
        }
      }
      console.info(`Gestion parcourue (${visited.length} pages) :\n  ${visited.join("\n  ")}\nFormulaires en erreur (${formsInError.length}) :\n  ${formsInError.join("\n  ")}`);
      expect(problems, problems.join("\n\n")).toEqual([]);
      expect(visited.length).toBeGreaterThan(0);
    });
  }, 120_000);
});
