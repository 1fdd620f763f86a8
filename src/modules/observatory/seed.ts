import { sql } from "drizzle-orm";
import type { Database } from "../../core/db/client.ts";
import { DEMO_SLUG } from "../territories/api.ts";
import { recomputeAggregates, upsertCatalogue } from "./store.ts";

// Seeds of the observatory (idempotent):
// - the national catalogue;
// - the real INSEE legal populations (millésime 2022) of every commune of France, as shipped by
//   @etalab/decoupage-administratif in the national geography tables, with their aggregates — so
//   every territory's overview shows real figures without network access;
// - for the demo territory only, two local indicators with generated values, labelled fictional.

export const POPULATION_SEED_SOURCE = "Insee, populations légales 2022 (en vigueur au 1er janvier 2025), via @etalab/decoupage-administratif 6.0.0 — Licence Ouverte";
export const POPULATION_SEED_PERIOD = "2022-01-01";

export async function seedObservatory(database: Database): Promise<void> {
  await database.db.transaction(async (tx) => {
    await upsertCatalogue(tx);
    const present = (await tx.execute(sql`
      SELECT 1 FROM observations o JOIN indicators i ON i.id = o.indicator_id
      WHERE i.code = 'pop_municipale' AND i.territory_id IS NULL AND o.period = ${POPULATION_SEED_PERIOD}::date AND o.geo_level = 'commune' LIMIT 1`)) as unknown as { rows: unknown[] };
    if (!present.rows.length) {
      await tx.execute(sql`
        INSERT INTO observations (indicator_id, geo_level, geo_code, period, value, status, source)
        SELECT i.id, 'commune', c.code, ${POPULATION_SEED_PERIOD}::date, c.population, 'final', ${POPULATION_SEED_SOURCE}
        FROM geo_communes c JOIN indicators i ON i.code = 'pop_municipale' AND i.territory_id IS NULL
        WHERE c.population IS NOT NULL
        ON CONFLICT DO NOTHING`);
      await recomputeAggregates(tx, ["pop_municipale"], [POPULATION_SEED_PERIOD]);
    }
    await seedDemo(tx);
  });
}

type Tx = Parameters<Parameters<Database["db"]["transaction"]>[0]>[0];

/** Fictional local indicators of the demo territory (its names say so). */
async function seedDemo(tx: Tx): Promise<void> {
  const t = (await tx.execute(sql`SELECT id FROM territories WHERE slug = ${DEMO_SLUG}`)) as unknown as { rows: { id: number }[] };
  const territoryId = t.rows[0]?.id;
  if (!territoryId) return;
  const exists = (await tx.execute(sql`SELECT 1 FROM indicators WHERE territory_id = ${territoryId} AND code = 'parcs_emplois_crees'`)) as unknown as { rows: unknown[] };
  if (exists.rows.length) return;
  const ins = (await tx.execute(sql`
    INSERT INTO indicators (territory_id, code, name, definition, unit, source, producer, licence, levels, periodicity, aggregation, decimals, direction, theme, last_update)
    VALUES (${territoryId}, 'parcs_emplois_crees', 'Emplois créés dans les parcs d’activités (fictif)',
      'Emplois créés dans l’année par les entreprises installées dans les parcs d’activités du territoire. Données de démonstration, fictives.',
      'emplois', 'Données fictives de démonstration', 'Bocage des Forges (démonstration)', 'Données fictives', '{territory}', 'annual', 'sum', 0, 'up', 'Indicateurs locaux', CURRENT_DATE),
      (${territoryId}, 'foncier_disponible', 'Foncier économique disponible (fictif)',
      'Surface des terrains disponibles à la vente dans les zones d’activités, par commune, au 1er janvier. Données de démonstration, fictives.',
      'hectares', 'Données fictives de démonstration', 'Bocage des Forges (démonstration)', 'Données fictives', '{commune,territory}', 'annual', 'sum', 1, 'neutral', 'Indicateurs locaux', CURRENT_DATE)
    RETURNING id, code`)) as unknown as { rows: { id: number; code: string }[] };
  const jobs = ins.rows.find((r) => r.code === "parcs_emplois_crees")!.id;
  const land = ins.rows.find((r) => r.code === "foncier_disponible")!.id;
  const created = [42, 57, 31, 64, 78, 85];
  for (let k = 0; k < created.length; k++) {
    await tx.execute(sql`INSERT INTO observations (indicator_id, geo_level, geo_code, period, value, status, source)
      VALUES (${jobs}, 'territory', ${String(territoryId)}, ${`${2019 + k}-01-01`}::date, ${created[k]}, ${k === created.length - 1 ? "provisional" : "final"}, 'Données fictives de démonstration')`);
  }
  // A few communes of the demo's (real, borrowed) geography, with generated surfaces.
  await tx.execute(sql`
    INSERT INTO observations (indicator_id, geo_level, geo_code, period, value, status, source)
    SELECT ${land}, 'commune', c.code, p.period, round((((hashtext(c.code || p.period::text) & 2147483647) % 120) / 10.0)::numeric, 1), 'final', 'Données fictives de démonstration'
    FROM (SELECT c.code FROM geo_communes c JOIN territory_authorities a ON a.siren = c.epci_siren AND a.territory_id = ${territoryId}
          ORDER BY c.population DESC NULLS LAST LIMIT 8) c
    CROSS JOIN (VALUES ('2023-01-01'::date), ('2024-01-01'::date), ('2025-01-01'::date)) AS p(period)`);
}
