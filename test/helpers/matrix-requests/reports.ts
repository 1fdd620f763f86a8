// The concrete request of every row of the reports module's matrix (see test/helpers/matrix.ts),
// and the follow-up fixture the reports tests share.
import type { Database } from "../../../src/core/db/client.ts";
import { users } from "../../../src/core/db/schema.ts";
import { storeFile } from "../../../src/core/files/index.ts";
import { unsubscribeToken } from "../../../src/modules/reports/digest/digest.ts";
import type { BuildContext, RequestSpec } from "../matrix.ts";

export interface FollowUpFixture {
  territoryId: number;
  /** The action with late milestones, budget, financing, an indicator and a confidential note. */
  actionId: number;
  actionNumber: number;
  /** The second action, confidential, with a European grant. */
  otherActionId: number;
  note: string;
  lateMilestone: string;
}

const one = async <T>(database: Database, sql: string, params: unknown[] = []) => (await database.query<T>(sql, params))[0]!;

/**
 * Fills a territory's follow-up for the reports: its first published action (in progress) gets two
 * milestones (one late since 2020), a budget of 120 000 € (100 000 € investment in 2026, 20 000 €
 * operating in 2027), a financing plan (État: 50 000 requested / 40 000 granted / 10 000 paid;
 * Région: 30 000 / 30 000 / 0), an indicator (baseline 10, latest 20, target 30 → 50 %) and a
 * confidential note (the territory's other follow-up items are removed first); its first confidential action (or second published one) gets a European grant of 12 345,67 €.
 */
export async function seedFollowUp(database: Database, slug: string, tag = "RAPPORT"): Promise<FollowUpFixture> {
  const t = await one<{ id: number }>(database, "select id from territories where slug = $1", [slug]);
  const visible = `a.territory_id = $1 and a.archived_at is null and o.archived_at is null and th.archived_at is null and o.visibility <> 'draft' and th.visibility <> 'draft'`;
  const from = "from plan_actions a join plan_objectives o on o.id = a.objective_id join plan_themes th on th.id = o.theme_id";
  const a = await one<{ id: number; number: number }>(database, `select a.id, a.number ${from} where ${visible} and a.visibility = 'published' order by a.number limit 1`, [t.id]);
  // The first confidential action, or (in a territory without any) the second published one.
  const c = await one<{ id: number }>(database, `select a.id ${from} where ${visible} and a.visibility <> 'draft' and a.id <> $2 order by a.visibility = 'confidential' desc, a.number limit 1`, [t.id, a.id]);
  // The figures the tests check are this fixture's alone: the follow-up the seeds may give the territory is cleared first.
  for (const table of ["plan_indicator_targets", "plan_action_indicators", "plan_financing_lines", "plan_budget_lines", "plan_milestones", "plan_action_notes", "plan_action_pilots"]) {
    await database.query(`delete from ${table} where territory_id = $1`, [t.id]);
  }
  const lateMilestone = `Étude de faisabilité ${tag}`;
  const note = `Note de suivi confidentielle ${tag} : le comité a validé l’étude.`;
  await database.query("update plan_actions set status = 'in_progress', progress_mode = 'milestones', start_date = '2020-01-01', planned_end_date = '2099-12-31' where id = $1", [a.id]);
  await database.query(
    "insert into plan_milestones (territory_id, action_id, name, due_date, done_date, position) values ($1, $2, $3, '2020-01-15', null, 0), ($1, $2, $4, '2099-01-01', null, 1)",
    [t.id, a.id, lateMilestone, `Inauguration ${tag}`],
  );
  await database.query("insert into plan_budget_lines (territory_id, action_id, year, nature, amount_cents) values ($1, $2, 2026, 'investment', 10000000), ($1, $2, 2027, 'operating', 2000000)", [t.id, a.id]);
  await database.query(
    `insert into plan_financing_lines (territory_id, action_id, funder_kind, funder_name, requested_cents, granted_cents, paid_cents, position) values
     ($1, $2, 'etat', 'DETR', 5000000, 4000000, 1000000, 0), ($1, $2, 'region', 'Impulsion Industrie', 3000000, 3000000, 0, 1), ($1, $3, 'europe', 'FEDER', 1234567, 1234567, 0, 0)`,
    [t.id, a.id, c.id],
  );
  const ind = await one<{ id: number }>(database, "insert into indicators (territory_id, code, name, unit, levels) values ($1, $2, $3, 'emplois', '{action}') returning id", [t.id, `emplois-${tag.toLowerCase()}-${a.id}`, `Emplois créés ${tag}`]);
  const ai = await one<{ id: number }>(
    database,
    "insert into plan_action_indicators (territory_id, action_id, indicator_id, geo_level, geo_code, baseline_value, baseline_date) values ($1, $2, $3, 'action', $4, 10, '2019-01-01') returning id",
    [t.id, a.id, ind.id, String(a.id)],
  );
  await database.query("insert into plan_indicator_targets (territory_id, action_indicator_id, target_date, value) values ($1, $2, '2099-12-31', 30)", [t.id, ai.id]);
  await database.query("insert into observations (indicator_id, geo_level, geo_code, period, value) values ($1, 'action', $2, '2025-01-01', 20)", [ind.id, String(a.id)]);
  await database.query("insert into plan_action_notes (territory_id, action_id, body, visibility) values ($1, $2, $3, 'confidential')", [t.id, a.id, note]);
  return { territoryId: t.id, actionId: a.id, actionNumber: a.number, otherActionId: c.id, note, lateMilestone };
}

/** A valid plan spreadsheet (CSV) adding action `number` to a fixed theme and objective. */
export const importCsv = (n: number, number: number | "" = "") => Buffer.from(`\uFEFFThématique;Objectif;N°;Action;Statut\r\nThématique importée;Objectif importé;${number};Action importée ${n};En cours\r\n`, "utf8");

/** The test app's DATA_DIR (test/helpers/app.ts). */
const DATA_DIR = ".tmp/data";

/** A plan spreadsheet uploaded for an import of the request's territory (its file id). */
async function freshImportFile(c: BuildContext): Promise<number> {
  const file = await storeFile(c.world.db, importCsv(c.n, c.world.nextNumber(c.t)), { dataDir: DATA_DIR, territoryId: c.t.id, uploadedBy: null, originalName: `plan-${c.n}.csv`, allowed: ["csv"], maxBytes: 1 << 20 });
  return file.id;
}

/** An unsubscribe link of a fresh account. */
async function freshUnsubscribe(c: BuildContext): Promise<string> {
  const [u] = await c.world.db.insert(users).values({ email: `matrice-resume-${c.n}-${Date.now()}@exemple.fr`, displayName: "Pilote matrice" }).returning({ id: users.id });
  return `/resume-hebdomadaire/desabonnement/${await unsubscribeToken(c.world.db, u!.id)}`;
}

const inT = (path: string): RequestSpec => ({ build: (c) => ({ url: `/t/${c.slug}${path}` }) });

export const reportsRequests: Record<string, RequestSpec> = {
  "GET /t/:slug/gestion/tableau-de-bord": inT("/gestion/tableau-de-bord"),
  "GET /t/:slug/gestion/tableau-de-bord/:chart.csv": inT("/gestion/tableau-de-bord/statuts.csv"),
  "GET /t/:slug/gestion/tableau-de-bord/bilan.pdf": inT("/gestion/tableau-de-bord/bilan.pdf"),
  "GET /t/:slug/gestion/tableau-de-bord/bilan.xlsx": inT("/gestion/tableau-de-bord/bilan.xlsx"),
  "GET /gestion/tableau-de-bord": { build: () => ({ url: "/gestion/tableau-de-bord" }) },
  "GET /gestion/tableau-de-bord/:chart.csv": { build: () => ({ url: "/gestion/tableau-de-bord/financements.csv" }) },
  "GET /t/:slug/gestion/import": inT("/gestion/import"),
  "GET /t/:slug/gestion/import/modele.xlsx": inT("/gestion/import/modele.xlsx"),
  "GET /t/:slug/gestion/import/modele.csv": inT("/gestion/import/modele.csv"),
  "POST /t/:slug/gestion/import": { build: (c) => ({ url: `/t/${c.slug}/gestion/import`, file: { field: "fichier", filename: `plan-${c.n}.csv`, content: importCsv(c.n, c.world.nextNumber(c.t)), contentType: "text/csv" } }) },
  "GET /t/:slug/gestion/import/:id": { build: async (c) => ({ url: `/t/${c.slug}/gestion/import/${await freshImportFile(c)}` }) },
  "POST /t/:slug/gestion/import/:id": { build: async (c) => ({ url: `/t/${c.slug}/gestion/import/${await freshImportFile(c)}` }) },
  "GET /compte/resume-hebdomadaire": { build: () => ({ url: "/compte/resume-hebdomadaire" }) },
  "POST /compte/resume-hebdomadaire": { build: () => ({ url: "/compte/resume-hebdomadaire", form: { weeklyDigest: "on" } }) },
  "GET /resume-hebdomadaire/desabonnement/:token": { build: async (c) => ({ url: await freshUnsubscribe(c) }) },
  "POST /resume-hebdomadaire/desabonnement/:token": { build: async (c) => ({ url: await freshUnsubscribe(c) }) },
};
