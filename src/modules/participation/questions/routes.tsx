import { z } from "zod";
import type { Tx } from "../../../core/db/client.ts";
import { defineRoute, type RouteContext, type RouteDef } from "../../../core/http/registry.ts";
import { checkbox, formValues, idField, optionalText, parseForm, textField, type FieldErrors, type FormValues, optionalIdField } from "../../../core/forms/index.ts";
import { definePublicNav } from "../../../core/ui/layout.tsx";
import { defineBackOfficeNav } from "../../../core/ui/backoffice.ts";
import { loadHistory } from "../../audit/api.ts";
import { ConflictError, FormError, NotFoundError } from "../proposals/errors.ts";
import { themeChoices } from "../proposals/queries.ts";
import { fillTimeRefusal, QUESTION_STATES, type QuestionState } from "./model.ts";
import {
  answerQuestion,
  assignableStaff,
  assignQuestion,
  closeQuestion,
  createQuestion,
  listFaq,
  listInbox,
  loadQuestion,
  MAX_PER_EMAIL_PER_HOUR,
  publishInFaq,
  recentQuestionsFrom,
  unpublishFromFaq,
  type QuestionRow,
} from "./commands.ts";
import { FaqPage, InboxPage, QuestionFormPage, QuestionManagePage } from "./views.tsx";
import "./policy.ts";
import "./retention.ts";

definePublicNav({ label: "Questions", path: "/faq", order: 50 });
defineBackOfficeNav({ label: "Questions", path: "/questions", permission: "participation.question.manage", order: 65 });

const EMAIL_MESSAGE = "Indiquez une adresse électronique valide, par exemple nom@entreprise.fr.";

export const questionForm = z.object({
  name: textField("votre nom", { max: 120 }),
  email: z
    .string({ error: EMAIL_MESSAGE })
    .trim()
    .min(1, { error: "Indiquez votre adresse électronique : la réponse y sera envoyée." })
    .max(254, { error: EMAIL_MESSAGE })
    .pipe(z.email({ error: EMAIL_MESSAGE })),
  companyName: optionalText("le nom de votre entreprise", { max: 200 }),
  subject: textField("l'objet de votre question", { max: 200 }),
  themeId: optionalIdField("Choisissez une thématique dans la liste."),
  body: textField("votre message", { max: 5000 }),
  consent: checkbox.refine((v) => v, { error: "Cochez la case pour accepter que vos données servent à vous répondre." }),
});

export const assignForm = z.object({ assigneeId: idField("Choisissez un agent du territoire dans la liste.") });
export const answerForm = z.object({ answer: textField("votre réponse", { max: 10000 }) });
export const faqForm = z.object({ faqQuestion: textField("la question telle qu'elle sera publiée", { max: 500 }) });

const slugParams = z.object({ slug: z.string() });
const idParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647) });

type Ctx = RouteContext<any, any>;
type Outcome<T> = { value: T } | { errors: FieldErrors } | { notFound: true } | { conflict: string };

async function attempt<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<Outcome<T>> {
  try {
    return { value: await ctx.database.db.transaction((tx) => fn(tx)) };
  } catch (e) {
    if (e instanceof FormError) return { errors: e.errors };
    if (e instanceof NotFoundError) return { notFound: true };
    if (e instanceof ConflictError) return { conflict: e.message };
    throw e;
  }
}

const THANKS = "Merci : votre question est envoyée. Le service de développement économique vous répondra par courriel.";
const TOO_MANY = `Vous avez déjà envoyé ${MAX_PER_EMAIL_PER_HOUR} questions depuis cette adresse dans l'heure : patientez un peu avant d'en envoyer une autre. Votre message n'a pas été enregistré.`;

async function formPage(ctx: Ctx, opts: { errors?: FieldErrors; values?: FormValues; problem?: string } = {}, status = 200) {
  const db = ctx.database.db;
  const [themes, faq] = await Promise.all([themeChoices(db, ctx.territory.id), listFaq(db, ctx.territory.id)]);
  // Signed-in people find their name and address already filled in.
  const values = opts.values ?? (ctx.actor.user ? { name: ctx.actor.user.displayName, email: ctx.actor.user.email } : {});
  return ctx.render(
    <QuestionFormPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} themes={themes} startedAt={Date.now()} faqCount={faq.length} {...opts} values={values} />,
    status,
  );
}

const inboxUrl = (ctx: Ctx) => `/t/${ctx.territory.slug}/gestion/questions`;

async function managePage(ctx: Ctx, opts: { errors?: FieldErrors; values?: FormValues; problem?: string } = {}, status = 200) {
  const db = ctx.database.db;
  const q = await loadQuestion(db, ctx.territory.id, ctx.params.id);
  if (!q) return ctx.reply.callNotFound();
  const [staff, history] = await Promise.all([assignableStaff(db, ctx.territory.id), loadHistory(db, ctx.territory.id, "question", [q.row.id])]);
  // A platform admin handling the inbox may take a question too.
  if (ctx.actor.user && !staff.some((s) => s.id === ctx.actor.user!.id)) staff.push({ id: ctx.actor.user.id, name: ctx.actor.user.displayName });
  return ctx.render(<QuestionManagePage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} flash={ctx.flash} q={q} staff={staff} history={history} {...opts} />, status);
}

/** Sorts an inbox command's outcome: redirect with a message, 404, the page with a conflict (409) or errors (422). */
async function afterCommand<T>(ctx: Ctx, r: Outcome<T>, ok: (v: T) => Promise<[string, string]> | [string, string]) {
  if ("notFound" in r) return ctx.reply.callNotFound();
  if ("conflict" in r) return managePage(ctx, { problem: r.conflict, values: formValues(ctx.req.body) }, 409);
  if ("errors" in r) return managePage(ctx, { errors: r.errors, values: formValues(ctx.req.body) }, 422);
  const [anchor, message] = await ok(r.value);
  return ctx.redirect(`${inboxUrl(ctx)}/${ctx.params.id}${anchor}`, message);
}

/** The answer e-mail to whoever asked. */
async function sendAnswer(ctx: Ctx, q: QuestionRow): Promise<boolean> {
  const text = [
    `Bonjour ${q.name},`,
    "",
    `Vous avez écrit au service de développement économique de ${ctx.territory.name} le ${new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "Europe/Paris" }).format(q.createdAt)} :`,
    `« ${q.subject} »`,
    "",
    "Voici notre réponse :",
    "",
    q.answer ?? "",
    "",
    "—",
    `${ctx.territory.name} – Territoires d'industrie`,
    `${ctx.config.baseUrl}/t/${ctx.territory.slug}`,
    "",
  ].join("\n");
  try {
    await ctx.mailer.send({ to: q.email, subject: `Réponse à votre question « ${q.subject} »`, text });
    return true;
  } catch (e) {
    ctx.req.log.error({ err: (e as Error).message }, "question answer mail not sent");
    return false;
  }
}

const stateQuery = z.object({
  etat: z
    .union([z.enum(QUESTION_STATES), z.literal("")], { error: "État inconnu." })
    .optional()
    .transform((v) => v || undefined),
});

/** Routes of the questions: the public form and FAQ, the service's inbox. */
export const questionRoutes: RouteDef[] = [
  defineRoute({
    method: "GET",
    url: "/t/:slug/questions",
    summary: "Formulaire public « Vous avez des questions sur la démarche ? »",
    kind: "form",
    permission: "public",
    params: slugParams,
    handler: (ctx) => formPage(ctx),
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/questions",
    summary: "Envoi d'une question (piège à robots, délai minimal, limites par adresse IP et par adresse électronique)",
    kind: "form",
    permission: "public",
    params: slugParams,
    body: questionForm,
    // Not audited: see createQuestion (test/registry.test.ts lists the reason).
    rateLimit: { max: 5, timeWindow: 10 * 60_000 },
    handler: async (ctx) => {
      const raw = formValues(ctx.req.body);
      // The trap field, invisible to people: whatever fills it is a robot, answered as if all went well.
      const trap = ([] as string[]).concat(raw.site ?? []);
      if (trap.some((v) => v.trim() !== "")) return ctx.redirect(`/t/${ctx.territory.slug}/questions`, THANKS);
      const { site: _site, debut, ...values } = raw;
      const form = parseForm(questionForm, ctx.req.body);
      if (!form.ok) return formPage(ctx, { errors: form.errors, values }, 422);
      const tooFast = fillTimeRefusal(typeof debut === "string" ? debut : undefined);
      if (tooFast) return formPage(ctx, { errors: { envoi: tooFast }, values }, 422);
      if ((await recentQuestionsFrom(ctx.database.db, ctx.territory.id, form.data.email)) >= MAX_PER_EMAIL_PER_HOUR) return formPage(ctx, { problem: TOO_MANY, values }, 429);
      const { consent: _consent, ...input } = form.data;
      const r = await attempt(ctx, (tx) => createQuestion(tx, ctx.territory.id, ctx.actor.user?.id ?? null, input));
      if ("errors" in r) return formPage(ctx, { errors: r.errors, values }, 422);
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect(`/t/${ctx.territory.slug}/questions`, THANKS);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/faq",
    summary: "Foire aux questions : questions reformulées et réponses publiées, sans l'identité des personnes",
    kind: "page",
    permission: "public",
    params: slugParams,
    cache: true,
    handler: async (ctx) => <FaqPage actor={ctx.actor} territory={ctx.territory} entries={await listFaq(ctx.database.db, ctx.territory.id)} />,
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/questions",
    summary: "Questions reçues par le service",
    kind: "page",
    permission: "participation.question.manage",
    params: slugParams,
    query: stateQuery,
    handler: async (ctx) => {
      const all = await listInbox(ctx.database.db, ctx.territory.id);
      const counts = Object.fromEntries(QUESTION_STATES.map((s) => [s, all.filter((q) => q.status === s).length])) as Record<QuestionState, number>;
      const items = ctx.query.etat ? all.filter((q) => q.status === ctx.query.etat) : all;
      return <InboxPage actor={ctx.actor} territory={ctx.territory} items={items} status={ctx.query.etat} counts={counts} flash={ctx.flash} />;
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/questions/:id",
    summary: "Une question reçue : attribution, réponse, publication dans la FAQ",
    kind: "page",
    permission: "participation.question.manage",
    params: idParams,
    handler: (ctx) => managePage(ctx),
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/questions/:id/attribution",
    summary: "Attribution d'une question à un agent",
    kind: "form",
    permission: "participation.question.manage",
    params: idParams,
    body: assignForm,
    audit: "question",
    handler: async (ctx) => {
      const form = parseForm(assignForm, ctx.req.body);
      if (!form.ok) {
        if (!(await loadQuestion(ctx.database.db, ctx.territory.id, ctx.params.id))) return ctx.reply.callNotFound();
        return managePage(ctx, { errors: form.errors, values: form.values }, 422);
      }
      const db = ctx.database.db;
      const staff = await assignableStaff(db, ctx.territory.id);
      if (ctx.actor.user && !staff.some((s) => s.id === ctx.actor.user!.id)) staff.push({ id: ctx.actor.user.id, name: ctx.actor.user.displayName });
      const r = await attempt(ctx, (tx) => assignQuestion(tx, ctx.audit, ctx.territory.id, ctx.params.id, form.data.assigneeId, staff));
      return afterCommand(ctx, r, () => ["#attribution", `Question attribuée à ${staff.find((s) => s.id === form.data.assigneeId)?.name ?? "l'agent choisi"}.`]);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/questions/:id/reponse",
    summary: "Réponse à une question, envoyée par courriel",
    kind: "form",
    permission: "participation.question.manage",
    params: idParams,
    body: answerForm,
    audit: "question",
    handler: async (ctx) => {
      const form = parseForm(answerForm, ctx.req.body);
      if (!form.ok) {
        if (!(await loadQuestion(ctx.database.db, ctx.territory.id, ctx.params.id))) return ctx.reply.callNotFound();
        return managePage(ctx, { errors: form.errors, values: form.values }, 422);
      }
      const r = await attempt(ctx, (tx) => answerQuestion(tx, ctx.audit, ctx.territory.id, ctx.params.id, ctx.actor.user!.id, form.data.answer));
      return afterCommand(ctx, r, async (q) => {
        const sent = await sendAnswer(ctx, q);
        return ["#reponse", sent ? `Réponse envoyée à ${q.email}.` : `Réponse enregistrée, mais le courriel à ${q.email} n'a pas pu partir : écrivez-lui directement.`];
      });
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/questions/:id/faq",
    summary: "Publication d'une question reformulée et de sa réponse dans la FAQ",
    kind: "form",
    permission: "participation.question.manage",
    params: idParams,
    body: faqForm,
    audit: "question",
    handler: async (ctx) => {
      const form = parseForm(faqForm, ctx.req.body);
      if (!form.ok) {
        if (!(await loadQuestion(ctx.database.db, ctx.territory.id, ctx.params.id))) return ctx.reply.callNotFound();
        return managePage(ctx, { errors: form.errors, values: form.values }, 422);
      }
      const r = await attempt(ctx, (tx) => publishInFaq(tx, ctx.audit, ctx.territory.id, ctx.params.id, form.data.faqQuestion));
      return afterCommand(ctx, r, (changed) => ["#faq", changed ? "La question et sa réponse sont publiées dans la FAQ." : "Aucune modification : la FAQ est inchangée."]);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/questions/:id/faq/retrait",
    summary: "Retrait d'une question de la FAQ",
    kind: "form",
    permission: "participation.question.manage",
    params: idParams,
    audit: "question",
    handler: async (ctx) => {
      const r = await attempt(ctx, (tx) => unpublishFromFaq(tx, ctx.audit, ctx.territory.id, ctx.params.id));
      return afterCommand(ctx, r, () => ["#faq", "La question est retirée de la FAQ."]);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/questions/:id/cloture",
    summary: "Clôture d'une question",
    kind: "form",
    permission: "participation.question.manage",
    params: idParams,
    audit: "question",
    handler: async (ctx) => {
      const r = await attempt(ctx, (tx) => closeQuestion(tx, ctx.audit, ctx.territory.id, ctx.params.id));
      return afterCommand(ctx, r, () => ["", "La question est close."]);
    },
  }),
];
