import { asc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../../core/db/client.ts";
import { communeContours, communes } from "../../geography/api.ts";
import {
  agreements,
  governanceBodies,
  governanceMembers,
  priorities,
  programmeFacts,
  territories,
  territoryAuthorities,
  territoryContacts,
  territoryPages,
} from "../schema.ts";

export type AuthorityRow = typeof territoryAuthorities.$inferSelect;
export type CommuneRow = typeof communes.$inferSelect;

/** Every live territory, for the platform's home page and the API. */
export async function listTerritories(db: Db) {
  const rows = await db.select().from(territories).where(isNull(territories.archivedAt)).orderBy(asc(territories.name));
  const auths = await db.select().from(territoryAuthorities).orderBy(asc(territoryAuthorities.position));
  return rows.map((t) => ({ ...t, authorities: auths.filter((a) => a.territoryId === t.id) }));
}

/** The intercommunalités of a territory with their communes (from the national tables). */
export async function loadAuthorities(db: Db, territoryId: number) {
  const auths = await db.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, territoryId)).orderBy(asc(territoryAuthorities.position));
  const sirens = auths.map((a) => a.siren);
  const communeRows = sirens.length ? await db.select().from(communes).where(inArray(communes.epciSiren, sirens)).orderBy(asc(communes.name)) : [];
  return auths.map((a) => {
    const list = communeRows.filter((c) => c.epciSiren === a.siren);
    return { ...a, communes: list, population: list.reduce((s, c) => s + (c.population ?? 0), 0) };
  });
}

/** Contours of the given communes (GeoJSON geometries). */
export async function loadContours(db: Db, codes: string[]) {
  if (!codes.length) return [];
  return db.select().from(communeContours).where(inArray(communeContours.code, codes));
}

export async function loadAgreement(db: Db, territoryId: number) {
  const rows = await db.select().from(agreements).where(eq(agreements.territoryId, territoryId)).limit(1);
  return rows[0];
}

/** Governance bodies with their members, in order. */
export async function loadGovernance(db: Db, territoryId: number) {
  const [bodies, members, auths] = await Promise.all([
    db.select().from(governanceBodies).where(eq(governanceBodies.territoryId, territoryId)).orderBy(asc(governanceBodies.position)),
    db.select().from(governanceMembers).where(eq(governanceMembers.territoryId, territoryId)).orderBy(asc(governanceMembers.position)),
    db.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, territoryId)),
  ]);
  return bodies.map((b) => ({
    ...b,
    authority: auths.find((a) => a.id === b.authorityId),
    members: members.filter((m) => m.bodyId === b.id),
  }));
}

export async function loadContacts(db: Db, territoryId: number) {
  return db.select().from(territoryContacts).where(eq(territoryContacts.territoryId, territoryId)).orderBy(asc(territoryContacts.position));
}

export async function loadPages(db: Db, territoryId: number) {
  return db.select().from(territoryPages).where(eq(territoryPages.territoryId, territoryId)).orderBy(asc(territoryPages.key));
}

export async function loadPage(db: Db, territoryId: number, key: string) {
  const rows = await loadPages(db, territoryId);
  return rows.find((p) => p.key === key);
}

/** The programme's national priorities (enjeux) and dated facts. */
export async function loadProgramme(db: Db) {
  const [enjeux, facts] = await Promise.all([db.select().from(priorities).orderBy(asc(priorities.n)), db.select().from(programmeFacts).orderBy(asc(programmeFacts.id))]);
  return { enjeux, facts };
}
