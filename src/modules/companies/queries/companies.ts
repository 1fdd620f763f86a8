import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../core/db/client.ts";
import { users } from "../../../core/db/schema.ts";
import { communes } from "../../geography/api.ts";
import { proposals, questions, registrations, workshops } from "../../participation/api.ts";
import { importRuns } from "../../observatory/api.ts";
import { companies, companyContacts, companyUsers, establishments } from "../schema.ts";
import { foldForSearch } from "../commands/search-text.ts";

export const PAGE_SIZE = 25;

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
const TYPO_THRESHOLD = 0.45;

function whereClause(territoryId: number, f: SearchFilters) {
  const parts = [sql`c.territory_id = ${territoryId}`];
  const q = foldForSearch(f.q ?? "");
  const digits = (f.q ?? "").replace(/[\s\u00a0\u202f.]/g, "");
  if (q) {
    const match = [sql`to_tsvector('french', c.search_text) @@ websearch_to_tsquery('french', ${q})`, sql`${q} <% c.search_text`];
    if (/^\d{3,14}$/.test(digits)) {
      match.push(sql`c.siren LIKE ${`${digits.slice(0, 9)}%`}`);
      match.push(sql`EXISTS (SELECT 1 FROM establishments e WHERE e.company_id = c.id AND e.siret LIKE ${`${digits}%`})`);
    }
    parts.push(sql`(${sql.join(match, sql` OR `)})`);
  }
  if (f.activite === "industrie") {
    parts.push(sql`c.industry`);
  } else if (f.activite && /^[A-U]$/.test(f.activite)) {
    parts.push(sql`EXISTS (SELECT 1 FROM establishments e WHERE e.company_id = c.id AND e.active AND e.naf_section = ${f.activite})`);
  }
  return { where: sql.join(parts, sql` AND `), q };
}

/**
 * Companies of the territory matching a search (French full text, or trigram word similarity for
 * typos, or a SIREN/SIRET prefix), industry first (an active establishment in sections B–E), then
 * by relevance and name.
 */
export async function searchCompanies(db: Db, territoryId: number, f: SearchFilters, pageSize = PAGE_SIZE): Promise<{ rows: CompanyListRow[]; total: number }> {
  const { where, q } = whereClause(territoryId, f);
  const page = Math.max(1, f.page ?? 1);
  const score = q ? sql`ts_rank(to_tsvector('french', c.search_text), websearch_to_tsquery('french', ${q})) + word_similarity(${q}, c.search_text)` : sql`0::real`;
  return db.transaction(async (tx) => {
    // The `<%` operator uses this threshold (and the trigram index); local to the transaction.
    await tx.execute(sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_THRESHOLD)}, true)`);
    const [countRows, rows] = await Promise.all([
      tx.execute(sql`SELECT count(*)::int AS n FROM companies c WHERE ${where}`),
      tx.execute(sql`
        SELECT c.id, c.name, c.siren, c.diffusion, c.natural_person AS "naturalPerson", c.industry, c.naf_code AS "nafCode",
          c.legal_form_label AS "legalFormLabel", c.source, c.co_builder AS "coBuilder",
          (SELECT count(*)::int FROM establishments e WHERE e.company_id = c.id AND e.active) AS "activeEstablishments",
          (SELECT string_agg(DISTINCT g.name, ', ') FROM establishments e JOIN geo_communes g ON g.code = e.commune_code
             WHERE e.company_id = c.id AND e.active) AS communes
        FROM companies c
        WHERE ${where}
        ORDER BY c.industry DESC, ${score} DESC, c.name ASC, c.id ASC
        LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`),
    ]);
    return { rows: rowsOf<CompanyListRow>(rows), total: Number(rowsOf<{ n: number }>(countRows)[0]?.n ?? 0) };
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
  const { where, q } = whereClause(territoryId, f);
  const score = q ? sql`word_similarity(${q}, c.search_text)` : sql`0::real`;
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_THRESHOLD)}, true)`);
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
        ORDER BY c.industry DESC, ${score} DESC, c.name ASC, c.id ASC, e.head_office DESC, e.siret ASC
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
