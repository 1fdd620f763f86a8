import { defineModule } from "../../core/module.ts";
import { workshopRoutes } from "./workshops/routes.tsx";
import { workshopManageRoutes } from "./workshops/manage.tsx";
import { espaceRoutes } from "./espace/routes.tsx";
import { proposalRoutes } from "./proposals/routes.tsx";
import { questionRoutes } from "./questions/routes.tsx";
import { seedDemoWorkshops } from "./workshops/seed.ts";
import { seedDemoQuestions } from "./questions/seed.ts";
import "./policy.ts";
import "./notifications/jobs.ts";
import "./commands/cli.ts";

/** Industrial participation: workshops, interests, proposals, questions and Mon espace. */
export const participationModule = defineModule({
  id: "participation",
  routes: [...workshopRoutes, ...workshopManageRoutes, ...espaceRoutes, ...proposalRoutes, ...questionRoutes],
  seed: async (database) => {
    await seedDemoWorkshops(database);
    await seedDemoQuestions(database);
  },
});
