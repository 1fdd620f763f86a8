import { z } from "zod";
import { allRoutes } from "../index.ts";

/** The OpenAPI 3.1 document, derived from the route registry's zod schemas (ADR 0004). */
export function buildOpenApi(baseUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of allRoutes().filter((r) => r.openapi)) {
    const path = r.url.replace(/:([A-Za-z]+)/g, "{$1}");
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ["path", r.params],
      ["query", r.query],
    ] as const) {
      if (!schema) continue;
      const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, s] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), schema: s, description: (s as { description?: string }).description });
      }
    }
    const responses: Record<string, unknown> = {
      "200": {
        description: "Réponse",
        content: r.response
          ? { [r.url.endsWith(".csv") ? "text/csv" : "application/json"]: { schema: z.toJSONSchema(r.response, { io: "output", unrepresentable: "any" }) } }
          : { "application/json": {} },
      },
      "404": { description: "Introuvable (ou non publié)" },
    };
    paths[path] ??= {};
    paths[path][r.method.toLowerCase()] = {
      summary: r.summary,
      tags: r.tags,
      operationId: `${r.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
      parameters,
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Collines — API ouverte des Territoires d'industrie",
      version: "1.0.0",
      description: "Données publiées des territoires : plans d'actions, actions. Seul le contenu publié y figure. Licence Ouverte 2.0.",
      license: { name: "Licence Ouverte 2.0", url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/" },
    },
    servers: [{ url: baseUrl }],
    paths,
  };
}
