// Documents a workshop produced (minutes, slides…): stored through core/http/upload.ts, listed on
// the workshop's public page once it is published.
import { and, asc, eq } from "drizzle-orm";
import type { Db, Tx } from "../../../core/db/client.ts";
import { files } from "../../../core/db/schema.ts";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import type { Config } from "../../../config.ts";
import { saveUpload, type UploadedFile } from "../../../core/http/upload.ts";
import { workshopDocuments } from "../schema.ts";
import { lockWorkshop } from "./commands.ts";
import { ConflictError, NotFoundError } from "./errors.ts";

/** The documents of a workshop, oldest first. */
export async function documentsOf(db: Db, territoryId: number, workshopId: number) {
  return db
    .select({ id: workshopDocuments.id, title: workshopDocuments.title, at: workshopDocuments.at, size: files.size, mime: files.mime, name: files.originalName })
    .from(workshopDocuments)
    .innerJoin(files, eq(files.id, workshopDocuments.fileId))
    .where(and(eq(workshopDocuments.territoryId, territoryId), eq(workshopDocuments.workshopId, workshopId)))
    .orderBy(asc(workshopDocuments.at), asc(workshopDocuments.id));
}

/** One document of a workshop with its stored file, for the download. */
export async function documentFile(db: Db, territoryId: number, workshopId: number, id: number) {
  const [d] = await db
    .select({ title: workshopDocuments.title, file: files })
    .from(workshopDocuments)
    .innerJoin(files, eq(files.id, workshopDocuments.fileId))
    .where(and(eq(workshopDocuments.id, id), eq(workshopDocuments.workshopId, workshopId), eq(workshopDocuments.territoryId, territoryId)));
  return d;
}

/** Stores an uploaded document of a workshop (refusals are UploadRejected, with a French message). */
export async function addDocument(tx: Tx, audit: AuditContext, config: Config, territoryId: number, workshopId: number, input: { title: string; file: UploadedFile }) {
  const w = await lockWorkshop(tx, territoryId, workshopId);
  if (w.status === "cancelled") throw new ConflictError("Cet atelier est annulé : on n'y ajoute plus de document.");
  const stored = await saveUpload(tx, config, input.file, { territoryId, uploadedBy: audit.actor.user?.id ?? null });
  const [d] = await tx.insert(workshopDocuments).values({ territoryId, workshopId, fileId: stored.id, title: input.title }).returning();
  await recordAudit(tx, audit, { territoryId, action: "create", entity: "workshop_document", entityId: d.id, after: { workshopId, title: input.title, file: stored.originalName, sha256: stored.sha256 } });
  return d;
}

/** Removes a document from a workshop (the stored file stays, as the audit trail names it). */
export async function removeDocument(tx: Tx, audit: AuditContext, territoryId: number, workshopId: number, id: number) {
  await lockWorkshop(tx, territoryId, workshopId);
  const [d] = await tx.select().from(workshopDocuments).where(and(eq(workshopDocuments.id, id), eq(workshopDocuments.workshopId, workshopId), eq(workshopDocuments.territoryId, territoryId)));
  if (!d) throw new NotFoundError();
  await tx.delete(workshopDocuments).where(eq(workshopDocuments.id, id));
  await recordAudit(tx, audit, { territoryId, action: "delete", entity: "workshop_document", entityId: id, before: { workshopId, title: d.title, fileId: d.fileId } });
  return d;
}
