import type { RouteDef } from "../../../core/http/registry.ts";
export const importRoutes: RouteDef[] = [];
