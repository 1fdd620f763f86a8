import type { ModuleMatrix } from "../../core/authz/matrix.ts";

/** Who gets what from the governance routes (see core/authz/matrix.ts). */
export const governanceMatrix: ModuleMatrix = {};
