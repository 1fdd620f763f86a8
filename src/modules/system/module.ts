import { sql } from "drizzle-orm";
import { defineModule } from "../../core/module.ts";
import { defineRoute } from "../../core/http/registry.ts";
import { buildOpenApi } from "./openapi.ts";

export const systemModule = defineModule({
  id: "system",
  routes: [
    defineRoute({
      method: "GET",
      url: "/healthz",
      summary: "Le processus répond",
      kind: "system",
      permission: "public",
      handler: (ctx) => {
        ctx.reply.header("cache-control", "no-store");
        return { status: "ok" };
      },
    }),
    defineRoute({
      method: "GET",
      url: "/readyz",
      summary: "La base de données répond",
      kind: "system",
      permission: "public",
      handler: async (ctx) => {
        ctx.reply.header("cache-control", "no-store");
        try {
          await ctx.database.db.execute(sql`select 1`);
          return { status: "ok", database: ctx.database.kind };
        } catch {
          ctx.reply.code(503).header("retry-after", "5");
          return { status: "indisponible", database: ctx.database.kind };
        }
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/openapi.json",
      summary: "Description OpenAPI de l'API ouverte",
      kind: "api",
      permission: "public",
      cache: true,
      handler: (ctx) => buildOpenApi(ctx.config.baseUrl),
    }),
  ],
});
