import { sql } from "drizzle-orm";
import type { Database, Tx } from "../../core/db/client.ts";
import { bumpContentVersion } from "../../core/audit/index.ts";
import { CATALOGUE } from "./catalogue.ts";

// Writing observations: the catalogue upsert, the merge of an import's staging table (rows summed
// by indicator × commune × period, replacing what the file covers) and the precomputed aggregates
// at EPCI, département, région and France levels (ADR 0016).

/** The staging columns every observation importer uses. */
export const OBSERVATION_STAGE = [
  { name: "indicator", type: "text" },
  { name: "geo", type: "text" },
  { name: "period", type: "date" },
  { name: "value", type: "float8" },
  { name: "status", type: "text" },
] as const satisfies readonly { name: string; type: "text" | "float8" | "date" | "int4" }[];

async function rows<T>(tx: Tx, q: ReturnType<typeof sql>): Promise<T[]> {
  const r = (await tx.execute(q)) as unknown as { rows: T[] };
  return r.rows;
}

/** Creates or updates the national indicators of the catalogue (idempotent). */
export async function upsertCatalogue(database: Database | Tx): Promise<void> {
  const tx = "db" in database ? database.db : database;
  const json = JSON.stringify(
    CATALOGUE.map((d) => ({
      code: d.code,
      name: d.name,
      definition: d.definition,
      unit: d.unit,
      source: d.source,
      producer: d.producer,
      licence: d.licence,
      levels: `{${d.levels.join(",")}}`,
      periodicity: d.periodicity,
      aggregation: d.aggregation,
      scale: d.scale ?? 1,
      decimals: d.decimals ?? 0,
      direction: d.direction ?? "neutral",
      theme: d.theme,
    })),
  );
  await tx.execute(sql`
    INSERT INTO indicators (territory_id, code, name, definition, unit, source, producer, licence, levels, periodicity, aggregation, scale, decimals, direction, theme)
    SELECT NULL, code, name, definition, unit, source, producer, licence, levels::text[], periodicity, aggregation, scale, decimals, direction, theme
    FROM json_to_recordset(${json}::json) AS r(code text, name text, definition text, unit text, source text, producer text, licence text, levels text,
      periodicity text, aggregation text, scale float8, decimals int, direction text, theme text)
    ON CONFLICT (coalesce(territory_id, 0), code) DO UPDATE SET name = EXCLUDED.name, definition = EXCLUDED.definition, unit = EXCLUDED.unit,
      source = EXCLUDED.source, producer = EXCLUDED.producer, licence = EXCLUDED.licence, levels = EXCLUDED.levels, periodicity = EXCLUDED.periodicity,
      aggregation = EXCLUDED.aggregation, scale = EXCLUDED.scale, decimals = EXCLUDED.decimals, direction = EXCLUDED.direction, theme = EXCLUDED.theme`);
  const ratios = JSON.stringify(CATALOGUE.filter((d) => d.numerator && d.denominator).map((d) => ({ code: d.code, num: d.numerator, den: d.denominator })));
  await tx.execute(sql`
    UPDATE indicators i SET numerator_id = n.id, denominator_id = d.id
    FROM json_to_recordset(${ratios}::json) AS r(code text, num text, den text)
    JOIN indicators n ON n.code = r.num AND n.territory_id IS NULL
    JOIN indicators d ON d.code = r.den AND d.territory_id IS NULL
    WHERE i.code = r.code AND i.territory_id IS NULL`);
}

/** SQL of the least reliable status of a group (secret > provisional > estimated > final). */
const GROUP_STATUS = `CASE WHEN bool_or(status = 'secret') THEN 'secret' WHEN bool_or(status = 'provisional') THEN 'provisional' WHEN bool_or(status = 'estimated') THEN 'estimated' ELSE 'final' END`;
/** SQL of a group's sum: secret when any part is secret (ADR 0016). */
const GROUP_SUM = `CASE WHEN bool_or(status = 'secret') THEN NULL ELSE sum(value) END`;

/**
 * Merges a staging table of commune rows (indicator code, commune, period, value, status — several
 * rows of one key are summed) into `observations`: for each commune and period of the file, the
 * importer's indicators are replaced, so a re-import gives the same result. Then recomputes the
 * aggregates of the periods touched. Runs inside the import's final transaction.
 */
export async function mergeCommuneObservations(tx: Tx, stageTable: string, o: { indicatorCodes: string[]; source: string }): Promise<{ observations: number; periods: string[] }> {
  if (!/^import_stage_\d+$/.test(stageTable)) throw new Error("bad stage table");
  const codes = `{${o.indicatorCodes.join(",")}}`;
  await tx.execute(sql.raw(`CREATE INDEX ON "${stageTable}" (geo, period)`));
  // The scope the file covers: its communes × periods, for this importer's indicators.
  await tx.execute(sql`
    DELETE FROM observations o
    USING (SELECT DISTINCT geo, period FROM ${sql.raw(`"${stageTable}"`)}) s, indicators i
    WHERE o.geo_level = 'commune' AND o.geo_code = s.geo AND o.period = s.period
      AND o.indicator_id = i.id AND i.territory_id IS NULL AND i.code = ANY(${codes}::text[])`);
  const inserted = await rows<{ n: number }>(
    tx,
    sql`
    WITH ins AS (
      INSERT INTO observations (indicator_id, geo_level, geo_code, period, value, status, source)
      SELECT i.id, 'commune', s.geo, s.period, ${sql.raw(GROUP_SUM.replaceAll("status", "s.status").replaceAll("value", "s.value"))},
        ${sql.raw(GROUP_STATUS.replaceAll("status", "s.status"))}, ${o.source}
      FROM ${sql.raw(`"${stageTable}"`)} s JOIN indicators i ON i.code = s.indicator AND i.territory_id IS NULL
      GROUP BY i.id, s.geo, s.period
      RETURNING 1)
    SELECT count(*)::int AS n FROM ins`,
  );
  const periods = (await rows<{ period: string }>(tx, sql`SELECT DISTINCT to_char(period, 'YYYY-MM-DD') AS period FROM ${sql.raw(`"${stageTable}"`)} ORDER BY 1`)).map((r) => r.period);
  await recomputeAggregates(tx, o.indicatorCodes, periods);
  await tx.execute(sql`UPDATE indicators SET last_update = CURRENT_DATE WHERE territory_id IS NULL AND code = ANY(${codes}::text[])`);
  // Cached public pages show the new figures at once (every process is told at commit).
  await bumpContentVersion(tx);
  return { observations: inserted[0]?.n ?? 0, periods };
}

/**
 * Recomputes the EPCI, département, région and France rows of summable national indicators for
 * the given periods, from the commune rows (one statement per call, all levels at once).
 */
export async function recomputeAggregates(tx: Tx, indicatorCodes: string[], periods: string[]): Promise<void> {
  if (!periods.length) return;
  const codes = `{${indicatorCodes.join(",")}}`;
  const ps = `{${periods.join(",")}}`;
  await tx.execute(sql`
    DELETE FROM observations o USING indicators i
    WHERE o.indicator_id = i.id AND i.territory_id IS NULL AND i.code = ANY(${codes}::text[]) AND i.aggregation = 'sum'
      AND o.period = ANY(${ps}::date[]) AND o.geo_level IN ('epci', 'departement', 'region', 'france')`);
  await tx.execute(sql`
    INSERT INTO observations (indicator_id, geo_level, geo_code, period, value, status, source)
    SELECT o.indicator_id, g.level, g.code, o.period, ${sql.raw(GROUP_SUM.replaceAll("status", "o.status").replaceAll("value", "o.value"))},
      ${sql.raw(GROUP_STATUS.replaceAll("status", "o.status"))}, 'Somme des communes'
    FROM observations o
    JOIN indicators i ON i.id = o.indicator_id AND i.territory_id IS NULL AND i.aggregation = 'sum' AND i.code = ANY(${codes}::text[])
    JOIN geo_communes c ON c.code = o.geo_code
    CROSS JOIN LATERAL (VALUES ('epci', c.epci_siren), ('departement', c.departement_code), ('region', c.region_code), ('france', 'FR')) AS g(level, code)
    WHERE o.geo_level = 'commune' AND o.period = ANY(${ps}::date[]) AND g.code IS NOT NULL
    GROUP BY o.indicator_id, g.level, g.code, o.period`);
}
