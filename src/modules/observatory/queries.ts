import type { Database } from "../../core/db/client.ts";
import { ratioCell, sumCells, type Cell, type ObservationStatus } from "./model.ts";

// Reading the observatory: a territory's geography, the catalogue, and cells (value + status) of
// indicators for geographies and periods — territory values summed from its EPCIs' precomputed
// rows, ratios recomputed from their numerator and denominator at every level (ADR 0016).

export interface Geo {
  level: "commune" | "epci" | "territory" | "departement" | "region" | "france";
  code: string;
  name: string;
}

export interface TerritoryGeography {
  territory: Geo;
  epcis: Geo[];
  communes: (Geo & { epci: string | null; departement: string | null })[];
  departements: Geo[];
  regions: Geo[];
  france: Geo;
  /** The comparison geographies of the overview: territory, its départements, régions, France. */
  comparisons: Geo[];
}

export interface IndicatorRow {
  id: number;
  territoryId: number | null;
  code: string;
  name: string;
  definition: string | null;
  unit: string;
  source: string | null;
  producer: string | null;
  licence: string | null;
  levels: string[];
  periodicity: "annual" | "quarterly" | "monthly" | "punctual";
  aggregation: "sum" | "ratio" | "none";
  numeratorId: number | null;
  denominatorId: number | null;
  scale: number;
  decimals: number;
  direction: string;
  theme: string | null;
  lastUpdate: string | null;
}

const INDICATOR_COLUMNS = `id, territory_id AS "territoryId", code, name, definition, unit, source, producer, licence, levels, periodicity, aggregation,
  numerator_id AS "numeratorId", denominator_id AS "denominatorId", scale, decimals, direction, theme, to_char(last_update, 'YYYY-MM-DD') AS "lastUpdate"`;

/** The territory's intercommunalités, communes, départements and régions (national tables). */
export async function loadTerritoryGeography(database: Database, territory: { id: number; name: string }): Promise<TerritoryGeography> {
  const epcis = await database.query<{ code: string; name: string }>(
    `SELECT a.siren AS code, coalesce(e.name, a.name) AS name FROM territory_authorities a LEFT JOIN geo_epcis e ON e.siren = a.siren
     WHERE a.territory_id = $1 ORDER BY a.position, a.id`,
    [territory.id],
  );
  const communes = await database.query<{ code: string; name: string; epci: string | null; departement: string | null; region: string | null }>(
    `SELECT c.code, c.name, c.epci_siren AS epci, c.departement_code AS departement, c.region_code AS region
     FROM geo_communes c WHERE c.epci_siren = ANY($1::text[]) ORDER BY c.name`,
    [epcis.map((e) => e.code)],
  );
  const depCodes = [...new Set(communes.map((c) => c.departement).filter((d): d is string => !!d))];
  const regCodes = [...new Set(communes.map((c) => c.region).filter((d): d is string => !!d))];
  const departements = await database.query<{ code: string; name: string }>(`SELECT code, name FROM geo_departements WHERE code = ANY($1::text[]) ORDER BY code`, [depCodes]);
  const regions = await database.query<{ code: string; name: string }>(`SELECT code, name FROM geo_regions WHERE code = ANY($1::text[]) ORDER BY code`, [regCodes]);
  const t: Geo = { level: "territory", code: String(territory.id), name: territory.name };
  const france: Geo = { level: "france", code: "FR", name: "France" };
  const deps = departements.map((d) => ({ level: "departement" as const, code: d.code, name: d.name }));
  const regs = regions.map((r) => ({ level: "region" as const, code: r.code, name: r.name }));
  return {
    territory: t,
    epcis: epcis.map((e) => ({ level: "epci", code: e.code, name: e.name })),
    communes: communes.map((c) => ({ level: "commune", code: c.code, name: c.name, epci: c.epci, departement: c.departement })),
    departements: deps,
    regions: regs,
    france,
    comparisons: [t, ...deps, ...regs, france],
  };
}

/**
 * National indicators and the territory's own, not archived, in catalogue order. An action's own
 * series (level `action` only, kept on the action sheet) is not an indicator of the observatory.
 */
export async function loadIndicators(database: Database, territoryId: number | null): Promise<IndicatorRow[]> {
  return database.query<IndicatorRow>(
    `SELECT ${INDICATOR_COLUMNS} FROM indicators WHERE archived_at IS NULL AND (territory_id IS NULL OR territory_id = $1)
       AND NOT (levels = '{action}'::text[]) ORDER BY territory_id NULLS FIRST, id`,
    [territoryId ?? 0],
  );
}

/** One indicator by code, national or the territory's. */
export async function findIndicator(database: Database, territoryId: number, code: string): Promise<IndicatorRow | undefined> {
  const [row] = await database.query<IndicatorRow>(
    `SELECT ${INDICATOR_COLUMNS} FROM indicators WHERE code = $1 AND archived_at IS NULL AND (territory_id IS NULL OR territory_id = $2) ORDER BY territory_id NULLS LAST LIMIT 1`,
    [code, territoryId],
  );
  return row;
}

/** period (YYYY-MM-DD) → cell. */
export type Series = Map<string, Cell>;
/** geo key (`level:code`) → series. */
export type SeriesByGeo = Map<string, Series>;
export const geoKey = (g: { level: string; code: string }) => `${g.level}:${g.code}`;

interface RawRow {
  indicator_id: number;
  geo_level: string;
  geo_code: string;
  period: string;
  value: number | null;
  status: ObservationStatus;
}

/** The one query of `loadCells`: stored rows of some indicators for (level, code) pairs (exported for the bench). */
export function cellsQuery(indicatorIds: number[], pairs: { level: string; code: string }[], opts: { from?: string; to?: string } = {}): { sql: string; params: unknown[] } {
  const params: unknown[] = [indicatorIds, pairs.map((p) => p.level), pairs.map((p) => p.code)];
  let where = "";
  if (opts.from) {
    params.push(opts.from);
    where += ` AND o.period >= $${params.length}::date`;
  }
  if (opts.to) {
    params.push(opts.to);
    where += ` AND o.period <= $${params.length}::date`;
  }
  return {
    sql: `SELECT o.indicator_id, o.geo_level, o.geo_code, to_char(o.period, 'YYYY-MM-DD') AS period, o.value, o.status
         FROM unnest($2::text[], $3::text[]) AS g(level, code)
         JOIN observations o ON o.geo_level = g.level AND o.geo_code = g.code AND o.indicator_id = ANY($1::int[])${where}`,
    params,
  };
}

/**
 * Cells of indicators for geographies (every period, or those from/to), resolving a territory
 * into its EPCIs (national indicators) or its communes (local indicators summed), and ratios from
 * their numerator and denominator. Returns indicator id → geo key → period → cell.
 */
export async function loadCells(
  database: Database,
  indicators: IndicatorRow[],
  geos: Geo[],
  geography: Pick<TerritoryGeography, "epcis" | "communes">,
  opts: { from?: string; to?: string } = {},
): Promise<Map<number, SeriesByGeo>> {
  const base = new Map<number, IndicatorRow>();
  for (const i of indicators) {
    if (i.aggregation === "ratio") {
      if (i.numeratorId) base.set(i.numeratorId, { ...i, id: i.numeratorId, aggregation: "sum" });
      if (i.denominatorId) base.set(i.denominatorId, { ...i, id: i.denominatorId, aggregation: "sum" });
    } else base.set(i.id, i);
  }
  // The stored geographies to read: territory → its EPCIs, its communes and its own stored rows.
  const pairs = new Map<string, { level: string; code: string }>();
  const anyLocal = [...base.values()].some((i) => i.territoryId != null);
  for (const g of geos) {
    pairs.set(geoKey(g), g);
    if (g.level === "territory") {
      for (const e of geography.epcis) pairs.set(geoKey(e), e);
      if (anyLocal) for (const c of geography.communes) pairs.set(geoKey(c), c);
    }
  }
  const q = cellsQuery([...base.keys()], [...pairs.values()], opts);
  const rows = base.size ? await database.query<RawRow>(q.sql, q.params) : [];
  const stored = new Map<number, SeriesByGeo>();
  for (const r of rows) {
    let byGeo = stored.get(r.indicator_id);
    if (!byGeo) stored.set(r.indicator_id, (byGeo = new Map()));
    const k = `${r.geo_level}:${r.geo_code}`;
    let s = byGeo.get(k);
    if (!s) byGeo.set(k, (s = new Map()));
    s.set(r.period, { value: r.value == null ? null : Number(r.value), status: r.status });
  }
  const resolveBase = (indicatorId: number, g: Geo): Series => {
    const byGeo = stored.get(indicatorId) ?? new Map<string, Series>();
    if (g.level !== "territory") return byGeo.get(geoKey(g)) ?? new Map();
    const own = byGeo.get(geoKey(g));
    if (own?.size) return own;
    const ind = base.get(indicatorId);
    if (!ind || ind.aggregation !== "sum") return new Map();
    // National indicators: the EPCIs' precomputed sums, every EPCI needed; local ones: the communes.
    const parts = ind.territoryId == null ? geography.epcis : geography.communes;
    const periods = new Set<string>();
    for (const p of parts) for (const period of byGeo.get(geoKey(p))?.keys() ?? []) periods.add(period);
    const out: Series = new Map();
    for (const period of periods) {
      const cells = parts.map((p) => byGeo.get(geoKey(p))?.get(period));
      if (ind.territoryId == null && cells.some((c) => !c)) continue;
      out.set(period, sumCells(cells.filter((c): c is Cell => !!c)));
    }
    return out;
  };
  const result = new Map<number, SeriesByGeo>();
  for (const i of indicators) {
    const byGeo: SeriesByGeo = new Map();
    for (const g of geos) {
      if (i.aggregation === "ratio") {
        const num = i.numeratorId ? resolveBase(i.numeratorId, g) : new Map<string, Cell>();
        const den = i.denominatorId ? resolveBase(i.denominatorId, g) : new Map<string, Cell>();
        const s: Series = new Map();
        for (const [period, d] of den) {
          const n = num.get(period);
          if (n) s.set(period, ratioCell(n, d, i.scale));
        }
        byGeo.set(geoKey(g), s);
      } else byGeo.set(geoKey(g), resolveBase(i.id, g));
    }
    result.set(i.id, byGeo);
  }
  return result;
}

/** Every period present in some series, sorted. */
export function periodsOf(byGeo: SeriesByGeo | undefined): string[] {
  const s = new Set<string>();
  for (const series of byGeo?.values() ?? []) for (const p of series.keys()) s.add(p);
  return [...s].sort();
}

/** The latest period (≤ `at` when given) with a cell for the geography. */
export function latestPeriod(series: Series | undefined, at?: string): string | undefined {
  let best: string | undefined;
  for (const p of series?.keys() ?? []) if ((!at || p <= at) && (!best || p > best)) best = p;
  return best;
}

/** The commune rows of an indicator for a period (ratios recomputed per commune). */
export async function communeCells(database: Database, indicator: IndicatorRow, communes: Geo[], period: string): Promise<Map<string, Cell>> {
  const cells = await loadCells(database, [indicator], communes, { epcis: [], communes: [] }, { from: period, to: period });
  const out = new Map<string, Cell>();
  for (const c of communes) {
    const cell = cells.get(indicator.id)?.get(geoKey(c))?.get(period);
    if (cell) out.set(c.code, cell);
  }
  return out;
}

/**
 * An indicator's series for a territory as the observatory computes it (its own stored rows, or
 * the sum of its EPCIs / communes, ratios recomputed); a secret cell has no value. For the action
 * sheets, whose indicators may read the territory's series.
 */
export async function territorySeries(
  database: Database,
  territory: { id: number; name: string },
  indicatorId: number,
): Promise<{ period: string; value: number | null; status: ObservationStatus }[]> {
  const [indicator] = await database.query<IndicatorRow>(`SELECT ${INDICATOR_COLUMNS} FROM indicators WHERE id = $1 AND (territory_id IS NULL OR territory_id = $2)`, [indicatorId, territory.id]);
  if (!indicator) return [];
  const geography = await loadTerritoryGeography(database, territory);
  const cells = await loadCells(database, [indicator], [geography.territory], geography);
  const series = cells.get(indicator.id)?.get(geoKey(geography.territory)) ?? new Map<string, Cell>();
  return [...series.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([period, c]) => ({ period, value: c.status === "secret" ? null : c.value, status: c.status }));
}
