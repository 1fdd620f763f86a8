import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import type { Tx } from "../../../core/db/client.ts";
import { moveInOrder } from "../model.ts";
import { NotFoundError } from "./errors.ts";
import { findPlanItem, liveSiblings, sentence, setPosition, type PlanItemKind } from "./plan-items.ts";

/**
 * Moves a live theme, objective or action one place up or down among its live siblings. Returns a
 * French message; `moved` is false when it is already first or last (nothing is written then).
 */
export async function movePlanItem(
  tx: Tx,
  audit: AuditContext,
  territoryId: number,
  kind: PlanItemKind,
  id: number,
  direction: "up" | "down",
): Promise<{ moved: boolean; message: string }> {
  const item = await findPlanItem(tx, territoryId, kind, id);
  if (!item) throw new NotFoundError();
  if (item.archivedAt) return { moved: false, message: "Un élément archivé ne se déplace pas : restaurez-le d'abord." };
  const siblings = await liveSiblings(tx, territoryId, kind, item.parentId);
  const order = moveInOrder(siblings, id, direction);
  if (!order) return { moved: false, message: `${sentence(item.label)} est déjà ${direction === "up" ? "en premier" : "en dernier"}.` };
  const before = siblings.map((s) => s.id);
  for (const { id: itemId, position } of order) {
    const current = siblings.find((s) => s.id === itemId);
    if (current?.position !== position) await setPosition(tx, territoryId, kind, itemId, position);
  }
  const from = before.indexOf(id);
  await recordAudit(tx, audit, {
    territoryId,
    action: "reorder",
    entity: kind,
    entityId: id,
    before: { rank: from + 1, order: before },
    after: { rank: direction === "up" ? from : from + 2, order: order.map((o) => o.id) },
  });
  return { moved: true, message: `${sentence(item.label)} ${direction === "up" ? "monte" : "descend"} d'un rang.` };
}
