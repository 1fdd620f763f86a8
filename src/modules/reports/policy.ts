import { canReadFollowUp, definePolicy, isPlatformAdmin, type Rule } from "../../core/authz/index.ts";

/** Staff who edit the whole plan: a platform admin, a territory admin, an agent not limited to one intercommunalité. */
const isWholePlanEditor: Rule = (a, s) =>
  isPlatformAdmin(a) ||
  (s.territoryId !== undefined && a.memberships.some((m) => m.territoryId === s.territoryId && (m.role === "territory_admin" || (m.role === "agent" && m.authorityId == null))));

/**
 * Dashboards and progress reports are the follow-up's readers' (staff, committee members, funders:
 * confidential items included, never drafts). Importing a plan creates themes and objectives: the
 * staff who edit the whole plan.
 */
export const reportsPolicy = definePolicy({
  "reports.dashboard.read": canReadFollowUp,
  "reports.plan.import": isWholePlanEditor,
});
