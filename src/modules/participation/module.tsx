import { defineModule } from "../../core/module.ts";

/** Industrial participation: workshops, interests, proposals, questions and Mon espace. */
export const participationModule = defineModule({
  id: "participation",
  routes: [],
});
