import { defineModule } from "../../core/module.ts";

/** The observatory: indicator catalogue, observations, importers, overview, maps and API. */
export const observatoryModule = defineModule({
  id: "observatory",
  routes: [],
});
