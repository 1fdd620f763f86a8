import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../core/db/client.ts";
import { users } from "../../../core/db/schema.ts";
import { communes } from "../../geography/api.ts";
import { proposals, questions, registrations, workshops } from "../../participation/api.ts";
import { importRuns } from "../../observatory/api.ts";
import { companies, companyContacts, companyUsers, establishments } from "../schema.ts";
import { foldForSearch } from "../commands/search-text.ts";

export const PAGE_SIZE = 25;
/** Search results are counted up to this many. */
export const COUNT_CAP = 2000;

export interface SearchFilters {
  q?: string;
  /** `industrie` (sections B–E) or one NAF section letter. */
  activite?: string;
  page?: number;
}

export interface CompanyListRow {
  id: number;
  name: string;
  siren: string;
  diffusion: string;
  naturalPerson: boolean;
  industry: boolean;
  nafCode: string | null;
  legalFormLabel: string | null;
  source: string;
  coBuilder: boolean;
  activeEstablishments: number;
  communes: string | null;
}

/** Rows of a raw query, whichever driver ran it. */
function rowsOf<T>(r: unknown): T[] {
  return (Array.isArray(r) ? r : ((r as { rows?: T[] }).rows ?? [])) as T[];
}

/** Below this word similarity (0–1) a word of the query does not match: low enough for one typo in a word. */
const TYPO_THRESHOLD = 0.4;

/** The upper bound of a digits prefix (`123` → `124`), or null for all nines: a range any collation orders like C. */
function prefixEnd(d: string): string | null {
  if (/^9+$/.test(d)) return null;
  return (BigInt(d) + 1n).toString().padStart(d.length, "0");
}

type Mode = "exact" | "fuzzy";

function whereClause(territoryId: number, f: SearchFilters, mode: Mode) {
  const parts = [sql`c.territory_id = ${territoryId}`];
  const q = foldForSearch(f.q ?? "");
  const digits = (f.q ?? "").replace(/[\s\u00a0\u202f.]/g, "");
  let score = sql`0::real`;
  if (/^\d{3,14}$/.test(digits)) {
    // A SIREN or SIRET, or its beginning.
    const end = prefixEnd(digits);
    const siren = digits.slice(0, 9);
    const sirenEnd = prefixEnd(siren);
    const siretRange = end ? sql`e.siret >= ${digits} AND e.siret < ${end}` : sql`e.siret >= ${digits}`;
    parts.push(sql`(${sirenEnd ? sql`(c.siren >= ${siren} AND c.siren < ${sirenEnd})` : sql`c.siren >= ${siren}`}
      OR c.id IN (SELECT e.company_id FROM establishments e WHERE e.territory_id = ${territoryId} AND ${siretRange}))`);
    // Not a constant: the few matches are sorted, rather than the list index walked to its end.
    score = sql`-c.siren::bigint`;
  } else if (q) {
    // Full text over everything searchable (name, activity, communes…) on the stored vector; when
    // it finds nothing, trigram word similarity on the name for typos (companies_name_trgm_idx).
    const fts = sql`c.search_vector @@ websearch_to_tsquery('french', ${q})`;
    if (mode === "exact") {
      parts.push(fts);
      score = sql`ts_rank(c.search_vector, websearch_to_tsquery('french', ${q}))`;
    } else {
      parts.push(sql`(${fts} OR ${q} <% c.name)`);
      score = sql`word_similarity(${q}, c.name)`;
    }
  }
  if (f.activite === "industrie") {
    parts.push(sql`c.industry`);
  } else if (f.activite && /^[A-U]$/.test(f.activite)) {
    parts.push(sql`EXISTS (SELECT 1 FROM establishments e WHERE e.company_id = c.id AND e.active AND e.naf_section = ${f.activite})`);
  }
  return { where: sql.join(parts, sql` AND `), score };
}

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

async function count(tx: Tx, where: SQL): Promise<number> {
  // Counted up to a cap: beyond it the page says « plus de … » rather than paying for an exact count.
  return Number(rowsOf<{ n: number }>(await tx.execute(sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM companies c WHERE ${where} LIMIT ${COUNT_CAP + 1}) x`))[0]?.n ?? 0);
}

/** Exact matches first; when there are none, the fuzzy search (typos). */
async function chooseWhere(tx: Tx, territoryId: number, f: SearchFilters) {
  const exact = whereClause(territoryId, f, "exact");
  const n = await count(tx, exact.where);
  if (n > 0 || !f.q) return { ...exact, total: n };
  // The `<%` operator uses this threshold (and the trigram index); local to the transaction.
  await tx.execute(sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_THRESHOLD)}, true)`);
  const fuzzy = whereClause(territoryId, f, "fuzzy");
  return { ...fuzzy, total: await count(tx, fuzzy.where) };
}

/**
 * Companies of the territory matching a search (French full text, else trigram word similarity on
 * the name for typos, or a SIREN/SIRET prefix), industry first (an active establishment in
 * sections B–E), then by relevance and name.
 */
export async function searchCompanies(db: Db, territoryId: number, f: SearchFilters, pageSize = PAGE_SIZE): Promise<{ rows: CompanyListRow[]; total: number }> {
  const page = Math.max(1, f.page ?? 1);
  return db.transaction(async (tx) => {
    const { where, score, total } = await chooseWhere(tx, territoryId, f);
    if (total === 0) return { rows: [], total };
    const rows = await tx.execute(sql`
        SELECT c.id, c.name, c.siren, c.diffusion, c.natural_person AS "naturalPerson", c.industry, c.naf_code AS "nafCode",
          c.legal_form_label AS "legalFormLabel", c.source, c.co_builder AS "coBuilder",
          (SELECT count(*)::int FROM establishments e WHERE e.company_id = c.id AND e.active) AS "activeEstablishments",
          (SELECT string_agg(DISTINCT g.name, ', ') FROM establishments e JOIN geo_communes g ON g.code = e.commune_code
             WHERE e.company_id = c.id AND e.active) AS communes
        FROM companies c
        WHERE ${where}
        ORDER BY c.industry DESC NULLS LAST, ${score} DESC, c.name ASC, c.id ASC
        LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`);
    return { rows: rowsOf<CompanyListRow>(rows), total };
  });
}

export interface ExportRow {
  siret: string;
  siren: string;
  companyName: string;
  companyDiffusion: string;
  naturalPerson: boolean;
  legalForm: string | null;
  legalFormLabel: string | null;
  establishmentName: string | null;
  nafCode: string | null;
  nafSection: string | null;
  workforceBand: string | null;
  headOffice: boolean;
  address: string | null;
  postcode: string | null;
  communeCode: string | null;
  communeName: string | null;
  active: boolean;
  diffusion: string;
}

/** One row per establishment of the matching companies, in the same order as the list (at most 100,000). */
export async function exportRows(db: Db, territoryId: number, f: SearchFilters): Promise<ExportRow[]> {
  return db.transaction(async (tx) => {
    const { where, score } = await chooseWhere(tx, territoryId, f);
    return rowsOf<ExportRow>(
      await tx.execute(sql`
        SELECT e.siret, c.siren, c.name AS "companyName", c.diffusion AS "companyDiffusion", c.natural_person AS "naturalPerson",
          c.legal_form AS "legalForm", c.legal_form_label AS "legalFormLabel", e.name AS "establishmentName", e.naf_code AS "nafCode",
          e.naf_section AS "nafSection", e.workforce_band AS "workforceBand", e.head_office AS "headOffice", e.address, e.postcode,
          e.commune_code AS "communeCode", g.name AS "communeName", e.active, e.diffusion
        FROM companies c
        JOIN establishments e ON e.company_id = c.id AND e.territory_id = c.territory_id
        LEFT JOIN geo_communes g ON g.code = e.commune_code
        WHERE ${where}
        ORDER BY c.industry DESC NULLS LAST, ${score} DESC, c.name ASC, c.id ASC, e.head_office DESC, e.siret ASC
        LIMIT 100000`),
    );
  });
}

/** Everything the platform knows of one company of the territory, or null. */
export async function loadCompany(db: Db, territoryId: number, id: number) {
  const [company] = await db.select().from(companies).where(and(eq(companies.id, id), eq(companies.territoryId, territoryId)));
  if (!company) return null;
  const [ests, contacts, links] = await Promise.all([
    db
      .select({ e: establishments, communeName: communes.name })
      .from(establishments)
      .leftJoin(communes, eq(communes.code, establishments.communeCode))
      .where(and(eq(establishments.companyId, id), eq(establishments.territoryId, territoryId)))
      .orderBy(desc(establishments.active), desc(establishments.headOffice), asc(establishments.siret)),
    db.select().from(companyContacts).where(and(eq(companyContacts.companyId, id), eq(companyContacts.territoryId, territoryId))).orderBy(asc(companyContacts.name), asc(companyContacts.id)),
    db
      .select({ id: companyUsers.id, userId: companyUsers.userId, status: companyUsers.status, via: companyUsers.via, createdAt: companyUsers.createdAt, email: users.email, displayName: users.displayName })
      .from(companyUsers)
      .innerJoin(users, eq(users.id, companyUsers.userId))
      .where(and(eq(companyUsers.companyId, id), eq(companyUsers.territoryId, territoryId)))
      .orderBy(asc(companyUsers.createdAt)),
  ]);
  const userIds = links.filter((l) => l.status === "confirmed").map((l) => l.userId);
  const [regs, props, qs] = await Promise.all([
    db
      .select({ id: registrations.id, status: registrations.status, attended: registrations.attended, title: workshops.title, startsAt: workshops.startsAt, userName: users.displayName })
      .from(registrations)
      .innerJoin(workshops, eq(workshops.id, registrations.workshopId))
      .innerJoin(users, eq(users.id, registrations.userId))
      .where(and(eq(registrations.territoryId, territoryId), eq(registrations.companyId, id)))
      .orderBy(desc(workshops.startsAt)),
    db
      .select({ id: proposals.id, title: proposals.title, status: proposals.status, createdAt: proposals.createdAt })
      .from(proposals)
      .where(and(eq(proposals.territoryId, territoryId), eq(proposals.companyId, id)))
      .orderBy(desc(proposals.createdAt)),
    userIds.length
      ? db
          .select({ id: questions.id, subject: questions.subject, status: questions.status, createdAt: questions.createdAt, name: questions.name })
          .from(questions)
          .where(and(eq(questions.territoryId, territoryId), inArray(questions.userId, userIds)))
          .orderBy(desc(questions.createdAt))
      : Promise.resolve([]),
  ]);
  return { company, establishments: ests.map((r) => ({ ...r.e, communeName: r.communeName })), contacts, links, registrations: regs, proposals: props, questions: qs };
}

export type CompanyPageData = NonNullable<Awaited<ReturnType<typeof loadCompany>>>;

/** The latest Sirene import runs of the territory, newest first. */
export async function listImportRuns(db: Db, territoryId: number, limit = 10) {
  return db
    .select()
    .from(importRuns)
    .where(and(eq(importRuns.territoryId, territoryId), eq(importRuns.kind, "sirene")))
    .orderBy(desc(importRuns.startedAt), desc(importRuns.id))
    .limit(limit);
}

/** Counts shown above the list. */
export async function companyCounts(db: Db, territoryId: number) {
  const rows = rowsOf<{ total: number; industry: number }>(
    await db.execute(sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE industry)::int AS industry FROM companies WHERE territory_id = ${territoryId}`),
  );
  return rows[0] ?? { total: 0, industry: 0 };
}

/** Accounts waiting for an agent to confirm that they act for a company of the territory. */
export async function pendingLinks(db: Db, territoryId: number) {
  return db
    .select({ id: companyUsers.id, companyId: companies.id, companyName: companies.name, diffusion: companies.diffusion, naturalPerson: companies.naturalPerson, displayName: users.displayName, email: users.email, createdAt: companyUsers.createdAt })
    .from(companyUsers)
    .innerJoin(companies, eq(companies.id, companyUsers.companyId))
    .innerJoin(users, eq(users.id, companyUsers.userId))
    .where(and(eq(companyUsers.territoryId, territoryId), eq(companyUsers.status, "pending")))
    .orderBy(asc(companyUsers.createdAt))
    .limit(50);
}

export type PendingLink = Awaited<ReturnType<typeof pendingLinks>>[number];
