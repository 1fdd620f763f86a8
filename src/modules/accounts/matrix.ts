import { everyone, PLATFORM_ADMIN_PAGE, PLATFORM_ADMIN_POST, PUBLIC, SIGNED_IN_PAGE, SIGNED_IN_POST, type ModuleMatrix } from "../../core/authz/matrix.ts";

/** Who gets what from the accounts routes (see core/authz/matrix.ts). */
export const accountsMatrix: ModuleMatrix = {
  // Signing in: open to all (a signed-in person is sent on to the back-office).
  "GET /connexion": PUBLIC,
  "POST /connexion": PUBLIC,
  "POST /deconnexion": PUBLIC,
  // Once an account exists the first-start link is spent: the page is gone, the form sends to sign in.
  "GET /installation/:token": everyone("not_found"),
  "POST /installation/:token": everyone("login"),
  "GET /gestion": SIGNED_IN_PAGE,
  "GET /mot-de-passe-oublie": PUBLIC,
  "POST /mot-de-passe-oublie": PUBLIC,
  "GET /mot-de-passe/:token": PUBLIC,
  "POST /mot-de-passe/:token": PUBLIC,
  "GET /compte": SIGNED_IN_PAGE,
  "POST /compte/sessions/:id/fermer": SIGNED_IN_POST,
  "POST /compte/sessions/fermer-tout": SIGNED_IN_POST,
  "GET /dev/outbox": PUBLIC,
  "GET /connexion/lien": PUBLIC,
  "POST /connexion/lien": PUBLIC,
  "GET /connexion/lien/:token": PUBLIC,
  "POST /connexion/lien/:token": PUBLIC,
  "GET /inscription": PUBLIC,
  "GET /t/:slug/inscription": PUBLIC,
  "POST /t/:slug/inscription": PUBLIC,
  "GET /t/:slug/inscription/:token": PUBLIC,
  "POST /t/:slug/inscription/:token": PUBLIC,
  // No OpenID Connect provider configured: the routes do not exist.
  "GET /connexion/oidc": everyone("not_found"),
  "GET /connexion/oidc/retour": everyone("not_found"),
  // A file: anonymous visitors get 403 rather than a redirect.
  "GET /compte/donnees.json": SIGNED_IN_POST,
  "GET /compte/fermer": SIGNED_IN_PAGE,
  "POST /compte/fermer": SIGNED_IN_POST,
  "GET /gestion/parametres": PLATFORM_ADMIN_PAGE,
  "POST /gestion/parametres": PLATFORM_ADMIN_POST,
  "POST /gestion/parametres/retention": PLATFORM_ADMIN_POST,
};
