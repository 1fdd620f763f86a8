// Pieces of the action sheet shared by the back-office sheet and the public / follow-up action page.
import type { ComponentChildren } from "preact";
import { formatDate, formatDateTime, formatNumber } from "../../../core/i18n/format.ts";
import { EmptyState } from "../../../core/ui/components.tsx";
import type { FieldErrors, FormValues } from "../../../core/forms/index.ts";
import { statusLabel, type ActionStatus } from "../model.ts";
import {
  COST_NATURE_LABELS,
  currentTarget,
  formatEuros,
  FUNDER_KIND_LABELS,
  isMilestoneLate,
  LINK_KIND_LABELS,
  milestoneDaysLate,
  timeline,
  type TimelineEvent,
} from "../followup-model.ts";
import type { ActionSheet, SheetIndicator } from "../queries/action-sheet.ts";
import { plural } from "../model.ts";

/** The progress of an action: a native progress bar with its figure in words (never colour alone). */
export function ProgressBar({ sheet, id }: { sheet: ActionSheet; id: string }) {
  const p = sheet.progress;
  if (p.percent === null) {
    return <p class="progress-none">Avancement non renseigné{p.mode === "milestones" ? " (aucun jalon n’est encore défini)" : ""}.</p>;
  }
  return (
    <div class="progress-block">
      <p id={`${id}-label`} class="progress-label">
        Avancement : <strong>{p.percent} %</strong> <span class="hint-inline">({p.label})</span>
      </p>
      <progress class="progress-bar" max={100} value={p.percent} aria-labelledby={`${id}-label`}>
        {p.percent} %
      </progress>
    </div>
  );
}

/** The lateness of an action, in words. */
export function LatenessNotice({ sheet }: { sheet: ActionSheet }) {
  const l = sheet.lateness;
  if (!l.late) return null;
  const parts: string[] = [];
  if (l.overdue) parts.push(`la fin prévue (${formatDate(sheet.action.plannedEndDate)}) est dépassée de ${plural(l.daysOverdue, "jour", "jours")}`);
  if (l.lateMilestones) parts.push(`${plural(l.lateMilestones, "jalon est", "jalons sont")} en retard`);
  return (
    <p class="notice notice-warning">
      <strong>En retard :</strong> {parts.join(" ; ")}.
    </p>
  );
}

export function MilestoneState({ m, today }: { m: { dueDate: string | null; doneDate: string | null }; today: string }) {
  if (m.doneDate) return <span class="milestone-state milestone-done">✓ Réalisé le {formatDate(m.doneDate)}</span>;
  if (isMilestoneLate(m, today)) return <span class="milestone-state milestone-late">⚠ En retard de {plural(milestoneDaysLate(m, today), "jour", "jours")}</span>;
  return <span class="milestone-state milestone-open">À venir</span>;
}

/** The milestones as a read-only table. */
export function MilestonesTable({ sheet, caption }: { sheet: ActionSheet; caption: string }) {
  if (!sheet.milestones.length) return <EmptyState>Aucun jalon n’est encore défini pour cette action.</EmptyState>;
  return (
    <div class="table-scroll">
      <table class="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Jalon</th>
            <th scope="col">Échéance</th>
            <th scope="col">État</th>
          </tr>
        </thead>
        <tbody>
          {sheet.milestones.map((m) => (
            <tr>
              <th scope="row">{m.name}</th>
              <td>{m.dueDate ? formatDate(m.dueDate) : "Non fixée"}</td>
              <td>
                <MilestoneState m={m} today={sheet.today} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Status changes, milestones done and notes, newest first. */
export function Timeline({ sheet, withNotes = true }: { sheet: ActionSheet; withNotes?: boolean }) {
  const events: TimelineEvent[] = [
    ...sheet.statusChanges.map((c) => ({
      at: c.at.toISOString(),
      kind: "status" as const,
      title: c.fromStatus === null && c.toStatus !== null ? `Statut : ${statusLabel(c.toStatus as ActionStatus)}` : `Statut : ${statusLabel(c.fromStatus as ActionStatus | null)} → ${statusLabel(c.toStatus as ActionStatus | null)}`,
      detail: [c.comment, c.author ? `par ${c.author}` : null].filter(Boolean).join(" — ") || null,
    })),
    ...sheet.milestones.filter((m) => m.doneDate).map((m) => ({ at: m.doneDate!, kind: "milestone" as const, title: `Jalon réalisé : ${m.name}`, detail: null })),
    ...(withNotes ? sheet.notes.map((n) => ({ at: n.at.toISOString(), kind: "note" as const, title: "Note de suivi", detail: n.body + (n.author ? ` — ${n.author}` : "") })) : []),
  ];
  const ordered = timeline(events);
  if (!ordered.length) return <EmptyState>Rien n’est encore arrivé à cette action.</EmptyState>;
  return (
    <ol class="timeline">
      {ordered.map((e) => (
        <li class={`timeline-${e.kind}`}>
          <p class="timeline-date">{/^\d{4}-\d{2}-\d{2}$/.test(e.at) ? formatDate(e.at) : formatDateTime(new Date(e.at))}</p>
          <p class="timeline-title">{e.title}</p>
          {e.detail ? <p class="timeline-detail">{e.detail}</p> : null}
        </li>
      ))}
    </ol>
  );
}

const formatValue = (v: number | null, decimals: number) => (v === null ? "—" : new Intl.NumberFormat("fr-FR", { maximumFractionDigits: decimals, minimumFractionDigits: 0 }).format(v));

/** One indicator: baseline, targets by date, actual values by date with their source. */
export function IndicatorBlock({ ind, today, headingLevel = 3, children }: { ind: SheetIndicator; today: string; headingLevel?: 3 | 4; children?: ComponentChildren }) {
  const H = headingLevel === 3 ? "h3" : "h4";
  const latest = [...ind.values].reverse().find((v) => v.value !== null);
  const target = currentTarget(ind.targets, today);
  return (
    <section class="indicator" aria-labelledby={`indicateur-${ind.id}`}>
      <H id={`indicateur-${ind.id}`}>
        {ind.name} <span class="hint-inline">({ind.unit})</span>
      </H>
      <dl class="facts">
        <dt>Valeur de référence</dt>
        <dd>{ind.baselineValue === null ? "Non renseignée" : `${formatValue(ind.baselineValue, ind.decimals)} ${ind.unit}${ind.baselineDate ? ` au ${formatDate(ind.baselineDate)}` : ""}`}</dd>
        <dt>Dernière valeur</dt>
        <dd>{latest ? `${formatValue(latest.value, ind.decimals)} ${ind.unit} au ${formatDate(latest.period)}` : "Aucune valeur mesurée"}</dd>
        <dt>Cible</dt>
        <dd>{target ? `${formatValue(target.value, ind.decimals)} ${ind.unit} au ${formatDate(target.targetDate)}` : "Aucune cible fixée"}</dd>
      </dl>
      {ind.targets.length || ind.values.length ? (
        <div class="table-scroll">
          <table class="table">
            <caption>
              {ind.name} : cibles et valeurs mesurées, par date
            </caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Cible</th>
                <th scope="col">Valeur mesurée</th>
                <th scope="col">Source, commentaire</th>
              </tr>
            </thead>
            <tbody>
              {mergeByDate(ind).map((r) => (
                <tr>
                  <th scope="row">{formatDate(r.date)}</th>
                  <td>{r.target === undefined ? "—" : `${formatValue(r.target, ind.decimals)} ${ind.unit}`}</td>
                  <td>{r.value === undefined ? "—" : r.value.value === null ? "Secret statistique" : `${formatValue(r.value.value, ind.decimals)} ${ind.unit}`}</td>
                  <td>{r.value ? [r.value.source, r.value.comment].filter(Boolean).join(" — ") || "—" : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {children}
    </section>
  );
}

function mergeByDate(ind: SheetIndicator) {
  const dates = [...new Set([...ind.targets.map((t) => t.targetDate), ...ind.values.map((v) => v.period)])].sort();
  return dates.map((date) => ({ date, target: ind.targets.find((t) => t.targetDate === date)?.value, value: ind.values.find((v) => v.period === date) }));
}

/** Planned cost by year and nature, with totals. */
export function BudgetTable({ sheet, children }: { sheet: ActionSheet; children?: (line: ActionSheet["budget"][number]) => ComponentChildren }) {
  const t = sheet.budgetTotals;
  if (!sheet.budget.length) return <EmptyState>Aucun coût prévisionnel n’est renseigné.</EmptyState>;
  return (
    <div class="table-scroll">
      <table class="table table-amounts">
        <caption>Coût prévisionnel par année et par nature</caption>
        <thead>
          <tr>
            <th scope="col">Année</th>
            <th scope="col">Nature</th>
            <th scope="col">Montant</th>
            <th scope="col">Libellé</th>
            {children ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {sheet.budget.map((l) => (
            <tr>
              <th scope="row">{l.year}</th>
              <td>{COST_NATURE_LABELS[l.nature]}</td>
              <td class="num">{formatEuros(l.amountCents)}</td>
              <td>{l.label ?? "—"}</td>
              {children ? <td>{children(l)}</td> : null}
            </tr>
          ))}
        </tbody>
        <tfoot>
          {t.byYear.map((y) => (
            <tr>
              <th scope="row">Total {y.year}</th>
              <td>
                Investissement {formatEuros(y.investment)}, fonctionnement {formatEuros(y.operating)}
              </td>
              <td class="num">{formatEuros(y.total)}</td>
              <td></td>
              {children ? <td></td> : null}
            </tr>
          ))}
          <tr>
            <th scope="row">Total</th>
            <td>
              Investissement {formatEuros(t.byNature.investment)}, fonctionnement {formatEuros(t.byNature.operating)}
            </td>
            <td class="num">
              <strong>{formatEuros(t.total)}</strong>
            </td>
            <td></td>
            {children ? <td></td> : null}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** Financing plan totals by funder kind, and the gaps computed against the planned cost. */
export function FinancingSummary({ sheet, detail }: { sheet: ActionSheet; detail?: boolean }) {
  const f = sheet.financingTotals;
  if (!sheet.financing.length) return <EmptyState>Aucun financement n’est renseigné.</EmptyState>;
  return (
    <>
      <div class="table-scroll">
        <table class="table table-amounts">
          <caption>Plan de financement par type de financeur</caption>
          <thead>
            <tr>
              <th scope="col">Financeur</th>
              <th scope="col">Demandé</th>
              <th scope="col">Accordé</th>
              <th scope="col">Versé</th>
            </tr>
          </thead>
          <tbody>
            {f.byKind.map((k) => (
              <tr>
                <th scope="row">{k.label}</th>
                <td class="num">{formatEuros(k.requested)}</td>
                <td class="num">{formatEuros(k.granted)}</td>
                <td class="num">{formatEuros(k.paid)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td class="num">{formatEuros(f.total.requested)}</td>
              <td class="num">{formatEuros(f.total.granted)}</td>
              <td class="num">{formatEuros(f.total.paid)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      {detail ? (
        <div class="table-scroll">
          <table class="table table-amounts">
            <caption>Détail des financements</caption>
            <thead>
              <tr>
                <th scope="col">Financeur</th>
                <th scope="col">Type</th>
                <th scope="col">Demandé</th>
                <th scope="col">Accordé</th>
                <th scope="col">Versé</th>
                <th scope="col">Commentaire</th>
              </tr>
            </thead>
            <tbody>
              {sheet.financing.map((l) => (
                <tr>
                  <th scope="row">{l.funderName}</th>
                  <td>{FUNDER_KIND_LABELS[l.funderKind]}</td>
                  <td class="num">{formatEuros(l.requestedCents)}</td>
                  <td class="num">{formatEuros(l.grantedCents)}</td>
                  <td class="num">{formatEuros(l.paidCents)}</td>
                  <td>{l.comment ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <dl class="facts gaps">
        <dt>Coût prévisionnel non couvert par les aides accordées</dt>
        <dd>
          {formatEuros(f.gaps.costMinusGranted)}
          {f.gaps.coveragePercent !== null ? ` (aides accordées : ${formatNumber(f.gaps.coveragePercent)} % du coût)` : " (coût prévisionnel non renseigné)"}
        </dd>
        <dt>Demandé, pas encore accordé</dt>
        <dd>{formatEuros(f.gaps.requestedMinusGranted)}</dd>
        <dt>Accordé, pas encore versé</dt>
        <dd>{formatEuros(f.gaps.grantedMinusPaid)}</dd>
      </dl>
    </>
  );
}

export const funderLabel = (k: keyof typeof FUNDER_KIND_LABELS) => FUNDER_KIND_LABELS[k];

/** Links to other actions, read-only. */
export function LinksList({ sheet, base, children }: { sheet: ActionSheet; base: string; children?: (l: ActionSheet["links"][number]) => ComponentChildren }) {
  if (!sheet.links.length) return <EmptyState>Cette action n’est liée à aucune autre.</EmptyState>;
  return (
    <ul class="links-list">
      {sheet.links.map((l) => (
        <li>
          {l.direction === "from" ? LINK_KIND_LABELS[l.kind] : reverseLabel(l.kind)} <a href={`${base}/actions/${l.other.id}`}>l’action {l.other.number} : {l.other.title}</a> {children ? children(l) : null}
        </li>
      ))}
    </ul>
  );
}

const reverseLabel = (k: "related" | "depends_on" | "follows") => (k === "related" ? "En lien avec" : k === "depends_on" ? "Condition de" : "Suivie par");

const SIZE = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
export const fileSize = (n: number) => (n < 1024 * 1024 ? `${SIZE.format(Math.max(1, n / 1024))} Ko` : `${SIZE.format(n / 1024 / 1024)} Mo`);
const MIME_LABELS: Record<string, string> = {
  "application/pdf": "PDF",
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "text/csv": "CSV",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
  "application/vnd.oasis.opendocument.spreadsheet": "ODS",
  "application/vnd.oasis.opendocument.text": "ODT",
};
export const mimeLabel = (m: string) => MIME_LABELS[m] ?? "fichier";

/** The form field id of a field of one of the sheet's forms (several forms share field names). */
export const sheetFieldId = (form: string, name: string) => `champ-${form}-${name}`;

/** The state of the one form of the sheet that was just sent with errors. */
export interface SheetFormState {
  form: string;
  errors: FieldErrors;
  values: FormValues;
}
