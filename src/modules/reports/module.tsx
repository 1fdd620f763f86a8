import { z } from "zod";
import { defineModule } from "../../core/module.ts";
import { defineRoute } from "../../core/http/registry.ts";
import { can } from "../../core/authz/index.ts";
import { defineBackOfficeNav } from "../../core/ui/backoffice.ts";
import { listTerritories } from "../territories/api.ts";
import { parisToday } from "../plan/api.ts";
import { CHART_IDS, dashboardCsv, dashboardView, mergeTerritories } from "./charts.ts";
import { keyFigures } from "./model.ts";
import { loadDashboardData } from "./queries/dashboard-data.ts";
import { DashboardPage, OverviewDashboardPage } from "./pages/dashboard.tsx";
import { bilanFileName, bilanPdf, bilanXlsx } from "./documents/bilan.ts";
import { importRoutes } from "./pages/import-routes.tsx";
import { digestRoutes } from "./digest/routes.tsx";
import "./policy.ts";
import "./digest/job.ts";
import "./commands/cli.ts";

defineBackOfficeNav({ label: "Tableau de bord", path: "/tableau-de-bord", permission: "reports.dashboard.read", order: 15 });

const slugParams = z.object({ slug: z.string() });
const chartParams = z.object({ slug: z.string(), chart: z.enum(CHART_IDS, { error: "Graphique inconnu." }) });
const overviewChartParams = z.object({ chart: z.enum(CHART_IDS, { error: "Graphique inconnu." }) });

const csvHeaders = (name: string) => ({ "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"`, "cache-control": "private, no-store" });

export const reportsModule = defineModule({
  id: "reports",
  routes: [
    defineRoute({
      method: "GET",
      url: "/t/:slug/gestion/tableau-de-bord",
      summary: "Tableau de bord du plan d'actions : statuts, avancement, jalons en retard, financements, indicateurs",
      kind: "page",
      permission: "reports.dashboard.read",
      params: slugParams,
      handler: async (ctx) => {
        const data = await loadDashboardData(ctx.database.db, ctx.territory);
        const base = `/t/${ctx.territory.slug}/gestion/tableau-de-bord`;
        return <DashboardPage actor={ctx.actor} territory={ctx.territory} view={dashboardView(data, { categoryLabel: "Thématique", csvBase: base })} keys={keyFigures(data)} today={data.today} />;
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/gestion/tableau-de-bord/:chart.csv",
      summary: "Données d'un graphique du tableau de bord (CSV)",
      kind: "file",
      permission: "reports.dashboard.read",
      params: chartParams,
      handler: async (ctx) => {
        const data = await loadDashboardData(ctx.database.db, ctx.territory);
        const view = dashboardView(data, { categoryLabel: "Thématique", csvBase: "" });
        ctx.reply.headers(csvHeaders(`${ctx.params.chart}-${ctx.territory.slug}-${data.today}.csv`));
        return dashboardCsv(view, ctx.params.chart);
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/gestion/tableau-de-bord/bilan.pdf",
      summary: "Bilan d'avancement du plan d'actions (PDF, diffusion restreinte)",
      kind: "file",
      permission: "reports.dashboard.read",
      params: slugParams,
      handler: async (ctx) => {
        const data = await loadDashboardData(ctx.database.db, ctx.territory);
        const pdf = await bilanPdf(data);
        ctx.reply.headers({ "content-type": "application/pdf", "content-disposition": `attachment; filename="${bilanFileName(ctx.territory.slug, data.today, "pdf")}"`, "cache-control": "private, no-store" });
        return ctx.reply.send(pdf);
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/gestion/tableau-de-bord/bilan.xlsx",
      summary: "Bilan d'avancement du plan d'actions (tableur XLSX, diffusion restreinte)",
      kind: "file",
      permission: "reports.dashboard.read",
      params: slugParams,
      handler: async (ctx) => {
        const data = await loadDashboardData(ctx.database.db, ctx.territory);
        const xlsx = await bilanXlsx(data);
        ctx.reply.headers({
          "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "content-disposition": `attachment; filename="${bilanFileName(ctx.territory.slug, data.today, "xlsx")}"`,
          "cache-control": "private, no-store",
        });
        return ctx.reply.send(xlsx);
      },
    }),
    defineRoute({
      method: "GET",
      url: "/gestion/tableau-de-bord",
      summary: "Tableau de bord des territoires dont la personne lit le suivi (financeur de plusieurs territoires, comité, équipe)",
      kind: "page",
      permission: "signed_in",
      handler: async (ctx) => {
        const readable = (await listTerritories(ctx.database.db)).filter((t) => can(ctx.actor, "reports.dashboard.read", { territoryId: t.id }));
        const today = parisToday();
        const list = [];
        for (const t of readable) list.push(await loadDashboardData(ctx.database.db, t, { today, notesPerAction: 0 }));
        const merged = mergeTerritories(list, today);
        return (
          <OverviewDashboardPage
            actor={ctx.actor}
            territories={readable.map((t) => ({ slug: t.slug, name: t.name }))}
            view={dashboardView(merged, { categoryLabel: "Territoire", csvBase: "/gestion/tableau-de-bord" })}
            keys={keyFigures(merged)}
            today={today}
          />
        );
      },
    }),
    defineRoute({
      method: "GET",
      url: "/gestion/tableau-de-bord/:chart.csv",
      summary: "Données d'un graphique du tableau de bord des territoires suivis (CSV)",
      kind: "file",
      permission: "signed_in",
      params: overviewChartParams,
      handler: async (ctx) => {
        const readable = (await listTerritories(ctx.database.db)).filter((t) => can(ctx.actor, "reports.dashboard.read", { territoryId: t.id }));
        const today = parisToday();
        const list = [];
        for (const t of readable) list.push(await loadDashboardData(ctx.database.db, t, { today, notesPerAction: 0 }));
        const view = dashboardView(mergeTerritories(list, today), { categoryLabel: "Territoire", csvBase: "" });
        ctx.reply.headers(csvHeaders(`${ctx.params.chart}-territoires-${today}.csv`));
        return dashboardCsv(view, ctx.params.chart, { withTerritory: true });
      },
    }),
    ...importRoutes,
    ...digestRoutes,
  ],
});
