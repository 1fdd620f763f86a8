import { z } from "zod";
import { defineRoute } from "../../../core/http/registry.ts";
import { idField, parseForm, textField, type FieldErrors, type FormValues } from "../../../core/forms/index.ts";
import type { Actor } from "../../../core/authz/index.ts";
import { ActionButton, EmptyState, ErrorSummary, fieldId, Form, TextField } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { formatDate } from "../../../core/i18n/format.ts";
import { emailSchema } from "../../accounts/api.ts";
import { grantChoices, listFunderGrants, listInvitations, type InvitationRow } from "../queries/members.ts";
import { grantFunderAccess, revokeFunderGrant } from "../commands/funder-grants.ts";
import { cancelInvitation, renewInvitation } from "../commands/invitations.ts";
import { attempt, sendInvitationMail, sentMessage, type Ctx } from "./shared.ts";

const SCOPE_MESSAGE = "Choisissez un territoire ou une région dans la liste.";

export const grantForm = z.object({
  email: emailSchema,
  label: textField("pour qui est l'accès (par exemple Région Normandie)", { max: 150 }),
  scope: z
    .string({ error: SCOPE_MESSAGE })
    .regex(/^(t:\d{1,10}|r:[0-9A-Z]{1,3})$/, { error: SCOPE_MESSAGE })
    .transform((s) => (s.startsWith("t:") ? { territoryId: Number(s.slice(2)), regionCode: null } : { territoryId: null, regionCode: s.slice(2) })),
});

type Grants = Awaited<ReturnType<typeof listFunderGrants>>;
type Choices = Awaited<ReturnType<typeof grantChoices>>;

function FundersPage(p: { actor: Actor; csrfToken: string; flash?: string; grants: Grants; invitations: InvitationRow[]; choices: Choices; errors?: FieldErrors; values?: FormValues }) {
  const errors = p.errors ?? {};
  const scope = typeof p.values?.scope === "string" ? p.values.scope : "";
  const scopeName = (territoryId: number | null, regionCode: string | null) =>
    territoryId ? `Territoire ${p.choices.territories.find((t) => t.id === territoryId)?.name ?? ""}` : `Région ${p.choices.regions.find((r) => r.code === regionCode)?.name ?? regionCode} (tous ses territoires)`;
  return (
    <Layout
      title="Accès des financeurs"
      actor={p.actor}
      csrfToken={p.csrfToken}
      flash={p.flash}
      hasErrors={Object.keys(errors).length > 0}
      currentPath="/gestion/financeurs"
      breadcrumbs={[{ label: "Gestion", href: "/gestion" }, { label: "Accès des financeurs", href: "/gestion/financeurs" }]}
    >
      <h1>Accès des financeurs et signataires</h1>
      <ErrorSummary errors={errors} />
      <p>
        Un financeur ou signataire (État, Région, Département…) lit, sans rien modifier, tout le suivi des territoires qui lui sont ouverts, y compris le contenu
        confidentiel. Un accès porte sur un territoire, ou sur tous les territoires d'une région, y compris ceux créés plus tard.
      </p>
      <section aria-labelledby="acces">
        <h2 id="acces">Accès accordés</h2>
        {p.grants.length ? (
          <table class="table manage-table">
            <caption class="visually-hidden">Accès accordés aux financeurs</caption>
            <thead>
              <tr>
                <th scope="col">Personne</th>
                <th scope="col">Pour</th>
                <th scope="col">Portée</th>
                <th scope="col">Depuis le</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {p.grants.map((g) => (
                <tr>
                  <td>
                    {g.displayName}
                    <br />
                    <span class="hint">{g.email}</span>
                  </td>
                  <td>{g.label}</td>
                  <td>{g.territoryId ? `Territoire ${g.territoryName ?? ""}` : `Région ${g.regionName ?? g.regionCode} (tous ses territoires)`}</td>
                  <td>{formatDate(g.since)}</td>
                  <td>
                    <ActionButton action={`/gestion/financeurs/${g.id}/retirer`} csrfToken={p.csrfToken} label="Retirer" accessibleLabel={`Retirer l'accès de ${g.displayName} (${g.label})`} variant="danger" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <EmptyState>Aucun financeur n'a encore d'accès.</EmptyState>
        )}
      </section>
      <section aria-labelledby="invitations">
        <h2 id="invitations">Invitations en cours</h2>
        {p.invitations.length ? (
          <table class="table manage-table">
            <caption class="visually-hidden">Invitations de financeurs pas encore acceptées</caption>
            <thead>
              <tr>
                <th scope="col">Adresse</th>
                <th scope="col">Pour</th>
                <th scope="col">Portée</th>
                <th scope="col">Valable jusqu'au</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {p.invitations.map((i) => (
                <tr>
                  <td>{i.email}</td>
                  <td>{i.grant?.label}</td>
                  <td>{scopeName(i.grant?.territoryId ?? null, i.grant?.regionCode ?? null)}</td>
                  <td>{i.expired ? <span class="badge">Expirée le {formatDate(i.expiresAt)}</span> : formatDate(i.expiresAt)}</td>
                  <td>
                    <div class="row-actions">
                      <ActionButton action={`/gestion/financeurs/invitations/${i.id}/renvoyer`} csrfToken={p.csrfToken} label="Renvoyer" accessibleLabel={`Renvoyer l'invitation de ${i.email}`} />
                      <ActionButton action={`/gestion/financeurs/invitations/${i.id}/annuler`} csrfToken={p.csrfToken} label="Annuler" accessibleLabel={`Annuler l'invitation de ${i.email}`} variant="danger" />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <EmptyState>Aucune invitation de financeur en attente de réponse.</EmptyState>
        )}
      </section>
      <section aria-labelledby="accorder">
        <h2 id="accorder">Accorder un accès</h2>
        <p>Si la personne n'a pas encore de compte, elle reçoit une invitation pour le créer ; sinon l'accès est ouvert tout de suite et elle en est prévenue.</p>
        <Form action="/gestion/financeurs" csrfToken={p.csrfToken}>
          <TextField name="email" label="Adresse électronique" type="email" autocomplete="off" values={p.values} errors={errors} required />
          <TextField name="label" label="Pour qui" hint="Tel que les équipes le liront, par exemple « Région Normandie » ou « Préfecture du Calvados »." values={p.values} errors={errors} required />
          <div class={`field${errors.scope ? " field-error" : ""}`}>
            <label for={fieldId("scope")}>Portée de l'accès</label>
            {errors.scope ? (
              <p class="error-message" id={`${fieldId("scope")}-erreur`}>
                <span class="visually-hidden">Erreur : </span>
                {errors.scope}
              </p>
            ) : null}
            <select id={fieldId("scope")} name="scope" required aria-invalid={errors.scope ? "true" : undefined} aria-describedby={errors.scope ? `${fieldId("scope")}-erreur` : undefined}>
              <option value="">Choisissez</option>
              <optgroup label="Tous les territoires d'une région">
                {p.choices.regions.map((r) => (
                  <option value={`r:${r.code}`} selected={scope === `r:${r.code}`}>
                    Région {r.name}
                  </option>
                ))}
              </optgroup>
              <optgroup label="Un territoire">
                {p.choices.territories.map((t) => (
                  <option value={`t:${t.id}`} selected={scope === `t:${t.id}`}>
                    {t.name}
                  </option>
                ))}
              </optgroup>
            </select>
          </div>
          <p class="form-actions">
            <button type="submit" class="button">
              Accorder l'accès
            </button>
          </p>
        </Form>
      </section>
    </Layout>
  );
}

async function renderPage(ctx: Ctx, state: { errors?: FieldErrors; values?: FormValues } = {}, status = 200) {
  const db = ctx.database.db;
  const [grants, invitations, choices] = await Promise.all([listFunderGrants(db), listInvitations(db, { funders: true }), grantChoices(db)]);
  return ctx.render(<FundersPage actor={ctx.actor} csrfToken={ctx.csrfToken()} flash={ctx.flash} grants={grants} invitations={invitations} choices={choices} {...state} />, status);
}

const idParams = z.object({ id: idField("Accès introuvable.") });
const invitationParams = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) });

/** Read-only access of funders and signatories, by territory or by région. */
export const funderRoutes = [
  defineRoute({
    method: "GET",
    url: "/gestion/financeurs",
    summary: "Accès des financeurs et signataires (par territoire ou par région)",
    kind: "page",
    permission: "members.funder.manage",
    handler: (ctx) => renderPage(ctx),
  }),
  defineRoute({
    method: "POST",
    url: "/gestion/financeurs",
    summary: "Accorder à un financeur l'accès en lecture à un territoire ou à une région",
    kind: "form",
    permission: "members.funder.manage",
    body: grantForm,
    audit: "funder_grant",
    handler: async (ctx) => {
      const form = parseForm(grantForm, ctx.req.body);
      if (!form.ok) return renderPage(ctx, form, 422);
      const { email, label, scope } = form.data;
      const r = await attempt(ctx, (tx) => grantFunderAccess(tx, ctx.audit, { email, scope: { label, ...scope } }));
      if ("notFound" in r) return ctx.reply.callNotFound();
      if ("errors" in r) return renderPage(ctx, { errors: r.errors, values: ctx.req.body as FormValues }, 422);
      const choices = await grantChoices(ctx.database.db);
      const what = scope.territoryId
        ? `du territoire ${choices.territories.find((t) => t.id === scope.territoryId)?.name ?? ""}`
        : `de tous les territoires de la région ${choices.regions.find((x) => x.code === scope.regionCode)?.name ?? scope.regionCode}`;
      if ("invitation" in r.value && r.value.invitation) {
        const sent = await sendInvitationMail(ctx, r.value.invitation.token, r.value.invitation.payload, `le suivi ${what}`);
        return ctx.redirect("/gestion/financeurs#invitations", sentMessage(email, sent));
      }
      await ctx.mailer
        .send({
          to: email,
          subject: "Collines — nouvel accès en lecture",
          text: `Bonjour,\n\nVous avez désormais accès, en lecture seule, au suivi ${what} (${label}).\nConnectez-vous sur ${ctx.config.baseUrl}/gestion pour le consulter.\n`,
        })
        .catch((e: Error) => ctx.req.log.error({ err: e.message }, "grant mail not sent"));
      return ctx.redirect("/gestion/financeurs#acces", `Accès accordé à ${email}.`);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/gestion/financeurs/:id/retirer",
    summary: "Retirer l'accès d'un financeur",
    kind: "form",
    permission: "members.funder.manage",
    params: idParams,
    audit: "funder_grant",
    handler: async (ctx) => {
      const r = await attempt(ctx, (tx) => revokeFunderGrant(tx, ctx.audit, ctx.params.id));
      if (!("value" in r)) return ctx.reply.callNotFound();
      return ctx.redirect("/gestion/financeurs#acces", `L'accès « ${r.value.label} » est retiré.`);
    },
  }),
  ...(["renvoyer", "annuler"] as const).map((verb) =>
    defineRoute({
      method: "POST",
      url: `/gestion/financeurs/invitations/:id/${verb}`,
      summary: verb === "renvoyer" ? "Renvoyer l'invitation d'un financeur" : "Annuler l'invitation d'un financeur",
      kind: "form",
      permission: "members.funder.manage",
      params: invitationParams,
      audit: "invitation",
      handler: async (ctx) => {
        const scope = { funders: true as const };
        if (verb === "annuler") {
          const r = await attempt(ctx, (tx) => cancelInvitation(tx, ctx.audit, ctx.params.id, scope));
          if (!("value" in r)) return ctx.reply.callNotFound();
          return ctx.redirect("/gestion/financeurs#invitations", `L'invitation de ${r.value.email} est annulée.`);
        }
        const r = await attempt(ctx, (tx) => renewInvitation(tx, ctx.audit, ctx.params.id, scope));
        if (!("value" in r)) return ctx.reply.callNotFound();
        const sent = await sendInvitationMail(ctx, r.value.token, r.value.payload, "le suivi de territoires");
        return ctx.redirect("/gestion/financeurs#invitations", sentMessage(r.value.payload.email, sent));
      },
    }),
  ),
];
