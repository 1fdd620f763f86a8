import { definePolicy, isPlatformAdmin, isTerritoryAdmin, isTerritoryStaff } from "../../core/authz/index.ts";
import { defineBackOfficeNav } from "../../core/ui/backoffice.ts";

/**
 * Members: the territory admin manages roles and invitations; agents see the members and confirm
 * self-registered industrialists; the platform admin creates territories and grants funders access.
 */
export const membersPolicy = definePolicy({
  "members.member.read": isTerritoryStaff,
  "members.member.manage": isTerritoryAdmin,
  "members.pending.confirm": isTerritoryStaff,
  "members.territory.create": (a) => isPlatformAdmin(a),
  "members.funder.manage": (a) => isPlatformAdmin(a),
});

defineBackOfficeNav({ label: "Membres", path: "/membres", permission: "members.member.read", order: 85 });
