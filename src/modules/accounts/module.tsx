import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { defineModule } from "../../core/module.ts";
import { defineRoute } from "../../core/http/registry.ts";
import { parseForm } from "../../core/forms/index.ts";
import { endSession, sha256, startSession } from "../../core/auth/session.ts";
import { verifyPassword } from "../../core/auth/password.ts";
import { oneTimeTokens, signInAttempts, users } from "../../core/db/schema.ts";
import { ANONYMOUS, isPlatformAdmin } from "../../core/authz/index.ts";
import { ErrorPage } from "../../core/http/errors.tsx";
import { createUser, countUsers, emailSchema, newPasswordSchema, UserInputError } from "./commands/users.ts";
import { FirstAdminPage, SignInPage } from "./pages/sign-in.tsx";
import { PlatformHome } from "./pages/platform-home.tsx";
import { listTerritories } from "../territories/api.ts";
import { accountRoutes } from "./routes-account.tsx";
import { passwordlessRoutes, signupRoutes } from "./routes-passwordless.tsx";
import { oidcRoutes } from "./routes-oidc.tsx";
import { privacyRoutes } from "./routes-privacy.tsx";
import "./policy.ts";

const signInSchema = z.object({
  email: z.string({ error: "Indiquez votre adresse électronique." }).trim().min(1, { error: "Indiquez votre adresse électronique." }).max(254, { error: "L'adresse électronique est trop longue." }),
  password: z.string({ error: "Indiquez votre mot de passe." }).min(1, { error: "Indiquez votre mot de passe." }).max(200, { error: "Le mot de passe est trop long." }),
  retour: z.string().max(500).optional(),
});

const firstAdminSchema = z
  .object({
    displayName: z.string({ error: "Indiquez votre nom." }).trim().min(1, { error: "Indiquez votre nom." }).max(120, { error: "Le nom ne doit pas dépasser 120 caractères." }),
    email: emailSchema,
    password: newPasswordSchema,
    confirm: z.string({ error: "Confirmez le mot de passe." }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], error: "Les deux mots de passe ne sont pas identiques." });

/** Only same-site paths are followed after sign-in. */
export function safeReturnPath(raw: string | undefined): string | undefined {
  if (!raw || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\") || /[\r\n]/.test(raw)) return undefined;
  return raw;
}

const WINDOW_MINUTES = 15;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_ADDRESS = 30;
const THROTTLED = "Trop de tentatives de connexion. Pour votre sécurité, patientez 15 minutes avant de réessayer.";
const BAD_CREDENTIALS = "Adresse électronique ou mot de passe incorrect.";

const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

async function validFirstAdminToken(db: import("../../core/db/client.ts").Db, token: string): Promise<boolean> {
  const rows = await db
    .select()
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.tokenHash, sha256(token)), eq(oneTimeTokens.purpose, "first_admin"), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, sql`now()`)));
  return rows.length > 0;
}

export const accountsModule = defineModule({
  id: "accounts",
  routes: [
    defineRoute({
      method: "GET",
      url: "/connexion",
      summary: "Formulaire de connexion",
      kind: "form",
      permission: "public",
      query: z.object({ retour: z.string().max(500).optional() }),
      handler: (ctx) => {
        if (ctx.actor.user) return ctx.redirect(safeReturnPath(ctx.query.retour) ?? "/gestion");
        return <SignInPage actor={ctx.actor} csrfToken={ctx.csrfToken()} retour={safeReturnPath(ctx.query.retour)} oidcLabel={ctx.config.oidc?.label} />;
      },
    }),
    defineRoute({
      method: "POST",
      url: "/connexion",
      summary: "Connexion par adresse électronique et mot de passe",
      kind: "form",
      permission: "public",
      body: signInSchema,
      rateLimit: { max: 20, timeWindow: 60_000 },
      handler: async (ctx) => {
        const form = parseForm(signInSchema, ctx.req.body);
        const retour = safeReturnPath(typeof (ctx.req.body as Record<string, unknown>)?.retour === "string" ? ((ctx.req.body as Record<string, string>).retour) : undefined);
        if (!form.ok) {
          delete form.values.password;
          return ctx.render(<SignInPage actor={ANONYMOUS} csrfToken={ctx.csrfToken()} errors={form.errors} values={form.values} retour={retour} oidcLabel={ctx.config.oidc?.label} />, 422);
        }
        const db = ctx.database.db;
        const email = form.data.email.toLowerCase();
        const accountKey = `account:${sha256(email)}`;
        const addressKey = `address:${sha256(ctx.req.ip)}`;
        const since = sql`now() - interval '${sql.raw(String(WINDOW_MINUTES))} minutes'`;
        const [acc] = await db.select({ n: count() }).from(signInAttempts).where(and(eq(signInAttempts.key, accountKey), gt(signInAttempts.at, since)));
        const [addr] = await db.select({ n: count() }).from(signInAttempts).where(and(eq(signInAttempts.key, addressKey), gt(signInAttempts.at, since)));
        const values = { email: form.data.email };
        if (Number(acc.n) >= MAX_FAILURES_PER_ACCOUNT || Number(addr.n) >= MAX_FAILURES_PER_ADDRESS) {
          // Spend the same time as a real check, so throttling does not reveal anything either.
          await verifyPassword(null, form.data.password);
          return ctx.render(<SignInPage actor={ANONYMOUS} csrfToken={ctx.csrfToken()} values={values} retour={retour} message={THROTTLED} oidcLabel={ctx.config.oidc?.label} />, 429);
        }
        const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
        const ok = await verifyPassword(user?.disabledAt ? null : user?.passwordHash, form.data.password);
        if (!ok || !user) {
          await db.insert(signInAttempts).values([{ key: accountKey }, { key: addressKey }]);
          return ctx.render(
            <SignInPage actor={ANONYMOUS} csrfToken={ctx.csrfToken()} errors={{ email: BAD_CREDENTIALS }} values={values} retour={retour} oidcLabel={ctx.config.oidc?.label} />,
            422,
          );
        }
        await db.delete(signInAttempts).where(eq(signInAttempts.key, accountKey));
        await startSession(db, ctx.reply, user.id, { secure: ctx.config.secureCookies, userAgent: ctx.req.headers["user-agent"] });
        return ctx.redirect(retour ?? "/gestion", "Vous êtes connecté.");
      },
    }),
    defineRoute({
      method: "POST",
      url: "/deconnexion",
      summary: "Déconnexion",
      kind: "form",
      permission: "public",
      handler: async (ctx) => {
        await endSession(ctx.database.db, ctx.req, ctx.reply);
        return ctx.redirect("/", "Vous êtes déconnecté.");
      },
    }),
    defineRoute({
      method: "GET",
      url: "/installation/:token",
      summary: "Création du premier compte administrateur (lien à usage unique)",
      kind: "form",
      permission: "public",
      params: tokenParams,
      handler: async (ctx) => {
        if ((await countUsers(ctx.database.db)) > 0 || !(await validFirstAdminToken(ctx.database.db, ctx.params.token))) {
          return ctx.render(<ErrorPage status={404} actor={ctx.actor} detail="Ce lien d'installation n'est plus valable : il a déjà servi ou a expiré. Connectez-vous avec votre compte, ou redémarrez le serveur pour obtenir un nouveau lien s'il n'existe encore aucun compte." />, 404);
        }
        return <FirstAdminPage actor={ctx.actor} csrfToken={ctx.csrfToken()} token={ctx.params.token} />;
      },
    }),
    defineRoute({
      method: "POST",
      url: "/installation/:token",
      summary: "Création du premier compte administrateur",
      kind: "form",
      permission: "public",
      params: tokenParams,
      body: firstAdminSchema as never,
      audit: "user",
      handler: async (ctx) => {
        const form = parseForm(firstAdminSchema as never, ctx.req.body) as ReturnType<typeof parseForm<z.ZodObject>>;
        const render = (errors: Record<string, string>, values: Record<string, unknown>) =>
          ctx.render(<FirstAdminPage actor={ctx.actor} csrfToken={ctx.csrfToken()} token={ctx.params.token} errors={errors} values={{ ...values, password: undefined, confirm: undefined } as never} />, 422);
        if (!form.ok) return render(form.errors, form.values);
        const data = form.data as z.infer<typeof firstAdminSchema>;
        const db = ctx.database.db;
        try {
          const created = await db.transaction(async (tx) => {
            if ((await countUsers(tx)) > 0) return undefined;
            const used = await tx
              .update(oneTimeTokens)
              .set({ usedAt: new Date() })
              .where(and(eq(oneTimeTokens.tokenHash, sha256(ctx.params.token)), eq(oneTimeTokens.purpose, "first_admin"), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, sql`now()`)))
              .returning();
            if (!used.length) return undefined;
            return createUser(tx, ctx.audit, { email: data.email, displayName: data.displayName, password: data.password, isPlatformAdmin: true });
          });
          if (!created) return ctx.redirect("/connexion", "Ce lien d'installation n'est plus valable : connectez-vous avec votre compte.");
          await startSession(db, ctx.reply, created.id, { secure: ctx.config.secureCookies, userAgent: ctx.req.headers["user-agent"] });
          return ctx.redirect("/gestion", "Votre compte administrateur est créé. Bienvenue !");
        } catch (e) {
          if (e instanceof UserInputError) return render({ email: e.message }, { displayName: data.displayName, email: data.email });
          throw e;
        }
      },
    }),
    defineRoute({
      method: "GET",
      url: "/gestion",
      summary: "Accueil de la gestion : les territoires que la personne administre",
      kind: "page",
      permission: "signed_in",
      handler: async (ctx) => {
        const all = await listTerritories(ctx.database.db);
        const mine = isPlatformAdmin(ctx.actor) ? all : all.filter((t) => ctx.actor.memberships.some((m) => m.territoryId === t.id));
        return <PlatformHome actor={ctx.actor} csrfToken={ctx.csrfToken()} territories={mine} funded={all.filter((t) => ctx.actor.fundedTerritoryIds?.includes(t.id))} flash={ctx.flash} />;
      },
    }),
    ...accountRoutes,
    ...passwordlessRoutes,
    ...signupRoutes,
    ...oidcRoutes,
    ...privacyRoutes,
  ],
});

