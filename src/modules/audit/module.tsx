import { z } from "zod";
import { defineModule } from "../../core/module.ts";
import { defineRoute } from "../../core/http/registry.ts";
import { toCsv } from "../../core/formats/csv.ts";
import { formatDateTime } from "../../core/i18n/format.ts";
import { listAudit } from "./queries/list.ts";
import { AuditLogPage } from "./pages/history.tsx";
import { actionLabel, changes, entityLabel } from "./model.ts";
import "./policy.ts";

const slugParams = z.object({ slug: z.string() });
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Date attendue au format AAAA-MM-JJ." })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { error: "Cette date n'existe pas." });
const empty = (v: unknown) => (v === "" ? undefined : v);
const journalQuery = z.object({
  entity: z.preprocess(empty, z.string().regex(/^[a-z_]{1,40}$/, { error: "Objet inconnu." }).optional()),
  action: z.preprocess(empty, z.string().regex(/^[a-z_]{1,40}$/, { error: "Opération inconnue." }).optional()),
  actor: z.preprocess(empty, z.string().trim().max(100, { error: "Recherche d'auteur trop longue." }).optional()),
  from: z.preprocess(empty, day.optional()),
  to: z.preprocess(empty, day.optional()),
  page: z.preprocess(empty, z.coerce.number().int().min(1).max(100000).optional()),
});

function queryString(q: Record<string, unknown>): string {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== "" && k !== "page") s.set(k, String(v));
  return s.toString();
}

export const auditModule = defineModule({
  id: "audit",
  routes: [
    defineRoute({
      method: "GET",
      url: "/t/:slug/gestion/journal",
      summary: "Journal des modifications du territoire (recherche)",
      kind: "page",
      permission: "audit.log.read",
      params: slugParams,
      query: journalQuery,
      handler: async (ctx) => {
        const page = ctx.query.page ?? 1;
        const { rows, total } = await listAudit(ctx.database.db, ctx.territory.id, ctx.query, page, 50);
        return <AuditLogPage actor={ctx.actor} territory={ctx.territory} rows={rows} total={total} page={page} pageSize={50} filters={ctx.query} query={queryString(ctx.query)} />;
      },
    }),
    defineRoute({
      method: "GET",
      url: "/t/:slug/gestion/journal.csv",
      summary: "Export CSV du journal des modifications",
      kind: "file",
      permission: "audit.log.read",
      params: slugParams,
      query: journalQuery,
      handler: async (ctx) => {
        const { rows } = await listAudit(ctx.database.db, ctx.territory.id, ctx.query, 1, 100_000);
        ctx.reply.header("content-type", "text/csv; charset=utf-8").header("content-disposition", `attachment; filename="journal-${ctx.territory.slug}.csv"`);
        return toCsv(
          ["Date (heure de Paris)", "Auteur", "Courriel", "Rôle", "Opération", "Objet", "Identifiant", "Changements", "Requête"],
          rows.map((r) => [
            formatDateTime(r.at),
            r.actorName ?? "Système",
            r.actorEmail ?? "",
            r.actorRole ?? "",
            actionLabel(r.action),
            entityLabel(r.entity),
            r.entityId ?? "",
            changes(r.before, r.after)
              .map(([f, b, a]) => `${f} : ${b}${b && a ? " → " : ""}${a}`)
              .join(" | "),
            r.requestId ?? "",
          ]),
        );
      },
    }),
  ],
});
