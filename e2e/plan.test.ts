// The plan in Chromium: every action page and the filtered plan pass axe (WCAG 2.1 AA) and show
// what they should; the filters work without JavaScript; no page scrolls sideways at 375 px;
// printing drops the navigation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, newContext } from "./browser.ts";
import { actionsOf, checkPage, fetchPlan, PLATFORM_PATHS, TERRITORIES, territoryPaths, withPage as withPageOf, type ApiPlan } from "./checks.ts";
import { startServer, type RunningServer } from "./server.ts";

let server: RunningServer;
let browser: Browser;
const plans = new Map<string, ApiPlan>();

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  for (const slug of TERRITORIES) plans.set(slug, await fetchPlan(server.baseUrl, slug));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const withPage = <T>(fn: (page: Page) => Promise<T>, options: Parameters<typeof newContext>[2] = {}) => withPageOf(browser, server.baseUrl, fn, options);

describe.each(TERRITORIES)("plan of %s", (slug) => {
  it("every action page passes axe", async () => {
    const actions = actionsOf(plans.get(slug)!);
    expect(actions.length).toBeGreaterThan(0);
    await withPage(async (page) => {
      for (const a of actions) {
        await checkPage(page, `/t/${slug}/actions/${a.id}`);
        expect(await page.locator("h1").textContent()).toContain(`Action ${a.number}`);
      }
    });
  }, 60_000);

  it("the plan with filters applied passes axe and shows only what matches", async () => {
    const plan = plans.get(slug)!;
    const all = actionsOf(plan);
    await withPage(async (page) => {
      // One filtered page of each kind through axe (same template); every value checked for its result.
      const visit = async (query: string, axe: boolean, status = 200) => {
        if (axe) return checkPage(page, `/t/${slug}/plan?${query}`, status);
        expect((await page.goto(`/t/${slug}/plan?${query}`))?.status(), query).toBe(status);
      };
      for (const [i, theme] of plan.themes.entries()) {
        await visit(`theme=${encodeURIComponent(theme.code)}`, i === 0);
        expect(await page.locator("section.plan-theme").count()).toBe(1);
        expect(await page.locator("section.plan-theme h2").textContent()).toContain(theme.title);
        expect(await page.locator(".action-item").count()).toBe(actionsOf({ themes: [theme] }).length);
        expect(await page.locator("#filtre-theme").inputValue()).toBe(theme.code);
      }
      const statuses = [...new Set(all.map((a) => a.status ?? "non-renseigne"))];
      for (const [i, status] of statuses.entries()) {
        await visit(`status=${status}`, i === 0);
        expect(await page.locator(".action-item").count()).toBe(all.filter((a) => (a.status ?? "non-renseigne") === status).length);
      }
      await visit("partenariat=oui", true);
      expect(await page.locator(".action-item").count()).toBe(all.filter((a) => a.joint).length);
      await visit("partenariat=non", false);
      expect(await page.locator(".action-item").count()).toBe(all.filter((a) => !a.joint).length);
      // Filters that match nothing: the empty state says so, still accessible.
      const missing = ["planned", "in_progress", "done", "paused", "abandoned"].find((x) => !all.some((a) => a.status === x));
      if (missing) {
        await visit(`theme=${encodeURIComponent(plan.themes[0].code)}&status=${missing}&partenariat=non`, true);
        expect(await page.locator(".action-item").count()).toBe(0);
        expect(await page.locator("main .empty-state").textContent()).toBe("Aucune action ne correspond à ces filtres.");
      }
      // An unknown theme is a page that does not exist, still a full accessible page.
      await visit("theme=inconnue", true, 404);
    });
  }, 60_000);
});

describe("without JavaScript", () => {
  it("the plan filters work: choose a theme, submit, see only that theme", async () => {
    const slug = TERRITORIES[0];
    const plan = plans.get(slug)!;
    const theme = plan.themes[plan.themes.length - 1];
    await withPage(
      async (page) => {
        await page.goto(`/t/${slug}/plan`);
        expect(await page.locator(".action-item").count()).toBe(actionsOf(plan).length);
        await page.selectOption("#filtre-theme", theme.code);
        await Promise.all([page.waitForURL(/theme=/), page.getByRole("button", { name: "Filtrer" }).click()]);
        expect(new URL(page.url()).searchParams.get("theme")).toBe(theme.code);
        const sections = page.locator("section.plan-theme");
        expect(await sections.count()).toBe(1);
        expect(await sections.locator("h2").textContent()).toContain(theme.title);
        expect(await page.locator(".action-item").count()).toBe(actionsOf({ themes: [theme] }).length);
        // The choice stays selected, and the filters can be cleared.
        expect(await page.locator("#filtre-theme").inputValue()).toBe(theme.code);
        await Promise.all([page.waitForURL((u) => !u.search), page.getByRole("link", { name: "Effacer les filtres" }).click()]);
        expect(await page.locator(".action-item").count()).toBe(actionsOf(plan).length);
      },
      { javaScriptEnabled: false },
    );
  });
});

describe("small screens and print", () => {
  it("every page fits a 375 px wide screen without horizontal scrolling", async () => {
    const paths = [...PLATFORM_PATHS, ...TERRITORIES.flatMap((s) => [...territoryPaths(s), `/t/${s}/actions/${actionsOf(plans.get(s)!)[0].id}`]), "/cette-page-n-existe-pas"];
    await withPage(
      async (page) => {
        const wide: string[] = [];
        for (const path of paths) {
          await page.goto(path);
          const width = (await page.evaluate("document.scrollingElement.scrollWidth")) as number;
          if (width > 375 + 1) {
            const culprits = await page.evaluate(
              "[...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 376).slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')",
            );
            wide.push(`${path}: ${width}px (${(culprits as string[]).join(", ")})`);
          }
        }
        expect(wide, "pages plus larges que l'écran").toEqual([]);
      },
      { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true },
    );
  });

  it("printing hides the navigation, the skip link and the filters", async () => {
    await withPage(async (page) => {
      await page.emulateMedia({ media: "print" });
      for (const path of [`/t/${TERRITORIES[0]}/plan`, `/t/${TERRITORIES[0]}`, "/"]) {
        await page.goto(path);
        for (const selector of ["nav", ".skip-link", ".filters", ".footer-links", ".account"]) {
          for (const el of await page.locator(selector).all()) expect(await el.isVisible(), `${selector} imprimé sur ${path}`).toBe(false);
        }
        expect(await page.locator("main h1").isVisible(), `titre imprimé sur ${path}`).toBe(true);
      }
    });
  });
});
