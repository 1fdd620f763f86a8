import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { defineRoute } from "../../../core/http/registry.ts";
import { choiceField, parseForm, formValues, type FieldErrors, type FormValues, optionalIdField } from "../../../core/forms/index.ts";
import { emailSchema } from "../../accounts/api.ts";
import { territoryAuthorities } from "../../territories/api.ts";
import { ROLES } from "../model.ts";
import { listInvitations, listMembers } from "../queries/members.ts";
import { cancelInvitation, createInvitation, renewInvitation } from "../commands/invitations.ts";
import { decidePending, removeMembership, updateMembership } from "../commands/memberships.ts";
import { MembersPage } from "./members-views.tsx";
import { attempt, sendInvitationMail, sentMessage, type Ctx } from "./shared.ts";
import "../policy.ts";

const slugParams = z.object({ slug: z.string() });
const idParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647) });
const invitationParams = z.object({ slug: z.string(), id: z.string().regex(/^[0-9a-f]{16}$/) });

const roleField = choiceField(ROLES, "Choisissez un rôle dans la liste.");
/** An optional id from a select: empty means none. */
export const inviteForm = z.object({
  email: emailSchema,
  role: roleField,
  authorityId: optionalIdField("Choisissez une intercommunalité du territoire dans la liste."),
});

const base = (ctx: Ctx) => `/t/${ctx.territory.slug}/gestion/membres`;

async function renderPage(ctx: Ctx, state: { errors?: FieldErrors; values?: FormValues } = {}, status = 200) {
  const db = ctx.database.db;
  const [members, invitations, authorities] = await Promise.all([
    listMembers(db, ctx.territory.id),
    listInvitations(db, { territoryId: ctx.territory.id }),
    db.select({ id: territoryAuthorities.id, name: territoryAuthorities.name }).from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, ctx.territory.id)).orderBy(asc(territoryAuthorities.position)),
  ]);
  return ctx.render(
    <MembersPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} flash={ctx.flash} members={members} invitations={invitations} authorities={authorities} {...state} />,
    status,
  );
}

/** Members of a territory: roles, limits of agents, pending registrations, invitations. */
export const membersRoutes = [
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/membres",
    summary: "Membres du territoire, inscriptions en attente et invitations",
    kind: "page",
    permission: "members.member.read",
    params: slugParams,
    handler: (ctx) => renderPage(ctx),
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/membres/:id/modifier",
    summary: "Changer le rôle d'un membre ou l'intercommunalité d'un agent",
    kind: "form",
    permission: "members.member.manage",
    params: idParams,
    audit: "membership",
    handler: async (ctx) => {
      const id = ctx.params.id;
      const schema = z.object({ [`role-${id}`]: roleField, [`authority-${id}`]: optionalIdField("Choisissez une intercommunalité du territoire dans la liste.") });
      const form = parseForm(schema, ctx.req.body);
      if (!form.ok) return renderPage(ctx, form, 422);
      const data = form.data as Record<string, unknown>;
      const r = await attempt(ctx, (tx) =>
        updateMembership(tx, ctx.audit, ctx.territory.id, id, { role: data[`role-${id}`] as (typeof ROLES)[number], authorityId: data[`authority-${id}`] as number | null }),
      );
      if ("notFound" in r) return ctx.reply.callNotFound();
      if ("errors" in r) return renderPage(ctx, { errors: r.errors, values: formValues(ctx.req.body) }, 422);
      return ctx.redirect(`${base(ctx)}#membre-${id}`, r.value.changed ? "Le rôle est enregistré." : "Rien n'a changé.");
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/membres/:id/retirer",
    summary: "Retirer un rôle à un membre",
    kind: "form",
    permission: "members.member.manage",
    params: idParams,
    audit: "membership",
    handler: async (ctx) => {
      const r = await attempt(ctx, (tx) => removeMembership(tx, ctx.audit, ctx.territory.id, ctx.params.id));
      if ("notFound" in r) return ctx.reply.callNotFound();
      if ("errors" in r) return renderPage(ctx, { errors: r.errors }, 422);
      return ctx.redirect(base(ctx), "Le rôle est retiré.");
    },
  }),
  ...([true, false] as const).map((accept) =>
    defineRoute({
      method: "POST",
      url: `/t/:slug/gestion/membres/:id/${accept ? "confirmer" : "refuser"}`,
      summary: accept ? "Confirmer l'inscription d'un industriel" : "Refuser l'inscription d'un industriel",
      kind: "form",
      permission: "members.pending.confirm",
      params: idParams,
      audit: "membership",
      handler: async (ctx) => {
        const r = await attempt(ctx, (tx) => decidePending(tx, ctx.audit, ctx.territory.id, ctx.params.id, accept));
        if (!("value" in r)) return ctx.reply.callNotFound();
        return ctx.redirect(base(ctx), accept ? "L'inscription est confirmée." : "L'inscription est refusée.");
      },
    }),
  ),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/membres/invitations",
    summary: "Inviter une personne dans le territoire avec un rôle",
    kind: "form",
    permission: "members.member.manage",
    params: slugParams,
    body: inviteForm,
    audit: "invitation",
    handler: async (ctx) => {
      const form = parseForm(inviteForm, ctx.req.body);
      if (!form.ok) return renderPage(ctx, form, 422);
      const { email, role, authorityId } = form.data;
      const r = await attempt(ctx, async (tx) => {
        if (role === "agent" && authorityId !== null) {
          const [a] = await tx.select({ t: territoryAuthorities.territoryId }).from(territoryAuthorities).where(eq(territoryAuthorities.id, authorityId));
          if (a?.t !== ctx.territory.id) return { errors: { authorityId: "Choisissez une intercommunalité du territoire dans la liste." } };
        }
        return createInvitation(tx, ctx.audit, { email, role, territoryId: ctx.territory.id, authorityId: role === "agent" ? authorityId : null });
      });
      if ("notFound" in r) return ctx.reply.callNotFound();
      if ("errors" in r) return renderPage(ctx, { errors: r.errors, values: form.data as never }, 422);
      if ("errors" in r.value) return renderPage(ctx, { errors: r.value.errors, values: formValues(ctx.req.body) }, 422);
      const sent = await sendInvitationMail(ctx, r.value.token, r.value.payload, ctx.territory.name);
      return ctx.redirect(`${base(ctx)}#invitations`, sentMessage(email, sent));
    },
  }),
  ...(["renvoyer", "annuler"] as const).map((verb) =>
    defineRoute({
      method: "POST",
      url: `/t/:slug/gestion/membres/invitations/:id/${verb}`,
      summary: verb === "renvoyer" ? "Renvoyer une invitation (nouveau lien)" : "Annuler une invitation",
      kind: "form",
      permission: "members.member.manage",
      params: invitationParams,
      audit: "invitation",
      handler: async (ctx) => {
        const scope = { territoryId: ctx.territory.id };
        if (verb === "annuler") {
          const r = await attempt(ctx, (tx) => cancelInvitation(tx, ctx.audit, ctx.params.id, scope));
          if (!("value" in r)) return ctx.reply.callNotFound();
          return ctx.redirect(`${base(ctx)}#invitations`, `L'invitation de ${r.value.email} est annulée : son lien ne fonctionne plus.`);
        }
        const r = await attempt(ctx, (tx) => renewInvitation(tx, ctx.audit, ctx.params.id, scope));
        if (!("value" in r)) return ctx.reply.callNotFound();
        const sent = await sendInvitationMail(ctx, r.value.token, r.value.payload, ctx.territory.name);
        return ctx.redirect(`${base(ctx)}#invitations`, sentMessage(r.value.payload.email, sent));
      },
    }),
  ),
];
