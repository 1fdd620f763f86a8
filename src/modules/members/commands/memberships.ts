import { and, count, eq, ne } from "drizzle-orm";
import type { Tx } from "../../../core/db/client.ts";
import { memberships } from "../../../core/db/schema.ts";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import { territoryAuthorities } from "../../territories/api.ts";
import { ROLE_LABELS, type Role } from "../model.ts";
import { FormError, isUniqueViolation, NotFoundError } from "./errors.ts";

async function findMembership(tx: Tx, territoryId: number, id: number) {
  const [m] = await tx.select().from(memberships).where(and(eq(memberships.id, id), eq(memberships.territoryId, territoryId)));
  if (!m) throw new NotFoundError();
  return m;
}

/** A territory keeps at least one active administrator, so someone can always manage its members. */
async function assertNotLastAdmin(tx: Tx, territoryId: number, m: typeof memberships.$inferSelect, field: string) {
  if (m.role !== "territory_admin" || m.status !== "active") return;
  const [others] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.territoryId, territoryId), eq(memberships.role, "territory_admin"), eq(memberships.status, "active"), ne(memberships.id, m.id)));
  if (Number(others.n) === 0) throw new FormError({ [field]: "Le territoire doit garder au moins un administrateur : nommez-en un autre avant de changer ce rôle." });
}

/** Changes a member's role and, for an agent, the intercommunalité they are limited to (null: the whole territory). */
export async function updateMembership(tx: Tx, ctx: AuditContext, territoryId: number, id: number, input: { role: Role; authorityId: number | null }) {
  const m = await findMembership(tx, territoryId, id);
  const field = `role-${id}`;
  if (m.status !== "active") throw new FormError({ [field]: "Confirmez d'abord cette inscription." });
  const authorityId = input.role === "agent" ? input.authorityId : null;
  if (authorityId !== null) {
    const [a] = await tx.select({ id: territoryAuthorities.id }).from(territoryAuthorities).where(and(eq(territoryAuthorities.id, authorityId), eq(territoryAuthorities.territoryId, territoryId)));
    if (!a) throw new FormError({ [`authority-${id}`]: "Choisissez une intercommunalité du territoire dans la liste." });
  }
  if (m.role === input.role && m.authorityId === authorityId) return { changed: false };
  if (m.role !== input.role) {
    await assertNotLastAdmin(tx, territoryId, m, field);
    const [dup] = await tx.select({ id: memberships.id }).from(memberships).where(and(eq(memberships.userId, m.userId), eq(memberships.territoryId, territoryId), eq(memberships.role, input.role)));
    if (dup) throw new FormError({ [field]: `Cette personne a déjà le rôle « ${ROLE_LABELS[input.role]} » dans le territoire.` });
  }
  try {
    await tx.update(memberships).set({ role: input.role, authorityId }).where(eq(memberships.id, id));
  } catch (e) {
    if (isUniqueViolation(e)) throw new FormError({ [field]: `Cette personne a déjà le rôle « ${ROLE_LABELS[input.role]} » dans le territoire.` });
    throw e;
  }
  await recordAudit(tx, ctx, { territoryId, action: "update", entity: "membership", entityId: id, before: { role: m.role, authorityId: m.authorityId }, after: { role: input.role, authorityId } });
  return { changed: true };
}

/** Removes a role from a member (their account stays). */
export async function removeMembership(tx: Tx, ctx: AuditContext, territoryId: number, id: number) {
  const m = await findMembership(tx, territoryId, id);
  if (m.status !== "active") throw new NotFoundError();
  await assertNotLastAdmin(tx, territoryId, m, `role-${id}`);
  await tx.delete(memberships).where(eq(memberships.id, id));
  await recordAudit(tx, ctx, { territoryId, action: "delete", entity: "membership", entityId: id, before: { userId: m.userId, role: m.role, authorityId: m.authorityId, status: m.status } });
}

/** Confirms (active) or refuses (removed) a pending self-registration. */
export async function decidePending(tx: Tx, ctx: AuditContext, territoryId: number, id: number, accept: boolean) {
  const m = await findMembership(tx, territoryId, id);
  if (m.status !== "pending") throw new NotFoundError();
  if (accept) {
    await tx.update(memberships).set({ status: "active" }).where(eq(memberships.id, id));
    await recordAudit(tx, ctx, { territoryId, action: "state", entity: "membership", entityId: id, before: { status: "pending" }, after: { status: "active" } });
  } else {
    await tx.delete(memberships).where(eq(memberships.id, id));
    await recordAudit(tx, ctx, { territoryId, action: "delete", entity: "membership", entityId: id, before: { userId: m.userId, role: m.role, status: "pending" }, after: { refused: true } });
  }
  return m;
}
