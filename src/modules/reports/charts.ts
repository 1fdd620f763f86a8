// The dashboard's charts and tables as data: the same figures feed the page (SVG + data table),
// the CSV downloads, the PDF and the XLSX report.
import type { ChartData } from "../../core/ui/charts.tsx";
import { toCsv } from "../../core/formats/csv.ts";
import { chartCsv } from "../../core/ui/charts.tsx";
import { formatDate } from "../../core/i18n/format.ts";
import {
  actionFigures,
  euros,
  indicatorStatuses,
  lateMilestones,
  moneySummary,
  progressByTheme,
  statusByTheme,
  type DashboardData,
  type IndicatorStatus,
  type LateMilestone,
} from "./model.ts";

export const CHART_IDS = ["statuts", "avancement", "jalons-en-retard", "financements", "indicateurs"] as const;
export type ChartId = (typeof CHART_IDS)[number];

export interface DashboardView {
  statuses: ChartData;
  progress: ChartData;
  money: ChartData;
  indicators: ChartData;
  late: LateMilestone[];
  indicatorRows: IndicatorStatus[];
}

/**
 * The dashboard's figures. `categoryLabel` names the rows ("Thématique", or "Territoire" for the
 * dashboard across territories); `csvBase` is the address the CSV names are appended to.
 */
export function dashboardView(d: DashboardData, opts: { categoryLabel: string; csvBase: string }): DashboardView {
  const figures = actionFigures(d);
  const byTheme = statusByTheme(d);
  const progress = progressByTheme(d, figures);
  const money = moneySummary(d);
  const indicatorRows = indicatorStatuses(d);
  const csv = (id: ChartId) => `${opts.csvBase}/${id}.csv`;
  return {
    statuses: {
      id: "statuts",
      title: `Actions par statut et par ${opts.categoryLabel.toLowerCase()}`,
      description: `Nombre d’actions de chaque statut, par ${opts.categoryLabel.toLowerCase()} (barres empilées). Les valeurs figurent dans le tableau de données qui suit.`,
      categories: byTheme.themes,
      series: byTheme.columns.map((c, i) => ({ label: c.label, values: byTheme.counts.map((row) => row[i]!) })),
      unit: "actions",
      categoryLabel: opts.categoryLabel,
      csvHref: csv("statuts"),
    },
    progress: {
      id: "avancement",
      title: `Avancement moyen par ${opts.categoryLabel.toLowerCase()}`,
      description: "Moyenne de l’avancement des actions dont l’avancement est connu (saisi, ou calculé à partir des jalons réalisés ; une action réalisée compte pour 100 %).",
      categories: progress.map((p) => p.theme),
      series: [{ label: "Avancement moyen", values: progress.map((p) => p.average), notes: progress.map((p) => (p.average === null ? "non mesuré" : `${p.measured} action${p.measured > 1 ? "s" : ""} mesurée${p.measured > 1 ? "s" : ""} sur ${p.actions}`)) }],
      unit: "%",
      decimals: 1,
      categoryLabel: opts.categoryLabel,
      csvHref: csv("avancement"),
    },
    money: {
      id: "financements",
      title: "Financements prévus, accordés et versés, par type de financeur",
      description: `Montants en euros. Coût prévisionnel des actions : ${euros(money.plannedCost).toLocaleString("fr-FR")} €, dont ${euros(money.granted).toLocaleString("fr-FR")} € accordés.`,
      categories: money.byKind.map((k) => k.label),
      series: [
        { label: "Demandé", values: money.byKind.map((k) => euros(k.requested)) },
        { label: "Accordé", values: money.byKind.map((k) => euros(k.granted)) },
        { label: "Versé", values: money.byKind.map((k) => euros(k.paid)) },
      ],
      unit: "€",
      categoryLabel: "Type de financeur",
      csvHref: csv("financements"),
    },
    indicators: {
      id: "indicateurs",
      title: "Indicateurs : atteinte de la cible",
      description: "Chemin parcouru depuis la valeur de référence vers la cible en vigueur (100 % : cible atteinte).",
      categories: indicatorRows.map((r) => `${r.actionNumber}. ${r.indicator}`),
      series: [{ label: "Atteinte de la cible", values: indicatorRows.map((r) => r.achievement), notes: indicatorRows.map((r) => (r.achievement === null ? "non mesurée" : null)) }],
      unit: "%",
      decimals: 1,
      categoryLabel: "Indicateur",
      csvHref: csv("indicateurs"),
    },
    late: lateMilestones(d),
    indicatorRows,
  };
}

/** The CSV of one chart or table of the dashboard (UTF-8 with BOM, `;`). */
export function dashboardCsv(view: DashboardView, id: ChartId, opts: { withTerritory?: boolean } = {}): string {
  switch (id) {
    case "statuts":
      return chartCsv(view.statuses);
    case "avancement":
      return chartCsv(view.progress);
    case "financements":
      return chartCsv(view.money);
    case "jalons-en-retard":
      return toCsv(
        [opts.withTerritory ? "Territoire" : "Thématique", "N° action", "Action", "Jalon", "Échéance", "Jours de retard"],
        view.late.map((l) => [l.theme, l.actionNumber, l.actionTitle, l.milestone, l.dueDate, l.daysLate]),
      );
    case "indicateurs":
      return toCsv(
        ["N° action", "Action", "Indicateur", "Unité", "Valeur de référence", "Dernière valeur", "Période", "Cible", "Échéance de la cible", "Atteinte de la cible (%)"],
        view.indicatorRows.map((r) => [r.actionNumber, r.actionTitle, r.indicator, r.unit, r.baseline, r.latest, r.latestPeriod, r.target, r.targetDate, r.achievement]),
      );
  }
}

/** "12 jours", "1 jour". */
export const daysLabel = (n: number) => `${n.toLocaleString("fr-FR")} jour${n > 1 ? "s" : ""}`;
export const dueLabel = (d: string) => formatDate(d);

/**
 * Several territories as one dashboard: each territory becomes a row (the place of a theme), so
 * the same computations compare them.
 */
export function mergeTerritories(list: DashboardData[], today: string): DashboardData {
  return {
    territory: { id: 0, slug: "", name: "Territoires suivis" },
    today,
    themes: list.map((d) => ({ id: -d.territory.id, title: d.territory.name })),
    actions: list.flatMap((d) => d.actions.map((a) => ({ ...a, themeId: -d.territory.id, themeTitle: d.territory.name }))),
    milestones: list.flatMap((d) => d.milestones),
    budget: list.flatMap((d) => d.budget),
    financing: list.flatMap((d) => d.financing),
    indicators: list.flatMap((d) => d.indicators),
    notes: list.flatMap((d) => d.notes),
  };
}
