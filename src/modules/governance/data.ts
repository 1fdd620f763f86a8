import { and, asc, desc, eq, gt, inArray, isNull, lt, max, or, sql } from "drizzle-orm";
import type { Db, Tx } from "../../core/db/client.ts";
import { recordAudit, type AuditContext } from "../../core/audit/index.ts";
import type { FieldErrors } from "../../core/forms/index.ts";
import { actionPartners, actions, milestones, objectives, parisToday, statusChanges, themes } from "../plan/api.ts";
import { governanceBodies, governanceMembers, loadAgreement, territories, territoryAuthorities } from "../territories/api.ts";
import { proposals } from "../participation/api.ts";
import { agendaItems, amendmentChanges, amendments, decisionActions, decisions, meetingInvitees, meetings, planVersions } from "./schema.ts";
import { frenchDate, nextNumber, STATUS_TEXT, type PlanSnapshot } from "./model.ts";

// Queries and commands of the governance module; every query is scoped to one territory.

export class FormError extends Error {
  constructor(public readonly errors: FieldErrors) {
    super(Object.values(errors)[0] ?? "Formulaire invalide");
  }
}
export class NotFoundError extends Error {}
export class ConflictError extends Error {}

// ----- snapshots and versions -----

/** The plan as it stands now (live themes, objectives, actions; withdrawn actions left out). */
export async function takeSnapshot(db: Tx, territoryId: number): Promise<PlanSnapshot> {
  // One query after the other: inside a transaction, the connection runs one query at a time.
  const th = await db.select().from(themes).where(and(eq(themes.territoryId, territoryId), isNull(themes.archivedAt))).orderBy(asc(themes.position), asc(themes.id));
  const ob = await db.select().from(objectives).where(and(eq(objectives.territoryId, territoryId), isNull(objectives.archivedAt))).orderBy(asc(objectives.position), asc(objectives.id));
  const ac = await db
    .select()
    .from(actions)
    .where(and(eq(actions.territoryId, territoryId), isNull(actions.archivedAt), isNull(actions.withdrawnAt)))
    .orderBy(asc(actions.number));
  const auths = await db.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, territoryId));
  const themeIds = new Set(th.map((t) => t.id));
  const obs = ob.filter((o) => themeIds.has(o.themeId));
  const obIds = new Set(obs.map((o) => o.id));
  const authName = new Map(auths.map((a) => [a.id, a.name]));
  return {
    themes: th.map((t) => ({ id: t.id, code: t.code, title: t.title, visibility: t.visibility })),
    objectives: obs.map((o) => ({ id: o.id, themeId: o.themeId, title: o.title, visibility: o.visibility })),
    actions: ac
      .filter((a) => obIds.has(a.objectiveId))
      .map((a) => ({
        id: a.id,
        number: a.number,
        title: a.title,
        description: a.description,
        status: a.status,
        visibility: a.visibility,
        objectiveId: a.objectiveId,
        lead: a.leadAuthorityId ? (authName.get(a.leadAuthorityId) ?? null) : null,
        joint: a.joint,
      })),
  };
}

/**
 * Version 1 of a territory's plan, when it has none: the plan as signed (effective on the agreement's
 * signature date, or today for a territory without one). Returns whether it was created.
 */
export async function ensureFirstVersion(tx: Tx, audit: AuditContext, territoryId: number): Promise<boolean> {
  const existing = await tx.select({ id: planVersions.id }).from(planVersions).where(eq(planVersions.territoryId, territoryId)).limit(1);
  if (existing.length) return false;
  const agreement = await loadAgreement(tx as Db, territoryId);
  const effectiveOn = agreement?.signedOn ?? parisToday();
  const snapshot = await takeSnapshot(tx, territoryId);
  const [v] = await tx
    .insert(planVersions)
    .values({ territoryId, number: 1, label: agreement?.signedOn ? "Plan signé" : "Plan initial", effectiveOn, snapshot })
    .returning({ id: planVersions.id });
  await recordAudit(tx, audit, { territoryId, action: "create", entity: "plan_version", entityId: v!.id, after: { number: 1, effectiveOn, actions: snapshot.actions.length } });
  return true;
}

/**
 * Seeds version 1 for the seeded territories (reference and demo) without one (idempotent). A
 * territory created on the platform starts with an empty plan: its version 1 is taken when its
 * first amendment is applied (the plan as it stood just before).
 */
export async function seedFirstVersions(db: Db, audit: AuditContext): Promise<void> {
  const rows = await db.select({ id: territories.id }).from(territories).where(inArray(territories.kind, ["reference", "demo"]));
  for (const t of rows) await db.transaction((tx) => ensureFirstVersion(tx, audit, t.id));
}

export async function listVersions(db: Tx, territoryId: number) {
  return db
    .select({
      id: planVersions.id,
      number: planVersions.number,
      label: planVersions.label,
      effectiveOn: planVersions.effectiveOn,
      snapshot: planVersions.snapshot,
      decisionId: planVersions.decisionId,
      decisionNumber: decisions.number,
      decisionTitle: decisions.title,
      amendmentNumber: amendments.number,
      amendmentId: planVersions.amendmentId,
    })
    .from(planVersions)
    .leftJoin(decisions, eq(decisions.id, planVersions.decisionId))
    .leftJoin(amendments, eq(amendments.id, planVersions.amendmentId))
    .where(eq(planVersions.territoryId, territoryId))
    .orderBy(asc(planVersions.number))
    .then((rows) => rows.map((r) => ({ ...r, snapshot: r.snapshot as PlanSnapshot })));
}
export type VersionRow = Awaited<ReturnType<typeof listVersions>>[number];

/** The actions each applied amendment of the territory added, changed or withdrew, by amendment id. */
export async function actionsTouchedByAmendments(db: Tx, territoryId: number): Promise<Map<number, Set<number>>> {
  const rows = await db
    .select({ amendmentId: amendmentChanges.amendmentId, actionId: amendmentChanges.actionId })
    .from(amendmentChanges)
    .where(eq(amendmentChanges.territoryId, territoryId));
  const out = new Map<number, Set<number>>();
  for (const r of rows) {
    if (r.actionId === null) continue;
    const set = out.get(r.amendmentId) ?? new Set<number>();
    set.add(r.actionId);
    out.set(r.amendmentId, set);
  }
  return out;
}

// ----- bodies and members -----

export async function loadBodies(db: Tx, territoryId: number) {
  const [bodies, members] = await Promise.all([
    db.select().from(governanceBodies).where(eq(governanceBodies.territoryId, territoryId)).orderBy(asc(governanceBodies.position), asc(governanceBodies.id)),
    db.select().from(governanceMembers).where(eq(governanceMembers.territoryId, territoryId)).orderBy(asc(governanceMembers.position), asc(governanceMembers.id)),
  ]);
  return bodies.map((b) => ({ ...b, members: members.filter((m) => m.bodyId === b.id) }));
}
export type BodyWithMembers = Awaited<ReturnType<typeof loadBodies>>[number];

export async function findBody(db: Tx, territoryId: number, id: number) {
  return (await db.select().from(governanceBodies).where(and(eq(governanceBodies.territoryId, territoryId), eq(governanceBodies.id, id))))[0];
}
export async function findMember(db: Tx, territoryId: number, id: number) {
  return (await db.select().from(governanceMembers).where(and(eq(governanceMembers.territoryId, territoryId), eq(governanceMembers.id, id))))[0];
}

// ----- meetings -----

export async function listMeetings(db: Tx, territoryId: number) {
  return db
    .select({ meeting: meetings, bodyName: governanceBodies.name })
    .from(meetings)
    .innerJoin(governanceBodies, eq(governanceBodies.id, meetings.bodyId))
    .where(eq(meetings.territoryId, territoryId))
    .orderBy(desc(meetings.startsAt));
}

export async function findMeeting(db: Tx, territoryId: number, id: number) {
  const [row] = await db
    .select({ meeting: meetings, bodyName: governanceBodies.name, bodyKind: governanceBodies.kind })
    .from(meetings)
    .innerJoin(governanceBodies, eq(governanceBodies.id, meetings.bodyId))
    .where(and(eq(meetings.territoryId, territoryId), eq(meetings.id, id)));
  return row;
}

export async function loadAgenda(db: Tx, territoryId: number, meetingId: number) {
  return db
    .select()
    .from(agendaItems)
    .where(and(eq(agendaItems.territoryId, territoryId), eq(agendaItems.meetingId, meetingId)))
    .orderBy(asc(agendaItems.position), asc(agendaItems.id));
}

export async function loadInvitees(db: Tx, territoryId: number, meetingId: number) {
  return db
    .select()
    .from(meetingInvitees)
    .where(and(eq(meetingInvitees.territoryId, territoryId), eq(meetingInvitees.meetingId, meetingId)))
    .orderBy(asc(meetingInvitees.id));
}

export interface AgendaSuggestion {
  key: string;
  kind: "late_milestones" | "status_change" | "proposal" | "amendment";
  title: string;
  actionId: number | null;
  proposalId: number | null;
}

/**
 * What the committee may need to look at: overdue milestones, status changes since the body's last
 * held meeting, open proposals of industrialists, draft amendments — minus what the agenda already holds.
 */
export async function agendaSuggestions(db: Tx, territoryId: number, meeting: { id: number; bodyId: number; startsAt: Date }, today = parisToday()): Promise<AgendaSuggestion[]> {
  const [last] = await db
    .select({ at: max(meetings.startsAt) })
    .from(meetings)
    .where(and(eq(meetings.territoryId, territoryId), eq(meetings.bodyId, meeting.bodyId), eq(meetings.status, "held"), lt(meetings.startsAt, meeting.startsAt)));
  const since = last?.at ? new Date(last.at) : new Date(0);
  const [late, changes, open, drafts, agenda] = await Promise.all([
    db
      .select({ id: milestones.id, name: milestones.name, dueDate: milestones.dueDate, actionId: actions.id, number: actions.number, title: actions.title })
      .from(milestones)
      .innerJoin(actions, eq(actions.id, milestones.actionId))
      .where(and(eq(milestones.territoryId, territoryId), isNull(milestones.doneDate), lt(milestones.dueDate, today), isNull(actions.archivedAt), isNull(actions.withdrawnAt)))
      .orderBy(asc(milestones.dueDate), asc(milestones.id)),
    db
      .select({ id: statusChanges.id, toStatus: statusChanges.toStatus, at: statusChanges.at, actionId: actions.id, number: actions.number, title: actions.title })
      .from(statusChanges)
      .innerJoin(actions, eq(actions.id, statusChanges.actionId))
      .where(and(eq(statusChanges.territoryId, territoryId), gt(statusChanges.at, since)))
      .orderBy(asc(statusChanges.at)),
    db
      .select({ id: proposals.id, title: proposals.title })
      .from(proposals)
      .where(and(eq(proposals.territoryId, territoryId), inArray(proposals.status, ["submitted", "under_review"])))
      .orderBy(asc(proposals.createdAt)),
    db.select().from(amendments).where(and(eq(amendments.territoryId, territoryId), eq(amendments.status, "draft"))).orderBy(asc(amendments.number)),
    loadAgenda(db, territoryId, meeting.id),
  ]);
  const out: AgendaSuggestion[] = [];
  for (const m of late)
    out.push({ key: `jalon-${m.id}`, kind: "late_milestones", title: `Action ${m.number} – ${m.title} : jalon « ${m.name} » en retard (prévu le ${frenchDate(m.dueDate!)})`, actionId: m.actionId, proposalId: null });
  for (const c of changes)
    out.push({ key: `statut-${c.id}`, kind: "status_change", title: `Action ${c.number} – ${c.title} : statut passé à « ${c.toStatus ? (STATUS_TEXT[c.toStatus] ?? c.toStatus) : "non renseigné"} »`, actionId: c.actionId, proposalId: null });
  for (const p of open) out.push({ key: `proposition-${p.id}`, kind: "proposal", title: `Proposition d'industriel : ${p.title}`, actionId: null, proposalId: p.id });
  for (const a of drafts) out.push({ key: `avenant-${a.id}`, kind: "amendment", title: `Avenant n° ${a.number} en préparation : ${a.title}`, actionId: null, proposalId: null });
  const taken = new Set(agenda.map((i) => i.title));
  return out.filter((s) => !taken.has(s.title));
}

// ----- decisions -----

export async function listDecisions(db: Tx, territoryId: number) {
  return db
    .select({ decision: decisions, meetingTitle: meetings.title, meetingStatus: meetings.status })
    .from(decisions)
    .leftJoin(meetings, eq(meetings.id, decisions.meetingId))
    .where(eq(decisions.territoryId, territoryId))
    .orderBy(desc(decisions.number));
}

export async function findDecision(db: Tx, territoryId: number, id: number) {
  return (await db.select().from(decisions).where(and(eq(decisions.territoryId, territoryId), eq(decisions.id, id))))[0];
}

export async function decisionActionRows(db: Tx, territoryId: number, decisionIds: number[]) {
  if (!decisionIds.length) return [];
  return db
    .select({ decisionId: decisionActions.decisionId, actionId: actions.id, number: actions.number, title: actions.title, visibility: actions.visibility })
    .from(decisionActions)
    .innerJoin(actions, eq(actions.id, decisionActions.actionId))
    .where(and(eq(decisionActions.territoryId, territoryId), inArray(decisionActions.decisionId, decisionIds)))
    .orderBy(asc(actions.number));
}

/** Records a decision (next number of the territory) linked to actions of the territory. */
export async function createDecision(
  tx: Tx,
  audit: AuditContext,
  input: { territoryId: number; meetingId: number | null; title: string; body: string | null; decidedOn: string; actionIds: number[] },
): Promise<{ id: number; number: number }> {
  const ids = [...new Set(input.actionIds)];
  if (ids.length) {
    const found = await tx.select({ id: actions.id }).from(actions).where(and(eq(actions.territoryId, input.territoryId), inArray(actions.id, ids)));
    if (found.length !== ids.length) throw new FormError({ actionIds: "Choisissez les actions parmi celles du plan." });
  }
  // Serialise numbering per territory: the unique index refuses a duplicate, the lock avoids it.
  await tx.execute(sql`select pg_advisory_xact_lock(${"gov_decisions".length * 1000 + input.territoryId})`);
  const nums = await tx.select({ n: decisions.number }).from(decisions).where(eq(decisions.territoryId, input.territoryId));
  const number = nextNumber(nums.map((r) => r.n));
  const [d] = await tx
    .insert(decisions)
    .values({ territoryId: input.territoryId, meetingId: input.meetingId, number, title: input.title, body: input.body, decidedOn: input.decidedOn, createdBy: audit.actor.user?.id ?? null })
    .returning({ id: decisions.id });
  if (ids.length) await tx.insert(decisionActions).values(ids.map((actionId) => ({ territoryId: input.territoryId, decisionId: d!.id, actionId })));
  await recordAudit(tx, audit, { territoryId: input.territoryId, action: "create", entity: "decision", entityId: d!.id, after: { number, title: input.title, decidedOn: input.decidedOn, actionIds: ids } });
  return { id: d!.id, number };
}

// ----- amendments -----

export async function findAmendment(db: Tx, territoryId: number, id: number) {
  return (await db.select().from(amendments).where(and(eq(amendments.territoryId, territoryId), eq(amendments.id, id))))[0];
}

export async function amendmentOfDecision(db: Tx, territoryId: number, decisionId: number) {
  return (await db.select().from(amendments).where(and(eq(amendments.territoryId, territoryId), eq(amendments.decisionId, decisionId))))[0];
}

export async function loadChanges(db: Tx, territoryId: number, amendmentId: number) {
  return db
    .select()
    .from(amendmentChanges)
    .where(and(eq(amendmentChanges.territoryId, territoryId), eq(amendmentChanges.amendmentId, amendmentId)))
    .orderBy(asc(amendmentChanges.position), asc(amendmentChanges.id));
}

export async function createAmendment(tx: Tx, audit: AuditContext, territoryId: number, decisionId: number, title: string): Promise<number> {
  if (await amendmentOfDecision(tx, territoryId, decisionId)) throw new ConflictError("Cette décision porte déjà un avenant.");
  await tx.execute(sql`select pg_advisory_xact_lock(${"gov_amendments".length * 1000 + territoryId})`);
  const nums = await tx.select({ n: amendments.number }).from(amendments).where(eq(amendments.territoryId, territoryId));
  const number = nextNumber(nums.map((r) => r.n));
  const [a] = await tx.insert(amendments).values({ territoryId, decisionId, number, title }).returning({ id: amendments.id });
  await recordAudit(tx, audit, { territoryId, action: "create", entity: "amendment", entityId: a!.id, after: { number, title, decisionId } });
  return a!.id;
}

export interface AddPayload {
  objectiveId: number;
  title: string;
  description: string | null;
  leadAuthorityId: number | null;
  joint: boolean;
  visibility: "draft" | "published";
}
export interface ChangePayload {
  title?: string;
  description?: string | null;
  objectiveId?: number;
  status?: string | null;
  leadAuthorityId?: number | null;
  joint?: boolean;
}

/** Adds one change to a draft amendment, after checking the ids it names belong to the territory. */
export async function addChange(
  tx: Tx,
  audit: AuditContext,
  territoryId: number,
  amendmentId: number,
  change: { kind: "add"; payload: AddPayload; proposalId?: number | null } | { kind: "change"; actionId: number; payload: ChangePayload } | { kind: "withdraw"; actionId: number },
): Promise<number> {
  const amendment = await findAmendment(tx, territoryId, amendmentId);
  if (!amendment) throw new NotFoundError();
  if (amendment.status !== "draft") throw new ConflictError("Cet avenant est déjà appliqué : il ne peut plus être modifié.");
  const objectiveId = change.kind === "add" ? change.payload.objectiveId : change.kind === "change" ? change.payload.objectiveId : undefined;
  if (objectiveId !== undefined) {
    const [o] = await tx.select({ id: objectives.id }).from(objectives).where(and(eq(objectives.territoryId, territoryId), eq(objectives.id, objectiveId), isNull(objectives.archivedAt)));
    if (!o) throw new FormError({ objectiveId: "Choisissez un objectif du plan." });
  }
  const lead = change.kind === "withdraw" ? undefined : change.payload.leadAuthorityId;
  if (lead != null) {
    const [a] = await tx.select({ id: territoryAuthorities.id }).from(territoryAuthorities).where(and(eq(territoryAuthorities.territoryId, territoryId), eq(territoryAuthorities.id, lead)));
    if (!a) throw new FormError({ leadAuthorityId: "Choisissez un porteur dans la liste." });
  }
  if (change.kind !== "add") {
    const [a] = await tx.select({ id: actions.id }).from(actions).where(and(eq(actions.territoryId, territoryId), eq(actions.id, change.actionId), isNull(actions.withdrawnAt), isNull(actions.archivedAt)));
    if (!a) throw new FormError({ actionId: "Choisissez une action du plan en vigueur." });
  }
  const existing = await loadChanges(tx, territoryId, amendmentId);
  const [row] = await tx
    .insert(amendmentChanges)
    .values({
      territoryId,
      amendmentId,
      kind: change.kind,
      actionId: change.kind === "add" ? null : change.actionId,
      payload: change.kind === "withdraw" ? {} : change.payload,
      proposalId: change.kind === "add" ? (change.proposalId ?? null) : null,
      position: existing.length,
    })
    .returning({ id: amendmentChanges.id });
  await recordAudit(tx, audit, { territoryId, action: "create", entity: "amendment_change", entityId: row!.id, after: { amendmentId, kind: change.kind, actionId: change.kind === "add" ? null : change.actionId } });
  return row!.id;
}

/**
 * Applies a draft amendment: every change in one transaction (the caller's), each audited, then the
 * next version of the plan with its snapshot. Version 1 is taken first when the territory has none.
 */
export async function applyAmendment(tx: Tx, audit: AuditContext, territoryId: number, amendmentId: number): Promise<{ versionNumber: number; actionIds: number[] }> {
  const amendment = await findAmendment(tx, territoryId, amendmentId);
  if (!amendment) throw new NotFoundError();
  if (amendment.status !== "draft") throw new ConflictError("Cet avenant est déjà appliqué.");
  const changes = await loadChanges(tx, territoryId, amendmentId);
  if (!changes.length) throw new ConflictError("Cet avenant ne contient aucun changement : ajoutez-en avant de l'appliquer.");
  const decision = amendment.decisionId ? await findDecision(tx, territoryId, amendment.decisionId) : undefined;
  await ensureFirstVersion(tx, audit, territoryId);
  const now = new Date();
  const touched: number[] = [];
  const auths = await tx.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, territoryId)).orderBy(asc(territoryAuthorities.position));
  for (const c of changes) {
    if (c.kind === "add") {
      const p = c.payload as AddPayload;
      await tx.execute(sql`select pg_advisory_xact_lock(${"plan_actions".length * 1000 + territoryId})`);
      const nums = await tx.select({ n: actions.number }).from(actions).where(eq(actions.territoryId, territoryId));
      const [pos] = await tx.select({ p: max(actions.position) }).from(actions).where(and(eq(actions.territoryId, territoryId), eq(actions.objectiveId, p.objectiveId)));
      const number = nextNumber(nums.map((r) => r.n));
      const [a] = await tx
        .insert(actions)
        .values({
          territoryId,
          objectiveId: p.objectiveId,
          number,
          title: p.title,
          description: p.description,
          status: null,
          visibility: p.visibility,
          leadAuthorityId: p.leadAuthorityId,
          joint: p.joint,
          position: (pos?.p ?? -1) + 1,
        })
        .returning({ id: actions.id });
      if (p.joint) {
        const partners = auths.filter((x) => x.id !== p.leadAuthorityId);
        if (partners.length) await tx.insert(actionPartners).values(partners.map((x, i) => ({ territoryId, actionId: a!.id, authorityId: x.id, name: x.name, position: i })));
      }
      await tx.update(amendmentChanges).set({ actionId: a!.id }).where(eq(amendmentChanges.id, c.id));
      if (c.proposalId) {
        await tx
          .update(proposals)
          .set({ actionId: a!.id, decisionId: amendment.decisionId, updatedAt: now })
          .where(and(eq(proposals.territoryId, territoryId), eq(proposals.id, c.proposalId)));
      }
      await recordAudit(tx, audit, { territoryId, action: "create", entity: "action", entityId: a!.id, after: { number, title: p.title, objectiveId: p.objectiveId, visibility: p.visibility, amendment: amendment.number } });
      touched.push(a!.id);
    } else if (c.kind === "change") {
      const [before] = await tx.select().from(actions).where(and(eq(actions.territoryId, territoryId), eq(actions.id, c.actionId!)));
      if (!before || before.withdrawnAt) throw new ConflictError(`L'action visée par un changement n'est plus dans le plan : rien n'a été appliqué.`);
      const p = c.payload as ChangePayload;
      const set: Partial<typeof actions.$inferInsert> = { updatedAt: now };
      if (p.title !== undefined) set.title = p.title;
      if (p.description !== undefined) set.description = p.description;
      if (p.objectiveId !== undefined) set.objectiveId = p.objectiveId;
      if (p.status !== undefined) set.status = p.status as typeof before.status;
      if (p.leadAuthorityId !== undefined) set.leadAuthorityId = p.leadAuthorityId;
      if (p.joint !== undefined) set.joint = p.joint;
      await tx.update(actions).set(set).where(eq(actions.id, before.id));
      if (p.status !== undefined && p.status !== before.status) {
        await tx.insert(statusChanges).values({ territoryId, actionId: before.id, fromStatus: before.status, toStatus: p.status as typeof before.status, comment: `Avenant n° ${amendment.number}`, authorId: audit.actor.user?.id ?? null });
      }
      const { updatedAt: _u, ...after } = set;
      await recordAudit(tx, audit, {
        territoryId,
        action: "update",
        entity: "action",
        entityId: before.id,
        before: Object.fromEntries(Object.keys(after).map((k) => [k, before[k as keyof typeof before]])),
        after: { ...after, amendment: amendment.number },
      });
      touched.push(before.id);
    } else {
      const [before] = await tx.select().from(actions).where(and(eq(actions.territoryId, territoryId), eq(actions.id, c.actionId!)));
      if (!before || before.withdrawnAt) throw new ConflictError(`L'action à retirer n'est plus dans le plan : rien n'a été appliqué.`);
      await tx.update(actions).set({ withdrawnAt: now, updatedAt: now }).where(eq(actions.id, before.id));
      await recordAudit(tx, audit, { territoryId, action: "withdraw", entity: "action", entityId: before.id, before: { withdrawnAt: null }, after: { withdrawnAt: now.toISOString(), amendment: amendment.number } });
      touched.push(before.id);
    }
  }
  if (decision) {
    const linked = await tx.select({ actionId: decisionActions.actionId }).from(decisionActions).where(eq(decisionActions.decisionId, decision.id));
    const have = new Set(linked.map((l) => l.actionId));
    const missing = [...new Set(touched)].filter((id) => !have.has(id));
    if (missing.length) await tx.insert(decisionActions).values(missing.map((actionId) => ({ territoryId, decisionId: decision.id, actionId })));
  }
  await tx.update(amendments).set({ status: "applied", appliedAt: now, appliedBy: audit.actor.user?.id ?? null }).where(eq(amendments.id, amendment.id));
  await recordAudit(tx, audit, { territoryId, action: "apply", entity: "amendment", entityId: amendment.id, before: { status: "draft" }, after: { status: "applied", changes: changes.length } });
  const versionNumber = await createVersion(tx, audit, territoryId, {
    label: `Avenant n° ${amendment.number} : ${amendment.title}`,
    effectiveOn: decision?.decidedOn ?? parisToday(now),
    amendmentId: amendment.id,
    decisionId: decision?.id ?? null,
  });
  return { versionNumber, actionIds: touched };
}

async function createVersion(tx: Tx, audit: AuditContext, territoryId: number, v: { label: string; effectiveOn: string; amendmentId: number | null; decisionId: number | null }): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(${"gov_plan_versions".length * 1000 + territoryId})`);
  const nums = await tx.select({ n: planVersions.number }).from(planVersions).where(eq(planVersions.territoryId, territoryId));
  const number = nextNumber(nums.map((r) => r.n));
  const snapshot = await takeSnapshot(tx, territoryId);
  const [row] = await tx.insert(planVersions).values({ territoryId, number, ...v, snapshot }).returning({ id: planVersions.id });
  await recordAudit(tx, audit, { territoryId, action: "create", entity: "plan_version", entityId: row!.id, after: { number, label: v.label, effectiveOn: v.effectiveOn } });
  return number;
}

/** Decisions that concern an action (for its page in the follow-up), newest first. */
export async function decisionsOfAction(db: Tx, territoryId: number, actionId: number) {
  return db
    .select({ id: decisions.id, number: decisions.number, title: decisions.title, decidedOn: decisions.decidedOn, meetingId: decisions.meetingId, body: decisions.body })
    .from(decisionActions)
    .innerJoin(decisions, eq(decisions.id, decisionActions.decisionId))
    .where(and(eq(decisionActions.territoryId, territoryId), eq(decisionActions.actionId, actionId)))
    .orderBy(desc(decisions.number));
}

/** Upcoming planned meetings and held ones (public facts: body, title, dates, place). */
export async function publicMeetings(db: Tx, territoryId: number, now = new Date()) {
  const rows = await db
    .select({ meeting: meetings, bodyName: governanceBodies.name })
    .from(meetings)
    .innerJoin(governanceBodies, eq(governanceBodies.id, meetings.bodyId))
    .where(and(eq(meetings.territoryId, territoryId), or(and(eq(meetings.status, "planned"), gt(meetings.endsAt, now)), eq(meetings.status, "held"))))
    .orderBy(asc(meetings.startsAt));
  return { upcoming: rows.filter((r) => r.meeting.status === "planned"), held: rows.filter((r) => r.meeting.status === "held").reverse() };
}

/**
 * The demo territory's committee life (fictional, like the rest of the demo): a held meeting of its
 * comité de pilotage with attendance, minutes and a decision about its first action, and a planned
 * one. Members get fictional addresses so invitations can be tried. Once (when it has no meeting).
 */
export async function seedDemoMeetings(db: Db, audit: AuditContext): Promise<void> {
  await db.transaction(async (tx) => {
    const [demo] = await tx.select().from(territories).where(eq(territories.kind, "demo")).limit(1);
    if (!demo) return;
    const has = await tx.select({ id: meetings.id }).from(meetings).where(eq(meetings.territoryId, demo.id)).limit(1);
    if (has.length) return;
    const [body] = await tx
      .select()
      .from(governanceBodies)
      .where(and(eq(governanceBodies.territoryId, demo.id), eq(governanceBodies.kind, "steering_committee")))
      .limit(1);
    if (!body) return;
    const members = await tx.select().from(governanceMembers).where(eq(governanceMembers.bodyId, body.id)).orderBy(asc(governanceMembers.position));
    for (const m of members) {
      if (m.email) continue;
      const local = m.name
        .normalize("NFD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .replace(/[^a-z]+/g, ".");
      // A reserved top-level domain: no real mailbox ever receives the demo's invitations.
      m.email = `${local}@bocage-des-forges.invalid`;
      await tx.update(governanceMembers).set({ email: m.email }).where(eq(governanceMembers.id, m.id));
    }
    const day = 86400_000;
    const at = (daysFromNow: number, hour: number) => {
      const d = new Date(Date.now() + daysFromNow * day);
      const ymd = parisToday(d);
      const [y, mo, da] = ymd.split("-").map(Number);
      // 14:00 or 16:00 Paris, whatever the season (UTC+1 or +2): computed from the date's offset.
      const guess = new Date(Date.UTC(y!, mo! - 1, da!, hour - 1));
      const parisHour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hour: "2-digit", hourCycle: "h23" }).format(guess));
      return new Date(guess.getTime() + (hour - parisHour) * 3600_000);
    };
    const [held] = await tx
      .insert(meetings)
      .values({
        territoryId: demo.id,
        bodyId: body.id,
        title: "Comité de pilotage – bilan du semestre (démonstration)",
        startsAt: at(-45, 14),
        endsAt: at(-45, 16),
        place: "Salle du conseil communautaire (fictive)",
        status: "held",
        minutes: "Le comité a fait le point sur l'avancement des actions.\n\nIl a décidé de lancer la première action sans attendre le prochain appel à projets.",
        icsUid: "demo-comite-bilan@collines",
        heldAt: at(-45, 16),
      })
      .returning({ id: meetings.id });
    if (members.length) {
      await tx.insert(meetingInvitees).values(members.map((m, i) => ({ territoryId: demo.id, meetingId: held!.id, memberId: m.id, name: m.name, email: m.email, attendance: i === members.length - 1 ? ("excused" as const) : ("present" as const), invitedAt: at(-60, 9) })));
    }
    await tx.insert(agendaItems).values([
      { territoryId: demo.id, meetingId: held!.id, kind: "action_review" as const, title: "Avancement des actions du plan", position: 0 },
      { territoryId: demo.id, meetingId: held!.id, kind: "other" as const, title: "Questions diverses", position: 1 },
    ]);
    const [first] = await tx.select().from(actions).where(and(eq(actions.territoryId, demo.id), eq(actions.visibility, "published"))).orderBy(asc(actions.number)).limit(1);
    await createDecision(tx, audit, {
      territoryId: demo.id,
      meetingId: held!.id,
      title: "Lancement anticipé de la première action (démonstration)",
      body: "Décision fictive du territoire de démonstration.",
      decidedOn: parisToday(at(-45, 14)),
      actionIds: first ? [first.id] : [],
    });
    const [planned] = await tx
      .insert(meetings)
      .values({ territoryId: demo.id, bodyId: body.id, title: "Comité de pilotage de printemps (démonstration)", startsAt: at(21, 14), endsAt: at(21, 16), place: "Maison de l'entreprise (fictive)", icsUid: "demo-comite-printemps@collines" })
      .returning({ id: meetings.id });
    if (members.length) await tx.insert(meetingInvitees).values(members.map((m) => ({ territoryId: demo.id, meetingId: planned!.id, memberId: m.id, name: m.name, email: m.email })));
    await recordAudit(tx, audit, { territoryId: demo.id, action: "seed", entity: "meeting", entityId: held!.id, after: { meetings: 2, decisions: 1 } });
  });
}
