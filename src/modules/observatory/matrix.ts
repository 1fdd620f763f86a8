import { everyone, PUBLIC, STAFF_PAGE, STAFF_POST, type ModuleMatrix, type RoleOutcomes } from "../../core/authz/matrix.ts";

/** National imports: platform admins only (the files feed every territory). */
const PLATFORM_ADMIN_PAGE: RoleOutcomes = { ...everyone("forbidden"), anonymous: "login", platform_admin: "allow" };
const PLATFORM_ADMIN_POST: RoleOutcomes = { ...everyone("forbidden"), platform_admin: "allow" };

/** Who gets what from the observatory routes (see core/authz/matrix.ts). */
export const observatoryMatrix: ModuleMatrix = {
  "GET /t/:slug/observatoire": PUBLIC,
  "GET /t/:slug/observatoire/graphique.csv": PUBLIC,
  "GET /t/:slug/observatoire/diagnostic.pdf": PUBLIC,
  "GET /t/:slug/observatoire/indicateurs": PUBLIC,
  "GET /t/:slug/observatoire/indicateurs/:code": PUBLIC,
  "GET /t/:slug/observatoire/indicateurs/:code/donnees.csv": PUBLIC,
  "GET /api/v1/indicators": PUBLIC,
  "GET /api/v1/observations": PUBLIC,
  "GET /t/:slug/gestion/observatoire": STAFF_PAGE,
  "GET /t/:slug/gestion/observatoire/indicateurs/nouveau": STAFF_PAGE,
  "POST /t/:slug/gestion/observatoire/indicateurs/nouveau": STAFF_POST,
  "GET /t/:slug/gestion/observatoire/indicateurs/:id": STAFF_PAGE,
  "GET /t/:slug/gestion/observatoire/indicateurs/:id/modifier": STAFF_PAGE,
  "POST /t/:slug/gestion/observatoire/indicateurs/:id": STAFF_POST,
  "POST /t/:slug/gestion/observatoire/indicateurs/:id/valeurs": STAFF_POST,
  "POST /t/:slug/gestion/observatoire/indicateurs/:id/valeurs/supprimer": STAFF_POST,
  "POST /t/:slug/gestion/observatoire/indicateurs/:id/archiver": STAFF_POST,
  "GET /gestion/observatoire/imports": PLATFORM_ADMIN_PAGE,
  "POST /gestion/observatoire/imports": PLATFORM_ADMIN_POST,
};
