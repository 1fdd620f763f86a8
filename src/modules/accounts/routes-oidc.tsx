import { eq } from "drizzle-orm";
import { z } from "zod";
import { defineRoute, type RouteContext } from "../../core/http/registry.ts";
import { startSession } from "../../core/auth/session.ts";
import { displayNameOf, finishAuthorization, OidcError, startAuthorization, type AuthorizationChecks, type OidcIdentity } from "../../core/auth/oidc.ts";
import { users } from "../../core/db/schema.ts";
import type { Tx } from "../../core/db/client.ts";
import { recordAudit, type AuditContext } from "../../core/audit/index.ts";
import { OidcErrorPage } from "./pages/oidc.tsx";

// OpenID Connect single sign-on, compatible with ProConnect: authorization code with PKCE, state
// and nonce. What must survive the round trip stays in a short-lived HttpOnly cookie of this
// browser (nothing is written in the database before the provider answers).

const FLOW_COOKIE = "collines_oidc";
const FLOW_PATH = "/connexion/oidc";
const FLOW_MINUTES = 10;

interface Flow extends AuthorizationChecks {
  retour?: string;
  at: number;
}

function safePath(raw: unknown): string | undefined {
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\") || /[\r\n]/.test(raw) || raw.length > 500) return undefined;
  return raw;
}

function readFlow(raw: string | undefined): Flow | undefined {
  if (!raw || raw.length > 2000) return undefined;
  try {
    const f = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Flow;
    if (typeof f.state !== "string" || typeof f.nonce !== "string" || typeof f.codeVerifier !== "string" || typeof f.at !== "number") return undefined;
    return Date.now() - f.at < FLOW_MINUTES * 60_000 ? f : undefined;
  } catch {
    return undefined;
  }
}

/** Why an account cannot be opened from the provider's answer (shown as is). */
class SignOnRefused extends Error {}

const PROVIDER_MESSAGES: Record<string, string> = {
  access_denied: "Vous avez annulé la connexion, ou le fournisseur d'identité l'a refusée.",
  login_required: "Le fournisseur d'identité demande de vous identifier à nouveau.",
  consent_required: "Le fournisseur d'identité attend votre accord pour transmettre vos informations.",
  interaction_required: "Le fournisseur d'identité attend une action de votre part.",
  temporarily_unavailable: "Le fournisseur d'identité est momentanément indisponible.",
  server_error: "Le fournisseur d'identité a rencontré une erreur.",
};

function explain(e: OidcError, label: string): { status: number; detail: string } {
  if (e.kind === "unavailable") return { status: 502, detail: `Le service ${label} ne répond pas pour le moment. Réessayez dans quelques minutes, ou connectez-vous autrement.` };
  if (e.kind === "refused") return { status: 400, detail: `${PROVIDER_MESSAGES[e.providerError ?? ""] ?? `Le fournisseur d'identité a refusé la connexion (${e.providerError ?? "erreur"}).`} Vous pouvez réessayer.` };
  return { status: 400, detail: `La réponse de ${label} n'a pas pu être vérifiée : la connexion a peut-être expiré ou été ouverte dans un autre onglet. Recommencez depuis la page de connexion.` };
}

const asSelf = (audit: AuditContext, u: { id: number; email: string; displayName: string; isPlatformAdmin: boolean }): AuditContext => ({
  ...audit,
  actor: { memberships: [], user: { id: u.id, email: u.email, displayName: u.displayName, isPlatformAdmin: u.isPlatformAdmin } },
});

/**
 * Finds the account of a provider identity: by `sub` first; else by a verified e-mail, which links
 * the account (sets its `sub`); else creates one without password. Keeps the SIRET claim.
 */
export async function accountForIdentity(tx: Tx, audit: AuditContext, id: OidcIdentity, label: string): Promise<number> {
  const [bySub] = await tx.select().from(users).where(eq(users.oidcSub, id.sub)).limit(1);
  if (bySub) {
    if (bySub.disabledAt || bySub.anonymisedAt) throw new SignOnRefused("Ce compte est désactivé. Contactez l'administrateur de votre territoire.");
    if (id.siret && id.siret !== bySub.siret) {
      await tx.update(users).set({ siret: id.siret }).where(eq(users.id, bySub.id));
      await recordAudit(tx, asSelf(audit, bySub), { action: "update", entity: "user", entityId: bySub.id, before: { siret: bySub.siret }, after: { siret: id.siret, origin: label } });
    }
    return bySub.id;
  }
  if (!id.email) throw new SignOnRefused(`${label} n'a pas transmis d'adresse électronique : impossible d'ouvrir votre compte.`);
  // An address the provider says it has not verified could be anyone's: never link or create on it.
  if (id.emailVerified === false) throw new SignOnRefused(`${label} indique que votre adresse électronique n'est pas vérifiée. Vérifiez-la auprès de votre fournisseur d'identité, puis réessayez.`);
  const [byEmail] = await tx.select().from(users).where(eq(users.email, id.email)).limit(1);
  if (byEmail) {
    if (byEmail.disabledAt || byEmail.anonymisedAt) throw new SignOnRefused("Ce compte est désactivé. Contactez l'administrateur de votre territoire.");
    if (byEmail.oidcSub) throw new SignOnRefused(`Votre compte Collines est déjà associé à une autre identité ${label}. Connectez-vous avec celle-ci, ou par un lien reçu par courriel.`);
    const siret = id.siret ?? byEmail.siret;
    await tx.update(users).set({ oidcSub: id.sub, siret }).where(eq(users.id, byEmail.id));
    await recordAudit(tx, asSelf(audit, byEmail), { action: "update", entity: "user", entityId: byEmail.id, before: { oidcSub: null, siret: byEmail.siret }, after: { oidcSub: "associé", siret, origin: label } });
    return byEmail.id;
  }
  const displayName = displayNameOf(id);
  const [created] = await tx.insert(users).values({ email: id.email, displayName, passwordHash: null, oidcSub: id.sub, siret: id.siret ?? null }).returning();
  await recordAudit(tx, asSelf(audit, created), { action: "create", entity: "user", entityId: created.id, after: { email: created.email, displayName, siret: created.siret, origin: label } });
  return created.id;
}

function errorPage(ctx: RouteContext<any, any>, status: number, detail: string, retry = true) {
  return ctx.render(<OidcErrorPage actor={ctx.actor} label={ctx.config.oidc?.label ?? "OpenID Connect"} detail={detail} retry={retry} />, status);
}

export const oidcRoutes = [
  defineRoute({
    method: "GET",
    url: "/connexion/oidc",
    summary: "Connexion par OpenID Connect (ProConnect) : redirection vers le fournisseur d'identité",
    kind: "page",
    permission: "public",
    query: z.object({ retour: z.string().max(500).optional() }),
    rateLimit: { max: 30, timeWindow: 60_000 },
    handler: async (ctx) => {
      const oidc = ctx.config.oidc;
      if (!oidc) return ctx.reply.callNotFound();
      let started: Awaited<ReturnType<typeof startAuthorization>>;
      try {
        started = await startAuthorization(oidc, ctx.config.env);
      } catch (e) {
        const err = e instanceof OidcError ? e : new OidcError("unavailable", String(e));
        ctx.req.log.warn({ err: err.message }, "oidc start failed");
        const { status, detail } = explain(err, oidc.label);
        return errorPage(ctx, status, detail);
      }
      const flow: Flow = { ...started.checks, retour: safePath(ctx.query.retour), at: Date.now() };
      ctx.reply.setCookie(FLOW_COOKIE, Buffer.from(JSON.stringify(flow)).toString("base64url"), {
        path: FLOW_PATH,
        httpOnly: true,
        sameSite: "lax",
        secure: ctx.config.secureCookies,
        maxAge: FLOW_MINUTES * 60,
      });
      return ctx.reply.redirect(started.url.href, 303);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/connexion/oidc/retour",
    summary: "Retour du fournisseur d'identité OpenID Connect (ProConnect)",
    kind: "page",
    permission: "public",
    rateLimit: { max: 30, timeWindow: 60_000 },
    handler: async (ctx) => {
      const oidc = ctx.config.oidc;
      if (!oidc) return ctx.reply.callNotFound();
      const flow = readFlow(ctx.req.cookies?.[FLOW_COOKIE]);
      // Single use: the browser forgets the checks whatever the outcome.
      ctx.reply.clearCookie(FLOW_COOKIE, { path: FLOW_PATH });
      const query = ctx.req.url.includes("?") ? ctx.req.url.slice(ctx.req.url.indexOf("?")) : "";
      const callback = new URL(oidc.redirectUri);
      callback.search = query;
      if (!flow) {
        if (callback.searchParams.get("error")) {
          const { status, detail } = explain(new OidcError("refused", "", callback.searchParams.get("error")!.slice(0, 60)), oidc.label);
          return errorPage(ctx, status, detail);
        }
        return errorPage(ctx, 400, `La connexion avec ${oidc.label} a expiré (${FLOW_MINUTES} minutes) ou n'a pas été commencée dans ce navigateur. Recommencez depuis la page de connexion.`);
      }
      let identity: OidcIdentity;
      try {
        identity = await finishAuthorization(oidc, ctx.config.env, callback, flow);
      } catch (e) {
        const err = e instanceof OidcError ? e : new OidcError("invalid", String(e));
        ctx.req.log.warn({ err: err.message, kind: err.kind }, "oidc callback failed");
        const { status, detail } = explain(err, oidc.label);
        return errorPage(ctx, status, detail);
      }
      const db = ctx.database.db;
      let userId: number;
      try {
        userId = await db.transaction((tx) => accountForIdentity(tx, ctx.audit, identity, oidc.label));
      } catch (e) {
        if (e instanceof SignOnRefused) return errorPage(ctx, 403, e.message, false);
        // Two first sign-ins of one person at the same instant: the second finds the account next time.
        const code = (e as { code?: string; cause?: { code?: string } }).code ?? (e as { cause?: { code?: string } }).cause?.code;
        if (code === "23505") return errorPage(ctx, 409, "Votre compte vient d'être créé par une autre connexion simultanée. Réessayez.");
        throw e;
      }
      await startSession(db, ctx.reply, userId, { secure: ctx.config.secureCookies, userAgent: ctx.req.headers["user-agent"] });
      return ctx.redirect(flow.retour ?? "/gestion", `Vous êtes connecté avec ${oidc.label}.`);
    },
  }),
];
