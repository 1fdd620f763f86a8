// The concrete request of every row of the observatory module's matrix (see test/helpers/matrix.ts).
import type { RequestSpec } from "../matrix.ts";

export const observatoryRequests: Record<string, RequestSpec> = {};
