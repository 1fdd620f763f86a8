import { eq } from "drizzle-orm";
import { z } from "zod";
import { defineRoute } from "../../../core/http/registry.ts";
import { parseForm, type FieldErrors, type FormValues } from "../../../core/forms/index.ts";
import { startSession } from "../../../core/auth/session.ts";
import type { Actor } from "../../../core/authz/index.ts";
import { users } from "../../../core/db/schema.ts";
import { ErrorPage } from "../../../core/http/errors.tsx";
import { ErrorSummary, Form, TextField } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { createUser, newPasswordSchema, UserInputError } from "../../accounts/api.ts";
import { regions } from "../../geography/api.ts";
import { territories } from "../../territories/api.ts";
import { ROLE_LABELS, INVITATION_DAYS } from "../model.ts";
import { acceptInvitation, findValidInvitation, type InvitationPayload } from "../commands/invitations.ts";
import type { Ctx } from "./shared.ts";

const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

export const INVALID_INVITATION = `Cette invitation n'est plus valable : elle a déjà servi, a été annulée ou a expiré (elle vaut ${INVITATION_DAYS} jours). Demandez à la personne qui vous a invité de vous l'envoyer à nouveau.`;

const newAccountForm = z
  .object({
    displayName: z.string({ error: "Indiquez votre nom." }).trim().min(1, { error: "Indiquez votre nom." }).max(120, { error: "Le nom ne doit pas dépasser 120 caractères." }),
    password: newPasswordSchema,
    confirm: z.string({ error: "Confirmez le mot de passe." }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], error: "Les deux mots de passe ne sont pas identiques." });

/** What an invitation gives, in a sentence ("le rôle « Agent » dans Collines de Normandie"). */
async function describe(ctx: Ctx, p: InvitationPayload): Promise<string> {
  const db = ctx.database.db;
  if (p.role === "funder") {
    const g = p.grant!;
    if (g.territoryId) {
      const [t] = await db.select({ name: territories.name }).from(territories).where(eq(territories.id, g.territoryId));
      return `l'accès en lecture seule au suivi du territoire ${t?.name ?? ""} (${g.label})`;
    }
    const [r] = await db.select({ name: regions.name }).from(regions).where(eq(regions.code, g.regionCode ?? ""));
    return `l'accès en lecture seule au suivi de tous les territoires de la région ${r?.name ?? g.regionCode} (${g.label})`;
  }
  const [t] = await db.select({ name: territories.name }).from(territories).where(eq(territories.id, p.territoryId ?? 0));
  return `le rôle « ${ROLE_LABELS[p.role]} » dans le territoire ${t?.name ?? ""}`;
}

function InvitationPage(p: {
  actor: Actor;
  csrfToken: string;
  token: string;
  payload: InvitationPayload;
  what: string;
  mode: "accept" | "sign-in" | "wrong-account" | "create";
  errors?: FieldErrors;
  values?: FormValues;
}) {
  const action = `/invitation/${p.token}`;
  const errors = p.errors ?? {};
  return (
    <Layout title="Invitation" actor={p.actor} csrfToken={p.csrfToken} hasErrors={Object.keys(errors).length > 0}>
      <h1>Invitation sur Collines</h1>
      <ErrorSummary errors={errors} />
      <p class="lead">
        Vous êtes invité à recevoir {p.what}. L'invitation est adressée à <strong>{p.payload.email}</strong>.
      </p>
      {p.mode === "accept" ? (
        <Form action={action} csrfToken={p.csrfToken}>
          <p class="form-actions">
            <button type="submit" class="button">
              Accepter l'invitation
            </button>
          </p>
        </Form>
      ) : p.mode === "sign-in" ? (
        <>
          <p>Un compte existe déjà pour cette adresse : connectez-vous pour accepter l'invitation.</p>
          <p class="form-actions">
            <a class="button" href={`/connexion?retour=${encodeURIComponent(action)}`}>
              Se connecter pour accepter
            </a>
            <a href="/mot-de-passe-oublie">Mot de passe oublié ?</a>
          </p>
        </>
      ) : p.mode === "wrong-account" ? (
        <div class="notice notice-warning" role="alert">
          <p>
            Vous êtes connecté avec l'adresse {p.actor.user?.email} : déconnectez-vous, puis ouvrez à nouveau le lien reçu et connectez-vous (ou créez votre compte) avec
            l'adresse {p.payload.email}.
          </p>
        </div>
      ) : (
        <>
          <h2>Créer votre compte</h2>
          <Form action={action} csrfToken={p.csrfToken}>
            <TextField name="displayName" label="Votre nom" hint="Tel qu'il apparaîtra aux autres membres, par exemple Camille Martin." autocomplete="name" values={p.values} errors={errors} required />
            <TextField
              name="password"
              label="Mot de passe"
              type="password"
              hint="Au moins 12 caractères ; une phrase de plusieurs mots est facile à retenir et difficile à deviner."
              autocomplete="new-password"
              errors={errors}
              required
            />
            <TextField name="confirm" label="Confirmez le mot de passe" type="password" autocomplete="new-password" errors={errors} required />
            <p class="form-actions">
              <button type="submit" class="button">
                Créer mon compte et accepter
              </button>
            </p>
          </Form>
        </>
      )}
    </Layout>
  );
}

/** Where a person lands after accepting. */
function destination(ctx: Ctx, p: InvitationPayload, slug: string | undefined): string {
  if (p.role === "territory_admin" || p.role === "agent") return slug ? `/t/${slug}/gestion` : "/gestion";
  if (p.role === "funder") return "/gestion";
  return slug ? `/t/${slug}` : "/gestion";
}

async function slugOf(ctx: Ctx, territoryId: number | null): Promise<string | undefined> {
  if (!territoryId) return undefined;
  const [t] = await ctx.database.db.select({ slug: territories.slug }).from(territories).where(eq(territories.id, territoryId));
  return t?.slug;
}

async function modeFor(ctx: Ctx, p: InvitationPayload): Promise<"accept" | "sign-in" | "wrong-account" | "create"> {
  if (ctx.actor.user) return ctx.actor.user.email === p.email ? "accept" : "wrong-account";
  const [existing] = await ctx.database.db.select({ id: users.id }).from(users).where(eq(users.email, p.email));
  return existing ? "sign-in" : "create";
}

/** Accepting an invitation: sign in (existing account) or create the account, then the role is added. */
export const invitationRoutes = [
  defineRoute({
    method: "GET",
    url: "/invitation/:token",
    summary: "Invitation reçue par courriel : accepter, se connecter ou créer son compte",
    kind: "form",
    permission: "public",
    params: tokenParams,
    handler: async (ctx) => {
      const payload = await findValidInvitation(ctx.database.db, ctx.params.token);
      if (!payload) return ctx.render(<ErrorPage status={404} actor={ctx.actor} detail={INVALID_INVITATION} />, 404);
      ctx.reply.header("referrer-policy", "no-referrer");
      const mode = await modeFor(ctx, payload);
      return ctx.render(
        <InvitationPage actor={ctx.actor} csrfToken={ctx.csrfToken()} token={ctx.params.token} payload={payload} what={await describe(ctx, payload)} mode={mode} />,
        mode === "wrong-account" ? 403 : 200,
      );
    },
  }),
  defineRoute({
    method: "POST",
    url: "/invitation/:token",
    summary: "Acceptation d'une invitation (avec création du compte si besoin)",
    kind: "form",
    permission: "public",
    params: tokenParams,
    body: newAccountForm as never,
    audit: "membership",
    handler: async (ctx) => {
      const token = ctx.params.token;
      const db = ctx.database.db;
      const payload = await findValidInvitation(db, token);
      if (!payload) return ctx.render(<ErrorPage status={404} actor={ctx.actor} detail={INVALID_INVITATION} />, 404);
      const mode = await modeFor(ctx, payload);
      const invalid = () => ctx.render(<ErrorPage status={404} actor={ctx.actor} detail={INVALID_INVITATION} />, 404);
      if (mode === "sign-in") return ctx.redirect(`/connexion?retour=${encodeURIComponent(`/invitation/${token}`)}`, "Connectez-vous pour accepter l'invitation.");
      if (mode === "wrong-account") {
        return ctx.render(<InvitationPage actor={ctx.actor} csrfToken={ctx.csrfToken()} token={token} payload={payload} what={await describe(ctx, payload)} mode={mode} />, 403);
      }
      const slug = await slugOf(ctx, payload.territoryId ?? payload.grant?.territoryId ?? null);
      const what = await describe(ctx, payload);
      if (mode === "accept") {
        const user = ctx.actor.user!;
        const done = await db.transaction((tx) => acceptInvitation(tx, ctx.audit, token, user.id));
        if (!done) return invalid();
        return ctx.redirect(destination(ctx, payload, slug), `Invitation acceptée : vous avez désormais ${what}.`);
      }
      const form = parseForm(newAccountForm as never, ctx.req.body) as ReturnType<typeof parseForm<z.ZodObject>>;
      const rerender = (errors: FieldErrors, values: FormValues) =>
        ctx.render(<InvitationPage actor={ctx.actor} csrfToken={ctx.csrfToken()} token={token} payload={payload} what={what} mode="create" errors={errors} values={{ displayName: values.displayName }} />, 422);
      if (!form.ok) return rerender(form.errors, form.values);
      const data = form.data as z.infer<typeof newAccountForm>;
      try {
        const userId = await db.transaction(async (tx) => {
          const created = await createUser(tx, ctx.audit, { email: payload.email, displayName: data.displayName, password: data.password });
          // The new person is the author of their own acceptance.
          const self = { ...ctx.audit, actor: { memberships: [], user: { id: created.id, email: created.email, displayName: data.displayName, isPlatformAdmin: false } } };
          const accepted = await acceptInvitation(tx, self, token, created.id);
          if (!accepted) throw new UserInputError(INVALID_INVITATION);
          return created.id;
        });
        await startSession(db, ctx.reply, userId, { secure: ctx.config.secureCookies, userAgent: ctx.req.headers["user-agent"] });
        return ctx.redirect(destination(ctx, payload, slug), `Votre compte est créé et l'invitation acceptée : vous avez désormais ${what}.`);
      } catch (e) {
        if (e instanceof UserInputError) {
          if (e.message === INVALID_INVITATION) return invalid();
          // Someone created the account meanwhile: sign in instead.
          if (/existe déjà/.test(e.message)) return ctx.redirect(`/connexion?retour=${encodeURIComponent(`/invitation/${token}`)}`, "Un compte existe déjà pour cette adresse : connectez-vous pour accepter l'invitation.");
          return rerender({ displayName: e.message }, { displayName: data.displayName });
        }
        throw e;
      }
    },
  }),
];
