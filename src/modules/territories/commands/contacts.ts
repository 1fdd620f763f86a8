import { and, asc, count, eq, sql } from "drizzle-orm";
import { diff, recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import type { Tx } from "../../../core/db/client.ts";
import { territoryContacts } from "../schema.ts";

export interface ContactInput {
  service: string;
  phone: string | null;
  email: string | null;
  address: string | null;
}

/** The command cannot run in the current state; the message is French. */
export class ContactConflict extends Error {}

/**
 * A French phone number in its usual written form ("02 31 66 27 96"), from what people type
 * (spaces, dots, dashes, +33 or 0033 prefix, "(0)"); null when it is not one.
 */
export function normalisePhone(raw: string): string | null {
  let s = raw.replace(/[\s.\-\u00a0\u202f]/g, "").replace("(0)", "");
  if (s.startsWith("+33")) s = `0${s.slice(3)}`;
  else if (s.startsWith("0033")) s = `0${s.slice(4)}`;
  if (!/^0[1-9]\d{8}$/.test(s)) return null;
  return s.replace(/(\d{2})(?=\d)/g, "$1 ");
}

const scoped = (territoryId: number, id: number) => and(eq(territoryContacts.id, id), eq(territoryContacts.territoryId, territoryId));

/** One contact of the territory, or undefined (another territory's id reads as absent). */
export async function findContact(tx: Tx, territoryId: number, id: number) {
  return (await tx.select().from(territoryContacts).where(scoped(territoryId, id)))[0];
}

/** Creates a contact (last) or updates one; returns whether anything changed, or undefined if absent. */
export async function saveContact(tx: Tx, audit: AuditContext, territoryId: number, id: number | null, input: ContactInput): Promise<{ id: number; changed: boolean } | undefined> {
  if (id === null) {
    const [{ next }] = await tx
      .select({ next: sql<number>`coalesce(max(${territoryContacts.position}), -1) + 1` })
      .from(territoryContacts)
      .where(eq(territoryContacts.territoryId, territoryId));
    const [row] = await tx
      .insert(territoryContacts)
      .values({ territoryId, ...input, position: Number(next) })
      .returning({ id: territoryContacts.id });
    await recordAudit(tx, audit, { territoryId, action: "create", entity: "territory_contact", entityId: row.id, after: input });
    return { id: row.id, changed: true };
  }
  const before = await findContact(tx, territoryId, id);
  if (!before) return undefined;
  const changes = diff(before, input);
  if (!changes) return { id, changed: false };
  await tx.update(territoryContacts).set(input).where(scoped(territoryId, id));
  await recordAudit(tx, audit, { territoryId, action: "update", entity: "territory_contact", entityId: id, before: changes.before, after: changes.after });
  return { id, changed: true };
}

/** Removes a contact; the last one stays, because the legal pages name it. Returns false if absent. */
export async function deleteContact(tx: Tx, audit: AuditContext, territoryId: number, id: number): Promise<boolean> {
  const before = await findContact(tx, territoryId, id);
  if (!before) return false;
  const [{ n }] = await tx.select({ n: count() }).from(territoryContacts).where(eq(territoryContacts.territoryId, territoryId));
  if (Number(n) <= 1) throw new ContactConflict("C'est le seul contact du territoire : il figure dans les mentions légales et la déclaration d'accessibilité. Modifiez-le plutôt que de le supprimer.");
  await tx.delete(territoryContacts).where(scoped(territoryId, id));
  const { id: _id, territoryId: _t, position: _p, ...after } = before;
  await recordAudit(tx, audit, { territoryId, action: "delete", entity: "territory_contact", entityId: id, before: after });
  return true;
}

/** Moves a contact one place up or down; the first one is the one the legal pages name. */
export async function moveContact(tx: Tx, audit: AuditContext, territoryId: number, id: number, direction: "up" | "down"): Promise<{ moved: boolean } | undefined> {
  const rows = await tx
    .select({ id: territoryContacts.id, position: territoryContacts.position })
    .from(territoryContacts)
    .where(eq(territoryContacts.territoryId, territoryId))
    .orderBy(asc(territoryContacts.position), asc(territoryContacts.id));
  const index = rows.findIndex((r) => r.id === id);
  if (index < 0) return undefined;
  const target = direction === "up" ? index - 1 : index + 1;
  if (target < 0 || target >= rows.length) return { moved: false };
  const order = rows.map((r) => r.id);
  [order[index], order[target]] = [order[target], order[index]];
  for (const [position, itemId] of order.entries()) {
    if (rows.find((r) => r.id === itemId)?.position !== position) await tx.update(territoryContacts).set({ position }).where(scoped(territoryId, itemId));
  }
  await recordAudit(tx, audit, { territoryId, action: "reorder", entity: "territory_contact", entityId: id, before: { order: rows.map((r) => r.id) }, after: { order } });
  return { moved: true };
}
