// Screenshots for the README, from a freshly seeded embedded database: `npx tsx e2e/screenshot.ts`.
// Not part of the test run. Writes docs/screenshots/plan.png and docs/screenshots/territoire.png.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { openPglite } from "../src/core/db/client.ts";
import { prepareDatabase } from "../src/setup.ts";
import { launchBrowser, newContext } from "./browser.ts";
import { startServer } from "./server.ts";

const REF = "collines-de-normandie";
const OUT = join(import.meta.dirname, "..", "docs", "screenshots");

const SHOTS = [
  { path: `/t/${REF}/plan`, file: "plan.png" },
  { path: `/t/${REF}`, file: "territoire.png" },
];

async function main() {
  mkdirSync(OUT, { recursive: true });
  const database = await openPglite(undefined);
  await prepareDatabase(database);
  const server = await startServer({ database });
  const browser = await launchBrowser();
  try {
    const context = await newContext(browser, server.baseUrl, { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    for (const shot of SHOTS) {
      await page.goto(shot.path);
      await page.screenshot({ path: join(OUT, shot.file), fullPage: true });
      console.log(`${shot.path} → docs/screenshots/${shot.file}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
