import { definePolicy, isTerritoryStaff } from "../../core/authz/index.ts";

/** The plan: the territory's staff (agents, territory admins) and platform admins edit it. */
export const planPolicy = definePolicy({
  "plan.plan.manage": isTerritoryStaff,
  "plan.theme.update": isTerritoryStaff,
  "plan.objective.update": isTerritoryStaff,
  "plan.action.update": isTerritoryStaff,
  /** Unpublished (draft, confidential, archived) content. */
  "plan.action.read_unpublished": isTerritoryStaff,
});
