import { and, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../../../core/db/client.ts";
import { communes } from "../../geography/api.ts";
import { companies, establishments } from "../schema.ts";
import { isIndustry, nafLabel, RESTRICTED } from "../model.ts";

/** Lower case without accents: what search compares (the query gets the same treatment). */
export function foldForSearch(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase()
    .replace(/[’']/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Recomputes what search reads for these companies (name, SIREN, SIRETs, NAF codes and labels,
 * communes; never a restricted unit's personal data) and whether an active establishment is
 * industrial. Called in the transaction of every write of companies or establishments.
 */
export async function refreshSearch(tx: Tx, territoryId: number, companyIds: number[]): Promise<void> {
  if (!companyIds.length) return;
  const [cs, es] = await Promise.all([
    tx
      .select({ id: companies.id, name: companies.name, siren: companies.siren, nafCode: companies.nafCode, diffusion: companies.diffusion, naturalPerson: companies.naturalPerson })
      .from(companies)
      .where(and(eq(companies.territoryId, territoryId), inArray(companies.id, companyIds))),
    tx
      .select({
        companyId: establishments.companyId,
        siret: establishments.siret,
        name: establishments.name,
        nafCode: establishments.nafCode,
        nafSection: establishments.nafSection,
        communeCode: establishments.communeCode,
        postcode: establishments.postcode,
        active: establishments.active,
        diffusion: establishments.diffusion,
        communeName: communes.name,
      })
      .from(establishments)
      .leftJoin(communes, eq(communes.code, establishments.communeCode))
      .where(and(eq(establishments.territoryId, territoryId), inArray(establishments.companyId, companyIds))),
  ]);
  const byCompany = new Map<number, typeof es>();
  for (const e of es) byCompany.set(e.companyId, [...(byCompany.get(e.companyId) ?? []), e]);
  const updates = cs.map((c) => {
    const list = byCompany.get(c.id) ?? [];
    const restricted = c.diffusion === "P";
    const parts = new Set<string>();
    if (!(restricted && c.naturalPerson)) parts.add(c.name);
    else parts.add(RESTRICTED);
    parts.add(c.siren);
    for (const code of [c.nafCode, ...list.map((e) => e.nafCode)]) {
      if (!code) continue;
      parts.add(code);
      parts.add(code.replace(".", ""));
      const l = nafLabel(code);
      if (l) parts.add(l);
    }
    for (const e of list) {
      parts.add(e.siret);
      if (e.name && !(restricted || e.diffusion === "P")) parts.add(e.name);
      if (e.communeName) parts.add(e.communeName);
      if (e.postcode) parts.add(e.postcode);
    }
    const industry = list.some((e) => e.active && isIndustry(e.nafSection));
    return { id: c.id, text: foldForSearch([...parts].join(" ")), industry };
  });
  await tx.execute(sql`
    UPDATE companies SET search_text = r.text, search_vector = to_tsvector('french', r.text), industry = r.industry
    FROM json_to_recordset(${JSON.stringify(updates)}::json) AS r(id int, text text, industry boolean)
    WHERE companies.id = r.id AND companies.territory_id = ${territoryId}
      AND (companies.search_text IS DISTINCT FROM r.text OR companies.industry IS DISTINCT FROM r.industry OR companies.search_vector IS NULL)`);
}
