// The concrete request of every row of the participation module's matrix (see test/helpers/matrix.ts).
import type { RequestSpec } from "../matrix.ts";

export const participationRequests: Record<string, RequestSpec> = {};
