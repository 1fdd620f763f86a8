import { and, asc, eq } from "drizzle-orm";
import { can } from "../../../core/authz/index.ts";
import type { AuditContext } from "../../../core/audit/index.ts";
import type { Tx } from "../../../core/db/client.ts";
import { actionSubject, type ActionSubject } from "../model.ts";
import { actionPartners, actions } from "../schema.ts";
import { ForbiddenError, NotFoundError } from "./errors.ts";

/** Why a limited agent is refused an action, in French. */
export const NOT_YOUR_ACTION =
  "Vous ne pouvez modifier que les actions portées par votre intercommunalité, ou les actions en partenariat ◆ dont elle est partenaire.";

/**
 * The lead and partners of an action of the territory, for the authorization rules. With `lock`,
 * the action's row is locked until the transaction ends (partners change only under that lock), so
 * the check and the write that follows see the same action.
 */
export async function loadActionSubject(tx: Tx, territoryId: number, actionId: number, opts: { lock?: boolean } = {}): Promise<ActionSubject | undefined> {
  const query = tx
    .select({ leadAuthorityId: actions.leadAuthorityId, joint: actions.joint })
    .from(actions)
    .where(and(eq(actions.id, actionId), eq(actions.territoryId, territoryId)));
  const [row] = opts.lock ? await query.for("update") : await query;
  if (!row) return undefined;
  const partners = await tx
    .select({ authorityId: actionPartners.authorityId })
    .from(actionPartners)
    .where(and(eq(actionPartners.territoryId, territoryId), eq(actionPartners.actionId, actionId)))
    .orderBy(asc(actionPartners.position));
  return actionSubject({ leadAuthorityId: row.leadAuthorityId, joint: row.joint, partners });
}

/**
 * Refuses, inside the caller's transaction, a change of an action the actor may not edit
 * (`plan.action.edit` on the action as stored, locked until the write). Absent: NotFoundError.
 */
export async function assertMayEditAction(tx: Tx, audit: AuditContext, territoryId: number, actionId: number): Promise<ActionSubject> {
  const subject = await loadActionSubject(tx, territoryId, actionId, { lock: true });
  if (!subject) throw new NotFoundError();
  if (!can(audit.actor, "plan.action.edit", { territoryId, subject })) throw new ForbiddenError(NOT_YOUR_ACTION);
  return subject;
}
