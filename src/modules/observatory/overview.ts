import type { Database } from "../../core/db/client.ts";
import type { ChartData } from "../../core/ui/charts.tsx";
import { formatNumber } from "../../core/i18n/format.ts";
import { OVERVIEW_INDICATORS, NAF_SECTIONS, WORKFORCE_CLASSES } from "./catalogue.ts";
import { evolution, periodLabel, statusLabel, type Cell } from "./model.ts";
import { geoKey, latestPeriod, loadCells, loadIndicators, loadTerritoryGeography, periodsOf, type Geo, type IndicatorRow, type SeriesByGeo, type TerritoryGeography } from "./queries.ts";

// The territory overview's data, shared by the page, its CSV downloads and the PDF diagnostic:
// key figures, comparison table and charts (ChartData), all from one read of the observations.

export interface ChartSpec {
  section: "population" | "emploi" | "etablissements" | "chomage";
  kind: "line" | "bar";
  orientation?: "horizontal" | "vertical";
  stacked?: boolean;
  fromZero?: boolean;
  data: ChartData;
}

export interface KeyFigure {
  code: string;
  label: string;
  value: string;
  unit: string;
  period: string;
  note: string | null;
  change: string | null;
}

export interface Overview {
  geography: TerritoryGeography;
  indicators: IndicatorRow[];
  /** Every indicator of the catalogue and of the territory (for the map's choice). */
  catalogue: IndicatorRow[];
  byCode: Map<string, IndicatorRow>;
  cells: Map<number, SeriesByGeo>;
  keyFigures: KeyFigure[];
  /** Rows: indicator; columns: the comparison geographies at the indicator's latest period. */
  comparison: { indicator: IndicatorRow; period: string; cells: (Cell | undefined)[] }[];
  charts: ChartSpec[];
  /** Sections whose charts were left out because every value is secret or unknown. */
  secretSections: Set<ChartSpec["section"]>;
  /** Every source cited by the overview's figures. */
  sources: string[];
}

/** A value as the page writes it: "17 457", "23,4 %", "secret statistique", "—". */
export function formatCell(cell: Cell | undefined, indicator: Pick<IndicatorRow, "decimals" | "unit">): string {
  if (!cell) return "—";
  if (cell.value == null) return statusLabel(cell.status) ?? "—";
  // Rates keep their decimals ("23,0 %"); counts show them only when there are some ("12,5", "42").
  const n = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: indicator.unit === "%" ? indicator.decimals : 0, maximumFractionDigits: indicator.decimals }).format(cell.value);
  return indicator.unit === "%" ? `${n} %` : n;
}

/** " (provisoire)" for a provisional value, "" for a final one. */
export function cellNote(cell: Cell | undefined): string | null {
  return cell && cell.value != null ? statusLabel(cell.status) : null;
}

const signed = (n: number, decimals = 1) => `${n > 0 ? "+" : n < 0 ? "−" : ""}${new Intl.NumberFormat("fr-FR", { maximumFractionDigits: decimals, minimumFractionDigits: decimals }).format(Math.abs(n))}`;

/** Index base 100 at the first period where every geography has a value. */
function indexSeries(ind: IndicatorRow, byGeo: SeriesByGeo, geos: Geo[]): { periods: string[]; values: (number | null)[][]; base: string } | null {
  const periods = periodsOf(byGeo).filter((p) => geos.some((g) => byGeo.get(geoKey(g))?.get(p)?.value != null));
  if (periods.length < 2) return null;
  const base = periods.find((p) => geos.every((g) => byGeo.get(geoKey(g))?.get(p)?.value));
  if (!base) return null;
  const values = geos.map((g) => {
    const s = byGeo.get(geoKey(g));
    const b = s?.get(base)?.value;
    return periods.map((p) => {
      const v = s?.get(p)?.value;
      return v == null || !b ? null : Math.round((v / b) * 1000) / 10;
    });
  });
  return { periods: periods.filter((p) => p >= base), values: values.map((v) => v.slice(periods.indexOf(base))), base };
}

/** Reads everything the overview shows for a territory (at a date: the latest periods up to it). */
export async function loadOverview(database: Database, territory: { id: number; name: string; slug: string }, at?: string): Promise<Overview> {
  const geography = await loadTerritoryGeography(database, territory);
  const all = await loadIndicators(database, territory.id);
  const byCode = new Map(all.filter((i) => i.territoryId == null).map((i) => [i.code, i]));
  const wanted = [
    ...OVERVIEW_INDICATORS,
    ...NAF_SECTIONS.map(([s]) => `sirene_naf_${s.toLowerCase()}`),
    ...WORKFORCE_CLASSES.map((c) => `sirene_tranche_${c.key}`),
  ]
    .map((c) => byCode.get(c))
    .filter((i): i is IndicatorRow => !!i);
  const local = all.filter((i) => i.territoryId === territory.id);
  const geos = [...geography.comparisons, ...geography.epcis];
  const cells = await loadCells(database, [...wanted, ...local], geos, geography, { to: at });
  const T = geography.territory;
  const csv = (id: string) => `/t/${territory.slug}/observatoire/graphique.csv?id=${id}${at ? `&date=${at}` : ""}`;
  const charts: ChartSpec[] = [];
  const sources = new Set<string>();
  const cmp = geography.comparisons;
  const seriesOf = (code: string) => {
    const i = byCode.get(code);
    return i ? { i, byGeo: cells.get(i.id) ?? new Map() } : undefined;
  };
  const territorySeries = (code: string) => seriesOf(code)?.byGeo.get(geoKey(T));
  const sourceOf = (i: IndicatorRow) => {
    if (i.source) sources.add(`${i.source}${i.licence ? ` — ${i.licence}` : ""}`);
    return `Source : ${i.source ?? "non précisée"}.`;
  };

  // Key figures: latest value for the territory and change since the previous period.
  const keyFigures: KeyFigure[] = [];
  for (const code of ["pop_municipale", "urssaf_effectifs", "urssaf_part_industrie", "sirene_etablissements", "sirene_part_industrie", "de_cat_a"]) {
    const s = seriesOf(code);
    const series = s?.byGeo.get(geoKey(T));
    const last = latestPeriod(series);
    if (!s || !last) continue;
    const cell = series!.get(last);
    const periods = [...series!.keys()].sort();
    const prev = periods[periods.indexOf(last) - 1];
    let change: string | null = null;
    if (prev) {
      if (s.i.unit === "%") {
        const a = series!.get(prev)?.value;
        if (a != null && cell?.value != null) change = `${signed(cell.value - a)} point depuis ${periodLabel(prev, s.i.periodicity)}`;
      } else {
        const e = evolution(series!.get(prev), cell);
        if (e != null) change = `${signed(e)} % depuis ${periodLabel(prev, s.i.periodicity)}`;
      }
    }
    sourceOf(s.i);
    keyFigures.push({ code, label: s.i.name, value: formatCell(cell, s.i), unit: s.i.unit === "%" ? "" : s.i.unit, period: periodLabel(last, s.i.periodicity), note: cellNote(cell), change });
  }

  // Comparison table.
  const comparison: Overview["comparison"] = [];
  for (const code of OVERVIEW_INDICATORS) {
    const s = seriesOf(code);
    const last = latestPeriod(s?.byGeo.get(geoKey(T)));
    if (!s || !last) continue;
    comparison.push({ indicator: s.i, period: last, cells: cmp.map((g) => s.byGeo.get(geoKey(g))?.get(last)) });
  }

  // Population.
  const pop = seriesOf("pop_municipale");
  if (pop) {
    const last = latestPeriod(pop.byGeo.get(geoKey(T)));
    if (last && geography.epcis.length > 1) {
      charts.push({
        section: "population",
        kind: "bar",
        orientation: "horizontal",
        data: {
          id: "population-epci",
          title: `Population municipale par intercommunalité (${periodLabel(last, "annual")})`,
          categories: geography.epcis.map((e) => e.name),
          categoryLabel: "Intercommunalité",
          series: [{ label: "Population municipale", values: geography.epcis.map((e) => pop.byGeo.get(geoKey(e))?.get(last)?.value ?? null) }],
          unit: "habitants",
          source: sourceOf(pop.i),
          csvHref: csv("population-epci"),
        },
      });
    }
    const idx = indexSeries(pop.i, pop.byGeo, cmp);
    if (idx) {
      charts.push({
        section: "population",
        kind: "line",
        fromZero: false,
        data: {
          id: "population-evolution",
          title: `Évolution de la population municipale (indice base 100 en ${periodLabel(idx.base, "annual")})`,
          description: `Population municipale de ${T.name} comparée à ${cmp.slice(1).map((g) => g.name).join(", ")}, en indice base 100 en ${periodLabel(idx.base, "annual")}. Les valeurs sont dans le tableau de données.`,
          categories: idx.periods.map((p) => periodLabel(p, "annual")),
          categoryLabel: "Année",
          series: cmp.map((g, i) => ({ label: g.name, values: idx.values[i] })),
          unit: "indice",
          decimals: 1,
          source: sourceOf(pop.i),
          csvHref: csv("population-evolution"),
        },
      });
    }
  }

  // Salaried jobs and industry.
  const jobs = territorySeries("urssaf_effectifs");
  const ind = territorySeries("urssaf_effectifs_industrie");
  const jobsI = seriesOf("urssaf_effectifs");
  if (jobs?.size && jobsI) {
    const periods = [...jobs.keys()].sort();
    charts.push({
      section: "emploi",
      kind: "bar",
      orientation: "vertical",
      stacked: true,
      data: {
        id: "emploi-industrie",
        title: `Emplois salariés privés de ${T.name} : industrie et autres secteurs`,
        categories: periods.map((p) => periodLabel(p, "annual")),
        categoryLabel: "Année (au 31 décembre)",
        series: [
          { label: "Industrie (sections B à E)", values: periods.map((p) => ind?.get(p)?.value ?? null), notes: periods.map((p) => statusLabel(ind?.get(p)?.status ?? "final")) },
          { label: "Autres secteurs", values: periods.map((p) => (jobs.get(p)?.value != null && ind?.get(p)?.value != null ? jobs.get(p)!.value! - ind.get(p)!.value! : null)) },
        ],
        unit: "emplois",
        source: sourceOf(jobsI.i),
        csvHref: csv("emploi-industrie"),
      },
    });
    const share = seriesOf("urssaf_part_industrie");
    const last = periods[periods.length - 1];
    if (share) {
      charts.push({
        section: "emploi",
        kind: "bar",
        orientation: "horizontal",
        data: {
          id: "emploi-part-industrie",
          title: `Part de l’industrie dans l’emploi salarié privé (${periodLabel(last, "annual")})`,
          description: `Part de l’industrie dans l’emploi salarié privé de ${T.name} comparée à ${cmp.slice(1).map((g) => g.name).join(", ")}, recalculée à chaque niveau à partir des effectifs.`,
          categories: cmp.map((g) => g.name),
          categoryLabel: "Territoire",
          series: [{ label: "Part de l’industrie", values: cmp.map((g) => share.byGeo.get(geoKey(g))?.get(last)?.value ?? null), notes: cmp.map((g) => statusLabel(share.byGeo.get(geoKey(g))?.get(last)?.status ?? "final")) }],
          unit: "%",
          decimals: 1,
          source: sourceOf(share.i),
          csvHref: csv("emploi-part-industrie"),
        },
      });
    }
    const idx = indexSeries(jobsI.i, jobsI.byGeo, cmp);
    if (idx) {
      charts.push({
        section: "emploi",
        kind: "line",
        fromZero: false,
        data: {
          id: "emploi-evolution",
          title: `Évolution de l’emploi salarié privé (indice base 100 en ${periodLabel(idx.base, "annual")})`,
          categories: idx.periods.map((p) => periodLabel(p, "annual")),
          categoryLabel: "Année",
          series: cmp.map((g, i) => ({ label: g.name, values: idx.values[i] })),
          unit: "indice",
          decimals: 1,
          source: sourceOf(jobsI.i),
          csvHref: csv("emploi-evolution"),
        },
      });
    }
  }

  // Establishments (Sirene).
  const estab = seriesOf("sirene_etablissements");
  const estabLast = latestPeriod(estab?.byGeo.get(geoKey(T)));
  if (estab && estabLast) {
    const sections = NAF_SECTIONS.map(([s, label]) => ({ s, label, cell: territorySeries(`sirene_naf_${s.toLowerCase()}`)?.get(estabLast) })).filter((x) => x.cell?.value);
    if (sections.length) {
      charts.push({
        section: "etablissements",
        kind: "bar",
        orientation: "horizontal",
        data: {
          id: "etablissements-sections",
          title: `Établissements actifs par secteur d’activité (${periodLabel(estabLast, "punctual")})`,
          categories: sections.map((x) => `${x.s} – ${x.label}`),
          categoryLabel: "Section NAF rév. 2",
          series: [{ label: "Établissements actifs", values: sections.map((x) => x.cell?.value ?? null) }],
          unit: "établissements",
          source: sourceOf(estab.i),
          csvHref: csv("etablissements-sections"),
        },
      });
    }
    const sizes = WORKFORCE_CLASSES.map((c) => ({ c, cell: territorySeries(`sirene_tranche_${c.key}`)?.get(estabLast) }));
    if (sizes.some((x) => x.cell?.value)) {
      charts.push({
        section: "etablissements",
        kind: "bar",
        orientation: "horizontal",
        data: {
          id: "etablissements-taille",
          title: `Établissements actifs par taille (${periodLabel(estabLast, "punctual")})`,
          categories: sizes.map((x) => x.c.label.replace(/^de /, "").replace(/^sans/, "Sans")),
          categoryLabel: "Tranche d’effectifs salariés",
          series: [{ label: "Établissements actifs", values: sizes.map((x) => x.cell?.value ?? null) }],
          unit: "établissements",
          source: sourceOf(estab.i),
          csvHref: csv("etablissements-taille"),
        },
      });
    }
    const share = seriesOf("sirene_part_industrie");
    if (share) {
      charts.push({
        section: "etablissements",
        kind: "bar",
        orientation: "horizontal",
        data: {
          id: "etablissements-part-industrie",
          title: `Part de l’industrie dans les établissements actifs (${periodLabel(estabLast, "punctual")})`,
          categories: cmp.map((g) => g.name),
          categoryLabel: "Territoire",
          series: [{ label: "Part de l’industrie", values: cmp.map((g) => share.byGeo.get(geoKey(g))?.get(estabLast)?.value ?? null) }],
          unit: "%",
          decimals: 1,
          source: sourceOf(share.i),
          csvHref: csv("etablissements-part-industrie"),
        },
      });
    }
  }

  // Jobseekers.
  const de = seriesOf("de_cat_a");
  const deT = de?.byGeo.get(geoKey(T));
  if (de && deT?.size) {
    const periods = [...deT.keys()].sort();
    charts.push({
      section: "chomage",
      kind: "bar",
      orientation: "vertical",
      data: {
        id: "chomage-niveau",
        title: `Demandeurs d’emploi en catégorie A à ${T.name}`,
        categories: periods.map((p) => periodLabel(p, "quarterly")),
        categoryLabel: "Trimestre",
        series: [{ label: "Catégorie A", values: periods.map((p) => deT.get(p)?.value ?? null), notes: periods.map((p) => statusLabel(deT.get(p)?.status ?? "final")) }],
        unit: "personnes",
        source: sourceOf(de.i),
        csvHref: csv("chomage-niveau"),
      },
    });
    const idx = indexSeries(de.i, de.byGeo, cmp);
    if (idx) {
      charts.push({
        section: "chomage",
        kind: "line",
        fromZero: false,
        data: {
          id: "chomage-evolution",
          title: `Évolution des demandeurs d’emploi en catégorie A (indice base 100 au ${periodLabel(idx.base, "quarterly")})`,
          categories: idx.periods.map((p) => periodLabel(p, "quarterly")),
          categoryLabel: "Trimestre",
          series: cmp.map((g, i) => ({ label: g.name, values: idx.values[i] })),
          unit: "indice",
          decimals: 1,
          source: sourceOf(de.i),
          csvHref: csv("chomage-evolution"),
        },
      });
    }
  }
  // A chart whose every value is unknown or secret says so in words rather than drawing nothing.
  const secretSections = new Set<ChartSpec["section"]>();
  const drawn = charts.filter((c) => {
    const any = c.data.series.some((s) => s.values.some((v) => v != null));
    if (!any) secretSections.add(c.section);
    return any;
  });
  return { geography, indicators: [...wanted, ...local], catalogue: all, byCode, cells, keyFigures, comparison, charts: drawn, secretSections, sources: [...sources] };
}

/** "17 457 habitants" for the key figure list. */
export function keyFigureText(k: KeyFigure): string {
  return `${k.value}${k.unit && /\d/.test(k.value) ? ` ${k.unit}` : ""}`;
}

export { formatNumber };
