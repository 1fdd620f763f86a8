// `npx tsx bench/companies.ts` (or `BENCH_COMPANIES=on npm run bench`): the companies module at
// scale, on the embedded database (PGlite), everything in a temporary directory removed at the end.
//
// 1. Generates a 1,000,000-row StockEtablissement (and its StockUniteLegale) in the INSEE layout,
//    about 6.5 % of the rows in the 59 communes of Collines de Normandie.
// 2. Starts the real server (child process) and measures the public pages' p99 at rest.
// 3. Runs `collines entreprises import` through the server's control socket, as an administrator
//    would: import rate (rows/s) and the server's peak RSS; meanwhile the public pages are loaded
//    again (their p99 while the import runs).
// 4. Company search as a signed-in agent over the ~50,000 imported companies: req/s and p99 for
//    a rotation of queries (names, a typo, an activity, a commune, a SIRET prefix).
//
// Environment: BENCH_DURATION (seconds per load run, default 10), BENCH_CONNECTIONS (default 10),
// BENCH_ROWS (default 1,000,000), BENCH_SHARE (default 0.065).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../scripts/lib/pg-cluster.mjs";
import { generateSirene } from "../scripts/generate-sirene-sample.ts";
import { Cleanup, exited, load, rawGet, rawPostForm, RssSampler, runNode, startNode, stopChild, tail, waitReady, type LoadResult } from "./lib.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SLUG = "collines-de-normandie";
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const SHARE = Number(process.env.BENCH_SHARE ?? 0.065);
const ACCOUNT = { email: "agent-bench@collines.invalid", password: "banc-d-essai-entreprises-2026" };
const MB = 1024 * 1024;
const fmt = (n: number, d = 0) => n.toLocaleString("fr-FR", { minimumFractionDigits: d, maximumFractionDigits: d });
const log = (s: string) => console.log(s);

// Child mode: migrate, seed and create the agent account (own process, like bench/prepare.ts).
if (process.argv[2] === "--prepare") {
  const { loadConfig } = await import("../src/config.ts");
  const { openDatabase, prepareDatabase } = await import("../src/setup.ts");
  const { ANONYMOUS } = await import("../src/core/authz/index.ts");
  const { createUser } = await import("../src/modules/accounts/api.ts");
  const { database, lock } = await openDatabase(loadConfig());
  await prepareDatabase(database);
  await database.db.transaction((tx) =>
    createUser(tx, { actor: ANONYMOUS, role: "system" }, { email: ACCOUNT.email, displayName: "Agent du banc d'essai", password: ACCOUNT.password, membership: { territorySlug: SLUG, role: "agent" } }),
  );
  await database.close();
  lock?.release?.();
  process.exit(0);
}

const cleanup = new Cleanup();
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => void cleanup.run().finally(() => process.exit(130)));

async function signIn(base: string): Promise<string> {
  const form = await rawGet(`${base}/connexion`);
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body.toString("utf8"))?.[1];
  const csrfCookie = ([] as string[]).concat(form.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).find((c) => c.startsWith("collines_csrf="));
  if (!token || !csrfCookie) throw new Error("connexion : jeton CSRF introuvable");
  const r = await rawPostForm(`${base}/connexion`, { email: ACCOUNT.email, password: ACCOUNT.password, _csrf: token }, { cookie: csrfCookie });
  const session = ([] as string[]).concat(r.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).find((c) => c.startsWith("collines_session="));
  if (r.status !== 303 || !session) throw new Error(`connexion refusée (HTTP ${r.status})`);
  return session;
}

const line = (r: LoadResult) =>
  `${r.name.padEnd(62)} ${fmt(r.requestsPerSec).padStart(6)} req/s  p50 ${fmt(r.p50, 1)} ms  p99 ${fmt(r.p99, 1)} ms  erreurs ${r.errors + r.timeouts}  non-2xx ${r.non2xx}${r.non2xx ? ` ${JSON.stringify(r.statuses)} (503 : délestage, boucle d'événements bloquée : mesure non valable)` : ""}  (charge ${fmt(r.load1, 1)})`;

async function main() {
  const work = mkdtempSync(join(tmpdir(), "collines-bench-entreprises-"));
  cleanup.add("répertoire temporaire", () => rmSync(work, { recursive: true, force: true }));
  log(`Banc d'essai entreprises : ${fmt(ROWS)} lignes StockEtablissement, ${CONNECTIONS} connexions, ${DURATION} s par mesure, base embarquée (PGlite)`);

  let t = performance.now();
  const files = await generateSirene({ out: join(work, "sirene"), rows: ROWS, share: SHARE, seed: 7 });
  log(`fichiers générés en ${fmt((performance.now() - t) / 1000, 1)} s`);

  const env: NodeJS.ProcessEnv = { DATA_DIR: join(work, "data"), LOG_LEVEL: "warn", NODE_ENV: "production", DATABASE_URL: undefined };
  await runNode([join(ROOT, "bench/companies.ts"), "--prepare"], env, join(work, "prepare.log"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = join(work, "server.log");
  const server = startNode([join(ROOT, "src/main.ts"), "serve"], { ...env, PORT: String(port), HOST: "127.0.0.1", BASE_URL: base }, serverLog);
  cleanup.add("serveur", () => stopChild(server));
  await waitReady(`${base}/healthz`, server, serverLog);
  const rss = new RssSampler(server.pid!);
  cleanup.add("échantillonneur mémoire", () => rss.stop());
  const publicPaths = [`/t/${SLUG}`, `/t/${SLUG}/plan`, `/t/${SLUG}/gouvernance`, `/t/${SLUG}/contact`];
  for (const p of publicPaths) if ((await rawGet(base + p)).status !== 200) throw new Error(`${p} ne répond pas 200`);
  const results: Record<string, unknown> = {};

  const atRest = await load({ name: "pages publiques, au repos", base, paths: publicPaths, connections: CONNECTIONS, durationSec: DURATION, pid: server.pid });
  log(line(atRest));
  const rssBefore = rss.status()?.rss ?? 0;

  // The import, through the control socket (the server runs it), while the public pages are loaded.
  rss.reset();
  t = performance.now();
  const importLog = join(work, "import.log");
  const importer = startNode([join(ROOT, "src/main.ts"), "entreprises", "import", "--territory", SLUG, "--etablissements", files.etablissements, "--unites-legales", files.unitesLegales], env, importLog);
  cleanup.add("import", () => stopChild(importer));
  const importDone = exited(importer).then((code) => ({ code, ms: performance.now() - t }));
  await new Promise((r) => setTimeout(r, 2000));
  const during: LoadResult[] = [];
  let finished = false;
  void importDone.then(() => (finished = true));
  while (!finished && during.length < 30) {
    during.push(await load({ name: `pages publiques, pendant l'import (${during.length + 1})`, base, paths: publicPaths, connections: CONNECTIONS, durationSec: Math.min(DURATION, 10), pid: server.pid }));
    log(line(during.at(-1)!));
  }
  const imp = await importDone;
  if (imp.code !== 0) throw new Error(`l'import a échoué :\n${tail(importLog)}`);
  const peakRss = rss.peak();
  const report = tail(importLog, 40);
  log(report.split("\n").filter((l) => !l.includes("Lecture") && !l.includes("Enregistrement")).slice(0, 8).join("\n"));
  const created = Number(/Entreprises : ([\d\s\u202f]+) créées/.exec(report)?.[1].replace(/\D/g, "") ?? 0);
  const rowsPerSec = ROWS / (imp.ms / 1000);
  log(`import : ${fmt(ROWS)} lignes en ${fmt(imp.ms / 1000, 1)} s, soit ${fmt(rowsPerSec)} lignes/s ; RSS du serveur ${fmt(rssBefore / MB)} Mo avant, pic ${fmt(peakRss / MB)} Mo pendant`);
  const worst = during.reduce((a, b) => (b.p99 > a.p99 ? b : a), during[0] ?? atRest);
  const allDuring = during.length ? { p99Max: worst.p99, p99Median: during.map((d) => d.p99).sort((a, b) => a - b)[Math.floor(during.length / 2)], errors: during.reduce((s, d) => s + d.errors + d.timeouts + d.non2xx, 0) } : undefined;

  // Company search as an agent.
  const session = await signIn(base);
  const queries = ["forges", "mecanique", "fonderie du bocage", "plasturgie de la vire", "usinagr", "chaudronerie normandie", "Flers", "Vire Normandie", "25.62B", "100000", "decoupe", "transports"];
  const searchPaths = queries.map((q) => `/t/${SLUG}/gestion/entreprises?q=${encodeURIComponent(q)}`);
  for (const p of searchPaths) if ((await rawGet(base + p, { cookie: session })).status !== 200) throw new Error(`${p} ne répond pas 200`);
  const search = await load({ name: `recherche d'entreprises (${fmt(created)} entreprises, ${queries.length} requêtes)`, base, paths: searchPaths, headers: { cookie: session }, connections: CONNECTIONS, durationSec: DURATION, pid: server.pid });
  log(line(search));
  const list = await load({ name: "liste des entreprises (industrie d'abord, page 1)", base, paths: [`/t/${SLUG}/gestion/entreprises`], headers: { cookie: session }, connections: CONNECTIONS, durationSec: DURATION, pid: server.pid });
  log(line(list));

  Object.assign(results, {
    date: new Date().toISOString(),
    rows: ROWS,
    companies: created,
    import: { seconds: imp.ms / 1000, rowsPerSec, rssBeforeMb: rssBefore / MB, peakRssMb: peakRss / MB },
    publicAtRest: { rps: atRest.requestsPerSec, p99: atRest.p99 },
    publicDuringImport: allDuring,
    search: { rps: search.requestsPerSec, p50: search.p50, p99: search.p99, errors: search.errors, statuses: search.statuses, load1: search.load1 },
    list: { rps: list.requestsPerSec, p99: list.p99, statuses: list.statuses, load1: list.load1 },
  });
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results/companies.json"), JSON.stringify(results, null, 2));
  log(`\nRésultats : bench/results/companies.json`);
  await stopChild(server);
}

try {
  await main();
} catch (e) {
  console.error(`\nLe banc d'essai des entreprises a échoué : ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
} finally {
  await cleanup.run();
}
