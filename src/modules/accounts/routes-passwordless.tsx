import { and, count, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { defineRoute, type RouteContext } from "../../core/http/registry.ts";
import { checkbox, parseForm, textField } from "../../core/forms/index.ts";
import { randomToken, sha256, startSession } from "../../core/auth/session.ts";
import { memberships, oneTimeTokens, signInAttempts, users } from "../../core/db/schema.ts";
import type { Db, Tx } from "../../core/db/client.ts";
import { recordAudit, type AuditContext } from "../../core/audit/index.ts";
import { listTerritories } from "../territories/api.ts";
import { emailSchema } from "./commands/users.ts";
import { InvalidLinkPage, LinkConfirmPage, MagicLinkRequestPage, OtherBrowserPage, SignupPage, SignupTerritoriesPage } from "./pages/passwordless.tsx";

// Sign-in by e-mail link and self sign-up of industrialists. Both links are single-use, short-lived
// and bound to the browser that asked: the request sets a random nonce in an HttpOnly cookie and
// the token keeps its SHA-256, so a link forwarded, leaked or opened elsewhere does not sign in.

const MAGIC_MINUTES = 15;
const SIGNUP_MINUTES = 60;
const THROTTLE_MINUTES = 15;
const MAX_LINKS_PER_EMAIL = 3;
const MAX_LINKS_PER_ADDRESS = 20;

/** The cookie holding the browser's nonce for e-mailed links. */
export const LINK_COOKIE = "collines_lien";
const NONCE = /^[A-Za-z0-9_-]{43}$/;

const tokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });
const slugTokenParams = z.object({ slug: z.string(), token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });
const slugParams = z.object({ slug: z.string() });

/** Only same-site paths are followed after sign-in. */
function safePath(raw: unknown): string | undefined {
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\") || /[\r\n]/.test(raw) || raw.length > 500) return undefined;
  return raw;
}

/**
 * Binds the links sent now to this browser: reuses its nonce when it has one (so that several
 * links asked from one browser all work), else makes one. Returns the hash kept in the token.
 */
function bindBrowser(ctx: RouteContext<any, any>): string {
  const current = ctx.req.cookies?.[LINK_COOKIE];
  const nonce = current && NONCE.test(current) ? current : randomToken();
  ctx.reply.setCookie(LINK_COOKIE, nonce, { path: "/", httpOnly: true, sameSite: "lax", secure: ctx.config.secureCookies, maxAge: SIGNUP_MINUTES * 60 });
  return sha256(nonce);
}

/** The hash of this browser's nonce, if it has one. */
function browserHash(ctx: RouteContext<any, any>): string | undefined {
  const nonce = ctx.req.cookies?.[LINK_COOKIE];
  return nonce && NONCE.test(nonce) ? sha256(nonce) : undefined;
}

type Throttle = "ok" | "address" | "email";

/**
 * Counts link requests in the database (so every process agrees): too many from one address is
 * refused openly; too many for one e-mail is silent, so the answer never tells whether it exists.
 */
async function throttle(db: Db, kind: string, email: string, ip: string, maxPerEmail: number): Promise<Throttle> {
  const emailKey = `${kind}:email:${sha256(email)}`;
  const addressKey = `${kind}:address:${sha256(ip)}`;
  const since = sql`now() - interval '${sql.raw(String(THROTTLE_MINUTES))} minutes'`;
  const rows = await db
    .select({ key: signInAttempts.key, n: count() })
    .from(signInAttempts)
    .where(and(inArray(signInAttempts.key, [emailKey, addressKey]), gt(signInAttempts.at, since)))
    .groupBy(signInAttempts.key);
  const n = (key: string) => Number(rows.find((r) => r.key === key)?.n ?? 0);
  if (n(addressKey) >= MAX_LINKS_PER_ADDRESS) return "address";
  if (n(emailKey) >= maxPerEmail) {
    await db.insert(signInAttempts).values({ key: addressKey });
    return "email";
  }
  await db.insert(signInAttempts).values([{ key: emailKey }, { key: addressKey }]);
  return "ok";
}

const TOO_MANY = `Trop de demandes depuis votre connexion. Pour votre sécurité, patientez ${THROTTLE_MINUTES} minutes avant de réessayer.`;

/** A live (unused, unexpired) link of a purpose. */
async function findLink(db: Db, token: string, purpose: string) {
  const rows = await db
    .select()
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.tokenHash, sha256(token)), eq(oneTimeTokens.purpose, purpose), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, sql`now()`)));
  return rows[0];
}

/** Uses up a live link, only from the browser it is bound to (one statement: two clicks cannot both win). */
async function consumeLink(tx: Tx, token: string, purpose: string, browser: string, extra?: ReturnType<typeof sql>) {
  const rows = await tx
    .update(oneTimeTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(oneTimeTokens.tokenHash, sha256(token)),
        eq(oneTimeTokens.purpose, purpose),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, sql`now()`),
        sql`${oneTimeTokens.payload} ->> 'browser' = ${browser}`,
        extra,
      ),
    )
    .returning();
  return rows[0];
}

/** Sends a message without waiting, so the answer takes the same time whatever happens next. */
function sendLater(ctx: RouteContext<any, any>, to: string, subject: string, text: string) {
  void ctx.mailer.send({ to, subject, text }).catch((e: Error) => ctx.req.log.error({ err: e.message }, "mail not sent"));
}

// ——— Sign-in by e-mail link ———

const linkRequestSchema = z.object({ email: emailSchema, retour: z.string().max(500).optional() });
const MAGIC = "magic_link";
const INVALID_MAGIC = `Ce lien de connexion a déjà servi ou a expiré (il est valable ${MAGIC_MINUTES} minutes et ne sert qu'une fois).`;

function invalidMagic(ctx: RouteContext<any, any>) {
  return ctx.render(<InvalidLinkPage actor={ctx.actor} detail={INVALID_MAGIC} retryHref="/connexion/lien" retryLabel="Recevoir un nouveau lien de connexion" />, 404);
}

function otherBrowserMagic(ctx: RouteContext<any, any>) {
  return ctx.render(<OtherBrowserPage actor={ctx.actor} retryHref="/connexion/lien" retryLabel="recevoir un nouveau lien de connexion" />, 403);
}

export const passwordlessRoutes = [
  defineRoute({
    method: "GET",
    url: "/connexion/lien",
    summary: "Demande d'un lien de connexion par courriel (sans mot de passe)",
    kind: "form",
    permission: "public",
    query: z.object({ retour: z.string().max(500).optional() }),
    handler: (ctx) => {
      if (ctx.actor.user) return ctx.redirect(safePath(ctx.query.retour) ?? "/gestion");
      return <MagicLinkRequestPage actor={ctx.actor} csrfToken={ctx.csrfToken()} retour={safePath(ctx.query.retour)} minutes={MAGIC_MINUTES} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/connexion/lien",
    summary: "Envoi d'un lien de connexion par courriel",
    kind: "form",
    permission: "public",
    body: linkRequestSchema,
    rateLimit: { max: 10, timeWindow: 60_000 },
    handler: async (ctx) => {
      const retour = safePath((ctx.req.body as Record<string, unknown> | undefined)?.retour);
      const form = parseForm(linkRequestSchema, ctx.req.body);
      if (!form.ok) return ctx.render(<MagicLinkRequestPage actor={ctx.actor} csrfToken={ctx.csrfToken()} errors={form.errors} values={form.values} retour={retour} minutes={MAGIC_MINUTES} />, 422);
      const { email } = form.data;
      const db = ctx.database.db;
      const verdict = await throttle(db, "lien", email, ctx.req.ip, MAX_LINKS_PER_EMAIL);
      if (verdict === "address") {
        return ctx.render(<MagicLinkRequestPage actor={ctx.actor} csrfToken={ctx.csrfToken()} values={{ email }} retour={retour} minutes={MAGIC_MINUTES} message={TOO_MANY} />, 429);
      }
      const browser = bindBrowser(ctx);
      if (verdict === "ok") {
        // Looking the account up, writing the token and mailing happen after the answer: its
        // content and timing are the same whether or not the address has an account.
        const { baseUrl } = ctx.config;
        void (async () => {
          const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
          if (!user || user.disabledAt || user.anonymisedAt) return;
          const token = randomToken();
          await db.insert(oneTimeTokens).values({
            tokenHash: sha256(token),
            purpose: MAGIC,
            payload: { userId: user.id, browser, retour: retour ?? null },
            expiresAt: new Date(Date.now() + MAGIC_MINUTES * 60_000),
          });
          sendLater(
            ctx,
            user.email,
            "Collines — votre lien de connexion",
            `Bonjour ${user.displayName},\n\nPour vous connecter à Collines, ouvrez ce lien dans le navigateur où vous l'avez demandé (valable ${MAGIC_MINUTES} minutes, une seule fois) :\n\n${baseUrl}/connexion/lien/${token}\n\nSi vous n'avez rien demandé, ignorez ce message : personne ne peut se connecter avec ce lien depuis un autre navigateur.\n`,
          );
        })().catch((e: Error) => ctx.req.log.error({ err: e.message }, "sign-in link not created"));
      }
      return ctx.render(<MagicLinkRequestPage actor={ctx.actor} csrfToken={ctx.csrfToken()} retour={retour} minutes={MAGIC_MINUTES} sent />);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/connexion/lien/:token",
    summary: "Lien de connexion reçu par courriel : page de confirmation",
    kind: "form",
    permission: "public",
    params: tokenParams,
    handler: async (ctx) => {
      ctx.reply.header("referrer-policy", "no-referrer");
      const link = await findLink(ctx.database.db, ctx.params.token, MAGIC);
      if (!link) return invalidMagic(ctx);
      if ((link.payload as { browser?: string }).browser !== browserHash(ctx)) return otherBrowserMagic(ctx);
      return (
        <LinkConfirmPage
          actor={ctx.actor}
          csrfToken={ctx.csrfToken()}
          action={`/connexion/lien/${ctx.params.token}`}
          title="Se connecter"
          intro="Votre lien est valable. Confirmez pour vous connecter dans ce navigateur."
          button="Me connecter"
        />
      );
    },
  }),
  defineRoute({
    method: "POST",
    url: "/connexion/lien/:token",
    summary: "Connexion par le lien reçu par courriel",
    kind: "form",
    permission: "public",
    params: tokenParams,
    rateLimit: { max: 20, timeWindow: 60_000 },
    handler: async (ctx) => {
      const db = ctx.database.db;
      const browser = browserHash(ctx);
      const link = browser ? await db.transaction((tx) => consumeLink(tx, ctx.params.token, MAGIC, browser)) : undefined;
      if (!link) return (await findLink(db, ctx.params.token, MAGIC)) ? otherBrowserMagic(ctx) : invalidMagic(ctx);
      const payload = link.payload as { userId: number; retour?: string | null };
      const [user] = await db.select().from(users).where(eq(users.id, payload.userId)).limit(1);
      if (!user || user.disabledAt || user.anonymisedAt) return invalidMagic(ctx);
      await startSession(db, ctx.reply, user.id, { secure: ctx.config.secureCookies, userAgent: ctx.req.headers["user-agent"] });
      ctx.reply.clearCookie(LINK_COOKIE, { path: "/" });
      return ctx.redirect(safePath(payload.retour) ?? "/gestion", "Vous êtes connecté.");
    },
  }),
];

// ——— Self sign-up of industrialists ———

/** True for a valid SIRET: 14 digits and the Luhn key (La Poste's establishments may instead have a digit sum multiple of 5). */
export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  const digits = [...siret].map(Number);
  if (siret.startsWith("356000000") && digits.reduce((a, d) => a + d, 0) % 5 === 0) return true;
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    // From the right, every second digit is doubled: with 14 digits, those at even positions from the left.
    let d = digits[i];
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const siretField = z
  .string()
  .optional()
  .transform((v) => (v ?? "").replace(/[\s.\u00a0-]/g, "") || null)
  .refine((v) => v === null || /^\d{14}$/.test(v), { error: "Le numéro SIRET compte 14 chiffres, par exemple 123 456 789 00012." })
  .refine((v) => v === null || isValidSiret(v), {
    error: "Ce numéro SIRET n'existe pas : un chiffre est sans doute erroné. Vérifiez-le sur votre extrait Kbis ou sur annuaire-entreprises.data.gouv.fr.",
  });

const signupSchema = z.object({
  email: emailSchema,
  displayName: textField("votre nom", { max: 120 }),
  company: textField("le nom de l'entreprise", { max: 160 }),
  siret: siretField,
  consent: checkbox.refine((v) => v, { error: "Cochez la case pour accepter d'être contacté : c'est l'objet de votre compte." }),
});

const SIGNUP = "signup";

interface SignupPayload {
  territoryId: number;
  email: string;
  displayName: string;
  company: string;
  siret: string | null;
  browser: string;
}

function invalidSignup(ctx: RouteContext<any, any>) {
  return ctx.render(
    <InvalidLinkPage
      actor={ctx.actor}
      territory={ctx.territory}
      detail={`Ce lien de confirmation a déjà servi ou a expiré (il est valable ${SIGNUP_MINUTES} minutes et ne sert qu'une fois). Si vous l'avez déjà utilisé, votre demande est enregistrée : connectez-vous par un lien de connexion.`}
      retryHref={`/t/${ctx.territory.slug}/inscription`}
      retryLabel="Recommencer l'inscription"
    />,
    404,
  );
}

function otherBrowserSignup(ctx: RouteContext<any, any>) {
  return ctx.render(<OtherBrowserPage actor={ctx.actor} territory={ctx.territory} retryHref={`/t/${ctx.territory.slug}/inscription`} retryLabel="recommencer l'inscription" />, 403);
}

/**
 * Creates the account when the address has none (no password: the person signs in by link) and
 * adds a pending industrialist membership; an agent confirms it before it grants anything.
 */
async function registerIndustrialist(tx: Tx, audit: AuditContext, p: SignupPayload): Promise<{ userId: number; created: boolean; alreadyMember: boolean } | undefined> {
  let [user] = await tx.select().from(users).where(eq(users.email, p.email)).limit(1);
  let created = false;
  if (user && (user.disabledAt || user.anonymisedAt)) return undefined;
  const self = (u: { id: number; email: string; displayName: string }): AuditContext => ({ ...audit, actor: { memberships: [], user: { ...u, isPlatformAdmin: false } } });
  if (!user) {
    [user] = await tx.insert(users).values({ email: p.email, displayName: p.displayName, passwordHash: null, siret: p.siret }).onConflictDoNothing({ target: users.email }).returning();
    if (!user) [user] = await tx.select().from(users).where(eq(users.email, p.email)).limit(1);
    else {
      created = true;
      await recordAudit(tx, self(user), { action: "create", entity: "user", entityId: user.id, after: { email: user.email, displayName: user.displayName, siret: p.siret, origin: "inscription" } });
    }
  }
  const inserted = await tx
    .insert(memberships)
    .values({ userId: user.id, territoryId: p.territoryId, role: "industrialist", status: "pending" })
    .onConflictDoNothing({ target: [memberships.userId, memberships.territoryId, memberships.role] })
    .returning({ id: memberships.id });
  if (inserted.length) {
    await recordAudit(tx, self(user), {
      territoryId: p.territoryId,
      action: "create",
      entity: "membership",
      entityId: inserted[0].id,
      after: { userId: user.id, role: "industrialist", status: "pending", company: p.company, siret: p.siret, consentToBeContacted: true, origin: "inscription" },
    });
  }
  return { userId: user.id, created, alreadyMember: !inserted.length };
}

export const signupRoutes = [
  defineRoute({
    method: "GET",
    url: "/inscription",
    summary: "Créer un compte industriel : choix du territoire",
    kind: "page",
    permission: "public",
    handler: async (ctx) => {
      const all = await listTerritories(ctx.database.db);
      if (all.length === 1) return ctx.redirect(`/t/${all[0].slug}/inscription`);
      return <SignupTerritoriesPage actor={ctx.actor} territories={all} />;
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/inscription",
    summary: "Formulaire d'inscription d'un industriel au territoire",
    kind: "form",
    permission: "public",
    params: slugParams,
    handler: (ctx) => <SignupPage actor={ctx.actor} csrfToken={ctx.csrfToken()} territory={ctx.territory} minutes={SIGNUP_MINUTES} />,
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/inscription",
    summary: "Envoi du lien de confirmation d'inscription d'un industriel",
    kind: "form",
    permission: "public",
    params: slugParams,
    body: signupSchema as never,
    rateLimit: { max: 10, timeWindow: 60_000 },
    handler: async (ctx) => {
      const form = parseForm(signupSchema, ctx.req.body);
      if (!form.ok) return ctx.render(<SignupPage actor={ctx.actor} csrfToken={ctx.csrfToken()} territory={ctx.territory} errors={form.errors} values={form.values} minutes={SIGNUP_MINUTES} />, 422);
      const data = form.data;
      const db = ctx.database.db;
      const verdict = await throttle(db, "inscription", data.email, ctx.req.ip, MAX_LINKS_PER_EMAIL);
      if (verdict === "address") {
        return ctx.render(<SignupPage actor={ctx.actor} csrfToken={ctx.csrfToken()} territory={ctx.territory} values={formValuesOf(data)} minutes={SIGNUP_MINUTES} message={TOO_MANY} />, 429);
      }
      const browser = bindBrowser(ctx);
      if (verdict === "ok") {
        // Whether or not the address has an account, the same token, message and answer: the
        // confirmation decides (create the account, or only add the membership).
        const token = randomToken();
        const payload: SignupPayload = { territoryId: ctx.territory.id, email: data.email, displayName: data.displayName, company: data.company, siret: data.siret, browser };
        await db.insert(oneTimeTokens).values({ tokenHash: sha256(token), purpose: SIGNUP, payload, expiresAt: new Date(Date.now() + SIGNUP_MINUTES * 60_000) });
        sendLater(
          ctx,
          data.email,
          `Collines — confirmez votre inscription (${ctx.territory.name})`,
          `Bonjour ${data.displayName},\n\nVous avez demandé à participer au Territoire d'industrie ${ctx.territory.name} pour l'entreprise ${data.company}. Pour confirmer, ouvrez ce lien dans le navigateur où vous l'avez demandé (valable ${SIGNUP_MINUTES} minutes, une seule fois) :\n\n${ctx.config.baseUrl}/t/${ctx.territory.slug}/inscription/${token}\n\nL'équipe du territoire examinera ensuite votre demande. Vous vous connecterez par un lien reçu par courriel, sans mot de passe.\n\nSi vous n'avez rien demandé, ignorez ce message : aucun compte ne sera créé.\n`,
        );
      }
      return ctx.render(<SignupPage actor={ctx.actor} csrfToken={ctx.csrfToken()} territory={ctx.territory} minutes={SIGNUP_MINUTES} sent />);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/inscription/:token",
    summary: "Lien de confirmation d'inscription : page de confirmation",
    kind: "form",
    permission: "public",
    params: slugTokenParams,
    handler: async (ctx) => {
      ctx.reply.header("referrer-policy", "no-referrer");
      const link = await findLink(ctx.database.db, ctx.params.token, SIGNUP);
      const payload = link?.payload as SignupPayload | undefined;
      if (!payload || payload.territoryId !== ctx.territory.id) return invalidSignup(ctx);
      if (payload.browser !== browserHash(ctx)) return otherBrowserSignup(ctx);
      return (
        <LinkConfirmPage
          actor={ctx.actor}
          csrfToken={ctx.csrfToken()}
          territory={ctx.territory}
          action={`/t/${ctx.territory.slug}/inscription/${ctx.params.token}`}
          title="Confirmer votre inscription"
          intro={`Vous demandez à participer au Territoire d'industrie ${ctx.territory.name} pour l'entreprise ${payload.company}, avec l'adresse ${payload.email}.`}
          button="Confirmer mon inscription"
        />
      );
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/inscription/:token",
    summary: "Confirmation de l'inscription d'un industriel (compte et demande de participation en attente)",
    kind: "form",
    permission: "public",
    params: slugTokenParams,
    audit: "membership",
    rateLimit: { max: 20, timeWindow: 60_000 },
    handler: async (ctx) => {
      const db = ctx.database.db;
      const browser = browserHash(ctx);
      const territoryId = ctx.territory.id;
      const result = browser
        ? await db.transaction(async (tx) => {
            const link = await consumeLink(tx, ctx.params.token, SIGNUP, browser, sql`${oneTimeTokens.payload} ->> 'territoryId' = ${String(territoryId)}`);
            if (!link) return "invalid" as const;
            const done = await registerIndustrialist(tx, ctx.audit, link.payload as SignupPayload);
            return done ?? ("disabled" as const);
          })
        : ("invalid" as const);
      if (result === "invalid") {
        const link = await findLink(db, ctx.params.token, SIGNUP);
        return link && (link.payload as SignupPayload).territoryId === territoryId ? otherBrowserSignup(ctx) : invalidSignup(ctx);
      }
      if (result === "disabled") return invalidSignup(ctx);
      await startSession(db, ctx.reply, result.userId, { secure: ctx.config.secureCookies, userAgent: ctx.req.headers["user-agent"] });
      ctx.reply.clearCookie(LINK_COOKIE, { path: "/" });
      return ctx.redirect(
        `/t/${ctx.territory.slug}`,
        result.alreadyMember
          ? "Vous êtes connecté. Votre demande de participation à ce territoire était déjà enregistrée."
          : "Votre demande de participation est enregistrée et vous êtes connecté. L'équipe du territoire va l'examiner ; ensuite, connectez-vous par un lien reçu par courriel.",
      );
    },
  }),
];

function formValuesOf(data: z.infer<typeof signupSchema>) {
  return { email: data.email, displayName: data.displayName, company: data.company, siret: data.siret ?? "", consent: data.consent ? "on" : undefined };
}
