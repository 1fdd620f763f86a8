import { and, asc, desc, eq, gt, ilike, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../../../core/db/client.ts";
import { funderGrants, memberships, oneTimeTokens, users } from "../../../core/db/schema.ts";
import { epcis, regions } from "../../geography/api.ts";
import { territories, territoryAuthorities } from "../../territories/api.ts";
import type { InvitationPayload } from "../commands/invitations.ts";

/** The members of a territory (one row per role), pending self-registrations included. */
export async function listMembers(db: Db, territoryId: number) {
  return db
    .select({
      id: memberships.id,
      role: memberships.role,
      status: memberships.status,
      authorityId: memberships.authorityId,
      authorityName: territoryAuthorities.name,
      since: memberships.createdAt,
      userId: users.id,
      email: users.email,
      displayName: users.displayName,
      siret: users.siret,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(territoryAuthorities, eq(territoryAuthorities.id, memberships.authorityId))
    .where(eq(memberships.territoryId, territoryId))
    .orderBy(asc(users.displayName), asc(memberships.id));
}
export type MemberRow = Awaited<ReturnType<typeof listMembers>>[number];

export interface InvitationRow extends InvitationPayload {
  expiresAt: Date;
  createdAt: Date;
  expired: boolean;
}

/** Unused invitations of a territory (or the funders'), the expired ones of the last 30 days too, so they can be sent again. */
export async function listInvitations(db: Db, scope: { territoryId: number } | { funders: true }): Promise<InvitationRow[]> {
  const rows = await db
    .select()
    .from(oneTimeTokens)
    .where(
      and(
        eq(oneTimeTokens.purpose, "invitation"),
        isNull(oneTimeTokens.usedAt),
        gt(oneTimeTokens.expiresAt, sql`now() - interval '30 days'`),
        "territoryId" in scope
          ? and(sql`${oneTimeTokens.payload} ->> 'territoryId' = ${String(scope.territoryId)}`, sql`${oneTimeTokens.payload} ->> 'role' <> 'funder'`)
          : sql`${oneTimeTokens.payload} ->> 'role' = 'funder'`,
      ),
    )
    .orderBy(desc(oneTimeTokens.createdAt));
  const now = Date.now();
  return rows.map((r) => ({ ...(r.payload as InvitationPayload), expiresAt: r.expiresAt, createdAt: r.createdAt, expired: r.expiresAt.getTime() <= now }));
}

/** Intercommunalités of the national tables whose name or SIREN matches (at most 25). */
export async function searchEpcis(db: Db, q: string) {
  const term = q.trim();
  if (term.length < 2) return [];
  const digits = term.replace(/\s/g, "");
  const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db
    .select()
    .from(epcis)
    .where(/^\d+$/.test(digits) ? sql`${epcis.siren} LIKE ${`${digits}%`}` : or(ilike(epcis.name, pattern), sql`unaccent(${epcis.name}) ILIKE unaccent(${pattern})`))
    .orderBy(asc(epcis.name))
    .limit(25);
}

/** National EPCI rows for the given SIRENs. */
export async function epcisBySiren(db: Db, sirens: string[]) {
  const valid = sirens.filter((s) => /^\d{9}$/.test(s));
  return valid.length ? db.select().from(epcis).where(inArray(epcis.siren, valid)) : [];
}

/** Every funder grant with its person and scope. */
export async function listFunderGrants(db: Db) {
  return db
    .select({
      id: funderGrants.id,
      label: funderGrants.label,
      territoryId: funderGrants.territoryId,
      territoryName: territories.name,
      regionCode: funderGrants.regionCode,
      regionName: regions.name,
      since: funderGrants.createdAt,
      email: users.email,
      displayName: users.displayName,
    })
    .from(funderGrants)
    .innerJoin(users, eq(users.id, funderGrants.userId))
    .leftJoin(territories, eq(territories.id, funderGrants.territoryId))
    .leftJoin(regions, eq(regions.code, funderGrants.regionCode))
    .orderBy(asc(funderGrants.label), asc(users.displayName));
}

/** Choices of the funder form: live territories and the régions. */
export async function grantChoices(db: Db) {
  const [ts, rs] = await Promise.all([
    db.select({ id: territories.id, name: territories.name }).from(territories).where(isNull(territories.archivedAt)).orderBy(asc(territories.name)),
    db.select().from(regions).orderBy(asc(regions.name)),
  ]);
  return { territories: ts, regions: rs };
}
