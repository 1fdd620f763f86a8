import type { ModuleMatrix } from "../../core/authz/matrix.ts";

/** Who gets what from the reports routes (see core/authz/matrix.ts). */
export const reportsMatrix: ModuleMatrix = {};
