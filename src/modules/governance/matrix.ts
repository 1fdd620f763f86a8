import { PUBLIC, WHOLE_PLAN_PAGE, WHOLE_PLAN_POST, type ModuleMatrix } from "../../core/authz/matrix.ts";

/**
 * Who gets what from the governance routes (see core/authz/matrix.ts). The back-office is for the
 * staff who edit the whole plan (an amendment changes any action): not an agent limited to one
 * intercommunalité. Versions, meetings and decisions are public; minutes are shown inside the
 * meeting page to follow-up readers only (tested in test/governance.test.ts).
 */
export const governanceMatrix: ModuleMatrix = {
  "GET /t/:slug/gestion/gouvernance": WHOLE_PLAN_PAGE,
  "GET /t/:slug/gestion/gouvernance/instances/nouvelle": WHOLE_PLAN_PAGE,
  "POST /t/:slug/gestion/gouvernance/instances/nouvelle": WHOLE_PLAN_POST,
  "GET /t/:slug/gestion/gouvernance/instances/:id": WHOLE_PLAN_PAGE,
  "POST /t/:slug/gestion/gouvernance/instances/:id": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/instances/:id/supprimer": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/instances/:id/membres": WHOLE_PLAN_POST,
  "GET /t/:slug/gestion/gouvernance/membres/:id": WHOLE_PLAN_PAGE,
  "POST /t/:slug/gestion/gouvernance/membres/:id": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/membres/:id/retirer": WHOLE_PLAN_POST,
  "GET /t/:slug/gestion/gouvernance/reunions/nouvelle": WHOLE_PLAN_PAGE,
  "POST /t/:slug/gestion/gouvernance/reunions/nouvelle": WHOLE_PLAN_POST,
  "GET /t/:slug/gestion/gouvernance/reunions/:id": WHOLE_PLAN_PAGE,
  "POST /t/:slug/gestion/gouvernance/reunions/:id": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/reunions/:id/ordre-du-jour": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/points/:id/monter": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/points/:id/descendre": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/points/:id/retirer": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/reunions/:id/invites": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/reunions/:id/invitations": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/reunions/:id/annuler": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/reunions/:id/compte-rendu": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/reunions/:id/decisions": WHOLE_PLAN_POST,
  "GET /t/:slug/gestion/gouvernance/decisions/:id": WHOLE_PLAN_PAGE,
  "POST /t/:slug/gestion/gouvernance/decisions/:id/avenant": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/avenants/:id/ajout": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/avenants/:id/modification": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/avenants/:id/retrait": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/changements/:id/retirer": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/gouvernance/avenants/:id/appliquer": WHOLE_PLAN_POST,
  "GET /t/:slug/gouvernance/reunions/:id": PUBLIC,
  "GET /t/:slug/gouvernance/reunions/:id/invitation.ics": PUBLIC,
  "GET /t/:slug/plan/versions": PUBLIC,
  "GET /t/:slug/plan/versions/comparer": PUBLIC,
  "GET /t/:slug/plan/versions/:n": PUBLIC,
};
