import { and, count, desc, eq, gt, isNull, like, sql } from "drizzle-orm";
import { z } from "zod";
import { defineRoute } from "../../core/http/registry.ts";
import { parseForm } from "../../core/forms/index.ts";
import { randomToken, sha256, SESSION_COOKIE } from "../../core/auth/session.ts";
import { hashPassword } from "../../core/auth/password.ts";
import { oneTimeTokens, sessions, signInAttempts, users } from "../../core/db/schema.ts";
import { recordAudit } from "../../core/audit/index.ts";
import { ErrorPage } from "../../core/http/errors.tsx";
import { emailSchema, newPasswordSchema } from "./commands/users.ts";
import { AccountPage, ForgotPasswordPage, OutboxPage, ResetPasswordPage } from "./pages/account.tsx";

const RESET_MINUTES = 30;
const forgotSchema = z.object({ email: emailSchema });
const resetSchema = z
  .object({ password: newPasswordSchema, confirm: z.string({ error: "Confirmez le mot de passe." }) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], error: "Les deux mots de passe ne sont pas identiques." });
const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });
const sessionParams = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) });

async function findResetToken(db: import("../../core/db/client.ts").Db, token: string) {
  const rows = await db
    .select()
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.tokenHash, sha256(token)), eq(oneTimeTokens.purpose, "password_reset"), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, sql`now()`)));
  return rows[0];
}

const INVALID_LINK = "Ce lien n'est plus valable : il a déjà servi ou a expiré (30 minutes). Demandez-en un nouveau depuis la page « Mot de passe oublié ».";

/** Password reset, the account page with its sessions, and the development outbox. */
export const accountRoutes = [
  defineRoute({
    method: "GET",
    url: "/mot-de-passe-oublie",
    summary: "Demande de lien pour choisir un nouveau mot de passe",
    kind: "form",
    permission: "public",
    handler: (ctx) => <ForgotPasswordPage actor={ctx.actor} csrfToken={ctx.csrfToken()} />,
  }),
  defineRoute({
    method: "POST",
    url: "/mot-de-passe-oublie",
    summary: "Envoi du lien de changement de mot de passe",
    kind: "form",
    permission: "public",
    body: forgotSchema,
    rateLimit: { max: 10, timeWindow: 60_000 },
    handler: async (ctx) => {
      const form = parseForm(forgotSchema, ctx.req.body);
      if (!form.ok) return ctx.render(<ForgotPasswordPage actor={ctx.actor} csrfToken={ctx.csrfToken()} errors={form.errors} values={form.values} />, 422);
      const db = ctx.database.db;
      const key = `reset:${sha256(form.data.email)}`;
      const [recent] = await db.select({ n: count() }).from(signInAttempts).where(and(eq(signInAttempts.key, key), gt(signInAttempts.at, sql`now() - interval '15 minutes'`)));
      if (Number(recent.n) < 3) {
        await db.insert(signInAttempts).values({ key });
        const [user] = await db.select().from(users).where(eq(users.email, form.data.email)).limit(1);
        if (user && !user.disabledAt) {
          const token = randomToken();
          await db.insert(oneTimeTokens).values({ tokenHash: sha256(token), purpose: "password_reset", payload: { userId: user.id }, expiresAt: new Date(Date.now() + RESET_MINUTES * 60_000) });
          // Not awaited: the answer takes the same time whether or not the account exists.
          void ctx.mailer
            .send({
              to: user.email,
              subject: "Collines — choisir un nouveau mot de passe",
              text: `Bonjour ${user.displayName},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable ${RESET_MINUTES} minutes, une seule fois) :\n\n${ctx.config.baseUrl}/mot-de-passe/${token}\n\nSi vous n'avez rien demandé, ignorez ce message : votre mot de passe reste inchangé.\n`,
            })
            .catch((e: Error) => ctx.req.log.error({ err: e.message }, "mail not sent"));
        }
      }
      return ctx.render(<ForgotPasswordPage actor={ctx.actor} csrfToken={ctx.csrfToken()} sent />);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/mot-de-passe/:token",
    summary: "Choix d'un nouveau mot de passe (lien reçu par courriel)",
    kind: "form",
    permission: "public",
    params: tokenParams,
    handler: async (ctx) => {
      if (!(await findResetToken(ctx.database.db, ctx.params.token))) return ctx.render(<ErrorPage status={404} actor={ctx.actor} detail={INVALID_LINK} />, 404);
      ctx.reply.header("referrer-policy", "no-referrer");
      return <ResetPasswordPage actor={ctx.actor} csrfToken={ctx.csrfToken()} token={ctx.params.token} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/mot-de-passe/:token",
    summary: "Enregistrement du nouveau mot de passe",
    kind: "form",
    permission: "public",
    params: tokenParams,
    body: resetSchema as never,
    audit: "user",
    handler: async (ctx) => {
      const form = parseForm(resetSchema as never, ctx.req.body);
      if (!form.ok) return ctx.render(<ResetPasswordPage actor={ctx.actor} csrfToken={ctx.csrfToken()} token={ctx.params.token} errors={form.errors} />, 422);
      const { password } = form.data as z.infer<typeof resetSchema>;
      const hash = await hashPassword(password);
      const done = await ctx.database.db.transaction(async (tx) => {
        const used = await tx
          .update(oneTimeTokens)
          .set({ usedAt: new Date() })
          .where(and(eq(oneTimeTokens.tokenHash, sha256(ctx.params.token)), eq(oneTimeTokens.purpose, "password_reset"), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, sql`now()`)))
          .returning();
        const userId = (used[0]?.payload as { userId?: number } | null)?.userId;
        if (!userId) return false;
        await tx.update(users).set({ passwordHash: hash }).where(eq(users.id, userId));
        // A new password closes every session, wherever it was opened.
        await tx.delete(sessions).where(eq(sessions.userId, userId));
        await recordAudit(tx, { ...ctx.audit, actor: { memberships: [], user: { id: userId, email: "", displayName: "", isPlatformAdmin: false } } }, { action: "update", entity: "user", entityId: userId, after: { password: "changé" } });
        return true;
      });
      if (!done) return ctx.render(<ErrorPage status={404} actor={ctx.actor} detail={INVALID_LINK} />, 404);
      ctx.reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return ctx.redirect("/connexion", "Votre mot de passe est changé. Connectez-vous avec le nouveau.");
    },
  }),
  defineRoute({
    method: "GET",
    url: "/compte",
    summary: "Mon compte : coordonnées et sessions ouvertes",
    kind: "page",
    permission: "signed_in",
    handler: async (ctx) => {
      const user = ctx.actor.user!;
      const current = sha256(ctx.req.cookies[SESSION_COOKIE] ?? "");
      const rows = await ctx.database.db.select().from(sessions).where(and(eq(sessions.userId, user.id), gt(sessions.expiresAt, sql`now()`))).orderBy(desc(sessions.lastSeenAt));
      return (
        <AccountPage
          actor={ctx.actor}
          csrfToken={ctx.csrfToken()}
          email={user.email}
          displayName={user.displayName}
          sessions={rows.map((r) => ({ id: r.idHash.slice(0, 16), createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, userAgent: r.userAgent, current: r.idHash === current }))}
        />
      );
    },
  }),
  defineRoute({
    method: "POST",
    url: "/compte/sessions/:id/fermer",
    summary: "Fermer une de ses sessions",
    kind: "form",
    permission: "signed_in",
    params: sessionParams,
    audit: "session",
    handler: async (ctx) => {
      const user = ctx.actor.user!;
      const closed = await ctx.database.db.transaction(async (tx) => {
        const rows = await tx.delete(sessions).where(and(eq(sessions.userId, user.id), like(sessions.idHash, `${ctx.params.id}%`))).returning({ id: sessions.idHash });
        if (rows.length) await recordAudit(tx, ctx.audit, { action: "delete", entity: "session", entityId: ctx.params.id });
        return rows.length;
      });
      if (!closed) return ctx.reply.callNotFound();
      return ctx.redirect("/compte", "Session fermée.");
    },
  }),
  defineRoute({
    method: "POST",
    url: "/compte/sessions/fermer-tout",
    summary: "Se déconnecter partout",
    kind: "form",
    permission: "signed_in",
    audit: "session",
    handler: async (ctx) => {
      const user = ctx.actor.user!;
      await ctx.database.db.transaction(async (tx) => {
        await tx.delete(sessions).where(eq(sessions.userId, user.id));
        await recordAudit(tx, ctx.audit, { action: "delete", entity: "session", entityId: "toutes" });
      });
      ctx.reply.clearCookie(SESSION_COOKIE, { path: "/" });
      return ctx.redirect("/connexion", "Vous êtes déconnecté de tous vos navigateurs.");
    },
  }),
  defineRoute({
    method: "GET",
    url: "/dev/outbox",
    summary: "Courriels écrits dans le dossier outbox (hors production, sans SMTP)",
    kind: "page",
    permission: "public",
    handler: async (ctx) => {
      // Never on a public https address, whatever NODE_ENV says: the outbox holds sign-in links.
      if (ctx.config.env === "production" || ctx.config.secureCookies || !ctx.mailer.usesOutbox) return ctx.reply.callNotFound();
      return <OutboxPage actor={ctx.actor} messages={await ctx.mailer.outbox()} />;
    },
  }),
];
