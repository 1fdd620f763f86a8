// The governance module's public surface for other modules.
import type { Tx } from "../../core/db/client.ts";
import type { AuditContext } from "../../core/audit/index.ts";
import { parisToday } from "../plan/api.ts";
import { addChange, applyAmendment, createAmendment, createDecision, decisionActionRows, decisionsOfAction, listDecisions, publicMeetings } from "./data.ts";

export { meetings, agendaItems, meetingInvitees, decisions, decisionActions, amendments, amendmentChanges, planVersions } from "./schema.ts";
export { ActionDecisions } from "./pages/public.tsx";
export { ensureFirstVersion } from "./data.ts";

/**
 * The decisions that concern an action, newest first (number, title, date, meeting): for the
 * action's page. Render them with `<ActionDecisions slug={…} decisions={…} />` (nothing when empty).
 * Decisions are public acts; the caller already decided the reader may see the action.
 */
export async function decisionsForAction(db: Tx, territoryId: number, actionId: number) {
  return decisionsOfAction(db, territoryId, actionId);
}

/**
 * Turns an industrialist's proposal into a draft action of the plan, the way the committee does it:
 * a decision (at a meeting, or by written procedure when `meetingId` is absent), an amendment adding
 * the action (visibility draft), applied at once — which creates the next version of the plan and
 * links the proposal to the action and the decision. Runs in the caller's transaction.
 */
export async function createDraftActionFromProposal(
  tx: Tx,
  ctx: AuditContext,
  input: {
    territoryId: number;
    meetingId?: number | null;
    proposal: { id: number; title: string; problem: string; proposedAction: string; themeId?: number | null };
    objectiveId: number;
    decisionTitle: string;
  },
): Promise<{ decisionId: number; amendmentId: number; actionId: number }> {
  const decision = await createDecision(tx, ctx, {
    territoryId: input.territoryId,
    meetingId: input.meetingId ?? null,
    title: input.decisionTitle,
    body: `Proposition d'industriel retenue : « ${input.proposal.title} ».`,
    decidedOn: parisToday(),
    actionIds: [],
  });
  const amendmentId = await createAmendment(tx, ctx, input.territoryId, decision.id, `Ajout de l'action issue de la proposition « ${input.proposal.title} »`);
  await addChange(tx, ctx, input.territoryId, amendmentId, {
    kind: "add",
    proposalId: input.proposal.id,
    payload: {
      objectiveId: input.objectiveId,
      title: input.proposal.title,
      description: `${input.proposal.proposedAction}\n\nConstat : ${input.proposal.problem}`,
      leadAuthorityId: null,
      joint: false,
      visibility: "draft",
    },
  });
  const applied = await applyAmendment(tx, ctx, input.territoryId, amendmentId);
  return { decisionId: decision.id, amendmentId, actionId: applied.actionIds[0]! };
}

export { GovernanceActivity } from "./pages/public.tsx";

/**
 * What the public governance page shows besides the bodies: upcoming and held meetings, and the
 * decisions taken (published actions only in their links). Render with `<GovernanceActivity {...} />`.
 */
export async function governanceActivity(db: Tx, territory: { id: number; slug: string }) {
  const [{ upcoming, held }, list] = await Promise.all([publicMeetings(db, territory.id), listDecisions(db, territory.id)]);
  const rows = list.map((r) => r.decision);
  const links = await decisionActionRows(db, territory.id, rows.map((r) => r.id));
  return {
    slug: territory.slug,
    upcoming,
    held,
    decisions: rows.map((d) => ({
      id: d.id,
      number: d.number,
      title: d.title,
      body: d.body,
      decidedOn: d.decidedOn,
      actions: links.filter((l) => l.decisionId === d.id && l.visibility === "published").map((l) => ({ id: l.actionId, number: l.number, title: l.title })),
    })),
  };
}
