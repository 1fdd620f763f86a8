import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, or, sql } from "drizzle-orm";
import type { FastifyReply, FastifyRequest } from "fastify";
import { ANONYMOUS, type Actor } from "../authz/index.ts";
import type { Db } from "../db/client.ts";
import { funderGrants, memberships, sessions, users } from "../db/schema.ts";
import { territories } from "../../modules/territories/schema.ts";

export const SESSION_COOKIE = "collines_session";
const SESSION_DAYS = 14;

export const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
export const randomToken = () => randomBytes(32).toString("base64url");

/** Loads the actor of a request from its session cookie (anonymous without one). */
export async function loadActor(db: Db, req: FastifyRequest): Promise<Actor> {
  const raw = req.cookies?.[SESSION_COOKIE];
  if (!raw || raw.length > 100) return ANONYMOUS;
  const rows = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.idHash, sha256(raw)), gt(sessions.expiresAt, sql`now()`)))
    .limit(1);
  const row = rows[0];
  if (!row || row.user.disabledAt) return ANONYMOUS;
  // Refresh the last-seen time at most every five minutes, to keep reads cheap.
  if (Date.now() - row.session.lastSeenAt.getTime() > 5 * 60_000) {
    await db.update(sessions).set({ lastSeenAt: new Date() }).where(eq(sessions.idHash, row.session.idHash));
  }
  const [ms, funded] = await Promise.all([
    db
      .select({ territoryId: memberships.territoryId, role: memberships.role, authorityId: memberships.authorityId })
      .from(memberships)
      .where(and(eq(memberships.userId, row.user.id), eq(memberships.status, "active"))),
    db
      .selectDistinct({ id: territories.id })
      .from(funderGrants)
      .innerJoin(territories, or(eq(territories.id, funderGrants.territoryId), eq(territories.regionCode, funderGrants.regionCode)))
      .where(eq(funderGrants.userId, row.user.id)),
  ]);
  return {
    user: { id: row.user.id, email: row.user.email, displayName: row.user.displayName, isPlatformAdmin: row.user.isPlatformAdmin },
    memberships: ms,
    fundedTerritoryIds: funded.map((f) => f.id),
  };
}

/** Opens a session for a user and sets its cookie. */
export async function startSession(db: Db, reply: FastifyReply, userId: number, opts: { secure: boolean; userAgent?: string }): Promise<void> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + SESSION_DAYS * 86400_000);
  await db.insert(sessions).values({ idHash: sha256(token), userId, expiresAt, userAgent: opts.userAgent?.slice(0, 300) ?? null });
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, userId));
  reply.setCookie(SESSION_COOKIE, token, {
    path: "/",
    httpOnly: true,
    sameSite: "lax",
    secure: opts.secure,
    expires: expiresAt,
  });
}

/** Ends the session of the request and clears its cookie. */
export async function endSession(db: Db, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const raw = req.cookies?.[SESSION_COOKIE];
  if (raw) await db.delete(sessions).where(eq(sessions.idHash, sha256(raw)));
  reply.clearCookie(SESSION_COOKIE, { path: "/" });
}
