import type { ModuleMatrix } from "../../core/authz/matrix.ts";

/** Who gets what from the observatory routes (see core/authz/matrix.ts). */
export const observatoryMatrix: ModuleMatrix = {};
