import type { Database } from "../../core/db/client.ts";
import type { TerritoryRow } from "../../core/http/territory.ts";
import { geoMercator, geoPath } from "d3-geo";
import type { Feature, FeatureCollection, Geometry } from "geojson";
import { classOf, periodLabel, quantileBreaks, statusLabel } from "./model.ts";
import { formatCell } from "./overview.ts";
import { communeCells, geoKey, loadCells, periodsOf, type IndicatorRow, type TerritoryGeography } from "./queries.ts";
import type { IndicatorView, MapView } from "./pages/public.tsx";

// Builders of the indicator page and of the choropleth, shared by the pages, the CSVs and the PDF.

export const MAP_WIDTH = 640;
export const MAP_HEIGHT = 480;
const pathCache = new Map<string, Map<string, string>>();

/**
 * The SVG path of each commune, projected to fit the map's box. The projection depends only on the
 * contours, so it is computed once per set of communes and kept (a small cache, safe to lose).
 */
export function communePaths(contours: Map<string, unknown>): Map<string, string> {
  const codes = [...contours.keys()].sort();
  const key = codes.join(",");
  const hit = pathCache.get(key);
  if (hit) return hit;
  const features: Feature<Geometry, { code: string }>[] = codes.map((code) => ({ type: "Feature", geometry: contours.get(code) as Geometry, properties: { code } }));
  const collection: FeatureCollection<Geometry, { code: string }> = { type: "FeatureCollection", features };
  const projection = geoMercator().fitExtent(
    [
      [8, 8],
      [MAP_WIDTH - 8, MAP_HEIGHT - 8],
    ],
    collection,
  );
  const path = geoPath(projection).digits(1);
  const out = new Map(features.map((f) => [f.properties.code, path(f) ?? ""]));
  if (pathCache.size > 200) pathCache.delete(pathCache.keys().next().value!);
  pathCache.set(key, out);
  return out;
}

/** Indicators that can be drawn by commune (stored at commune level, or ratios of such). */
export function mappable(indicators: IndicatorRow[]): IndicatorRow[] {
  return indicators.filter((i) => i.levels.includes("commune"));
}

/** Periods with commune values for an indicator among the territory's communes. */
async function communePeriods(database: Database, indicator: IndicatorRow, communeCodes: string[]): Promise<string[]> {
  const id = indicator.aggregation === "ratio" ? indicator.denominatorId : indicator.id;
  if (!id) return [];
  const rows = await database.query<{ p: string }>(
    `SELECT DISTINCT to_char(period, 'YYYY-MM-DD') AS p FROM observations WHERE indicator_id = $1 AND geo_level = 'commune' AND geo_code = ANY($2::text[]) ORDER BY 1`,
    [id, communeCodes],
  );
  return rows.map((r) => r.p);
}

const fmtNum = (n: number, i: IndicatorRow) => formatCell({ value: n, status: "final" }, i);

/** The choropleth of one indicator over the territory's communes (quantile classes). */
export async function buildMapView(
  database: Database,
  geography: TerritoryGeography,
  indicators: IndicatorRow[],
  query: { carte?: string; periode?: string },
  contours: Map<string, unknown>,
  _territory: TerritoryRow,
): Promise<MapView> {
  const list = mappable(indicators);
  const indicator = list.find((i) => i.code === query.carte) ?? list.find((i) => i.code === "pop_municipale") ?? list[0];
  const view: MapView = { indicators: list.map((i) => ({ code: i.code, name: i.name })), indicator, periods: [], areas: [], classes: [], rows: [] };
  if (!indicator) return view;
  const codes = geography.communes.map((c) => c.code);
  view.periods = await communePeriods(database, indicator, codes);
  if (!view.periods.length) return view;
  const period = query.periode && view.periods.includes(query.periode) ? query.periode : view.periods[view.periods.length - 1];
  view.periodAdjusted = !!query.periode && query.periode !== period;
  view.period = period;
  const cells = await communeCells(database, indicator, geography.communes, period);
  const values = [...cells.values()].map((c) => c.value).filter((v): v is number => v != null);
  const breaks = quantileBreaks(values, 5);
  const n = breaks.length + 1;
  const sorted = [...values].sort((a, b) => a - b);
  const bounds = [sorted[0], ...breaks, sorted[sorted.length - 1]];
  view.classes = Array.from({ length: n }, (_, k) => ({
    className: `choro-${n}-${k}`,
    label: n === 1 ? fmtNum(bounds[0], indicator) : k === n - 1 ? `de ${fmtNum(bounds[k], indicator)} à ${fmtNum(bounds[k + 1], indicator)}` : `de ${fmtNum(bounds[k], indicator)} à moins de ${fmtNum(bounds[k + 1], indicator)}`,
  }));
  view.classes.push({ className: "choro-none", label: "pas de valeur (ou secret statistique), hachuré" });
  view.rows = geography.communes.map((c) => {
    const cell = cells.get(c.code);
    const className = cell?.value != null ? `choro-${n}-${classOf(cell.value, breaks)}` : "choro-none";
    return { code: c.code, name: c.name, cell, className };
  });
  view.rows.sort((a, b) => a.name.localeCompare(b.name, "fr"));
  const paths = communePaths(contours);
  for (const r of view.rows) {
    const d = paths.get(r.code);
    if (!d) continue;
    view.areas.push({
      code: r.code,
      name: r.name,
      d,
      className: r.className,
      label: `${r.name} : ${formatCell(r.cell, indicator)}${r.cell && r.cell.value != null && indicator.unit !== "%" ? ` ${indicator.unit}` : ""}`,
    });
  }
  return view;
}

/** Everything the indicator page shows. */
export async function buildIndicatorView(database: Database, geography: TerritoryGeography, indicator: IndicatorRow, all: IndicatorRow[], territory: TerritoryRow): Promise<IndicatorView> {
  const geos = [...geography.comparisons, ...(geography.epcis.length > 1 ? geography.epcis : [])];
  const cells = await loadCells(database, [indicator], geos, geography);
  const byGeo = cells.get(indicator.id) ?? new Map();
  const periods = periodsOf(byGeo);
  const table = geos.map((g) => periods.map((p) => byGeo.get(geoKey(g))?.get(p)));
  let chart: IndicatorView["chart"] = null;
  let chartKind: IndicatorView["chartKind"] = "line";
  const csvHref = `/t/${territory.slug}/observatoire/indicateurs/${indicator.code}/donnees.csv`;
  if (periods.length >= 2) {
    // Counts of very different sizes are compared as an index (base 100 at the first common period); rates as they are.
    const rate = indicator.unit === "%";
    // Compared: the geographies that have values (a local indicator has the territory's only).
    const cmp = geography.comparisons.filter((g) => byGeo.get(geoKey(g))?.size);
    const base = rate ? periods[0] : periods.find((p) => cmp.every((g) => byGeo.get(geoKey(g))?.get(p)?.value));
    if (base) {
      const ps = periods.filter((p) => p >= base);
      chart = {
        id: "serie",
        title: rate ? `${indicator.name} par territoire` : `${indicator.name} : évolution en indice base 100 (${periodLabel(base, indicator.periodicity)})`,
        categories: ps.map((p) => periodLabel(p, indicator.periodicity)),
        categoryLabel: "Période",
        series: cmp.map((g) => ({
          label: g.name,
          values: ps.map((p) => {
            const v = byGeo.get(geoKey(g))?.get(p)?.value;
            const b = byGeo.get(geoKey(g))?.get(base)?.value;
            return v == null ? null : rate ? v : b ? Math.round((v / b) * 1000) / 10 : null;
          }),
        })),
        unit: rate ? "%" : "indice",
        decimals: 1,
        source: `Source : ${indicator.source ?? "non précisée"}.`,
        csvHref,
      };
    }
  } else if (periods.length === 1 && indicator.unit === "%") {
    chartKind = "bar";
    chart = {
      id: "serie",
      title: `${indicator.name} (${periodLabel(periods[0], indicator.periodicity)})`,
      categories: geos.map((g) => g.name),
      categoryLabel: "Territoire",
      series: [{ label: indicator.name, values: geos.map((g) => byGeo.get(geoKey(g))?.get(periods[0])?.value ?? null) }],
      unit: indicator.unit,
      decimals: indicator.decimals,
      source: `Source : ${indicator.source ?? "non précisée"}.`,
      csvHref,
    };
  }
  let ranking: IndicatorView["ranking"] = null;
  if (indicator.levels.includes("commune")) {
    const ps = await communePeriods(database, indicator, geography.communes.map((c) => c.code));
    const period = ps[ps.length - 1];
    if (period) {
      const cc = await communeCells(database, indicator, geography.communes, period);
      const rows = geography.communes.flatMap((c) => (cc.get(c.code) ? [{ code: c.code, name: c.name, cell: cc.get(c.code)! }] : []));
      rows.sort((a, b) => (b.cell.value ?? -Infinity) - (a.cell.value ?? -Infinity) || a.name.localeCompare(b.name, "fr"));
      const top = rows.filter((r) => r.cell.value != null).slice(0, 15);
      ranking = {
        period,
        rows,
        chart: top.length
          ? {
              id: "classement-communes",
              title: `Les ${top.length} premières communes : ${indicator.name} (${periodLabel(period, indicator.periodicity)})`,
              categories: top.map((r) => r.name),
              categoryLabel: "Commune",
              series: [{ label: indicator.name, values: top.map((r) => r.cell.value), notes: top.map((r) => statusLabel(r.cell.status)) }],
              unit: indicator.unit,
              decimals: indicator.decimals,
              source: `Source : ${indicator.source ?? "non précisée"}.`,
              csvHref,
            }
          : null,
      };
    }
  }
  const actions = await database.query<{ id: number; number: number; title: string }>(
    `SELECT DISTINCT a.id, a.number, a.title FROM plan_action_indicators l
     JOIN plan_actions a ON a.id = l.action_id AND a.territory_id = l.territory_id
     JOIN plan_objectives o ON o.id = a.objective_id JOIN plan_themes t ON t.id = o.theme_id
     WHERE l.territory_id = $1 AND l.indicator_id = $2 AND l.visibility = 'published' AND a.visibility = 'published' AND a.archived_at IS NULL
       AND o.visibility = 'published' AND o.archived_at IS NULL AND t.visibility = 'published' AND t.archived_at IS NULL
     ORDER BY a.number`,
    [territory.id, indicator.id],
  );
  return {
    indicator,
    geos,
    periods,
    table,
    chart,
    chartKind,
    ranking,
    actions,
    numerator: all.find((x) => x.id === indicator.numeratorId),
    denominator: all.find((x) => x.id === indicator.denominatorId),
  };
}
