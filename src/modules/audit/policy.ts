import { definePolicy, isTerritoryAdmin, isTerritoryStaff } from "../../core/authz/index.ts";
import { defineBackOfficeNav } from "../../core/ui/backoffice.ts";

/** The whole trail is the territory admin's; a record's own history is shown to who may edit it. */
export const auditPolicy = definePolicy({
  "audit.log.read": isTerritoryAdmin,
  "audit.record.read": isTerritoryStaff,
});

defineBackOfficeNav({ label: "Journal des modifications", path: "/journal", permission: "audit.log.read", order: 95 });
