import { definePolicy, isPlatformAdmin, isTerritoryStaff } from "../../core/authz/index.ts";
import { defineBackOfficeNav } from "../../core/ui/backoffice.ts";

/**
 * The observatory: everyone reads it (public data, secret values never shown); the territory's
 * staff (agents, limited or not, and territory admins) keep its local indicators and their values;
 * national files, shared by every territory, are imported by platform admins only.
 */
export const observatoryPolicy = definePolicy({
  "observatory.local.manage": isTerritoryStaff,
  "observatory.national.import": (a) => isPlatformAdmin(a),
});

defineBackOfficeNav({ label: "Observatoire", path: "/observatoire", permission: "observatory.local.manage", order: 60 });
