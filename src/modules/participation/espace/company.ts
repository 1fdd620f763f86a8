// The company an account acts for in a territory (Mon espace, registrations), on the companies
// module's api: linked automatically when the account's SIRET claim (users.siret, from ProConnect
// or the sign-up form) belongs to a company of the territory, or requested by the person and
// confirmed by an agent.
import { eq } from "drizzle-orm";
import type { Db, Tx } from "../../../core/db/client.ts";
import { users } from "../../../core/db/schema.ts";
import type { AuditContext } from "../../../core/audit/index.ts";
import { companyOfUser, findCompanyBySiret, linkUserToCompany } from "../../companies/api.ts";

export type CompanyLink = NonNullable<Awaited<ReturnType<typeof companyOfUser>>>;

/** The person's company in the territory (confirmed first, else a pending request), or null. */
export const companyLinkOf = (db: Db | Tx, territoryId: number, userId: number) => companyOfUser(db, territoryId, userId);

/** The confirmed company of a person in the territory, or null. */
export async function confirmedCompanyOf(db: Db | Tx, territoryId: number, userId: number): Promise<CompanyLink | null> {
  const c = await companyOfUser(db, territoryId, userId);
  return c?.status === "confirmed" ? c : null;
}

/**
 * Links the account to the company its SIRET claim names, confirmed at once. Does nothing when the
 * person already has a confirmed company or the SIRET matches no company of the territory. Audited
 * (by the companies module) in the caller's transaction.
 */
export async function linkBySiretClaim(tx: Tx, audit: AuditContext, territoryId: number, userId: number): Promise<CompanyLink | null> {
  const current = await companyOfUser(tx, territoryId, userId);
  if (current?.status === "confirmed") return current;
  const [u] = await tx.select({ siret: users.siret }).from(users).where(eq(users.id, userId));
  if (!u?.siret) return null;
  const company = await findCompanyBySiret(tx, territoryId, u.siret);
  if (!company) return null;
  await linkUserToCompany(tx, audit, { territoryId, userId, companyId: company.id, via: "siret_claim" });
  return confirmedCompanyOf(tx, territoryId, userId);
}

/** A request to act for the company of a SIRET, pending until an agent confirms it; null when no company of the territory has it. */
export async function requestCompanyLink(tx: Tx, audit: AuditContext, territoryId: number, userId: number, siret: string) {
  const company = await findCompanyBySiret(tx, territoryId, siret);
  if (!company) return null;
  const link = await linkUserToCompany(tx, audit, { territoryId, userId, companyId: company.id, via: "request" });
  return link ? { company, link } : null;
}
