// "Bilan d'avancement": the progress report of a territory's plan as PDF (pdfkit, no browser) and
// as XLSX, for a committee or the funders. Follow-up content: confidential items included.
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { chartSvg, createPdfReport } from "../../../core/formats/pdf.ts";
import { writeWorkbook } from "../../../core/formats/xlsx.ts";
import { formatDate, formatDateTime } from "../../../core/i18n/format.ts";
import { BarChart, type ChartData } from "../../../core/ui/charts.tsx";
import { COST_NATURE_LABELS, currentTarget, formatEuros, FUNDER_KIND_LABELS, isMilestoneLate, PRIORITY_LABELS, PROGRESS_MODE_LABELS } from "../../plan/api.ts";
import { dashboardView, daysLabel } from "../charts.ts";
import { actionFigures, euros, keyFigures, STATUS_UNKNOWN, type DashboardData } from "../model.ts";
import { STATUS_LABELS } from "../../plan/api.ts";

export const RESTRICTED = "Document de suivi – diffusion restreinte";

const statusText = (s: keyof typeof STATUS_LABELS | null) => (s ? STATUS_LABELS[s] : STATUS_UNKNOWN);
const pct = (n: number | null) => (n === null ? "non renseigné" : `${n.toLocaleString("fr-FR", { maximumFractionDigits: 1 })} %`);
const num = (n: number | null, decimals = 0) => (n === null ? "—" : n.toLocaleString("fr-FR", { maximumFractionDigits: Math.max(decimals, 2) }));

function svgOf(chart: ChartData, stacked = false): string | null {
  return chartSvg(renderToString(h(BarChart, { ...chart, stacked })));
}

/** File name of a report: "bilan-d-avancement-{slug}-{date}.pdf". */
export const bilanFileName = (slug: string, today: string, ext: "pdf" | "xlsx") => `bilan-d-avancement-${slug}-${today}.${ext}`;

/** The progress report as PDF: summary with key figures, charts, then one page per action. */
export async function bilanPdf(d: DashboardData, opts: { generatedAt?: Date } = {}): Promise<Buffer> {
  const generatedAt = opts.generatedAt ?? new Date();
  const figures = actionFigures(d);
  const keys = keyFigures(d, figures);
  const view = dashboardView(d, { categoryLabel: "Thématique", csvBase: "" });
  const r = createPdfReport({
    title: `Bilan d’avancement – ${d.territory.name}`,
    subtitle: `Plan d’actions au ${formatDate(d.today)}`,
    date: generatedAt,
    footerNote: `${RESTRICTED} – ${d.territory.name}`,
  });
  r.heading(`Bilan d’avancement du plan d’actions`);
  r.paragraph(`${d.territory.name} – situation au ${formatDate(d.today)}, établie le ${formatDateTime(generatedAt)}.`, { muted: true });
  r.paragraph(`${RESTRICTED}. Ce bilan comprend les actions publiées et confidentielles, hors brouillons et archives, et les dernières notes de suivi : il est réservé à l’équipe du territoire, aux membres de ses comités et à ses financeurs.`, { bold: true });
  r.heading("Synthèse", 2);
  r.keyFigures([
    { label: "actions suivies", value: keys.actions.toLocaleString("fr-FR") },
    { label: "actions réalisées", value: keys.done.toLocaleString("fr-FR") },
    { label: "actions en cours", value: keys.inProgress.toLocaleString("fr-FR") },
    { label: "avancement moyen", value: pct(keys.averageProgress) },
    { label: "actions en retard", value: keys.late.toLocaleString("fr-FR") },
    { label: "jalons en retard", value: keys.lateMilestones.toLocaleString("fr-FR") },
    { label: "coût prévisionnel", value: formatEuros(keys.money.plannedCost) },
    { label: `accordés (${pct(keys.money.coverage)} du coût)`, value: formatEuros(keys.money.granted) },
  ]);
  r.table(
    [{ header: "Thématique", width: 4 }, ...view.statuses.series.map((s) => ({ header: s.label, width: 1.3, align: "right" as const })), { header: "Total", width: 1, align: "right" as const }],
    view.statuses.categories.map((c, i) => [c, ...view.statuses.series.map((s) => s.values[i] ?? 0), view.statuses.series.reduce((t, s) => t + (s.values[i] ?? 0), 0)]),
    { caption: "Actions par statut et par thématique", empty: "Aucune action suivie." },
  );
  if (view.statuses.categories.length) {
    const svg = svgOf(view.statuses, true);
    if (svg) {
      r.legend(view.statuses.series.map((s) => s.label));
      r.svg(svg);
    }
  }
  r.table(
    [{ header: "Thématique", width: 4 }, { header: "Actions", align: "right" }, { header: "Mesurées", align: "right" }, { header: "Avancement moyen", width: 1.4, align: "right" }, { header: "En retard", align: "right" }],
    view.progress.categories.map((c, i) => {
      const f = figures.filter((x) => x.action.themeTitle === c);
      return [c, f.length, f.filter((x) => x.progress !== null).length, pct(view.progress.series[0]!.values[i] ?? null), f.filter((x) => x.late).length];
    }),
    { caption: "Avancement par thématique" },
  );
  r.heading("Budget et financements", 2);
  r.definitions([
    ["Coût prévisionnel", formatEuros(keys.money.plannedCost)],
    ["Demandé", formatEuros(keys.money.requested)],
    ["Accordé", formatEuros(keys.money.granted)],
    ["Versé", formatEuros(keys.money.paid)],
    ["Reste à couvrir", formatEuros(Math.max(0, keys.money.notCovered))],
  ]);
  r.table(
    [{ header: "Type de financeur", width: 2 }, { header: "Demandé", align: "right" }, { header: "Accordé", align: "right" }, { header: "Versé", align: "right" }],
    keys.money.byKind.map((k) => [k.label, formatEuros(k.requested), formatEuros(k.granted), formatEuros(k.paid)]),
    { caption: "Financements par type de financeur", empty: "Aucun plan de financement renseigné." },
  );
  if (view.money.categories.length) {
    const svg = svgOf(view.money);
    if (svg) {
      r.legend(view.money.series.map((s) => s.label));
      r.svg(svg);
    }
  }
  r.heading("Jalons en retard", 2);
  r.table(
    [{ header: "Action", width: 3 }, { header: "Jalon", width: 3 }, { header: "Échéance", width: 1.5 }, { header: "Retard", width: 1.2, align: "right" }],
    view.late.map((l) => [`${l.actionNumber}. ${l.actionTitle}`, l.milestone, formatDate(l.dueDate), daysLabel(l.daysLate)]),
    { empty: "Aucun jalon en retard." },
  );
  r.heading("Indicateurs", 2);
  r.table(
    [{ header: "Action", width: 2.5 }, { header: "Indicateur", width: 2.5 }, { header: "Référence", align: "right" }, { header: "Dernière valeur", align: "right" }, { header: "Cible", align: "right" }, { header: "Atteinte", align: "right" }],
    view.indicatorRows.map((i) => [`${i.actionNumber}. ${i.actionTitle}`, `${i.indicator} (${i.unit})`, num(i.baseline), num(i.latest), num(i.target), pct(i.achievement)]),
    { empty: "Aucun indicateur n’est rattaché aux actions." },
  );

  for (const f of figures) {
    const a = f.action;
    r.newPage();
    r.heading(`Action ${a.number} – ${a.title}`, 1);
    r.paragraph(`${a.themeTitle} › ${a.objectiveTitle}${a.visibility === "confidential" ? " – CONFIDENTIELLE" : ""}`, { muted: true });
    r.definitions([
      ["Statut", statusText(a.status)],
      ["Avancement", `${pct(f.progress)} (${PROGRESS_MODE_LABELS[a.progressMode]})`],
      ["Calendrier", `${a.startDate ? `début ${formatDate(a.startDate)}` : "début non renseigné"} ; ${a.plannedEndDate ? `fin prévue ${formatDate(a.plannedEndDate)}` : "fin prévue non renseignée"}${f.overdue ? ` – échéance dépassée de ${daysLabel(f.daysOverdue)}` : ""}`],
      ["Porteur", a.lead ?? "non renseigné"],
      ["Partenaires", a.partners.length ? a.partners.join(", ") : "aucun"],
      ["Partenariat avec l’autre intercommunalité", a.joint ? "oui" : "non"],
      ["Élu référent", a.referentElu ?? "non renseigné"],
      ["Pilotes", a.pilots.length ? a.pilots.join(", ") : "aucun"],
      ["Priorité", PRIORITY_LABELS[a.priority as keyof typeof PRIORITY_LABELS] ?? a.priority],
      ...(a.tags.length ? ([["Étiquettes", a.tags.join(", ")]] as [string, string][]) : []),
    ]);
    if (a.description) r.paragraph(a.description);
    r.table(
      [{ header: "Jalon", width: 4 }, { header: "Échéance", width: 1.6 }, { header: "Réalisé le", width: 1.6 }, { header: "État", width: 1.4 }],
      f.milestones.map((m) => [m.name, formatDate(m.dueDate), m.doneDate ? formatDate(m.doneDate) : "—", m.doneDate ? "réalisé" : isMilestoneLate(m, d.today) ? "en retard" : "à venir"]),
      { caption: "Jalons", empty: "Aucun jalon." },
    );
    r.table(
      [{ header: "Financeur", width: 3 }, { header: "Type", width: 1.6 }, { header: "Demandé", width: 1.4, align: "right" }, { header: "Accordé", width: 1.4, align: "right" }, { header: "Versé", width: 1.4, align: "right" }],
      [
        ...f.financing.map((l) => [l.funderName, FUNDER_KIND_LABELS[l.funderKind], formatEuros(l.requestedCents), formatEuros(l.grantedCents), formatEuros(l.paidCents)]),
        ...(f.financing.length ? [["Total", "", formatEuros(f.requested), formatEuros(f.granted), formatEuros(f.paid)]] : []),
      ],
      { caption: `Financements (coût prévisionnel : ${formatEuros(f.plannedCost)})`, empty: "Aucun plan de financement." },
    );
    if (f.indicators.length) {
      r.table(
        [{ header: "Indicateur", width: 3 }, { header: "Référence", align: "right" }, { header: "Dernière valeur", align: "right" }, { header: "Cible", align: "right" }],
        f.indicators.map((i) => {
          const t = currentTarget(i.targets, d.today);
          return [`${i.name} (${i.unit})`, num(i.baselineValue), i.latest ? `${num(i.latest.value)} (${formatDate(i.latest.period)})` : "—", t ? `${num(t.value)} (${formatDate(t.targetDate)})` : "—"];
        }),
        { caption: "Indicateurs" },
      );
    }
    r.heading("Dernières notes de suivi", 3);
    if (f.notes.length) {
      for (const n of f.notes) {
        r.paragraph(`${formatDateTime(n.at)}${n.author ? ` – ${n.author}` : ""}${n.visibility === "confidential" ? " (confidentielle)" : ""}`, { bold: true, size: 9 });
        r.paragraph(n.body, { size: 9.5 });
      }
    } else r.paragraph("Aucune note de suivi.", { muted: true });
  }
  return r.finish();
}

/** The progress report as XLSX: sheets Actions, Jalons, Financements, Budget, Indicateurs. */
export async function bilanXlsx(d: DashboardData, opts: { generatedAt?: Date } = {}): Promise<Buffer> {
  const figures = actionFigures(d);
  const byId = new Map(figures.map((f) => [f.action.id, f]));
  return writeWorkbook(
    [
      {
        name: "Actions",
        columns: [
          { header: "N°", key: "n", type: "integer" },
          { header: "Thématique", key: "theme" },
          { header: "Objectif", key: "objective" },
          { header: "Action", key: "title" },
          { header: "Statut", key: "status" },
          { header: "Visibilité", key: "visibility" },
          { header: "Avancement", key: "progress", type: "percent" },
          { header: "Mode d’avancement", key: "mode" },
          { header: "Date de début", key: "start", type: "date" },
          { header: "Date de fin prévue", key: "end", type: "date" },
          { header: "En retard", key: "late", type: "boolean" },
          { header: "Jalons en retard", key: "lateMilestones", type: "integer" },
          { header: "Porteur", key: "lead" },
          { header: "Partenaires", key: "partners" },
          { header: "Partenariat ◆", key: "joint", type: "boolean" },
          { header: "Élu référent", key: "referent" },
          { header: "Pilotes", key: "pilots" },
          { header: "Priorité", key: "priority" },
          { header: "Étiquettes", key: "tags" },
          { header: "Coût prévisionnel", key: "cost", type: "euro" },
          { header: "Demandé", key: "requested", type: "euro" },
          { header: "Accordé", key: "granted", type: "euro" },
          { header: "Versé", key: "paid", type: "euro" },
          { header: "Dernière note", key: "note" },
        ],
        rows: figures.map((f) => ({
          n: f.action.number,
          theme: f.action.themeTitle,
          objective: f.action.objectiveTitle,
          title: f.action.title,
          status: statusText(f.action.status),
          visibility: f.action.visibility === "confidential" ? "Confidentielle" : "Publiée",
          progress: f.progress === null ? null : f.progress / 100,
          mode: PROGRESS_MODE_LABELS[f.action.progressMode],
          start: f.action.startDate,
          end: f.action.plannedEndDate,
          late: f.late,
          lateMilestones: f.lateMilestones,
          lead: f.action.lead,
          partners: f.action.partners.join(", "),
          joint: f.action.joint,
          referent: f.action.referentElu,
          pilots: f.action.pilots.join(", "),
          priority: PRIORITY_LABELS[f.action.priority as keyof typeof PRIORITY_LABELS] ?? f.action.priority,
          tags: f.action.tags.join(", "),
          cost: euros(f.plannedCost),
          requested: euros(f.requested),
          granted: euros(f.granted),
          paid: euros(f.paid),
          note: f.notes[0] ? `${formatDate(f.notes[0].at)} : ${f.notes[0].body}` : null,
        })),
      },
      {
        name: "Jalons",
        columns: [
          { header: "N° action", key: "n", type: "integer" },
          { header: "Action", key: "action" },
          { header: "Jalon", key: "name" },
          { header: "Échéance", key: "due", type: "date" },
          { header: "Réalisé le", key: "done", type: "date" },
          { header: "En retard", key: "late", type: "boolean" },
        ],
        rows: figures.flatMap((f) =>
          f.milestones.map((m) => ({ n: f.action.number, action: f.action.title, name: m.name, due: m.dueDate, done: m.doneDate, late: isMilestoneLate(m, d.today) && f.action.status !== "done" && f.action.status !== "abandoned" })),
        ),
      },
      {
        name: "Financements",
        columns: [
          { header: "N° action", key: "n", type: "integer" },
          { header: "Action", key: "action" },
          { header: "Type de financeur", key: "kind" },
          { header: "Financeur", key: "funder" },
          { header: "Demandé", key: "requested", type: "euro" },
          { header: "Accordé", key: "granted", type: "euro" },
          { header: "Versé", key: "paid", type: "euro" },
          { header: "Commentaire", key: "comment" },
        ],
        rows: d.financing.map((l) => ({
          n: byId.get(l.actionId)?.action.number,
          action: byId.get(l.actionId)?.action.title,
          kind: FUNDER_KIND_LABELS[l.funderKind],
          funder: l.funderName,
          requested: euros(l.requestedCents),
          granted: euros(l.grantedCents),
          paid: euros(l.paidCents),
          comment: l.comment,
        })),
      },
      {
        name: "Budget",
        columns: [
          { header: "N° action", key: "n", type: "integer" },
          { header: "Action", key: "action" },
          { header: "Année", key: "year", type: "integer" },
          { header: "Nature", key: "nature" },
          { header: "Montant", key: "amount", type: "euro" },
        ],
        rows: [...d.budget]
          .sort((a, b) => (byId.get(a.actionId)?.action.number ?? 0) - (byId.get(b.actionId)?.action.number ?? 0) || a.year - b.year)
          .map((b) => ({ n: byId.get(b.actionId)?.action.number, action: byId.get(b.actionId)?.action.title, year: b.year, nature: COST_NATURE_LABELS[b.nature], amount: euros(b.amountCents) })),
      },
      {
        name: "Indicateurs",
        columns: [
          { header: "N° action", key: "n", type: "integer" },
          { header: "Action", key: "action" },
          { header: "Indicateur", key: "name" },
          { header: "Unité", key: "unit" },
          { header: "Valeur de référence", key: "baseline", type: "number" },
          { header: "Date de référence", key: "baselineDate", type: "date" },
          { header: "Dernière valeur", key: "latest", type: "number" },
          { header: "Période", key: "period", type: "date" },
          { header: "Cible", key: "target", type: "number" },
          { header: "Échéance de la cible", key: "targetDate", type: "date" },
        ],
        rows: d.indicators.map((i) => {
          const t = currentTarget(i.targets, d.today);
          return {
            n: byId.get(i.actionId)?.action.number,
            action: byId.get(i.actionId)?.action.title,
            name: i.name,
            unit: i.unit,
            baseline: i.baselineValue,
            baselineDate: i.baselineDate,
            latest: i.latest?.value ?? null,
            period: i.latest?.period ?? null,
            target: t?.value ?? null,
            targetDate: t?.targetDate ?? null,
          };
        }),
      },
    ],
    { title: `Bilan d’avancement – ${d.territory.name} – ${d.today}`, created: opts.generatedAt },
  );
}
