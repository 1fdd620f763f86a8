import { and, eq } from "drizzle-orm";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import type { Tx } from "../../../core/db/client.ts";
import { actions, objectives, themes } from "../schema.ts";
import { ConflictError, NotFoundError } from "./errors.ts";
import { findPlanItem, sentence, type PlanItemKind } from "./plan-items.ts";
import { themeUsingCode } from "./save-theme.ts";

const FEMININE: Record<PlanItemKind, boolean> = { theme: true, objective: false, action: true };

/**
 * Archives or restores a theme, objective or action of the territory. Children are kept as they are:
 * under an archived parent they leave the public portal with it and come back when it is restored.
 * Returns the French message to show; `changed` is false when it already was in that state.
 */
export async function setPlanItemArchived(
  tx: Tx,
  audit: AuditContext,
  territoryId: number,
  kind: PlanItemKind,
  id: number,
  archive: boolean,
): Promise<{ changed: boolean; message: string }> {
  const item = await findPlanItem(tx, territoryId, kind, id);
  if (!item) throw new NotFoundError();
  const e = FEMININE[kind] ? "e" : "";
  if (Boolean(item.archivedAt) === archive) return { changed: false, message: `${sentence(item.label)} est déjà ${archive ? `archivé${e}` : `en service`}.` };

  const archivedAt = archive ? new Date() : null;
  const where = <T extends typeof themes | typeof objectives | typeof actions>(t: T) => and(eq(t.id, id), eq(t.territoryId, territoryId));
  if (kind === "theme") {
    if (!archive) {
      const [theme] = await tx.select().from(themes).where(where(themes));
      const taken = await themeUsingCode(tx, territoryId, theme.code, id);
      if (taken) throw new ConflictError(`Impossible de restaurer ${item.label} : son code est repris par la thématique « ${taken.title} ». Changez d'abord le code de l'une des deux.`);
    }
    await tx.update(themes).set({ archivedAt }).where(where(themes));
  } else if (kind === "objective") {
    await tx.update(objectives).set({ archivedAt }).where(where(objectives));
  } else {
    await tx.update(actions).set({ archivedAt, updatedAt: new Date() }).where(where(actions));
  }
  await recordAudit(tx, audit, {
    territoryId,
    action: archive ? "archive" : "restore",
    entity: kind,
    entityId: id,
    before: { archivedAt: item.archivedAt },
    after: { archivedAt },
  });
  let message = archive
    ? `${sentence(item.label)} est archivé${e} : ${kind === "action" ? "elle" : kind === "theme" ? "elle et son contenu" : "lui et ses actions"} n'apparaissent plus sur le site public.`
    : `${sentence(item.label)} est restauré${e}.`;
  if (kind === "action" && archive) message = `${sentence(item.label)} est archivée : elle n'apparaît plus sur le site public.`;
  if (!archive && item.parentId !== null) {
    const parentArchived =
      kind === "objective"
        ? (await tx.select({ a: themes.archivedAt }).from(themes).where(and(eq(themes.id, item.parentId), eq(themes.territoryId, territoryId))))[0]?.a
        : (
            await tx
              .select({ o: objectives.archivedAt, t: themes.archivedAt })
              .from(objectives)
              .innerJoin(themes, eq(themes.id, objectives.themeId))
              .where(and(eq(objectives.id, item.parentId), eq(objectives.territoryId, territoryId)))
          ).some((r) => r.o || r.t);
    if (parentArchived) message += ` ${kind === "objective" ? "Sa thématique" : "Son objectif ou sa thématique"} reste archivé${kind === "objective" ? "e" : ""} : ${kind === "objective" ? "il" : "elle"} ne réapparaîtra sur le site public qu'avec ${kind === "objective" ? "elle" : "lui"}.`;
  }
  return { changed: true, message };
}
