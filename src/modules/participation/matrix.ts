import { everyone, PUBLIC, SIGNED_IN_PAGE, SIGNED_IN_POST, STAFF_PAGE, STAFF_POST, type ModuleMatrix, type RoleOutcomes } from "../../core/authz/matrix.ts";
import { proposalsMatrix } from "./proposals/matrix.ts";
import { questionsMatrix } from "./questions/matrix.ts";

/** The territory's members (confirmed industrialists, committee members, staff) and platform admins; not funders. */
const MEMBER_POST: RoleOutcomes = { ...everyone("allow"), anonymous: "forbidden", funder: "forbidden" };
const MEMBER_PAGE: RoleOutcomes = { ...MEMBER_POST, anonymous: "login" };
/** A draft workshop: the staff only; everyone else is told it does not exist. */
const STAFF_OR_NOT_FOUND: RoleOutcomes = { ...everyone("not_found"), limited_agent: "allow", agent: "allow", territory_admin: "allow", platform_admin: "allow" };

/** Who gets what from the participation routes (see core/authz/matrix.ts). */
export const participationMatrix: ModuleMatrix = {
  // ——— workshops: public pages, registration by the territory's members ———
  "GET /t/:slug/ateliers": PUBLIC,
  "GET /t/:slug/ateliers/:id": PUBLIC,
  "GET /t/:slug/ateliers/:id#brouillon": STAFF_OR_NOT_FOUND,
  "GET /t/:slug/ateliers/:id/agenda.ics": PUBLIC,
  "GET /t/:slug/ateliers/:id/documents/:docId": PUBLIC,
  "GET /t/:slug/ateliers/:id/documents/:docId#brouillon": STAFF_OR_NOT_FOUND,
  "POST /t/:slug/ateliers/:id/inscription": MEMBER_POST,
  "POST /t/:slug/ateliers/:id/desinscription": MEMBER_POST,
  // ——— workshops: back-office ———
  "GET /t/:slug/gestion/ateliers": STAFF_PAGE,
  "GET /t/:slug/gestion/ateliers/nouveau": STAFF_PAGE,
  "POST /t/:slug/gestion/ateliers/nouveau": STAFF_POST,
  "GET /t/:slug/gestion/ateliers/:id": STAFF_PAGE,
  "POST /t/:slug/gestion/ateliers/:id": STAFF_POST,
  "POST /t/:slug/gestion/ateliers/:id/annuler": STAFF_POST,
  "POST /t/:slug/gestion/ateliers/:id/presences": STAFF_POST,
  "POST /t/:slug/gestion/ateliers/:id/inviter": STAFF_POST,
  "POST /t/:slug/gestion/ateliers/:id/documents": STAFF_POST,
  "POST /t/:slug/gestion/ateliers/:id/documents/:docId/supprimer": STAFF_POST,
  // ——— Mon espace, "Je souhaite participer", unsubscribe ———
  "GET /t/:slug/mon-espace": SIGNED_IN_PAGE,
  "POST /t/:slug/mon-espace/preferences": SIGNED_IN_POST,
  "POST /t/:slug/mon-espace/entreprise": MEMBER_POST,
  "GET /t/:slug/participer": MEMBER_PAGE,
  "POST /t/:slug/participer": MEMBER_POST,
  "GET /t/:slug/desabonnement/:token": PUBLIC,
  "POST /t/:slug/desabonnement/:token": PUBLIC,
  ...proposalsMatrix,
  ...questionsMatrix,
};
