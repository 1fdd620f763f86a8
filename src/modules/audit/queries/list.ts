import { and, count, desc, eq, gte, ilike, lt, or, type SQL } from "drizzle-orm";
import type { Db } from "../../../core/db/client.ts";
import { auditLog, users } from "../../../core/db/schema.ts";

export interface AuditFilters {
  entity?: string;
  entityId?: string;
  action?: string;
  actor?: string;
  /** Calendar days (YYYY-MM-DD), Paris time. */
  from?: string;
  to?: string;
}

/** The columns of an audit entry as pages show it: the entry and its author. */
export const auditColumns = {
  id: auditLog.id,
  at: auditLog.at,
  action: auditLog.action,
  entity: auditLog.entity,
  entityId: auditLog.entityId,
  before: auditLog.before,
  after: auditLog.after,
  actorRole: auditLog.actorRole,
  actorName: users.displayName,
  actorEmail: users.email,
  requestId: auditLog.requestId,
};

export type AuditRow = Awaited<ReturnType<typeof listAudit>>["rows"][number];

/** Paris midnight of a calendar day, as a Date. */
function parisDayStart(day: string): Date {
  // Paris is UTC+1 or UTC+2: take noon UTC of the day and step back to local midnight.
  const noon = new Date(`${day}T12:00:00Z`);
  const parisHour = Number(new Intl.DateTimeFormat("en-GB", { hour: "numeric", hourCycle: "h23", timeZone: "Europe/Paris" }).format(noon));
  return new Date(noon.getTime() - parisHour * 3600_000);
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T12:00:00Z`) + 86400_000).toISOString().slice(0, 10);

/** The audit entries of a territory, newest first, filtered and paginated. */
export async function listAudit(db: Db, territoryId: number, filters: AuditFilters, page = 1, pageSize = 50) {
  const where: (SQL | undefined)[] = [eq(auditLog.territoryId, territoryId)];
  if (filters.entity) where.push(eq(auditLog.entity, filters.entity));
  if (filters.entityId) where.push(eq(auditLog.entityId, filters.entityId));
  if (filters.action) where.push(eq(auditLog.action, filters.action));
  if (filters.actor) {
    const pattern = `%${filters.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(users.email, pattern), ilike(users.displayName, pattern)));
  }
  if (filters.from) where.push(gte(auditLog.at, parisDayStart(filters.from)));
  if (filters.to) where.push(lt(auditLog.at, parisDayStart(nextDay(filters.to))));
  const condition = and(...where);
  const [rows, [total]] = await Promise.all([
    db
      .select(auditColumns)
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(condition)
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ n: count() }).from(auditLog).leftJoin(users, eq(users.id, auditLog.actorId)).where(condition),
  ]);
  return { rows, total: Number(total.n) };
}
