import { definePolicy, hasRole, isPlatformAdmin, isTerritoryStaff, type Rule } from "../../../core/authz/index.ts";

/** Who takes part: an industrialist (confirmed), a committee member or the territory's staff. */
export const isParticipant: Rule = (a, s) => isPlatformAdmin(a) || hasRole(a, s.territoryId, "industrialist", "committee_member", "agent", "territory_admin");

/** Who evaluates: the staff (agents, limited or not) and the committees' members. */
const isEvaluator: Rule = (a, s) => isTerritoryStaff(a, s) || hasRole(a, s.territoryId, "committee_member");

/**
 * Who records the committee's decision: the staff who edit the whole plan (an accepted proposal
 * becomes an action of any intercommunalité, so an agent limited to one may not add it).
 */
const isDecider: Rule = (a, s) =>
  isPlatformAdmin(a) || hasRole(a, s.territoryId, "territory_admin") || a.memberships.some((m) => m.territoryId === s.territoryId && m.role === "agent" && m.authorityId == null);

/**
 * Proposals of actions: participants propose, support and comment; evaluators review and score;
 * the whole-plan staff record the decision; the staff moderate comments and see the back-office list.
 */
export const proposalsPolicy = definePolicy({
  "participation.proposal.create": isParticipant,
  "participation.proposal.participate": isParticipant,
  "participation.proposal.evaluate": isEvaluator,
  "participation.proposal.decide": isDecider,
  "participation.proposal.manage": isTerritoryStaff,
  "participation.comment.moderate": isTerritoryStaff,
});
