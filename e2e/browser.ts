// The one place that launches Debian's Chromium for the browser tests and the screenshot script,
// and runs axe on a page. One browser per test file, a new context per test.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import type { AxeResults, Result } from "axe-core";

/** Debian's package; browsers are never downloaded (no `playwright install`). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The WCAG levels the RGAA refers to: 2.0 and 2.1, A and AA. */
export const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/** Launches headless Chromium with nothing that reaches the network on its own. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A fresh context (cookies, storage) in French, at a desktop size unless told otherwise. */
export async function newContext(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL, locale: "fr-FR", viewport: { width: 1280, height: 800 }, ...options });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

/**
 * Runs axe with the WCAG 2.1 A/AA rules on the page as it is now. Legacy mode runs axe in the page
 * itself: the default mode opens a blank page for each run to merge the results of cross-origin
 * frames, which our pages do not have; same rules and results, twice as fast.
 */
export async function runAxe(page: Page): Promise<AxeResults> {
  return new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true).analyze();
}

/** The violations of an axe run as readable text: rule, impact, help, then each element and why. */
export function formatViolations(violations: Result[], where = ""): string {
  if (!violations.length) return "";
  const lines = [`${violations.length} violation(s) axe${where ? ` sur ${where}` : ""} :`];
  for (const v of violations) {
    lines.push(`\n● ${v.id} [${v.impact ?? "?"}] ${v.help}\n  ${v.helpUrl}`);
    for (const node of v.nodes.slice(0, 8)) {
      lines.push(`  - ${node.target.join(" ")}\n    ${node.html.slice(0, 200)}`);
      const why = node.failureSummary?.split("\n").map((l) => `      ${l.trim()}`).join("\n");
      if (why) lines.push(why);
    }
    if (v.nodes.length > 8) lines.push(`  … et ${v.nodes.length - 8} autre(s) élément(s)`);
  }
  return lines.join("\n");
}

/** The axe report of the page (empty text when it has no violation), for `expect(...).toBe("")`. */
export async function axeReport(page: Page): Promise<string> {
  const results = await runAxe(page);
  return formatViolations(results.violations, page.url());
}
