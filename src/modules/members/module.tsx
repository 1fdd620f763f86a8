import { defineModule } from "../../core/module.ts";
import { membersRoutes } from "./pages/members.tsx";
import { invitationRoutes } from "./pages/invitation.tsx";
import { territoryRoutes } from "./pages/territory-new.tsx";
import { funderRoutes } from "./pages/funders.tsx";
import "./policy.ts";

/** Members of territories, invitations, territory creation and funders' read access. */
export const membersModule = defineModule({
  id: "members",
  routes: [...membersRoutes, ...invitationRoutes, ...territoryRoutes, ...funderRoutes],
});
