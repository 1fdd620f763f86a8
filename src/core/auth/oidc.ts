import * as client from "openid-client";
import type { OidcConfig } from "../../config.ts";

/** What the provider tells us about the person (ProConnect claims); `sub` is the link key. */
export interface OidcIdentity {
  sub: string;
  email?: string;
  /** `false` only when the provider says the address is not verified; ProConnect sends no such claim. */
  emailVerified?: boolean;
  givenName?: string;
  usualName?: string;
  /** 14 digits, as sent by ProConnect; anything else is dropped. */
  siret?: string;
  uid?: string;
}

/** Why a single sign-on failed, in terms a French page can explain. */
export class OidcError extends Error {
  constructor(
    readonly kind: "unavailable" | "refused" | "invalid",
    message: string,
    /** The provider's `error` code, when it gave one (access_denied, login_required…). */
    readonly providerError?: string,
  ) {
    super(message);
  }
}

/** What must survive the round trip to the provider (kept server-side, keyed by a browser cookie). */
export interface AuthorizationChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

const DISCOVERY_TTL_MS = 60 * 60_000;
const TIMEOUT_S = 10;

// The discovered configuration is cached per process: safe to lose, re-fetched after an hour or a failure.
let cached: { key: string; at: number; promise: Promise<client.Configuration> } | undefined;

/** Plain http is accepted for a provider on loopback (tests, a local provider) or outside production. */
function allowsHttp(issuer: string, env: string): boolean {
  const host = new URL(issuer).hostname;
  return env !== "production" || host === "localhost" || host === "127.0.0.1" || host === "[::1]";
}

/** The provider's configuration, discovered from its issuer (`/.well-known/openid-configuration`). */
export function oidcConfiguration(cfg: OidcConfig, env: string): Promise<client.Configuration> {
  const key = `${cfg.issuer}\n${cfg.clientId}\n${cfg.clientSecret}`;
  if (cached && cached.key === key && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.promise;
  const insecure = new URL(cfg.issuer).protocol === "http:";
  if (insecure && !allowsHttp(cfg.issuer, env)) {
    return Promise.reject(new OidcError("invalid", "OIDC_ISSUER doit être une adresse https en production."));
  }
  const promise = client
    .discovery(new URL(cfg.issuer), cfg.clientId, cfg.clientSecret, undefined, {
      execute: insecure ? [client.allowInsecureRequests] : [],
      timeout: TIMEOUT_S,
    })
    .then((configuration) => {
      configuration.timeout = TIMEOUT_S;
      return configuration;
    });
  const entry = { key, at: Date.now(), promise };
  cached = entry;
  promise.catch(() => {
    if (cached === entry) cached = undefined;
  });
  return promise.catch((e: unknown) => {
    throw new OidcError("unavailable", `Découverte du fournisseur impossible : ${(e as Error).message}`);
  });
}

/** Starts a sign-in: the provider's authorization URL and the checks to keep until it answers. */
export async function startAuthorization(cfg: OidcConfig, env: string): Promise<{ url: URL; checks: AuthorizationChecks }> {
  const configuration = await oidcConfiguration(cfg, env);
  const checks: AuthorizationChecks = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier: client.randomPKCECodeVerifier() };
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: cfg.redirectUri,
    scope: cfg.scopes,
    state: checks.state,
    nonce: checks.nonce,
    code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
    code_challenge_method: "S256",
  });
  return { url, checks };
}

/**
 * Finishes a sign-in from the callback URL: checks state, PKCE and nonce, exchanges the code,
 * then reads the claims of the ID token and of the userinfo endpoint (ProConnect puts them there,
 * as a signed JWT, which the library verifies).
 */
export async function finishAuthorization(cfg: OidcConfig, env: string, callbackUrl: URL, checks: AuthorizationChecks): Promise<OidcIdentity> {
  const configuration = await oidcConfiguration(cfg, env);
  const error = callbackUrl.searchParams.get("error");
  if (error) {
    throw new OidcError("refused", callbackUrl.searchParams.get("error_description") ?? error, error.slice(0, 60));
  }
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    });
  } catch (e) {
    throw asOidcError(e);
  }
  const idClaims = tokens.claims();
  if (!idClaims?.sub) throw new OidcError("invalid", "Jeton d'identité sans « sub ».");
  let info: Record<string, unknown> = {};
  if (configuration.serverMetadata().userinfo_endpoint) {
    try {
      info = (await client.fetchUserInfo(configuration, tokens.access_token, idClaims.sub)) as Record<string, unknown>;
    } catch (e) {
      throw asOidcError(e);
    }
  }
  return identityFromClaims({ ...(idClaims as Record<string, unknown>), ...info });
}

/** Maps the library's errors to ours: network trouble, a refusal by the provider, or an invalid answer. */
function asOidcError(e: unknown): OidcError {
  if (e instanceof OidcError) return e;
  if (e instanceof client.AuthorizationResponseError) return new OidcError("refused", e.error_description ?? e.error, e.error.slice(0, 60));
  if (e instanceof client.ResponseBodyError) return new OidcError("invalid", `${e.error}${e.error_description ? ` : ${e.error_description}` : ""}`, e.error.slice(0, 60));
  const err = e as Error & { cause?: { code?: string } };
  if (err?.name === "TypeError" || err?.name === "TimeoutError" || err?.name === "AbortError" || err?.cause?.code === "ECONNREFUSED") {
    return new OidcError("unavailable", err.message);
  }
  return new OidcError("invalid", err?.message ?? String(e));
}

const str = (v: unknown, max = 200): string | undefined => (typeof v === "string" && v.trim() ? v.trim().slice(0, max) : undefined);

/** Keeps the claims we use, typed and bounded. */
export function identityFromClaims(claims: Record<string, unknown>): OidcIdentity {
  const sub = str(claims.sub, 255);
  if (!sub) throw new OidcError("invalid", "Réponse sans identifiant « sub ».");
  const siret = str(claims.siret, 20)?.replace(/\s/g, "");
  const verified = claims.email_verified;
  return {
    sub,
    email: str(claims.email, 254)?.toLowerCase(),
    emailVerified: verified === false || verified === "false" ? false : verified === true || verified === "true" ? true : undefined,
    givenName: str(claims.given_name, 80),
    usualName: str(claims.usual_name ?? claims.family_name, 80),
    siret: siret && /^\d{14}$/.test(siret) ? siret : undefined,
    uid: str(claims.uid, 255),
  };
}

/** The name shown for an account created by single sign-on: given name and usual name, else the e-mail. */
export function displayNameOf(identity: OidcIdentity): string {
  const name = [identity.givenName, identity.usualName].filter(Boolean).join(" ").trim();
  return (name || identity.email?.split("@")[0] || "Utilisateur").slice(0, 120);
}
