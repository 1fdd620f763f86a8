import { everyone, PUBLIC, PUBLISHED_ONLY, SIGNED_IN_PAGE, STAFF_PAGE, STAFF_POST, type ModuleMatrix, type RoleOutcomes } from "../../core/authz/matrix.ts";

/** Who reads the follow-up (confidential items, never drafts): committee members, funders and the staff. */
const FOLLOW_UP_PAGE: RoleOutcomes = {
  anonymous: "login",
  industrialist: "forbidden",
  committee_member: "follow_up",
  agent: "follow_up",
  territory_admin: "follow_up",
  funder: "follow_up",
  platform_admin: "follow_up",
};

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
  // The back-office shows everything, drafts and archives included.
  "GET /t/:slug/gestion": STAFF_PAGE,
  "GET /t/:slug/gestion/thematiques/nouvelle": STAFF_PAGE,
  "POST /t/:slug/gestion/thematiques/nouvelle": STAFF_POST,
  "GET /t/:slug/gestion/thematiques/:id": STAFF_PAGE,
  "POST /t/:slug/gestion/thematiques/:id": STAFF_POST,
  "POST /t/:slug/gestion/thematiques/:id/monter": STAFF_POST,
  "POST /t/:slug/gestion/thematiques/:id/descendre": STAFF_POST,
  "POST /t/:slug/gestion/thematiques/:id/archiver": STAFF_POST,
  "POST /t/:slug/gestion/thematiques/:id/restaurer": STAFF_POST,
  "GET /t/:slug/gestion/objectifs/nouveau": STAFF_PAGE,
  "POST /t/:slug/gestion/objectifs/nouveau": STAFF_POST,
  "GET /t/:slug/gestion/objectifs/:id": STAFF_PAGE,
  "POST /t/:slug/gestion/objectifs/:id": STAFF_POST,
  "POST /t/:slug/gestion/objectifs/:id/monter": STAFF_POST,
  "POST /t/:slug/gestion/objectifs/:id/descendre": STAFF_POST,
  "POST /t/:slug/gestion/objectifs/:id/archiver": STAFF_POST,
  "POST /t/:slug/gestion/objectifs/:id/restaurer": STAFF_POST,
  "GET /t/:slug/gestion/actions/nouvelle": STAFF_PAGE,
  "POST /t/:slug/gestion/actions/nouvelle": STAFF_POST,
  "GET /t/:slug/gestion/actions/:id": STAFF_PAGE,
  "POST /t/:slug/gestion/actions/:id": STAFF_POST,
  "POST /t/:slug/gestion/actions/:id/monter": STAFF_POST,
  "POST /t/:slug/gestion/actions/:id/descendre": STAFF_POST,
  "POST /t/:slug/gestion/actions/:id/archiver": STAFF_POST,
  "POST /t/:slug/gestion/actions/:id/restaurer": STAFF_POST,
};
