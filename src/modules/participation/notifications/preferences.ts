// Notification preferences of a participant in a territory, and the one-click unsubscribe token
// every e-mail carries (it works without signing in).
import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "../../../core/db/client.ts";
import { randomToken } from "../../../core/auth/session.ts";
import { recordAudit, diff, type AuditContext } from "../../../core/audit/index.ts";
import { notificationPreferences } from "../schema.ts";

export type PreferencesRow = typeof notificationPreferences.$inferSelect;
export interface PreferencesInput {
  workshopEmails: boolean;
  proposalEmails: boolean;
  monthlyDigest: boolean;
}

/** The person's preferences in the territory, created with the defaults (workshop and proposal e-mails on, digest off) when missing. */
export async function ensurePreferences(db: Db | Tx, territoryId: number, userId: number): Promise<PreferencesRow> {
  const [found] = await db.select().from(notificationPreferences).where(and(eq(notificationPreferences.territoryId, territoryId), eq(notificationPreferences.userId, userId)));
  if (found) return found;
  await db.insert(notificationPreferences).values({ territoryId, userId, unsubscribeToken: randomToken() }).onConflictDoNothing();
  const [row] = await db.select().from(notificationPreferences).where(and(eq(notificationPreferences.territoryId, territoryId), eq(notificationPreferences.userId, userId)));
  return row;
}

/** Saves the preferences chosen in Mon espace; returns whether anything changed. */
export async function savePreferences(tx: Tx, audit: AuditContext, territoryId: number, userId: number, input: PreferencesInput): Promise<boolean> {
  const before = await ensurePreferences(tx, territoryId, userId);
  const changes = diff(before as unknown as Record<string, unknown>, input as unknown as Record<string, unknown>);
  if (!changes) return false;
  await tx.update(notificationPreferences).set(input).where(eq(notificationPreferences.id, before.id));
  await recordAudit(tx, audit, { territoryId, action: "update", entity: "notification_preference", entityId: before.id, before: changes.before, after: changes.after });
  return true;
}

/** The preferences an unsubscribe token names, in this territory. */
export async function preferencesByToken(db: Db | Tx, territoryId: number, token: string): Promise<PreferencesRow | undefined> {
  const [row] = await db.select().from(notificationPreferences).where(and(eq(notificationPreferences.territoryId, territoryId), eq(notificationPreferences.unsubscribeToken, token)));
  return row;
}

/** Turns every participation e-mail of the token's owner off in the territory (idempotent, audited). */
export async function unsubscribe(tx: Tx, audit: AuditContext, territoryId: number, token: string): Promise<PreferencesRow | undefined> {
  const row = await preferencesByToken(tx, territoryId, token);
  if (!row) return undefined;
  const off = { workshopEmails: false, proposalEmails: false, monthlyDigest: false };
  await tx.update(notificationPreferences).set(off).where(eq(notificationPreferences.id, row.id));
  await recordAudit(tx, { ...audit, role: audit.actor.user ? audit.role : "desabonnement" }, {
    territoryId,
    action: "update",
    entity: "notification_preference",
    entityId: row.id,
    before: { workshopEmails: row.workshopEmails, proposalEmails: row.proposalEmails, monthlyDigest: row.monthlyDigest },
    after: { ...off, via: "lien de désabonnement" },
  });
  return { ...row, ...off };
}
