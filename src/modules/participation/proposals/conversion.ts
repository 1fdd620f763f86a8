// An accepted proposal becomes a draft action of the plan through a committee decision and an
// amendment (avenant) that adds it, all linked to the proposal.
import { and, eq, max } from "drizzle-orm";
import type { Tx } from "../../../core/db/client.ts";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import { actions } from "../../plan/api.ts";
import { amendmentChanges, amendments, decisionActions, decisions } from "../../governance/api.ts";

export interface ConversionInput {
  territoryId: number;
  proposalId: number;
  objectiveId: number;
  title: string;
  description: string;
  decisionTitle: string;
  decisionBody: string;
  /** YYYY-MM-DD. */
  decidedOn: string;
  userId: number;
}

export interface ConversionResult {
  actionId: number;
  actionNumber: number;
  decisionId: number;
  decisionNumber: number;
  amendmentId: number;
}

/**
 * Writes, in the caller's transaction: the draft action (next free number, last of its objective),
 * the decision that accepts the proposal (next decision number) and concerns the action, and a
 * draft amendment whose one change adds the action, naming the proposal. Each write is audited.
 */
export async function createDraftActionFromProposal(tx: Tx, audit: AuditContext, input: ConversionInput): Promise<ConversionResult> {
  const t = input.territoryId;
  const [numberRow] = await tx.select({ n: max(actions.number) }).from(actions).where(eq(actions.territoryId, t));
  const [positionRow] = await tx.select({ p: max(actions.position) }).from(actions).where(and(eq(actions.territoryId, t), eq(actions.objectiveId, input.objectiveId)));
  const actionNumber = (numberRow?.n ?? 0) + 1;
  const [action] = await tx
    .insert(actions)
    .values({ territoryId: t, objectiveId: input.objectiveId, number: actionNumber, title: input.title, description: input.description, visibility: "draft", status: "planned", position: (positionRow?.p ?? -1) + 1 })
    .returning({ id: actions.id });
  await recordAudit(tx, audit, {
    territoryId: t,
    action: "create",
    entity: "action",
    entityId: action.id,
    after: { number: actionNumber, title: input.title, objectiveId: input.objectiveId, visibility: "draft", status: "planned", proposalId: input.proposalId },
  });

  const [decisionNumberRow] = await tx.select({ n: max(decisions.number) }).from(decisions).where(eq(decisions.territoryId, t));
  const decisionNumber = (decisionNumberRow?.n ?? 0) + 1;
  const [decision] = await tx
    .insert(decisions)
    .values({ territoryId: t, number: decisionNumber, title: input.decisionTitle, body: input.decisionBody, decidedOn: input.decidedOn, createdBy: input.userId })
    .returning({ id: decisions.id });
  await tx.insert(decisionActions).values({ territoryId: t, decisionId: decision.id, actionId: action.id });
  await recordAudit(tx, audit, { territoryId: t, action: "create", entity: "decision", entityId: decision.id, after: { number: decisionNumber, title: input.decisionTitle, decidedOn: input.decidedOn, actionId: action.id, proposalId: input.proposalId } });

  const [amendmentNumberRow] = await tx.select({ n: max(amendments.number) }).from(amendments).where(eq(amendments.territoryId, t));
  const amendmentNumber = (amendmentNumberRow?.n ?? 0) + 1;
  const amendmentTitle = `Ajout de l'action n° ${actionNumber} « ${input.title} »`;
  const [amendment] = await tx.insert(amendments).values({ territoryId: t, decisionId: decision.id, number: amendmentNumber, title: amendmentTitle, status: "draft" }).returning({ id: amendments.id });
  await tx.insert(amendmentChanges).values({
    territoryId: t,
    amendmentId: amendment.id,
    kind: "add",
    actionId: action.id,
    proposalId: input.proposalId,
    payload: { objectiveId: input.objectiveId, title: input.title, description: input.description },
  });
  await recordAudit(tx, audit, { territoryId: t, action: "create", entity: "amendment", entityId: amendment.id, after: { number: amendmentNumber, title: amendmentTitle, decisionId: decision.id, actionId: action.id, proposalId: input.proposalId } });
  return { actionId: action.id, actionNumber, decisionId: decision.id, decisionNumber, amendmentId: amendment.id };
}
