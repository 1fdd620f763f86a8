import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../../core/db/client.ts";
import { defineRoute, type RouteContext, type RouteDef } from "../../../core/http/registry.ts";
import { checkbox, choiceField, formValues, idField, optionalText, parseForm, textField, type FieldErrors, type FormValues, optionalIdField } from "../../../core/forms/index.ts";
import { defineBackOfficeNav } from "../../../core/ui/backoffice.ts";
import { can } from "../../../core/authz/index.ts";
import { ErrorPage } from "../../../core/http/errors.tsx";
import { loadAuthorities, territoryAuthorities } from "../../territories/api.ts";
import { nextActionNumber, type ActionSubject } from "../model.ts";
import { ACTION_STATUSES, actionPartners, actions, objectives, themes, VISIBILITIES } from "../schema.ts";
import { loadPlanTree } from "../queries/plan-tree.ts";
import { ConflictError, ForbiddenError, FormError, isUniqueViolation, NotFoundError } from "../commands/errors.ts";
import { assertMayEditAction, loadActionSubject, NOT_YOUR_ACTION } from "../commands/action-access.ts";
import { saveTheme } from "../commands/save-theme.ts";
import { saveObjective } from "../commands/save-objective.ts";
import { partnerLines, saveAction, type ActionInput } from "../commands/save-action.ts";
import { movePlanItem } from "../commands/move-plan-item.ts";
import { setPlanItemArchived } from "../commands/archive-plan-item.ts";
import type { PlanItemKind } from "../commands/plan-items.ts";
import { ActionFormPage, ManageHomePage, ObjectiveFormPage, ThemeFormPage, type ActionFormData, type BackOfficeProps } from "./manage-views.tsx";
import { editingLimit } from "../policy.ts";
import { loadHistory } from "../../audit/api.ts";

defineBackOfficeNav({ label: "Plan d'actions", path: "", permission: "plan.plan.manage", order: 10 });

// ---------------------------------------------------------------------------------------------
// Form schemas: shape and French messages; rules needing the database live in the commands.

const visibilityField = choiceField(VISIBILITIES, "Choisissez une visibilité dans la liste.");

export const themeForm = z.object({
  code: z
    .string({ error: "Indiquez le code de la thématique." })
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(
      z
        .string()
        .min(1, { error: "Indiquez le code de la thématique." })
        .max(30, { error: "Le code ne doit pas dépasser 30 caractères." })
        .regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/, { error: "Le code ne contient que des lettres sans accent, des chiffres et des tirets, par exemple ATTIRER." }),
    ),
  title: textField("le titre de la thématique", { max: 200 }),
  description: optionalText("la description", { max: 5000 }),
  visibility: visibilityField,
});

export const objectiveForm = z.object({
  themeId: idField("Choisissez la thématique de l'objectif."),
  title: textField("le titre de l'objectif", { max: 300 }),
  description: optionalText("la description", { max: 5000 }),
  visibility: visibilityField,
});

const NUMBER_MESSAGE = "Le numéro est un nombre entier de 1 à 999.";
/** An optional id from a select: empty means none. */
export const actionForm = z.object({
  objectiveId: idField("Choisissez l'objectif de l'action."),
  number: z
    .string({ error: "Indiquez le numéro de l'action." })
    .trim()
    .min(1, { error: "Indiquez le numéro de l'action." })
    .regex(/^\d{1,3}$/, { error: NUMBER_MESSAGE })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 999, { error: NUMBER_MESSAGE }),
  title: textField("le titre de l'action", { max: 300 }),
  description: optionalText("la description", { max: 10000 }),
  status: z
    .union([z.enum(ACTION_STATUSES), z.literal("")], { error: "Choisissez un statut dans la liste." })
    .optional()
    .transform((v) => v || null),
  visibility: visibilityField,
  leadAuthorityId: optionalIdField("Choisissez un porteur dans la liste."),
  joint: checkbox,
  partnerAuthorityIds: z
    .array(idField("Choisissez les partenaires parmi les intercommunalités proposées."))
    .max(50, { error: "Choisissez les partenaires parmi les intercommunalités proposées." })
    .optional()
    .transform((v) => [...new Set(v ?? [])]),
  otherPartners: optionalText("la liste des autres partenaires", { max: 10000 }),
  communeCode: z
    .union([z.literal(""), z.string().regex(/^[0-9][0-9AB][0-9]{3}$/)], { error: "Choisissez une commune du territoire dans la liste." })
    .optional()
    .transform((v) => v || null),
  statusComment: optionalText("le commentaire sur le changement de statut", { max: 2000 }),
});

// ---------------------------------------------------------------------------------------------

const slugParams = z.object({ slug: z.string() });
const idParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647) });
/** A query-string id that only preselects a choice: anything odd is ignored rather than refused. */
const looseId = z.unknown().optional().transform((v) => {
    const n = Number(Array.isArray(v) ? v[0] : v);
    return Number.isInteger(n) && n > 0 && n <= 2147483647 ? n : undefined;
});

type Ctx = RouteContext<any, any>;

const base = (ctx: Ctx) => `/t/${ctx.territory.slug}/gestion`;
const shell = (ctx: Ctx): BackOfficeProps => ({ actor: ctx.actor, territory: ctx.territory, csrfToken: ctx.csrfToken(), flash: ctx.flash });

type Outcome<T> = { value: T } | { errors: FieldErrors } | { notFound: true } | { conflict: string } | { forbidden: string };

/** The French 403 page: the person may not make this change (nothing was written). */
const forbidden = (ctx: Ctx, detail: string) => ctx.render(<ErrorPage status={403} actor={ctx.actor} detail={detail} />, 403);

/** The intercommunalité the actor's editing is limited to in this territory, with its name; undefined when not limited. */
async function limitOf(ctx: Ctx): Promise<{ id: number; name: string } | undefined> {
  const id = editingLimit(ctx.actor, ctx.territory.id);
  if (id == null) return undefined;
  const [a] = await ctx.database.db
    .select({ id: territoryAuthorities.id, name: territoryAuthorities.name })
    .from(territoryAuthorities)
    .where(and(eq(territoryAuthorities.id, id), eq(territoryAuthorities.territoryId, ctx.territory.id)));
  return a ?? { id, name: "votre intercommunalité" };
}

const mayEdit = (ctx: Ctx, subject: ActionSubject) => can(ctx.actor, "plan.action.edit", { territoryId: ctx.territory.id, subject });
const subjectOfInput = (d: z.infer<typeof actionForm>): ActionSubject => ({ leadAuthorityId: d.leadAuthorityId, partnerAuthorityIds: d.partnerAuthorityIds, joint: d.joint });
const LEAD_REFUSED = "Vous ne pouvez ajouter que des actions portées par votre intercommunalité : choisissez-la comme porteur.";
const WOULD_LOSE =
  "Cette modification vous retirerait l'action : votre intercommunalité doit en rester le porteur ou, pour une action en partenariat ◆, une partenaire. Rien n'a été enregistré.";

/** Runs a command in one transaction and sorts its failures: bad input, absent record, conflict, refusal. */
async function attempt<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<Outcome<T>> {
  try {
    return { value: await ctx.database.db.transaction((tx) => fn(tx)) };
  } catch (e) {
    if (e instanceof FormError) return { errors: e.errors };
    if (e instanceof NotFoundError) return { notFound: true };
    if (e instanceof ConflictError) return { conflict: e.message };
    if (e instanceof ForbiddenError) return { forbidden: e.message };
    // Two people saving the same number at once: the unique index decides, the loser gets a message.
    if (isUniqueViolation(e, "plan_actions_number_uq")) return { errors: { number: "Ce numéro vient d'être attribué à une autre action : choisissez-en un autre." } };
    throw e;
  }
}

// ----- loaders (always scoped to the territory of the URL) -----

async function findTheme(ctx: Ctx, id: number) {
  return (await ctx.database.db.select().from(themes).where(and(eq(themes.id, id), eq(themes.territoryId, ctx.territory.id))))[0];
}
async function findObjective(ctx: Ctx, id: number) {
  return (await ctx.database.db.select().from(objectives).where(and(eq(objectives.id, id), eq(objectives.territoryId, ctx.territory.id))))[0];
}
async function findAction(ctx: Ctx, id: number) {
  return (await ctx.database.db.select().from(actions).where(and(eq(actions.id, id), eq(actions.territoryId, ctx.territory.id))))[0];
}

/** Themes offered in the objective form: live ones, plus the current one if archived. */
async function themeChoices(ctx: Ctx, currentId?: number) {
  const rows = await ctx.database.db.select().from(themes).where(eq(themes.territoryId, ctx.territory.id)).orderBy(asc(themes.position), asc(themes.id));
  return rows.filter((t) => !t.archivedAt || t.id === currentId).map((t) => ({ id: t.id, code: t.code, title: t.archivedAt ? `${t.title} (archivée)` : t.title }));
}

/** What the action form offers: live objectives (plus the current one), authorities, communes, next number. */
async function actionFormData(ctx: Ctx, currentObjectiveId?: number): Promise<ActionFormData> {
  const db = ctx.database.db;
  const tid = ctx.territory.id;
  const [themeRows, objectiveRows, numbers, authorities] = await Promise.all([
    db.select().from(themes).where(eq(themes.territoryId, tid)).orderBy(asc(themes.position), asc(themes.id)),
    db.select().from(objectives).where(eq(objectives.territoryId, tid)).orderBy(asc(objectives.position), asc(objectives.id)),
    db.select({ n: actions.number }).from(actions).where(eq(actions.territoryId, tid)),
    loadAuthorities(db, tid),
  ]);
  const choices: ActionFormData["objectives"] = [];
  for (const t of themeRows) {
    for (const o of objectiveRows) {
      if (o.themeId !== t.id) continue;
      const isLive = !t.archivedAt && !o.archivedAt;
      if (isLive || o.id === currentObjectiveId) choices.push({ id: o.id, label: `${t.code} – ${o.title}${isLive ? "" : " (archivé)"}` });
    }
  }
  const communes = authorities.flatMap((a) => a.communes.map((c) => ({ code: c.code, name: c.name }))).sort((a, b) => a.name.localeCompare(b.name, "fr"));
  return {
    objectives: choices,
    authorities: authorities.map((a) => ({ id: a.id, name: a.name })),
    communes,
    number: nextActionNumber(numbers.map((r) => r.n)),
    limitedTo: await limitOf(ctx),
  };
}

const str = (v: number | null | undefined) => (v == null ? "" : String(v));

// ----- routes -----

/** Archive, restore and move routes of one kind of plan item. */
function itemRoutes(kind: PlanItemKind, segment: string, anchor: string, permission: string): RouteDef[] {
  // One shape for the four one-button routes: check the action's editor, run, answer.
  const route = (verb: string, summary: string, run: (tx: Tx, ctx: Ctx) => Promise<{ message: string }>, toArchives: boolean) =>
    defineRoute({
      method: "POST",
      url: `/t/:slug/gestion/${segment}/:id/${verb}`,
      summary: `${summary} (${kind})`,
      kind: "form",
      permission,
      params: idParams,
      audit: kind,
      handler: async (ctx) => {
        const r = await attempt(ctx, async (tx) => {
          if (kind === "action") await assertMayEditAction(tx, ctx.audit, ctx.territory.id, ctx.params.id);
          return run(tx, ctx);
        });
        if ("notFound" in r) return ctx.reply.callNotFound();
        if ("forbidden" in r) return forbidden(ctx, r.forbidden);
        if ("conflict" in r) {
          const tree = await loadPlanTree(ctx.database.db, ctx.territory.id, { public: false, includeArchived: true });
          return ctx.render(<ManageHomePage {...shell(ctx)} tree={tree} showArchives problem={r.conflict} limitedTo={await limitOf(ctx)} />, 409);
        }
        if (!("value" in r)) throw new Error("unexpected outcome");
        return ctx.redirect(`${base(ctx)}${toArchives ? "?archives=1" : ""}#${anchor}-${ctx.params.id}`, r.value.message);
      },
    });
  const move = (direction: "up" | "down", verb: string) =>
    route(verb, `${direction === "up" ? "Monter" : "Descendre"} d'un rang`, (tx, ctx) => movePlanItem(tx, ctx.audit, ctx.territory.id, kind, ctx.params.id, direction), false);
  const archive = (archived: boolean, verb: string) =>
    route(verb, archived ? "Archiver" : "Restaurer", (tx, ctx) => setPlanItemArchived(tx, ctx.audit, ctx.territory.id, kind, ctx.params.id, archived), archived);
  return [move("up", "monter"), move("down", "descendre"), archive(true, "archiver"), archive(false, "restaurer")];
}

/** Back-office of the plan: themes, objectives and actions. */
export const planManageRoutes: RouteDef[] = [
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion",
    summary: "Gestion du plan d'actions (brouillons, confidentiels et archives compris)",
    kind: "page",
    permission: "plan.plan.manage",
    params: slugParams,
    // A toggle, not a filter: any odd value simply means "not shown".
    query: z.object({ archives: z.unknown().optional().transform((v) => (Array.isArray(v) ? v[0] : v) === "1") }),
    handler: async (ctx) => {
      const tree = await loadPlanTree(ctx.database.db, ctx.territory.id, { public: false, includeArchived: true });
      return <ManageHomePage {...shell(ctx)} tree={tree} showArchives={ctx.query.archives} limitedTo={await limitOf(ctx)} />;
    },
  }),

  // ----- themes -----
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/thematiques/nouvelle",
    summary: "Formulaire d'ajout d'une thématique",
    kind: "form",
    permission: "plan.theme.update",
    params: slugParams,
    handler: (ctx) => <ThemeFormPage {...shell(ctx)} values={{ visibility: "draft" }} />,
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/thematiques/nouvelle",
    summary: "Ajout d'une thématique",
    kind: "form",
    permission: "plan.theme.update",
    params: slugParams,
    body: themeForm,
    audit: "theme",
    handler: async (ctx) => {
      const form = parseForm(themeForm, ctx.req.body);
      if (!form.ok) return ctx.render(<ThemeFormPage {...shell(ctx)} errors={form.errors} values={form.values} />, 422);
      const r = await attempt(ctx, (tx) => saveTheme(tx, ctx.audit, ctx.territory.id, null, form.data));
      if ("errors" in r) return ctx.render(<ThemeFormPage {...shell(ctx)} errors={r.errors} values={formValues(ctx.req.body)} />, 422);
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect(`${base(ctx)}#theme-${r.value.id}`, `Thématique ${form.data.code} ajoutée.`);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/thematiques/:id",
    summary: "Formulaire de modification d'une thématique",
    kind: "form",
    permission: "plan.theme.update",
    params: idParams,
    handler: async (ctx) => {
      const t = await findTheme(ctx, ctx.params.id);
      if (!t) return ctx.reply.callNotFound();
      return <ThemeFormPage {...shell(ctx)} existing={t} values={{ code: t.code, title: t.title, description: t.description ?? "", visibility: t.visibility }} history={await loadHistory(ctx.database.db, ctx.territory.id, "theme", [t.id])} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/thematiques/:id",
    summary: "Modification d'une thématique",
    kind: "form",
    permission: "plan.theme.update",
    params: idParams,
    body: themeForm,
    audit: "theme",
    handler: async (ctx) => {
      const t = await findTheme(ctx, ctx.params.id);
      if (!t) return ctx.reply.callNotFound();
      const form = parseForm(themeForm, ctx.req.body);
      if (!form.ok) return ctx.render(<ThemeFormPage {...shell(ctx)} existing={t} errors={form.errors} values={form.values} />, 422);
      const r = await attempt(ctx, (tx) => saveTheme(tx, ctx.audit, ctx.territory.id, t.id, form.data));
      if ("errors" in r) return ctx.render(<ThemeFormPage {...shell(ctx)} existing={t} errors={r.errors} values={formValues(ctx.req.body)} />, 422);
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect(`${base(ctx)}#theme-${t.id}`, r.value.changed ? `Thématique ${form.data.code} enregistrée.` : "Aucune modification : la thématique est inchangée.");
    },
  }),
  ...itemRoutes("theme", "thematiques", "theme", "plan.theme.update"),

  // ----- objectives -----
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/objectifs/nouveau",
    summary: "Formulaire d'ajout d'un objectif",
    kind: "form",
    permission: "plan.objective.update",
    params: slugParams,
    query: z.object({ theme: looseId }),
    handler: async (ctx) => <ObjectiveFormPage {...shell(ctx)} themes={await themeChoices(ctx)} values={{ themeId: str(ctx.query.theme), visibility: "draft" }} />,
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/objectifs/nouveau",
    summary: "Ajout d'un objectif",
    kind: "form",
    permission: "plan.objective.update",
    params: slugParams,
    body: objectiveForm,
    audit: "objective",
    handler: async (ctx) => {
      const form = parseForm(objectiveForm, ctx.req.body);
      const fail = async (errors: FieldErrors, values: FormValues) => ctx.render(<ObjectiveFormPage {...shell(ctx)} themes={await themeChoices(ctx)} errors={errors} values={values} />, 422);
      if (!form.ok) return fail(form.errors, form.values);
      const r = await attempt(ctx, (tx) => saveObjective(tx, ctx.audit, ctx.territory.id, null, form.data));
      if ("errors" in r) return fail(r.errors, formValues(ctx.req.body));
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect(`${base(ctx)}#objectif-${r.value.id}`, "Objectif ajouté.");
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/objectifs/:id",
    summary: "Formulaire de modification d'un objectif",
    kind: "form",
    permission: "plan.objective.update",
    params: idParams,
    handler: async (ctx) => {
      const o = await findObjective(ctx, ctx.params.id);
      if (!o) return ctx.reply.callNotFound();
      return (
        <ObjectiveFormPage
          {...shell(ctx)}
          existing={o}
          themes={await themeChoices(ctx, o.themeId)}
          values={{ themeId: String(o.themeId), title: o.title, description: o.description ?? "", visibility: o.visibility }}
          history={await loadHistory(ctx.database.db, ctx.territory.id, "objective", [o.id])}
        />
      );
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/objectifs/:id",
    summary: "Modification d'un objectif",
    kind: "form",
    permission: "plan.objective.update",
    params: idParams,
    body: objectiveForm,
    audit: "objective",
    handler: async (ctx) => {
      const o = await findObjective(ctx, ctx.params.id);
      if (!o) return ctx.reply.callNotFound();
      const form = parseForm(objectiveForm, ctx.req.body);
      const fail = async (errors: FieldErrors, values: FormValues) =>
        ctx.render(<ObjectiveFormPage {...shell(ctx)} existing={o} themes={await themeChoices(ctx, o.themeId)} errors={errors} values={values} />, 422);
      if (!form.ok) return fail(form.errors, form.values);
      const r = await attempt(ctx, (tx) => saveObjective(tx, ctx.audit, ctx.territory.id, o.id, form.data));
      if ("errors" in r) return fail(r.errors, formValues(ctx.req.body));
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect(`${base(ctx)}#objectif-${o.id}`, r.value.changed ? "Objectif enregistré." : "Aucune modification : l'objectif est inchangé.");
    },
  }),
  ...itemRoutes("objective", "objectifs", "objectif", "plan.objective.update"),

  // ----- actions -----
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/actions/nouvelle",
    summary: "Formulaire d'ajout d'une action",
    kind: "form",
    permission: "plan.action.update",
    params: slugParams,
    query: z.object({ objectif: looseId }),
    handler: async (ctx) => {
      const data = await actionFormData(ctx);
      return (
        <ActionFormPage
          {...shell(ctx)}
          data={data}
          values={{ objectiveId: str(ctx.query.objectif), number: str(data.number), visibility: "draft", leadAuthorityId: str(data.limitedTo?.id) }}
        />
      );
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/actions/nouvelle",
    summary: "Ajout d'une action",
    kind: "form",
    permission: "plan.action.update",
    params: slugParams,
    body: actionForm,
    audit: "action",
    handler: async (ctx) => {
      const form = parseForm(actionForm, ctx.req.body);
      const fail = async (errors: FieldErrors, values: FormValues) => ctx.render(<ActionFormPage {...shell(ctx)} data={await actionFormData(ctx)} errors={errors} values={values} />, 422);
      if (!form.ok) return fail(form.errors, form.values);
      if (!can(ctx.actor, "plan.action.create", { territoryId: ctx.territory.id, subject: subjectOfInput(form.data) })) return forbidden(ctx, LEAD_REFUSED);
      const r = await attempt(ctx, (tx) => saveAction(tx, ctx.audit, ctx.territory.id, null, toActionInput(form.data), form.data.statusComment));
      if ("errors" in r) return fail(r.errors, formValues(ctx.req.body));
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect(`${base(ctx)}#action-${r.value.id}`, `Action ${r.value.number} enregistrée.`);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/actions/:id",
    summary: "Formulaire de modification d'une action",
    kind: "form",
    permission: "plan.action.update",
    params: idParams,
    handler: async (ctx) => {
      const a = await findAction(ctx, ctx.params.id);
      if (!a) return ctx.reply.callNotFound();
      const subject = await loadActionSubject(ctx.database.db, ctx.territory.id, a.id);
      if (!subject || !mayEdit(ctx, subject)) return forbidden(ctx, NOT_YOUR_ACTION);
      const partners = await ctx.database.db
        .select()
        .from(actionPartners)
        .where(and(eq(actionPartners.territoryId, ctx.territory.id), eq(actionPartners.actionId, a.id)))
        .orderBy(asc(actionPartners.position));
      const data = await actionFormData(ctx, a.objectiveId);
      const values: FormValues = {
        objectiveId: String(a.objectiveId),
        number: String(a.number),
        title: a.title,
        description: a.description ?? "",
        status: a.status ?? "",
        visibility: a.visibility,
        leadAuthorityId: str(a.leadAuthorityId),
        joint: a.joint ? "on" : undefined,
        partnerAuthorityIds: partners.filter((p) => p.authorityId !== null).map((p) => String(p.authorityId)),
        otherPartners: partners
          .filter((p) => p.authorityId === null)
          .map((p) => p.name)
          .join("\n"),
        communeCode: a.communeCode ?? "",
      };
      return <ActionFormPage {...shell(ctx)} existing={a} data={{ ...data, number: a.number }} values={values} publicUrl={`/t/${ctx.territory.slug}/actions/${a.id}`} history={await loadHistory(ctx.database.db, ctx.territory.id, "action", [a.id])} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/actions/:id",
    summary: "Modification d'une action",
    kind: "form",
    permission: "plan.action.update",
    params: idParams,
    body: actionForm,
    audit: "action",
    handler: async (ctx) => {
      const a = await findAction(ctx, ctx.params.id);
      if (!a) return ctx.reply.callNotFound();
      const subject = await loadActionSubject(ctx.database.db, ctx.territory.id, a.id);
      if (!subject || !mayEdit(ctx, subject)) return forbidden(ctx, NOT_YOUR_ACTION);
      const form = parseForm(actionForm, ctx.req.body);
      const fail = async (errors: FieldErrors, values: FormValues) =>
        ctx.render(
          <ActionFormPage {...shell(ctx)} existing={a} data={{ ...(await actionFormData(ctx, a.objectiveId)), number: a.number }} errors={errors} values={values} publicUrl={`/t/${ctx.territory.slug}/actions/${a.id}`} />,
          422,
        );
      if (!form.ok) return fail(form.errors, form.values);
      if (!mayEdit(ctx, subjectOfInput(form.data))) return forbidden(ctx, WOULD_LOSE);
      const r = await attempt(ctx, async (tx) => {
        // Checked again under the action's lock: a colleague may have changed its lead meanwhile.
        await assertMayEditAction(tx, ctx.audit, ctx.territory.id, a.id);
        return saveAction(tx, ctx.audit, ctx.territory.id, a.id, toActionInput(form.data), form.data.statusComment);
      });
      if ("errors" in r) return fail(r.errors, formValues(ctx.req.body));
      if ("forbidden" in r) return forbidden(ctx, r.forbidden);
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect(`${base(ctx)}#action-${a.id}`, r.value.changed ? `Action ${r.value.number} enregistrée.` : `Aucune modification : l'action ${a.number} est inchangée.`);
    },
  }),
  ...itemRoutes("action", "actions", "action", "plan.action.update"),
];

function toActionInput({ statusComment: _comment, ...d }: z.infer<typeof actionForm>): ActionInput {
  return { ...d, otherPartners: partnerLines(d.otherPartners) };
}
