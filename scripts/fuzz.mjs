#!/usr/bin/env node
// `npm run fuzz`: the long version of test/fuzz.test.ts — FUZZ_RUNS inputs per route and role
// (default 60), every role the matrix allows, a seed of your choice (FUZZ_SEED, default the date),
// on the databases of FUZZ_DB (default "pglite"; "pglite,postgres" for both).
import { spawnSync } from "node:child_process";

const env = {
  ...process.env,
  FUZZ_RUNS: process.env.FUZZ_RUNS ?? "60",
  FUZZ_ALL_ROLES: process.env.FUZZ_ALL_ROLES ?? "1",
  FUZZ_SEED: process.env.FUZZ_SEED ?? new Date().toISOString().slice(0, 10).replace(/-/g, ""),
  FUZZ_DB: process.env.FUZZ_DB ?? "pglite",
};
if (!env.FUZZ_DB.includes("postgres")) env.COLLINES_TEST_PG = "off";
console.log(`fuzz : FUZZ_RUNS=${env.FUZZ_RUNS}, graine ${env.FUZZ_SEED}, bases ${env.FUZZ_DB}, tous les rôles autorisés`);
const r = spawnSync("node", ["scripts/test.mjs", "test/fuzz.test.ts"], { stdio: "inherit", env });
process.exit(r.status ?? 1);
