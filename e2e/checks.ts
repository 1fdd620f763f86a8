// Checks shared by the browser test files: a page every visitor may reach, its skip link.
import { expect } from "vitest";
import type { Browser, Page } from "playwright-core";
import { axeReport, newContext } from "./browser.ts";

export const TERRITORIES = ["collines-de-normandie", "demo-bocage-des-forges"] as const;

/** The portal pages of a territory that need no data to be listed (actions come from the API). */
export const territoryPaths = (slug: string) =>
  ["", "/plan", "/gouvernance", "/contact", "/presentation", "/mentions-legales", "/accessibilite", "/donnees-personnelles", "/plan-du-site"].map((p) => `/t/${slug}${p}`);

export const PLATFORM_PATHS = ["/", "/connexion", "/mentions-legales", "/accessibilite", "/donnees-personnelles", "/plan-du-site"];

export interface ApiAction {
  id: number;
  number: number;
  status: string | null;
  joint: boolean;
}
export interface ApiPlan {
  themes: { code: string; title: string; objectives: { actions: ApiAction[] }[] }[];
}

/** The published plan of a territory, from the open API. */
export async function fetchPlan(baseUrl: string, slug: string): Promise<ApiPlan> {
  const res = await fetch(`${baseUrl}/api/v1/territories/${slug}/plan`);
  expect(res.status).toBe(200);
  return (await res.json()) as ApiPlan;
}

export const actionsOf = (plan: ApiPlan) => plan.themes.flatMap((t) => t.objectives.flatMap((o) => o.actions));

/** Runs `fn` with a page of a fresh context, closing the context afterwards. */
export async function withPage<T>(browser: Browser, baseUrl: string, fn: (page: Page) => Promise<T>, options: Parameters<typeof newContext>[2] = {}): Promise<T> {
  const context = await newContext(browser, baseUrl, options);
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

/** Loads a page and checks what every page must satisfy: status, French, one h1, a title, no axe violation. */
export async function checkPage(page: Page, path: string, status = 200): Promise<void> {
  const res = await page.goto(path);
  expect(res?.status(), `statut de ${path}`).toBe(status);
  expect(await page.getAttribute("html", "lang"), `lang de ${path}`).toBe("fr");
  expect(await page.locator("h1").count(), `nombre de h1 sur ${path}`).toBe(1);
  expect((await page.title()).length, `titre de ${path}`).toBeGreaterThan(0);
  expect(await axeReport(page), `axe sur ${path}`).toBe("");
}

/** Tab from the top of the page reaches the skip link first; Enter moves focus to main. */
export async function checkSkipLink(page: Page, path: string): Promise<void> {
  await page.keyboard.press("Tab");
  const first = await page.evaluate("({ cls: document.activeElement?.className, text: document.activeElement?.textContent?.trim(), href: document.activeElement?.getAttribute('href') })");
  expect(first, `premier élément focalisable de ${path}`).toEqual({ cls: "skip-link", text: "Aller au contenu", href: "#contenu" });
  expect(await page.locator(".skip-link").isVisible(), `lien d'évitement visible au focus sur ${path}`).toBe(true);
  await page.keyboard.press("Enter");
  await page.waitForFunction("document.activeElement?.id === 'contenu'", undefined, { timeout: 2000 }).catch(() => undefined);
  expect(await page.evaluate("document.activeElement?.tagName + '#' + document.activeElement?.id"), `focus après le lien d'évitement sur ${path}`).toBe("MAIN#contenu");
}
