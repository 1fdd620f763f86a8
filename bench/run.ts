// `npm run bench`: load and weight of the public pages at national scale (183 territories,
// ~25 actions each), on the embedded database (PGlite) and on PostgreSQL.
//
// For each database: a fresh database (temp dir) is migrated, seeded and filled by a child
// process (bench/prepare.ts); the real server is started as a child process (its memory is
// sampled from /proc); a "ceiling" child serves the plan page's bytes from memory; autocannon
// (in this process) loads each page. Everything listens on 127.0.0.1 and is removed at the end.
//
// Environment: BENCH_DURATION (seconds per run, default 10), BENCH_CONNECTIONS (default 50),
// BENCH_DATABASES (default "pglite,postgres"), BENCH_COMPANIES=on (then also bench/companies.ts), BENCH_OBSERVATORY=on (then also bench/observatory.ts).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ensureDebianPackages, freePort, pgBinDir, startPgCluster } from "../scripts/lib/pg-cluster.mjs";
import { allRoutes } from "../src/modules/index.ts";
import { DEMO_SLUG } from "../src/modules/territories/demo-data.ts";
import { Cleanup, load, rawGet, rawPostForm, RssSampler, runNode, startNode, stopChild, waitReady, type LoadResult } from "./lib.ts";
import type { Manifest } from "./prepare.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const RESULTS_DIR = join(ROOT, "bench", "results");
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const DATABASES = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",").map((s) => s.trim()) as ("pglite" | "postgres")[];
const REFERENCE_SLUG = "collines-de-normandie";
const MB = 1024 * 1024;

const TARGETS = {
  planShareOfCeiling: 0.15,
  planP99Ms: 50,
  rssPostgresMb: 300,
  pageCompressedKb: 60,
  pageJsKb: 10,
};

interface DbRun {
  database: "pglite" | "postgres";
  prepare: Manifest["timings"] & { totalMs: number };
  counts: Manifest["counts"];
  startupMs: number;
  planPageBytes: number;
  scenarios: LoadResult[];
  uncachedRender?: { p50: number; p99: number; requests: number };
  memory: { idleRss: number; peakRssUnderLoad: number; vmHwm: number };
}

interface PageWeight {
  page: string;
  territory: string;
  url: string;
  status: number;
  rawBytes: number;
  brBytes: number;
  gzipBytes: number;
  jsBytes: number;
  jsGzipBytes: number;
  scripts: string[];
  cssBytes: number;
}

const cleanup = new Cleanup();
let interrupted = false;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${sig} : arrêt du banc d'essai, nettoyage…`);
    void cleanup.run().finally(() => process.exit(130));
  });
}

const fmt = (n: number, d = 0) => n.toLocaleString("fr-FR", { minimumFractionDigits: d, maximumFractionDigits: d });
const kb = (b: number) => `${fmt(b / 1024, 1)} Ko`;
const mb = (b: number) => `${fmt(b / MB, 0)} Mo`;
const pass = (ok: boolean) => (ok ? "PASS" : "FAIL");
const log = (s: string) => console.log(s);

/** Public page types from the route registry, with their parameters filled in. */
function publicPagePaths(slug: string, actionId: number): { page: string; path: string }[] {
  const out: { page: string; path: string }[] = [];
  for (const r of allRoutes()) {
    if (r.method !== "GET" || r.permission !== "public" || r.kind !== "page") continue;
    const params = [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]);
    if (params.some((p) => p !== "slug" && p !== "id")) continue;
    if (params.includes("id") && !r.url.includes("/actions/")) continue;
    out.push({ page: r.url, path: r.url.replace(":slug", slug).replace(":id", String(actionId)) });
  }
  return out;
}

async function measurePageWeight(base: string, territories: { label: string; slug: string; actionId: number }[]): Promise<PageWeight[]> {
  const out: PageWeight[] = [];
  const assetCache = new Map<string, { raw: number; gzip: number }>();
  const asset = async (src: string) => {
    let a = assetCache.get(src);
    if (!a) {
      const r = await rawGet(base + src);
      a = { raw: r.body.length, gzip: gzipSync(r.body).length };
      assetCache.set(src, a);
    }
    return a;
  };
  const seen = new Set<string>();
  for (const t of territories) {
    for (const { page, path } of publicPagePaths(t.slug, t.actionId)) {
      if (seen.has(path)) continue; // platform pages (no :slug) once
      seen.add(path);
      const [raw, br, gz] = await Promise.all([rawGet(base + path), rawGet(base + path, { "accept-encoding": "br" }), rawGet(base + path, { "accept-encoding": "gzip" })]);
      const html = raw.body.toString("utf8");
      const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
      const inline = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].reduce((s, m) => s + Buffer.byteLength(m[1]), 0);
      const styles = [...html.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
      let jsBytes = inline;
      let jsGzipBytes = inline;
      for (const s of scripts) {
        const a = await asset(s);
        jsBytes += a.raw;
        jsGzipBytes += a.gzip;
      }
      let cssBytes = 0;
      for (const s of styles) cssBytes += (await asset(s)).raw;
      if (br.headers["content-encoding"] !== "br" && raw.body.length > 1024) console.warn(`  (!) ${path} : pas de réponse brotli`);
      out.push({ page, territory: page.includes(":slug") ? t.label : "plateforme", url: path, status: raw.status, rawBytes: raw.body.length, brBytes: br.body.length, gzipBytes: gz.body.length, jsBytes, jsGzipBytes, scripts, cssBytes });
    }
  }
  return out;
}

/** Signs in through the real form (CSRF cookie + token) and returns the session cookie. */
async function signIn(base: string, email: string, password: string): Promise<string> {
  const form = await rawGet(`${base}/connexion`);
  const html = form.body.toString("utf8");
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const setCookie = ([] as string[]).concat(form.headers["set-cookie"] ?? []);
  const csrfCookie = setCookie.map((c) => c.split(";")[0]).find((c) => c.startsWith("collines_csrf="));
  if (!token || !csrfCookie) throw new Error("connexion : jeton CSRF introuvable sur /connexion");
  const r = await rawPostForm(`${base}/connexion`, { email, password, _csrf: token }, { cookie: csrfCookie });
  const session = ([] as string[])
    .concat(r.headers["set-cookie"] ?? [])
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("collines_session="));
  if (r.status !== 303 || !session) throw new Error(`connexion refusée (HTTP ${r.status}) : ${r.body.toString("utf8").slice(0, 300)}`);
  return session;
}

async function benchDatabase(kind: "pglite" | "postgres", work: string, pageWeights: { done: boolean; rows: PageWeight[] }): Promise<DbRun> {
  log(`\n=== ${kind === "pglite" ? "Base embarquée (PGlite)" : "PostgreSQL"} ===`);
  const dir = join(work, kind);
  mkdirSync(dir, { recursive: true });
  // DATABASE_URL undefined: the embedded database, whatever the caller's environment says.
  const env: NodeJS.ProcessEnv = { DATA_DIR: join(dir, "data"), LOG_LEVEL: "warn", NODE_ENV: "production", DATABASE_URL: undefined };
  if (kind === "postgres") {
    if (!pgBinDir() && !ensureDebianPackages(["postgresql"], log)) throw new Error("PostgreSQL n'est pas installé et apt-get a échoué");
    const cluster = await startPgCluster();
    cleanup.add("cluster PostgreSQL", () => cluster.stop());
    env.DATABASE_URL = cluster.url;
    log(`cluster PostgreSQL ${cluster.bin.split("/").at(-2)} sur le port ${cluster.port}`);
  }
  const childEnv = env;

  // 1. Database: migrations, seeds, national dataset, bench account.
  const manifestFile = join(dir, "manifest.json");
  let t = performance.now();
  await runNode([join(ROOT, "bench/prepare.ts"), manifestFile], childEnv, join(dir, "prepare.log"));
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as Manifest;
  const prepare = { ...manifest.timings, totalMs: performance.now() - t };
  log(`données : ${manifest.counts.territories} territoires, ${manifest.counts.actions} actions, ${manifest.counts.partners} partenaires (jeu national inséré en ${fmt(manifest.timings.datasetMs / 1000, 1)} s ; préparation totale ${fmt(prepare.totalMs / 1000, 1)} s)`);

  // 2. The real server, as a child process.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = join(dir, "server.log");
  t = performance.now();
  const server = startNode([join(ROOT, "src/main.ts"), "serve"], { ...childEnv, PORT: String(port), HOST: "127.0.0.1", BASE_URL: base }, serverLog);
  cleanup.add(`serveur ${kind}`, () => stopChild(server));
  const startupMs = await waitReady(`${base}/healthz`, server, serverLog);
  const rss = new RssSampler(server.pid!);
  cleanup.add("échantillonneur mémoire", () => rss.stop());
  log(`serveur prêt en ${fmt(startupMs / 1000, 1)} s (pid ${server.pid}, RSS ${mb(rss.status()?.rss ?? 0)})`);

  const benchTerritories = manifest.territories.filter((x) => x.actionIds.length > 0);
  const slugs = benchTerritories.map((x) => x.slug);
  const planPaths = slugs.map((s) => `/t/${s}/plan`);
  const apiPaths = slugs.map((s) => `/api/v1/territories/${s}/plan`);
  const actionPaths = benchTerritories.map((x) => `/t/${x.slug}/actions/${x.actionIds[Math.floor(x.actionIds.length / 2)]}`);
  const allActionPaths = benchTerritories.flatMap((x) => x.actionIds.map((id) => `/t/${x.slug}/actions/${id}`));

  // 3. Sanity and warm-up: every URL of the runs answers 200 once (fills the page cache).
  for (const p of [...planPaths, ...apiPaths, ...actionPaths]) {
    const r = await rawGet(base + p);
    if (r.status !== 200) throw new Error(`${p} : HTTP ${r.status}`);
  }
  const idleRss = rss.status()?.rss ?? 0;

  // The ceiling serves the bytes of a plan page of median size.
  const sizes = await Promise.all(planPaths.slice(0, 40).map(async (p) => ({ p, body: (await rawGet(base + p)).body })));
  sizes.sort((a, b) => a.body.length - b.body.length);
  const median = sizes[Math.floor(sizes.length / 2)];
  const ceilingFile = join(dir, "ceiling.html");
  writeFileSync(ceilingFile, median.body);
  const ceilingPort = await freePort();
  const ceilingLog = join(dir, "ceiling.log");
  const ceiling = startNode([join(ROOT, "bench/ceiling.ts"), ceilingFile, String(ceilingPort)], {}, ceilingLog);
  cleanup.add("serveur plafond", () => stopChild(ceiling));
  await waitReady(`http://127.0.0.1:${ceilingPort}/ceiling`, ceiling, ceilingLog);

  // 4. Page weight (once: the pages are the same on both databases).
  if (!pageWeights.done) {
    const bench = benchTerritories[0];
    const ids = async (slug: string) => {
      const api = JSON.parse((await rawGet(`${base}/api/v1/territories/${slug}/plan`)).body.toString("utf8")) as { themes: { objectives: { actions: { id: number }[] }[] }[] };
      return api.themes.flatMap((th) => th.objectives.flatMap((o) => o.actions.map((a) => a.id)))[0];
    };
    pageWeights.rows = await measurePageWeight(base, [
      { label: "national (bench)", slug: bench.slug, actionId: bench.actionIds[0] },
      { label: "référence", slug: REFERENCE_SLUG, actionId: await ids(REFERENCE_SLUG) },
      { label: "démonstration", slug: DEMO_SLUG, actionId: await ids(DEMO_SLUG) },
    ]);
    pageWeights.done = true;
  }

  const session = await signIn(base, manifest.account.email, manifest.account.password);
  const signedInCheck = await rawGet(base + planPaths[0], { cookie: session });
  const funderSession = await signIn(base, manifest.funder.email, manifest.funder.password);
  const dashboardCheck = await rawGet(`${base}/t/${slugs[0]}/gestion/tableau-de-bord`, { cookie: funderSession });
  if (dashboardCheck.status !== 200) throw new Error(`tableau de bord : HTTP ${dashboardCheck.status}`);
  if (signedInCheck.status !== 200 || !String(signedInCheck.headers["cache-control"]).includes("no-store")) {
    throw new Error(`page signée : HTTP ${signedInCheck.status}, cache-control ${signedInCheck.headers["cache-control"]}`);
  }

  // 5. Load runs. The cache-bypassing runs come last: they fill the page cache with junk URLs.
  let unique = 0;
  const runs: { name: string; ceiling?: boolean; base?: string; paths?: string[]; nextPath?: () => string; headers?: Record<string, string> }[] = [
    { name: "plafond (page en mémoire, Fastify nu)", ceiling: true, paths: ["/ceiling"] },
    { name: "plan public /t/{slug}/plan (183 territoires)", paths: planPaths },
    // Measured again right after the plan page: the reference is the mean of both (shared machine).
    { name: "plafond, seconde mesure", ceiling: true, paths: ["/ceiling"] },
    { name: "plan, navigateur (Accept-Encoding: br, gzip)", paths: planPaths, headers: { "accept-encoding": "br, gzip, deflate" } },
    { name: "diagnostic : /robots.txt (plugins Fastify, sans base)", paths: ["/robots.txt"] },
    { name: "fiche action /t/{slug}/actions/{id} (1 par territoire)", paths: actionPaths },
    { name: `fiches action, toutes (${allActionPaths.length} URL > cache de 500)`, paths: allActionPaths },
    { name: "API plan /api/v1/territories/{slug}/plan", paths: apiPaths },
    { name: "plan, connecté (rendu à chaque requête)", paths: planPaths, headers: { cookie: session } },
    { name: "tableau de bord /t/{slug}/gestion/tableau-de-bord (financeur, rendu à chaque requête)", paths: slugs.map((s) => `/t/${s}/gestion/tableau-de-bord`), headers: { cookie: funderSession } },
    { name: "plan, paramètre unique (cache contourné)", nextPath: () => `${planPaths[unique++ % planPaths.length]}?bench=${unique}` },
  ];
  const scenarios: LoadResult[] = [];
  for (const run of runs) {
    if (interrupted) throw new Error("interrompu");
    rss.reset();
    const r = await load({
      name: run.name,
      base: run.ceiling ? `http://127.0.0.1:${ceilingPort}` : base,
      paths: run.paths,
      nextPath: run.nextPath,
      headers: run.headers,
      connections: CONNECTIONS,
      durationSec: DURATION,
      pid: run.ceiling ? ceiling.pid : server.pid,
    });
    if (!run.ceiling) r.peakRss = rss.peak();
    scenarios.push(r);
    log(`  ${r.name.padEnd(58)} ${fmt(r.requestsPerSec).padStart(7)} req/s  p50 ${fmt(r.p50, 1)} ms  p99 ${fmt(r.p99, 1)} ms  erreurs ${r.errors + r.timeouts}  non-2xx ${r.non2xx}${r.non2xx ? ` ${JSON.stringify(r.statuses)}` : ""}  CPU/req ${fmt(r.cpuMsPerRequest ?? NaN, 3)} ms${r.peakRss ? `  RSS ${mb(r.peakRss)}` : ""}  (charge ${fmt(r.load1, 1)})`);
  }

  // 6. Render time of one uncached plan page, one request at a time.
  const single = await load({ name: "plan, rendu seul (1 connexion, cache contourné)", base, nextPath: () => `${planPaths[unique++ % planPaths.length]}?bench=${unique}`, connections: 1, durationSec: Math.min(3, DURATION) });
  const uncachedRender = single.total && !single.errors ? { p50: single.p50, p99: single.p99, requests: single.total } : undefined;
  log(`  temps de rendu d'une page de plan non cachée (1 connexion) : p50 ${fmt(single.p50, 1)} ms, p99 ${fmt(single.p99, 1)} ms`);

  const memory = { idleRss, peakRssUnderLoad: rss.overall(), vmHwm: rss.status()?.hwm ?? 0 };
  await stopChild(ceiling);
  await stopChild(server);
  rss.stop();
  return { database: kind, prepare, counts: manifest.counts, startupMs, planPageBytes: median.body.length, scenarios, uncachedRender, memory };
}

/** The ceiling of a run: the mean of its two measures (before and after the plan page). */
function ceilingOf(r: DbRun): { requestsPerSec: number; cpuMsPerRequest?: number } {
  const c = r.scenarios.filter((s) => s.name.startsWith("plafond"));
  const mean = (xs: (number | undefined)[]) => (xs.every((x) => x !== undefined) ? xs.reduce((a, b) => a! + b!, 0)! / xs.length : undefined);
  return { requestsPerSec: mean(c.map((s) => s.requestsPerSec))!, cpuMsPerRequest: mean(c.map((s) => s.cpuMsPerRequest)) };
}

function evaluate(runs: DbRun[], pages: PageWeight[]) {
  const targets: { target: string; value: string; ok: boolean | null }[] = [];
  for (const r of runs) {
    const ceiling = ceilingOf(r);
    const plan = r.scenarios[1];
    const share = plan.requestsPerSec / ceiling.requestsPerSec;
    if (ceiling.cpuMsPerRequest && plan.cpuMsPerRequest) {
      targets.push({ target: `${r.database} : plan, part du plafond en temps CPU du serveur par requête (information, moins sensible à la charge de la machine)`, value: `${fmt((ceiling.cpuMsPerRequest / plan.cpuMsPerRequest) * 100, 1)} %`, ok: null });
    }
    targets.push({ target: `${r.database} : plan ≥ ${TARGETS.planShareOfCeiling * 100} % du plafond`, value: `${fmt(share * 100, 1)} %`, ok: share >= TARGETS.planShareOfCeiling });
    targets.push({ target: `${r.database} : plan p99 ≤ ${TARGETS.planP99Ms} ms`, value: `${fmt(plan.p99, 1)} ms`, ok: plan.p99 <= TARGETS.planP99Ms });
    targets.push({
      target: `${r.database} : mémoire (VmHWM) ${r.database === "postgres" ? `≤ ${TARGETS.rssPostgresMb} Mo` : "(information)"}`,
      value: mb(r.memory.vmHwm),
      ok: r.database === "postgres" ? r.memory.vmHwm <= TARGETS.rssPostgresMb * MB : null,
    });
  }
  if (pages.length) {
    const heaviest = [...pages].sort((a, b) => b.gzipBytes - a.gzipBytes)[0];
    const maxJs = Math.max(...pages.map((p) => p.jsBytes));
    targets.push({ target: `pages publiques ≤ ${TARGETS.pageCompressedKb} Ko compressées (gzip, le plus lourd ; br plus petit)`, value: `${kb(heaviest.gzipBytes)} (${heaviest.url})`, ok: pages.every((p) => p.gzipBytes <= TARGETS.pageCompressedKb * 1024) });
    targets.push({ target: `JavaScript ≤ ${TARGETS.pageJsKb} Ko par page (non compressé)`, value: kb(maxJs), ok: maxJs <= TARGETS.pageJsKb * 1024 });
  }
  return targets;
}

function markdown(result: { date: string; machine: Record<string, unknown>; runs: DbRun[]; pages: PageWeight[]; targets: ReturnType<typeof evaluate>; durationSec: number; connections: number }): string {
  const lines: string[] = [];
  const m = result.machine;
  lines.push(`# Banc d'essai Collines — ${result.date}`, "");
  lines.push(`Machine : ${m.nproc} cœurs (${m.cpu}), ${m.memoryGb} Go, Node ${m.node}, charge au départ ${m.load1AtStart}. autocannon ${result.connections} connexions, ${result.durationSec} s par mesure, tout sur 127.0.0.1 (le générateur de charge partage les cœurs du serveur).`, "");
  lines.push("## Charge", "");
  lines.push("| base | mesure | req/s | p50 ms | p99 ms | % du plafond | erreurs / non-2xx | RSS max Mo | CPU serveur / req | charge 1 min | objectif |");
  lines.push("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
  for (const r of result.runs) {
    const ceiling = ceilingOf(r).requestsPerSec;
    for (const [i, s] of r.scenarios.entries()) {
      const target = i === 1 ? `${pass(s.requestsPerSec / ceiling >= TARGETS.planShareOfCeiling)} ≥ 15 % ; ${pass(s.p99 <= TARGETS.planP99Ms)} p99 ≤ 50 ms` : "";
      lines.push(
        `| ${r.database} | ${s.name} | ${fmt(s.requestsPerSec)} | ${fmt(s.p50, 1)} | ${fmt(s.p99, 1)} | ${fmt((s.requestsPerSec / ceiling) * 100, 1)} % | ${s.errors + s.timeouts} / ${s.non2xx}${s.non2xx ? ` (${Object.entries(s.statuses).filter(([k]) => !k.startsWith("2")).map(([k, v]) => `${v}×${k}`).join(", ")})` : ""} | ${s.peakRss ? fmt(s.peakRss / MB) : "—"} | ${s.cpuMsPerRequest === undefined ? "—" : `${fmt(s.cpuMsPerRequest, 3)} ms`} | ${fmt(s.load1, 1)} | ${target} |`,
      );
    }
  }
  lines.push("", "% du plafond : req/s rapportées à la moyenne des deux mesures du plafond. CPU serveur / req : temps CPU (utilisateur + système) du processus mesuré divisé par le nombre de requêtes ; moins sensible que req/s aux autres processus de la machine.");
  lines.push("");
  lines.push("", "| base | page de plan (octets) | démarrage serveur | RSS au repos | RSS max sous charge | VmHWM (pic du processus) | rendu non caché, 1 connexion (p50 / p99) | préparation (jeu national) |");
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of result.runs) {
    lines.push(
      `| ${r.database} | ${fmt(r.planPageBytes)} | ${fmt(r.startupMs / 1000, 1)} s | ${mb(r.memory.idleRss)} | ${mb(r.memory.peakRssUnderLoad)} | ${mb(r.memory.vmHwm)} | ${r.uncachedRender ? `${fmt(r.uncachedRender.p50, 1)} / ${fmt(r.uncachedRender.p99, 1)} ms` : "—"} | ${fmt(r.prepare.datasetMs / 1000, 1)} s (${fmt(r.prepare.totalMs / 1000, 1)} s) |`,
    );
  }
  lines.push("", "## Poids des pages publiques", "");
  lines.push("| page | territoire | HTTP | HTML brut | br | gzip | JS (brut / gzip) | CSS brut | ≤ 60 Ko et ≤ 10 Ko JS |");
  lines.push("|---|---|---:|---:|---:|---:|---:|---:|---|");
  for (const p of result.pages) {
    lines.push(
      `| ${p.page} | ${p.territory} | ${p.status} | ${kb(p.rawBytes)} | ${kb(p.brBytes)} | ${kb(p.gzipBytes)} | ${kb(p.jsBytes)} / ${kb(p.jsGzipBytes)} | ${kb(p.cssBytes)} | ${pass(p.gzipBytes <= TARGETS.pageCompressedKb * 1024 && p.jsBytes <= TARGETS.pageJsKb * 1024)} |`,
    );
  }
  lines.push("", "## Objectifs", "", "| objectif | mesure | résultat |", "|---|---|---|");
  for (const t of result.targets) lines.push(`| ${t.target} | ${t.value} | ${t.ok === null ? "info" : pass(t.ok)} |`);
  lines.push("");
  return lines.join("\n");
}

async function main() {
  const started = new Date();
  const work = mkdtempSync(join(tmpdir(), "collines-bench-"));
  cleanup.add("répertoire temporaire", () => rmSync(work, { recursive: true, force: true }));
  const machine = {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? "?",
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    load1AtStart: fmt(loadavg()[0], 2),
  };
  log(`Banc d'essai Collines : ${machine.nproc} cœurs, Node ${machine.node}, ${CONNECTIONS} connexions, ${DURATION} s par mesure, bases : ${DATABASES.join(", ")}`);
  log(`(machine partagée : la charge 1 min est notée à chaque mesure ; comparer au plafond mesuré dans les mêmes conditions)`);
  const pageWeights = { done: false, rows: [] as PageWeight[] };
  const runs: DbRun[] = [];
  for (const kind of DATABASES) runs.push(await benchDatabase(kind, work, pageWeights));
  const targets = evaluate(runs, pageWeights.rows);
  const result = { date: started.toISOString(), machine, durationSec: DURATION, connections: CONNECTIONS, runs, pages: pageWeights.rows, targets };
  const md = markdown(result);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, "latest.json"), JSON.stringify(result, null, 2));
  writeFileSync(join(RESULTS_DIR, "latest.md"), md);
  log("\n" + md);
  log(`Résultats : bench/results/latest.json et latest.md`);
  // The companies module's bench (1M-row Sirene import, search at ~50,000 companies): opt-in, long.
  if (process.env.BENCH_COMPANIES === "on") spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "bench/companies.ts")], { stdio: "inherit", cwd: ROOT });
  // The observatory's bench (16 M observations on PostgreSQL, Sirene import, overview and API): opt-in, long.
  if (process.env.BENCH_OBSERVATORY === "on") spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "bench/observatory.ts")], { stdio: "inherit", cwd: ROOT });
}

try {
  await main();
} catch (e) {
  console.error(`\nLe banc d'essai a échoué : ${(e as Error).stack ?? e}`);
  process.exitCode = 1;
} finally {
  await cleanup.run();
}
