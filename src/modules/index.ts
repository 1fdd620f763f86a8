import type { ModuleDef } from "../core/module.ts";
import type { RouteDef } from "../core/http/registry.ts";
import { systemModule } from "./system/module.ts";
import { accountsModule } from "./accounts/module.tsx";
import { territoriesModule } from "./territories/module.tsx";
import { planModule } from "./plan/module.tsx";
import { auditModule } from "./audit/module.tsx";
import { membersModule } from "./members/module.tsx";
import { observatoryModule } from "./observatory/module.tsx";
import { governanceModule } from "./governance/module.tsx";
import { reportsModule } from "./reports/module.tsx";
import { companiesModule } from "./companies/module.tsx";
import { participationModule } from "./participation/module.tsx";

/** Every module of the platform, in mounting order. */
export const modules: ModuleDef[] = [
  systemModule,
  accountsModule,
  territoriesModule,
  planModule,
  auditModule,
  membersModule,
  observatoryModule,
  governanceModule,
  reportsModule,
  companiesModule,
  participationModule,
];

/** The route registry: every route of every module. */
export function allRoutes(): RouteDef[] {
  return modules.flatMap((m) => m.routes);
}
