import type { ModuleMatrix } from "../../core/authz/matrix.ts";

/** Who gets what from the companies routes (see core/authz/matrix.ts). */
export const companiesMatrix: ModuleMatrix = {};
