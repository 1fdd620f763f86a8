// Use cases of proposals: each runs in the caller's transaction and writes its audit entry there.
import { randomBytes } from "node:crypto";
import { and, asc, eq, isNull, max } from "drizzle-orm";
import type { Tx } from "../../../core/db/client.ts";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import { actions, objectives, themes } from "../../plan/api.ts";
import { companyUsers } from "../../companies/api.ts";
import { notificationPreferences, proposalComments, proposals, proposalSupports } from "../schema.ts";
import { ConflictError, FormError, NotFoundError } from "./errors.ts";
import { evaluationRefusal, isFinal, mergeTargetRefusal, transitionRefusal, type CriterionKey, type Decision, type ProposalState } from "./model.ts";
import { createDraftActionFromProposal, decisions, meetings } from "../../governance/api.ts";

export type ProposalRow = typeof proposals.$inferSelect;

export interface ProposalInput {
  title: string;
  problem: string;
  proposedAction: string;
  themeId: number | null;
  expectedPartners: string | null;
  roughBudgetEuros: number | null;
}

/**
 * The proposal, locked for the rest of the transaction; NotFoundError when not in this territory,
 * or when hidden by the staff (unless `hidden` is allowed: moderation itself).
 */
export async function lockProposal(tx: Tx, territoryId: number, id: number, opts: { hidden?: boolean } = {}): Promise<ProposalRow> {
  const [p] = await tx.select().from(proposals).where(and(eq(proposals.id, id), eq(proposals.territoryId, territoryId))).for("update");
  if (!p || (p.visibility !== "published" && !opts.hidden)) throw new NotFoundError();
  return p;
}

/** The staff hide a proposal from everyone but themselves (abusive, off-topic, personal data), or publish it again. */
export async function setProposalHidden(tx: Tx, audit: AuditContext, territoryId: number, proposalId: number, hidden: boolean): Promise<void> {
  const p = await lockProposal(tx, territoryId, proposalId, { hidden: true });
  const visibility = hidden ? "draft" : "published";
  if (p.visibility === visibility) throw new ConflictError(hidden ? "Cette proposition est déjà masquée." : "Cette proposition est déjà publiée.");
  await tx.update(proposals).set({ visibility, updatedAt: new Date() }).where(eq(proposals.id, p.id));
  await recordAudit(tx, audit, { territoryId, action: hidden ? "archive" : "restore", entity: "proposal", entityId: p.id, before: { visibility: p.visibility }, after: { visibility } });
}

/** A participant proposes an action; the theme must be a live theme of the territory. */
export async function createProposal(tx: Tx, audit: AuditContext, territoryId: number, authorId: number, input: ProposalInput): Promise<ProposalRow> {
  if (input.themeId !== null) {
    const [t] = await tx.select().from(themes).where(and(eq(themes.id, input.themeId), eq(themes.territoryId, territoryId), isNull(themes.archivedAt)));
    if (!t || t.visibility === "draft") throw new FormError({ themeId: "Choisissez une thématique du plan dans la liste." });
  }
  // The author's company, when an agent has confirmed the link.
  const [company] = await tx
    .select({ id: companyUsers.companyId })
    .from(companyUsers)
    .where(and(eq(companyUsers.territoryId, territoryId), eq(companyUsers.userId, authorId), eq(companyUsers.status, "confirmed")))
    .orderBy(asc(companyUsers.id))
    .limit(1);
  const [row] = await tx
    .insert(proposals)
    .values({ territoryId, authorId, companyId: company?.id ?? null, ...input, status: "submitted" })
    .returning();
  await recordAudit(tx, audit, { territoryId, action: "create", entity: "proposal", entityId: row.id, after: { ...input, status: "submitted" } });
  return row;
}

/** Supports the proposal, or withdraws the support already given. Returns whether it is now supported. */
export async function toggleSupport(tx: Tx, audit: AuditContext, territoryId: number, proposalId: number, userId: number): Promise<boolean> {
  const p = await lockProposal(tx, territoryId, proposalId);
  if (p.authorId === userId) throw new ConflictError("Vous avez déposé cette proposition : votre soutien lui est acquis, vous ne pouvez pas la soutenir vous-même.");
  if (isFinal(p.status)) throw new ConflictError("La décision sur cette proposition est prise : les soutiens sont clos.");
  const [existing] = await tx.select().from(proposalSupports).where(and(eq(proposalSupports.proposalId, p.id), eq(proposalSupports.userId, userId)));
  if (existing) {
    await tx.delete(proposalSupports).where(eq(proposalSupports.id, existing.id));
    await recordAudit(tx, audit, { territoryId, action: "delete", entity: "proposal_support", entityId: p.id, before: { userId } });
    return false;
  }
  await tx.insert(proposalSupports).values({ territoryId, proposalId: p.id, userId });
  await recordAudit(tx, audit, { territoryId, action: "create", entity: "proposal_support", entityId: p.id, after: { userId } });
  return true;
}

/** A participant comments on a proposal. */
export async function addComment(tx: Tx, audit: AuditContext, territoryId: number, proposalId: number, authorId: number, body: string): Promise<number> {
  const p = await lockProposal(tx, territoryId, proposalId);
  const [c] = await tx.insert(proposalComments).values({ territoryId, proposalId: p.id, authorId, body }).returning({ id: proposalComments.id });
  await recordAudit(tx, audit, { territoryId, action: "create", entity: "proposal_comment", entityId: c.id, after: { proposalId: p.id, body } });
  return c.id;
}

/** An agent hides a comment from everyone (kept, and its hiding recorded in the audit trail). */
export async function hideComment(tx: Tx, audit: AuditContext, territoryId: number, proposalId: number, commentId: number): Promise<void> {
  const [c] = await tx
    .select()
    .from(proposalComments)
    .where(and(eq(proposalComments.id, commentId), eq(proposalComments.proposalId, proposalId), eq(proposalComments.territoryId, territoryId)))
    .for("update");
  if (!c) throw new NotFoundError();
  if (c.hiddenAt) throw new ConflictError("Ce commentaire est déjà masqué.");
  const now = new Date();
  await tx.update(proposalComments).set({ hiddenAt: now }).where(eq(proposalComments.id, c.id));
  await recordAudit(tx, audit, { territoryId, action: "update", entity: "proposal_comment", entityId: c.id, before: { hiddenAt: null }, after: { hiddenAt: now.toISOString(), proposalId } });
}

async function setState(tx: Tx, audit: AuditContext, p: ProposalRow, to: ProposalState, extra: Partial<typeof proposals.$inferInsert> = {}, auditExtra: Record<string, unknown> = {}) {
  const refusal = transitionRefusal(p.status, to);
  if (refusal) throw new ConflictError(refusal);
  await tx.update(proposals).set({ status: to, updatedAt: new Date(), ...extra }).where(eq(proposals.id, p.id));
  await recordAudit(tx, audit, { territoryId: p.territoryId, action: "state", entity: "proposal", entityId: p.id, before: { status: p.status }, after: { status: to, ...auditExtra } });
}

/** An evaluator puts a submitted proposal under review. */
export async function startReview(tx: Tx, audit: AuditContext, territoryId: number, proposalId: number): Promise<void> {
  const p = await lockProposal(tx, territoryId, proposalId);
  await setState(tx, audit, p, "under_review");
}

export interface EvaluationInput {
  criteria: CriterionKey[];
  score: number;
  answer: string | null;
}

/** An evaluator records the checklist, the score out of 20 and the draft of the answer (while under review). */
export async function saveEvaluation(tx: Tx, audit: AuditContext, territoryId: number, proposalId: number, userId: number, input: EvaluationInput): Promise<boolean> {
  const p = await lockProposal(tx, territoryId, proposalId);
  const refusal = evaluationRefusal(p.status);
  if (refusal) throw new ConflictError(refusal);
  const before = { criteria: p.criteria, score: p.score, answer: p.answer };
  const after = { criteria: input.criteria, score: input.score, answer: input.answer };
  if (JSON.stringify(before) === JSON.stringify(after)) return false;
  await tx.update(proposals).set({ ...after, evaluatedBy: userId, evaluatedAt: new Date(), updatedAt: new Date() }).where(eq(proposals.id, p.id));
  await recordAudit(tx, audit, { territoryId, action: "update", entity: "proposal", entityId: p.id, before, after });
  return true;
}

export interface DecisionInput {
  decision: Decision;
  answer: string;
  objectiveId: number | null;
  mergedIntoId: number | null;
  /** The committee meeting that took the decision (else a written procedure). */
  meetingId: number | null;
}

export interface DecisionOutcome {
  proposal: ProposalRow;
  actionId?: number;
  actionNumber?: number;
  decisionId?: number;
  decisionNumber?: number;
}

/**
 * Records the committee's decision: accepted (the proposal becomes a draft action through a
 * decision and an amendment, linked both ways), rejected, or merged into another proposal. The
 * answer goes to the author; the state change and its links are in the audit trail.
 */
export async function decideProposal(tx: Tx, audit: AuditContext, territoryId: number, proposalId: number, userId: number, input: DecisionInput): Promise<DecisionOutcome> {
  const p = await lockProposal(tx, territoryId, proposalId);
  const refusal = transitionRefusal(p.status, input.decision);
  if (refusal) throw new ConflictError(refusal);
  const common = { answer: input.answer, evaluatedBy: p.evaluatedBy ?? userId, evaluatedAt: p.evaluatedAt ?? new Date() };
  if (input.decision === "merged") {
    const [target] = input.mergedIntoId
      ? await tx.select({ id: proposals.id, status: proposals.status }).from(proposals).where(and(eq(proposals.id, input.mergedIntoId), eq(proposals.territoryId, territoryId)))
      : [];
    const why = mergeTargetRefusal(p.id, target);
    if (why) throw new FormError({ mergedIntoId: why });
    await setState(tx, audit, p, "merged", { ...common, mergedIntoId: target.id }, { mergedIntoId: target.id, answer: input.answer });
    return { proposal: { ...p, status: "merged", mergedIntoId: target.id, answer: input.answer } };
  }
  if (input.decision === "rejected") {
    await setState(tx, audit, p, "rejected", common, { answer: input.answer });
    return { proposal: { ...p, status: "rejected", answer: input.answer } };
  }
  if (!input.objectiveId) throw new FormError({ objectiveId: "Choisissez l'objectif du plan sous lequel l'action est ajoutée." });
  const [objective] = await tx.select().from(objectives).where(and(eq(objectives.id, input.objectiveId), eq(objectives.territoryId, territoryId), isNull(objectives.archivedAt)));
  if (!objective) throw new FormError({ objectiveId: "Choisissez l'objectif du plan sous lequel l'action est ajoutée." });
  if (input.meetingId) {
    const [m] = await tx.select({ id: meetings.id }).from(meetings).where(and(eq(meetings.id, input.meetingId), eq(meetings.territoryId, territoryId)));
    if (!m) throw new FormError({ meetingId: "Choisissez la séance dans la liste, ou aucune pour une procédure écrite." });
  }
  // The governance module writes the decision and the amendment that adds the draft action, applies
  // it (a new version of the plan) and links the proposal to both.
  const made = await createDraftActionFromProposal(tx, audit, {
    territoryId,
    meetingId: input.meetingId,
    proposal: { id: p.id, title: p.title, problem: p.problem, proposedAction: p.proposedAction, themeId: p.themeId },
    objectiveId: objective.id,
    decisionTitle: `Acceptation de la proposition n° ${p.id} « ${p.title} »`,
  });
  const [action] = await tx.select({ number: actions.number }).from(actions).where(eq(actions.id, made.actionId));
  const [decision] = await tx.select({ number: decisions.number }).from(decisions).where(eq(decisions.id, made.decisionId));
  await setState(tx, audit, p, "accepted", { ...common, actionId: made.actionId, decisionId: made.decisionId }, { actionId: made.actionId, decisionId: made.decisionId, answer: input.answer });
  return {
    proposal: { ...p, status: "accepted", actionId: made.actionId, decisionId: made.decisionId, answer: input.answer },
    actionId: made.actionId,
    actionNumber: action?.number,
    decisionId: made.decisionId,
    decisionNumber: decision?.number,
  };
}

/** The person's notification preferences in the territory, created with their unsubscribe token when missing. */
export async function ensurePreferences(tx: Tx, territoryId: number, userId: number): Promise<typeof notificationPreferences.$inferSelect> {
  await tx
    .insert(notificationPreferences)
    .values({ territoryId, userId, unsubscribeToken: randomBytes(24).toString("base64url") })
    .onConflictDoNothing({ target: [notificationPreferences.territoryId, notificationPreferences.userId] });
  const [row] = await tx.select().from(notificationPreferences).where(and(eq(notificationPreferences.territoryId, territoryId), eq(notificationPreferences.userId, userId)));
  return row;
}

/** Turns off the e-mails about proposals for the person whose unsubscribe token this is. */
export async function unsubscribeProposalEmails(tx: Tx, audit: AuditContext, territoryId: number, token: string): Promise<boolean> {
  const [pref] = await tx
    .select()
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.unsubscribeToken, token), eq(notificationPreferences.territoryId, territoryId)))
    .for("update");
  if (!pref) throw new NotFoundError();
  if (!pref.proposalEmails) return false;
  await tx.update(notificationPreferences).set({ proposalEmails: false }).where(eq(notificationPreferences.id, pref.id));
  await recordAudit(tx, { ...audit, role: audit.actor.user ? undefined : "unsubscribe_link" }, {
    territoryId,
    action: "update",
    entity: "notification_preferences",
    entityId: pref.id,
    before: { proposalEmails: true },
    after: { proposalEmails: false, userId: pref.userId },
  });
  return true;
}

/** The next free number of a territory's action (for messages). */
export async function nextNumber(tx: Tx, territoryId: number): Promise<number> {
  const [r] = await tx.select({ n: max(actions.number) }).from(actions).where(eq(actions.territoryId, territoryId));
  return (r?.n ?? 0) + 1;
}
