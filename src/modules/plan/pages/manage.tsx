import type { RouteDef } from "../../../core/http/registry.ts";

/** Back-office of the plan: themes, objectives and actions. */
export const planManageRoutes: RouteDef[] = [];
