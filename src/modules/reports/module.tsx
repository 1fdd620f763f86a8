import { defineModule } from "../../core/module.ts";

/** Dashboards, progress reports (PDF, XLSX), plan import and the pilots' weekly digest. */
export const reportsModule = defineModule({
  id: "reports",
  routes: [],
});
