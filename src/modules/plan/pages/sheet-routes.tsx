// Routes of the back-office follow-up sheet of an action (/t/{slug}/gestion/actions/{id}/suivi…)
// and the download of an action's documents.
import { and, asc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { can } from "../../../core/authz/index.ts";
import type { Tx } from "../../../core/db/client.ts";
import { files } from "../../../core/db/schema.ts";
import { choiceField, optionalText, parseForm, textField, type FieldErrors } from "../../../core/forms/index.ts";
import { ErrorPage } from "../../../core/http/errors.tsx";
import { defineRoute, type RouteContext, type RouteDef } from "../../../core/http/registry.ts";
import { saveUpload, sendStoredFile, textFields, UploadRejected, uploadedFile } from "../../../core/http/upload.ts";
import { loadHistory } from "../../audit/api.ts";
import { territoryAuthorities } from "../../territories/api.ts";
import { ACTION_LINK_KINDS, ACTION_STATUSES, actionDocuments, actionPartners, actions, COST_NATURES, FUNDER_KINDS, PRIORITIES, PROGRESS_MODES, VISIBILITIES } from "../schema.ts";
import { parisToday, parseEuros, parseTags } from "../followup-model.ts";
import { ForbiddenError, FormError, NotFoundError } from "../commands/errors.ts";
import { assertMayEditAction, loadActionSubject, NOT_YOUR_ACTION } from "../commands/action-access.ts";
import * as cmd from "../commands/followup.ts";
import { indicatorChoices, loadActionSheet, pilotChoices, SHEET_VISIBILITIES, type SheetLevel } from "../queries/action-sheet.ts";
import { flattenActions, loadPlanTree } from "../queries/plan-tree.ts";
import { FOLLOW_UP_VISIBILITIES } from "../model.ts";
import { SheetPage } from "./sheet.tsx";
import type { SheetFormState } from "./sheet-parts.tsx";

type Ctx = RouteContext<any, any>;

const idParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647) });
const itemParams = idParams.extend({ itemId: z.coerce.number().int().positive().max(2147483647) });
const docParams = idParams.extend({ docId: z.coerce.number().int().positive().max(2147483647) });

// ----- field shapes -----

const DATE_MESSAGE = "Indiquez une date valide, au format AAAA-MM-JJ.";
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s) && s >= "1900-01-01" && s <= "2200-12-31";
const optionalDate = z
  .string()
  .trim()
  .optional()
  .refine((s) => !s || isDate(s), { error: DATE_MESSAGE })
  .transform((s) => (s ? s : null));
const requiredDate = (label: string) =>
  z
    .string({ error: `Indiquez ${label}.` })
    .trim()
    .min(1, { error: `Indiquez ${label}.` })
    .refine(isDate, { error: DATE_MESSAGE });
const visibility = choiceField(VISIBILITIES, "Choisissez une visibilité dans la liste.");
/** An amount in euros ("12 500,50"), stored in cents; empty is 0 when optional. */
const euros = (label: string, required: boolean) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const v = (s ?? "").trim();
      if (!v) {
        if (required) ctx.addIssue({ code: "custom", message: `Indiquez ${label}.` });
        return 0;
      }
      const cents = parseEuros(v);
      if (cents === null) {
        ctx.addIssue({ code: "custom", message: `${label.replace(/^le /, "Le ")} doit être un montant en euros, par exemple 12 500,50.` });
        return 0;
      }
      return cents;
    });
/** A decimal number typed French style ("12,5"). */
const NUMBER_RE = /^-?\d{1,12}([.,]\d{1,6})?$/;
const decimal = (label: string, required: boolean) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      const v = (s ?? "").replace(/[\s\u00a0\u202f]/g, "");
      if (!v) {
        if (required) ctx.addIssue({ code: "custom", message: `Indiquez ${label}.` });
        return null;
      }
      if (!NUMBER_RE.test(v)) {
        ctx.addIssue({ code: "custom", message: `Indiquez ${label} en chiffres, par exemple 12,5.` });
        return null;
      }
      return Number(v.replace(",", "."));
    });

export const statusForm = z.object({
  status: z.union([z.enum(ACTION_STATUSES), z.literal("")], { error: "Choisissez un statut dans la liste." }).transform((v) => v || null),
  comment: optionalText("le commentaire", { max: 2000 }),
});
export const peopleForm = z.object({
  pilotUserIds: z
    .array(z.coerce.number({ error: "Choisissez les pilotes parmi les agents du territoire proposés." }).int().positive().max(2147483647))
    .max(30, { error: "Choisissez 30 pilotes au plus." })
    .optional()
    .transform((v) => [...new Set(v ?? [])]),
  referentElu: optionalText("l’élu référent", { max: 200 }),
  priority: choiceField(PRIORITIES, "Choisissez une priorité dans la liste."),
  tags: optionalText("les mots-clés", { max: 1000 }).transform((s) => parseTags(s ?? "")),
});
export const scheduleForm = z.object({
  startDate: optionalDate,
  plannedEndDate: optionalDate,
  progressMode: choiceField(PROGRESS_MODES, "Choisissez comment l’avancement est établi."),
  progressManual: z
    .string()
    .trim()
    .optional()
    .refine((s) => !s || (/^\d{1,3}$/.test(s) && Number(s) <= 100), { error: "L’avancement est un nombre entier de 0 à 100." })
    .transform((s) => (s ? Number(s) : null)),
});
export const milestoneForm = z.object({
  name: textField("le nom du jalon", { max: 300 }),
  dueDate: optionalDate,
  doneDate: optionalDate,
  visibility,
});
const milestoneOp = z.object({ op: z.enum(["enregistrer", "fait", "monter", "descendre", "supprimer"], { error: "Opération inconnue." }) });
export const budgetForm = z.object({
  year: z
    .string({ error: "Indiquez l’année." })
    .trim()
    .regex(/^\d{4}$/, { error: "L’année s’écrit sur quatre chiffres, de 2000 à 2100." })
    .transform(Number)
    .refine((n) => n >= 2000 && n <= 2100, { error: "L’année s’écrit sur quatre chiffres, de 2000 à 2100." }),
  nature: choiceField(COST_NATURES, "Choisissez la nature : investissement ou fonctionnement."),
  amount: euros("le montant", true),
  label: optionalText("le libellé", { max: 200 }),
});
export const financingForm = z
  .object({
    funderKind: choiceField(FUNDER_KINDS, "Choisissez un type de financeur dans la liste."),
    funderName: textField("le nom du financeur", { max: 200 }),
    requested: euros("le montant demandé", false),
    granted: euros("le montant accordé", false),
    paid: euros("le montant versé", false),
    comment: optionalText("le commentaire", { max: 1000 }),
  })
  .refine((d) => d.paid <= d.granted || d.granted === 0, { error: "Le montant versé ne peut pas dépasser le montant accordé.", path: ["paid"] });
const simpleOp = (ops: [string, ...string[]]) => z.object({ op: z.enum(ops, { error: "Opération inconnue." }) });
export const noteForm = z.object({ body: textField("le texte de la note", { max: 5000 }), visibility });
export const documentForm = z.object({ title: textField("le titre du document", { max: 200 }), visibility });
export const linkForm = z.object({
  toActionId: z.coerce.number({ error: "Choisissez une action du plan dans la liste." }).int({ error: "Choisissez une action du plan dans la liste." }).positive({ error: "Choisissez une action du plan dans la liste." }).max(2147483647),
  kind: choiceField(ACTION_LINK_KINDS, "Choisissez la nature du lien dans la liste."),
});
const baseline = { baselineValue: decimal("la valeur de référence", false), baselineDate: optionalDate, visibility };
export const indicatorLinkForm = z.object({
  indicatorId: z.coerce.number({ error: "Choisissez un indicateur du catalogue dans la liste." }).int().positive({ error: "Choisissez un indicateur du catalogue dans la liste." }).max(2147483647),
  geoLevel: choiceField(["territory", "action"], "Choisissez l’échelle dans la liste."),
  ...baseline,
});
export const indicatorNewForm = z.object({
  name: textField("le nom de l’indicateur", { max: 200 }),
  unit: textField("l’unité", { max: 40 }),
  direction: choiceField(["up", "down", "neutral"], "Choisissez le sens souhaité dans la liste."),
  decimals: z.coerce.number().int().min(0).max(6).catch(2),
  ...baseline,
});
const indicatorOp = z.object({ op: z.enum(["reference", "cible", "valeur", "retirer-cible", "supprimer"], { error: "Opération inconnue." }) });
export const targetForm = z.object({ targetDate: requiredDate("la date de la cible"), value: decimal("la valeur cible", true) });
export const valueForm = z.object({
  period: requiredDate("la date de la mesure"),
  value: decimal("la valeur mesurée", true),
  source: optionalText("la source", { max: 300 }),
  comment: optionalText("le commentaire", { max: 1000 }),
});

// ----- helpers -----

const sheetUrl = (ctx: Ctx) => `/t/${ctx.territory.slug}/gestion/actions/${ctx.params.id}/suivi`;
const forbidden = (ctx: Ctx, detail: string) => ctx.render(<ErrorPage status={403} actor={ctx.actor} detail={detail} />, 403);

/** Renders the sheet (the staff's view), with the form in error if any. */
async function renderSheet(ctx: Ctx, state?: SheetFormState, status = 200) {
  const db = ctx.database.db;
  const tid = ctx.territory.id;
  const sheet = await loadActionSheet(db, tid, ctx.params.id, "staff", { database: ctx.database, territory: ctx.territory });
  if (!sheet) return ctx.reply.callNotFound();
  const [pilots, indicators, actionRows, lead, partners, history] = await Promise.all([
    pilotChoices(db, tid),
    indicatorChoices(db, tid),
    db.select({ id: actions.id, number: actions.number, title: actions.title }).from(actions).where(eq(actions.territoryId, tid)).orderBy(asc(actions.number)),
    sheet.action.leadAuthorityId
      ? db.select({ name: territoryAuthorities.name }).from(territoryAuthorities).where(and(eq(territoryAuthorities.id, sheet.action.leadAuthorityId), eq(territoryAuthorities.territoryId, tid)))
      : Promise.resolve([]),
    db.select({ name: actionPartners.name }).from(actionPartners).where(and(eq(actionPartners.territoryId, tid), eq(actionPartners.actionId, sheet.action.id))).orderBy(asc(actionPartners.position)),
    loadHistory(db, tid, "action", [sheet.action.id]),
  ]);
  return ctx.render(
    <SheetPage
      actor={ctx.actor}
      territory={ctx.territory}
      csrfToken={ctx.csrfToken()}
      flash={ctx.flash}
      sheet={sheet}
      state={state}
      history={history}
      choices={{ pilots, indicators, actions: actionRows, lead: lead[0]?.name ?? null, partners: partners.map((p) => p.name), maxUploadMb: Math.floor(ctx.config.maxUploadBytes / 1024 / 1024) }}
    />,
    status,
  );
}

/** Checks the action exists in the territory and the person may edit it (403 page otherwise). */
async function guard(ctx: Ctx): Promise<"ok" | unknown> {
  const subject = await loadActionSubject(ctx.database.db, ctx.territory.id, ctx.params.id);
  if (!subject) return ctx.reply.callNotFound();
  if (!can(ctx.actor, "plan.action.edit", { territoryId: ctx.territory.id, subject })) return forbidden(ctx, NOT_YOUR_ACTION);
  return "ok";
}

type RunResult = { message: string; anchor: string };

/**
 * One POST of the sheet: guard, parse (422 with the sheet and the form's values on bad input),
 * run the command in one transaction under the action's lock, redirect to the section.
 */
function sheetPost(o: {
  path: string;
  summary: string;
  params?: z.ZodObject;
  /** The key of the form in the page (field ids, error state). */
  form: (ctx: Ctx) => string;
  parse: (ctx: Ctx, body: Record<string, unknown>) => { ok: true; data: unknown } | { ok: false; errors: FieldErrors };
  run: (c: { tx: Tx; audit: Ctx["audit"]; territoryId: number; actionId: number }, data: any, ctx: Ctx) => Promise<RunResult>;
  body?: z.ZodObject;
}): RouteDef {
  return defineRoute({
    method: "POST",
    url: `/t/:slug/gestion/actions/:id/suivi/${o.path}`,
    summary: o.summary,
    kind: "form",
    permission: "plan.action.update",
    params: o.params ?? idParams,
    body: o.body,
    audit: "action",
    handler: async (ctx: Ctx) => {
      const g = await guard(ctx);
      if (g !== "ok") return g;
      const body = textFields(ctx.req.body);
      const parsed = o.parse(ctx, ctx.req.body as Record<string, unknown>);
      if (!parsed.ok) return renderSheet(ctx, { form: o.form(ctx), errors: parsed.errors, values: body }, 422);
      try {
        const r = await ctx.database.db.transaction(async (tx) => {
          await assertMayEditAction(tx, ctx.audit, ctx.territory.id, ctx.params.id);
          return o.run({ tx, audit: ctx.audit, territoryId: ctx.territory.id, actionId: ctx.params.id }, parsed.data, ctx);
        });
        return ctx.redirect(`${sheetUrl(ctx)}#${r.anchor}`, r.message);
      } catch (e) {
        if (e instanceof FormError) return renderSheet(ctx, { form: o.form(ctx), errors: e.errors, values: body }, 422);
        if (e instanceof UploadRejected) return renderSheet(ctx, { form: o.form(ctx), errors: { file: e.message }, values: body }, 422);
        if (e instanceof NotFoundError) return ctx.reply.callNotFound();
        if (e instanceof ForbiddenError) return forbidden(ctx, e.message);
        throw e;
      }
    },
  });
}

/** Parses a form schema into the shape sheetPost expects. */
const withSchema =
  <S extends z.ZodType>(schema: S) =>
  (_ctx: Ctx, body: Record<string, unknown>) => {
    const r = parseForm(schema as unknown as z.ZodObject, body);
    return r.ok ? { ok: true as const, data: r.data as z.infer<S> } : { ok: false as const, errors: r.errors };
  };

/** An op field first, then the schema of that op. */
const withOp =
  (opSchema: z.ZodObject, schemas: Record<string, z.ZodType | undefined>) =>
  (_ctx: Ctx, body: Record<string, unknown>) => {
    const op = parseForm(opSchema, body);
    if (!op.ok) return { ok: false as const, errors: op.errors };
    const name = (op.data as { op: string }).op;
    const schema = schemas[name];
    if (!schema) return { ok: true as const, data: { op: name } };
    const r = parseForm(schema as unknown as z.ZodObject, body);
    return r.ok ? { ok: true as const, data: { op: name, ...(r.data as object) } } : { ok: false as const, errors: r.errors };
  };

const changed = (yes: boolean, message: string) => (yes ? message : "Aucune modification : rien n’a changé.");

// ----- routes -----

export const sheetRoutes: RouteDef[] = [
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/actions/:id/suivi",
    summary: "Fiche de suivi d'une action (pilotes, calendrier, jalons, budget, financement, indicateurs, notes, documents, liens)",
    kind: "page",
    permission: "plan.action.update",
    params: idParams,
    handler: async (ctx) => {
      const g = await guard(ctx);
      if (g !== "ok") return g;
      return renderSheet(ctx);
    },
  }),
  sheetPost({
    path: "statut",
    summary: "Changement de statut d'une action, avec un commentaire",
    form: () => "statut",
    parse: withSchema(statusForm),
    body: statusForm,
    run: async (c, d: z.infer<typeof statusForm>) => ({ message: changed(await cmd.changeStatus(c, d.status, d.comment), "Statut changé."), anchor: "statut" }),
  }),
  sheetPost({
    path: "personnes",
    summary: "Pilotes, élu référent, priorité et mots-clés d'une action",
    form: () => "personnes",
    parse: withSchema(peopleForm),
    body: peopleForm,
    run: async (c, d: z.infer<typeof peopleForm>) => ({
      message: changed(await cmd.savePeople(c, { pilotUserIds: d.pilotUserIds, referentElu: d.referentElu, priority: d.priority, tags: d.tags }), "Personnes enregistrées."),
      anchor: "personnes",
    }),
  }),
  sheetPost({
    path: "calendrier",
    summary: "Dates et mode d'avancement d'une action",
    form: () => "calendrier",
    parse: withSchema(scheduleForm),
    body: scheduleForm,
    run: async (c, d: z.infer<typeof scheduleForm>) => ({ message: changed(await cmd.saveSchedule(c, d), "Calendrier enregistré."), anchor: "calendrier" }),
  }),
  sheetPost({
    path: "jalons",
    summary: "Ajout d'un jalon à une action",
    form: () => "jalon-nouveau",
    parse: withSchema(milestoneForm),
    body: milestoneForm,
    run: async (c, d: z.infer<typeof milestoneForm>) => {
      const id = await cmd.addMilestone(c, d);
      return { message: `Jalon « ${d.name} » ajouté.`, anchor: `jalon-${id}` };
    },
  }),
  sheetPost({
    path: "jalons/:itemId",
    params: itemParams,
    summary: "Modification, réalisation, ordre ou suppression d'un jalon",
    form: (ctx) => `jalon-${ctx.params.itemId}`,
    parse: withOp(milestoneOp, { enregistrer: milestoneForm }),
    body: milestoneOp,
    run: async (c, d: { op: string } & Partial<z.infer<typeof milestoneForm>>, ctx) => {
      const id = ctx.params.itemId as number;
      switch (d.op) {
        case "enregistrer":
          return { message: changed(await cmd.updateMilestone(c, id, { name: d.name!, dueDate: d.dueDate ?? null, doneDate: d.doneDate ?? null, visibility: d.visibility! }), "Jalon enregistré."), anchor: `jalon-${id}` };
        case "fait":
          return { message: (await cmd.markMilestoneDone(c, id, parisToday())) ? "Jalon marqué réalisé aujourd’hui." : "Ce jalon était déjà réalisé.", anchor: `jalon-${id}` };
        case "monter":
        case "descendre":
          return { message: (await cmd.moveMilestone(c, id, d.op === "monter" ? "up" : "down")) ? "Jalon déplacé." : "Ce jalon ne peut pas aller plus loin.", anchor: `jalon-${id}` };
        default:
          await cmd.deleteMilestone(c, id);
          return { message: "Jalon supprimé.", anchor: "jalons" };
      }
    },
  }),
  sheetPost({
    path: "budget",
    summary: "Ligne de coût prévisionnel d'une action (année, nature, montant)",
    form: () => "budget-nouveau",
    parse: withSchema(budgetForm),
    body: budgetForm,
    run: async (c, d: z.infer<typeof budgetForm>) => {
      await cmd.saveBudgetLine(c, { year: d.year, nature: d.nature, amountCents: d.amount, label: d.label });
      return { message: "Coût prévisionnel enregistré.", anchor: "budget" };
    },
  }),
  sheetPost({
    path: "budget/:itemId",
    params: itemParams,
    summary: "Suppression d'une ligne de coût prévisionnel",
    form: (ctx) => `budget-${ctx.params.itemId}`,
    parse: withOp(simpleOp(["supprimer"]), {}),
    body: simpleOp(["supprimer"]),
    run: async (c, _d, ctx) => {
      await cmd.deleteBudgetLine(c, ctx.params.itemId);
      return { message: "Ligne de coût supprimée.", anchor: "budget" };
    },
  }),
  sheetPost({
    path: "financement",
    summary: "Ajout d'un financement (financeur, montants demandé, accordé, versé)",
    form: () => "financement-nouveau",
    parse: withSchema(financingForm),
    body: financingForm,
    run: async (c, d: z.infer<typeof financingForm>) => {
      const id = await cmd.addFinancingLine(c, toFinancing(d));
      return { message: `Financement « ${d.funderName} » ajouté.`, anchor: `financement-${id}` };
    },
  }),
  sheetPost({
    path: "financement/:itemId",
    params: itemParams,
    summary: "Modification ou suppression d'un financement",
    form: (ctx) => `financement-${ctx.params.itemId}`,
    parse: withOp(simpleOp(["enregistrer", "supprimer"]), { enregistrer: financingForm }),
    body: simpleOp(["enregistrer", "supprimer"]),
    run: async (c, d: { op: string } & z.infer<typeof financingForm>, ctx) => {
      const id = ctx.params.itemId as number;
      if (d.op === "supprimer") {
        await cmd.deleteFinancingLine(c, id);
        return { message: "Financement supprimé.", anchor: "financement" };
      }
      return { message: changed(await cmd.updateFinancingLine(c, id, toFinancing(d)), "Financement enregistré."), anchor: `financement-${id}` };
    },
  }),
  sheetPost({
    path: "notes",
    summary: "Ajout d'une note de suivi (datée, signée)",
    form: () => "note-nouvelle",
    parse: withSchema(noteForm),
    body: noteForm,
    run: async (c, d: z.infer<typeof noteForm>) => ({ message: "Note ajoutée.", anchor: `note-${await cmd.addNote(c, d)}` }),
  }),
  sheetPost({
    path: "notes/:itemId",
    params: itemParams,
    summary: "Publication, confidentialité ou suppression d'une note de suivi",
    form: (ctx) => `note-${ctx.params.itemId}`,
    parse: withOp(simpleOp(["publier", "confidentielle", "supprimer"]), {}),
    body: simpleOp(["publier", "confidentielle", "supprimer"]),
    run: async (c, d: { op: string }, ctx) => {
      const id = ctx.params.itemId as number;
      if (d.op === "supprimer") {
        await cmd.archiveNote(c, id);
        return { message: "Note supprimée.", anchor: "notes" };
      }
      const v = d.op === "publier" ? "published" : "confidential";
      return { message: changed(await cmd.setNoteVisibility(c, id, v), v === "published" ? "Note publiée." : "Note rendue confidentielle."), anchor: `note-${id}` };
    },
  }),
  sheetPost({
    path: "documents",
    summary: "Ajout d'un document (formulaire multipart : titre, fichier, visibilité)",
    form: () => "document-nouveau",
    parse: (_ctx, body) => {
      const r = parseForm(documentForm, body);
      const file = uploadedFile(body, "file");
      const errors: FieldErrors = r.ok ? {} : { ...r.errors };
      if (!file) errors.file = "Choisissez le fichier à ajouter.";
      if (Object.keys(errors).length || !r.ok) return { ok: false as const, errors };
      return { ok: true as const, data: { ...r.data, file: file! } };
    },
    body: documentForm,
    run: async (c, d: z.infer<typeof documentForm> & { file: NonNullable<ReturnType<typeof uploadedFile>> }, ctx) => {
      const stored = await saveUpload(c.tx, ctx.config, d.file, { territoryId: c.territoryId, uploadedBy: ctx.actor.user?.id ?? null });
      const id = await cmd.addDocument(c, { fileId: stored.id, title: d.title, visibility: d.visibility });
      return { message: `Document « ${d.title} » ajouté.`, anchor: `document-${id}` };
    },
  }),
  sheetPost({
    path: "documents/:itemId",
    params: itemParams,
    summary: "Publication, confidentialité ou suppression d'un document",
    form: (ctx) => `document-${ctx.params.itemId}`,
    parse: withOp(simpleOp(["publier", "confidentiel", "supprimer"]), {}),
    body: simpleOp(["publier", "confidentiel", "supprimer"]),
    run: async (c, d: { op: string }, ctx) => {
      const id = ctx.params.itemId as number;
      if (d.op === "supprimer") {
        await cmd.updateDocument(c, id, { archive: true });
        return { message: "Document supprimé.", anchor: "documents" };
      }
      const v = d.op === "publier" ? "published" : "confidential";
      return { message: changed(await cmd.updateDocument(c, id, { visibility: v }), v === "published" ? "Document publié." : "Document rendu confidentiel."), anchor: `document-${id}` };
    },
  }),
  sheetPost({
    path: "liens",
    summary: "Lien vers une autre action du plan (en lien, dépend de, fait suite à)",
    form: () => "lien-nouveau",
    parse: withSchema(linkForm),
    body: linkForm,
    run: async (c, d: z.infer<typeof linkForm>) => {
      await cmd.addLink(c, d);
      return { message: "Action liée.", anchor: "liens" };
    },
  }),
  sheetPost({
    path: "liens/:itemId",
    params: itemParams,
    summary: "Retrait d'un lien entre actions",
    form: (ctx) => `lien-${ctx.params.itemId}`,
    parse: withOp(simpleOp(["supprimer"]), {}),
    body: simpleOp(["supprimer"]),
    run: async (c, _d, ctx) => {
      await cmd.deleteLink(c, ctx.params.itemId);
      return { message: "Lien retiré.", anchor: "liens" };
    },
  }),
  sheetPost({
    path: "indicateurs",
    summary: "Suivi d'un indicateur du catalogue par une action (référence, visibilité)",
    form: () => "indicateur-lier",
    parse: withSchema(indicatorLinkForm),
    body: indicatorLinkForm,
    run: async (c, d: z.infer<typeof indicatorLinkForm>, ctx) => {
      const geo = d.geoLevel === "action" ? { geoLevel: "action" as const, geoCode: String(c.actionId) } : { geoLevel: "territory" as const, geoCode: String(ctx.territory.id) };
      const id = await cmd.linkIndicator(c, { indicatorId: d.indicatorId, ...geo, baselineValue: d.baselineValue, baselineDate: d.baselineDate, visibility: d.visibility });
      return { message: "Indicateur suivi.", anchor: `indicateur-${id}` };
    },
  }),
  sheetPost({
    path: "indicateurs/nouveau",
    summary: "Création d'un indicateur propre à une action (série de niveau « action »)",
    form: () => "indicateur-nouveau",
    parse: withSchema(indicatorNewForm),
    body: indicatorNewForm,
    run: async (c, d: z.infer<typeof indicatorNewForm>) => {
      const id = await cmd.createActionIndicator(c, d);
      return { message: `Indicateur « ${d.name} » créé.`, anchor: `indicateur-${id}` };
    },
  }),
  sheetPost({
    path: "indicateurs/:itemId",
    params: itemParams,
    summary: "Référence, cible, valeur mesurée (observation) ou retrait d'un indicateur suivi",
    form: (ctx) => {
      const op = (ctx.req.body as Record<string, unknown> | undefined)?.op;
      return `${op === "cible" ? "cible" : op === "valeur" ? "valeur" : "indicateur"}-${ctx.params.itemId}`;
    },
    parse: withOp(indicatorOp, {
      reference: z.object(baseline),
      cible: targetForm,
      valeur: valueForm,
      "retirer-cible": z.object({ targetId: z.coerce.number({ error: "Cible inconnue." }).int().positive({ error: "Cible inconnue." }).max(2147483647) }),
    }),
    body: indicatorOp,
    run: async (c, d: any, ctx) => {
      const id = ctx.params.itemId as number;
      const anchor = `indicateur-${id}`;
      switch (d.op as string) {
        case "reference":
          return { message: changed(await cmd.updateActionIndicator(c, id, { baselineValue: d.baselineValue, baselineDate: d.baselineDate, visibility: d.visibility }), "Référence enregistrée."), anchor };
        case "cible":
          await cmd.setTarget(c, id, { targetDate: d.targetDate, value: d.value });
          return { message: "Cible enregistrée.", anchor };
        case "valeur":
          await cmd.recordActualValue(c, id, { period: d.period, value: d.value, source: d.source, comment: d.comment });
          return { message: "Valeur enregistrée.", anchor };
        case "retirer-cible":
          await cmd.deleteTarget(c, id, d.targetId);
          return { message: "Cible retirée.", anchor };
        default:
          await cmd.unlinkIndicator(c, id);
          return { message: "L’action ne suit plus cet indicateur.", anchor: "indicateurs" };
      }
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/actions/:id/documents/:docId",
    summary: "Téléchargement d'un document d'une action (publié, ou confidentiel pour qui lit le suivi)",
    kind: "file",
    permission: "public",
    params: docParams,
    handler: async (ctx) => {
      const level = readLevel(ctx);
      // The action must be readable at this level (published, live, in a readable objective and theme).
      const tree = await loadPlanTree(ctx.database.db, ctx.territory.id, level === "staff" ? { public: false, includeArchived: true } : level === "followup" ? { public: false, visibilities: FOLLOW_UP_VISIBILITIES } : { public: true });
      if (!flattenActions(tree).some((a) => a.id === ctx.params.id)) return ctx.reply.callNotFound();
      const [doc] = await ctx.database.db
        .select({ title: actionDocuments.title, visibility: actionDocuments.visibility, file: files })
        .from(actionDocuments)
        .innerJoin(files, eq(files.id, actionDocuments.fileId))
        .where(and(eq(actionDocuments.id, ctx.params.docId), eq(actionDocuments.actionId, ctx.params.id), eq(actionDocuments.territoryId, ctx.territory.id), isNull(actionDocuments.archivedAt)));
      if (!doc || !SHEET_VISIBILITIES[level].includes(doc.visibility)) return ctx.reply.callNotFound();
      return sendStoredFile(ctx.reply, ctx.config, doc.file);
    },
  }),
];

function toFinancing(d: z.infer<typeof financingForm>): cmd.FinancingInput {
  return { funderKind: d.funderKind, funderName: d.funderName, requestedCents: d.requested, grantedCents: d.granted, paidCents: d.paid, comment: d.comment };
}

/** How the person reads the territory's plan (see module.tsx). */
export function readLevel(ctx: Ctx): SheetLevel {
  if (!ctx.actor.user) return "public";
  if (can(ctx.actor, "plan.action.read_unpublished", { territoryId: ctx.territory.id })) return "staff";
  return can(ctx.actor, "plan.followup.read", { territoryId: ctx.territory.id }) ? "followup" : "public";
}
