// The audit module's public surface: a record's history, for the modules' record pages.
import { desc, and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../core/db/client.ts";
import { auditLog, users } from "../../core/db/schema.ts";
import { auditColumns } from "./queries/list.ts";

export { RecordHistory } from "./pages/history.tsx";
export type { AuditRow } from "./queries/list.ts";

/** The history of records (one entity, one or several ids) of a territory, newest first. */
export async function loadHistory(db: Db, territoryId: number, entity: string, entityIds: (string | number)[], limit = 100) {
  if (!entityIds.length) return [];
  return db
    .select(auditColumns)
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.territoryId, territoryId), eq(auditLog.entity, entity), inArray(auditLog.entityId, entityIds.map(String))))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
}
