import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { diff, recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import type { Tx } from "../../../core/db/client.ts";
import type { Visibility } from "../model.ts";
import { themes } from "../schema.ts";
import { FormError, NotFoundError } from "./errors.ts";

export interface ThemeInput {
  code: string;
  title: string;
  description: string | null;
  visibility: Visibility;
}

/** A live theme of the territory already using this code, other than `exceptId`. */
export async function themeUsingCode(tx: Tx, territoryId: number, code: string, exceptId?: number) {
  const rows = await tx
    .select({ id: themes.id, title: themes.title })
    .from(themes)
    .where(and(eq(themes.territoryId, territoryId), eq(themes.code, code), isNull(themes.archivedAt), exceptId ? ne(themes.id, exceptId) : undefined))
    .limit(1);
  return rows[0];
}

/**
 * Creates a theme (last of the plan) or updates one of the territory, in the caller's transaction.
 * `changed` is false when an update changes nothing (then nothing is written, not even an audit row).
 */
export async function saveTheme(tx: Tx, audit: AuditContext, territoryId: number, id: number | null, input: ThemeInput): Promise<{ id: number; changed: boolean }> {
  const taken = await themeUsingCode(tx, territoryId, input.code, id ?? undefined);
  if (taken) throw new FormError({ code: `Le code « ${input.code} » est déjà utilisé par la thématique « ${taken.title} ».` });
  if (id === null) {
    const [{ next }] = await tx
      .select({ next: sql<number>`coalesce(max(${themes.position}), -1) + 1` })
      .from(themes)
      .where(eq(themes.territoryId, territoryId));
    const [row] = await tx
      .insert(themes)
      .values({ territoryId, ...input, position: Number(next) })
      .returning();
    await recordAudit(tx, audit, { territoryId, action: "create", entity: "theme", entityId: row.id, after: input });
    return { id: row.id, changed: true };
  }
  const [before] = await tx.select().from(themes).where(and(eq(themes.id, id), eq(themes.territoryId, territoryId))).for("update");
  if (!before) throw new NotFoundError();
  const changes = diff(before, input);
  if (!changes) return { id, changed: false };
  await tx.update(themes).set(input).where(and(eq(themes.id, id), eq(themes.territoryId, territoryId)));
  await recordAudit(tx, audit, { territoryId, action: "update", entity: "theme", entityId: id, before: changes.before, after: changes.after });
  return { id, changed: true };
}
