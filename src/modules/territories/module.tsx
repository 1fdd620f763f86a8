import { inArray } from "drizzle-orm";
import { z } from "zod";
import { defineModule } from "../../core/module.ts";
import { defineRoute } from "../../core/http/registry.ts";
import { departements, seedGeography } from "../geography/api.ts";
import { loadPlanTree } from "../plan/api.ts";
import { GovernanceActivity, governanceActivity } from "../governance/api.ts";
import { seedTerritories } from "./seed.ts";
import { listTerritories, loadAgreement, loadAuthorities, loadContacts, loadContours, loadGovernance, loadPage, loadProgramme } from "./queries/territory.ts";
import { TerritoryHome } from "./pages/home.tsx";
import { ContactPage, ContentPage, GovernancePage, PlatformInfoPage, PLATFORM_PAGE_TITLES, SiteMapPage, TerritoriesIndex } from "./pages/info.tsx";
import { defaultLegalText, PAGE_TITLES, type LegalKey } from "./legal.ts";
import { territoryPagesRoutes } from "./pages/manage.tsx";
import "./policy.ts";

const slugParams = z.object({ slug: z.string() });

export const territorySummarySchema = z.object({
  slug: z.string(),
  name: z.string(),
  kind: z.enum(["reference", "demo", "standard"]).describe("reference : données de la source seulement ; demo : fictif"),
  url: z.string(),
  authorities: z.array(z.object({ siren: z.string(), name: z.string(), kind: z.string() })),
});

function legalRoute(key: LegalKey, path: string) {
  return defineRoute({
    method: "GET",
    url: `/t/:slug/${path}`,
    summary: PAGE_TITLES[key],
    kind: "page",
    permission: "public",
    params: slugParams,
    cache: true,
    handler: async (ctx) => {
      const t = ctx.territory;
      const stored = await loadPage(ctx.database.db, t.id, key);
      let body = stored?.body;
      if (!body) {
        const [auths, contacts] = await Promise.all([loadAuthorities(ctx.database.db, t.id), loadContacts(ctx.database.db, t.id)]);
        body = defaultLegalText(key, { territoryName: t.name, authorities: auths.map((a) => a.name), contact: contacts[0] });
      }
      return <ContentPage actor={ctx.actor} territory={t} title={PAGE_TITLES[key]} body={body} path={ctx.req.url} />;
    },
  });
}

export const territoriesModule = defineModule({
  id: "territories",
  seed: async (database) => {
    await seedGeography(database);
    await seedTerritories(database);
  },
  routes: [
    defineRoute({
      method: "GET",
      url: "/",
      summary: "Les territoires de la plateforme",
      kind: "page",
      permission: "public",
      cache: true,
      handler: async (ctx) => <TerritoriesIndex actor={ctx.actor} territories={await listTerritories(ctx.database.db)} csrfToken={ctx.actor.user ? ctx.csrfToken() : undefined} />,
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug",
      summary: "Accueil d'un territoire",
      kind: "page",
      permission: "public",
      params: slugParams,
      cache: true,
      handler: async (ctx) => {
        const db = ctx.database.db;
        const t = ctx.territory;
        const [authorities, programme, agreement, plan] = await Promise.all([loadAuthorities(db, t.id), loadProgramme(db), loadAgreement(db, t.id), loadPlanTree(db, t.id, { public: true })]);
        const codes = authorities.flatMap((a) => a.communes.map((c) => c.code));
        const depCodes = [...new Set(authorities.map((a) => a.departementCode).filter((c): c is string => Boolean(c)))];
        const [contours, deps] = await Promise.all([loadContours(db, codes), depCodes.length ? db.select().from(departements).where(inArray(departements.code, depCodes)) : []]);
        return (
          <TerritoryHome
            actor={ctx.actor}
            territory={t}
            authorities={authorities}
            contours={contours}
            programme={programme}
            agreement={agreement}
            plan={plan}
            departements={new Map(deps.map((d) => [d.code, d.name]))}
          />
        );
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/gouvernance",
      summary: "Gouvernance d'un territoire",
      kind: "page",
      permission: "public",
      params: slugParams,
      cache: true,
      handler: async (ctx) => (
        <GovernancePage
          actor={ctx.actor}
          territory={ctx.territory}
          bodies={await loadGovernance(ctx.database.db, ctx.territory.id)}
          activity={<GovernanceActivity {...await governanceActivity(ctx.database.db, ctx.territory)} />}
        />
      ),
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/contact",
      summary: "Contact du service développement économique",
      kind: "page",
      permission: "public",
      params: slugParams,
      cache: true,
      handler: async (ctx) => <ContactPage actor={ctx.actor} territory={ctx.territory} contacts={await loadContacts(ctx.database.db, ctx.territory.id)} />,
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/presentation",
      summary: "Présentation d'un territoire",
      kind: "page",
      permission: "public",
      params: slugParams,
      cache: true,
      handler: async (ctx) => {
        const page = await loadPage(ctx.database.db, ctx.territory.id, "presentation");
        return (
          <ContentPage actor={ctx.actor} territory={ctx.territory} title="Présentation" body={page?.body ?? ""} path={ctx.req.url}>
            {page?.body ? null : <p class="empty-state">Ce territoire n'a pas encore rédigé de présentation.</p>}
          </ContentPage>
        );
      },
    }),
    legalRoute("mentions-legales", "mentions-legales"),
    legalRoute("accessibilite", "accessibilite"),
    legalRoute("donnees-personnelles", "donnees-personnelles"),
    defineRoute({
      method: "GET",
      url: "/t/:slug/plan-du-site",
      summary: "Plan du site d'un territoire",
      kind: "page",
      permission: "public",
      params: slugParams,
      cache: true,
      handler: async (ctx) => <SiteMapPage actor={ctx.actor} territory={ctx.territory} plan={await loadPlanTree(ctx.database.db, ctx.territory.id, { public: true })} />,
    }),
    ...(["mentions-legales", "accessibilite", "donnees-personnelles", "plan-du-site"] as const).map((path) =>
      defineRoute({
        method: "GET",
        url: `/${path}`,
        summary: `${PLATFORM_PAGE_TITLES[path]} de la plateforme`,
        kind: "page",
        permission: "public",
        cache: true,
        handler: async (ctx) => (
          <PlatformInfoPage actor={ctx.actor} path={path} title={PLATFORM_PAGE_TITLES[path]} territories={await listTerritories(ctx.database.db)} csrfToken={ctx.actor.user ? ctx.csrfToken() : undefined} />
        ),
      }),
    ),
    defineRoute({
      method: "GET",
      url: "/api/v1/territories",
      summary: "Liste des territoires",
      kind: "api",
      permission: "public",
      cache: true,
      openapi: true,
      tags: ["Territoires"],
      response: z.object({ territories: z.array(territorySummarySchema) }),
      handler: async (ctx) => ({
        territories: (await listTerritories(ctx.database.db)).map((t) => ({
          slug: t.slug,
          name: t.name,
          kind: t.kind,
          url: `${ctx.config.baseUrl}/t/${t.slug}`,
          authorities: t.authorities.map((a) => ({ siren: a.siren, name: a.name, kind: a.kind })),
        })),
      }),
    }),
    ...territoryPagesRoutes,
  ],
});
