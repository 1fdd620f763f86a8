import { eq } from "drizzle-orm";
import { z } from "zod";
import { defineModule } from "../../core/module.ts";
import { defineRoute } from "../../core/http/registry.ts";
import { can, type Actor } from "../../core/authz/index.ts";
import { toCsv } from "../../core/formats/csv.ts";
import { communes } from "../geography/api.ts";
import { listTerritories, territoryAuthorities } from "../territories/api.ts";
import { ACTION_STATUSES } from "./schema.ts";
import { actionSubject, FOLLOW_UP_VISIBILITIES, statusLabel, type ActionStatus } from "./model.ts";
import { flattenActions, loadPlanTree, type ActionNode, type PlanTreeOptions, type ThemeNode } from "./queries/plan-tree.ts";
import { followUpCounts } from "./queries/follow-up.ts";
import { ActionPage, filterPlan, PlanPage } from "./pages/public.tsx";
import { FollowUpOverviewPage, FollowUpPage, type FollowUpRow } from "./pages/follow-up.tsx";
import { planManageRoutes } from "./pages/manage.tsx";
import { sheetRoutes } from "./pages/sheet-routes.tsx";
import { loadActionSheet, SHEET_VISIBILITIES, type ActionSheet } from "./queries/action-sheet.ts";
import { searchPlan } from "./queries/search.ts";
import { loadActionFigures } from "./queries/follow-up-figures.ts";
import { seedDemoFollowUp } from "./demo-followup.ts";
import { SearchPage } from "./pages/search.tsx";
import { isMilestoneLate } from "./followup-model.ts";
import type { Db } from "../../core/db/client.ts";
import { loadHistory } from "../audit/api.ts";
import { ActionDecisions, decisionsForAction } from "../governance/api.ts";
import { proposalForAction } from "../participation/api.ts";
import "./policy.ts";

const slugParams = z.object({ slug: z.string() });
const actionParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647) });

const planQuery = z.object({
  theme: z.string().max(40, { error: "Thématique inconnue." }).optional().transform((v) => v || undefined),
  status: z
    .union([z.enum(ACTION_STATUSES), z.literal("non-renseigne"), z.literal("")], { error: "Statut inconnu." })
    .optional()
    .transform((v) => v || undefined),
  partenariat: z
    .union([z.enum(["oui", "non"]), z.literal("")], { error: "Le filtre partenariat vaut « oui » ou « non »." })
    .optional()
    .transform((v) => v || undefined),
});

const authorityRef = z.object({ siren: z.string(), name: z.string() }).nullable();
export const actionSchema = z.object({
  id: z.number().int(),
  number: z.number().int().describe("Numéro de l'action dans le plan"),
  title: z.string(),
  description: z.string().nullable(),
  status: z.enum(ACTION_STATUSES).nullable().describe("null : statut non renseigné par la source"),
  statusLabel: z.string(),
  joint: z.boolean().describe("◆ : action conduite en partenariat avec l'autre intercommunalité"),
  lead: authorityRef,
  partners: z.array(z.object({ name: z.string(), siren: z.string().nullable() })),
  communeCode: z.string().nullable(),
  url: z.string(),
});
const planSchema = z.object({
  territory: z.object({ slug: z.string(), name: z.string(), kind: z.string() }),
  themes: z.array(
    z.object({
      code: z.string(),
      title: z.string(),
      objectives: z.array(z.object({ id: z.number().int(), title: z.string(), actions: z.array(actionSchema) })),
    }),
  ),
});

const followUpSchema = z
  .object({
    referentElu: z.string().nullable().describe("Élu référent"),
    startDate: z.string().nullable().describe("Début (AAAA-MM-JJ)"),
    plannedEndDate: z.string().nullable().describe("Fin prévue (AAAA-MM-JJ)"),
    priority: z.enum(["high", "normal", "low"]),
    tags: z.array(z.string()),
    progress: z.object({
      percent: z.number().int().nullable().describe("Avancement de 0 à 100, null s'il n'est pas renseigné"),
      mode: z.enum(["manual", "milestones"]).describe("manual : saisi par l'équipe ; milestones : part des jalons réalisés"),
    }),
    late: z.boolean().describe("Fin prévue dépassée ou jalon en retard (jour de Paris)"),
    milestones: z.array(z.object({ name: z.string(), dueDate: z.string().nullable(), doneDate: z.string().nullable(), late: z.boolean() })),
    statusHistory: z.array(z.object({ at: z.string().describe("Date et heure (ISO 8601)"), from: z.enum(ACTION_STATUSES).nullable(), to: z.enum(ACTION_STATUSES).nullable() })),
    notes: z.array(z.object({ at: z.string(), body: z.string() })),
    documents: z.array(z.object({ title: z.string(), url: z.string(), mime: z.string(), size: z.number().int(), at: z.string() })),
    indicators: z.array(
      z.object({
        name: z.string(),
        unit: z.string(),
        baseline: z.object({ value: z.number().nullable(), date: z.string().nullable() }),
        targets: z.array(z.object({ date: z.string(), value: z.number() })),
        values: z.array(z.object({ date: z.string(), value: z.number().nullable(), source: z.string().nullable() })),
      }),
    ),
    links: z.array(z.object({ kind: z.enum(["related", "depends_on", "follows"]), direction: z.enum(["from", "to"]), actionId: z.number().int(), number: z.number().int() })),
  })
  .describe("Suivi publié de l'action : seuls les éléments publiés y figurent");

/** The published follow-up of an action, for the open API. */
function followUpJson(sheet: ActionSheet, baseUrl: string, slug: string): z.infer<typeof followUpSchema> {
  const a = sheet.action;
  return {
    referentElu: a.referentElu,
    startDate: a.startDate,
    plannedEndDate: a.plannedEndDate,
    priority: a.priority,
    tags: a.tags,
    progress: { percent: sheet.progress.percent, mode: sheet.progress.mode },
    late: sheet.lateness.late,
    milestones: sheet.milestones.map((m) => ({ name: m.name, dueDate: m.dueDate, doneDate: m.doneDate, late: isMilestoneLate(m, sheet.today) })),
    statusHistory: sheet.statusChanges.map((c) => ({ at: c.at.toISOString(), from: c.fromStatus as ActionStatus | null, to: c.toStatus as ActionStatus | null })),
    notes: sheet.notes.map((n) => ({ at: n.at.toISOString(), body: n.body })),
    documents: sheet.documents.map((d) => ({ title: d.title, url: `${baseUrl}/t/${slug}/actions/${a.id}/documents/${d.id}`, mime: d.mime, size: d.size, at: d.at.toISOString() })),
    indicators: sheet.indicators.map((i) => ({
      name: i.name,
      unit: i.unit,
      baseline: { value: i.baselineValue, date: i.baselineDate },
      targets: i.targets.map((t) => ({ date: t.targetDate, value: t.value })),
      values: i.values.map((v) => ({ date: v.period, value: v.value, source: v.source })),
    })),
    links: sheet.links.map((l) => ({ kind: l.kind, direction: l.direction, actionId: l.other.id, number: l.other.number })),
  };
}

/** The names of the partner intercommunalités of a territory's joint actions, for the ◆ legend. */
async function jointPartnerNames(db: Db, territoryId: number, tree: ThemeNode[]): Promise<string> {
  const names = new Set<string>();
  for (const a of flattenActions(tree)) if (a.joint) for (const p of a.partners) if (p.authorityId) names.add(p.name);
  if (names.size) return [...names].join(" et ");
  const auths = await db.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, territoryId));
  return auths.length > 1 ? "l'autre intercommunalité du territoire" : "un partenaire";
}

function actionJson(a: ActionNode, baseUrl: string, slug: string, sirens: Map<number, string>) {
  return {
    id: a.id,
    number: a.number,
    title: a.title,
    description: a.description,
    status: a.status,
    statusLabel: statusLabel(a.status),
    joint: a.joint,
    lead: a.lead ? { siren: a.lead.siren, name: a.lead.name } : null,
    partners: a.partners.map((p) => ({ name: p.name, siren: p.authorityId ? (sirens.get(p.authorityId) ?? null) : null })),
    communeCode: a.communeCode,
    url: `${baseUrl}/t/${slug}/actions/${a.id}`,
  };
}

/**
 * What the plan pages show an actor: staff see everything on the action page (drafts and archives
 * included); whoever reads the follow-up (staff, committee members, funders) also sees confidential
 * items; everyone else the published plan. Only anonymous answers are cached, so this never leaks.
 */
function readLevel(actor: Actor, territoryId: number): "staff" | "followup" | "public" {
  if (!actor.user) return "public";
  if (can(actor, "plan.action.read_unpublished", { territoryId })) return "staff";
  return can(actor, "plan.followup.read", { territoryId }) ? "followup" : "public";
}

const FOLLOW_UP_TREE: PlanTreeOptions = { public: false, visibilities: FOLLOW_UP_VISIBILITIES };

/** How a person reads a territory's follow-up, for the overview table. */
function accessLabel(actor: Actor, territoryId: number): string {
  if (can(actor, "plan.action.read_unpublished", { territoryId })) return actor.memberships.some((m) => m.territoryId === territoryId) ? "Équipe du territoire" : "Administration de la plateforme";
  if (actor.memberships.some((m) => m.territoryId === territoryId && m.role === "committee_member")) return "Membre de comité";
  return "Financeur ou signataire";
}

async function authoritySirens(db: Db, territoryId: number) {
  const rows = await db.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, territoryId));
  return new Map(rows.map((r) => [r.id, r.siren]));
}

export const planModule = defineModule({
  id: "plan",
  seed: seedDemoFollowUp,
  routes: [
    defineRoute({
      method: "GET",
      url: "/t/:slug/plan",
      summary: "Plan d'actions public, filtrable",
      kind: "page",
      permission: "public",
      params: slugParams,
      query: planQuery,
      cache: true,
      handler: async (ctx) => {
        const followUp = readLevel(ctx.actor, ctx.territory.id) !== "public";
        const tree = await loadPlanTree(ctx.database.db, ctx.territory.id, followUp ? FOLLOW_UP_TREE : { public: true });
        const filters = { theme: ctx.query.theme, status: ctx.query.status, partenariat: ctx.query.partenariat };
        if (filters.theme && !tree.some((t) => t.code === filters.theme)) {
          return ctx.render(<PlanPage actor={ctx.actor} territory={ctx.territory} tree={tree} filtered={[]} filters={filters} followUp={followUp} partnerNames={await jointPartnerNames(ctx.database.db, ctx.territory.id, tree)} hasUnknownStatus={flattenActions(tree).some((a) => a.status === null)} />, 404);
        }
        return (
          <PlanPage
            actor={ctx.actor}
            territory={ctx.territory}
            tree={tree}
            filtered={filterPlan(tree, filters)}
            filters={filters}
            followUp={followUp}
            partnerNames={await jointPartnerNames(ctx.database.db, ctx.territory.id, tree)}
            hasUnknownStatus={flattenActions(tree).some((a) => a.status === null)}
          />
        );
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/actions/:id",
      summary: "Fiche d'une action",
      kind: "page",
      permission: "public",
      params: actionParams,
      cache: true,
      handler: async (ctx) => {
        const db = ctx.database.db;
        const level = readLevel(ctx.actor, ctx.territory.id);
        const tree = await loadPlanTree(db, ctx.territory.id, level === "staff" ? { public: false, includeArchived: true } : level === "followup" ? FOLLOW_UP_TREE : { public: true });
        const all = flattenActions(tree);
        const action = all.find((a) => a.id === ctx.params.id);
        if (!action) return ctx.reply.callNotFound();
        const objectiveIndex = tree.flatMap((t) => t.objectives).findIndex((o) => o.id === action.objectiveId) + 1;
        const commune = action.communeCode ? (await db.select().from(communes).where(eq(communes.code, action.communeCode)))[0] : undefined;
        return (
          <ActionPage
            actor={ctx.actor}
            territory={ctx.territory}
            action={action}
            objectiveNumber={objectiveIndex}
            commune={commune ? { code: commune.code, name: commune.name } : undefined}
            partnerNames={await jointPartnerNames(db, ctx.territory.id, tree)}
            canEdit={can(ctx.actor, "plan.action.edit", { territoryId: ctx.territory.id, subject: actionSubject(action) })}
            history={can(ctx.actor, "audit.record.read", { territoryId: ctx.territory.id }) ? await loadHistory(db, ctx.territory.id, "action", [action.id]) : undefined}
            sheet={(await loadActionSheet(db, ctx.territory.id, action.id, level, { database: ctx.database, territory: ctx.territory }))!}
            level={level}
            decisions={<ActionDecisions slug={ctx.territory.slug} decisions={await decisionsForAction(db, ctx.territory.id, action.id)} />}
            proposal={await proposalForAction(db, ctx.territory.id, action.id)}
          />
        );
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/plan.csv",
      summary: "Plan d'actions publié au format CSV (UTF-8 avec BOM, séparateur « ; »)",
      kind: "file",
      permission: "public",
      params: slugParams,
      cache: true,
      openapi: true,
      tags: ["Plan d'actions"],
      handler: async (ctx) => {
        const tree = await loadPlanTree(ctx.database.db, ctx.territory.id, { public: true });
        const rows = flattenActions(tree).map((a) => [
          a.number,
          a.theme.title,
          a.objective.title,
          a.title,
          a.lead?.name ?? "",
          a.partners.map((p) => p.name).join(", "),
          a.joint,
          statusLabel(a.status),
          a.communeCode ?? "",
          `${ctx.config.baseUrl}/t/${ctx.territory.slug}/actions/${a.id}`,
        ]);
        ctx.reply.header("content-type", "text/csv; charset=utf-8").header("content-disposition", `attachment; filename="plan-d-actions-${ctx.territory.slug}.csv"`);
        return toCsv(["Numéro", "Thématique", "Objectif", "Action", "Porteur", "Partenaires", "Partenariat ◆", "Statut", "Commune (code INSEE)", "Adresse"], rows);
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/territories/:slug/plan",
      summary: "Plan d'actions publié d'un territoire (thématiques → objectifs → actions)",
      kind: "api",
      permission: "public",
      params: slugParams,
      cache: true,
      openapi: true,
      tags: ["Plan d'actions"],
      response: planSchema,
      handler: async (ctx) => {
        const db = ctx.database.db;
        const tree = await loadPlanTree(db, ctx.territory.id, { public: true });
        const sirens = await authoritySirens(db, ctx.territory.id);
        return {
          territory: { slug: ctx.territory.slug, name: ctx.territory.name, kind: ctx.territory.kind },
          themes: tree.map((t) => ({
            code: t.code,
            title: t.title,
            objectives: t.objectives.map((o) => ({ id: o.id, title: o.title, actions: o.actions.map((a) => actionJson(a, ctx.config.baseUrl, ctx.territory.slug, sirens)) })),
          })),
        };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/v1/territories/:slug/actions/:id",
      summary: "Une action publiée",
      kind: "api",
      permission: "public",
      params: actionParams,
      cache: true,
      openapi: true,
      tags: ["Plan d'actions"],
      response: actionSchema.extend({ theme: z.object({ code: z.string(), title: z.string() }), objective: z.object({ id: z.number().int(), title: z.string() }), followUp: followUpSchema }),
      handler: async (ctx) => {
        const db = ctx.database.db;
        const tree = await loadPlanTree(db, ctx.territory.id, { public: true });
        const a = flattenActions(tree).find((x) => x.id === ctx.params.id);
        if (!a) return ctx.reply.callNotFound();
        const sirens = await authoritySirens(db, ctx.territory.id);
        const sheet = (await loadActionSheet(db, ctx.territory.id, a.id, "public", { database: ctx.database, territory: ctx.territory }))!;
        return {
          ...actionJson(a, ctx.config.baseUrl, ctx.territory.slug, sirens),
          theme: { code: a.theme.code, title: a.theme.title },
          objective: { id: a.objective.id, title: a.objective.title },
          followUp: followUpJson(sheet, ctx.config.baseUrl, ctx.territory.slug),
        };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/suivi",
      summary: "Suivi du plan d'actions en lecture seule (confidentiels compris, sans les brouillons)",
      kind: "page",
      permission: "plan.followup.read",
      params: slugParams,
      handler: async (ctx) => {
        const db = ctx.database.db;
        const tree = await loadPlanTree(db, ctx.territory.id, FOLLOW_UP_TREE);
        return (
          <FollowUpPage
            actor={ctx.actor}
            territory={ctx.territory}
            tree={tree}
            partnerNames={await jointPartnerNames(db, ctx.territory.id, tree)}
            canManage={can(ctx.actor, "plan.plan.manage", { territoryId: ctx.territory.id })}
            figures={await loadActionFigures(db, ctx.territory.id, flattenActions(tree).map((a) => a.id))}
          />
        );
      },
    }),
    defineRoute({
      method: "GET",
      url: "/gestion/suivi",
      summary: "Suivi des territoires côte à côte : ceux dont la personne lit le suivi (financeur, comité, équipe)",
      kind: "page",
      permission: "signed_in",
      handler: async (ctx) => {
        const db = ctx.database.db;
        const readable = (await listTerritories(db)).filter((t) => can(ctx.actor, "plan.followup.read", { territoryId: t.id }));
        const counts = await followUpCounts(db, readable.map((t) => t.id));
        const rows: FollowUpRow[] = readable.map((t) => ({
          territory: { id: t.id, slug: t.slug, name: t.name },
          counts: counts.get(t.id)!,
          access: accessLabel(ctx.actor, t.id),
        }));
        return <FollowUpOverviewPage actor={ctx.actor} rows={rows} />;
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/recherche",
      summary: "Recherche en texte intégral (français) dans le plan : actions publiées ; notes et documents pour qui lit le suivi",
      kind: "page",
      permission: "public",
      params: slugParams,
      query: z.object({ q: z.string().max(200, { error: "La recherche tient en 200 caractères au plus." }).optional().transform((v) => (v ?? "").trim()) }),
      cache: true,
      handler: async (ctx) => {
        const db = ctx.database.db;
        const level = readLevel(ctx.actor, ctx.territory.id);
        const tree = await loadPlanTree(db, ctx.territory.id, level === "staff" ? { public: false } : level === "followup" ? FOLLOW_UP_TREE : { public: true });
        const ids = flattenActions(tree).map((a) => a.id);
        const q = ctx.query.q;
        const hits = q ? await searchPlan(db, ctx.territory.id, q, ids, level === "public" ? null : SHEET_VISIBILITIES[level]) : [];
        return <SearchPage actor={ctx.actor} territory={ctx.territory} q={q} hits={hits} followUp={level !== "public"} />;
      },
    }),
    ...planManageRoutes,
    ...sheetRoutes,
  ],
});
