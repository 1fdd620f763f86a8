import { sql } from "drizzle-orm";
import type { Actor } from "../authz/index.ts";
import type { Tx } from "../db/client.ts";
import { auditLog, contentVersion } from "../db/schema.ts";

export interface AuditEntry {
  territoryId?: number | null;
  action: "create" | "update" | "delete" | "archive" | "restore" | "reorder" | "state" | string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditContext {
  actor: Actor;
  requestId?: string;
  /** The role under which the actor acted, when it matters. */
  role?: string;
}

/** Records a mutation in the audit trail and bumps the content version, in the caller's transaction. */
export async function recordAudit(tx: Tx, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  const role =
    ctx.role ??
    (ctx.actor.user?.isPlatformAdmin
      ? "platform_admin"
      : ctx.actor.memberships.find((m) => m.territoryId === entry.territoryId)?.role ?? (ctx.actor.user ? "user" : "system"));
  await tx.insert(auditLog).values({
    territoryId: entry.territoryId ?? null,
    actorId: ctx.actor.user?.id ?? null,
    actorRole: role,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId == null ? null : String(entry.entityId),
    before: entry.before === undefined ? null : (entry.before as object),
    after: entry.after === undefined ? null : (entry.after as object),
    requestId: ctx.requestId ?? null,
  });
  await bumpContentVersion(tx);
}

/** Invalidates every HTTP cache of every process (they compare this version). */
export async function bumpContentVersion(tx: Tx): Promise<void> {
  await tx.update(contentVersion).set({ version: sql`${contentVersion.version} + 1` }).where(sql`${contentVersion.id} = 1`);
  // Delivered at commit to every process listening (and not at all on rollback).
  await tx.execute(sql`select pg_notify('collines_content', '')`);
}

/** The fields that changed between two versions of a record (for a compact before/after). */
export function diff<T extends Record<string, unknown>>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key];
      a[key] = after[key];
    }
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}
