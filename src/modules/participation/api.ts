// The participation module's public surface for other modules.
export { workshops, registrations, interests, proposals, proposalSupports, proposalComments, questions, notificationPreferences, PROPOSAL_STATUSES } from "./schema.ts";
export { participationPolicy } from "./policy.ts";
/** The proposal an action of the plan comes from (« issue de la proposition n° … »), for the action pages. */
export { proposalForAction } from "./proposals/queries.ts";
