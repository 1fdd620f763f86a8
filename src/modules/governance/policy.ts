import { canReadFollowUp, definePolicy, isPlatformAdmin, type Rule } from "../../core/authz/index.ts";
import { defineBackOfficeNav } from "../../core/ui/backoffice.ts";

/**
 * Staff who run the committees: territory admins and agents not limited to one intercommunalité
 * (an amendment changes the whole plan), and platform admins.
 */
const isGovernanceStaff: Rule = (a, s) => {
  if (isPlatformAdmin(a)) return true;
  if (s.territoryId === undefined) return false;
  const staff = a.memberships.filter((m) => m.territoryId === s.territoryId && (m.role === "territory_admin" || m.role === "agent"));
  return staff.some((m) => m.role === "territory_admin" || m.authorityId == null);
};

export const governancePolicy = definePolicy({
  /** Bodies, members, meetings, invitations, decisions, amendments and their application. */
  "governance.committee.manage": isGovernanceStaff,
  /** Minutes of held meetings and the follow-up view of plan versions (confidential actions): committee members, funders, staff. */
  "governance.minutes.read": canReadFollowUp,
});

defineBackOfficeNav({ label: "Gouvernance", path: "/gouvernance", permission: "governance.committee.manage", order: 40 });
