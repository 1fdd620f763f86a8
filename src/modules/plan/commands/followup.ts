// Commands of an action's follow-up sheet. Each runs in the caller's transaction after
// assertMayEditAction (the action locked), checks what only the database knows, writes, and
// records the change in the audit trail under the action (its sheet shows one history).
import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import type { Tx } from "../../../core/db/client.ts";
import { memberships, users } from "../../../core/db/schema.ts";
import { indicators, observations, type GeoLevel } from "../../observatory/api.ts";
import { moveInOrder, type ActionStatus, type Visibility } from "../model.ts";
import { COST_NATURE_LABELS, formatEuros, parisToday, FUNDER_KIND_LABELS, LINK_KIND_LABELS, PRIORITY_LABELS, PROGRESS_MODE_LABELS, type CostNature, type FunderKind, type ProgressMode } from "../followup-model.ts";
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
  PRIORITIES,
} from "../schema.ts";
import { FormError, NotFoundError } from "./errors.ts";

type Ctx = { tx: Tx; audit: AuditContext; territoryId: number; actionId: number };

const log = (c: Ctx, action: string, before: unknown, after: unknown) =>
  recordAudit(c.tx, c.audit, { territoryId: c.territoryId, action, entity: "action", entityId: c.actionId, before, after });

async function touch(c: Ctx) {
  await c.tx.update(actions).set({ updatedAt: new Date() }).where(and(eq(actions.id, c.actionId), eq(actions.territoryId, c.territoryId)));
}

// ----- people -----

export interface PeopleInput {
  pilotUserIds: number[];
  referentElu: string | null;
  priority: (typeof PRIORITIES)[number];
  tags: string[];
}

/** Pilots (the territory's active agents and administrators), referent élu, priority and tags. */
export async function savePeople(c: Ctx, input: PeopleInput): Promise<boolean> {
  const eligible = input.pilotUserIds.length
    ? await c.tx
        .selectDistinct({ id: memberships.userId })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(
          and(
            eq(memberships.territoryId, c.territoryId),
            inArray(memberships.userId, input.pilotUserIds),
            inArray(memberships.role, ["agent", "territory_admin"]),
            eq(memberships.status, "active"),
            isNull(users.anonymisedAt),
          ),
        )
    : [];
  if (eligible.length !== input.pilotUserIds.length) throw new FormError({ pilotUserIds: "Choisissez les pilotes parmi les agents du territoire proposés." });
  const [action] = await c.tx.select().from(actions).where(and(eq(actions.id, c.actionId), eq(actions.territoryId, c.territoryId)));
  const oldPilots = (await c.tx.select({ userId: actionPilots.userId }).from(actionPilots).where(and(eq(actionPilots.territoryId, c.territoryId), eq(actionPilots.actionId, c.actionId)))).map((p) => p.userId).sort((a, b) => a - b);
  const newPilots = [...input.pilotUserIds].sort((a, b) => a - b);
  const before = { pilots: oldPilots, referentElu: action.referentElu, priority: action.priority, tags: action.tags };
  const after = { pilots: newPilots, referentElu: input.referentElu, priority: input.priority, tags: input.tags };
  if (JSON.stringify(before) === JSON.stringify(after)) return false;
  const ids = [...new Set([...oldPilots, ...newPilots])];
  const names = new Map((ids.length ? await c.tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids)) : []).map((u) => [u.id, u.name]));
  const readable = (x: typeof before) => ({ ...x, pilots: x.pilots.map((id) => names.get(id) ?? `compte ${id}`), priority: PRIORITY_LABELS[x.priority] });
  await c.tx
    .update(actions)
    .set({ referentElu: input.referentElu, priority: input.priority, tags: input.tags, updatedAt: new Date() })
    .where(and(eq(actions.id, c.actionId), eq(actions.territoryId, c.territoryId)));
  if (JSON.stringify(oldPilots) !== JSON.stringify(newPilots)) {
    await c.tx.delete(actionPilots).where(and(eq(actionPilots.territoryId, c.territoryId), eq(actionPilots.actionId, c.actionId)));
    if (newPilots.length) await c.tx.insert(actionPilots).values(newPilots.map((userId) => ({ territoryId: c.territoryId, actionId: c.actionId, userId })));
  }
  await log(c, "update", readable(before), readable(after));
  return true;
}

// ----- schedule and status -----

export interface ScheduleInput {
  startDate: string | null;
  plannedEndDate: string | null;
  progressMode: ProgressMode;
  progressManual: number | null;
}

export async function saveSchedule(c: Ctx, input: ScheduleInput): Promise<boolean> {
  if (input.startDate && input.plannedEndDate && input.plannedEndDate < input.startDate) throw new FormError({ plannedEndDate: "La fin prévue ne peut pas précéder le début." });
  if (input.progressMode === "manual" && input.progressManual === null) throw new FormError({ progressManual: "Indiquez l’avancement en pourcentage, ou choisissez de le calculer à partir des jalons." });
  const [a] = await c.tx.select().from(actions).where(and(eq(actions.id, c.actionId), eq(actions.territoryId, c.territoryId)));
  const before = { startDate: a.startDate, plannedEndDate: a.plannedEndDate, progressMode: a.progressMode, progressManual: a.progressManual };
  if (JSON.stringify(before) === JSON.stringify(input)) return false;
  await c.tx.update(actions).set({ ...input, updatedAt: new Date() }).where(and(eq(actions.id, c.actionId), eq(actions.territoryId, c.territoryId)));
  const readable = (x: ScheduleInput) => ({ ...x, progressMode: PROGRESS_MODE_LABELS[x.progressMode] });
  await log(c, "update", readable(before), readable(input));
  return true;
}

/** Records a status change (from the edit form or the sheet's status form); nothing when unchanged. */
export async function recordStatusChange(tx: Tx, audit: AuditContext, territoryId: number, actionId: number, from: ActionStatus | null, to: ActionStatus | null, comment: string | null): Promise<void> {
  if (from === to) return;
  await tx.insert(statusChanges).values({ territoryId, actionId, fromStatus: from, toStatus: to, comment, authorId: audit.actor.user?.id ?? null });
}

/** Changes an action's status with a comment: the status history and the audit trail record it. */
export async function changeStatus(c: Ctx, to: ActionStatus | null, comment: string | null): Promise<boolean> {
  const [a] = await c.tx.select({ status: actions.status }).from(actions).where(and(eq(actions.id, c.actionId), eq(actions.territoryId, c.territoryId)));
  if (a.status === to) {
    if (!comment) return false;
    throw new FormError({ status: "L’action a déjà ce statut : choisissez-en un autre, ou ajoutez une note de suivi." });
  }
  await c.tx.update(actions).set({ status: to, updatedAt: new Date() }).where(and(eq(actions.id, c.actionId), eq(actions.territoryId, c.territoryId)));
  await recordStatusChange(c.tx, c.audit, c.territoryId, c.actionId, a.status, to, comment);
  await log(c, "state", { status: a.status }, { status: to, comment });
  return true;
}

// ----- milestones -----

export interface MilestoneInput {
  name: string;
  dueDate: string | null;
  doneDate: string | null;
  visibility: Visibility;
}

/** A milestone cannot have been done after today (Paris). */
function assertDoneNotInFuture(input: MilestoneInput): void {
  if (input.doneDate && input.doneDate > parisToday()) throw new FormError({ doneDate: "La date de réalisation ne peut pas être dans le futur." });
}

export async function addMilestone(c: Ctx, input: MilestoneInput): Promise<number> {
  assertDoneNotInFuture(input);
  const [{ next }] = await c.tx
    .select({ next: sql<number>`coalesce(max(${milestones.position}), -1) + 1` })
    .from(milestones)
    .where(and(eq(milestones.territoryId, c.territoryId), eq(milestones.actionId, c.actionId)));
  const [row] = await c.tx.insert(milestones).values({ territoryId: c.territoryId, actionId: c.actionId, ...input, position: Number(next) }).returning({ id: milestones.id });
  await touch(c);
  await log(c, "create", null, { milestone: input.name, ...input });
  return row.id;
}

async function findMilestone(c: Ctx, id: number) {
  const [m] = await c.tx.select().from(milestones).where(and(eq(milestones.id, id), eq(milestones.territoryId, c.territoryId), eq(milestones.actionId, c.actionId)));
  if (!m) throw new NotFoundError();
  return m;
}

export async function updateMilestone(c: Ctx, id: number, input: MilestoneInput): Promise<boolean> {
  const m = await findMilestone(c, id);
  assertDoneNotInFuture(input);
  const before = { name: m.name, dueDate: m.dueDate, doneDate: m.doneDate, visibility: m.visibility };
  if (JSON.stringify(before) === JSON.stringify(input)) return false;
  await c.tx.update(milestones).set(input).where(eq(milestones.id, id));
  await touch(c);
  await log(c, "update", { milestone: m.name, ...before }, { milestone: input.name, ...input });
  return true;
}

/** Marks a milestone done on `today` (Paris); answers false when it already was. */
export async function markMilestoneDone(c: Ctx, id: number, today: string): Promise<boolean> {
  const m = await findMilestone(c, id);
  if (m.doneDate) return false;
  await c.tx.update(milestones).set({ doneDate: today }).where(eq(milestones.id, id));
  await touch(c);
  await log(c, "update", { milestone: m.name, doneDate: null }, { milestone: m.name, doneDate: today });
  return true;
}

export async function moveMilestone(c: Ctx, id: number, direction: "up" | "down"): Promise<boolean> {
  await findMilestone(c, id);
  const all = await c.tx
    .select({ id: milestones.id, position: milestones.position })
    .from(milestones)
    .where(and(eq(milestones.territoryId, c.territoryId), eq(milestones.actionId, c.actionId)))
    .orderBy(asc(milestones.position), asc(milestones.id));
  const order = moveInOrder(all, id, direction);
  if (!order) return false;
  for (const o of order) await c.tx.update(milestones).set({ position: o.position }).where(eq(milestones.id, o.id));
  await log(c, "reorder", { milestones: all.map((m) => m.id) }, { milestones: order.map((o) => o.id) });
  return true;
}

export async function deleteMilestone(c: Ctx, id: number): Promise<void> {
  const m = await findMilestone(c, id);
  await c.tx.delete(milestones).where(eq(milestones.id, id));
  await touch(c);
  await log(c, "delete", { milestone: m.name, dueDate: m.dueDate, doneDate: m.doneDate }, null);
}

// ----- money -----

/** Sets the planned cost of one year and nature (replacing the line of that year and nature, if any). */
export async function saveBudgetLine(c: Ctx, input: { year: number; nature: CostNature; amountCents: number; label: string | null }): Promise<void> {
  const [existing] = await c.tx
    .select()
    .from(budgetLines)
    .where(and(eq(budgetLines.territoryId, c.territoryId), eq(budgetLines.actionId, c.actionId), eq(budgetLines.year, input.year), eq(budgetLines.nature, input.nature)));
  if (existing) {
    await c.tx.update(budgetLines).set({ amountCents: input.amountCents, label: input.label }).where(eq(budgetLines.id, existing.id));
    await log(c, "update", { budget: budgetName(existing), amount: formatEuros(existing.amountCents), label: existing.label }, { budget: budgetName(input), amount: formatEuros(input.amountCents), label: input.label });
  } else {
    await c.tx.insert(budgetLines).values({ territoryId: c.territoryId, actionId: c.actionId, ...input });
    await log(c, "create", null, { budget: budgetName(input), amount: formatEuros(input.amountCents), label: input.label });
  }
  await touch(c);
}

export async function deleteBudgetLine(c: Ctx, id: number): Promise<void> {
  const [line] = await c.tx.select().from(budgetLines).where(and(eq(budgetLines.id, id), eq(budgetLines.territoryId, c.territoryId), eq(budgetLines.actionId, c.actionId)));
  if (!line) throw new NotFoundError();
  await c.tx.delete(budgetLines).where(eq(budgetLines.id, id));
  await touch(c);
  await log(c, "delete", { budget: budgetName(line), amount: formatEuros(line.amountCents) }, null);
}

export interface FinancingInput {
  funderKind: FunderKind;
  funderName: string;
  requestedCents: number;
  grantedCents: number;
  paidCents: number;
  comment: string | null;
}

export async function addFinancingLine(c: Ctx, input: FinancingInput): Promise<number> {
  const [{ next }] = await c.tx
    .select({ next: sql<number>`coalesce(max(${financingLines.position}), -1) + 1` })
    .from(financingLines)
    .where(and(eq(financingLines.territoryId, c.territoryId), eq(financingLines.actionId, c.actionId)));
  const [row] = await c.tx.insert(financingLines).values({ territoryId: c.territoryId, actionId: c.actionId, ...input, position: Number(next) }).returning({ id: financingLines.id });
  await touch(c);
  await log(c, "create", null, financingRecord(input));
  return row.id;
}

async function findFinancing(c: Ctx, id: number) {
  const [line] = await c.tx.select().from(financingLines).where(and(eq(financingLines.id, id), eq(financingLines.territoryId, c.territoryId), eq(financingLines.actionId, c.actionId)));
  if (!line) throw new NotFoundError();
  return line;
}

export async function updateFinancingLine(c: Ctx, id: number, input: FinancingInput): Promise<boolean> {
  const line = await findFinancing(c, id);
  const before = { funderKind: line.funderKind, funderName: line.funderName, requestedCents: line.requestedCents, grantedCents: line.grantedCents, paidCents: line.paidCents, comment: line.comment };
  if (JSON.stringify(before) === JSON.stringify(input)) return false;
  await c.tx.update(financingLines).set(input).where(eq(financingLines.id, id));
  await touch(c);
  await log(c, "update", financingRecord(before), financingRecord(input));
  return true;
}

export async function deleteFinancingLine(c: Ctx, id: number): Promise<void> {
  const line = await findFinancing(c, id);
  await c.tx.delete(financingLines).where(eq(financingLines.id, id));
  await touch(c);
  await log(c, "delete", financingRecord(line), null);
}

const budgetName = (l: { year: number; nature: CostNature }) => `${l.year}, ${COST_NATURE_LABELS[l.nature].toLowerCase()}`;

/** A financing line as the history reads it (labels, euros). */
function financingRecord(l: FinancingInput) {
  return {
    financing: l.funderName,
    funderKind: FUNDER_KIND_LABELS[l.funderKind],
    requested: formatEuros(l.requestedCents),
    granted: formatEuros(l.grantedCents),
    paid: formatEuros(l.paidCents),
    comment: l.comment,
  };
}

// ----- notes and documents -----

export async function addNote(c: Ctx, input: { body: string; visibility: Visibility }): Promise<number> {
  const [row] = await c.tx
    .insert(actionNotes)
    .values({ territoryId: c.territoryId, actionId: c.actionId, body: input.body, visibility: input.visibility, authorId: c.audit.actor.user?.id ?? null })
    .returning({ id: actionNotes.id });
  await touch(c);
  await log(c, "create", null, { note: row.id, body: input.body, visibility: input.visibility });
  return row.id;
}

export async function archiveNote(c: Ctx, id: number): Promise<void> {
  const [n] = await c.tx.select().from(actionNotes).where(and(eq(actionNotes.id, id), eq(actionNotes.territoryId, c.territoryId), eq(actionNotes.actionId, c.actionId), isNull(actionNotes.archivedAt)));
  if (!n) throw new NotFoundError();
  await c.tx.update(actionNotes).set({ archivedAt: new Date() }).where(eq(actionNotes.id, id));
  await log(c, "archive", { note: id, body: n.body }, null);
}

export async function setNoteVisibility(c: Ctx, id: number, visibility: Visibility): Promise<boolean> {
  const [n] = await c.tx.select().from(actionNotes).where(and(eq(actionNotes.id, id), eq(actionNotes.territoryId, c.territoryId), eq(actionNotes.actionId, c.actionId), isNull(actionNotes.archivedAt)));
  if (!n) throw new NotFoundError();
  if (n.visibility === visibility) return false;
  await c.tx.update(actionNotes).set({ visibility }).where(eq(actionNotes.id, id));
  await log(c, "update", { note: id, visibility: n.visibility }, { note: id, visibility });
  return true;
}

export async function addDocument(c: Ctx, input: { fileId: number; title: string; visibility: Visibility }): Promise<number> {
  const [row] = await c.tx
    .insert(actionDocuments)
    .values({ territoryId: c.territoryId, actionId: c.actionId, ...input, uploadedBy: c.audit.actor.user?.id ?? null })
    .returning({ id: actionDocuments.id });
  await touch(c);
  await log(c, "create", null, { document: row.id, title: input.title, visibility: input.visibility });
  return row.id;
}

export async function updateDocument(c: Ctx, id: number, op: { archive: true } | { visibility: Visibility }): Promise<boolean> {
  const [d] = await c.tx.select().from(actionDocuments).where(and(eq(actionDocuments.id, id), eq(actionDocuments.territoryId, c.territoryId), eq(actionDocuments.actionId, c.actionId), isNull(actionDocuments.archivedAt)));
  if (!d) throw new NotFoundError();
  if ("archive" in op) {
    await c.tx.update(actionDocuments).set({ archivedAt: new Date() }).where(eq(actionDocuments.id, id));
    await log(c, "archive", { document: id, title: d.title }, null);
    return true;
  }
  if (d.visibility === op.visibility) return false;
  await c.tx.update(actionDocuments).set({ visibility: op.visibility }).where(eq(actionDocuments.id, id));
  await log(c, "update", { document: id, title: d.title, visibility: d.visibility }, { document: id, title: d.title, visibility: op.visibility });
  return true;
}

// ----- links between actions -----

export async function addLink(c: Ctx, input: { toActionId: number; kind: "related" | "depends_on" | "follows" }): Promise<void> {
  if (input.toActionId === c.actionId) throw new FormError({ toActionId: "Une action ne peut pas être liée à elle-même." });
  const [other] = await c.tx.select({ id: actions.id, number: actions.number }).from(actions).where(and(eq(actions.id, input.toActionId), eq(actions.territoryId, c.territoryId)));
  if (!other) throw new FormError({ toActionId: "Choisissez une action du plan dans la liste." });
  const [existing] = await c.tx
    .select({ id: actionLinks.id })
    .from(actionLinks)
    .where(
      and(
        eq(actionLinks.territoryId, c.territoryId),
        or(and(eq(actionLinks.fromActionId, c.actionId), eq(actionLinks.toActionId, other.id)), and(eq(actionLinks.fromActionId, other.id), eq(actionLinks.toActionId, c.actionId))),
      ),
    );
  if (existing) throw new FormError({ toActionId: `Les deux actions sont déjà liées : retirez le lien existant pour en changer la nature.` });
  await c.tx.insert(actionLinks).values({ territoryId: c.territoryId, fromActionId: c.actionId, toActionId: other.id, kind: input.kind });
  await log(c, "create", null, { link: `action ${other.number}`, kind: LINK_KIND_LABELS[input.kind] });
}

export async function deleteLink(c: Ctx, id: number): Promise<void> {
  const [l] = await c.tx
    .select()
    .from(actionLinks)
    .where(and(eq(actionLinks.id, id), eq(actionLinks.territoryId, c.territoryId), or(eq(actionLinks.fromActionId, c.actionId), eq(actionLinks.toActionId, c.actionId))));
  if (!l) throw new NotFoundError();
  await c.tx.delete(actionLinks).where(eq(actionLinks.id, id));
  const [other] = await c.tx.select({ number: actions.number }).from(actions).where(eq(actions.id, l.fromActionId === c.actionId ? l.toActionId : l.fromActionId));
  await log(c, "delete", { link: `action ${other?.number ?? "?"}`, kind: LINK_KIND_LABELS[l.kind] }, null);
}

// ----- indicators -----

export interface IndicatorLinkInput {
  baselineValue: number | null;
  baselineDate: string | null;
  visibility: Visibility;
}

/**
 * Links an indicator of the catalogue (national, or the territory's local one) to the action, read at
 * one geography (the territory by default).
 */
export async function linkIndicator(c: Ctx, input: IndicatorLinkInput & { indicatorId: number; geoLevel: GeoLevel; geoCode: string }): Promise<number> {
  const [ind] = await c.tx
    .select()
    .from(indicators)
    .where(and(eq(indicators.id, input.indicatorId), or(isNull(indicators.territoryId), eq(indicators.territoryId, c.territoryId)), isNull(indicators.archivedAt)));
  if (!ind) throw new FormError({ indicatorId: "Choisissez un indicateur du catalogue dans la liste." });
  const [dup] = await c.tx
    .select({ id: actionIndicators.id })
    .from(actionIndicators)
    .where(and(eq(actionIndicators.territoryId, c.territoryId), eq(actionIndicators.actionId, c.actionId), eq(actionIndicators.indicatorId, ind.id), eq(actionIndicators.geoLevel, input.geoLevel), eq(actionIndicators.geoCode, input.geoCode)));
  if (dup) throw new FormError({ indicatorId: "Cet indicateur est déjà suivi par l’action." });
  return insertActionIndicator(c, ind.id, ind.name, input);
}

async function insertActionIndicator(c: Ctx, indicatorId: number, name: string, input: IndicatorLinkInput & { geoLevel: GeoLevel; geoCode: string }): Promise<number> {
  const [{ next }] = await c.tx
    .select({ next: sql<number>`coalesce(max(${actionIndicators.position}), -1) + 1` })
    .from(actionIndicators)
    .where(and(eq(actionIndicators.territoryId, c.territoryId), eq(actionIndicators.actionId, c.actionId)));
  const [row] = await c.tx
    .insert(actionIndicators)
    .values({ territoryId: c.territoryId, actionId: c.actionId, indicatorId, ...input, position: Number(next) })
    .returning({ id: actionIndicators.id });
  await touch(c);
  await log(c, "create", null, { indicator: name, geoLevel: input.geoLevel, geoCode: input.geoCode, baselineValue: input.baselineValue, baselineDate: input.baselineDate, visibility: input.visibility });
  return row.id;
}

/**
 * Creates a local indicator of the territory for this action (code `action-{id}-{n}`, level
 * `action`) and links it: its actual values are observations at (`action`, action id).
 */
export async function createActionIndicator(c: Ctx, input: IndicatorLinkInput & { name: string; unit: string; decimals: number; direction: "up" | "down" | "neutral" }): Promise<number> {
  const [{ n }] = await c.tx.select({ n: sql<number>`count(*)` }).from(indicators).where(and(eq(indicators.territoryId, c.territoryId), sql`${indicators.code} like ${`action-${c.actionId}-%`}`));
  const code = `action-${c.actionId}-${Number(n) + 1}`;
  const [ind] = await c.tx
    .insert(indicators)
    .values({ territoryId: c.territoryId, code, name: input.name, unit: input.unit, decimals: input.decimals, direction: input.direction, levels: ["action"], periodicity: "punctual", aggregation: "none", theme: "Plan d’actions" })
    .returning({ id: indicators.id });
  return insertActionIndicator(c, ind.id, input.name, { baselineValue: input.baselineValue, baselineDate: input.baselineDate, visibility: input.visibility, geoLevel: "action", geoCode: String(c.actionId) });
}

async function findActionIndicator(c: Ctx, id: number) {
  const [r] = await c.tx
    .select({ link: actionIndicators, name: indicators.name, indicatorTerritoryId: indicators.territoryId })
    .from(actionIndicators)
    .innerJoin(indicators, eq(indicators.id, actionIndicators.indicatorId))
    .where(and(eq(actionIndicators.id, id), eq(actionIndicators.territoryId, c.territoryId), eq(actionIndicators.actionId, c.actionId)));
  if (!r) throw new NotFoundError();
  return r;
}

export async function updateActionIndicator(c: Ctx, id: number, input: IndicatorLinkInput): Promise<boolean> {
  const r = await findActionIndicator(c, id);
  const before = { baselineValue: r.link.baselineValue, baselineDate: r.link.baselineDate, visibility: r.link.visibility };
  if (JSON.stringify(before) === JSON.stringify(input)) return false;
  await c.tx.update(actionIndicators).set(input).where(eq(actionIndicators.id, id));
  await touch(c);
  await log(c, "update", { indicator: r.name, ...before }, { indicator: r.name, ...input });
  return true;
}

/** Sets the target of a date (replacing the one of that date). */
export async function setTarget(c: Ctx, id: number, input: { targetDate: string; value: number }): Promise<void> {
  const r = await findActionIndicator(c, id);
  const [existing] = await c.tx.select().from(indicatorTargets).where(and(eq(indicatorTargets.actionIndicatorId, id), eq(indicatorTargets.targetDate, input.targetDate)));
  if (existing) await c.tx.update(indicatorTargets).set({ value: input.value }).where(eq(indicatorTargets.id, existing.id));
  else await c.tx.insert(indicatorTargets).values({ territoryId: c.territoryId, actionIndicatorId: id, ...input });
  await touch(c);
  await log(c, existing ? "update" : "create", existing ? { indicator: r.name, target: existing.targetDate, value: existing.value } : null, { indicator: r.name, target: input.targetDate, value: input.value });
}

export async function deleteTarget(c: Ctx, id: number, targetId: number): Promise<void> {
  const r = await findActionIndicator(c, id);
  const [t] = await c.tx.select().from(indicatorTargets).where(and(eq(indicatorTargets.id, targetId), eq(indicatorTargets.actionIndicatorId, id), eq(indicatorTargets.territoryId, c.territoryId)));
  if (!t) throw new NotFoundError();
  await c.tx.delete(indicatorTargets).where(eq(indicatorTargets.id, targetId));
  await log(c, "delete", { indicator: r.name, target: t.targetDate, value: t.value }, null);
}

/**
 * Records an actual value: an observation of the indicator at the linked geography and date (so the
 * observatory's series shows it). Only the action's own series may be written from the sheet.
 */
export async function recordActualValue(c: Ctx, id: number, input: { period: string; value: number; source: string | null; comment: string | null }): Promise<void> {
  const r = await findActionIndicator(c, id);
  if (r.indicatorTerritoryId !== c.territoryId) throw new FormError({ value: "Les valeurs d’un indicateur national viennent de l’observatoire : elles ne se saisissent pas sur la fiche." });
  const key = and(eq(observations.indicatorId, r.link.indicatorId), eq(observations.geoLevel, r.link.geoLevel), eq(observations.geoCode, r.link.geoCode), eq(observations.period, input.period));
  const [existing] = await c.tx.select().from(observations).where(key);
  if (existing) await c.tx.update(observations).set({ value: input.value, source: input.source, comment: input.comment, status: "final", enteredBy: c.audit.actor.user?.id ?? null }).where(key);
  else
    await c.tx.insert(observations).values({
      indicatorId: r.link.indicatorId,
      geoLevel: r.link.geoLevel,
      geoCode: r.link.geoCode,
      period: input.period,
      value: input.value,
      source: input.source,
      comment: input.comment,
      enteredBy: c.audit.actor.user?.id ?? null,
    });
  await c.tx.update(indicators).set({ lastUpdate: input.period }).where(eq(indicators.id, r.link.indicatorId));
  await touch(c);
  await log(c, existing ? "update" : "create", existing ? { indicator: r.name, period: input.period, value: existing.value } : null, { indicator: r.name, period: input.period, value: input.value, source: input.source });
}

export async function unlinkIndicator(c: Ctx, id: number): Promise<void> {
  const r = await findActionIndicator(c, id);
  await c.tx.delete(indicatorTargets).where(eq(indicatorTargets.actionIndicatorId, id));
  await c.tx.delete(actionIndicators).where(eq(actionIndicators.id, id));
  await touch(c);
  await log(c, "delete", { indicator: r.name, geoLevel: r.link.geoLevel, geoCode: r.link.geoCode }, null);
}
