import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "../../../core/db/client.ts";
import { funderGrants, users } from "../../../core/db/schema.ts";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import { regions } from "../../geography/api.ts";
import { territories } from "../../territories/api.ts";
import { createInvitation, type GrantScope } from "./invitations.ts";
import { FormError, NotFoundError } from "./errors.ts";

/**
 * Grants a person read access to a territory's or a région's follow-up: directly when they have an
 * account, otherwise through an invitation that creates the account.
 */
export async function grantFunderAccess(tx: Tx, ctx: AuditContext, input: { email: string; scope: GrantScope }) {
  const { scope } = input;
  if (scope.territoryId !== null) {
    const [t] = await tx.select({ id: territories.id }).from(territories).where(and(eq(territories.id, scope.territoryId), isNull(territories.archivedAt)));
    if (!t) throw new FormError({ scope: "Choisissez un territoire ou une région dans la liste." });
  } else {
    const [r] = await tx.select({ code: regions.code }).from(regions).where(eq(regions.code, scope.regionCode ?? ""));
    if (!r) throw new FormError({ scope: "Choisissez un territoire ou une région dans la liste." });
  }
  const email = input.email.trim().toLowerCase();
  const [user] = await tx.select().from(users).where(eq(users.email, email));
  if (!user) return { invitation: await createInvitation(tx, ctx, { email, role: "funder", territoryId: scope.territoryId, grant: scope }) };
  if (user.disabledAt) throw new FormError({ email: "Ce compte est fermé : il ne peut pas recevoir d'accès." });
  const same = await tx
    .select({ id: funderGrants.id })
    .from(funderGrants)
    .where(
      and(
        eq(funderGrants.userId, user.id),
        scope.territoryId === null ? isNull(funderGrants.territoryId) : eq(funderGrants.territoryId, scope.territoryId),
        scope.regionCode === null ? isNull(funderGrants.regionCode) : eq(funderGrants.regionCode, scope.regionCode),
      ),
    );
  if (same.length) throw new FormError({ scope: `${email} a déjà cet accès.` });
  const [grant] = await tx.insert(funderGrants).values({ userId: user.id, label: scope.label, territoryId: scope.territoryId, regionCode: scope.regionCode }).returning();
  await recordAudit(tx, ctx, { territoryId: scope.territoryId, action: "create", entity: "funder_grant", entityId: grant.id, after: { userId: user.id, label: scope.label, territoryId: scope.territoryId, regionCode: scope.regionCode } });
  return { grant, user };
}

/** Revokes a funder's grant. */
export async function revokeFunderGrant(tx: Tx, ctx: AuditContext, id: number) {
  const [g] = await tx.select().from(funderGrants).where(eq(funderGrants.id, id));
  if (!g) throw new NotFoundError();
  await tx.delete(funderGrants).where(eq(funderGrants.id, id));
  await recordAudit(tx, ctx, { territoryId: g.territoryId, action: "delete", entity: "funder_grant", entityId: id, before: { userId: g.userId, label: g.label, territoryId: g.territoryId, regionCode: g.regionCode } });
  return g;
}
