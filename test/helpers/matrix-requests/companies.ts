// The concrete request of every row of the companies module's matrix (see test/helpers/matrix.ts).
import type { RequestSpec } from "../matrix.ts";

export const companiesRequests: Record<string, RequestSpec> = {};
