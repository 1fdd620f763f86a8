#!/usr/bin/env node
// `npm test`: makes sure the machine has what the tests need (Debian's PostgreSQL server for the
// tests on a real server, Debian's Chromium for the browser tests), then runs vitest.
// Extra arguments are passed to vitest: `npm test -- test/auth.test.ts`.
//
// COLLINES_TEST_PG=off skips PostgreSQL (the tests then run on PGlite only);
// COLLINES_TEST_INSTALL=off never installs anything (only checks and warns).
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDebianPackages, pgBinDir } from "./lib/pg-cluster.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const say = (msg) => console.log(`[npm test] ${msg}`);

const wantPg = process.env.COLLINES_TEST_PG !== "off";
const mayInstall = process.env.COLLINES_TEST_INSTALL !== "off";
const isRoot = process.getuid?.() === 0;
const hasDpkg = spawnSync("dpkg-query", ["--version"], { stdio: "ignore" }).status === 0;

/** Debian packages the tests use, and why (the reason is printed when one is missing). */
const needed = [
  ...(wantPg ? [{ name: "postgresql", why: "serveur PostgreSQL (avec pg_trgm et unaccent) pour les tests sur une vraie base / PostgreSQL server for the tests on a real database" }] : []),
  { name: "chromium", why: "navigateur des tests d'interface (e2e, axe) / browser for the e2e and accessibility tests" },
  { name: "fonts-dejavu-core", why: "polices des captures d'écran / fonts for screenshots" },
];

function installed(pkg) {
  return spawnSync("dpkg-query", ["-W", "-f=${Status}", pkg], { encoding: "utf8" }).stdout?.includes("install ok installed") === true;
}

/** pg_trgm and unaccent ship with Debian's server package (contrib); check they are really there. */
function pgContribPresent() {
  const bin = pgBinDir();
  if (!bin) return false;
  const major = bin.split("/").at(-2);
  const ext = `/usr/share/postgresql/${major}/extension`;
  return existsSync(join(ext, "pg_trgm.control")) && existsSync(join(ext, "unaccent.control"));
}

function fail(lines) {
  console.error(`\n[npm test] ${lines.join("\n[npm test] ")}\n`);
  process.exit(1);
}

if (hasDpkg) {
  const missing = needed.filter((p) => !installed(p.name));
  if (missing.length) {
    for (const p of missing) say(`paquet manquant / missing package: ${p.name} — ${p.why}`);
    if (!isRoot || !mayInstall) {
      fail([
        `Il manque des paquets Debian pour les tests : ${missing.map((p) => p.name).join(" ")}.`,
        `Installez-les puis relancez : sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.map((p) => p.name).join(" ")}`,
        `Missing Debian packages for the tests. Install them as root (command above) and run npm test again,`,
        `or run as root and npm test installs them; COLLINES_TEST_PG=off runs without PostgreSQL.`,
      ]);
    }
    say(`installation avec apt-get (root) / installing with apt-get: ${missing.map((p) => p.name).join(" ")}`);
    let ok = ensureDebianPackages(
      missing.map((p) => p.name),
      say,
    );
    // Another apt process (unattended upgrades, a concurrent install) may hold the lock: retry once.
    if (!ok) {
      say("apt-get a échoué, nouvel essai dans 20 s / apt-get failed, retrying in 20 s");
      await new Promise((r) => setTimeout(r, 20_000));
      ok = ensureDebianPackages(
        needed.filter((p) => !installed(p.name)).map((p) => p.name),
        say,
      );
    }
    if (!ok) fail([`L'installation des paquets a échoué / installing the packages failed: ${missing.map((p) => p.name).join(" ")}.`]);
    say("paquets installés / packages installed.");
  }
} else {
  // Not Debian: we cannot install; say what is expected and go on with what there is.
  if (wantPg && !pgBinDir()) {
    fail([
      "PostgreSQL introuvable (attendu dans /usr/lib/postgresql/<version>/bin, comme sous Debian).",
      "PostgreSQL not found (expected in /usr/lib/postgresql/<version>/bin, as on Debian).",
      "Installez-le, ou lancez COLLINES_TEST_PG=off npm test pour ne tester que PGlite.",
    ]);
  }
  say("système sans dpkg : rien n'est installé automatiquement / no dpkg: nothing is installed automatically.");
}

if (wantPg && !pgContribPresent()) {
  const majors = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").join(", ") : "aucune";
  fail([
    `PostgreSQL est installé (versions : ${majors}) mais sans les extensions pg_trgm et unaccent (contrib).`,
    "PostgreSQL is installed but the pg_trgm / unaccent extensions (contrib) are missing: install postgresql-contrib.",
  ]);
}

// The closing lines of the run are vitest's own summary: nothing is printed after it.
const args = ["vitest", "run", ...process.argv.slice(2)];
say(`npx ${args.join(" ")}`);
const child = spawn("npx", args, { cwd: root, stdio: "inherit", env: process.env });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
