// Pure computations of an action's follow-up (no I/O): progress, lateness, budget and financing
// totals and gaps, completeness. The reports module builds its dashboards and documents on them.
import type { ActionStatus } from "./model.ts";
import type { COST_NATURES, FUNDER_KINDS, PROGRESS_MODES } from "./schema.ts";

export type CostNature = (typeof COST_NATURES)[number];
export type FunderKind = (typeof FUNDER_KINDS)[number];
export type ProgressMode = (typeof PROGRESS_MODES)[number];

export const COST_NATURE_LABELS: Record<CostNature, string> = { investment: "Investissement", operating: "Fonctionnement" };
export const FUNDER_KIND_LABELS: Record<FunderKind, string> = {
  etat: "État",
  region: "Région",
  departement: "Département",
  intercommunalite: "Intercommunalité",
  europe: "Europe (FEDER…)",
  prive: "Privé",
  autre: "Autre",
};
export const PROGRESS_MODE_LABELS: Record<ProgressMode, string> = {
  manual: "saisi par l’équipe",
  milestones: "calculé à partir des jalons réalisés",
};
export const PRIORITY_LABELS = { high: "Haute", normal: "Normale", low: "Basse" } as const;
export const LINK_KIND_LABELS = { related: "En lien avec", depends_on: "Dépend de", follows: "Fait suite à" } as const;

/** Today's calendar date in Europe/Paris, "YYYY-MM-DD" (the day a French team lives in). */
export function parisToday(now: Date = new Date()): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export interface MilestoneLike {
  dueDate: string | null;
  doneDate: string | null;
}

/** Share of milestones done, 0–100 (rounded), or null when the action has no milestone. */
export function progressFromMilestones(milestones: MilestoneLike[]): number | null {
  if (milestones.length === 0) return null;
  const done = milestones.filter((m) => m.doneDate !== null).length;
  return Math.round((done / milestones.length) * 100);
}

export interface ProgressInput {
  progressMode: ProgressMode;
  progressManual: number | null;
  status: ActionStatus | null;
  milestones: MilestoneLike[];
}

/** An action's progress and where it comes from; a done action with no other figure counts 100 %. */
export function actionProgress(a: ProgressInput): { percent: number | null; mode: ProgressMode; label: string } {
  let percent = a.progressMode === "manual" ? a.progressManual : progressFromMilestones(a.milestones);
  if (percent === null && a.status === "done") percent = 100;
  if (percent !== null) percent = Math.max(0, Math.min(100, Math.round(percent)));
  return { percent, mode: a.progressMode, label: PROGRESS_MODE_LABELS[a.progressMode] };
}

/** Days from `from` to `to` (calendar dates "YYYY-MM-DD"); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A milestone is late when it is not done and its due date is before today (Paris). */
export function isMilestoneLate(m: MilestoneLike, today: string): boolean {
  return m.doneDate === null && m.dueDate !== null && m.dueDate < today;
}

/** Days a milestone is late (0 when it is not). */
export function milestoneDaysLate(m: MilestoneLike, today: string): number {
  return isMilestoneLate(m, today) ? daysBetween(m.dueDate!, today) : 0;
}

/** A milestone done after its due date: how many days after (0 when on time or not done). */
export function milestoneDoneLateBy(m: MilestoneLike): number {
  return m.doneDate && m.dueDate && m.doneDate > m.dueDate ? daysBetween(m.dueDate, m.doneDate) : 0;
}

export interface ActionTimingInput {
  status: ActionStatus | null;
  plannedEndDate: string | null;
  milestones: MilestoneLike[];
}

export interface ActionLateness {
  /** The planned end is past and the action is neither done nor abandoned. */
  overdue: boolean;
  daysOverdue: number;
  lateMilestones: number;
  /** Overdue or with at least one late milestone. */
  late: boolean;
}

/** Whether an action is behind schedule on `today` (Paris calendar date). */
export function actionLateness(a: ActionTimingInput, today: string): ActionLateness {
  const closed = a.status === "done" || a.status === "abandoned";
  const overdue = !closed && a.plannedEndDate !== null && a.plannedEndDate < today;
  const lateMilestones = closed ? 0 : a.milestones.filter((m) => isMilestoneLate(m, today)).length;
  return { overdue, daysOverdue: overdue ? daysBetween(a.plannedEndDate!, today) : 0, lateMilestones, late: overdue || lateMilestones > 0 };
}

export interface BudgetLineLike {
  year: number;
  nature: CostNature;
  amountCents: number;
}

export interface BudgetTotals {
  /** Years in order, each with its investment, operating and total. */
  byYear: { year: number; investment: number; operating: number; total: number }[];
  byNature: Record<CostNature, number>;
  total: number;
}

/** Planned cost by year and by nature, in cents. */
export function budgetTotals(lines: BudgetLineLike[]): BudgetTotals {
  const years = new Map<number, { year: number; investment: number; operating: number; total: number }>();
  const byNature: Record<CostNature, number> = { investment: 0, operating: 0 };
  let total = 0;
  for (const l of lines) {
    const y = years.get(l.year) ?? { year: l.year, investment: 0, operating: 0, total: 0 };
    y[l.nature] += l.amountCents;
    y.total += l.amountCents;
    years.set(l.year, y);
    byNature[l.nature] += l.amountCents;
    total += l.amountCents;
  }
  return { byYear: [...years.values()].sort((a, b) => a.year - b.year), byNature, total };
}

export interface FinancingLineLike {
  funderKind: FunderKind;
  requestedCents: number;
  grantedCents: number;
  paidCents: number;
}

export interface Amounts {
  requested: number;
  granted: number;
  paid: number;
}

export interface FinancingTotals {
  /** Funder kinds that have lines, in the order of FUNDER_KIND_LABELS. */
  byKind: ({ kind: FunderKind; label: string } & Amounts)[];
  total: Amounts;
  gaps: FinancingGaps;
}

export interface FinancingGaps {
  /** Planned cost not covered by granted amounts (negative: granted beyond the cost). */
  costMinusGranted: number;
  /** Requested but not (yet) granted. */
  requestedMinusGranted: number;
  /** Granted but not (yet) paid. */
  grantedMinusPaid: number;
  /** Share of the planned cost granted, 0–100+, null without a planned cost. */
  coveragePercent: number | null;
}

/** Financing plan totals by funder kind, and its gaps against the planned cost (cents). */
export function financingTotals(lines: FinancingLineLike[], plannedCostCents: number): FinancingTotals {
  const kinds = Object.keys(FUNDER_KIND_LABELS) as FunderKind[];
  const byKind = kinds
    .map((kind) => {
      const own = lines.filter((l) => l.funderKind === kind);
      return {
        kind,
        label: FUNDER_KIND_LABELS[kind],
        requested: sum(own.map((l) => l.requestedCents)),
        granted: sum(own.map((l) => l.grantedCents)),
        paid: sum(own.map((l) => l.paidCents)),
        count: own.length,
      };
    })
    .filter((k) => k.count > 0)
    .map(({ count: _count, ...k }) => k);
  const total = {
    requested: sum(lines.map((l) => l.requestedCents)),
    granted: sum(lines.map((l) => l.grantedCents)),
    paid: sum(lines.map((l) => l.paidCents)),
  };
  return { byKind, total, gaps: financingGaps(total, plannedCostCents) };
}

/** The gaps between planned cost, requested, granted and paid amounts. */
export function financingGaps(total: Amounts, plannedCostCents: number): FinancingGaps {
  return {
    costMinusGranted: plannedCostCents - total.granted,
    requestedMinusGranted: total.requested - total.granted,
    grantedMinusPaid: total.granted - total.paid,
    coveragePercent: plannedCostCents > 0 ? Math.round((total.granted / plannedCostCents) * 1000) / 10 : null,
  };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * Parses an amount typed in euros, French style ("12 500,50", "12500.5", "12 500 €") into cents.
 * Answers null for anything else (letters, several decimal marks, more than 2 decimals, negative).
 */
export function parseEuros(input: string): number | null {
  const s = input.replace(/[\s\u00a0\u202f]/g, "").replace(/€$/, "");
  if (s === "") return null;
  const m = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(s) ?? /^(\d{1,3}(?:\.\d{3})+)(?:,(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const units = Number(m[1].replace(/\./g, ""));
  const cents = m[2] ? Number(m[2].padEnd(2, "0")) : 0;
  const value = units * 100 + cents;
  return Number.isSafeInteger(value) && value <= 1e15 ? value : null;
}

const euroFormat = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
const euroFormatRound = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });

/** "12 500,50 €" from cents (no decimals when the amount is whole euros). */
export function formatEuros(cents: number | null | undefined): string {
  if (cents == null) return "—";
  return (cents % 100 === 0 ? euroFormatRound : euroFormat).format(cents / 100);
}

/** The value an amount field shows again: "12500,50", "" for null. */
export function eurosInput(cents: number | null | undefined): string {
  if (cents == null) return "";
  const units = Math.trunc(cents / 100);
  const rest = Math.abs(cents % 100);
  return rest ? `${units},${String(rest).padStart(2, "0")}` : String(units);
}

export interface CompletenessInput {
  pilots: number;
  referentElu: string | null;
  leadAuthorityId: number | null;
  status: ActionStatus | null;
  startDate: string | null;
  plannedEndDate: string | null;
  milestones: number;
  budgetLines: number;
  financingLines: number;
  indicators: number;
  description: string | null;
}

export interface CompletenessItem {
  key: string;
  label: string;
  ok: boolean;
  /** Anchor of the sheet's section where it is filled in. */
  section: string;
}

/** What is filled in on an action's sheet and what is missing, in the sheet's order. */
export function completeness(a: CompletenessInput): { items: CompletenessItem[]; missing: CompletenessItem[]; percent: number } {
  const items: CompletenessItem[] = [
    { key: "description", label: "Description", ok: Boolean(a.description?.trim()), section: "fiche" },
    { key: "status", label: "Statut", ok: a.status !== null, section: "fiche" },
    { key: "lead", label: "Collectivité porteuse", ok: a.leadAuthorityId !== null, section: "fiche" },
    { key: "pilot", label: "Pilote", ok: a.pilots > 0, section: "personnes" },
    { key: "referent", label: "Élu référent", ok: Boolean(a.referentElu?.trim()), section: "personnes" },
    { key: "dates", label: "Dates de début et de fin prévue", ok: a.startDate !== null && a.plannedEndDate !== null, section: "calendrier" },
    { key: "milestones", label: "Jalons", ok: a.milestones > 0, section: "jalons" },
    { key: "budget", label: "Coût prévisionnel", ok: a.budgetLines > 0, section: "budget" },
    { key: "financing", label: "Plan de financement", ok: a.financingLines > 0, section: "financement" },
    { key: "indicator", label: "Indicateur", ok: a.indicators > 0, section: "indicateurs" },
  ];
  const missing = items.filter((i) => !i.ok);
  return { items, missing, percent: Math.round(((items.length - missing.length) / items.length) * 100) };
}

export interface TimelineEvent {
  at: string;
  kind: "status" | "milestone" | "note";
  title: string;
  detail: string | null;
}

/** Merges dated events newest first (ISO date or date-time strings compare in order). */
export function timeline(events: TimelineEvent[]): TimelineEvent[] {
  return [...events].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** The target in force on `today`: the next one due (on or after today), else the last one. */
export function currentTarget<T extends { targetDate: string; value: number }>(targets: T[], today: string): T | null {
  const sorted = [...targets].sort((a, b) => a.targetDate.localeCompare(b.targetDate));
  return sorted.find((t) => t.targetDate >= today) ?? sorted.at(-1) ?? null;
}

/** Tags typed as "a, b ; c": trimmed, deduplicated (case-insensitively), at most 20 of 40 characters. */
export function parseTags(input: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of input.split(/[,;\n]/)) {
    const tag = raw.trim().replace(/\s+/g, " ").slice(0, 40);
    if (!tag || seen.has(tag.toLocaleLowerCase("fr"))) continue;
    seen.add(tag.toLocaleLowerCase("fr"));
    out.push(tag);
  }
  return out.slice(0, 20);
}
