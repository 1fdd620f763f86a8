// The governance module's public surface for other modules.
export { meetings, agendaItems, meetingInvitees, decisions, decisionActions, amendments, amendmentChanges, planVersions } from "./schema.ts";
