import { canReadFollowUp, definePolicy, isPlatformAdmin, isTerritoryStaff, type Actor, type Rule } from "../../core/authz/index.ts";
import type { ActionSubject } from "./model.ts";

/**
 * The intercommunalité an actor's editing is limited to in a territory: `null` when not limited
 * (platform admin, territory admin, agent of the whole territory), `undefined` when not staff there.
 * An agent whose membership names an authority edits only that authority's actions.
 */
export function editingLimit(a: Actor, territoryId: number | undefined): number | null | undefined {
  if (isPlatformAdmin(a)) return null;
  if (territoryId === undefined) return undefined;
  const staff = a.memberships.filter((m) => m.territoryId === territoryId && (m.role === "territory_admin" || m.role === "agent"));
  if (!staff.length) return undefined;
  if (staff.some((m) => m.role === "territory_admin" || m.authorityId == null)) return null;
  return staff[0].authorityId ?? null;
}

/** Staff of the territory who edit the whole plan (not limited to one intercommunalité). */
const isWholePlanEditor: Rule = (a, s) => editingLimit(a, s.territoryId) === null;

function subjectOf(s: { subject?: unknown }): ActionSubject | undefined {
  const x = s.subject as Partial<ActionSubject> | undefined;
  if (!x || typeof x !== "object" || !Array.isArray(x.partnerAuthorityIds)) return undefined;
  return { leadAuthorityId: x.leadAuthorityId ?? null, partnerAuthorityIds: x.partnerAuthorityIds, joint: x.joint === true };
}

/**
 * Editing one action (scope.subject: ActionSubject): the whole-plan staff always; an agent limited
 * to an intercommunalité when it leads the action, or when the action is joint (◆) and it is a partner.
 */
const mayEditAction: Rule = (a, s) => {
  const limit = editingLimit(a, s.territoryId);
  if (limit === null) return true;
  const subject = subjectOf(s);
  if (limit === undefined || !subject) return false;
  return subject.leadAuthorityId === limit || (subject.joint && subject.partnerAuthorityIds.includes(limit));
};

/** Creating an action (scope.subject: the new action): a limited agent only creates actions its intercommunalité leads. */
const mayCreateAction: Rule = (a, s) => {
  const limit = editingLimit(a, s.territoryId);
  if (limit === null) return true;
  const subject = subjectOf(s);
  return limit !== undefined && subject !== undefined && subject.leadAuthorityId === limit;
};

/**
 * The plan: the territory's staff (agents, territory admins) and platform admins edit it; an agent
 * limited to one intercommunalité edits only its actions (and the joint ones it is partner of), not
 * themes or objectives. Committee members and funders read the follow-up, confidential included.
 */
export const planPolicy = definePolicy({
  /** The back-office tree (every staff member, limited or not). */
  "plan.plan.manage": isTerritoryStaff,
  "plan.theme.update": isWholePlanEditor,
  "plan.objective.update": isWholePlanEditor,
  /** Reaching the action forms at all; each action is then checked with plan.action.edit / create. */
  "plan.action.update": isTerritoryStaff,
  "plan.action.edit": mayEditAction,
  "plan.action.create": mayCreateAction,
  /** Unpublished (draft, confidential, archived) content. */
  "plan.action.read_unpublished": isTerritoryStaff,
  /** The follow-up: published and confidential content (never drafts), read-only. */
  "plan.followup.read": canReadFollowUp,
});
