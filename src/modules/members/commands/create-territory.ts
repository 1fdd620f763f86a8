import { eq, inArray } from "drizzle-orm";
import type { Tx } from "../../../core/db/client.ts";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import { communes, epcis } from "../../geography/api.ts";
import { territories, territoryAuthorities } from "../../territories/api.ts";
import { mostFrequent } from "../model.ts";
import { createInvitation } from "./invitations.ts";
import { FormError } from "./errors.ts";

export interface NewTerritory {
  name: string;
  slug: string;
  /** SIRENs of the member intercommunalités, in the order given. */
  sirens: string[];
  adminEmail: string;
}

/**
 * Creates a territory from its intercommunalités (national tables): the région and each EPCI's
 * département come from their communes; the first administrator gets an invitation.
 */
export async function createTerritory(tx: Tx, ctx: AuditContext, input: NewTerritory) {
  const errors: Record<string, string> = {};
  const [taken] = await tx.select({ name: territories.name }).from(territories).where(eq(territories.slug, input.slug));
  if (taken) errors.slug = `L'adresse « ${input.slug} » est déjà celle du territoire « ${taken.name} » : choisissez-en une autre.`;
  const bad = input.sirens.filter((s) => !/^\d{9}$/.test(s));
  const found = input.sirens.length && !bad.length ? await tx.select().from(epcis).where(inArray(epcis.siren, input.sirens)) : [];
  if (!input.sirens.length) errors.sirens = "Choisissez au moins une intercommunalité.";
  else if (bad.length) errors.sirens = `Un SIREN compte 9 chiffres : « ${bad[0]} » n'en est pas un.`;
  else {
    const missing = input.sirens.filter((s) => !found.some((e) => e.siren === s));
    if (missing.length) errors.sirens = `${missing.length > 1 ? "Les SIREN" : "Le SIREN"} ${missing.join(", ")} ne correspond${missing.length > 1 ? "ent" : ""} à aucune intercommunalité (EPCI) connue.`;
  }
  if (Object.keys(errors).length) throw new FormError(errors);

  const memberCommunes = await tx
    .select({ epci: communes.epciSiren, departement: communes.departementCode, region: communes.regionCode })
    .from(communes)
    .where(inArray(communes.epciSiren, input.sirens));
  const regionCode = mostFrequent(memberCommunes.map((c) => c.region).filter((r): r is string => Boolean(r)));
  const [territory] = await tx.insert(territories).values({ slug: input.slug, name: input.name, kind: "standard", regionCode }).returning();
  const authorities = input.sirens.map((siren, position) => {
    const e = found.find((x) => x.siren === siren)!;
    const departementCode = mostFrequent(memberCommunes.filter((c) => c.epci === siren).map((c) => c.departement).filter((d): d is string => Boolean(d)));
    return { territoryId: territory.id, siren, name: e.name, kind: e.kind, departementCode, position };
  });
  await tx.insert(territoryAuthorities).values(authorities);
  await recordAudit(tx, ctx, {
    territoryId: territory.id,
    action: "create",
    entity: "territory",
    entityId: territory.id,
    after: { name: input.name, slug: input.slug, regionCode, authorities: authorities.map((a) => `${a.name} (${a.siren})`) },
  });
  const invitation = await createInvitation(tx, ctx, { email: input.adminEmail, role: "territory_admin", territoryId: territory.id });
  return { territory, invitation };
}
