import { and, desc, eq } from "drizzle-orm";
import type { Db, Tx } from "../../../core/db/client.ts";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import { compactIdentifier } from "../../../core/formats/identifiers.ts";
import { companies, companyUsers, establishments } from "../schema.ts";
import { companyDisplayName } from "../model.ts";

export type LinkVia = "siret_claim" | "agent" | "request";

/** What other modules learn of a company. The name is already hidden when diffusion is restricted. */
export interface CompanySummary {
  id: number;
  siren: string;
  name: string;
}

/**
 * The company of the territory that a SIRET belongs to: by the establishment's SIRET, else by its
 * SIREN (the first 9 digits: an establishment outside the territory of a company known here).
 */
export async function findCompanyBySiret(
  db: Db | Tx,
  territoryId: number,
  siret: string,
): Promise<(CompanySummary & { establishmentId: number | null; matchedBy: "siret" | "siren" }) | null> {
  const s = compactIdentifier(siret);
  if (!/^\d{14}$/.test(s)) return null;
  const [bySiret] = await db
    .select({ id: companies.id, siren: companies.siren, name: companies.name, diffusion: companies.diffusion, naturalPerson: companies.naturalPerson, establishmentId: establishments.id })
    .from(establishments)
    .innerJoin(companies, eq(companies.id, establishments.companyId))
    .where(and(eq(establishments.territoryId, territoryId), eq(establishments.siret, s)));
  if (bySiret) return { id: bySiret.id, siren: bySiret.siren, name: companyDisplayName(bySiret), establishmentId: bySiret.establishmentId, matchedBy: "siret" };
  const [bySiren] = await db
    .select({ id: companies.id, siren: companies.siren, name: companies.name, diffusion: companies.diffusion, naturalPerson: companies.naturalPerson })
    .from(companies)
    .where(and(eq(companies.territoryId, territoryId), eq(companies.siren, s.slice(0, 9))));
  return bySiren ? { id: bySiren.id, siren: bySiren.siren, name: companyDisplayName(bySiren), establishmentId: null, matchedBy: "siren" } : null;
}

/**
 * Links an account to a company of the territory. A SIRET claim (checked by the sign-in provider)
 * or an agent's link is confirmed at once; a request waits for an agent (`confirmCompanyLink`).
 * Idempotent: an existing link is kept, a pending one confirmed when the new way confirms.
 * Returns null when the company is not in this territory.
 */
export async function linkUserToCompany(
  tx: Tx,
  ctx: AuditContext,
  input: { territoryId: number; userId: number; companyId: number; via: LinkVia },
): Promise<{ id: number; status: "pending" | "confirmed"; created: boolean } | null> {
  const [company] = await tx.select({ id: companies.id }).from(companies).where(and(eq(companies.id, input.companyId), eq(companies.territoryId, input.territoryId)));
  if (!company) return null;
  const status = input.via === "request" ? "pending" : "confirmed";
  const confirmedBy = input.via === "agent" ? (ctx.actor.user?.id ?? null) : null;
  const [existing] = await tx
    .select()
    .from(companyUsers)
    .where(and(eq(companyUsers.territoryId, input.territoryId), eq(companyUsers.userId, input.userId), eq(companyUsers.companyId, input.companyId)));
  if (existing) {
    if (existing.status === "confirmed" || status === "pending") return { id: existing.id, status: existing.status, created: false };
    await tx.update(companyUsers).set({ status, via: input.via, confirmedBy }).where(eq(companyUsers.id, existing.id));
    await recordAudit(tx, ctx, {
      territoryId: input.territoryId,
      action: "update",
      entity: "company_user",
      entityId: existing.id,
      before: { status: existing.status, via: existing.via },
      after: { status, via: input.via },
    });
    return { id: existing.id, status, created: false };
  }
  const [row] = await tx
    .insert(companyUsers)
    .values({ territoryId: input.territoryId, companyId: input.companyId, userId: input.userId, status, via: input.via, confirmedBy })
    .returning();
  await recordAudit(tx, ctx, {
    territoryId: input.territoryId,
    action: "create",
    entity: "company_user",
    entityId: row.id,
    after: { companyId: input.companyId, userId: input.userId, status, via: input.via },
  });
  return { id: row.id, status, created: true };
}

/** An agent confirms a pending link between an account and a company; null when no such link in the territory. */
export async function confirmCompanyLink(tx: Tx, ctx: AuditContext, input: { territoryId: number; linkId: number }): Promise<{ id: number; companyId: number; userId: number } | null> {
  const [link] = await tx.select().from(companyUsers).where(and(eq(companyUsers.id, input.linkId), eq(companyUsers.territoryId, input.territoryId)));
  if (!link) return null;
  if (link.status !== "confirmed") {
    await tx.update(companyUsers).set({ status: "confirmed", confirmedBy: ctx.actor.user?.id ?? null }).where(eq(companyUsers.id, link.id));
    await recordAudit(tx, ctx, { territoryId: input.territoryId, action: "update", entity: "company_user", entityId: link.id, before: { status: link.status }, after: { status: "confirmed" } });
  }
  return { id: link.id, companyId: link.companyId, userId: link.userId };
}

/** Removes a link between an account and a company (a refused request, or a link ended by an agent). */
export async function removeCompanyLink(tx: Tx, ctx: AuditContext, input: { territoryId: number; linkId: number }): Promise<boolean> {
  const [link] = await tx.select().from(companyUsers).where(and(eq(companyUsers.id, input.linkId), eq(companyUsers.territoryId, input.territoryId)));
  if (!link) return false;
  await tx.delete(companyUsers).where(eq(companyUsers.id, link.id));
  await recordAudit(tx, ctx, {
    territoryId: input.territoryId,
    action: "delete",
    entity: "company_user",
    entityId: link.id,
    before: { companyId: link.companyId, userId: link.userId, status: link.status, via: link.via },
  });
  return true;
}

/**
 * The company an account acts for in the territory: a confirmed link first (the latest), else a
 * pending one, with its status; null when none.
 */
export async function companyOfUser(
  db: Db | Tx,
  territoryId: number,
  userId: number,
): Promise<(CompanySummary & { linkId: number; status: "pending" | "confirmed"; via: LinkVia }) | null> {
  const rows = await db
    .select({
      id: companies.id,
      siren: companies.siren,
      name: companies.name,
      diffusion: companies.diffusion,
      naturalPerson: companies.naturalPerson,
      linkId: companyUsers.id,
      status: companyUsers.status,
      via: companyUsers.via,
    })
    .from(companyUsers)
    .innerJoin(companies, eq(companies.id, companyUsers.companyId))
    .where(and(eq(companyUsers.territoryId, territoryId), eq(companyUsers.userId, userId)))
    .orderBy(desc(companyUsers.createdAt), desc(companyUsers.id));
  const r = rows.find((x) => x.status === "confirmed") ?? rows[0];
  return r ? { id: r.id, siren: r.siren, name: companyDisplayName(r), linkId: r.linkId, status: r.status, via: r.via } : null;
}
