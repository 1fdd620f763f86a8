// Pure computations of the dashboards and progress reports (no I/O), on the follow-up model of the
// plan module: statuses by theme, progress by theme, late milestones, money by funder kind,
// indicators against their targets.
import {
  actionLateness,
  actionProgress,
  budgetTotals,
  currentTarget,
  financingTotals,
  FUNDER_KIND_LABELS,
  milestoneDaysLate,
  STATUS_LABELS,
  type ActionStatus,
  type CostNature,
  type FunderKind,
  type ProgressMode,
} from "../plan/api.ts";

export const STATUS_UNKNOWN = "Statut non renseigné";

export interface DashMilestone {
  id: number;
  actionId: number;
  name: string;
  dueDate: string | null;
  doneDate: string | null;
  position: number;
}

export interface DashFinancing {
  actionId: number;
  funderKind: FunderKind;
  funderName: string;
  requestedCents: number;
  grantedCents: number;
  paidCents: number;
  comment: string | null;
}

export interface DashBudget {
  actionId: number;
  year: number;
  nature: CostNature;
  amountCents: number;
}

export interface DashIndicator {
  id: number;
  actionId: number;
  name: string;
  unit: string;
  decimals: number;
  baselineValue: number | null;
  baselineDate: string | null;
  targets: { targetDate: string; value: number }[];
  /** Latest observed value of the indicator's series, if any. */
  latest: { period: string; value: number | null } | null;
}

export interface DashNote {
  actionId: number;
  body: string;
  at: Date;
  author: string | null;
  visibility: string;
}

export interface DashAction {
  id: number;
  number: number;
  title: string;
  description: string | null;
  status: ActionStatus | null;
  visibility: string;
  joint: boolean;
  themeId: number;
  themeTitle: string;
  objectiveTitle: string;
  lead: string | null;
  partners: string[];
  referentElu: string | null;
  pilots: string[];
  startDate: string | null;
  plannedEndDate: string | null;
  progressMode: ProgressMode;
  progressManual: number | null;
  priority: string;
  tags: string[];
}

/** Everything a dashboard or a report of one territory reads (follow-up content: published and confidential). */
export interface DashboardData {
  territory: { id: number; slug: string; name: string };
  today: string;
  themes: { id: number; title: string }[];
  actions: DashAction[];
  milestones: DashMilestone[];
  budget: DashBudget[];
  financing: DashFinancing[];
  indicators: DashIndicator[];
  notes: DashNote[];
}

const byAction = <T extends { actionId: number }>(rows: T[]) => {
  const m = new Map<number, T[]>();
  for (const r of rows) m.set(r.actionId, [...(m.get(r.actionId) ?? []), r]);
  return m;
};

export interface ActionFigures {
  action: DashAction;
  progress: number | null;
  progressLabel: string;
  late: boolean;
  lateMilestones: number;
  overdue: boolean;
  daysOverdue: number;
  plannedCost: number;
  requested: number;
  granted: number;
  paid: number;
  milestones: DashMilestone[];
  financing: DashFinancing[];
  budget: DashBudget[];
  indicators: DashIndicator[];
  notes: DashNote[];
}

/** Each action with its computed figures (progress, lateness, money), in the plan's order. */
export function actionFigures(d: DashboardData): ActionFigures[] {
  const ms = byAction(d.milestones);
  const fin = byAction(d.financing);
  const bud = byAction(d.budget);
  const ind = byAction(d.indicators);
  const notes = byAction(d.notes);
  return d.actions.map((a) => {
    const milestones = (ms.get(a.id) ?? []).sort((x, y) => x.position - y.position || x.id - y.id);
    const progress = actionProgress({ progressMode: a.progressMode, progressManual: a.progressManual, status: a.status, milestones });
    const lateness = actionLateness({ status: a.status, plannedEndDate: a.plannedEndDate, milestones }, d.today);
    const budget = bud.get(a.id) ?? [];
    const financing = fin.get(a.id) ?? [];
    const totals = financingTotals(financing, budgetTotals(budget).total);
    return {
      action: a,
      progress: progress.percent,
      progressLabel: progress.label,
      late: lateness.late,
      lateMilestones: lateness.lateMilestones,
      overdue: lateness.overdue,
      daysOverdue: lateness.daysOverdue,
      plannedCost: budgetTotals(budget).total,
      requested: totals.total.requested,
      granted: totals.total.granted,
      paid: totals.total.paid,
      milestones,
      financing,
      budget,
      indicators: ind.get(a.id) ?? [],
      notes: (notes.get(a.id) ?? []).sort((x, y) => y.at.getTime() - x.at.getTime()),
    };
  });
}

export interface StatusColumn {
  status: ActionStatus | null;
  label: string;
}

/** The status columns of a plan: the five statuses, and "non renseigné" when some action has none. */
export function statusColumns(actions: { status: ActionStatus | null }[]): StatusColumn[] {
  const known = (Object.keys(STATUS_LABELS) as ActionStatus[]).map((s) => ({ status: s as ActionStatus | null, label: STATUS_LABELS[s] }));
  return actions.some((a) => a.status === null) ? [...known, { status: null, label: STATUS_UNKNOWN }] : known;
}

/** Number of actions per status (columns) and per theme (rows). */
export function statusByTheme(d: Pick<DashboardData, "themes" | "actions">): { themes: string[]; columns: StatusColumn[]; counts: number[][] } {
  const columns = statusColumns(d.actions);
  return {
    themes: d.themes.map((t) => t.title),
    columns,
    counts: d.themes.map((t) => columns.map((c) => d.actions.filter((a) => a.themeId === t.id && a.status === c.status).length)),
  };
}

export interface ThemeProgress {
  theme: string;
  actions: number;
  /** Actions whose progress is known. */
  measured: number;
  /** Mean progress of the measured actions (0–100, one decimal), null when none is measured. */
  average: number | null;
  done: number;
  late: number;
}

/** Progress by theme: the mean progress of its actions whose progress is known. */
export function progressByTheme(d: DashboardData, figures: ActionFigures[] = actionFigures(d)): ThemeProgress[] {
  return d.themes.map((t) => {
    const own = figures.filter((f) => f.action.themeId === t.id);
    const measured = own.filter((f) => f.progress !== null);
    return {
      theme: t.title,
      actions: own.length,
      measured: measured.length,
      average: measured.length ? Math.round((measured.reduce((s, f) => s + f.progress!, 0) / measured.length) * 10) / 10 : null,
      done: own.filter((f) => f.action.status === "done").length,
      late: own.filter((f) => f.late).length,
    };
  });
}

export interface LateMilestone {
  actionId: number;
  actionNumber: number;
  actionTitle: string;
  theme: string;
  milestone: string;
  dueDate: string;
  daysLate: number;
}

/** Milestones not done after their due date, of actions still running, the latest first. */
export function lateMilestones(d: DashboardData): LateMilestone[] {
  const actions = new Map(d.actions.map((a) => [a.id, a]));
  return d.milestones
    .flatMap((m) => {
      const a = actions.get(m.actionId);
      if (!a || a.status === "done" || a.status === "abandoned") return [];
      const days = milestoneDaysLate(m, d.today);
      return days > 0 ? [{ actionId: a.id, actionNumber: a.number, actionTitle: a.title, theme: a.themeTitle, milestone: m.name, dueDate: m.dueDate!, daysLate: days }] : [];
    })
    .sort((x, y) => y.daysLate - x.daysLate || x.actionNumber - y.actionNumber);
}

export interface FunderKindMoney {
  kind: FunderKind;
  label: string;
  requested: number;
  granted: number;
  paid: number;
}

export interface MoneySummary {
  byKind: FunderKindMoney[];
  plannedCost: number;
  requested: number;
  granted: number;
  paid: number;
  /** Planned cost not covered by granted amounts. */
  notCovered: number;
  /** Granted share of the planned cost (%), null without planned cost. */
  coverage: number | null;
}

/** Financing by funder kind (cents), with the planned cost of the actions and the gaps. */
export function moneySummary(d: Pick<DashboardData, "budget" | "financing">): MoneySummary {
  const planned = budgetTotals(d.budget).total;
  const totals = financingTotals(d.financing, planned);
  const kinds = Object.keys(FUNDER_KIND_LABELS) as FunderKind[];
  return {
    byKind: kinds.map((kind) => totals.byKind.find((k) => k.kind === kind) ?? { kind, label: FUNDER_KIND_LABELS[kind], requested: 0, granted: 0, paid: 0 }).filter((k) => k.requested || k.granted || k.paid),
    plannedCost: planned,
    requested: totals.total.requested,
    granted: totals.total.granted,
    paid: totals.total.paid,
    notCovered: totals.gaps.costMinusGranted,
    coverage: totals.gaps.coveragePercent,
  };
}

export interface IndicatorStatus {
  actionNumber: number;
  actionTitle: string;
  indicator: string;
  unit: string;
  decimals: number;
  baseline: number | null;
  latest: number | null;
  latestPeriod: string | null;
  target: number | null;
  targetDate: string | null;
  /** Share of the way from the baseline to the target (0 at baseline, 100 at target), null when unknown. */
  achievement: number | null;
}

/** How far each action indicator has gone from its baseline towards its current target. */
export function indicatorStatuses(d: DashboardData): IndicatorStatus[] {
  const actions = new Map(d.actions.map((a) => [a.id, a]));
  return d.indicators.flatMap((i) => {
    const a = actions.get(i.actionId);
    if (!a) return [];
    const target = currentTarget(i.targets, d.today);
    const latest = i.latest?.value ?? null;
    return [
      {
        actionNumber: a.number,
        actionTitle: a.title,
        indicator: i.name,
        unit: i.unit,
        decimals: i.decimals,
        baseline: i.baselineValue,
        latest,
        latestPeriod: i.latest?.period ?? null,
        target: target?.value ?? null,
        targetDate: target?.targetDate ?? null,
        achievement: achievement(i.baselineValue, latest, target?.value ?? null),
      },
    ];
  });
}

/** (latest − baseline) / (target − baseline) in %, one decimal; null when a figure is missing or target = baseline. */
export function achievement(baseline: number | null, latest: number | null, target: number | null): number | null {
  if (latest === null || target === null) return null;
  const base = baseline ?? 0;
  if (target === base) return latest === target ? 100 : null;
  return Math.round(((latest - base) / (target - base)) * 1000) / 10;
}

export interface KeyFigures {
  actions: number;
  done: number;
  inProgress: number;
  late: number;
  lateMilestones: number;
  averageProgress: number | null;
  money: MoneySummary;
}

export function keyFigures(d: DashboardData, figures: ActionFigures[] = actionFigures(d)): KeyFigures {
  const measured = figures.filter((f) => f.progress !== null);
  return {
    actions: d.actions.length,
    done: d.actions.filter((a) => a.status === "done").length,
    inProgress: d.actions.filter((a) => a.status === "in_progress").length,
    late: figures.filter((f) => f.late).length,
    lateMilestones: lateMilestones(d).length,
    averageProgress: measured.length ? Math.round((measured.reduce((s, f) => s + f.progress!, 0) / measured.length) * 10) / 10 : null,
    money: moneySummary(d),
  };
}

/** Cents → euros, for charts and spreadsheets (numbers, not text). */
export const euros = (cents: number) => Math.round(cents) / 100;

/** "YYYY-MM-DD" of the Monday (Paris) of the week of `day`. */
export function mondayOf(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow);
  return d.toISOString().slice(0, 10);
}

/** Adds days to a calendar date "YYYY-MM-DD". */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
