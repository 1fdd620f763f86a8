// The participation module's public surface for other modules.
export { workshops, registrations, interests, proposals, proposalSupports, proposalComments, questions, notificationPreferences, PROPOSAL_STATUSES } from "./schema.ts";
