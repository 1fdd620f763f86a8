import { z } from "zod";
import type { Tx } from "../../../core/db/client.ts";
import { defineRoute, type RouteContext, type RouteDef } from "../../../core/http/registry.ts";
import { can } from "../../../core/authz/index.ts";
import { formValues, optionalText, parseForm, textField, type FieldErrors, type FormValues, optionalIdField } from "../../../core/forms/index.ts";
import { definePublicNav } from "../../../core/ui/layout.tsx";
import { defineBackOfficeNav } from "../../../core/ui/backoffice.ts";
import { loadHistory } from "../../audit/api.ts";
import { CRITERION_KEYS, DECISIONS, PROPOSAL_STATES, type Decision } from "./model.ts";
import { ConflictError, FormError, NotFoundError } from "./errors.ts";
import { addComment, createProposal, decideProposal, ensurePreferences, hideComment, nextNumber, saveEvaluation, setProposalHidden, startReview, toggleSupport, unsubscribeProposalEmails, type DecisionOutcome } from "./commands.ts";
import { listProposals, loadProposal, meetingChoices, mergeChoices, objectiveChoices, preferenceByToken, themeChoices } from "./queries.ts";
import { DecisionPage, EvaluationPage, ManageProposalsPage, ProposalFormPage, ProposalListPage, ProposalPage, UnsubscribePage } from "./views.tsx";
import "./policy.ts";

definePublicNav({ label: "Propositions", path: "/propositions", order: 45 });
defineBackOfficeNav({ label: "Propositions", path: "/propositions", permission: "participation.proposal.manage", order: 60 });

// ---------------------------------------------------------------------------------------------
// Form schemas: shape and French messages; rules needing the database live in the commands.

const BUDGET_MESSAGE = "Le budget est un nombre entier d'euros, de 0 à 100 000 000, par exemple 15000.";

export const proposalForm = z.object({
  title: textField("le titre de la proposition", { max: 200 }),
  themeId: optionalIdField("Choisissez une thématique du plan dans la liste."),
  problem: textField("le problème constaté", { max: 5000 }),
  proposedAction: textField("l'action proposée", { max: 5000 }),
  expectedPartners: optionalText("la liste des partenaires pressentis", { max: 2000 }),
  roughBudgetEuros: z
    .string({ error: BUDGET_MESSAGE })
    .optional()
    .transform((v) => (v ?? "").replace(/[\s\u00a0\u202f]|€|euros?/gi, ""))
    .pipe(z.string().regex(/^\d{0,9}$/, { error: BUDGET_MESSAGE }))
    .transform((v) => (v === "" ? null : Number(v)))
    .refine((n) => n === null || n <= 100_000_000, { error: BUDGET_MESSAGE }),
});

export const commentForm = z.object({ body: textField("votre commentaire", { max: 3000 }) });

const SCORE_MESSAGE = "La note est un nombre entier de 0 à 20.";
export const evaluationForm = z.object({
  criteria: z
    .array(z.enum(CRITERION_KEYS, { error: "Choisissez les critères dans la liste." }))
    .max(CRITERION_KEYS.length)
    .optional()
    .transform((v) => [...new Set(v ?? [])].sort((a, b) => CRITERION_KEYS.indexOf(a) - CRITERION_KEYS.indexOf(b))),
  score: z
    .string({ error: "Indiquez la note sur 20." })
    .trim()
    .min(1, { error: "Indiquez la note sur 20." })
    .regex(/^\d{1,2}$/, { error: SCORE_MESSAGE })
    .transform(Number)
    .refine((n) => n <= 20, { error: SCORE_MESSAGE }),
  answer: optionalText("la réponse", { max: 5000 }),
});

export const decisionForm = z.object({
  decision: z.enum(DECISIONS, { error: "Choisissez la décision du comité." }),
  objectiveId: optionalIdField("Choisissez l'objectif du plan sous lequel l'action est ajoutée."),
  mergedIntoId: optionalIdField("Choisissez la proposition avec laquelle la regrouper, parmi celles du territoire."),
  meetingId: optionalIdField("Choisissez la séance dans la liste, ou aucune pour une procédure écrite."),
  answer: textField("la réponse envoyée à l'auteur", { max: 5000 }),
});

// ---------------------------------------------------------------------------------------------

const slugParams = z.object({ slug: z.string() });
const idParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647) });
const commentParams = idParams.extend({ commentId: z.coerce.number().int().positive().max(2147483647) });
const tokenParams = z.object({ slug: z.string(), token: z.string().regex(/^[A-Za-z0-9_-]{20,64}$/) });
const stateQuery = z.object({
  etat: z
    .union([z.enum(PROPOSAL_STATES), z.literal("")], { error: "État inconnu." })
    .optional()
    .transform((v) => v || undefined),
});

type Ctx = RouteContext<any, any>;
type Outcome<T> = { value: T } | { errors: FieldErrors } | { notFound: true } | { conflict: string };

/** Runs a command in one transaction and sorts its failures: bad input, absent record, conflict. */
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

const scope = (ctx: Ctx) => ({ territoryId: ctx.territory.id });
const listUrl = (ctx: Ctx) => `/t/${ctx.territory.slug}/propositions`;
const pageUrl = (ctx: Ctx, id: number) => `${listUrl(ctx)}/${id}`;

/** A proposal's page (with a conflict message, or a comment form in error); undefined when not in this territory. */
async function proposalElement(ctx: Ctx, id: number, extra: { problem?: string; commentErrors?: FieldErrors; commentValues?: FormValues } = {}) {
  const detail = await loadProposal(ctx.database.db, ctx.territory.id, id, ctx.actor.user?.id);
  const s = scope(ctx);
  const staff = can(ctx.actor, "participation.proposal.manage", s);
  // A proposal hidden by the staff exists for them only.
  if (!detail || (detail.row.visibility !== "published" && !staff)) return undefined;
  return (
    <ProposalPage
      actor={ctx.actor}
      territory={ctx.territory}
      // Anonymous visitors get no form (and the page stays cacheable without a CSRF cookie).
      csrfToken={ctx.actor.user ? ctx.csrfToken() : ""}
      detail={detail}
      participant={can(ctx.actor, "participation.proposal.participate", s)}
      canEvaluate={can(ctx.actor, "participation.proposal.evaluate", s)}
      canDecide={can(ctx.actor, "participation.proposal.decide", s)}
      canModerate={can(ctx.actor, "participation.comment.moderate", s)}
      staff={staff}
      history={staff ? await loadHistory(ctx.database.db, ctx.territory.id, "proposal", [id]) : undefined}
      {...extra}
    />
  );
}

async function renderProposal(ctx: Ctx, id: number, extra: { problem?: string; commentErrors?: FieldErrors; commentValues?: FormValues }, status: number) {
  const page = await proposalElement(ctx, id, extra);
  return page ? ctx.render(page, status) : ctx.reply.callNotFound();
}

/** Sorts a one-button command's outcome: redirect with a message, 404, or the page with the conflict (409). */
async function answer<T>(ctx: Ctx, id: number, r: Outcome<T>, ok: (v: T) => [string, string]) {
  if ("notFound" in r) return ctx.reply.callNotFound();
  if ("conflict" in r) return renderProposal(ctx, id, { problem: r.conflict }, 409);
  if ("errors" in r) return renderProposal(ctx, id, { problem: Object.values(r.errors)[0] }, 422);
  const [to, message] = ok(r.value);
  return ctx.redirect(to, message);
}

async function evaluationPage(ctx: Ctx, errors?: FieldErrors, values?: FormValues, problem?: string, status = 200) {
  const detail = await loadProposal(ctx.database.db, ctx.territory.id, ctx.params.id);
  if (!detail || detail.row.visibility !== "published") return ctx.reply.callNotFound();
  const r = detail.row;
  const v = values ?? { criteria: r.criteria, score: r.score == null ? "" : String(r.score), answer: r.answer ?? "" };
  return ctx.render(<EvaluationPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} detail={detail} errors={errors} values={v} problem={problem} />, status);
}

async function decisionPage(ctx: Ctx, errors?: FieldErrors, values?: FormValues, problem?: string, status = 200) {
  const db = ctx.database.db;
  const detail = await loadProposal(db, ctx.territory.id, ctx.params.id);
  if (!detail || detail.row.visibility !== "published") return ctx.reply.callNotFound();
  const r = detail.row;
  const [objectives, merges, next, meetings] = await Promise.all([
    objectiveChoices(db, ctx.territory.id),
    mergeChoices(db, ctx.territory.id, r.id),
    nextNumber(db, ctx.territory.id),
    meetingChoices(db, ctx.territory.id),
  ]);
  // The objective preselected: the first of the proposal's theme.
  const guess = objectives.find((o) => o.themeId === r.themeId);
  const v = values ?? { answer: r.answer ?? "", objectiveId: guess ? String(guess.id) : "" };
  return ctx.render(
    <DecisionPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} detail={detail} objectives={objectives} meetings={meetings} mergeChoices={merges} nextActionNumber={next} errors={errors} values={v} problem={problem} />,
    status,
  );
}

const DECIDED: Record<Decision, string> = { accepted: "acceptée", rejected: "non retenue", merged: "regroupée avec une autre proposition" };

/** The answer e-mail to the author, unless they turned these e-mails off; each carries its unsubscribe link. */
async function sendAnswer(ctx: Ctx, outcome: DecisionOutcome, to: { email: string; name: string; proposalEmails: boolean; token: string }): Promise<boolean> {
  if (!to.proposalEmails) return false;
  const p = outcome.proposal;
  const url = `${ctx.config.baseUrl}${pageUrl(ctx, p.id)}`;
  const lines = [
    `Bonjour ${to.name},`,
    "",
    `Le comité de pilotage de ${ctx.territory.name} a examiné votre proposition n° ${p.id} « ${p.title} » : elle est ${DECIDED[p.status as Decision]}.`,
    "",
    "Sa réponse :",
    "",
    p.answer ?? "",
    "",
  ];
  if (outcome.actionNumber) lines.push(`Elle devient l'action n° ${outcome.actionNumber} du plan d'actions (en préparation), par la décision n° ${outcome.decisionNumber}.`, "");
  lines.push(`Voir la proposition : ${url}`, "", "—", `Vous recevez ce courriel parce que vous avez déposé cette proposition. Pour ne plus recevoir de courriels sur vos propositions : ${ctx.config.baseUrl}${listUrl(ctx)}/desabonnement/${to.token}`);
  try {
    await ctx.mailer.send({ to: to.email, subject: `Votre proposition « ${p.title} » : réponse du comité`, text: `${lines.join("\n")}\n` });
    return true;
  } catch (e) {
    ctx.req.log.error({ err: (e as Error).message }, "proposal answer mail not sent");
    return false;
  }
}

/** Routes of proposals of actions: public list and pages, participation, evaluation, decision. */
export const proposalRoutes: RouteDef[] = [
  defineRoute({
    method: "GET",
    url: "/t/:slug/propositions",
    summary: "Propositions d'actions des participants (sans le nom de leurs auteurs pour le public)",
    kind: "page",
    permission: "public",
    params: slugParams,
    query: stateQuery,
    cache: true,
    handler: async (ctx) => {
      const items = await listProposals(ctx.database.db, ctx.territory.id, { status: ctx.query.etat });
      const s = scope(ctx);
      return (
        <ProposalListPage
          actor={ctx.actor}
          territory={ctx.territory}
          items={items}
          status={ctx.query.etat}
          canPropose={can(ctx.actor, "participation.proposal.create", s)}
          canManage={can(ctx.actor, "participation.proposal.manage", s)}
        />
      );
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/propositions/nouvelle",
    summary: "Formulaire pour proposer une action",
    kind: "form",
    permission: "participation.proposal.create",
    params: slugParams,
    handler: async (ctx) => <ProposalFormPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} themes={await themeChoices(ctx.database.db, ctx.territory.id)} values={{}} />,
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/propositions/nouvelle",
    summary: "Dépôt d'une proposition d'action",
    kind: "form",
    permission: "participation.proposal.create",
    params: slugParams,
    body: proposalForm,
    audit: "proposal",
    handler: async (ctx) => {
      const fail = async (errors: FieldErrors, values: FormValues) =>
        ctx.render(<ProposalFormPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} themes={await themeChoices(ctx.database.db, ctx.territory.id)} errors={errors} values={values} />, 422);
      const form = parseForm(proposalForm, ctx.req.body);
      if (!form.ok) return fail(form.errors, form.values);
      const r = await attempt(ctx, (tx) => createProposal(tx, ctx.audit, ctx.territory.id, ctx.actor.user!.id, form.data));
      if ("errors" in r) return fail(r.errors, formValues(ctx.req.body));
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect(pageUrl(ctx, r.value.id), `Votre proposition n° ${r.value.id} est déposée. Le comité de pilotage l'examinera et vous répondra par courriel.`);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/propositions/:id",
    summary: "Page d'une proposition : contenu, soutiens, suite donnée, commentaires",
    kind: "page",
    permission: "public",
    params: idParams,
    cache: true,
    handler: async (ctx) => (await proposalElement(ctx, ctx.params.id)) ?? ctx.reply.callNotFound(),
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/propositions/:id/soutien",
    summary: "Soutenir une proposition, ou retirer son soutien",
    kind: "form",
    permission: "participation.proposal.participate",
    params: idParams,
    audit: "proposal_support",
    handler: async (ctx) => {
      const r = await attempt(ctx, (tx) => toggleSupport(tx, ctx.audit, ctx.territory.id, ctx.params.id, ctx.actor.user!.id));
      return answer(ctx, ctx.params.id, r, (on) => [`${pageUrl(ctx, ctx.params.id)}#soutiens`, on ? "Votre soutien est enregistré." : "Votre soutien est retiré."]);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/propositions/:id/commentaires",
    summary: "Commenter une proposition",
    kind: "form",
    permission: "participation.proposal.participate",
    params: idParams,
    body: commentForm,
    audit: "proposal_comment",
    handler: async (ctx) => {
      const form = parseForm(commentForm, ctx.req.body);
      if (!form.ok) return renderProposal(ctx, ctx.params.id, { commentErrors: form.errors, commentValues: form.values }, 422);
      const r = await attempt(ctx, (tx) => addComment(tx, ctx.audit, ctx.territory.id, ctx.params.id, ctx.actor.user!.id, form.data.body));
      return answer(ctx, ctx.params.id, r, (id) => [`${pageUrl(ctx, ctx.params.id)}#commentaire-${id}`, "Votre commentaire est publié."]);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/propositions/:id/commentaires/:commentId/masquer",
    summary: "Masquer un commentaire (modération, inscrite au journal)",
    kind: "form",
    permission: "participation.comment.moderate",
    params: commentParams,
    audit: "proposal_comment",
    handler: async (ctx) => {
      const r = await attempt(ctx, (tx) => hideComment(tx, ctx.audit, ctx.territory.id, ctx.params.id, ctx.params.commentId));
      return answer(ctx, ctx.params.id, r, () => [`${pageUrl(ctx, ctx.params.id)}#commentaire-${ctx.params.commentId}`, "Le commentaire est masqué."]);
    },
  }),
  ...[true, false].map((hidden) =>
    defineRoute({
      method: "POST",
      url: `/t/:slug/propositions/:id/${hidden ? "masquer" : "publier"}`,
      summary: hidden ? "Masquer une proposition au public et aux participants (modération)" : "Publier de nouveau une proposition masquée",
      kind: "form",
      permission: "participation.proposal.manage",
      params: idParams,
      audit: "proposal",
      handler: async (ctx) => {
        const r = await attempt(ctx, (tx) => setProposalHidden(tx, ctx.audit, ctx.territory.id, ctx.params.id, hidden));
        return answer(ctx, ctx.params.id, r, () => [pageUrl(ctx, ctx.params.id), hidden ? "La proposition est masquée : seuls les agents la voient." : "La proposition est de nouveau publiée."]);
      },
    }),
  ),
  defineRoute({
    method: "POST",
    url: "/t/:slug/propositions/:id/examen",
    summary: "Mettre une proposition à l'examen",
    kind: "form",
    permission: "participation.proposal.evaluate",
    params: idParams,
    audit: "proposal",
    handler: async (ctx) => {
      const r = await attempt(ctx, (tx) => startReview(tx, ctx.audit, ctx.territory.id, ctx.params.id));
      return answer(ctx, ctx.params.id, r, () => [`${pageUrl(ctx, ctx.params.id)}#suite-donnee`, "La proposition est à l'examen."]);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/propositions/:id/evaluation",
    summary: "Formulaire d'évaluation d'une proposition (critères, note, réponse)",
    kind: "form",
    permission: "participation.proposal.evaluate",
    params: idParams,
    handler: (ctx) => evaluationPage(ctx),
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/propositions/:id/evaluation",
    summary: "Évaluation d'une proposition",
    kind: "form",
    permission: "participation.proposal.evaluate",
    params: idParams,
    body: evaluationForm,
    audit: "proposal",
    handler: async (ctx) => {
      const form = parseForm(evaluationForm, ctx.req.body);
      if (!form.ok) return evaluationPage(ctx, form.errors, form.values, undefined, 422);
      const r = await attempt(ctx, (tx) => saveEvaluation(tx, ctx.audit, ctx.territory.id, ctx.params.id, ctx.actor.user!.id, form.data));
      if ("notFound" in r) return ctx.reply.callNotFound();
      if ("conflict" in r) return evaluationPage(ctx, undefined, formValues(ctx.req.body), r.conflict, 409);
      if (!("value" in r)) return evaluationPage(ctx, r.errors, formValues(ctx.req.body), undefined, 422);
      return ctx.redirect(`${pageUrl(ctx, ctx.params.id)}#suite-donnee`, r.value ? `Évaluation enregistrée : ${form.data.score} / 20.` : "Aucune modification : l'évaluation est inchangée.");
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/propositions/:id/decision",
    summary: "Formulaire de décision sur une proposition",
    kind: "form",
    permission: "participation.proposal.decide",
    params: idParams,
    handler: (ctx) => decisionPage(ctx),
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/propositions/:id/decision",
    summary: "Décision sur une proposition : acceptée (action en brouillon, décision et avenant), non retenue ou regroupée",
    kind: "form",
    permission: "participation.proposal.decide",
    params: idParams,
    body: decisionForm,
    audit: "proposal",
    handler: async (ctx) => {
      const form = parseForm(decisionForm, ctx.req.body);
      if (!form.ok) return decisionPage(ctx, form.errors, form.values, undefined, 422);
      const d = form.data;
      const r = await attempt(ctx, async (tx) => {
        const outcome = await decideProposal(tx, ctx.audit, ctx.territory.id, ctx.params.id, ctx.actor.user!.id, d);
        const prefs = await ensurePreferences(tx, ctx.territory.id, outcome.proposal.authorId);
        return { outcome, prefs };
      });
      if ("notFound" in r) return ctx.reply.callNotFound();
      if ("conflict" in r) return decisionPage(ctx, undefined, formValues(ctx.req.body), r.conflict, 409);
      if (!("value" in r)) return decisionPage(ctx, r.errors, formValues(ctx.req.body), undefined, 422);
      const { outcome, prefs } = r.value;
      const detail = await loadProposal(ctx.database.db, ctx.territory.id, ctx.params.id);
      const sent = detail ? await sendAnswer(ctx, outcome, { email: detail.authorEmail, name: detail.authorName, proposalEmails: prefs.proposalEmails, token: prefs.unsubscribeToken }) : false;
      const what =
        d.decision === "accepted"
          ? `Proposition acceptée : l'action n° ${outcome.actionNumber} est créée en brouillon par la décision n° ${outcome.decisionNumber} et l'avenant qui l'ajoute au plan.`
          : `Proposition ${DECIDED[d.decision]}.`;
      return ctx.redirect(`${pageUrl(ctx, ctx.params.id)}#suite-donnee`, `${what} ${sent ? "La réponse a été envoyée à son auteur par courriel." : "Son auteur ne reçoit pas de courriel (désabonné ou envoi impossible) : la réponse est sur la page."}`);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/propositions",
    summary: "Gestion des propositions d'actions",
    kind: "page",
    permission: "participation.proposal.manage",
    params: slugParams,
    query: stateQuery,
    handler: async (ctx) => (
      <ManageProposalsPage actor={ctx.actor} territory={ctx.territory} items={await listProposals(ctx.database.db, ctx.territory.id, { withHidden: true })} status={ctx.query.etat} flash={ctx.flash} />
    ),
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/propositions/desabonnement/:token",
    summary: "Se désabonner des courriels sur ses propositions (lien des courriels)",
    kind: "form",
    permission: "public",
    params: tokenParams,
    handler: async (ctx) => {
      const pref = await preferenceByToken(ctx.database.db, ctx.territory.id, ctx.params.token);
      if (!pref) return ctx.reply.callNotFound();
      ctx.reply.header("referrer-policy", "no-referrer");
      return <UnsubscribePage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} token={ctx.params.token} already={!pref.proposalEmails} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/propositions/desabonnement/:token",
    summary: "Désabonnement des courriels sur ses propositions",
    kind: "form",
    permission: "public",
    params: tokenParams,
    audit: "notification_preferences",
    handler: async (ctx) => {
      const r = await attempt(ctx, (tx) => unsubscribeProposalEmails(tx, ctx.audit, ctx.territory.id, ctx.params.token));
      if (!("value" in r)) return ctx.reply.callNotFound();
      ctx.reply.header("referrer-policy", "no-referrer");
      return <UnsubscribePage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} token={ctx.params.token} done={r.value} already={!r.value} />;
    },
  }),
];

