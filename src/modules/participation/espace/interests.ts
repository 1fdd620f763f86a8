// "Je souhaite participer": a participant's themes and availability, replaced as a whole.
import { and, eq, notInArray } from "drizzle-orm";
import type { Tx } from "../../../core/db/client.ts";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import { themes } from "../../plan/api.ts";
import { interests } from "../schema.ts";
import { FormError } from "../workshops/errors.ts";
import type { FORMATS, FREQUENCIES } from "../workshops/model.ts";

export interface InterestInput {
  themeIds: number[];
  days: number[];
  frequency: (typeof FREQUENCIES)[number] | null;
  format: (typeof FORMATS)[number] | null;
  comment: string | null;
}

/** Saves the person's interests: one row per checked theme, the same availability for each; unchecked themes are dropped. */
export async function saveInterests(tx: Tx, audit: AuditContext, territoryId: number, userId: number, input: InterestInput): Promise<void> {
  const themeIds = [...new Set(input.themeIds)];
  const live = await tx.select({ id: themes.id, archivedAt: themes.archivedAt }).from(themes).where(eq(themes.territoryId, territoryId));
  if (themeIds.some((id) => !live.some((t) => t.id === id && !t.archivedAt))) throw new FormError({ themeIds: "Choisissez des thématiques du territoire dans la liste." });
  const days = [...new Set(input.days)].sort();
  const before = await tx.select().from(interests).where(and(eq(interests.territoryId, territoryId), eq(interests.userId, userId)));
  await tx.delete(interests).where(and(eq(interests.territoryId, territoryId), eq(interests.userId, userId), themeIds.length ? notInArray(interests.themeId, themeIds) : undefined));
  for (const themeId of themeIds) {
    const values = { days, frequency: input.frequency, format: input.format, comment: input.comment, updatedAt: new Date() };
    await tx
      .insert(interests)
      .values({ territoryId, userId, themeId, ...values })
      .onConflictDoUpdate({ target: [interests.territoryId, interests.userId, interests.themeId], set: values });
  }
  await recordAudit(tx, audit, {
    territoryId,
    action: "update",
    entity: "interest",
    entityId: userId,
    before: before.length ? { themeIds: before.map((b) => b.themeId), days: before[0].days, frequency: before[0].frequency, format: before[0].format } : undefined,
    after: { themeIds, days, frequency: input.frequency, format: input.format },
  });
}
