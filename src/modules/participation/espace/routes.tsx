// Mon espace (a participant's page), "Je souhaite participer", and the one-click unsubscribe.
import { z } from "zod";
import { defineRoute } from "../../../core/http/registry.ts";
import { can } from "../../../core/authz/index.ts";
import { checkbox, choiceField, formValues, optionalText, parseForm, type FieldErrors, type FormValues } from "../../../core/forms/index.ts";
import { isValidSiret } from "../../../core/formats/identifiers.ts";
import { attempt, FormError, type Ctx } from "../workshops/errors.ts";
import { FORMATS, FREQUENCIES } from "../workshops/model.ts";
import { interestsOf, registrationsOfCompany, registrationsOfUser, themeOptions, waitlistPosition } from "../workshops/queries.ts";
import { ensurePreferences, preferencesByToken, savePreferences, unsubscribe } from "../notifications/preferences.ts";
import { companyLinkOf, linkBySiretClaim, requestCompanyLink } from "./company.ts";
import { saveInterests } from "./interests.ts";
import { membershipsOf, proposalsOf, questionsOf } from "./queries.ts";
import { EspacePage, InterestPage, UnsubscribePage, type EspaceData } from "./views.tsx";
import "../policy.ts";

const slugParams = z.object({ slug: z.string() });
const tokenParams = z.object({ slug: z.string(), token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

const preferencesForm = z.object({ workshopEmails: checkbox, proposalEmails: checkbox, monthlyDigest: checkbox });
const companyForm = z.object({
  siret: z
    .string({ error: "Indiquez le numéro SIRET de votre établissement." })
    .transform((v) => v.replace(/[\s.\u00a0-]/g, ""))
    .refine((v) => v.length > 0, { error: "Indiquez le numéro SIRET de votre établissement." })
    .refine((v) => /^\d{14}$/.test(v), { error: "Le numéro SIRET compte 14 chiffres, par exemple 123 456 789 00012." })
    .refine((v) => isValidSiret(v), { error: "Ce numéro SIRET n'existe pas : un chiffre est sans doute erroné. Vérifiez-le sur votre extrait Kbis." }),
});
const dayField = z.coerce.number({ error: "Choisissez des jours de la liste." }).int().min(1, { error: "Choisissez des jours de la liste." }).max(5, { error: "Choisissez des jours de la liste." });
const interestForm = z.object({
  themeIds: z.array(z.coerce.number({ error: "Choisissez des thématiques du territoire dans la liste." }).int().positive().max(2147483647)).optional().default([]),
  days: z.array(dayField).optional().default([]),
  frequency: z
    .union([z.literal(""), choiceField(FREQUENCIES, "Choisissez une fréquence dans la liste.")], { error: "Choisissez une fréquence dans la liste." })
    .optional()
    .transform((v) => v || null),
  format: z
    .union([z.literal(""), choiceField(FORMATS, "Choisissez un format dans la liste.")], { error: "Choisissez un format dans la liste." })
    .optional()
    .transform((v) => v || null),
  comment: optionalText("les précisions", { max: 1000 }),
});

async function loadEspace(ctx: Ctx): Promise<EspaceData> {
  const db = ctx.database.db;
  const t = ctx.territory.id;
  const user = ctx.actor.user!;
  const member = can(ctx.actor, "participation.workshop.register", { territoryId: t });
  // A SIRET claim that names a company of the territory links the account at once.
  if (member) await db.transaction((tx) => linkBySiretClaim(tx, ctx.audit, t, user.id));
  const [company, mships, regs, proposals, questions, interests, prefs] = await Promise.all([
    companyLinkOf(db, t, user.id),
    membershipsOf(db, t, user.id),
    registrationsOfUser(db, t, user.id),
    proposalsOf(db, t, user.id),
    questionsOf(db, t, user),
    interestsOf(db, t, user.id),
    ensurePreferences(db, t, user.id),
  ]);
  const registrations = [];
  for (const r of regs) {
    registrations.push({
      id: r.registration.id,
      status: r.registration.status,
      position: r.registration.status === "waitlisted" ? await waitlistPosition(db, r.workshop.id, r.registration.id) : undefined,
      workshop: r.workshop,
    });
  }
  return {
    company,
    member,
    pending: !member && mships.some((m) => m.status === "pending"),
    industrialist: mships.some((m) => m.role === "industrialist"),
    registrations,
    companyRegistrations: company?.status === "confirmed" ? await registrationsOfCompany(db, t, company.id, user.id) : [],
    proposals,
    questions,
    interests,
    preferences: prefs,
  };
}

async function renderEspace(ctx: Ctx, state: { errors?: FieldErrors; values?: FormValues } = {}, status = 200) {
  return ctx.render(<EspacePage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} flash={ctx.flash} data={await loadEspace(ctx)} {...state} />, status);
}

async function renderInterests(ctx: Ctx, state: { errors?: FieldErrors; values?: FormValues } = {}, status = 200) {
  const db = ctx.database.db;
  const themes = await themeOptions(db, ctx.territory.id);
  let values = state.values;
  if (!values) {
    const mine = await interestsOf(db, ctx.territory.id, ctx.actor.user!.id);
    const first = mine[0];
    values = {
      themeIds: mine.map((m) => String(m.themeId)),
      days: (first?.days ?? []).map(String),
      frequency: first?.frequency ?? "",
      format: first?.format ?? "",
      comment: first?.comment ?? "",
    };
  }
  return ctx.render(<InterestPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} themes={themes} values={values} errors={state.errors} />, status);
}

export const espaceRoutes = [
  defineRoute({
    method: "GET",
    url: "/t/:slug/mon-espace",
    summary: "Mon espace : mon entreprise, mes inscriptions, propositions, questions et préférences de courriel",
    kind: "page",
    permission: "signed_in",
    params: slugParams,
    handler: (ctx) => renderEspace(ctx),
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/mon-espace/preferences",
    summary: "Enregistrer mes préférences de courriel",
    kind: "form",
    permission: "signed_in",
    params: slugParams,
    body: preferencesForm,
    audit: "notification_preference",
    handler: async (ctx) => {
      const form = parseForm(preferencesForm, ctx.req.body);
      if (!form.ok) return renderEspace(ctx, form, 422);
      const r = await attempt(ctx, (tx) => savePreferences(tx, ctx.audit, ctx.territory.id, ctx.actor.user!.id, form.data));
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect(`/t/${ctx.territory.slug}/mon-espace#preferences`, r.value ? "Vos préférences sont enregistrées." : "Rien n'a changé.");
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/mon-espace/entreprise",
    summary: "Demander le rattachement de mon compte à mon entreprise (confirmé par un agent)",
    kind: "form",
    permission: "participation.interest.declare",
    params: slugParams,
    body: companyForm,
    audit: "company_user",
    handler: async (ctx) => {
      const form = parseForm(companyForm, ctx.req.body);
      if (!form.ok) return renderEspace(ctx, form, 422);
      const r = await attempt(ctx, async (tx) => {
        const done = await requestCompanyLink(tx, ctx.audit, ctx.territory.id, ctx.actor.user!.id, form.data.siret);
        if (!done) throw new FormError({ siret: "Aucune entreprise connue du territoire n'a ce SIRET. Vérifiez-le, ou écrivez à l'équipe du territoire (page Contact)." });
        return done;
      });
      if ("errors" in r) return renderEspace(ctx, { errors: r.errors, values: formValues(ctx.req.body) }, 422);
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect(
        `/t/${ctx.territory.slug}/mon-espace#entreprise`,
        r.value.link.status === "confirmed" ? `Votre compte est rattaché à ${r.value.company.name}.` : `Votre demande de rattachement à ${r.value.company.name} est envoyée à l'équipe du territoire.`,
      );
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/participer",
    summary: "Je souhaite participer : thématiques et disponibilités (formulaire)",
    kind: "form",
    permission: "participation.interest.declare",
    params: slugParams,
    handler: (ctx) => renderInterests(ctx),
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/participer",
    summary: "Je souhaite participer : enregistrer mes thématiques et disponibilités",
    kind: "form",
    permission: "participation.interest.declare",
    params: slugParams,
    body: interestForm,
    audit: "interest",
    handler: async (ctx) => {
      const form = parseForm(interestForm, ctx.req.body);
      if (!form.ok) return renderInterests(ctx, form, 422);
      const r = await attempt(ctx, (tx) => saveInterests(tx, ctx.audit, ctx.territory.id, ctx.actor.user!.id, form.data));
      if ("errors" in r) return renderInterests(ctx, { errors: r.errors, values: formValues(ctx.req.body) }, 422);
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect(
        `/t/${ctx.territory.slug}/mon-espace#souhaits`,
        form.data.themeIds.length ? "C'est noté : l'équipe du territoire vous invitera aux ateliers de ces thématiques." : "C'est noté : vous ne serez plus invité aux ateliers.",
      );
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/desabonnement/:token",
    summary: "Se désabonner des courriels de participation (lien des courriels, sans connexion)",
    kind: "form",
    permission: "public",
    params: tokenParams,
    handler: async (ctx) => {
      const prefs = await preferencesByToken(ctx.database.db, ctx.territory.id, ctx.params.token);
      if (!prefs) return ctx.reply.callNotFound();
      ctx.reply.header("referrer-policy", "no-referrer");
      const already = !prefs.workshopEmails && !prefs.proposalEmails && !prefs.monthlyDigest;
      return <UnsubscribePage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} token={ctx.params.token} already={already} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/desabonnement/:token",
    summary: "Désabonnement des courriels de participation",
    kind: "form",
    permission: "public",
    params: tokenParams,
    audit: "notification_preference",
    handler: async (ctx) => {
      const r = await attempt(ctx, (tx) => unsubscribe(tx, ctx.audit, ctx.territory.id, ctx.params.token));
      if (!("value" in r) || !r.value) return ctx.reply.callNotFound();
      ctx.reply.header("referrer-policy", "no-referrer");
      return <UnsubscribePage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} token={ctx.params.token} done />;
    },
  }),
];
