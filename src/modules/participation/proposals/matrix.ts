import { everyone, PUBLIC, STAFF_PAGE, STAFF_POST, type ModuleMatrix, type RoleOutcomes } from "../../../core/authz/matrix.ts";

/** Participants: confirmed industrialists, committee members, the staff (funders are readers, not participants). */
const PARTICIPANT_PAGE: RoleOutcomes = {
  anonymous: "login",
  industrialist: "allow",
  committee_member: "allow",
  limited_agent: "allow",
  agent: "allow",
  territory_admin: "allow",
  funder: "forbidden",
  platform_admin: "allow",
};
const PARTICIPANT_POST: RoleOutcomes = { ...PARTICIPANT_PAGE, anonymous: "forbidden" };
/** Evaluators: the staff and the committees' members. */
const EVALUATOR_PAGE: RoleOutcomes = { ...STAFF_PAGE, committee_member: "allow" };
const EVALUATOR_POST: RoleOutcomes = { ...STAFF_POST, committee_member: "allow" };
/** Who records the decision: the staff who edit the whole plan (the action may be anyone's). */
const DECIDER_PAGE: RoleOutcomes = { ...STAFF_PAGE, limited_agent: "forbidden" };
const DECIDER_POST: RoleOutcomes = { ...STAFF_POST, limited_agent: "forbidden" };

/** Who gets what from the proposals' routes (see core/authz/matrix.ts). */
export const proposalsMatrix: ModuleMatrix = {
  // Published proposals are public, without their authors' names; comments for participants.
  "GET /t/:slug/propositions": PUBLIC,
  "GET /t/:slug/propositions/:id": PUBLIC,
  // A proposal the staff hid exists for them only.
  "GET /t/:slug/propositions/:id#masquee": { ...everyone("not_found"), limited_agent: "allow", agent: "allow", territory_admin: "allow", platform_admin: "allow" },
  "POST /t/:slug/propositions/:id/masquer": STAFF_POST,
  "POST /t/:slug/propositions/:id/publier": STAFF_POST,
  "GET /t/:slug/propositions/nouvelle": PARTICIPANT_PAGE,
  "POST /t/:slug/propositions/nouvelle": PARTICIPANT_POST,
  "POST /t/:slug/propositions/:id/soutien": PARTICIPANT_POST,
  "POST /t/:slug/propositions/:id/commentaires": PARTICIPANT_POST,
  "POST /t/:slug/propositions/:id/commentaires/:commentId/masquer": STAFF_POST,
  "POST /t/:slug/propositions/:id/examen": EVALUATOR_POST,
  "GET /t/:slug/propositions/:id/evaluation": EVALUATOR_PAGE,
  "POST /t/:slug/propositions/:id/evaluation": EVALUATOR_POST,
  "GET /t/:slug/propositions/:id/decision": DECIDER_PAGE,
  "POST /t/:slug/propositions/:id/decision": DECIDER_POST,
  "POST /t/:slug/propositions/:id/decision#non-retenue": DECIDER_POST,
  "GET /t/:slug/gestion/propositions": STAFF_PAGE,
  // The unsubscribe link of an e-mail works for whoever holds it (the token is the key).
  "GET /t/:slug/propositions/desabonnement/:token": PUBLIC,
  "POST /t/:slug/propositions/desabonnement/:token": PUBLIC,
};
