import { definePolicy, isTerritoryStaff } from "../../core/authz/index.ts";
import { defineBackOfficeNav } from "../../core/ui/backoffice.ts";

/**
 * Companies: the territory's staff (agents, limited or not, and administrators) read, search,
 * export and edit companies, establishments, contacts and the accounts linked to them. Nobody
 * else: contacts are personal data.
 */
export const companiesPolicy = definePolicy({
  "companies.company.read": isTerritoryStaff,
  "companies.company.edit": isTerritoryStaff,
});

defineBackOfficeNav({ label: "Entreprises", path: "/entreprises", permission: "companies.company.read", order: 55 });
