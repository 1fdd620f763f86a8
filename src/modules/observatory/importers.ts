import { ImportError, SKIP, type Importer, type ImportContext } from "../../core/imports/index.ts";
import { WORKFORCE_CODES } from "../../core/formats/sirene.ts";
import type { Database } from "../../core/db/client.ts";
import { isIndustryDivision, MANUFACTURING_DIVISIONS, NAF_SECTIONS, WORKFORCE_CLASSES } from "./catalogue.ts";
import { mergeCommuneObservations, OBSERVATION_STAGE } from "./store.ts";
import { parseNumber } from "./model.ts";

// The observatory's importers, each on the streaming import framework (src/core/imports):
// INSEE legal populations, URSSAF private-sector establishments and jobs by commune × APE, DARES
// jobseekers by commune, and the Sirene establishment stock counted by commune × NAF × size.
// Every one stages commune rows; the final transaction replaces the communes × periods the file
// covers and recomputes the aggregates, so a re-import of the same file changes nothing.

const stage = [...OBSERVATION_STAGE];

async function communeCodes(database: Database): Promise<Set<string>> {
  return new Set((await database.query<{ code: string }>("SELECT code FROM geo_communes")).map((r) => r.code));
}

const unknownCommune = (code: string) => ({ reject: `code commune « ${code} » inconnu du code officiel géographique (commune fusionnée, arrondissement ou faute de frappe)`, column: "code commune" });

/** "2021" → "2021-01-01"; anything else → null. */
function yearPeriod(raw: unknown): string | null {
  const y = String(raw ?? "").trim();
  return /^(19|20)\d\d$/.test(y) ? `${y}-01-01` : null;
}

// ---------------------------------------------------------------------------------------------

const POPULATION_COLUMNS: Record<string, string> = { PMUN: "pop_municipale", PCAP: "pop_comptee_a_part", PTOT: "pop_totale" };

/**
 * INSEE legal populations by commune. Two official layouts: the yearly file (`donnees_communes`:
 * CODREG;REG;CODDEP;CODARR;CODCAN;CODCOM;COM;PMUN;PCAP;PTOT, the year given by `--annee`), or a
 * file with one column per year (COM or CODGEO, then PMUN2021, PCAP2021, PTOT2021, …).
 */
export const populationsImporter: Importer = {
  kind: "insee-populations",
  label: "Populations légales des communes (Insee)",
  header: {
    required: [],
    optional: ["CODREG", "REG", "CODDEP", "CODARR", "CODCAN", "CODCOM", "COM", "DEPCOM", "CODGEO", "LIBGEO", "PMUN", "PCAP", "PTOT"],
    patterns: [/^PMUN(\d{4})$/i, /^PCAP(\d{4})$/i, /^PTOT(\d{4})$/i],
  },
  stage,
  async prepare(h, ctx) {
    const known = await communeCodes(ctx.database);
    const dep = h!.col("CODDEP");
    const com = h!.col("CODCOM");
    const codeCol = [h!.col("DEPCOM"), h!.col("CODGEO"), h!.col("COM")].find((i) => i >= 0) ?? -1;
    if ((dep < 0 || com < 0) && codeCol < 0) throw new ImportError("Colonne manquante dans l’en-tête du fichier : « COM » (ou « CODGEO », ou « CODDEP » et « CODCOM ») pour le code de la commune.");
    // Wide layout: PMUN2021…; yearly layout: PMUN/PCAP/PTOT and --annee.
    const wide = Object.keys(POPULATION_COLUMNS).flatMap((k) => h!.matching(new RegExp(`^${k}(\\d{4})$`, "i")).map((m) => ({ index: m.index, name: m.name, indicator: POPULATION_COLUMNS[k], period: `${m.key}-01-01` })));
    let columns = wide;
    if (!wide.length) {
      const year = yearPeriod(ctx.options.annee);
      if (!year) throw new ImportError("Indiquez l’année des populations légales avec --annee AAAA (le fichier n’a pas de colonne par année).");
      columns = Object.entries(POPULATION_COLUMNS).flatMap(([k, indicator]) => (h!.col(k) >= 0 ? [{ index: h!.col(k), name: k, indicator, period: year }] : []));
      if (!columns.length || h!.col("PMUN") < 0) throw new ImportError("Colonne manquante dans l’en-tête du fichier : « PMUN » (population municipale).");
    }
    return {
      row(f) {
        let code: string;
        if (dep >= 0 && com >= 0) {
          const d = f[dep].trim();
          const c = f[com].trim();
          code = c.length === 5 ? c : `${d.slice(0, 2)}${c.padStart(3, "0")}`;
        } else code = f[codeCol].trim();
        if (!known.has(code)) return unknownCommune(code);
        const values: [string, string, number][] = [];
        for (const c of columns) {
          const raw = f[c.index];
          if (raw.trim() === "") continue;
          const v = parseNumber(raw);
          if (v == null || v < 0 || !Number.isInteger(v)) return { reject: `« ${raw} » n’est pas un nombre d’habitants`, column: c.name };
          values.push([c.indicator, c.period, v]);
        }
        if (!values.length) return SKIP;
        for (const [indicator, period, v] of values) ctx.stage([indicator, code, period, v, "final"]);
      },
    };
  },
  async finish(tx, table) {
    const r = await mergeCommuneObservations(tx, table, { indicatorCodes: Object.values(POPULATION_COLUMNS), source: "Insee, populations légales" });
    return `${r.observations.toLocaleString("fr-FR")} observations communales enregistrées (${r.periods.map((p) => p.slice(0, 4)).join(", ")}), agrégats recalculés.`;
  },
};

// ---------------------------------------------------------------------------------------------

/** The NAF division of an APE code at the start of a cell ("2562B", "25.62B Mécanique industrielle"). */
function apeDivision(raw: string): string | null {
  const m = /^\s*(\d\d)\.?(\d\d)([A-Za-z])\b/.exec(raw);
  return m ? m[1] : null;
}

/**
 * URSSAF « Nombre d'établissements et effectifs salariés du secteur privé par commune x APE »:
 * one row per commune × APE, one column per year for establishments and for salaried jobs.
 */
export const urssafImporter: Importer = {
  kind: "urssaf",
  label: "Établissements et effectifs salariés du secteur privé par commune × APE (Urssaf)",
  header: {
    required: ["code_commune", "ape"],
    optional: ["region", "ancienne_region", "departement", "zone_d_emploi", "epci", "commune", "intitule_commune", "code_departement", "code_region", "code_epci", "grand_secteur_d_activite", "secteur_na17", "secteur_na38", "secteur_na88", "code_ape", "libelle_ape"],
    patterns: [/^nombre_d_etablissements_(\d{4})$/i, /^effectifs_salaries_(\d{4})$/i],
    requirePattern: true,
  },
  stage,
  async prepare(h, ctx) {
    const known = await communeCodes(ctx.database);
    const code = h!.col("code_commune");
    const ape = h!.col("ape");
    const cols = [
      ...h!.matching(/^nombre_d_etablissements_(\d{4})$/i).map((m) => ({ ...m, total: "urssaf_etablissements", industry: "urssaf_etablissements_industrie" })),
      ...h!.matching(/^effectifs_salaries_(\d{4})$/i).map((m) => ({ ...m, total: "urssaf_effectifs", industry: "urssaf_effectifs_industrie" })),
    ];
    return {
      row(f) {
        const commune = f[code].trim();
        if (!known.has(commune)) return unknownCommune(commune);
        const division = apeDivision(f[ape]);
        if (!division) return { reject: `code APE « ${f[ape].trim()} » mal formé (NAF rév. 2 attendu, par exemple 2562B)`, column: "ape" };
        const industry = isIndustryDivision(division);
        const out: [string, string, number][] = [];
        for (const c of cols) {
          const raw = f[c.index];
          if (raw.trim() === "") continue;
          const v = parseNumber(raw);
          if (v == null || v < 0) return { reject: `« ${raw} » n’est pas un nombre positif`, column: c.name };
          out.push([c.total, `${c.key}-01-01`, v]);
          if (industry) out.push([c.industry, `${c.key}-01-01`, v]);
        }
        for (const [indicator, period, v] of out) ctx.stage([indicator, commune, period, v, "final"]);
      },
    };
  },
  async finish(tx, table) {
    const r = await mergeCommuneObservations(tx, table, { indicatorCodes: ["urssaf_etablissements", "urssaf_effectifs", "urssaf_etablissements_industrie", "urssaf_effectifs_industrie"], source: "Urssaf" });
    return `${r.observations.toLocaleString("fr-FR")} observations communales enregistrées (années ${r.periods.map((p) => p.slice(0, 4)).join(", ")}), agrégats recalculés.`;
  },
};

// ---------------------------------------------------------------------------------------------

/** "2024-03-31", "31/03/2024", "2024T1", "2024-T1" → the quarter's first day. */
export function quarterPeriod(raw: string): string | null {
  const s = raw.trim();
  let y: number;
  let q: number;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-?T([1-4])$/i.exec(s))) [y, q] = [Number(m[1]), Number(m[2])];
  else if ((m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(s))) [y, q] = [Number(m[1]), Math.floor((Number(m[2]) - 1) / 3) + 1];
  else if ((m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(s))) [y, q] = [Number(m[3]), Math.floor((Number(m[2]) - 1) / 3) + 1];
  else return null;
  if (y < 1990 || y > 2100 || q < 1 || q > 4) return null;
  return `${y}-${String((q - 1) * 3 + 1).padStart(2, "0")}-01`;
}

const DARES_CATEGORIES: Record<string, string> = { A: "de_cat_a", ABC: "de_cat_abc" };

/** DARES jobseekers by commune, quarterly: code_commune, date, categorie, nombre_de_demandeurs_d_emploi. */
export const daresImporter: Importer = {
  kind: "dares",
  label: "Demandeurs d’emploi par commune (Dares)",
  header: {
    required: ["code_commune", "date", "categorie", "nombre_de_demandeurs_d_emploi"],
    optional: ["libelle_commune", "code_departement", "libelle_departement", "code_region", "libelle_region", "code_epci", "libelle_epci"],
  },
  stage,
  async prepare(h, ctx) {
    const known = await communeCodes(ctx.database);
    const [code, date, cat, n] = ["code_commune", "date", "categorie", "nombre_de_demandeurs_d_emploi"].map((c) => h!.col(c));
    return {
      row(f) {
        const commune = f[code].trim();
        if (!known.has(commune)) return unknownCommune(commune);
        const indicator = DARES_CATEGORIES[f[cat].trim().toUpperCase()];
        if (!indicator) {
          if (/^[A-E]{1,5}$/i.test(f[cat].trim())) return SKIP; // B, C, D, E… are not followed
          return { reject: `catégorie « ${f[cat].trim()} » inconnue (A, ABC…)`, column: "categorie" };
        }
        const period = quarterPeriod(f[date]);
        if (!period) return { reject: `date « ${f[date].trim()} » illisible (AAAA-MM-JJ ou AAAAT1 attendu)`, column: "date" };
        const raw = f[n].trim();
        // Small counts are withheld by the producer ("s", "secret"): kept as secret, never summed as known.
        if (/^(s|secret|nd|n\.d\.)$/i.test(raw)) {
          ctx.stage([indicator, commune, period, null, "secret"]);
          return;
        }
        const v = parseNumber(raw);
        if (v == null || v < 0) return { reject: `« ${raw} » n’est pas un nombre de demandeurs d’emploi`, column: "nombre_de_demandeurs_d_emploi" };
        ctx.stage([indicator, commune, period, v, "final"]);
      },
    };
  },
  async finish(tx, table) {
    const r = await mergeCommuneObservations(tx, table, { indicatorCodes: Object.values(DARES_CATEGORIES), source: "Dares, France Travail" });
    return `${r.observations.toLocaleString("fr-FR")} observations communales enregistrées (${r.periods.length} trimestres), agrégats recalculés.`;
  },
};

// ---------------------------------------------------------------------------------------------

const SECTION_OF_DIVISION = (() => {
  // NAF rév. 2 section of each division.
  const ranges: [string, string, string][] = [
    ["A", "01", "03"], ["B", "05", "09"], ["C", "10", "33"], ["D", "35", "35"], ["E", "36", "39"], ["F", "41", "43"], ["G", "45", "47"],
    ["H", "49", "53"], ["I", "55", "56"], ["J", "58", "63"], ["K", "64", "66"], ["L", "68", "68"], ["M", "69", "75"], ["N", "77", "82"],
    ["O", "84", "84"], ["P", "85", "85"], ["Q", "86", "88"], ["R", "90", "93"], ["S", "94", "96"], ["T", "97", "98"], ["U", "99", "99"],
  ];
  const m = new Map<string, string>();
  for (let d = 1; d <= 99; d++) {
    const k = String(d).padStart(2, "0");
    const r = ranges.find(([, a, b]) => k >= a && k <= b);
    if (r) m.set(k, r[0].toLowerCase());
  }
  return m;
})();
const CLASS_OF_BAND = new Map(WORKFORCE_CLASSES.flatMap((c) => c.codes.map((code) => [code, c.key] as const)));
const MANUFACTURING = new Set(MANUFACTURING_DIVISIONS.map(([d]) => d));
const TEN_PLUS = new Set(["11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"]);
/** Every indicator the Sirene import writes. */
export const SIRENE_INDICATORS = [
  "sirene_etablissements",
  "sirene_etablissements_industrie",
  "sirene_etablissements_industrie_10",
  ...NAF_SECTIONS.map(([s]) => `sirene_naf_${s.toLowerCase()}`),
  ...MANUFACTURING_DIVISIONS.map(([d]) => `sirene_div_${d}`),
  ...WORKFORCE_CLASSES.map((c) => `sirene_tranche_${c.key}`),
];

const NAF_SHAPE = /^(\d\d)\.?\d\d[A-Z]$/;
const COMMUNE_SHAPE = /^[0-9][0-9AB][0-9]{3}$/;

/**
 * The Sirene establishment stock (StockEtablissement, CSV or the official ZIP, INSEE layout read by
 * column name): active establishments counted by commune × NAF section, manufacturing division and
 * size class. Only the five columns it needs are read, through the framework's CSV reader (the
 * platform's full Sirene reader, core/formats/sirene.ts, checks and keeps every column for the
 * companies' directory and reads ~50,000 rows/s here; this count needs ≥ 100,000 rows/s — ADR 0016).
 * Counts are kept in memory up to 200,000 keys, then staged as partial sums (summed again in the
 * final merge), so memory stays flat whatever the file size.
 */
export const sireneImporter: Importer = {
  kind: "sirene",
  label: "Stock des établissements Sirene (Insee)",
  header: {
    required: ["codeCommuneEtablissement", "etatAdministratifEtablissement", "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement", "trancheEffectifsEtablissement"],
    // The INSEE file has some fifty columns; those not read here are ignored.
    ignoreUnknown: true,
  },
  fastLines: true,
  stage,
  async prepare(h, ctx: ImportContext) {
    const known = await communeCodes(ctx.database);
    const raw = String(ctx.options.date ?? "").trim();
    let period: string;
    if (raw) {
      const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(raw);
      if (!m) throw new ImportError("La date du stock Sirene s’écrit AAAA-MM-JJ (par exemple --date 2025-01-01).");
      period = `${m[1]}-${m[2]}-${m[3] ?? "01"}`;
    } else {
      const d = new Date();
      period = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}-01`;
    }
    const [cCommune, cState, cNaf, cNomenclature, cBand] = ["codeCommuneEtablissement", "etatAdministratifEtablissement", "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement", "trancheEffectifsEtablissement"].map((c) => h!.col(c));
    // commune → counts by indicator (one small array per commune: flat and fast).
    const counts = new Map<string, Map<string, number>>();
    let keys = 0;
    const add = (byInd: Map<string, number>, ind: string) => {
      const n = byInd.get(ind);
      if (n === undefined) keys++;
      byInd.set(ind, (n ?? 0) + 1);
    };
    const flush = () => {
      for (const [commune, byInd] of counts) for (const [ind, n] of byInd) ctx.stage([ind, commune, period, n, "final"]);
      counts.clear();
      keys = 0;
    };
    return {
      row(f) {
        const state = f[cState];
        if (state === "F") return SKIP;
        if (state !== "A") return { reject: `état administratif inconnu « ${state} » (A ou F attendu)`, column: "etatAdministratifEtablissement" };
        const commune = f[cCommune];
        if (!COMMUNE_SHAPE.test(commune)) {
          if (commune === "") return SKIP; // establishments abroad have no commune code
          return { reject: `code commune INSEE invalide « ${commune} »`, column: "codeCommuneEtablissement" };
        }
        if (!known.has(commune)) return unknownCommune(commune);
        const band = f[cBand];
        if (band !== "" && !WORKFORCE_CODES.has(band)) return { reject: `tranche d’effectifs inconnue « ${band} »`, column: "trancheEffectifsEtablissement" };
        const naf = f[cNaf];
        const nomenclature = f[cNomenclature];
        let division: string | null = null;
        if (naf !== "" && (nomenclature === "NAFRev2" || nomenclature === "")) {
          const m = NAF_SHAPE.exec(naf);
          if (!m) return { reject: `code NAF rév. 2 mal formé « ${naf} »`, column: "activitePrincipaleEtablissement" };
          division = m[1];
        }
        let byInd = counts.get(commune);
        if (!byInd) counts.set(commune, (byInd = new Map()));
        add(byInd, "sirene_etablissements");
        if (division) {
          const section = SECTION_OF_DIVISION.get(division);
          if (section) add(byInd, `sirene_naf_${section}`);
          if (MANUFACTURING.has(division)) add(byInd, `sirene_div_${division}`);
          if (isIndustryDivision(division)) {
            add(byInd, "sirene_etablissements_industrie");
            if (TEN_PLUS.has(band)) add(byInd, "sirene_etablissements_industrie_10");
          }
        }
        const cls = CLASS_OF_BAND.get(band || "NN");
        if (cls) add(byInd, `sirene_tranche_${cls}`);
        if (keys > 200_000) flush();
      },
      end: flush,
    };
  },
  async finish(tx, table) {
    const r = await mergeCommuneObservations(tx, table, { indicatorCodes: SIRENE_INDICATORS, source: "Insee, Sirene" });
    return `${r.observations.toLocaleString("fr-FR")} observations communales enregistrées (stock au ${r.periods.join(", ")}), agrégats recalculés.`;
  },
};

/** Every observatory importer by its kind (the CLI's and the upload page's names). */
export const IMPORTERS: Record<string, Importer<never>> = {
  "insee-populations": populationsImporter as Importer<never>,
  urssaf: urssafImporter as Importer<never>,
  dares: daresImporter as Importer<never>,
  sirene: sireneImporter as Importer<never>,
};
