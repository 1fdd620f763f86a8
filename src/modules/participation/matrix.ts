import type { ModuleMatrix } from "../../core/authz/matrix.ts";

/** Who gets what from the participation routes (see core/authz/matrix.ts). */
export const participationMatrix: ModuleMatrix = {};
