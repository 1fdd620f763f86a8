import { and, asc, desc, eq, inArray, isNull, or } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Database, Db } from "../../../core/db/client.ts";
import { files, memberships, users } from "../../../core/db/schema.ts";
import { indicators, observations, territorySeries } from "../../observatory/api.ts";
import type { Visibility } from "../model.ts";
import {
  actionDocuments,
  actionIndicators,
  actionLinks,
  actionNotes,
  actionPilots,
  actions,
  budgetLines,
  financingLines,
  indicatorTargets,
  milestones,
  statusChanges,
} from "../schema.ts";
import {
  actionLateness,
  actionProgress,
  budgetTotals,
  completeness,
  financingTotals,
  parisToday,
  type ActionLateness,
  type BudgetTotals,
  type FinancingTotals,
} from "../followup-model.ts";

/** Who reads the sheet: the staff (everything), follow-up readers (no drafts, money), the public (published only). */
export type SheetLevel = "staff" | "followup" | "public";

export const SHEET_VISIBILITIES: Record<SheetLevel, readonly Visibility[]> = {
  staff: ["draft", "published", "confidential"],
  followup: ["published", "confidential"],
  public: ["published"],
};

export type ActionRow = typeof actions.$inferSelect;

export interface SheetIndicator {
  id: number;
  indicatorId: number;
  code: string;
  name: string;
  unit: string;
  decimals: number;
  /** A local indicator created for this action (its own series, level `action`). */
  own: boolean;
  /** A local indicator of the territory: its values are entered here (national ones come from the observatory). */
  local: boolean;
  geoLevel: string;
  geoCode: string;
  baselineValue: number | null;
  baselineDate: string | null;
  visibility: Visibility;
  targets: { id: number; targetDate: string; value: number }[];
  values: { period: string; value: number | null; source: string | null; comment: string | null; status: string }[];
}

export interface ActionSheet {
  action: ActionRow;
  pilots: { userId: number; name: string }[];
  milestones: (typeof milestones.$inferSelect)[];
  statusChanges: { id: number; fromStatus: string | null; toStatus: string | null; comment: string | null; at: Date; author: string | null }[];
  budget: (typeof budgetLines.$inferSelect)[];
  financing: (typeof financingLines.$inferSelect)[];
  notes: { id: number; body: string; visibility: Visibility; at: Date; author: string | null }[];
  documents: { id: number; title: string; visibility: Visibility; at: Date; fileId: number; originalName: string; mime: string; size: number; author: string | null }[];
  links: { id: number; kind: "related" | "depends_on" | "follows"; direction: "from" | "to"; other: { id: number; number: number; title: string } }[];
  indicators: SheetIndicator[];
  progress: ReturnType<typeof actionProgress>;
  lateness: ActionLateness;
  budgetTotals: BudgetTotals;
  financingTotals: FinancingTotals;
  completeness: ReturnType<typeof completeness>;
  today: string;
}

/**
 * Everything an action's sheet shows, for one reading level: sub-items of other visibilities are
 * left out; money, status comments and authors only for the staff and follow-up readers. The
 * action itself must already be known readable at that level (the caller checks it).
 */
export async function loadActionSheet(
  db: Db,
  territoryId: number,
  actionId: number,
  level: SheetLevel,
  opts: { now?: Date; database?: Database; territory?: { id: number; name: string } } = {},
): Promise<ActionSheet | undefined> {
  const { now = new Date(), database, territory } = opts;
  const [action] = await db.select().from(actions).where(and(eq(actions.id, actionId), eq(actions.territoryId, territoryId)));
  if (!action) return undefined;
  const vis = [...SHEET_VISIBILITIES[level]];
  const inAction = (t: { territoryId: AnyPgColumn; actionId: AnyPgColumn }) => and(eq(t.territoryId, territoryId), eq(t.actionId, actionId));
  const money = level !== "public";
  const [pilotRows, allMilestones, changeRows, budgetRows, financingRows, noteRows, documentRows, linkRows, indicatorRows] = await Promise.all([
    db
      .select({ userId: actionPilots.userId, name: users.displayName })
      .from(actionPilots)
      .innerJoin(users, eq(users.id, actionPilots.userId))
      .where(inAction(actionPilots))
      .orderBy(asc(users.displayName)),
    db.select().from(milestones).where(inAction(milestones)).orderBy(asc(milestones.position), asc(milestones.id)),
    db
      .select({ id: statusChanges.id, fromStatus: statusChanges.fromStatus, toStatus: statusChanges.toStatus, comment: statusChanges.comment, at: statusChanges.at, author: users.displayName })
      .from(statusChanges)
      .leftJoin(users, eq(users.id, statusChanges.authorId))
      .where(inAction(statusChanges))
      .orderBy(desc(statusChanges.at), desc(statusChanges.id)),
    money ? db.select().from(budgetLines).where(inAction(budgetLines)).orderBy(asc(budgetLines.year), asc(budgetLines.nature)) : Promise.resolve([]),
    money ? db.select().from(financingLines).where(inAction(financingLines)).orderBy(asc(financingLines.position), asc(financingLines.id)) : Promise.resolve([]),
    db
      .select({ id: actionNotes.id, body: actionNotes.body, visibility: actionNotes.visibility, at: actionNotes.at, author: users.displayName })
      .from(actionNotes)
      .leftJoin(users, eq(users.id, actionNotes.authorId))
      .where(and(inAction(actionNotes), isNull(actionNotes.archivedAt), inArray(actionNotes.visibility, vis)))
      .orderBy(desc(actionNotes.at), desc(actionNotes.id)),
    db
      .select({
        id: actionDocuments.id,
        title: actionDocuments.title,
        visibility: actionDocuments.visibility,
        at: actionDocuments.at,
        fileId: actionDocuments.fileId,
        originalName: files.originalName,
        mime: files.mime,
        size: files.size,
        author: users.displayName,
      })
      .from(actionDocuments)
      .innerJoin(files, eq(files.id, actionDocuments.fileId))
      .leftJoin(users, eq(users.id, actionDocuments.uploadedBy))
      .where(and(inAction(actionDocuments), isNull(actionDocuments.archivedAt), inArray(actionDocuments.visibility, vis)))
      .orderBy(desc(actionDocuments.at), desc(actionDocuments.id)),
    db
      .select()
      .from(actionLinks)
      .where(and(eq(actionLinks.territoryId, territoryId), or(eq(actionLinks.fromActionId, actionId), eq(actionLinks.toActionId, actionId)))),
    db
      .select({ link: actionIndicators, indicator: indicators })
      .from(actionIndicators)
      .innerJoin(indicators, eq(indicators.id, actionIndicators.indicatorId))
      .where(and(inAction(actionIndicators), inArray(actionIndicators.visibility, vis)))
      .orderBy(asc(actionIndicators.position), asc(actionIndicators.id)),
  ]);

  // Linked actions: only those readable at this level (live, of an allowed visibility).
  const otherIds = linkRows.map((l) => (l.fromActionId === actionId ? l.toActionId : l.fromActionId));
  const others = otherIds.length
    ? await db
        .select({ id: actions.id, number: actions.number, title: actions.title, visibility: actions.visibility, archivedAt: actions.archivedAt })
        .from(actions)
        .where(and(eq(actions.territoryId, territoryId), inArray(actions.id, otherIds)))
    : [];
  const otherById = new Map(others.filter((o) => vis.includes(o.visibility) && (level === "staff" || !o.archivedAt)).map((o) => [o.id, o]));
  const links = linkRows.flatMap((l) => {
    const direction = l.fromActionId === actionId ? ("from" as const) : ("to" as const);
    const other = otherById.get(direction === "from" ? l.toActionId : l.fromActionId);
    return other ? [{ id: l.id, kind: l.kind, direction, other: { id: other.id, number: other.number, title: other.title } }] : [];
  });

  // Progress and lateness count every milestone (the figure is the same for every reader); the list shows those of the level.
  const milestoneRows = allMilestones.filter((m) => vis.includes(m.visibility));
  const linkIds = indicatorRows.map((r) => r.link.id);
  const targetRows = linkIds.length
    ? await db.select().from(indicatorTargets).where(and(eq(indicatorTargets.territoryId, territoryId), inArray(indicatorTargets.actionIndicatorId, linkIds))).orderBy(asc(indicatorTargets.targetDate))
    : [];
  const sheetIndicators: SheetIndicator[] = [];
  for (const r of indicatorRows) {
    let values: { period: string; value: number | null; source: string | null; comment: string | null; status: (typeof observations.$inferSelect)["status"] }[] = await db
      .select({ period: observations.period, value: observations.value, source: observations.source, comment: observations.comment, status: observations.status })
      .from(observations)
      .where(and(eq(observations.indicatorId, r.indicator.id), eq(observations.geoLevel, r.link.geoLevel), eq(observations.geoCode, r.link.geoCode)))
      .orderBy(asc(observations.period));
    // Nothing stored for the territory itself: read the series the observatory computes from its
    // intercommunalités or communes (counts summed, ratios recomputed, secrets kept secret).
    if (!values.length && r.link.geoLevel === "territory" && database && territory) {
      values = (await territorySeries(database, territory, r.indicator.id)).map((v) => ({ ...v, source: r.indicator.source, comment: null }));
    }
    sheetIndicators.push({
      id: r.link.id,
      indicatorId: r.indicator.id,
      code: r.indicator.code,
      name: r.indicator.name,
      unit: r.indicator.unit,
      decimals: r.indicator.decimals,
      local: r.indicator.territoryId === territoryId,
      own: r.link.geoLevel === "action" && r.link.geoCode === String(actionId) && r.indicator.territoryId === territoryId,
      geoLevel: r.link.geoLevel,
      geoCode: r.link.geoCode,
      baselineValue: r.link.baselineValue,
      baselineDate: r.link.baselineDate,
      visibility: r.link.visibility,
      targets: targetRows.filter((t) => t.actionIndicatorId === r.link.id).map((t) => ({ id: t.id, targetDate: t.targetDate, value: t.value })),
      // A secret observation has no value to show.
      values: values.map((v) => (v.status === "secret" ? { ...v, value: null } : v)),
    });
  }

  const today = parisToday(now);
  const budget = budgetTotals(budgetRows);
  const sheet: ActionSheet = {
    action,
    pilots: level === "public" ? [] : pilotRows,
    milestones: milestoneRows,
    statusChanges: changeRows.map((c) => (level === "public" ? { ...c, comment: null, author: null } : c)),
    budget: budgetRows,
    financing: financingRows,
    notes: noteRows.map((n) => (level === "public" ? { ...n, author: null } : n)),
    documents: documentRows.map((d) => (level === "public" ? { ...d, author: null } : d)),
    links,
    indicators: sheetIndicators,
    progress: actionProgress({ progressMode: action.progressMode, progressManual: action.progressManual, status: action.status, milestones: allMilestones }),
    lateness: actionLateness({ status: action.status, plannedEndDate: action.plannedEndDate, milestones: allMilestones }, today),
    budgetTotals: budget,
    financingTotals: financingTotals(financingRows, budget.total),
    completeness: completeness({
      pilots: pilotRows.length,
      referentElu: action.referentElu,
      leadAuthorityId: action.leadAuthorityId,
      status: action.status,
      startDate: action.startDate,
      plannedEndDate: action.plannedEndDate,
      milestones: allMilestones.length,
      budgetLines: budgetRows.length,
      financingLines: financingRows.length,
      indicators: indicatorRows.length,
      description: action.description,
    }),
    today,
  };
  return sheet;
}

/** The accounts that may pilot an action: the territory's active agents and administrators. */
export async function pilotChoices(db: Db, territoryId: number): Promise<{ userId: number; name: string }[]> {
  const rows = await db
    .selectDistinct({ userId: users.id, name: users.displayName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.territoryId, territoryId), inArray(memberships.role, ["agent", "territory_admin"]), eq(memberships.status, "active"), isNull(users.anonymisedAt), isNull(users.disabledAt)));
  return rows.sort((a, b) => a.name.localeCompare(b.name, "fr"));
}

/** The indicators an action may follow: the national catalogue and the territory's local ones (live). */
export async function indicatorChoices(db: Db, territoryId: number): Promise<{ id: number; name: string; unit: string; local: boolean; levels: string[] }[]> {
  const rows = await db
    .select({ id: indicators.id, name: indicators.name, unit: indicators.unit, territoryId: indicators.territoryId, levels: indicators.levels })
    .from(indicators)
    .where(and(or(isNull(indicators.territoryId), eq(indicators.territoryId, territoryId)), isNull(indicators.archivedAt)))
    .orderBy(asc(indicators.name))
    .limit(2000);
  return rows.map((r) => ({ id: r.id, name: r.name, unit: r.unit, local: r.territoryId !== null, levels: r.levels }));
}
