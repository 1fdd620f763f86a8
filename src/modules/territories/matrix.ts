import { PUBLIC, PUBLISHED_ONLY, STAFF_PAGE, STAFF_POST, type ModuleMatrix } from "../../core/authz/matrix.ts";

/** Who gets what from the territories routes (see core/authz/matrix.ts). */
export const territoriesMatrix: ModuleMatrix = {
  "GET /": PUBLIC,
  // The home page and the site map list the plan: published items only, whoever asks.
  "GET /t/:slug": PUBLISHED_ONLY,
  "GET /t/:slug/gouvernance": PUBLIC,
  "GET /t/:slug/contact": PUBLIC,
  "GET /t/:slug/presentation": PUBLIC,
  "GET /t/:slug/mentions-legales": PUBLIC,
  "GET /t/:slug/accessibilite": PUBLIC,
  "GET /t/:slug/donnees-personnelles": PUBLIC,
  "GET /t/:slug/plan-du-site": PUBLISHED_ONLY,
  "GET /mentions-legales": PUBLIC,
  "GET /accessibilite": PUBLIC,
  "GET /donnees-personnelles": PUBLIC,
  "GET /plan-du-site": PUBLIC,
  "GET /api/v1/territories": PUBLIC,
  "GET /t/:slug/gestion/pages": STAFF_PAGE,
  "GET /t/:slug/gestion/pages/:key": STAFF_PAGE,
  "POST /t/:slug/gestion/pages/:key": STAFF_POST,
  "GET /t/:slug/gestion/coordonnees": STAFF_PAGE,
  "GET /t/:slug/gestion/coordonnees/nouveau": STAFF_PAGE,
  "POST /t/:slug/gestion/coordonnees/nouveau": STAFF_POST,
  "GET /t/:slug/gestion/coordonnees/:id": STAFF_PAGE,
  "POST /t/:slug/gestion/coordonnees/:id": STAFF_POST,
  "GET /t/:slug/gestion/coordonnees/:id/supprimer": STAFF_PAGE,
  "POST /t/:slug/gestion/coordonnees/:id/supprimer": STAFF_POST,
  "POST /t/:slug/gestion/coordonnees/:id/monter": STAFF_POST,
  "POST /t/:slug/gestion/coordonnees/:id/descendre": STAFF_POST,
};
