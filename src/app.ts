import { randomUUID } from "node:crypto";
import { constants as zlibConstants } from "node:zlib";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import helmet from "@fastify/helmet";
import compress from "@fastify/compress";
import underPressure from "@fastify/under-pressure";
import rateLimit from "@fastify/rate-limit";
import csrf from "@fastify/csrf-protection";
import { isValidElement, type VNode } from "preact";
import { h } from "preact";
import type { Config } from "./config.ts";
import { isDatabaseUnavailable, type Database } from "./core/db/client.ts";
import { ANONYMOUS, can, type Actor } from "./core/authz/index.ts";
import { loadActor, SESSION_COOKIE } from "./core/auth/session.ts";
import type { RouteContext, RouteDef } from "./core/http/registry.ts";
import { findTerritoryBySlug, type TerritoryRow } from "./core/http/territory.ts";
import { renderDocument } from "./core/http/render.ts";
import { ErrorPage, errorText, errorTitle } from "./core/http/errors.tsx";
import { assetsByUrl, assetsVersion } from "./core/ui/assets.ts";
import { allRoutes } from "./modules/index.ts";
import { PageCache, type CachedPage } from "./core/http/cache.ts";
import { ContentVersion } from "./core/http/content-version.ts";
import { RequestContext, type RequestView } from "./core/ui/request-context.ts";
import { Mailer } from "./core/mail/index.ts";
import { registerUploads } from "./core/http/upload.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor: Actor;
  }
}

export interface AppOptions {
  config: Config;
  database: Database;
  logger?: boolean;
  mailer?: Mailer;
  /** Requests handled at once before new ones are refused with 503 (default 512; /healthz and /readyz exempt). */
  maxInFlight?: number;
  /** Where JSON log lines go (default standard output); tests read them. */
  logStream?: { write(line: string): void };
}

/** Log-safe text: e-mail addresses masked. */
export function scrubLogText(s: string): string {
  return s.replace(/[^\s<>"'(),;:@]+@[^\s<>"'(),;:@]+\.[A-Za-z]{2,}/g, "[adresse masquée]");
}

/** A request path for the logs: no query string, one-time tokens (sign-in links, invitations…) masked. */
export function logPath(url: string): string {
  return url
    .split("?")[0]
    .split("/")
    .map((seg) => (/^(?=.*[A-Z_])[A-Za-z0-9_-]{20,}$/.test(seg) ? ":jeton" : scrubLogText(seg)))
    .join("/");
}

const FLASH_COOKIE = "collines_flash";

/** Builds the Fastify application: core plugins, then every module's routes, then 404 and errors. */
export async function buildApp({ config, database, logger = true, mailer = new Mailer(config), maxInFlight = 512, logStream }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger
      ? {
          level: config.logLevel,
          // No personal data in logs: no query strings, cookies or bodies.
          serializers: {
            req: (req) => ({ method: req.method, url: logPath(req.url), id: req.id }),
            res: (res) => ({ statusCode: res.statusCode }),
            // Database errors quote the query's parameters (e-mails…): keep the message, drop them.
            // Mail errors quote recipients: addresses are masked, whether given an Error or its message.
            err: (e: Error) => {
              const error = e as Error | string;
              if (typeof error !== "object" || error === null) return { type: "message", message: scrubLogText(String(error)).slice(0, 500), stack: "" };
              const err = error as Error & { code?: string; cause?: { code?: string } };
              return {
                type: err.name,
                code: err.code ?? err.cause?.code,
                message: scrubLogText(String(err.message).split("\nparams:")[0]).slice(0, 500),
                stack: (err.stack ?? "").split("\n").filter((l) => l.trimStart().startsWith("at ")).slice(0, 8).join("\n"),
              };
            },
          },
          ...(logStream ? { stream: logStream } : {}),
        }
      : false,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
    forceCloseConnections: "idle",
  });
  app.decorateRequest("actor", null as unknown as Actor);
  app.decorate("database", database);

  // A bounded queue: beyond maxInFlight requests in progress, new ones get 503 at once (with
  // Retry-After) instead of waiting behind the database without bound; probes always answer.
  let inFlight = 0;
  const counted = new WeakSet<FastifyRequest>();
  const done = async (req: FastifyRequest) => {
    if (counted.delete(req)) inFlight--;
  };
  app.addHook("onRequest", async (req, reply) => {
    if (req.url === "/healthz" || req.url === "/readyz") return;
    if (inFlight >= maxInFlight) {
      req.log.warn({ inFlight }, "overload: request refused");
      return reply.code(503).header("retry-after", "5").type("text/plain; charset=utf-8").send("Service surchargé : trop de requêtes en cours. Réessayez dans quelques secondes.");
    }
    inFlight++;
    counted.add(req);
  });
  app.addHook("onResponse", done);
  app.addHook("onRequestAbort", done);

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 1024 * 1024 });
  await registerUploads(app, config);
  // Marks the requests whose body was read: a multipart parser error before that (a truncated or
  // malformed body) is bad input, answered 400, not a server fault.
  const bodyRead = new WeakSet<FastifyRequest>();
  app.addHook("preValidation", async (req) => {
    bodyRead.add(req);
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: config.secureCookies ? [] : null,
      },
    },
    referrerPolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: false,
    hsts: config.secureCookies ? { maxAge: 31536000 } : false,
  });
  await app.register(compress, { threshold: 1024, encodings: ["br", "gzip", "deflate"], brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } } });
  // Shed load only when the event loop is really stuck: a busy but answering server keeps serving.
  await app.register(underPressure, {
    maxEventLoopDelay: 1500,
    retryAfter: 10,
    pressureHandler: (_req, reply, type, value) => {
      reply.code(503).header("retry-after", "10").type("text/plain; charset=utf-8").send(`Service surchargé (${type} ${value}), réessayez dans 10 secondes.`);
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(csrf, {
    cookieKey: "collines_csrf",
    cookieOpts: { path: "/", httpOnly: true, sameSite: "strict", secure: config.secureCookies, signed: false },
    getToken: (req) => (req.body as Record<string, string> | undefined)?._csrf ?? (req.headers["x-csrf-token"] as string | undefined),
  });

  // Bounded by entries and bytes: a crawler walking every action page cycles it, never grows it.
  const cache = new PageCache(4000, 24 * 1024 * 1024);
  const version = new ContentVersion(database);
  await version.start();
  app.addHook("onClose", async () => version.stop());

  // The request id in every answer, so a person reporting a problem can quote it.
  app.addHook("onSend", async (req, reply) => {
    reply.header("x-request-id", req.id);
  });

  // Immutable hashed assets.
  app.get("/assets/*", (req, reply) => {
    const asset = assetsByUrl.get(req.url.split("?")[0]);
    if (!asset) return sendError(req, reply, 404);
    return reply.header("cache-control", "public, max-age=31536000, immutable").type(asset.type).send(asset.body);
  });
  app.get("/favicon.ico", (_req, reply) => reply.redirect([...assetsByUrl.values()].find((a) => a.url.includes("favicon"))!.url, 301));
  app.get("/robots.txt", (_req, reply) => reply.type("text/plain").send("User-agent: *\nDisallow: /gestion\nDisallow: /t/*/gestion\n"));

  const territories = new TerritoryCache();
  for (const def of allRoutes()) mountRoute(app, def, { config, database, cache, mailer, version, territories });

  app.setNotFoundHandler(async (req, reply) => sendError(req, reply, 404));
  app.setErrorHandler(async (error: Error & { statusCode?: number; code?: string }, req, reply) => {
    let status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status === 500 && req.isMultipart() && !bodyRead.has(req)) status = 400;
    let detail: string | undefined;
    if (error.code?.startsWith("FST_CSRF")) {
      status = 403;
      detail = "Le formulaire a expiré ou n'a pas été envoyé depuis ce site. Rechargez la page et recommencez.";
    } else if (isDatabaseUnavailable(error)) {
      // The database restarts or is unreachable: a temporary refusal (Retry-After), not a fault.
      status = 503;
      detail = "La base de données ne répond pas pour le moment. Réessayez dans quelques secondes.";
    } else if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") status = 415;
    else if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") status = 413;
    else if (isInvalidTextError(error)) {
      // PostgreSQL refuses some characters in text (NUL bytes): bad input, not a server fault.
      status = 400;
      detail = "Les données envoyées contiennent des caractères invalides.";
    } else if (status === 400) detail = "Les données envoyées sont illisibles ou mal formées.";
    if (status >= 500) req.log.error({ err: error }, "request failed");
    else req.log.info({ code: error.code, status }, "request rejected");
    return sendError(req, reply, status, detail);
  });
  return app;
}

/** PostgreSQL's "invalid byte sequence" / "untranslatable character" errors (Drizzle wraps them). */
function isInvalidTextError(error: Error & { code?: string; cause?: unknown }): boolean {
  const code = error.code ?? (error.cause as { code?: string } | undefined)?.code;
  return code === "22021" || code === "22P05";
}

/** Decodes the flash cookie; a tampered, malformed value is ignored. */
function decodeFlash(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw).slice(0, 300);
  } catch {
    return undefined;
  }
}

/** Answers an error as a French HTML page, or JSON under /api. */
export async function sendError(req: FastifyRequest, reply: FastifyReply, status: number, detail?: string) {
  reply.code(status);
  if (status === 503) reply.header("retry-after", "10");
  if (req.url.startsWith("/api/") || req.headers.accept === "application/json") {
    return reply.type("application/json; charset=utf-8").send({ error: errorTitle(status), message: detail ?? errorText(status), status });
  }
  let actor = req.actor ?? ANONYMOUS;
  if (!req.actor && req.cookies?.[SESSION_COOKIE]) {
    try {
      actor = await loadActor((req.server as FastifyInstance & { database: Database }).database.db, req);
    } catch {
      actor = ANONYMOUS;
    }
  }
  return reply.type("text/html; charset=utf-8").send(renderDocument(h(ErrorPage, { status, actor, detail, requestId: String(req.id) }) as VNode));
}

interface MountDeps {
  config: Config;
  database: Database;
  cache: PageCache;
  mailer: Mailer;
  version: ContentVersion;
  territories: TerritoryCache;
}

/** Territories by slug, kept for one content version (any change bumps it). */
class TerritoryCache {
  private readonly bySlug = new Map<string, { version: number; row: TerritoryRow }>();
  async get(database: Database, version: number, slug: string): Promise<TerritoryRow | undefined> {
    const hit = this.bySlug.get(slug);
    if (hit && hit.version === version) return hit.row;
    const row = await findTerritoryBySlug(database.db, slug);
    if (row) {
      if (this.bySlug.size >= 1000) this.bySlug.clear();
      this.bySlug.set(slug, { version, row });
    }
    return row;
  }
}

function mountRoute(app: FastifyInstance, def: RouteDef, { config, database, cache, mailer, version, territories }: MountDeps) {
  const isMutation = def.method !== "GET";
  app.route({
    method: def.method,
    url: def.url,
    preValidation: isMutation ? app.csrfProtection : undefined,
    config: def.rateLimit ? { rateLimit: def.rateLimit } : undefined,
    handler: async (req, reply) => {
      // Params: a malformed id is a page that does not exist.
      let params: Record<string, unknown> = {};
      if (def.params) {
        const p = def.params.safeParse(req.params);
        if (!p.success) return sendError(req, reply, 404);
        params = p.data as Record<string, unknown>;
      }
      let query: Record<string, unknown> = {};
      if (def.query) {
        const q = def.query.safeParse(req.query);
        if (!q.success) return sendError(req, reply, 400, "Les paramètres de l'adresse ne sont pas valides : " + q.error.issues.map((i) => i.message).join(" ; "));
        query = q.data as Record<string, unknown>;
      }
      // Cached answers are keyed by the path and the parsed query: unknown parameters are ignored.
      const cacheKey = `${req.url.split("?")[0]}${def.query ? `?${JSON.stringify(query)}` : ""}`;
      let territory: TerritoryRow | undefined;
      const slug = (req.params as Record<string, string>).slug;
      if (slug !== undefined) {
        territory = /^[a-z0-9-]{1,80}$/.test(slug) ? await territories.get(database, await version.get(), slug) : undefined;
        if (!territory) return sendError(req, reply, 404);
      }
      const hasSession = Boolean(req.cookies?.[SESSION_COOKIE]);
      req.actor = hasSession ? await loadActor(database.db, req) : ANONYMOUS;
      if (hasSession && !req.actor.user) reply.clearCookie(SESSION_COOKIE, { path: "/" });
      const actor = req.actor;

      if (def.permission !== "public") {
        const allowed = def.permission === "signed_in" ? Boolean(actor.user) : can(actor, def.permission, { territoryId: territory?.id });
        if (!allowed) {
          if (!actor.user && def.method === "GET" && (def.kind === "page" || def.kind === "form")) {
            return reply.redirect(`/connexion?retour=${encodeURIComponent(req.url)}`, 303);
          }
          return sendError(req, reply, 403);
        }
      }

      // HTTP cache for anonymous reads: the ETag is the content version, shared by all processes.
      const flash = req.cookies?.[FLASH_COOKIE];
      const cacheable = def.cache === true && def.method === "GET" && !actor.user && !flash;
      let etag: string | undefined;
      if (cacheable) {
        etag = `W/"${await version.get()}-${assetsVersion}"`;
        reply.header("etag", etag).header("cache-control", "public, max-age=0, must-revalidate").header("vary", "Cookie");
        if (req.headers["if-none-match"] === etag) return reply.code(304).send();
        const hit = cache.get(etag, cacheKey);
        if (hit) return sendCached(req, reply, hit);
      } else if (def.method === "GET") {
        reply.header("cache-control", "private, no-store");
      }

      if (flash) reply.clearCookie(FLASH_COOKIE, { path: "/" });
      let token: string | undefined;
      const ctx: RouteContext<any, any> = {
        req,
        reply,
        database,
        config,
        mailer,
        actor,
        params,
        query,
        territory: territory as TerritoryRow,
        audit: { actor, requestId: String(req.id) },
        flash: flash ? decodeFlash(flash) : undefined,
        csrfToken: () => (token ??= reply.generateCsrf()),
        render: (page: VNode, status = 200) => reply.code(status).type("text/html; charset=utf-8").send(renderDocument(withRequest(page))),
        redirect: (to: string, message?: string) => {
          if (message) reply.setCookie(FLASH_COOKIE, encodeURIComponent(message), { path: "/", httpOnly: true, sameSite: "lax", secure: config.secureCookies });
          return reply.redirect(to, 303);
        },
      };
      const view: RequestView = { csrfToken: ctx.csrfToken, flash: ctx.flash, path: req.url.split("?")[0] };
      const withRequest = (page: VNode) => h(RequestContext.Provider, { value: view }, page) as VNode;
      let result: unknown;
      try {
        result = await def.handler(ctx);
      } finally {
        // This process sees its own writes at once, without waiting for the notification.
        if (isMutation) version.invalidate();
      }
      if (reply.sent) return reply;
      if (result === reply) return reply;
      let body: string;
      let type: string;
      if (isValidElement(result)) {
        body = renderDocument(withRequest(result as VNode));
        type = "text/html; charset=utf-8";
      } else if (typeof result === "string") {
        body = result;
        type = (reply.getHeader("content-type") as string) ?? "text/plain; charset=utf-8";
      } else {
        body = JSON.stringify(result);
        type = "application/json; charset=utf-8";
      }
      if (cacheable && etag && reply.statusCode === 200) return sendCached(req, reply, cache.set(etag, cacheKey, body, type));
      return reply.type(type).send(body);
    },
  });
}

/** Sends a cached answer, already compressed when the client accepts it (no work per request). */
function sendCached(req: FastifyRequest, reply: FastifyReply, entry: CachedPage) {
  reply.type(entry.type).header("vary", "Cookie, Accept-Encoding");
  const accept = String(req.headers["accept-encoding"] ?? "");
  const encoded = acceptsEncoding(accept, "br") ? entry.compressed("br") : acceptsEncoding(accept, "gzip") ? entry.compressed("gzip") : undefined;
  if (encoded) return reply.header("content-encoding", encoded.encoding).send(encoded.body);
  return reply.send(entry.body);
}

function acceptsEncoding(header: string, name: string): boolean {
  return header.split(",").some((part) => {
    const [token, ...params] = part.trim().split(";");
    if (token.trim().toLowerCase() !== name) return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    return !q || Number(q.slice(2)) > 0;
  });
}
