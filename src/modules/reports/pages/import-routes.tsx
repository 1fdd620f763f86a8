import { readFile } from "node:fs/promises";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { recordAudit } from "../../../core/audit/index.ts";
import type { Db, Tx } from "../../../core/db/client.ts";
import { auditLog, files } from "../../../core/db/schema.ts";
import { FILE_KINDS, storagePath } from "../../../core/files/index.ts";
import { defineRoute, type RouteContext, type RouteDef } from "../../../core/http/registry.ts";
import { saveUpload, UploadRejected, uploadedFile } from "../../../core/http/upload.ts";
import { defineBackOfficeNav } from "../../../core/ui/backoffice.ts";
import { formatDateTime } from "../../../core/i18n/format.ts";
import { loadAuthorities } from "../../territories/api.ts";
import { applyImport, checkImport, errorLines, templateCsv, templateXlsx } from "../import/plan-import.ts";
import { ImportPage, ImportPreviewPage } from "./import.tsx";

defineBackOfficeNav({ label: "Importer un plan", path: "/import", permission: "reports.plan.import", order: 80 });

const slugParams = z.object({ slug: z.string() });
const fileParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647) });

const SPREADSHEET_MIMES = [FILE_KINDS.xlsx.mime, FILE_KINDS.csv.mime];

/** A CSV saved by French Excel is Windows-1252: stored as UTF-8 (with a BOM) so it reads back the same. */
function normalizedUpload(data: Buffer): Buffer {
  if (data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b) return data;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(data);
    return data;
  } catch {
    return Buffer.from(`\uFEFF${new TextDecoder("windows-1252").decode(data)}`, "utf8");
  }
}

/** A spreadsheet uploaded for an import of this territory, with its bytes; undefined when absent. */
async function loadUpload(ctx: RouteContext<{ slug: string; id: number }>) {
  const [row] = await ctx.database.db
    .select()
    .from(files)
    .where(and(eq(files.id, ctx.params.id), eq(files.territoryId, ctx.territory.id), inArray(files.mime, SPREADSHEET_MIMES)));
  if (!row) return undefined;
  try {
    return { row, data: await readFile(storagePath(ctx.config.dataDir, row.sha256)) };
  } catch {
    return undefined;
  }
}

/** When this uploaded file was already imported (a second confirmation would create its new actions twice). */
async function appliedAt(db: Db | Tx, territoryId: number, fileId: number): Promise<Date | null> {
  const [row] = await db
    .select({ at: auditLog.at })
    .from(auditLog)
    .where(and(eq(auditLog.territoryId, territoryId), eq(auditLog.entity, "plan_import"), eq(auditLog.action, "apply"), eq(auditLog.entityId, String(fileId))))
    .limit(1);
  return row?.at ?? null;
}

const maxMb = (ctx: RouteContext<unknown, unknown>) => Math.floor(ctx.config.maxUploadBytes / 1024 / 1024);

export const importRoutes: RouteDef[] = [
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/import",
    summary: "Importer un plan d'actions depuis un tableur (XLSX ou CSV)",
    kind: "page",
    permission: "reports.plan.import",
    params: slugParams,
    handler: (ctx) => <ImportPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} maxMb={maxMb(ctx)} flash={ctx.flash} />,
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/import/modele.xlsx",
    summary: "Modèle de tableur pour importer un plan d'actions (XLSX)",
    kind: "file",
    permission: "reports.plan.import",
    params: slugParams,
    handler: async (ctx) => {
      const body = await templateXlsx(await loadAuthorities(ctx.database.db, ctx.territory.id));
      return ctx.reply
        .headers({ "content-type": FILE_KINDS.xlsx.mime, "content-disposition": `attachment; filename="modele-plan-d-actions-${ctx.territory.slug}.xlsx"`, "cache-control": "private, no-store" })
        .send(body);
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/import/modele.csv",
    summary: "Modèle de tableur pour importer un plan d'actions (CSV)",
    kind: "file",
    permission: "reports.plan.import",
    params: slugParams,
    handler: async (ctx) => {
      ctx.reply.headers({ "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="modele-plan-d-actions-${ctx.territory.slug}.csv"`, "cache-control": "private, no-store" });
      return templateCsv(await loadAuthorities(ctx.database.db, ctx.territory.id));
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/import",
    summary: "Vérifier un tableur à importer : erreurs par ligne et colonne, ou aperçu des changements",
    kind: "form",
    permission: "reports.plan.import",
    params: slugParams,
    audit: "plan_import",
    handler: async (ctx) => {
      const upload = uploadedFile(ctx.req.body, "fichier");
      const fail = (errors: string[], fileName?: string) =>
        ctx.render(<ImportPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} maxMb={maxMb(ctx)} errors={errors} fileName={fileName} />, 422);
      if (!upload) return fail(["Choisissez le fichier du plan : un classeur XLSX ou un fichier CSV."]);
      if (upload.truncated) return fail([`Le fichier dépasse la taille autorisée (${maxMb(ctx)} Mo).`], upload.filename);
      const check = await checkImport(ctx.database.db, ctx.territory.id, upload.data, upload.filename);
      if (!check.plan) return fail(errorLines(check.errors), upload.filename);
      const plan = check.plan;
      try {
        const stored = await ctx.database.db.transaction(async (tx) => {
          const file = await saveUpload(tx, ctx.config, { ...upload, data: normalizedUpload(upload.data) }, { territoryId: ctx.territory.id, uploadedBy: ctx.actor.user?.id ?? null, allowed: ["xlsx", "csv"] });
          await recordAudit(tx, ctx.audit, {
            territoryId: ctx.territory.id,
            action: "upload",
            entity: "plan_import",
            entityId: file.id,
            after: { fichier: file.originalName, lignes: plan.rows.length, actionsCreees: plan.actionsCreated.length, actionsModifiees: plan.actionsUpdated.length },
          });
          return file;
        });
        return ctx.reply.redirect(`/t/${ctx.territory.slug}/gestion/import/${stored.id}`, 303);
      } catch (e) {
        if (e instanceof UploadRejected) return fail([e.message], upload.filename);
        throw e;
      }
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/import/:id",
    summary: "Aperçu d'un import de plan avant confirmation",
    kind: "page",
    permission: "reports.plan.import",
    params: fileParams,
    handler: async (ctx) => {
      const upload = await loadUpload(ctx);
      if (!upload) return ctx.reply.callNotFound();
      const done = await appliedAt(ctx.database.db, ctx.territory.id, upload.row.id);
      if (done) return ctx.render(<ImportPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} maxMb={maxMb(ctx)} flash={`Le fichier « ${upload.row.originalName} » a déjà été importé le ${formatDateTime(done)}.`} />);
      const check = await checkImport(ctx.database.db, ctx.territory.id, upload.data, upload.row.originalName);
      if (!check.plan) return ctx.render(<ImportPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} maxMb={maxMb(ctx)} errors={errorLines(check.errors)} fileName={upload.row.originalName} />, 422);
      return <ImportPreviewPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} fileName={upload.row.originalName} fileId={upload.row.id} plan={check.plan} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/import/:id",
    summary: "Confirmer l'import d'un plan : thématiques, objectifs et actions créés ou mis à jour en une transaction",
    kind: "form",
    permission: "reports.plan.import",
    params: fileParams,
    audit: "action",
    handler: async (ctx) => {
      const upload = await loadUpload(ctx);
      if (!upload) return ctx.reply.callNotFound();
      const outcome = await ctx.database.db.transaction(async (tx) => {
        // One confirmation per file, even on a double click: the file's row is locked, then its import looked up.
        await tx.select({ id: files.id }).from(files).where(eq(files.id, upload.row.id)).for("update");
        const done = await appliedAt(tx, ctx.territory.id, upload.row.id);
        if (done) return { already: done };
        // Checked again inside the transaction: the plan may have changed since the preview.
        const check = await checkImport(tx, ctx.territory.id, upload.data, upload.row.originalName);
        if (!check.plan) return { errors: errorLines(check.errors) };
        const result = await applyImport(tx, ctx.territory.id, check.plan.rows, ctx.audit);
        await recordAudit(tx, ctx.audit, { territoryId: ctx.territory.id, action: "apply", entity: "plan_import", entityId: upload.row.id, after: { fichier: upload.row.originalName, ...result } });
        return { result };
      });
      if ("already" in outcome) return ctx.redirect(`/t/${ctx.territory.slug}/gestion/import`, `Le fichier « ${upload.row.originalName} » a déjà été importé le ${formatDateTime(outcome.already!)} : rien n’a été refait.`);
      if ("errors" in outcome) {
        return ctx.render(<ImportPage actor={ctx.actor} territory={ctx.territory} csrfToken={ctx.csrfToken()} maxMb={maxMb(ctx)} errors={outcome.errors} fileName={upload.row.originalName} />, 422);
      }
      const r = outcome.result!;
      const parts = [
        `${r.actionsCreated} action${r.actionsCreated > 1 ? "s" : ""} créée${r.actionsCreated > 1 ? "s" : ""}`,
        `${r.actionsUpdated} modifiée${r.actionsUpdated > 1 ? "s" : ""}`,
        `${r.themesCreated} thématique${r.themesCreated > 1 ? "s" : ""} et ${r.objectivesCreated} objectif${r.objectivesCreated > 1 ? "s" : ""} créé${r.themesCreated + r.objectivesCreated > 1 ? "s" : ""}`,
      ];
      return ctx.redirect(`/t/${ctx.territory.slug}/gestion`, `Import terminé : ${parts.join(", ")}.`);
    },
  }),
];
