import { everyone, PUBLIC, PUBLISHED_ONLY, SIGNED_IN_PAGE, STAFF_PAGE, STAFF_POST, WHOLE_PLAN_PAGE, WHOLE_PLAN_POST, type ModuleMatrix, type RoleOutcomes } from "../../core/authz/matrix.ts";

/** Who reads the follow-up (confidential items, never drafts): committee members, funders and the staff. */
const FOLLOW_UP_PAGE: RoleOutcomes = {
  anonymous: "login",
  industrialist: "forbidden",
  committee_member: "follow_up",
  limited_agent: "follow_up",
  agent: "follow_up",
  territory_admin: "follow_up",
  funder: "follow_up",
  platform_admin: "follow_up",
};

/** Reaching the route, but refused an action of another intercommunalité (403). */
const NOT_LIMITED_PAGE: RoleOutcomes = { ...STAFF_PAGE, limited_agent: "forbidden" };
const NOT_LIMITED_POST: RoleOutcomes = { ...STAFF_POST, limited_agent: "forbidden" };

/**
 * Who gets what from the plan routes (see core/authz/matrix.ts). `#brouillon` and `#confidentiel`
 * rows ask for a draft and a confidential action.
 */
export const planMatrix: ModuleMatrix = {
  // The plan page: the published plan, and the follow-up (confidential, no drafts) for those who read it.
  "GET /t/:slug/plan": { ...FOLLOW_UP_PAGE, anonymous: "filtered", industrialist: "filtered" },
  "GET /t/:slug/actions/:id": PUBLIC,
  // A confidential action's page is the follow-up readers'; for everyone else it does not exist.
  "GET /t/:slug/actions/:id#confidentiel": {
    anonymous: "not_found",
    industrialist: "not_found",
    committee_member: "allow",
    limited_agent: "allow",
    agent: "allow",
    territory_admin: "allow",
    funder: "allow",
    platform_admin: "allow",
  },
  // A draft action's page is the staff's (with its history).
  "GET /t/:slug/actions/:id#brouillon": {
    anonymous: "not_found",
    industrialist: "not_found",
    committee_member: "not_found",
    limited_agent: "allow",
    agent: "allow",
    territory_admin: "allow",
    funder: "not_found",
    platform_admin: "allow",
  },
  "GET /t/:slug/plan.csv": PUBLISHED_ONLY,
  "GET /api/v1/territories/:slug/plan": PUBLISHED_ONLY,
  "GET /api/v1/territories/:slug/actions/:id": PUBLIC,
  // The open API publishes published items only, whoever asks.
  "GET /api/v1/territories/:slug/actions/:id#brouillon": everyone("not_found"),
  "GET /api/v1/territories/:slug/actions/:id#confidentiel": everyone("not_found"),
  "GET /t/:slug/suivi": FOLLOW_UP_PAGE,
  // The territories whose follow-up one reads, side by side (possibly none).
  "GET /gestion/suivi": SIGNED_IN_PAGE,
  // The back-office shows everything, drafts and archives included; themes and objectives are for
  // the staff who edit the whole plan.
  "GET /t/:slug/gestion": STAFF_PAGE,
  "GET /t/:slug/gestion/thematiques/nouvelle": WHOLE_PLAN_PAGE,
  "POST /t/:slug/gestion/thematiques/nouvelle": WHOLE_PLAN_POST,
  "GET /t/:slug/gestion/thematiques/:id": WHOLE_PLAN_PAGE,
  "POST /t/:slug/gestion/thematiques/:id": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/thematiques/:id/monter": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/thematiques/:id/descendre": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/thematiques/:id/archiver": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/thematiques/:id/restaurer": WHOLE_PLAN_POST,
  "GET /t/:slug/gestion/objectifs/nouveau": WHOLE_PLAN_PAGE,
  "POST /t/:slug/gestion/objectifs/nouveau": WHOLE_PLAN_POST,
  "GET /t/:slug/gestion/objectifs/:id": WHOLE_PLAN_PAGE,
  "POST /t/:slug/gestion/objectifs/:id": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/objectifs/:id/monter": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/objectifs/:id/descendre": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/objectifs/:id/archiver": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/objectifs/:id/restaurer": WHOLE_PLAN_POST,
  // Actions: every agent reaches the forms; one limited to an intercommunalité changes only the actions
  // it leads (#menee) or the joint ◆ ones it is partner of (#partenaire), not the others (no variant).
  "GET /t/:slug/gestion/actions/nouvelle": STAFF_PAGE,
  "POST /t/:slug/gestion/actions/nouvelle": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/nouvelle#menee": STAFF_POST,
  "GET /t/:slug/gestion/actions/:id": NOT_LIMITED_PAGE,
  "GET /t/:slug/gestion/actions/:id#menee": STAFF_PAGE,
  "GET /t/:slug/gestion/actions/:id#partenaire": STAFF_PAGE,
  "POST /t/:slug/gestion/actions/:id": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id#menee": STAFF_POST,
  "POST /t/:slug/gestion/actions/:id#partenaire": STAFF_POST,
  "POST /t/:slug/gestion/actions/:id/monter": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/monter#menee": STAFF_POST,
  "POST /t/:slug/gestion/actions/:id/descendre": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/descendre#menee": STAFF_POST,
  "POST /t/:slug/gestion/actions/:id/archiver": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/archiver#menee": STAFF_POST,
  "POST /t/:slug/gestion/actions/:id/restaurer": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/restaurer#menee": STAFF_POST,
  // The follow-up sheet of an action: like its edit form (a limited agent only on the actions it
  // leads or is ◆ partner of). Sub-item routes name items of the action in the URL.
  "GET /t/:slug/gestion/actions/:id/suivi": NOT_LIMITED_PAGE,
  "GET /t/:slug/gestion/actions/:id/suivi#menee": STAFF_PAGE,
  "POST /t/:slug/gestion/actions/:id/suivi/statut": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/statut#menee": STAFF_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/personnes": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/calendrier": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/jalons": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/jalons#partenaire": STAFF_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/jalons/:itemId": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/budget": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/budget/:itemId": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/financement": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/financement/:itemId": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/notes": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/notes#menee": STAFF_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/notes/:itemId": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/documents": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/documents/:itemId": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/liens": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/liens/:itemId": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/indicateurs": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/indicateurs/nouveau": NOT_LIMITED_POST,
  "POST /t/:slug/gestion/actions/:id/suivi/indicateurs/:itemId": NOT_LIMITED_POST,
  // An action's documents: a published one of a published action for everyone; a confidential one
  // for the follow-up readers; a draft action's for the staff.
  "GET /t/:slug/actions/:id/documents/:docId": PUBLIC,
  "GET /t/:slug/actions/:id/documents/:docId#confidentiel": {
    anonymous: "not_found",
    industrialist: "not_found",
    committee_member: "allow",
    limited_agent: "allow",
    agent: "allow",
    territory_admin: "allow",
    funder: "allow",
    platform_admin: "allow",
  },
  "GET /t/:slug/actions/:id/documents/:docId#brouillon": {
    anonymous: "not_found",
    industrialist: "not_found",
    committee_member: "not_found",
    limited_agent: "allow",
    agent: "allow",
    territory_admin: "allow",
    funder: "not_found",
    platform_admin: "allow",
  },
  // Search: published actions for everyone; the follow-up (confidential, notes, documents) for its readers; drafts for the staff.
  "GET /t/:slug/recherche": { ...FOLLOW_UP_PAGE, anonymous: "filtered", industrialist: "filtered", limited_agent: "allow", agent: "allow", territory_admin: "allow", platform_admin: "allow" },
};
