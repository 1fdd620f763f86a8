import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "../../../core/db/client.ts";
import { auditLog, funderGrants, memberships, oneTimeTokens, platformSettings, sessions, users } from "../../../core/db/schema.ts";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import { territories } from "../../territories/api.ts";

/** Everything the platform holds about a person, as they may download it (RGPD art. 15 and 20). */
export async function exportPersonalData(db: Db, userId: number) {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  const [roles, sess, grants, authored] = await Promise.all([
    db
      .select({ territory: territories.name, slug: territories.slug, role: memberships.role, status: memberships.status, since: memberships.createdAt })
      .from(memberships)
      .innerJoin(territories, eq(territories.id, memberships.territoryId))
      .where(eq(memberships.userId, userId)),
    db.select({ createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt, browser: sessions.userAgent }).from(sessions).where(eq(sessions.userId, userId)),
    db.select({ label: funderGrants.label, territoryId: funderGrants.territoryId, regionCode: funderGrants.regionCode, since: funderGrants.createdAt }).from(funderGrants).where(eq(funderGrants.userId, userId)),
    db
      .select({ at: auditLog.at, action: auditLog.action, entity: auditLog.entity, entityId: auditLog.entityId, territoryId: auditLog.territoryId })
      .from(auditLog)
      .where(eq(auditLog.actorId, userId))
      .orderBy(auditLog.at),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    account: {
      email: user.email,
      displayName: user.displayName,
      createdAt: user.createdAt,
      lastSignInAt: user.lastSignInAt,
      hasPassword: Boolean(user.passwordHash),
      singleSignOn: Boolean(user.oidcSub),
      siret: user.siret,
      platformAdmin: user.isPlatformAdmin,
    },
    roles,
    funderGrants: grants,
    sessions: sess,
    changesMade: authored,
  };
}

/**
 * Closes an account: personal fields become a pseudonym, sign-in methods, roles, grants and
 * sessions are removed; the history keeps the changes under the pseudonym.
 */
export async function anonymiseUser(tx: Tx, ctx: AuditContext, userId: number, reason: "request" | "retention"): Promise<void> {
  const pseudonym = `Compte supprimé n° ${userId}`;
  await tx
    .update(users)
    .set({ email: `supprime-${userId}@anonyme.invalid`, displayName: pseudonym, passwordHash: null, oidcSub: null, siret: null, isPlatformAdmin: false, anonymisedAt: new Date(), disabledAt: new Date() })
    .where(eq(users.id, userId));
  await tx.delete(sessions).where(eq(sessions.userId, userId));
  await tx.delete(memberships).where(eq(memberships.userId, userId));
  await tx.delete(funderGrants).where(eq(funderGrants.userId, userId));
  await tx.delete(oneTimeTokens).where(sql`${oneTimeTokens.payload} ->> 'userId' = ${String(userId)}`);
  // Past entries about this account named its e-mail: erase it there too (the only rewrite of the trail, required by the RGPD).
  await tx
    .update(auditLog)
    .set({ before: sql`CASE WHEN ${auditLog.before} IS NULL THEN NULL ELSE ${auditLog.before} - 'email' - 'displayName' END`, after: sql`CASE WHEN ${auditLog.after} IS NULL THEN NULL ELSE ${auditLog.after} - 'email' - 'displayName' END` })
    .where(and(eq(auditLog.entity, "user"), eq(auditLog.entityId, String(userId))));
  await recordAudit(tx, ctx, { action: "state", entity: "user", entityId: userId, after: { closed: reason === "request" ? "à la demande de la personne" : "inactivité (durée de conservation)" } });
}

export interface RetentionSetting {
  /** Accounts without sign-in for this many months are closed; null keeps them. */
  inactiveMonths: number | null;
}

export async function getRetention(db: Db): Promise<RetentionSetting> {
  const [row] = await db.select().from(platformSettings).where(eq(platformSettings.key, "retention"));
  return (row?.value as RetentionSetting | undefined) ?? { inactiveMonths: null };
}

/** Closes the accounts inactive for longer than the retention setting (never a platform admin). */
export async function applyRetention(db: Db, ctx: AuditContext): Promise<number> {
  const { inactiveMonths } = await getRetention(db);
  if (!inactiveMonths) return 0;
  const cutoff = sql`now() - make_interval(months => ${inactiveMonths})`;
  const stale = await db
    .select({ id: users.id })
    .from(users)
    .where(and(isNull(users.anonymisedAt), eq(users.isPlatformAdmin, false), lt(sql`coalesce(${users.lastSignInAt}, ${users.createdAt})`, cutoff)));
  for (const u of stale) await db.transaction((tx) => anonymiseUser(tx, ctx, u.id, "retention"));
  return stale.length;
}
