import { PUBLIC, STAFF_PAGE, STAFF_POST, type ModuleMatrix } from "../../../core/authz/matrix.ts";

/** Who gets what from the questions' routes (see core/authz/matrix.ts). */
export const questionsMatrix: ModuleMatrix = {
  // Anyone asks a question and reads the FAQ (published entries, no identity).
  "GET /t/:slug/questions": PUBLIC,
  "POST /t/:slug/questions": PUBLIC,
  "GET /t/:slug/faq": PUBLIC,
  // The inbox is the staff's: agents (limited or not) and administrators.
  "GET /t/:slug/gestion/questions": STAFF_PAGE,
  "GET /t/:slug/gestion/questions/:id": STAFF_PAGE,
  "POST /t/:slug/gestion/questions/:id/attribution": STAFF_POST,
  "POST /t/:slug/gestion/questions/:id/reponse": STAFF_POST,
  "POST /t/:slug/gestion/questions/:id/faq": STAFF_POST,
  "POST /t/:slug/gestion/questions/:id/faq/retrait": STAFF_POST,
  "POST /t/:slug/gestion/questions/:id/cloture": STAFF_POST,
};
