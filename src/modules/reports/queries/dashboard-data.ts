import { and, asc, desc, eq, inArray, isNull, or } from "drizzle-orm";
import type { Db } from "../../../core/db/client.ts";
import { users } from "../../../core/db/schema.ts";
import { indicators, observations } from "../../observatory/api.ts";
import {
  actionIndicators,
  actionNotes,
  actionPilots,
  actions,
  budgetLines,
  financingLines,
  flattenActions,
  indicatorTargets,
  loadPlanTree,
  milestones,
  parisToday,
} from "../../plan/api.ts";
import type { DashboardData } from "../model.ts";

/** What committee members and funders read: published and confidential items, never drafts. */
const FOLLOW_UP = ["published", "confidential"] as const;

/**
 * The follow-up of one territory for its dashboard and reports: live actions (published or
 * confidential, with a live theme and objective), their milestones, budget, financing, indicators
 * and the last notes. Every query is scoped to the territory.
 */
export async function loadDashboardData(db: Db, territory: { id: number; slug: string; name: string }, opts: { today?: string; notesPerAction?: number } = {}): Promise<DashboardData> {
  const tid = territory.id;
  const tree = await loadPlanTree(db, tid, { public: false, visibilities: FOLLOW_UP });
  const nodes = flattenActions(tree);
  const ids = nodes.map((a) => a.id);
  const today = opts.today ?? parisToday();
  const none = ids.length === 0;
  const [extra, pilotRows, milestoneRows, budgetRows, financingRows, indicatorRows, noteRows] = await Promise.all([
    none ? [] : db.select().from(actions).where(and(eq(actions.territoryId, tid), inArray(actions.id, ids))),
    none
      ? []
      : db
          .select({ actionId: actionPilots.actionId, name: users.displayName })
          .from(actionPilots)
          .innerJoin(users, eq(users.id, actionPilots.userId))
          .where(and(eq(actionPilots.territoryId, tid), inArray(actionPilots.actionId, ids)))
          .orderBy(asc(users.displayName)),
    none
      ? []
      : db
          .select()
          .from(milestones)
          .where(and(eq(milestones.territoryId, tid), inArray(milestones.actionId, ids), inArray(milestones.visibility, [...FOLLOW_UP])))
          .orderBy(asc(milestones.actionId), asc(milestones.position), asc(milestones.id)),
    none ? [] : db.select().from(budgetLines).where(and(eq(budgetLines.territoryId, tid), inArray(budgetLines.actionId, ids))),
    none ? [] : db.select().from(financingLines).where(and(eq(financingLines.territoryId, tid), inArray(financingLines.actionId, ids))).orderBy(asc(financingLines.position), asc(financingLines.id)),
    none
      ? []
      : db
          .select({ ai: actionIndicators, name: indicators.name, unit: indicators.unit, decimals: indicators.decimals })
          .from(actionIndicators)
          .innerJoin(indicators, eq(indicators.id, actionIndicators.indicatorId))
          .where(and(eq(actionIndicators.territoryId, tid), inArray(actionIndicators.actionId, ids), inArray(actionIndicators.visibility, [...FOLLOW_UP])))
          .orderBy(asc(actionIndicators.actionId), asc(actionIndicators.position)),
    none || opts.notesPerAction === 0
      ? []
      : db
          .select({ actionId: actionNotes.actionId, body: actionNotes.body, at: actionNotes.at, visibility: actionNotes.visibility, author: users.displayName })
          .from(actionNotes)
          .leftJoin(users, eq(users.id, actionNotes.authorId))
          .where(and(eq(actionNotes.territoryId, tid), inArray(actionNotes.actionId, ids), isNull(actionNotes.archivedAt), inArray(actionNotes.visibility, [...FOLLOW_UP])))
          .orderBy(desc(actionNotes.at)),
  ]);
  const aiIds = indicatorRows.map((r) => r.ai.id);
  const targets = aiIds.length
    ? await db.select().from(indicatorTargets).where(and(eq(indicatorTargets.territoryId, tid), inArray(indicatorTargets.actionIndicatorId, aiIds))).orderBy(asc(indicatorTargets.targetDate))
    : [];
  // The latest observation of each indicator's series (indicator, level, code).
  const series = indicatorRows.map((r) => and(eq(observations.indicatorId, r.ai.indicatorId), eq(observations.geoLevel, r.ai.geoLevel), eq(observations.geoCode, r.ai.geoCode)));
  const obsRows = series.length
    ? await db
        .select({ indicatorId: observations.indicatorId, geoLevel: observations.geoLevel, geoCode: observations.geoCode, period: observations.period, value: observations.value })
        .from(observations)
        .where(or(...series))
        .orderBy(desc(observations.period))
    : [];
  const latest = new Map<string, { period: string; value: number | null }>();
  for (const o of obsRows) {
    const key = `${o.indicatorId}|${o.geoLevel}|${o.geoCode}`;
    if (!latest.has(key) && o.value !== null) latest.set(key, { period: o.period, value: o.value });
  }
  const extraById = new Map(extra.map((a) => [a.id, a]));
  const pilots = new Map<number, string[]>();
  for (const p of pilotRows) pilots.set(p.actionId, [...(pilots.get(p.actionId) ?? []), p.name]);
  const perAction = new Map<number, number>();
  const notesLimit = opts.notesPerAction ?? 3;
  return {
    territory: { id: territory.id, slug: territory.slug, name: territory.name },
    today,
    themes: tree.map((t) => ({ id: t.id, title: t.title })),
    actions: nodes.map((a) => {
      const x = extraById.get(a.id)!;
      return {
        id: a.id,
        number: a.number,
        title: a.title,
        description: a.description,
        status: a.status,
        visibility: a.visibility,
        joint: a.joint,
        themeId: a.theme.id,
        themeTitle: a.theme.title,
        objectiveTitle: a.objective.title,
        lead: a.lead?.name ?? null,
        partners: a.partners.map((p) => p.name),
        referentElu: x.referentElu,
        pilots: pilots.get(a.id) ?? [],
        startDate: x.startDate,
        plannedEndDate: x.plannedEndDate,
        progressMode: x.progressMode,
        progressManual: x.progressManual,
        priority: x.priority,
        tags: x.tags,
      };
    }),
    milestones: milestoneRows.map((m) => ({ id: m.id, actionId: m.actionId, name: m.name, dueDate: m.dueDate, doneDate: m.doneDate, position: m.position })),
    budget: budgetRows.map((b) => ({ actionId: b.actionId, year: b.year, nature: b.nature, amountCents: Number(b.amountCents) })),
    financing: financingRows.map((f) => ({
      actionId: f.actionId,
      funderKind: f.funderKind,
      funderName: f.funderName,
      requestedCents: Number(f.requestedCents),
      grantedCents: Number(f.grantedCents),
      paidCents: Number(f.paidCents),
      comment: f.comment,
    })),
    indicators: indicatorRows.map((r) => ({
      id: r.ai.id,
      actionId: r.ai.actionId,
      name: r.name,
      unit: r.unit,
      decimals: r.decimals,
      baselineValue: r.ai.baselineValue,
      baselineDate: r.ai.baselineDate,
      targets: targets.filter((t) => t.actionIndicatorId === r.ai.id).map((t) => ({ targetDate: t.targetDate, value: t.value })),
      latest: latest.get(`${r.ai.indicatorId}|${r.ai.geoLevel}|${r.ai.geoCode}`) ?? null,
    })),
    notes: noteRows
      .filter((n) => {
        const c = perAction.get(n.actionId) ?? 0;
        perAction.set(n.actionId, c + 1);
        return c < notesLimit;
      })
      .map((n) => ({ actionId: n.actionId, body: n.body, at: n.at, author: n.author, visibility: n.visibility })),
  };
}
