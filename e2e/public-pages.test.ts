// Every public page of both seeded territories in Chromium: axe (WCAG 2.1 AA) finds nothing, one
// h1, French, a skip link that is the first stop of the keyboard and leads to the content.
// The plan's action pages and filters, small screens and print are in plan.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { axeReport, launchBrowser, newContext } from "./browser.ts";
import { checkPage, checkSkipLink, PLATFORM_PATHS, TERRITORIES, territoryPaths, withPage as withPageOf } from "./checks.ts";
import { startServer, type RunningServer } from "./server.ts";

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const withPage = <T>(fn: (page: Page) => Promise<T>, options: Parameters<typeof newContext>[2] = {}) => withPageOf(browser, server.baseUrl, fn, options);

describe("the axe helper", () => {
  it("reports violations of a broken page, readably", async () => {
    await withPage(async (page) => {
      await page.setContent("<html><body><img src='data:,'><input type='text'><a href='#'></a></body></html>");
      const report = await axeReport(page);
      for (const rule of ["html-has-lang", "image-alt", "label", "link-name"]) expect(report).toContain(`● ${rule} [`);
    });
  });
});

describe("platform pages", () => {
  it.each(PLATFORM_PATHS)("%s passes axe, has one h1 and a working skip link", async (path) => {
    await withPage(async (page) => {
      await checkPage(page, path);
      await checkSkipLink(page, path);
    });
  });

  it("a page that does not exist answers 404 with an accessible page", async () => {
    await withPage(async (page) => {
      await checkPage(page, "/cette-page-n-existe-pas", 404);
      await expect(page.locator("h1").textContent()).resolves.toBe("Page introuvable");
      await checkSkipLink(page, "404");
      await checkPage(page, `/t/${TERRITORIES[0]}/actions/999999`, 404);
    });
  });
});

describe.each(TERRITORIES)("territory %s", (slug) => {
  it.each(territoryPaths(slug))("%s passes axe, has one h1 and a working skip link", async (path) => {
    await withPage(async (page) => {
      await checkPage(page, path);
      await checkSkipLink(page, path);
    });
  });
});
