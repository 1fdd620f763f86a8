import { definePolicy, isTerritoryStaff } from "../../core/authz/index.ts";

/** Territory pages and settings: the territory's staff edits them. */
export const territoriesPolicy = definePolicy({
  "territories.page.update": isTerritoryStaff,
  "territories.backoffice.read": isTerritoryStaff,
});
