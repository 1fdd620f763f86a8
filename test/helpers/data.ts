// Facts of the seeded databases, read from the seed of record and the database itself.
import { readFileSync } from "node:fs";
import type { Database } from "../../src/core/db/client.ts";
import type { SeedOfRecord } from "../../src/modules/territories/seed.ts";
import { allRoutes } from "../../src/modules/index.ts";

/** seeds/collines-de-normandie-plan-2019.json, the source of truth the reference territory must match. */
export const SEED: SeedOfRecord = JSON.parse(readFileSync(new URL("../../seeds/collines-de-normandie-plan-2019.json", import.meta.url), "utf8"));

/** The reference plan's actions in plan order, with their theme and objective. */
export const SEED_ACTIONS = SEED.plan.themes.flatMap((t) =>
  t.objectives.flatMap((o) => o.actions.map((a) => ({ ...a, theme: t.code, objective: o.title }))),
);

export interface ActionRow {
  id: number;
  number: number;
  title: string;
  visibility: string;
  status: string | null;
}

/** The actions of a territory, straight from the database. */
export async function actionsOf(database: Database, slug: string): Promise<ActionRow[]> {
  return database.query<ActionRow>(
    "select a.id, a.number, a.title, a.visibility, a.status from plan_actions a join territories t on t.id = a.territory_id where t.slug = $1 order by a.number",
    [slug],
  );
}

/** Row counts of some tables, to prove that a request wrote nothing. */
export async function rowCounts(database: Database, tables: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await database.query<{ n: number | string }>(`select count(*) as n from ${t}`))[0].n);
  return out;
}

/**
 * Every public page of a territory's portal, from the route registry (so new pages are covered).
 * Pages naming another record than an action (a workshop, a meeting, an indicator…) are left to
 * their module's tests, which know a valid id.
 */
export function publicTerritoryPages(slug: string, actionId: number): string[] {
  const fillable = (url: string) => (url.match(/:[A-Za-z]+/g) ?? []).every((p) => p === ":slug" || (p === ":id" && url.startsWith("/t/:slug/actions/:id")));
  return allRoutes()
    .filter((r) => r.method === "GET" && r.permission === "public" && r.kind === "page" && r.url.startsWith("/t/:slug") && fillable(r.url))
    .map((r) => r.url.replace(":slug", slug).replace(":id", String(actionId)));
}
