import { z } from "zod";
import { defineModule } from "../../core/module.ts";
import { defineRoute, type RouteContext } from "../../core/http/registry.ts";
import { can } from "../../core/authz/index.ts";
import { toCsv } from "../../core/formats/csv.ts";
import { chartCsv } from "../../core/ui/charts.tsx";
import { definePublicNav } from "../../core/ui/layout.tsx";
import { communeContours, CONTOURS_SOURCE } from "../geography/api.ts";
import { inArray } from "drizzle-orm";
import { periodLabel } from "./model.ts";
import { loadOverview } from "./overview.ts";
import { findIndicator, geoKey, loadCells, loadIndicators, loadTerritoryGeography, periodsOf, type Geo, type IndicatorRow } from "./queries.ts";
import { buildIndicatorView, buildMapView } from "./views.ts";
import { CataloguePage, IndicatorPage, OverviewPage } from "./pages/public.tsx";
import { diagnosticPdf } from "./diagnostic.ts";
import { seedObservatory } from "./seed.ts";
import { manageRoutes } from "./pages/manage.tsx";
import { apiRoutes } from "./api-routes.ts";
import "./policy.ts";

definePublicNav({ label: "Observatoire", path: "/observatoire", order: 30 });

const slugParams = z.object({ slug: z.string() });
const codeParams = z.object({ slug: z.string(), code: z.string().regex(/^[a-z0-9_-]{1,60}$/) });
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "La date s’écrit AAAA-MM-JJ." })
  .refine((s) => !Number.isNaN(Date.parse(s)), { error: "Date inconnue." });
const emptyToUndefined = (v: unknown) => (v === "" ? undefined : v);
const overviewQuery = z.object({
  carte: z.preprocess(emptyToUndefined, z.string().regex(/^[a-z0-9_-]{1,60}$/, { error: "Indicateur inconnu." }).optional()),
  periode: z.preprocess(emptyToUndefined, isoDate.optional()),
});
const dateQuery = z.object({ date: z.preprocess(emptyToUndefined, isoDate.optional()) });
const chartQuery = z.object({ id: z.string().regex(/^[a-z0-9-]{1,60}$/, { error: "Graphique inconnu." }), date: z.preprocess(emptyToUndefined, isoDate.optional()) });

/** Contours of the territory's communes, by code. */
async function contoursOf(ctx: RouteContext<any, any>, codes: string[]): Promise<Map<string, unknown>> {
  if (!codes.length) return new Map();
  const rows = await ctx.database.db.select().from(communeContours).where(inArray(communeContours.code, codes));
  return new Map(rows.map((r) => [r.code, r.geometry]));
}

const attachment = (ctx: RouteContext<any, any>, type: string, name: string) => ctx.reply.header("content-type", type).header("content-disposition", `attachment; filename="${name}"`);

/** The CSV of an indicator's series: one row per geography and period. */
export function seriesCsv(indicator: IndicatorRow, geos: Geo[], cells: Map<string, Map<string, { value: number | null; status: string }>>): string {
  const periods = periodsOf(cells as never);
  const rows: (string | number | null)[][] = [];
  for (const g of geos)
    for (const p of periods) {
      const c = cells.get(geoKey(g))?.get(p);
      if (!c) continue;
      rows.push([indicator.code, g.level, g.code, g.name, p, periodLabel(p, indicator.periodicity), c.value, c.status === "final" ? "définitif" : c.status === "provisional" ? "provisoire" : c.status === "estimated" ? "estimation" : "secret statistique"]);
    }
  return toCsv(["indicateur", "niveau", "code", "territoire", "periode", "libelle_periode", `valeur (${indicator.unit})`, "statut"], rows);
}

export const observatoryModule = defineModule({
  id: "observatory",
  seed: seedObservatory,
  routes: [
    defineRoute({
      method: "GET",
      url: "/t/:slug/observatoire",
      summary: "Observatoire du territoire : chiffres clés, comparaisons, graphiques et carte par commune",
      kind: "page",
      permission: "public",
      params: slugParams,
      query: overviewQuery,
      cache: true,
      handler: async (ctx) => {
        const overview = await loadOverview(ctx.database, ctx.territory);
        const contours = await contoursOf(ctx, overview.geography.communes.map((c) => c.code));
        const map = await buildMapView(ctx.database, overview.geography, overview.catalogue, ctx.query, contours, ctx.territory);
        return (
          <OverviewPage
            actor={ctx.actor}
            territory={ctx.territory}
            overview={overview}
            map={map}
            canManage={can(ctx.actor, "observatory.local.manage", { territoryId: ctx.territory.id })}
            mapAttribution={`Contours : ${CONTOURS_SOURCE}.`}
          />
        );
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/observatoire/graphique.csv",
      summary: "Données d'un graphique de l'observatoire (CSV)",
      kind: "file",
      permission: "public",
      params: slugParams,
      query: chartQuery,
      cache: true,
      handler: async (ctx) => {
        const overview = await loadOverview(ctx.database, ctx.territory, ctx.query.date);
        const chart = overview.charts.find((c) => c.data.id === ctx.query.id);
        if (!chart) return ctx.reply.callNotFound();
        attachment(ctx, "text/csv; charset=utf-8", `observatoire-${ctx.territory.slug}-${chart.data.id}.csv`);
        return chartCsv(chart.data);
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/observatoire/diagnostic.pdf",
      summary: "Diagnostic dynamique du territoire à une date (PDF)",
      kind: "file",
      permission: "public",
      params: slugParams,
      query: dateQuery,
      cache: true,
      handler: async (ctx) => {
        const overview = await loadOverview(ctx.database, ctx.territory, ctx.query.date);
        const pdf = await diagnosticPdf(overview, ctx.territory, ctx.query.date);
        attachment(ctx, "application/pdf", `diagnostic-${ctx.territory.slug}${ctx.query.date ? `-${ctx.query.date}` : ""}.pdf`);
        return ctx.reply.send(pdf);
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/observatoire/indicateurs",
      summary: "Catalogue des indicateurs de l'observatoire",
      kind: "page",
      permission: "public",
      params: slugParams,
      cache: true,
      handler: async (ctx) => <CataloguePage actor={ctx.actor} territory={ctx.territory} indicators={await loadIndicators(ctx.database, ctx.territory.id)} />,
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/observatoire/indicateurs/:code",
      summary: "Fiche d'un indicateur : définition, source, série par territoire, classement des communes",
      kind: "page",
      permission: "public",
      params: codeParams,
      cache: true,
      handler: async (ctx) => {
        const indicator = await findIndicator(ctx.database, ctx.territory.id, ctx.params.code);
        if (!indicator) return ctx.reply.callNotFound();
        const geography = await loadTerritoryGeography(ctx.database, ctx.territory);
        const all = await loadIndicators(ctx.database, ctx.territory.id);
        const view = await buildIndicatorView(ctx.database, geography, indicator, all, ctx.territory);
        return <IndicatorPage actor={ctx.actor} territory={ctx.territory} view={view} />;
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/observatoire/indicateurs/:code/donnees.csv",
      summary: "Série d'un indicateur par territoire et par commune (CSV)",
      kind: "file",
      permission: "public",
      params: codeParams,
      cache: true,
      handler: async (ctx) => {
        const indicator = await findIndicator(ctx.database, ctx.territory.id, ctx.params.code);
        if (!indicator) return ctx.reply.callNotFound();
        const geography = await loadTerritoryGeography(ctx.database, ctx.territory);
        const geos: Geo[] = [...geography.comparisons, ...geography.epcis, ...(indicator.levels.includes("commune") ? geography.communes : [])];
        const cells = await loadCells(ctx.database, [indicator], geos, geography);
        attachment(ctx, "text/csv; charset=utf-8", `observatoire-${ctx.territory.slug}-${indicator.code}.csv`);
        return seriesCsv(indicator, geos, (cells.get(indicator.id) ?? new Map()) as never);
      },
    }),
    ...apiRoutes,
    ...manageRoutes,
  ],
});
