import { PUBLIC, type ModuleMatrix } from "../../core/authz/matrix.ts";

/** Who gets what from the system routes (see core/authz/matrix.ts). */
export const systemMatrix: ModuleMatrix = {
  "GET /healthz": PUBLIC,
  "GET /readyz": PUBLIC,
  "GET /api/openapi.json": PUBLIC,
};
