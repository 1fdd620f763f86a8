import { defineModule } from "../../core/module.ts";

/** Committees at work: meetings, agendas, invitations, minutes, decisions, amendments and plan versions. */
export const governanceModule = defineModule({
  id: "governance",
  routes: [],
});
