import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../../core/db/client.ts";
import { funderGrants, memberships, oneTimeTokens, users } from "../../../core/db/schema.ts";
import { randomToken, sha256 } from "../../../core/auth/session.ts";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import { INVITATION_DAYS, type InvitedRole, type Role } from "../model.ts";
import { FormError, NotFoundError } from "./errors.ts";

/** What a funder's invitation grants once accepted. */
export interface GrantScope {
  label: string;
  territoryId: number | null;
  regionCode: string | null;
}

/** The payload of an invitation token (`one_time_tokens`, purpose `invitation`). */
export interface InvitationPayload {
  /** Stable id of the invitation (kept when it is sent again), used in URLs. */
  id: string;
  email: string;
  role: InvitedRole;
  territoryId: number | null;
  authorityId: number | null;
  grant?: GrantScope;
  invitedBy: number | null;
}

export interface NewInvitation {
  email: string;
  role: InvitedRole;
  territoryId: number | null;
  authorityId?: number | null;
  grant?: GrantScope;
}

const PURPOSE = "invitation";
const expiry = () => new Date(Date.now() + INVITATION_DAYS * 86400_000);

/** Creates an invitation (replacing an unused one for the same person, role and territory); returns the secret token. */
export async function createInvitation(tx: Tx, ctx: AuditContext, input: NewInvitation): Promise<{ token: string; payload: InvitationPayload }> {
  const email = input.email.trim().toLowerCase();
  if (input.role !== "funder" && input.territoryId !== null) {
    const held = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(users.email, email), eq(memberships.territoryId, input.territoryId), eq(memberships.role, input.role), eq(memberships.status, "active")));
    if (held.length) throw new FormError({ email: `${email} a déjà ce rôle dans le territoire.` });
  }
  // A second invitation for the same person and role replaces the first: one valid link at a time.
  const previous = await tx
    .select()
    .from(oneTimeTokens)
    .where(
      and(
        eq(oneTimeTokens.purpose, PURPOSE),
        isNull(oneTimeTokens.usedAt),
        sql`${oneTimeTokens.payload} ->> 'email' = ${email}`,
        sql`${oneTimeTokens.payload} ->> 'role' = ${input.role}`,
        input.territoryId === null ? sql`${oneTimeTokens.payload} ->> 'territoryId' IS NULL` : sql`${oneTimeTokens.payload} ->> 'territoryId' = ${String(input.territoryId)}`,
      ),
    );
  const kept = previous.find((p) => input.role !== "funder" || JSON.stringify((p.payload as InvitationPayload).grant) === JSON.stringify(input.grant));
  const payload: InvitationPayload = {
    id: kept ? (kept.payload as InvitationPayload).id : randomBytes(8).toString("hex"),
    email,
    role: input.role,
    territoryId: input.territoryId,
    authorityId: input.authorityId ?? null,
    ...(input.grant ? { grant: input.grant } : {}),
    invitedBy: ctx.actor.user?.id ?? null,
  };
  if (kept) await tx.delete(oneTimeTokens).where(eq(oneTimeTokens.tokenHash, kept.tokenHash));
  const token = randomToken();
  await tx.insert(oneTimeTokens).values({ tokenHash: sha256(token), purpose: PURPOSE, payload, expiresAt: expiry() });
  await recordAudit(tx, ctx, {
    territoryId: input.territoryId,
    action: kept ? "update" : "create",
    entity: "invitation",
    entityId: payload.id,
    after: { email, role: input.role, authorityId: payload.authorityId, ...(input.grant ? { label: input.grant.label, regionCode: input.grant.regionCode } : {}) },
  });
  return { token, payload };
}

/** Where an invitation is managed: a territory's members page, or the platform's funder page. */
export type InvitationScope = { territoryId: number } | { funders: true };

function scopeCondition(scope: InvitationScope) {
  return "territoryId" in scope
    ? and(sql`${oneTimeTokens.payload} ->> 'territoryId' = ${String(scope.territoryId)}`, sql`${oneTimeTokens.payload} ->> 'role' <> 'funder'`)
    : sql`${oneTimeTokens.payload} ->> 'role' = 'funder'`;
}

async function findUnused(tx: Tx, id: string, scope: InvitationScope) {
  const [row] = await tx
    .select()
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.purpose, PURPOSE), isNull(oneTimeTokens.usedAt), sql`${oneTimeTokens.payload} ->> 'id' = ${id}`, scopeCondition(scope)));
  if (!row) throw new NotFoundError();
  return row;
}

/** Sends an invitation again: a new link, valid another 7 days; the old one stops working. */
export async function renewInvitation(tx: Tx, ctx: AuditContext, id: string, scope: InvitationScope): Promise<{ token: string; payload: InvitationPayload }> {
  const row = await findUnused(tx, id, scope);
  const payload = row.payload as InvitationPayload;
  await tx.delete(oneTimeTokens).where(eq(oneTimeTokens.tokenHash, row.tokenHash));
  const token = randomToken();
  await tx.insert(oneTimeTokens).values({ tokenHash: sha256(token), purpose: PURPOSE, payload, expiresAt: expiry() });
  await recordAudit(tx, ctx, { territoryId: payload.territoryId, action: "state", entity: "invitation", entityId: id, before: { expiresAt: row.expiresAt }, after: { email: payload.email, sentAgain: true } });
  return { token, payload };
}

/** Cancels an invitation: its link stops working. */
export async function cancelInvitation(tx: Tx, ctx: AuditContext, id: string, scope: InvitationScope): Promise<InvitationPayload> {
  const row = await findUnused(tx, id, scope);
  const payload = row.payload as InvitationPayload;
  await tx.delete(oneTimeTokens).where(eq(oneTimeTokens.tokenHash, row.tokenHash));
  await recordAudit(tx, ctx, { territoryId: payload.territoryId, action: "delete", entity: "invitation", entityId: id, before: { email: payload.email, role: payload.role } });
  return payload;
}

/** The payload of a valid invitation link (unused, not expired), or undefined. */
export async function findValidInvitation(tx: Tx, token: string): Promise<InvitationPayload | undefined> {
  const [row] = await tx
    .select()
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.tokenHash, sha256(token)), eq(oneTimeTokens.purpose, PURPOSE), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, sql`now()`)));
  return row ? (row.payload as InvitationPayload) : undefined;
}

/**
 * Accepts an invitation for an account: the link is spent, then the role is added (or a pending
 * self-registration becomes active) or the funder's grant created. Undefined when the link is no longer valid.
 */
export async function acceptInvitation(tx: Tx, ctx: AuditContext, token: string, userId: number): Promise<InvitationPayload | undefined> {
  const spent = await tx
    .update(oneTimeTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(oneTimeTokens.tokenHash, sha256(token)), eq(oneTimeTokens.purpose, PURPOSE), isNull(oneTimeTokens.usedAt), gt(oneTimeTokens.expiresAt, sql`now()`)))
    .returning();
  if (!spent.length) return undefined;
  const payload = spent[0].payload as InvitationPayload;
  await recordAudit(tx, ctx, { territoryId: payload.territoryId, action: "state", entity: "invitation", entityId: payload.id, after: { email: payload.email, accepted: true } });
  if (payload.role === "funder") {
    const g = payload.grant!;
    const [grant] = await tx.insert(funderGrants).values({ userId, label: g.label, territoryId: g.territoryId, regionCode: g.regionCode }).returning();
    await recordAudit(tx, ctx, { territoryId: g.territoryId, action: "create", entity: "funder_grant", entityId: grant.id, after: { userId, label: g.label, territoryId: g.territoryId, regionCode: g.regionCode } });
    return payload;
  }
  const territoryId = payload.territoryId!;
  const role = payload.role as Role;
  const authorityId = role === "agent" ? payload.authorityId : null;
  const [existing] = await tx.select().from(memberships).where(and(eq(memberships.userId, userId), eq(memberships.territoryId, territoryId), eq(memberships.role, role)));
  if (existing) {
    await tx.update(memberships).set({ status: "active", authorityId }).where(eq(memberships.id, existing.id));
    await recordAudit(tx, ctx, { territoryId, action: "update", entity: "membership", entityId: existing.id, before: { status: existing.status, authorityId: existing.authorityId }, after: { status: "active", authorityId } });
  } else {
    const [m] = await tx.insert(memberships).values({ userId, territoryId, role, authorityId, status: "active" }).returning();
    await recordAudit(tx, ctx, { territoryId, action: "create", entity: "membership", entityId: m.id, after: { userId, role, authorityId, status: "active" } });
  }
  return payload;
}
