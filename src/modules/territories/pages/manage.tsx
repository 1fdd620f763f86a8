import type { RouteDef } from "../../../core/http/registry.ts";

/** Back-office editing of a territory's pages. */
export const territoryPagesRoutes: RouteDef[] = [];
