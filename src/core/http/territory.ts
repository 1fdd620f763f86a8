import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { territories } from "../../modules/territories/schema.ts";

export type TerritoryRow = typeof territories.$inferSelect;

/** Loads a live territory by its slug. */
export async function findTerritoryBySlug(db: Db, slug: string): Promise<TerritoryRow | undefined> {
  const rows = await db.select().from(territories).where(eq(territories.slug, slug)).limit(1);
  const t = rows[0];
  return t && !t.archivedAt ? t : undefined;
}
