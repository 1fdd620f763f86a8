import { PLATFORM_ADMIN_PAGE, PLATFORM_ADMIN_POST, STAFF_PAGE, STAFF_POST, TERRITORY_ADMIN_POST, type ModuleMatrix, type RoleOutcomes } from "../../core/authz/matrix.ts";

/** An invitation sent to a new address: the visitor creates the account; a signed-in person is told it is not theirs (403). */
const INVITATION_FOR_SOMEONE_ELSE: RoleOutcomes = {
  anonymous: "allow",
  industrialist: "forbidden",
  committee_member: "forbidden",
  limited_agent: "forbidden",
  agent: "forbidden",
  territory_admin: "forbidden",
  funder: "forbidden",
  platform_admin: "forbidden",
};

/** Who gets what from the members routes (see core/authz/matrix.ts). */
export const membersMatrix: ModuleMatrix = {
  "GET /t/:slug/gestion/membres": STAFF_PAGE,
  "POST /t/:slug/gestion/membres/:id/modifier": TERRITORY_ADMIN_POST,
  "POST /t/:slug/gestion/membres/:id/retirer": TERRITORY_ADMIN_POST,
  // Agents confirm or refuse self-registered industrialists.
  "POST /t/:slug/gestion/membres/:id/confirmer": STAFF_POST,
  "POST /t/:slug/gestion/membres/:id/refuser": STAFF_POST,
  "POST /t/:slug/gestion/membres/invitations": TERRITORY_ADMIN_POST,
  "POST /t/:slug/gestion/membres/invitations/:id/renvoyer": TERRITORY_ADMIN_POST,
  "POST /t/:slug/gestion/membres/invitations/:id/annuler": TERRITORY_ADMIN_POST,
  "GET /invitation/:token": INVITATION_FOR_SOMEONE_ELSE,
  "POST /invitation/:token": INVITATION_FOR_SOMEONE_ELSE,
  "GET /gestion/territoires/nouveau": PLATFORM_ADMIN_PAGE,
  "POST /gestion/territoires/nouveau": PLATFORM_ADMIN_POST,
  "GET /gestion/financeurs": PLATFORM_ADMIN_PAGE,
  // To an existing account (the grant at once), or to a new address (an invitation).
  "POST /gestion/financeurs": PLATFORM_ADMIN_POST,
  "POST /gestion/financeurs#nouvelle-adresse": PLATFORM_ADMIN_POST,
  "POST /gestion/financeurs/:id/retirer": PLATFORM_ADMIN_POST,
  "POST /gestion/financeurs/invitations/:id/renvoyer": PLATFORM_ADMIN_POST,
  "POST /gestion/financeurs/invitations/:id/annuler": PLATFORM_ADMIN_POST,
};
