import { defineModule } from "../../core/module.ts";

/** Companies and establishments of a territory, the Sirene import and company search. */
export const companiesModule = defineModule({
  id: "companies",
  routes: [],
});
