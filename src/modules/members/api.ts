// The members module's public surface for other modules.
export { ROLE_LABELS, STATUS_LABELS, INVITATION_DAYS, type InvitedRole } from "./model.ts";
export { createInvitation, findValidInvitation, type InvitationPayload } from "./commands/invitations.ts";
export { membersPolicy } from "./policy.ts";
