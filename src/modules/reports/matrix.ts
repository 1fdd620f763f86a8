import { PUBLIC, SIGNED_IN_PAGE, SIGNED_IN_POST, WHOLE_PLAN_PAGE, WHOLE_PLAN_POST, type ModuleMatrix, type RoleOutcomes } from "../../core/authz/matrix.ts";

/** The follow-up's readers: staff, committee members, funders (confidential included, never drafts). */
const READERS_PAGE: RoleOutcomes = {
  anonymous: "login",
  industrialist: "forbidden",
  committee_member: "allow",
  limited_agent: "allow",
  agent: "allow",
  territory_admin: "allow",
  funder: "allow",
  platform_admin: "allow",
};
/** The same for downloads (CSV, PDF, XLSX): anonymous visitors are refused, not sent to sign in. */
const READERS_FILE: RoleOutcomes = { ...READERS_PAGE, anonymous: "forbidden" };

/** Who gets what from the reports routes (see core/authz/matrix.ts). */
export const reportsMatrix: ModuleMatrix = {
  "GET /t/:slug/gestion/tableau-de-bord": READERS_PAGE,
  "GET /t/:slug/gestion/tableau-de-bord/:chart.csv": READERS_FILE,
  "GET /t/:slug/gestion/tableau-de-bord/bilan.pdf": READERS_FILE,
  "GET /t/:slug/gestion/tableau-de-bord/bilan.xlsx": READERS_FILE,
  // Across the territories one follows (possibly none).
  "GET /gestion/tableau-de-bord": SIGNED_IN_PAGE,
  "GET /gestion/tableau-de-bord/:chart.csv": SIGNED_IN_POST,
  // Importing a plan creates themes and objectives: the staff who edit the whole plan.
  "GET /t/:slug/gestion/import": WHOLE_PLAN_PAGE,
  "GET /t/:slug/gestion/import/modele.xlsx": WHOLE_PLAN_POST,
  "GET /t/:slug/gestion/import/modele.csv": WHOLE_PLAN_POST,
  "POST /t/:slug/gestion/import": WHOLE_PLAN_POST,
  "GET /t/:slug/gestion/import/:id": WHOLE_PLAN_PAGE,
  "POST /t/:slug/gestion/import/:id": WHOLE_PLAN_POST,
  // One's own digest preference; the e-mail's link works without signing in.
  "GET /compte/resume-hebdomadaire": SIGNED_IN_PAGE,
  "POST /compte/resume-hebdomadaire": SIGNED_IN_POST,
  "GET /resume-hebdomadaire/desabonnement/:token": PUBLIC,
  "POST /resume-hebdomadaire/desabonnement/:token": PUBLIC,
};
