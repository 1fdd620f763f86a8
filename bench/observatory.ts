// `npx tsx bench/observatory.ts` (or `BENCH_OBSERVATORY=on npm run bench`): the observatory at
// national scale on PostgreSQL, everything in a temporary directory removed at the end.
//
// 1. A throw-away PostgreSQL cluster, migrated and seeded (real populations of every commune).
// 2. Volume generated in SQL (generate_series, no row-by-row insert): every commune of France ×
//    BENCH_OBS_INDICATORS summable indicators × BENCH_OBS_PERIODS years (default 30 × 15 ≈ 16 M
//    observations), then the EPCI / département / région / France aggregates, as an import makes them.
// 3. Sirene import through the running server's control socket (`collines observatoire import
//    sirene`), on two generated StockEtablissement files (BENCH_OBS_ROWS and 4× as many rows):
//    rows/s and the server's peak RSS for each — memory must stay flat whatever the file size.
// 4. Load (autocannon, loopback): the territory overview (anonymous, cached; and as a signed-in
//    agent, rendered each time), and the observations API on random communes (cache misses).
// 5. The overview's heaviest aggregate (its one read of the observations): the app's time for the
//    whole overview computation, the query through the app's driver, and the same SQL in psql.
//
// Environment: BENCH_OBS_COMMUNES (0 = all, default 0), BENCH_OBS_INDICATORS (30), BENCH_OBS_PERIODS
// (15), BENCH_OBS_ROWS (250,000), BENCH_DURATION (10 s per load run), BENCH_CONNECTIONS (10).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startPgCluster } from "../scripts/lib/pg-cluster.mjs";
import { generateSirene } from "../scripts/generate-sirene-sample.ts";
import { Cleanup, exited, load, rawGet, rawPostForm, RssSampler, runNode, startNode, stopChild, tail, waitReady, type LoadResult } from "./lib.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const SLUG = "collines-de-normandie";
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const COMMUNES = Number(process.env.BENCH_OBS_COMMUNES ?? 0);
const INDICATORS = Number(process.env.BENCH_OBS_INDICATORS ?? 30);
const PERIODS = Number(process.env.BENCH_OBS_PERIODS ?? 15);
const ROWS = Number(process.env.BENCH_OBS_ROWS ?? 250_000);
const ACCOUNT = { email: "agent-observatoire@collines.invalid", password: "banc-d-essai-observatoire-2026" };
const MB = 1024 * 1024;
const fmt = (n: number, d = 0) => n.toLocaleString("fr-FR", { minimumFractionDigits: d, maximumFractionDigits: d });
const log = (s: string) => console.log(s);
const pct = (a: number[], p: number) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor((a.length * p) / 100))];

// Child mode: migrate, seed, create the agent account, generate the volume (own process).
if (process.argv[2] === "--prepare") {
  const { loadConfig } = await import("../src/config.ts");
  const { openDatabase, prepareDatabase } = await import("../src/setup.ts");
  const { ANONYMOUS } = await import("../src/core/authz/index.ts");
  const { createUser } = await import("../src/modules/accounts/api.ts");
  const { recomputeAggregates } = await import("../src/modules/observatory/store.ts");
  const { CATALOGUE } = await import("../src/modules/observatory/catalogue.ts");
  const { database } = await openDatabase(loadConfig());
  await prepareDatabase(database);
  await database.db.transaction((tx) =>
    createUser(tx, { actor: ANONYMOUS, role: "system" }, { email: ACCOUNT.email, displayName: "Agent du banc d'essai", password: ACCOUNT.password, membership: { territorySlug: SLUG, role: "agent" } }),
  );
  // The overview's indicators first, then other summable ones, up to INDICATORS.
  const codes = CATALOGUE.filter((d) => d.aggregation === "sum").map((d) => d.code).slice(0, INDICATORS);
  const first = 2025 - PERIODS;
  let t = performance.now();
  await database.exec("ALTER TABLE observations SET (autovacuum_enabled = false)");
  await database.query(
    `INSERT INTO observations (indicator_id, geo_level, geo_code, period, value, status, source)
     SELECT i.id, 'commune', c.code, make_date(y, 1, 1), ((hashtext(c.code || i.code || y) & 65535) % 5000)::float8, 'final', 'banc d''essai'
     FROM (SELECT code FROM geo_communes ORDER BY code ${COMMUNES > 0 ? `LIMIT ${COMMUNES}` : ""}) c
     CROSS JOIN (SELECT id, code FROM indicators WHERE territory_id IS NULL AND code = ANY($1::text[])) i
     CROSS JOIN generate_series(${first}, 2024) AS y
     ON CONFLICT DO NOTHING`,
    [codes],
  );
  const genMs = performance.now() - t;
  t = performance.now();
  const periods = Array.from({ length: PERIODS }, (_, k) => `${first + k}-01-01`);
  await database.db.transaction((tx) => recomputeAggregates(tx, codes, periods));
  const aggMs = performance.now() - t;
  await database.exec("ALTER TABLE observations SET (autovacuum_enabled = true)");
  await database.exec("VACUUM ANALYZE observations");
  const [{ n }] = await database.query<{ n: string }>("SELECT count(*) AS n FROM observations");
  const [{ size }] = await database.query<{ size: string }>("SELECT pg_size_pretty(pg_total_relation_size('observations')) AS size");
  writeFileSync(process.argv[3], JSON.stringify({ observations: Number(n), indicators: codes.length, periods: PERIODS, generateSeconds: genMs / 1000, aggregateSeconds: aggMs / 1000, tableSize: size }));
  await database.close();
  process.exit(0);
}

// Child mode: the overview's heaviest aggregate, timed through the app (one process, warm).
if (process.argv[2] === "--aggregate") {
  const { openPostgres } = await import("../src/core/db/client.ts");
  const { loadOverview } = await import("../src/modules/observatory/overview.ts");
  const { cellsQuery, loadIndicators, loadTerritoryGeography, geoKey } = await import("../src/modules/observatory/queries.ts");
  const { OVERVIEW_INDICATORS, NAF_SECTIONS, WORKFORCE_CLASSES } = await import("../src/modules/observatory/catalogue.ts");
  const database = await openPostgres(process.env.DATABASE_URL!, { max: 2 });
  const [t] = await database.query<{ id: number; name: string; slug: string }>("SELECT id, name, slug FROM territories WHERE slug = $1", [SLUG]);
  const overview: number[] = [];
  const query: number[] = [];
  for (let i = 0; i < 60; i++) {
    const s = performance.now();
    await loadOverview(database, t);
    overview.push(performance.now() - s);
  }
  // The read loadOverview makes (its heaviest statement), alone.
  const geography = await loadTerritoryGeography(database, t);
  const all = await loadIndicators(database, t.id);
  const wanted = new Set<string>([...OVERVIEW_INDICATORS, ...NAF_SECTIONS.map(([s]) => `sirene_naf_${s.toLowerCase()}`), ...WORKFORCE_CLASSES.map((c) => `sirene_tranche_${c.key}`)]);
  const ids = new Set<number>();
  for (const i of all.filter((x) => wanted.has(x.code))) {
    if (i.aggregation === "ratio") [i.numeratorId, i.denominatorId].forEach((x) => x && ids.add(x));
    else ids.add(i.id);
  }
  const pairs = new Map<string, { level: string; code: string }>();
  for (const g of [...geography.comparisons, ...geography.epcis]) pairs.set(geoKey(g), g);
  const q = cellsQuery([...ids], [...pairs.values()]);
  let rows = 0;
  for (let i = 0; i < 60; i++) {
    const s = performance.now();
    rows = (await database.query(q.sql, q.params)).length;
    query.push(performance.now() - s);
  }
  // The same statement with its parameters written out, for psql.
  const lit = (v: unknown): string => (Array.isArray(v) ? `ARRAY[${v.map((x) => (typeof x === "number" ? String(x) : `'${String(x).replace(/'/g, "''")}'`)).join(",")}]` : `'${String(v)}'`);
  const sqlText = q.sql.replace(/\$(\d+)/g, (_, k) => lit(q.params[Number(k) - 1]));
  writeFileSync(process.argv[3], JSON.stringify({ overviewMs: { p50: pct(overview, 50), p99: pct(overview, 99) }, queryMs: { p50: pct(query, 50), p99: pct(query, 99) }, rows, sql: sqlText }));
  await database.close();
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

const line = (r: LoadResult) => `${r.name.padEnd(64)} ${fmt(r.requestsPerSec).padStart(6)} req/s  p50 ${fmt(r.p50, 1)} ms  p99 ${fmt(r.p99, 1)} ms  erreurs ${r.errors + r.timeouts}  non-2xx ${r.non2xx}`;

async function main() {
  const work = mkdtempSync(join(tmpdir(), "collines-bench-observatoire-"));
  cleanup.add("répertoire temporaire", () => rmSync(work, { recursive: true, force: true }));
  log(`Banc d'essai observatoire : ${COMMUNES || "toutes les"} communes × ${INDICATORS} indicateurs × ${PERIODS} périodes, PostgreSQL ; ${CONNECTIONS} connexions, ${DURATION} s par mesure`);
  const pg = await startPgCluster();
  cleanup.add("PostgreSQL", () => pg.stop());
  const env: NodeJS.ProcessEnv = { DATA_DIR: join(work, "data"), LOG_LEVEL: "warn", NODE_ENV: "production", DATABASE_URL: pg.url };
  let t = performance.now();
  const volumeFile = join(work, "volume.json");
  await runNode([join(ROOT, "bench/observatory.ts"), "--prepare", volumeFile], env, join(work, "prepare.log"));
  const volume = JSON.parse(await import("node:fs").then((fs) => fs.readFileSync(volumeFile, "utf8"))) as { observations: number; generateSeconds: number; aggregateSeconds: number; tableSize: string };
  log(`base préparée en ${fmt((performance.now() - t) / 1000, 1)} s : ${fmt(volume.observations)} observations (${volume.tableSize}) ; génération ${fmt(volume.generateSeconds, 1)} s, agrégats EPCI/département/région/France ${fmt(volume.aggregateSeconds, 1)} s`);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = join(work, "server.log");
  const server = startNode([join(ROOT, "src/main.ts"), "serve"], { ...env, PORT: String(port), HOST: "127.0.0.1", BASE_URL: base }, serverLog);
  cleanup.add("serveur", () => stopChild(server));
  await waitReady(`${base}/healthz`, server, serverLog);
  const rss = new RssSampler(server.pid!);
  cleanup.add("échantillonneur mémoire", () => rss.stop());

  // Sirene imports of two sizes: the rate, and the server's peak RSS (flat whatever the size).
  const imports: { rows: number; seconds: number; rowsPerSec: number; peakRssMb: number; rssBeforeMb: number }[] = [];
  for (const rows of [ROWS, ROWS * 4]) {
    const files = await generateSirene({ out: join(work, `sirene-${rows}`), rows, share: 0.05, seed: 11 });
    // On PostgreSQL the command runs the import in its own process (no control socket needed): its memory is the import's.
    t = performance.now();
    const importLog = join(work, `import-${rows}.log`);
    const child = startNode([join(ROOT, "src/main.ts"), "observatoire", "import", "sirene", "--file", files.etablissements, "--date", "2025-01-01"], env, importLog);
    const childRss = new RssSampler(child.pid!);
    const rssBefore = 0;
    cleanup.add("import", () => stopChild(child));
    const code = await exited(child);
    const seconds = (performance.now() - t) / 1000;
    childRss.stop();
    if (code !== 0) throw new Error(`l'import a échoué :\n${tail(importLog)}`);
    const peak = childRss.peak();
    imports.push({ rows, seconds, rowsPerSec: rows / seconds, peakRssMb: peak / MB, rssBeforeMb: rssBefore / MB });
    log(`import Sirene : ${fmt(rows)} lignes en ${fmt(seconds, 1)} s, soit ${fmt(rows / seconds)} lignes/s (démarrage du processus compris) ; pic de mémoire (RSS) du processus d'import ${fmt(peak / MB)} Mo`);
    log(tail(importLog, 6).split("\n").filter((l) => /Lignes lues|Import/.test(l)).join("\n"));
    rmSync(join(work, `sirene-${rows}`), { recursive: true, force: true });
  }

  // Load.
  const overviewPath = `/t/${SLUG}/observatoire`;
  if ((await rawGet(base + overviewPath)).status !== 200) throw new Error("la vue d'ensemble ne répond pas 200");
  const session = await signIn(base);
  const [communes] = [JSON.parse(execFileSync(join(pg.bin, "psql"), [pg.url, "-At", "-c", `SELECT json_agg(code) FROM (SELECT code FROM geo_communes ORDER BY code ${COMMUNES > 0 ? `LIMIT ${COMMUNES}` : ""}) c`]).toString()) as string[]];
  const indicatorCodes = ["urssaf_effectifs", "urssaf_etablissements", "de_cat_a", "sirene_etablissements", "pop_municipale"];
  let k = 0;
  const apiPath = () => {
    k++;
    const c = communes[(k * 7919) % communes.length];
    return `/api/v1/observations?indicator=${indicatorCodes[k % indicatorCodes.length]}&geo=commune:${c}&from=2015`;
  };
  const results: LoadResult[] = [];
  results.push(await load({ name: "vue d'ensemble, anonyme (cache)", base, paths: [overviewPath], connections: CONNECTIONS, durationSec: DURATION, pid: server.pid }));
  log(line(results.at(-1)!));
  results.push(await load({ name: "vue d'ensemble, agent connecté (rendue à chaque fois)", base, paths: [overviewPath], headers: { cookie: session }, connections: CONNECTIONS, durationSec: DURATION, pid: server.pid }));
  log(line(results.at(-1)!));
  results.push(await load({ name: "vue d'ensemble, agent connecté, 1 connexion (latence d'un rendu)", base, paths: [overviewPath], headers: { cookie: session }, connections: 1, durationSec: DURATION, pid: server.pid }));
  log(line(results.at(-1)!));
  results.push(await load({ name: "fiche indicateur (agent connecté)", base, paths: [`/t/${SLUG}/observatoire/indicateurs/urssaf_effectifs`], headers: { cookie: session }, connections: CONNECTIONS, durationSec: DURATION, pid: server.pid }));
  log(line(results.at(-1)!));
  results.push(await load({ name: "API observations, communes au hasard (hors cache)", base, nextPath: apiPath, connections: CONNECTIONS, durationSec: DURATION, pid: server.pid }));
  log(line(results.at(-1)!));

  // The heaviest aggregate: app vs psql.
  const aggFile = join(work, "aggregate.json");
  await runNode([join(ROOT, "bench/observatory.ts"), "--aggregate", aggFile], env, join(work, "aggregate.log"));
  const agg = JSON.parse(await import("node:fs").then((fs) => fs.readFileSync(aggFile, "utf8"))) as { overviewMs: { p50: number; p99: number }; queryMs: { p50: number; p99: number }; rows: number; sql: string };
  const script = `\\timing on\n${Array.from({ length: 30 }, () => `${agg.sql};`).join("\n")}\n`;
  writeFileSync(join(work, "aggregate.sql"), script);
  const out = execFileSync(join(pg.bin, "psql"), [pg.url, "-q", "-o", "/dev/null", "-f", join(work, "aggregate.sql")], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const psqlMs = [...out.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1]));
  const psqlP50 = pct(psqlMs, 50);
  log(
    `agrégat le plus lourd de la vue d'ensemble (${agg.rows} lignes lues) : psql p50 ${fmt(psqlP50, 2)} ms ; requête par l'application p50 ${fmt(agg.queryMs.p50, 2)} ms (×${fmt(agg.queryMs.p50 / psqlP50, 1)}) ; calcul complet de la vue d'ensemble p50 ${fmt(agg.overviewMs.p50, 1)} ms, p99 ${fmt(agg.overviewMs.p99, 1)} ms`,
  );
  const cached = results[0];
  const single = results[2];
  log(
    `objectif vue d'ensemble p50 ≤ 50 ms sur PostgreSQL : ${fmt(cached.p50, 1)} ms pour le public (page en cache, ${CONNECTIONS} connexions) → ${cached.p50 <= 50 ? "ATTEINT" : "MANQUÉ"} ; rendue à chaque fois : ${fmt(single.p50, 1)} ms à 1 connexion → ${single.p50 <= 50 ? "ATTEINT" : "MANQUÉ"}, ${fmt(results[1].p50, 1)} ms à ${CONNECTIONS} connexions (file d'attente)`,
  );
  const best = Math.max(...imports.map((i) => i.rowsPerSec));
  log(`objectif import Sirene ≥ 100 000 lignes/s : ${fmt(best)} lignes/s → ${best >= 100_000 ? "ATTEINT" : "MANQUÉ"}`);

  const summary = { date: new Date().toISOString(), volume, imports, load: results.map((r) => ({ name: r.name, rps: r.requestsPerSec, p50: r.p50, p99: r.p99, errors: r.errors + r.timeouts + r.non2xx })), aggregate: { psqlP50Ms: psqlP50, appQueryP50Ms: agg.queryMs.p50, overviewP50Ms: agg.overviewMs.p50, overviewP99Ms: agg.overviewMs.p99, rows: agg.rows } };
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results/observatory.json"), JSON.stringify(summary, null, 2));
  log("Résultats : bench/results/observatory.json");
}

try {
  await main();
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await cleanup.run();
}
