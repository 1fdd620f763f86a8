import { and, eq } from "drizzle-orm";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import type { Tx } from "../../../core/db/client.ts";
import { PAGE_TITLES } from "../legal.ts";
import { territoryPages } from "../schema.ts";

/** The pages a territory's team edits, in the order the back-office lists them. */
export const EDITABLE_PAGE_KEYS = ["presentation", "mentions-legales", "accessibilite", "donnees-personnelles"] as const;
export type EditablePageKey = (typeof EDITABLE_PAGE_KEYS)[number];

/**
 * Stores the body of a territory page (one row per territory and key). An empty body means "no
 * text": the public legal pages then show the platform's default text. `changed` is false when the
 * body is the one already stored (nothing is written).
 */
export async function savePage(tx: Tx, audit: AuditContext, territoryId: number, key: EditablePageKey, body: string): Promise<{ changed: boolean }> {
  const [before] = await tx.select().from(territoryPages).where(and(eq(territoryPages.territoryId, territoryId), eq(territoryPages.key, key))).for("update");
  if (before ? before.body === body : body === "") return { changed: false };
  const [row] = await tx
    .insert(territoryPages)
    .values({ territoryId, key, title: PAGE_TITLES[key], body })
    .onConflictDoUpdate({ target: [territoryPages.territoryId, territoryPages.key], set: { body, title: PAGE_TITLES[key], updatedAt: new Date() } })
    .returning({ id: territoryPages.id });
  await recordAudit(tx, audit, {
    territoryId,
    action: before ? "update" : "create",
    entity: "territory_page",
    entityId: row.id,
    before: before ? { key, body: before.body } : undefined,
    after: { key, body },
  });
  return { changed: true };
}
