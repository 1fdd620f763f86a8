import { definePolicy, hasRole, isPlatformAdmin, isTerritoryStaff, type Rule } from "../../core/authz/index.ts";
import { definePublicNav } from "../../core/ui/layout.tsx";
import { defineBackOfficeNav } from "../../core/ui/backoffice.ts";
import "./proposals/policy.ts";
import "./questions/policy.ts";

/**
 * Who takes part in workshops: an active member of the territory (a confirmed industrialist, a
 * committee member, the staff) or a platform admin. A self-registered industrialist still pending
 * has no role yet: Mon espace tells them their request awaits an agent.
 */
const isMember: Rule = (a, s) => isPlatformAdmin(a) || hasRole(a, s.territoryId, "industrialist", "committee_member", "agent", "territory_admin");

/** Workshops and Mon espace: members register and declare their interest; the staff run the workshops. */
export const participationPolicy = definePolicy({
  "participation.workshop.register": isMember,
  "participation.interest.declare": isMember,
  "participation.workshop.manage": isTerritoryStaff,
});

definePublicNav({ label: "Ateliers", path: "/ateliers", order: 40 });
definePublicNav({ label: "Mon espace", path: "/mon-espace", order: 95 });
defineBackOfficeNav({ label: "Ateliers", path: "/ateliers", permission: "participation.workshop.manage", order: 60 });
