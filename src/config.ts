import { resolve } from "node:path";
import { z } from "zod";

const unsetIfEmpty = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** Environment variables, parsed once. Every setting of the platform is here. */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATA_DIR: z.string().default("./data"),
  DATABASE_URL: z.string().url().optional(),
  BASE_URL: z.string().url().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().min(3).default("Collines <ne-pas-repondre@collines.invalid>"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  MAX_UPLOAD_MB: z.coerce.number().positive().default(10),
  /** OpenID Connect (ProConnect): enabled when the issuer, client id and secret are all set. */
  // An empty value (`OIDC_ISSUER=` in an env file) means "not set".
  OIDC_ISSUER: z.preprocess(unsetIfEmpty, z.string().url().optional()),
  OIDC_CLIENT_ID: z.preprocess(unsetIfEmpty, z.string().optional()),
  OIDC_CLIENT_SECRET: z.preprocess(unsetIfEmpty, z.string().optional()),
  OIDC_SCOPES: z.string().min(1).default("openid email given_name usual_name siret uid"),
  OIDC_LABEL: z.string().min(1).max(60).default("ProConnect"),
});

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  baseUrl: string;
  smtpUrl?: string;
  /** Sender of every message (MAIL_FROM). */
  mailFrom: string;
  logLevel: string;
  trustProxy: boolean;
  maxUploadBytes: number;
  /** Cookies get `Secure` when the public address is https. */
  secureCookies: boolean;
  /** OpenID Connect single sign-on (ProConnect or another provider), when configured. */
  oidc?: OidcConfig;
};

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes asked of the provider (`openid` included). */
  scopes: string;
  /** The provider's name on the sign-in button ("Se connecter avec …"). */
  label: string;
  /** Our callback address, registered with the provider. */
  redirectUri: string;
}

/** Reads the configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Configuration invalide :\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  const oidcSet = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidcSet > 0 && oidcSet < 3) {
    throw new Error("Configuration invalide :\n  OIDC_ISSUER, OIDC_CLIENT_ID et OIDC_CLIENT_SECRET vont ensemble : indiquez les trois pour activer la connexion OpenID Connect, ou aucun.");
  }
  if (e.OIDC_ISSUER && !e.OIDC_SCOPES.split(/\s+/).includes("openid")) {
    throw new Error("Configuration invalide :\n  OIDC_SCOPES doit contenir « openid ».");
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    baseUrl,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY === "true",
    maxUploadBytes: Math.round(e.MAX_UPLOAD_MB * 1024 * 1024),
    secureCookies: baseUrl.startsWith("https://"),
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            scopes: e.OIDC_SCOPES.trim().split(/\s+/).join(" "),
            label: e.OIDC_LABEL,
            redirectUri: `${baseUrl}/connexion/oidc/retour`,
          }
        : undefined,
  };
}
