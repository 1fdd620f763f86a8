import { TERRITORY_ADMIN_PAGE, TERRITORY_ADMIN_POST, type ModuleMatrix } from "../../core/authz/matrix.ts";

/** Who gets what from the audit routes (see core/authz/matrix.ts): the whole trail is the territory admin's. */
export const auditMatrix: ModuleMatrix = {
  "GET /t/:slug/gestion/journal": TERRITORY_ADMIN_PAGE,
  // A file: anonymous visitors get 403 rather than a redirect.
  "GET /t/:slug/gestion/journal.csv": TERRITORY_ADMIN_POST,
};
