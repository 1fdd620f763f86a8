import { and, eq, sql } from "drizzle-orm";
import { diff, recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import type { Tx } from "../../../core/db/client.ts";
import type { Visibility } from "../model.ts";
import { objectives, themes } from "../schema.ts";
import { FormError, NotFoundError } from "./errors.ts";

export interface ObjectiveInput {
  themeId: number;
  title: string;
  description: string | null;
  visibility: Visibility;
}

/** The position after the last objective of a theme. */
async function nextPosition(tx: Tx, territoryId: number, themeId: number): Promise<number> {
  const [{ next }] = await tx
    .select({ next: sql<number>`coalesce(max(${objectives.position}), -1) + 1` })
    .from(objectives)
    .where(and(eq(objectives.territoryId, territoryId), eq(objectives.themeId, themeId)));
  return Number(next);
}

/**
 * Creates an objective (last of its theme) or updates one; moving it to another theme puts it last
 * there. The theme must be a live theme of the territory (an archived one is kept only if unchanged).
 */
export async function saveObjective(tx: Tx, audit: AuditContext, territoryId: number, id: number | null, input: ObjectiveInput): Promise<{ id: number; changed: boolean }> {
  const before = id === null ? undefined : (await tx.select().from(objectives).where(and(eq(objectives.id, id), eq(objectives.territoryId, territoryId))).for("update"))[0];
  if (id !== null && !before) throw new NotFoundError();
  const [theme] = await tx.select().from(themes).where(and(eq(themes.id, input.themeId), eq(themes.territoryId, territoryId)));
  if (!theme) throw new FormError({ themeId: "Choisissez une thématique de la liste." });
  if (theme.archivedAt && before?.themeId !== theme.id) throw new FormError({ themeId: "Cette thématique est archivée : choisissez-en une autre, ou restaurez-la d'abord." });
  if (!before) {
    const [row] = await tx
      .insert(objectives)
      .values({ territoryId, ...input, position: await nextPosition(tx, territoryId, input.themeId) })
      .returning();
    await recordAudit(tx, audit, { territoryId, action: "create", entity: "objective", entityId: row.id, after: input });
    return { id: row.id, changed: true };
  }
  const changes = diff(before, input);
  if (!changes) return { id: before.id, changed: false };
  const position = before.themeId !== input.themeId ? await nextPosition(tx, territoryId, input.themeId) : before.position;
  await tx
    .update(objectives)
    .set({ ...input, position })
    .where(and(eq(objectives.id, before.id), eq(objectives.territoryId, territoryId)));
  await recordAudit(tx, audit, { territoryId, action: "update", entity: "objective", entityId: before.id, before: changes.before, after: changes.after });
  return { id: before.id, changed: true };
}
