import type { FastifyReply, FastifyRequest } from "fastify";
import type { VNode } from "preact";
import type { z } from "zod";
import type { AuditContext } from "../audit/index.ts";
import type { Actor } from "../authz/index.ts";
import type { Database } from "../db/client.ts";
import type { Config } from "../../config.ts";
import type { Mailer } from "../mail/index.ts";
import type { TerritoryRow } from "./territory.ts";

export type Method = "GET" | "POST";

/** What a handler receives: parsed params and query, the actor, the territory of the URL. */
export interface RouteContext<P = Record<string, never>, Q = Record<string, never>> {
  req: FastifyRequest;
  reply: FastifyReply;
  database: Database;
  config: Config;
  mailer: Mailer;
  actor: Actor;
  params: P;
  query: Q;
  /** The territory named by `:slug` in the URL (routes under /t/:slug only). */
  territory: TerritoryRow;
  audit: AuditContext;
  /** A CSRF token for the forms of the page being rendered. */
  csrfToken(): string;
  /** Renders a full HTML page. */
  render(page: VNode, status?: number): FastifyReply;
  /** Redirects after a successful POST, with a message shown on the next page. */
  redirect(to: string, flash?: string): FastifyReply;
  /** The message left by the previous redirect, if any. */
  flash?: string;
}

export interface RouteDef<P = any, Q = any> {
  method: Method;
  url: string;
  /** French, one line: shown in the OpenAPI document and the route list. */
  summary: string;
  kind: "page" | "form" | "api" | "file" | "system";
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** The form or JSON body schema (validated in the handler, so a form can answer 422 with its values). */
  body?: z.ZodObject;
  /** JSON response schema, for the OpenAPI document. */
  response?: z.ZodType;
  /** `public`, `signed_in` or a declared permission `module.resource.action`. */
  permission: string;
  /** Mutating routes name the entity they write, so tests can check the audit trail. */
  audit?: string;
  /** Anonymous GET answers may be cached and revalidated with an ETag of the content version. */
  cache?: boolean;
  /** Per-process request limit on top of the database throttling (sign-in, public forms). */
  rateLimit?: { max: number; timeWindow: number };
  /** Included in the public OpenAPI document. */
  openapi?: boolean;
  tags?: string[];
  handler(ctx: RouteContext<P, Q>): Promise<unknown> | unknown;
}

/** Declares one route (typed from its schemas). */
export function defineRoute<P extends z.ZodObject | undefined = undefined, Q extends z.ZodObject | undefined = undefined>(
  def: Omit<RouteDef, "handler" | "params" | "query"> & {
    params?: P;
    query?: Q;
    handler(
      ctx: RouteContext<P extends z.ZodObject ? z.infer<P> : Record<string, never>, Q extends z.ZodObject ? z.infer<Q> : Record<string, never>>,
    ): Promise<unknown> | unknown;
  },
): RouteDef {
  return def as RouteDef;
}
