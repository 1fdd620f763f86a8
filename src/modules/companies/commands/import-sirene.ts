import { basename } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { eq, inArray, sql } from "drizzle-orm";
import type { Database, Tx } from "../../../core/db/client.ts";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import type { Progress } from "../../../core/control.ts";
import { FILE_LABELS, readSireneStock, SireneFormatError, unitName, type SireneEstablishment, type SireneReject, type SireneUnit } from "../../../core/formats/sirene.ts";
import { communes } from "../../geography/api.ts";
import { importRuns } from "../../observatory/api.ts";
import { territoryAuthorities } from "../../territories/api.ts";
import { formatAddress, isNaturalPersonCategory, legalCategoryLabel, nafSection, RESTRICTED } from "../model.ts";
import { refreshSearch } from "./search-text.ts";

/**
 * Rows written per transaction. The embedded database runs in the server's thread: a chunk of 25
 * blocks it some 40 ms on a quiet machine, and a pause of 10 ms after each lets the requests
 * waiting meanwhile be answered; PostgreSQL takes bigger chunks and no pause.
 */
export const CHUNK_ROWS = { pglite: 25, postgres: 1000 } as const;
const PAUSE_MS = { pglite: 10, postgres: 0 } as const;
/** Rejections kept in detail in the report (all are counted). */
const MAX_DETAILS = 500;

export interface SireneImportReport {
  runId: number;
  territory: string;
  /** Data rows read in each file. */
  etablissementsRead: number;
  unitesLegalesRead: number;
  /** Establishments of other communes (not kept, not checked further). */
  outside: number;
  /** Establishments of the territory written (created, updated or unchanged) or closed. */
  kept: number;
  rejected: number;
  companiesCreated: number;
  companiesUpdated: number;
  establishmentsCreated: number;
  establishmentsUpdated: number;
  establishmentsUnchanged: number;
  /** Establishments marked inactive because the file says they are closed. */
  establishmentsClosed: number;
  /** Closed establishments unknown to the platform: not created. */
  closedSkipped: number;
  rejections: string[];
  unknownColumns: string[];
}

/** A failure that stops the import; its French message is shown as is (nothing was written). */
export class SireneImportError extends Error {}

const describe = (r: SireneReject) => `${FILE_LABELS[r.file]}, ligne ${r.line} : ${r.reason}`;

/** The commune codes of a territory: those of its intercommunalités in the national tables. */
export async function territoryCommuneCodes(db: Database["db"], territoryId: number): Promise<Set<string>> {
  const rows = await db
    .select({ code: communes.code })
    .from(communes)
    .where(inArray(communes.epciSiren, db.select({ s: territoryAuthorities.siren }).from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, territoryId))));
  return new Set(rows.map((r) => r.code));
}

interface CompanyRow {
  siren: string;
  name: string;
  legal_form: string | null;
  legal_form_label: string | null;
  naf_code: string | null;
  diffusion: "O" | "P";
  natural_person: boolean;
}

function companyRow(unit: SireneUnit, head: SireneEstablishment): CompanyRow {
  const natural = isNaturalPersonCategory(unit.legalCategory);
  const name = unit.diffusion === "P" && natural ? RESTRICTED : (unitName(unit) ?? head.sign ?? head.usualName ?? `Entreprise ${unit.siren}`);
  return {
    siren: unit.siren,
    name,
    legal_form: unit.legalCategory,
    legal_form_label: legalCategoryLabel(unit.legalCategory),
    naf_code: head.nafCode,
    diffusion: unit.diffusion,
    natural_person: natural,
  };
}

function establishmentRow(e: SireneEstablishment, unit: SireneUnit) {
  const restricted = e.diffusion === "P" || unit.diffusion === "P";
  return {
    siret: e.siret,
    siren: e.siren,
    name: restricted ? null : (e.sign ?? e.usualName),
    naf_code: e.nafCode,
    naf_section: e.nafNomenclature === "NAFRev2" || e.nafNomenclature === null ? nafSection(e.nafCode) : null,
    workforce_band: e.workforceBand,
    head_office: e.headOffice,
    address: restricted ? null : formatAddress({ number: e.streetNumber ?? undefined, repetition: e.repetition ?? undefined, streetType: e.streetType ?? undefined, street: e.street ?? undefined, complement: e.complement ?? undefined }),
    postcode: e.postcode,
    commune_code: e.communeCode,
    diffusion: restricted ? "P" : "O",
  };
}

/**
 * Imports the territory's establishments from the Sirene stock files: reads and checks both files
 * first (a file that cannot be read writes nothing), then writes in chunks of `CHUNK_ROWS`, each in
 * its own transaction, yielding between chunks so the server keeps answering on the embedded
 * database. Upserts by SIRET and SIREN: a re-import updates without duplicates; establishments the
 * file says are closed are marked inactive (and not created when unknown). The run and its report
 * are recorded in `import_runs`, and one audit entry sums it up.
 */
export async function importSirene(
  database: Database,
  audit: AuditContext,
  input: { territoryId: number; territorySlug: string; etablissements: string; unitesLegales: string; progress?: (p: Progress) => void; chunkRows?: number },
): Promise<SireneImportReport> {
  const db = database.db;
  const communeCodes = await territoryCommuneCodes(db, input.territoryId);
  if (!communeCodes.size) throw new SireneImportError("Ce territoire n'a aucune commune : ajoutez d'abord ses intercommunalités.");
  const [run] = await db
    .insert(importRuns)
    .values({ territoryId: input.territoryId, kind: "sirene", fileName: `${basename(input.etablissements)} + ${basename(input.unitesLegales)}`, startedBy: audit.actor.user?.id ?? null })
    .returning({ id: importRuns.id });
  const rejections: string[] = [];
  let rejected = 0;
  const onReject = (r: SireneReject) => {
    rejected++;
    if (rejections.length < MAX_DETAILS) rejections.push(describe(r));
  };
  const finish = (status: "done" | "failed", message: string, counts: { read: number; kept: number }) =>
    db
      .update(importRuns)
      .set({ status, message, rowsRead: counts.read, rowsKept: counts.kept, rowsRejected: rejected, rejections, finishedAt: new Date() })
      .where(eq(importRuns.id, run.id));

  let stock;
  try {
    stock = await readSireneStock({
      etablissements: input.etablissements,
      unitesLegales: input.unitesLegales,
      communes: communeCodes,
      onReject,
      onProgress: (p) =>
        input.progress?.({ done: Math.round(p.bytes / 1e6), total: Math.max(1, Math.round(p.totalBytes / 1e6)), unit: "Mo", label: `Lecture de ${FILE_LABELS[p.file]}` }),
    });
  } catch (e) {
    const message = e instanceof SireneFormatError ? e.message : `Lecture impossible : ${(e as Error).message}`;
    await finish("failed", message, { read: 0, kept: 0 });
    throw new SireneImportError(message);
  }

  // Join: an establishment without its unit cannot make a company.
  const active: { e: SireneEstablishment; u: SireneUnit }[] = [];
  const closed: string[] = [];
  for (const { establishment: e, unit: u } of stock.rows) {
    if (!u) {
      onReject({ file: "etablissements", line: e.line, reason: `l'unité légale ${e.siren} est absente du fichier StockUniteLegale`, id: e.siret });
      continue;
    }
    if (e.state === "F") closed.push(e.siret);
    else active.push({ e, u });
  }
  // The company's activity is its head office's when the head office is in the territory.
  const head = new Map<string, SireneEstablishment>();
  for (const { e } of active) if (e.headOffice || !head.has(e.siren)) head.set(e.siren, e);

  const report: SireneImportReport = {
    runId: run.id,
    territory: input.territorySlug,
    etablissementsRead: stock.establishments.read,
    unitesLegalesRead: stock.units.read,
    outside: stock.establishments.outside,
    kept: 0,
    rejected: 0,
    companiesCreated: 0,
    companiesUpdated: 0,
    establishmentsCreated: 0,
    establishmentsUpdated: 0,
    establishmentsUnchanged: 0,
    establishmentsClosed: 0,
    closedSkipped: 0,
    rejections,
    unknownColumns: stock.unknownColumns.map((u) => `${FILE_LABELS[u.file]} : ${u.columns.join(", ")}`),
  };
  const chunk = input.chunkRows ?? CHUNK_ROWS[database.kind];
  const total = active.length + closed.length;
  let done = 0;
  try {
    for (let i = 0; i < active.length; i += chunk) {
      const part = active.slice(i, i + chunk);
      await db.transaction((tx) => writeChunk(tx, input.territoryId, part, head, report));
      done += part.length;
      input.progress?.({ done, total, unit: "établissements", label: "Enregistrement" });
      await sleep(PAUSE_MS[database.kind]);
    }
    for (let i = 0; i < closed.length; i += chunk) {
      const part = closed.slice(i, i + chunk);
      await db.transaction(async (tx) => {
        const rows = await tx.execute(sql`
          UPDATE establishments SET active = false, updated_at = now()
          WHERE territory_id = ${input.territoryId} AND siret IN (SELECT json_array_elements_text(${JSON.stringify(part)}::json)) AND active
          RETURNING company_id`);
        const list = rowsOf<{ company_id: number }>(rows);
        report.establishmentsClosed += list.length;
        await refreshSearch(tx, input.territoryId, [...new Set(list.map((r) => Number(r.company_id)))]);
      });
      done += part.length;
      input.progress?.({ done, total, unit: "établissements", label: "Enregistrement" });
      await sleep(PAUSE_MS[database.kind]);
    }
  } catch (e) {
    // The database's message names the statement and its data: only its first line, shortened, is kept.
    const cause = ((e as { cause?: Error }).cause?.message ?? (e as Error).message).split("\n")[0].slice(0, 200);
    const message = `Import interrompu après ${done} établissements enregistrés (relancez-le : il reprend sans doublon) : ${cause}`;
    await finish("failed", message, { read: stock.establishments.read, kept: done });
    throw new SireneImportError(message);
  }
  // Fresh statistics, so that search uses the full-text and trigram indexes on the new rows.
  await database.exec("ANALYZE companies; ANALYZE establishments");
  const alreadyClosed = closed.length - report.establishmentsClosed;
  report.closedSkipped = alreadyClosed;
  report.kept = active.length + report.establishmentsClosed;
  report.rejected = rejected;
  const summary = summarize(report);
  await db.transaction(async (tx) => {
    await recordAudit(tx, audit, {
      territoryId: input.territoryId,
      action: "import",
      entity: "sirene_import",
      entityId: run.id,
      after: {
        lues: report.etablissementsRead,
        gardees: report.kept,
        rejetees: report.rejected,
        entreprisesCreees: report.companiesCreated,
        etablissementsCrees: report.establishmentsCreated,
        etablissementsModifies: report.establishmentsUpdated,
        etablissementsFermes: report.establishmentsClosed,
      },
    });
  });
  await finish("done", summary, { read: report.etablissementsRead, kept: report.kept });
  return report;
}

/** Rows of a raw query, whichever driver ran it. */
function rowsOf<T>(r: unknown): T[] {
  return (Array.isArray(r) ? r : ((r as { rows?: T[] }).rows ?? [])) as T[];
}

async function writeChunk(tx: Tx, territoryId: number, part: { e: SireneEstablishment; u: SireneUnit }[], head: Map<string, SireneEstablishment>, report: SireneImportReport) {
  const units = new Map<string, CompanyRow>();
  for (const { e, u } of part) if (!units.has(u.siren)) units.set(u.siren, companyRow(u, head.get(e.siren) ?? e));
  const upserted = rowsOf<{ inserted: boolean }>(
    await tx.execute(sql`
      INSERT INTO companies (territory_id, siren, name, legal_form, legal_form_label, naf_code, diffusion, natural_person, source)
      SELECT ${territoryId}, r.siren, r.name, r.legal_form, r.legal_form_label, r.naf_code, r.diffusion, r.natural_person, 'sirene'
      FROM json_to_recordset(${JSON.stringify([...units.values()])}::json)
        AS r(siren text, name text, legal_form text, legal_form_label text, naf_code text, diffusion text, natural_person boolean)
      ON CONFLICT (territory_id, siren) DO UPDATE SET
        name = EXCLUDED.name, legal_form = EXCLUDED.legal_form, legal_form_label = EXCLUDED.legal_form_label,
        naf_code = EXCLUDED.naf_code, diffusion = EXCLUDED.diffusion, natural_person = EXCLUDED.natural_person,
        source = 'sirene', updated_at = now()
      WHERE (companies.name, companies.legal_form, companies.legal_form_label, companies.naf_code, companies.diffusion, companies.natural_person, companies.source)
        IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.legal_form, EXCLUDED.legal_form_label, EXCLUDED.naf_code, EXCLUDED.diffusion, EXCLUDED.natural_person, 'sirene')
      RETURNING (xmax = 0) AS inserted`),
  );
  for (const r of upserted) {
    if (r.inserted) report.companiesCreated++;
    else report.companiesUpdated++;
  }
  const ids = rowsOf<{ id: number; siren: string }>(
    await tx.execute(sql`SELECT id, siren FROM companies WHERE territory_id = ${territoryId} AND siren IN (SELECT json_array_elements_text(${JSON.stringify([...units.keys()])}::json))`),
  );
  const idOf = new Map(ids.map((r) => [r.siren, Number(r.id)]));
  const rows = part.map(({ e, u }) => ({ ...establishmentRow(e, u), company_id: idOf.get(e.siren) }));
  const written = rowsOf<{ inserted: boolean }>(
    await tx.execute(sql`
      INSERT INTO establishments (territory_id, company_id, siret, name, naf_code, naf_section, workforce_band, head_office, address, postcode, commune_code, active, diffusion)
      SELECT ${territoryId}, r.company_id, r.siret, r.name, r.naf_code, r.naf_section, r.workforce_band, r.head_office, r.address, r.postcode, r.commune_code, true, r.diffusion
      FROM json_to_recordset(${JSON.stringify(rows)}::json)
        AS r(company_id int, siret text, name text, naf_code text, naf_section text, workforce_band text, head_office boolean, address text, postcode text, commune_code text, diffusion text)
      ON CONFLICT (territory_id, siret) DO UPDATE SET
        name = EXCLUDED.name, naf_code = EXCLUDED.naf_code, naf_section = EXCLUDED.naf_section, workforce_band = EXCLUDED.workforce_band,
        head_office = EXCLUDED.head_office, address = EXCLUDED.address, postcode = EXCLUDED.postcode, commune_code = EXCLUDED.commune_code,
        active = true, diffusion = EXCLUDED.diffusion, updated_at = now()
      WHERE (establishments.name, establishments.naf_code, establishments.naf_section, establishments.workforce_band, establishments.head_office,
             establishments.address, establishments.postcode, establishments.commune_code, establishments.active, establishments.diffusion)
        IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.naf_code, EXCLUDED.naf_section, EXCLUDED.workforce_band, EXCLUDED.head_office,
             EXCLUDED.address, EXCLUDED.postcode, EXCLUDED.commune_code, true, EXCLUDED.diffusion)
      RETURNING (xmax = 0) AS inserted`),
  );
  let created = 0;
  for (const r of written) if (r.inserted) created++;
  report.establishmentsCreated += created;
  report.establishmentsUpdated += written.length - created;
  report.establishmentsUnchanged += part.length - written.length;
  await refreshSearch(tx, territoryId, [...idOf.values()]);
}

/** The report in French, as the command line prints it and the import page shows it. */
export function summarize(r: SireneImportReport): string {
  const n = (v: number) => new Intl.NumberFormat("fr-FR").format(v);
  return [
    `Import Sirene pour ${r.territory} : ${n(r.etablissementsRead)} lignes lues dans StockEtablissement, ${n(r.unitesLegalesRead)} dans StockUniteLegale.`,
    `Gardées : ${n(r.kept)} établissements du territoire (${n(r.outside)} d'autres communes ignorés).`,
    `Entreprises : ${n(r.companiesCreated)} créées, ${n(r.companiesUpdated)} mises à jour.`,
    `Établissements : ${n(r.establishmentsCreated)} créés, ${n(r.establishmentsUpdated)} mis à jour, ${n(r.establishmentsUnchanged)} inchangés, ${n(r.establishmentsClosed)} marqués fermés, ${n(r.closedSkipped)} fermés non repris.`,
    `Rejetées : ${n(r.rejected)} lignes.`,
  ].join("\n");
}
