// The concrete request of every row of the governance module's matrix (see test/helpers/matrix.ts).
import type { RequestSpec } from "../matrix.ts";

export const governanceRequests: Record<string, RequestSpec> = {};
