import { STAFF_PAGE, STAFF_POST, type ModuleMatrix } from "../../core/authz/matrix.ts";

/** Who gets what from the companies routes (see core/authz/matrix.ts): the territory's staff only. */
export const companiesMatrix: ModuleMatrix = {
  "GET /t/:slug/gestion/entreprises": STAFF_PAGE,
  // A file: an anonymous visitor gets 403, not the sign-in page.
  "GET /t/:slug/gestion/entreprises/export.csv": STAFF_POST,
  "GET /t/:slug/gestion/entreprises/imports": STAFF_PAGE,
  "GET /t/:slug/gestion/entreprises/nouvelle": STAFF_PAGE,
  "POST /t/:slug/gestion/entreprises/nouvelle": STAFF_POST,
  "GET /t/:slug/gestion/entreprises/:id": STAFF_PAGE,
  "GET /t/:slug/gestion/entreprises/:id/modifier": STAFF_PAGE,
  "POST /t/:slug/gestion/entreprises/:id/modifier": STAFF_POST,
  "POST /t/:slug/gestion/entreprises/:id/etablissements": STAFF_POST,
  "POST /t/:slug/gestion/entreprises/:id/etablissements/:establishmentId/fermer": STAFF_POST,
  "POST /t/:slug/gestion/entreprises/:id/etablissements/:establishmentId/rouvrir": STAFF_POST,
  "POST /t/:slug/gestion/entreprises/:id/contacts": STAFF_POST,
  "GET /t/:slug/gestion/entreprises/:id/contacts/:contactId/modifier": STAFF_PAGE,
  "POST /t/:slug/gestion/entreprises/:id/contacts/:contactId/modifier": STAFF_POST,
  "POST /t/:slug/gestion/entreprises/:id/contacts/:contactId/supprimer": STAFF_POST,
  "POST /t/:slug/gestion/entreprises/:id/comptes/:linkId/confirmer": STAFF_POST,
  "POST /t/:slug/gestion/entreprises/:id/comptes/:linkId/retirer": STAFF_POST,
};
