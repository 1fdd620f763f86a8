// The concrete request of every row of the reports module's matrix (see test/helpers/matrix.ts).
import type { RequestSpec } from "../matrix.ts";

export const reportsRequests: Record<string, RequestSpec> = {};
