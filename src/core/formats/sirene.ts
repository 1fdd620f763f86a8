// The streaming reader of the INSEE Sirene stock files: StockEtablissement (one row per
// establishment, ~40 M rows) joined with StockUniteLegale (one row per legal unit, ~25 M rows) for
// the names. Both files are read as CSV or as the official ZIP, by column name, row by row:
// memory stays flat whatever the file size. The join keeps in memory only what the selection needs:
// a first pass over the establishments keeps those of the wanted communes and collects their SIRENs
// (a few thousand for a territory), a second pass over the units keeps only those SIRENs.
import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { PassThrough, type Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";
import { parse } from "csv-parse";
import { isValidCommuneCode, isValidSiren, isValidSiret } from "./identifiers.ts";

/** The columns of StockEtablissement (INSEE layout, 2024). Read by name: their order does not matter. */
export const ETABLISSEMENT_LAYOUT = [
  "siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement", "trancheEffectifsEtablissement",
  "anneeEffectifsEtablissement", "activitePrincipaleRegistreMetiersEtablissement", "dateDernierTraitementEtablissement",
  "etablissementSiege", "nombrePeriodesEtablissement", "complementAdresseEtablissement", "numeroVoieEtablissement",
  "indiceRepetitionEtablissement", "dernierNumeroVoieEtablissement", "indiceRepetitionDernierNumeroVoieEtablissement",
  "typeVoieEtablissement", "libelleVoieEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
  "libelleCommuneEtrangerEtablissement", "distributionSpecialeEtablissement", "codeCommuneEtablissement", "codeCedexEtablissement",
  "libelleCedexEtablissement", "codePaysEtrangerEtablissement", "libellePaysEtrangerEtablissement", "identifiantAdresseEtablissement",
  "coordonneeLambertAbscisseEtablissement", "coordonneeLambertOrdonneeEtablissement", "complementAdresse2Etablissement",
  "numeroVoie2Etablissement", "indiceRepetition2Etablissement", "typeVoie2Etablissement", "libelleVoie2Etablissement",
  "codePostal2Etablissement", "libelleCommune2Etablissement", "libelleCommuneEtranger2Etablissement",
  "distributionSpeciale2Etablissement", "codeCommune2Etablissement", "codeCedex2Etablissement", "libelleCedex2Etablissement",
  "codePaysEtranger2Etablissement", "libellePaysEtranger2Etablissement", "dateDebut", "etatAdministratifEtablissement",
  "enseigne1Etablissement", "enseigne2Etablissement", "enseigne3Etablissement", "denominationUsuelleEtablissement",
  "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement", "caractereEmployeurEtablissement",
] as const;

/** The columns of StockUniteLegale (INSEE layout, 2024). */
export const UNITE_LEGALE_LAYOUT = [
  "siren", "statutDiffusionUniteLegale", "unitePurgeeUniteLegale", "dateCreationUniteLegale", "sigleUniteLegale", "sexeUniteLegale",
  "prenom1UniteLegale", "prenom2UniteLegale", "prenom3UniteLegale", "prenom4UniteLegale", "prenomUsuelUniteLegale",
  "pseudonymeUniteLegale", "identifiantAssociationUniteLegale", "trancheEffectifsUniteLegale", "anneeEffectifsUniteLegale",
  "dateDernierTraitementUniteLegale", "nombrePeriodesUniteLegale", "categorieEntreprise", "anneeCategorieEntreprise", "dateDebut",
  "etatAdministratifUniteLegale", "nomUniteLegale", "nomUsageUniteLegale", "denominationUniteLegale", "denominationUsuelle1UniteLegale",
  "denominationUsuelle2UniteLegale", "denominationUsuelle3UniteLegale", "categorieJuridiqueUniteLegale", "activitePrincipaleUniteLegale",
  "nomenclatureActivitePrincipaleUniteLegale", "nicSiegeUniteLegale", "economieSocialeSolidaireUniteLegale", "societeMissionUniteLegale",
  "caractereEmployeurUniteLegale",
] as const;

/** The establishment columns the reader needs; a file without one of them is refused. */
export const ETABLISSEMENT_REQUIRED = [
  "siret", "siren", "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement", "trancheEffectifsEtablissement",
  "codeCommuneEtablissement", "etatAdministratifEtablissement", "statutDiffusionEtablissement", "etablissementSiege",
  "enseigne1Etablissement", "denominationUsuelleEtablissement", "numeroVoieEtablissement", "indiceRepetitionEtablissement",
  "typeVoieEtablissement", "libelleVoieEtablissement", "complementAdresseEtablissement", "codePostalEtablissement",
  "libelleCommuneEtablissement",
] as const;

/** The unit columns the reader needs. */
export const UNITE_LEGALE_REQUIRED = [
  "siren", "denominationUniteLegale", "nomUniteLegale", "nomUsageUniteLegale", "prenom1UniteLegale", "prenomUsuelUniteLegale",
  "sigleUniteLegale", "categorieJuridiqueUniteLegale", "statutDiffusionUniteLegale", "etatAdministratifUniteLegale",
] as const;

export type SireneFile = "etablissements" | "unites_legales";

export const FILE_LABELS: Record<SireneFile, string> = { etablissements: "StockEtablissement", unites_legales: "StockUniteLegale" };

/** A file that cannot be read at all (wrong header, not a CSV or ZIP, broken quoting): nothing is imported. */
export class SireneFormatError extends Error {}

/** A row set aside, with its line in the file (the header is line 1) and the reason, in French. */
export interface SireneReject {
  file: SireneFile;
  line: number;
  reason: string;
  id?: string;
}

export interface SireneProgress {
  file: SireneFile;
  /** Data rows read so far in this file. */
  rows: number;
  /** Bytes of the file read so far, and its size (compressed bytes for a ZIP). */
  bytes: number;
  totalBytes: number;
}

/** What the reader keeps of an establishment row (empty cells are null; `[ND]` cells too). */
export interface SireneEstablishment {
  line: number;
  siret: string;
  siren: string;
  nafCode: string | null;
  nafNomenclature: string | null;
  workforceBand: string | null;
  communeCode: string;
  communeName: string | null;
  /** `A` active, `F` closed. */
  state: "A" | "F";
  /** `O` fully public, `P` partial diffusion (personal data withheld). */
  diffusion: "O" | "P";
  headOffice: boolean;
  sign: string | null;
  usualName: string | null;
  streetNumber: string | null;
  repetition: string | null;
  streetType: string | null;
  street: string | null;
  complement: string | null;
  postcode: string | null;
}

export interface SireneUnit {
  line: number;
  siren: string;
  denomination: string | null;
  lastName: string | null;
  usageName: string | null;
  firstName: string | null;
  acronym: string | null;
  legalCategory: string | null;
  diffusion: "O" | "P";
  state: "A" | "C";
}

export const WORKFORCE_CODES = new Set(["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"]);

const cell = (v: string | undefined): string | null => {
  if (v === undefined) return null;
  const t = v.trim();
  return t === "" || t === "[ND]" ? null : t;
};

/** Opens a Sirene file (CSV, or the official ZIP holding one CSV) as a byte stream, counting bytes read. */
export function openSireneFile(path: string, file: SireneFile, onBytes: (n: number) => void): { stream: Readable; size: number } {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new SireneFormatError(`Le fichier ${FILE_LABELS[file]} est introuvable : ${path}.`);
  }
  const head = Buffer.alloc(30);
  const fd = openSync(path, "r");
  let n: number;
  try {
    n = readSync(fd, head, 0, 30, 0);
    if (n === 30 && head.readUInt32LE(0) === 0x04034b50) {
      // ZIP: the first local file header gives the entry's method and where its data starts.
      const method = head.readUInt16LE(8);
      const compressed = head.readUInt32LE(18);
      const nameLen = head.readUInt16LE(26);
      const extraLen = head.readUInt16LE(28);
      const nameBuf = Buffer.alloc(nameLen);
      readSync(fd, nameBuf, 0, nameLen, 30);
      const name = nameBuf.toString("utf8");
      if (!/\.csv$/i.test(name)) throw new SireneFormatError(`L'archive ZIP ${FILE_LABELS[file]} doit contenir le fichier CSV de l'INSEE ; elle commence par « ${name} ».`);
      const start = 30 + nameLen + extraLen;
      const counted = createReadStream(path, method === 0 ? { start, end: start + compressed - 1 } : { start });
      counted.on("data", (c) => onBytes((c as Buffer).length));
      if (method === 0) return { stream: counted, size };
      if (method !== 8) throw new SireneFormatError(`L'archive ZIP ${FILE_LABELS[file]} utilise une compression non prise en charge (méthode ${method}).`);
      const inflate = createInflateRaw();
      counted.on("error", (e) => inflate.destroy(e));
      return { stream: counted.pipe(inflate), size };
    }
  } finally {
    closeSync(fd);
  }
  const s = createReadStream(path);
  s.on("data", (c) => onBytes((c as Buffer).length));
  return { stream: s, size };
}

/**
 * Reads the header, checks the needed columns by name, then yields each row as a record with its
 * line number. Rows with a wrong number of cells are rejected here.
 */
async function* rows(
  path: string,
  file: SireneFile,
  required: readonly string[],
  opts: { onReject?: (r: SireneReject) => void; onProgress?: (p: SireneProgress) => void; onHeader?: (h: { unknown: string[] }) => void; stats?: { read: number } },
): AsyncGenerator<{ line: number; get: (col: string) => string | undefined }> {
  let bytes = 0;
  const { stream, size } = openSireneFile(path, file, (n) => (bytes += n));
  const parser = parse({ bom: true, relax_column_count: true, info: true, skip_empty_lines: true });
  const source = stream.pipe(new PassThrough({ highWaterMark: 1 << 20 }));
  stream.on("error", (e) => parser.destroy(e));
  source.pipe(parser);
  const layout = file === "etablissements" ? ETABLISSEMENT_LAYOUT : UNITE_LEGALE_LAYOUT;
  let index: Map<string, number> | null = null;
  let width = 0;
  let count = 0;
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!index) {
        const header = rec.record.map((h) => h.trim());
        index = new Map(header.map((h, i) => [h, i]));
        width = header.length;
        const missing = required.filter((c) => !index!.has(c));
        if (missing.length) {
          const other = file === "etablissements" ? UNITE_LEGALE_REQUIRED : ETABLISSEMENT_REQUIRED;
          const swapped = other.every((c) => index!.has(c));
          throw new SireneFormatError(
            swapped
              ? `Ce fichier est un ${FILE_LABELS[file === "etablissements" ? "unites_legales" : "etablissements"]}, pas un ${FILE_LABELS[file]} : vérifiez l'ordre des fichiers.`
              : `Le fichier ${FILE_LABELS[file]} n'a pas ${missing.length > 1 ? "les colonnes" : "la colonne"} ${missing.map((c) => `« ${c} »`).join(", ")} (ligne d'en-tête lue : ${header.slice(0, 6).join(",")}${header.length > 6 ? ",…" : ""}).`,
          );
        }
        const known = new Set<string>(layout);
        opts.onHeader?.({ unknown: header.filter((h) => !known.has(h)) });
        continue;
      }
      count++;
      if (opts.stats) opts.stats.read++;
      const line = rec.info.lines;
      if (rec.record.length !== width) {
        opts.onReject?.({ file, line, reason: `${rec.record.length} valeurs au lieu de ${width} (ligne mal formée)` });
      } else {
        const r = rec.record;
        const idx = index;
        yield { line, get: (col) => r[idx.get(col)!] };
      }
      if (count % 5000 === 0) opts.onProgress?.({ file, rows: count, bytes, totalBytes: size });
    }
  } catch (e) {
    if (e instanceof SireneFormatError) throw e;
    const err = e as { code?: string; message?: string; lines?: number };
    if (typeof err.code === "string" && err.code.startsWith("CSV_")) {
      throw new SireneFormatError(`Le fichier ${FILE_LABELS[file]} n'est pas un CSV lisible${err.lines ? ` (ligne ${err.lines})` : ""} : ${err.message ?? err.code}.`);
    }
    if (err.code === "Z_DATA_ERROR" || err.code === "Z_BUF_ERROR") throw new SireneFormatError(`L'archive ZIP ${FILE_LABELS[file]} est endommagée.`);
    throw e;
  } finally {
    stream.destroy();
  }
  if (!index) throw new SireneFormatError(`Le fichier ${FILE_LABELS[file]} est vide.`);
  opts.onProgress?.({ file, rows: count, bytes: size, totalBytes: size });
}

/**
 * Streams StockEtablissement, keeping the establishments whose commune is in `communes` (all when
 * omitted). Invalid kept rows are rejected through `onReject` with their line; rows of other
 * communes are counted (`outside`) without further checks, so a 40 M-row file stays fast.
 */
export async function* readEstablishments(
  path: string,
  opts: { communes?: Set<string>; onReject?: (r: SireneReject) => void; onProgress?: (p: SireneProgress) => void; onHeader?: (h: { unknown: string[] }) => void; stats?: { read: number; outside: number } } = {},
): AsyncGenerator<SireneEstablishment> {
  const reject = (line: number, reason: string, id?: string) => opts.onReject?.({ file: "etablissements", line, reason, id });
  for await (const { line, get } of rows(path, "etablissements", ETABLISSEMENT_REQUIRED, opts)) {
    const commune = (get("codeCommuneEtablissement") ?? "").trim();
    if (opts.communes && !opts.communes.has(commune)) {
      if (opts.stats) opts.stats.outside++;
      continue;
    }
    const siret = (get("siret") ?? "").trim();
    const siren = (get("siren") ?? "").trim();
    if (!isValidSiret(siret)) {
      reject(line, `SIRET invalide « ${siret} » (14 chiffres et clé de contrôle)`, siret);
      continue;
    }
    if (siren !== siret.slice(0, 9)) {
      reject(line, `le SIREN « ${siren} » ne correspond pas au SIRET ${siret}`, siret);
      continue;
    }
    if (!isValidCommuneCode(commune)) {
      reject(line, `code commune INSEE invalide « ${commune} »`, siret);
      continue;
    }
    const state = (get("etatAdministratifEtablissement") ?? "").trim();
    if (state !== "A" && state !== "F") {
      reject(line, `état administratif inconnu « ${state} » (A ou F attendu)`, siret);
      continue;
    }
    const diffusion = (get("statutDiffusionEtablissement") ?? "").trim();
    if (diffusion !== "O" && diffusion !== "P") {
      reject(line, `statut de diffusion inconnu « ${diffusion} » (O ou P attendu)`, siret);
      continue;
    }
    const band = cell(get("trancheEffectifsEtablissement"));
    if (band !== null && !WORKFORCE_CODES.has(band)) {
      reject(line, `tranche d'effectifs inconnue « ${band} »`, siret);
      continue;
    }
    const nomenclature = cell(get("nomenclatureActivitePrincipaleEtablissement"));
    let naf = cell(get("activitePrincipaleEtablissement"));
    if (naf !== null && (nomenclature === "NAFRev2" || nomenclature === null)) {
      const norm = naf.toUpperCase().replace(/^(\d\d)\.?(\d\d)([A-Z])$/, "$1.$2$3");
      if (!/^\d\d\.\d\d[A-Z]$/.test(norm)) {
        reject(line, `code NAF rév. 2 mal formé « ${naf} »`, siret);
        continue;
      }
      naf = norm;
    }
    const siege = (get("etablissementSiege") ?? "").trim().toLowerCase();
    // Restricted diffusion: the address and the names are personal data and are not even kept.
    const p = diffusion === "P";
    yield {
      line,
      siret,
      siren,
      nafCode: naf,
      nafNomenclature: nomenclature,
      workforceBand: band,
      communeCode: commune,
      communeName: cell(get("libelleCommuneEtablissement")),
      state,
      diffusion,
      headOffice: siege === "true" || siege === "1" || siege === "oui",
      sign: p ? null : cell(get("enseigne1Etablissement")),
      usualName: p ? null : cell(get("denominationUsuelleEtablissement")),
      streetNumber: p ? null : cell(get("numeroVoieEtablissement")),
      repetition: p ? null : cell(get("indiceRepetitionEtablissement")),
      streetType: p ? null : cell(get("typeVoieEtablissement")),
      street: p ? null : cell(get("libelleVoieEtablissement")),
      complement: p ? null : cell(get("complementAdresseEtablissement")),
      postcode: cell(get("codePostalEtablissement")),
    };
  }
}

/** Streams StockUniteLegale, keeping only the units whose SIREN is in `sirens` (all when omitted). */
export async function* readUnits(
  path: string,
  opts: { sirens?: Set<string>; onReject?: (r: SireneReject) => void; onProgress?: (p: SireneProgress) => void; onHeader?: (h: { unknown: string[] }) => void; stats?: { read: number; outside: number } } = {},
): AsyncGenerator<SireneUnit> {
  const reject = (line: number, reason: string, id?: string) => opts.onReject?.({ file: "unites_legales", line, reason, id });
  for await (const { line, get } of rows(path, "unites_legales", UNITE_LEGALE_REQUIRED, opts)) {
    const siren = (get("siren") ?? "").trim();
    if (opts.sirens && !opts.sirens.has(siren)) {
      if (opts.stats) opts.stats.outside++;
      continue;
    }
    if (!isValidSiren(siren)) {
      reject(line, `SIREN invalide « ${siren} »`, siren);
      continue;
    }
    const diffusion = (get("statutDiffusionUniteLegale") ?? "").trim();
    if (diffusion !== "O" && diffusion !== "P") {
      reject(line, `statut de diffusion inconnu « ${diffusion} » (O ou P attendu)`, siren);
      continue;
    }
    const state = (get("etatAdministratifUniteLegale") ?? "").trim();
    if (state !== "A" && state !== "C") {
      reject(line, `état administratif inconnu « ${state} » (A ou C attendu)`, siren);
      continue;
    }
    const category = cell(get("categorieJuridiqueUniteLegale"));
    if (category !== null && !/^\d{4}$/.test(category)) {
      reject(line, `catégorie juridique mal formée « ${category} »`, siren);
      continue;
    }
    // A natural person's names are personal data: not kept at all when diffusion is restricted.
    const natural = category === "1000";
    const hide = diffusion === "P" && natural;
    yield {
      line,
      siren,
      denomination: cell(get("denominationUniteLegale")),
      lastName: hide ? null : cell(get("nomUniteLegale")),
      usageName: hide ? null : cell(get("nomUsageUniteLegale")),
      firstName: hide ? null : (cell(get("prenomUsuelUniteLegale")) ?? cell(get("prenom1UniteLegale"))),
      acronym: hide ? null : cell(get("sigleUniteLegale")),
      legalCategory: category,
      diffusion,
      state,
    };
  }
}

/** The name of a unit as INSEE's directory shows it: the denomination, else « Prénom NOM » of a person. */
export function unitName(u: SireneUnit): string | null {
  if (u.denomination) return u.acronym && !u.denomination.includes(u.acronym) ? `${u.denomination} (${u.acronym})` : u.denomination;
  const last = u.usageName ?? u.lastName;
  if (!last) return null;
  return [u.firstName ? u.firstName.charAt(0) + u.firstName.slice(1).toLowerCase() : null, last].filter(Boolean).join(" ");
}

export interface SireneStockResult {
  /** Establishments of the wanted communes, each with its unit (null when the unit file lacks it). */
  rows: { establishment: SireneEstablishment; unit: SireneUnit | null }[];
  establishments: { read: number; outside: number };
  units: { read: number; outside: number };
  /** Columns of the files that the INSEE layout known here does not have (ignored). */
  unknownColumns: { file: SireneFile; columns: string[] }[];
}

/**
 * The join of both stock files for a set of communes, with flat memory in the files' size: pass 1
 * keeps the establishments of the communes and collects their SIRENs, pass 2 keeps those units.
 */
export async function readSireneStock(opts: {
  etablissements: string;
  unitesLegales: string;
  communes: Set<string>;
  onReject?: (r: SireneReject) => void;
  onProgress?: (p: SireneProgress) => void;
}): Promise<SireneStockResult> {
  const unknownColumns: SireneStockResult["unknownColumns"] = [];
  const estStats = { read: 0, outside: 0 };
  const kept: SireneEstablishment[] = [];
  const seen = new Set<string>();
  for await (const e of readEstablishments(opts.etablissements, {
    communes: opts.communes,
    onReject: opts.onReject,
    onProgress: opts.onProgress,
    stats: estStats,
    onHeader: (h) => h.unknown.length && unknownColumns.push({ file: "etablissements", columns: h.unknown }),
  })) {
    if (seen.has(e.siret)) {
      opts.onReject?.({ file: "etablissements", line: e.line, reason: `SIRET ${e.siret} en double dans le fichier`, id: e.siret });
      continue;
    }
    seen.add(e.siret);
    kept.push(e);
  }
  const sirens = new Set(kept.map((e) => e.siren));
  const units = new Map<string, SireneUnit>();
  const unitStats = { read: 0, outside: 0 };
  // Read even when no SIREN is wanted, so that a wrong unit file is reported all the same.
  {
    for await (const u of readUnits(opts.unitesLegales, {
      sirens,
      onReject: opts.onReject,
      onProgress: opts.onProgress,
      stats: unitStats,
      onHeader: (h) => h.unknown.length && unknownColumns.push({ file: "unites_legales", columns: h.unknown }),
    })) {
      units.set(u.siren, u);
    }
  }
  return { rows: kept.map((establishment) => ({ establishment, unit: units.get(establishment.siren) ?? null })), establishments: estStats, units: unitStats, unknownColumns };
}
