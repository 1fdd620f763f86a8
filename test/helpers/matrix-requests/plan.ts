// The concrete request of the plan module's newer rows (the follow-up); the first ones are in
// test/helpers/matrix.ts (BASE_REQUESTS).
import type { RequestSpec } from "../matrix.ts";

export const planRequests: Record<string, RequestSpec> = {};
