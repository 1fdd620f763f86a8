// Child process of the benchmark: migrates and seeds the database named by the environment
// (DATA_DIR for the embedded database, or DATABASE_URL), inserts the national dataset and a
// bench account, then writes a manifest (JSON) to the path given as first argument. Run in its
// own process so the memory of the bulk insert is not counted in the server's or the runner's.
import { writeFileSync } from "node:fs";
import { loadConfig } from "../src/config.ts";
import { openDatabase, prepareDatabase } from "../src/setup.ts";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { createUser } from "../src/modules/accounts/api.ts";
import { buildNationalDataset, insertNationalDataset } from "./dataset.ts";

export interface Manifest {
  territories: { slug: string; actionIds: number[] }[];
  account: { email: string; password: string };
  /** A funder granted every territory: reads the follow-up dashboards. */
  funder: { email: string; password: string };
  timings: { openMs: number; prepareMs: number; datasetMs: number };
  counts: { territories: number; actions: number; partners: number };
}

const out = process.argv[2];
if (!out) throw new Error("usage: prepare.ts <manifest.json>");
const config = loadConfig();
let t = performance.now();
const { database, lock } = await openDatabase(config);
const openMs = performance.now() - t;
try {
  t = performance.now();
  await prepareDatabase(database);
  const prepareMs = performance.now() - t;
  t = performance.now();
  const territories = await insertNationalDataset(database, buildNationalDataset());
  const datasetMs = performance.now() - t;
  const account = { email: "bench@collines.invalid", password: "banc-d-essai-collines-2024" };
  const exists = await database.query("SELECT 1 FROM users WHERE email = $1", [account.email]);
  if (!exists.length) {
    await database.db.transaction((tx) => createUser(tx, { actor: ANONYMOUS, role: "system" }, { email: account.email, displayName: "Banc d'essai", password: account.password }));
  }
  const funder = { email: "bench-financeur@collines.invalid", password: account.password };
  if (!(await database.query("SELECT 1 FROM users WHERE email = $1", [funder.email])).length) {
    const created = await database.db.transaction((tx) => createUser(tx, { actor: ANONYMOUS, role: "system" }, { email: funder.email, displayName: "Financeur du banc d'essai", password: funder.password }));
    await database.query("INSERT INTO funder_grants (user_id, label, territory_id) SELECT $1, 'Banc d''essai', id FROM territories", [created.id]);
  }
  const [counts] = await database.query<{ territories: number; actions: number; partners: number }>(
    "SELECT (SELECT count(*)::int FROM territories) AS territories, (SELECT count(*)::int FROM plan_actions) AS actions, (SELECT count(*)::int FROM plan_action_partners) AS partners",
  );
  const manifest: Manifest = { territories, account, funder, timings: { openMs, prepareMs, datasetMs }, counts };
  writeFileSync(out, JSON.stringify(manifest));
} finally {
  await database.close();
  lock?.release();
}
