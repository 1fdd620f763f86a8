// Generates Sirene stock files in the exact INSEE layouts (StockEtablissement, StockUniteLegale):
// fictional companies with valid SIREN/SIRET keys, real commune codes, NAF rév. 2 codes.
//
//   npx tsx scripts/generate-sirene-sample.ts --out DIR [--rows 1000000] [--share 0.05] [--zip] [--seed 1]
//   npx tsx scripts/generate-sirene-sample.ts --fixture test/fixtures/sirene
//
// --rows: establishments to write; --share: part of them in the territory's communes (default the
// 59 communes of Collines de Normandie), the others spread over other Norman communes; --zip also
// writes the official ZIP form. --fixture writes the small committed fixture, whose rows are
// crafted: a restricted-diffusion (P) natural person, closed establishments, communes outside the
// territory, malformed rows and a unit missing from the unit file.
import { createWriteStream, mkdirSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { ETABLISSEMENT_LAYOUT, UNITE_LEGALE_LAYOUT } from "../src/core/formats/sirene.ts";
import { luhn } from "../src/core/formats/identifiers.ts";

/** Communes of the Intercom de la Vire au Noireau (17) and Flers Agglo (42): Collines de Normandie. */
export const COLLINES_COMMUNES = [
  "14762", "14061", "14174", "14726", "14658", "14357", "14352", "14572", "14127", "14756", "14559", "14054", "14424", "14619", "14512", "14511", "14496",
  "61169", "61168", "61007", "61391", "61278", "61218", "61463", "61163", "61063", "61466", "61447", "61040", "61070", "61376", "61222", "61078", "61287",
  "61407", "61443", "61024", "61094", "61095", "61362", "61260", "61124", "61269", "61221", "61044", "61102", "61011", "61146", "61149", "61332", "61459",
  "61148", "61030", "61436", "61233", "61195", "61069", "61219", "61444",
];
/** Other communes (Orne, Calvados, Manche, Paris) for rows outside the territory. */
const OTHER_COMMUNES = ["61486", "61145", "61093", "61232", "61369", "14118", "50129", "50502", "27229", "75056", "2A004", "97411"];

const NAF = {
  industry: ["25.62B", "25.11Z", "25.50A", "28.22Z", "22.29A", "10.71C", "16.23Z", "33.12Z", "29.32Z", "24.51Z", "10.51A", "31.09B", "23.61Z", "38.11Z", "35.11Z", "08.12Z", "20.30Z", "27.12Z"],
  other: ["47.11B", "56.10A", "43.21A", "45.20A", "62.01Z", "69.20Z", "86.21Z", "49.41A", "68.20A", "85.59A", "96.02A", "46.69B", "41.20A", "01.50Z"],
};
const BANDS = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41"];
const WORDS = ["Forges", "Mécanique", "Fonderie", "Ateliers", "Plasturgie", "Usinage", "Chaudronnerie", "Menuiserie", "Découpe", "Tôlerie", "Laiterie", "Boulangerie", "Transports", "Conseil"];
const PLACES = ["du Bocage", "de la Vire", "du Noireau", "de Normandie", "de l'Orne", "des Collines", "d'Andaine", "de Flers", "du Houlme", "de la Souleuvre"];
const STREETS = [["RUE", "DES FORGES"], ["AV", "DE LA GARE"], ["ZI", "DE LA CROIX DES LANDES"], ["RTE", "DE CAEN"], ["BD", "DU 8 MAI 1945"], ["CHE", "DES VIGNES"], ["LD", "LA FOSSE"], ["PL", "DU MARCHE"]];
const LAST = ["MARTIN", "LEFEVRE", "LEROUX", "DUVAL", "MOREL", "GIRARD", "LEBRETON", "HAMEL", "LEMONNIER", "VAUTIER"];
const FIRST = ["JEAN", "MARIE", "PIERRE", "CLAIRE", "LUC", "ANNE", "PAUL", "SOPHIE"];
const CATEGORIES = ["5710", "5499", "5710", "5498", "5599", "6540", "1000", "5710", "5485", "6220"];

/** A small deterministic pseudo-random generator (mulberry32), so samples are reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Appends the digit that makes the number pass the Luhn check. */
export function withLuhnKey(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhn(body + d)) return body + d;
  throw new Error("unreachable");
}

/** A SIREN with its key, from a number. */
export function sirenOf(n: number): string {
  return withLuhnKey(String(n).padStart(8, "0"));
}

/** A SIRET of a SIREN, with its key, from an establishment number. */
export function siretOf(siren: string, nic: number): string {
  return withLuhnKey(siren + String(nic).padStart(4, "0"));
}

const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One CSV line in a layout's column order from named values (others empty). */
export function csvLine(layout: readonly string[], values: Record<string, string>): string {
  return layout.map((c) => q(values[c] ?? "")).join(",") + "\n";
}

export type EstablishmentValues = Record<string, string>;

function establishmentValues(o: {
  siret: string; naf: string; band: string; commune: string; state?: string; diffusion?: string; siege?: boolean; sign?: string;
  number?: string; streetType?: string; street?: string; postcode?: string; communeName?: string;
}): EstablishmentValues {
  return {
    siren: o.siret.slice(0, 9),
    nic: o.siret.slice(9),
    siret: o.siret,
    statutDiffusionEtablissement: o.diffusion ?? "O",
    dateCreationEtablissement: "2004-03-01",
    trancheEffectifsEtablissement: o.band,
    anneeEffectifsEtablissement: o.band === "NN" ? "" : "2022",
    dateDernierTraitementEtablissement: "2024-06-14T10:21:37",
    etablissementSiege: o.siege ? "true" : "false",
    nombrePeriodesEtablissement: "2",
    numeroVoieEtablissement: o.number ?? "",
    typeVoieEtablissement: o.streetType ?? "",
    libelleVoieEtablissement: o.street ?? "",
    codePostalEtablissement: o.postcode ?? "",
    libelleCommuneEtablissement: o.communeName ?? "",
    codeCommuneEtablissement: o.commune,
    dateDebut: "2019-01-01",
    etatAdministratifEtablissement: o.state ?? "A",
    enseigne1Etablissement: o.sign ?? "",
    activitePrincipaleEtablissement: o.naf,
    nomenclatureActivitePrincipaleEtablissement: "NAFRev2",
    caractereEmployeurEtablissement: o.band === "NN" || o.band === "00" ? "N" : "O",
  };
}

function unitValues(o: { siren: string; name?: string; last?: string; first?: string; category: string; diffusion?: string; state?: string; acronym?: string; naf: string }) {
  return {
    siren: o.siren,
    statutDiffusionUniteLegale: o.diffusion ?? "O",
    dateCreationUniteLegale: "2004-03-01",
    sigleUniteLegale: o.acronym ?? "",
    sexeUniteLegale: o.last ? "M" : "",
    prenom1UniteLegale: o.first ?? "",
    prenomUsuelUniteLegale: o.first ?? "",
    trancheEffectifsUniteLegale: "11",
    anneeEffectifsUniteLegale: "2022",
    dateDernierTraitementUniteLegale: "2024-06-14T10:21:37",
    nombrePeriodesUniteLegale: "3",
    categorieEntreprise: "PME",
    anneeCategorieEntreprise: "2022",
    dateDebut: "2019-01-01",
    etatAdministratifUniteLegale: o.state ?? "A",
    nomUniteLegale: o.last ?? "",
    denominationUniteLegale: o.name ?? "",
    categorieJuridiqueUniteLegale: o.category,
    activitePrincipaleUniteLegale: o.naf,
    nomenclatureActivitePrincipaleUniteLegale: "NAFRev2",
    nicSiegeUniteLegale: "00012",
    caractereEmployeurUniteLegale: "O",
  };
}

/**
 * Writes StockEtablissement_utf8.csv and StockUniteLegale_utf8.csv with `rows` establishments
 * (about 1.3 per unit). Streams to disk: a 1,000,000-row file needs no more memory than a small one.
 */
export async function generateSirene(opts: { out: string; rows: number; share?: number; seed?: number; communes?: string[]; zip?: boolean }): Promise<{ etablissements: string; unitesLegales: string }> {
  mkdirSync(opts.out, { recursive: true });
  const rand = rng(opts.seed ?? 1);
  const pick = <T,>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const share = opts.share ?? 0.05;
  const inside = opts.communes ?? COLLINES_COMMUNES;
  const estPath = join(opts.out, "StockEtablissement_utf8.csv");
  const unitPath = join(opts.out, "StockUniteLegale_utf8.csv");
  const est = createWriteStream(estPath);
  const units = createWriteStream(unitPath);
  const write = async (s: NodeJS.WritableStream, line: string) => {
    if (!s.write(line)) await once(s, "drain");
  };
  await write(est, ETABLISSEMENT_LAYOUT.join(",") + "\n");
  await write(units, UNITE_LEGALE_LAYOUT.join(",") + "\n");
  let written = 0;
  let n = 0;
  while (written < opts.rows) {
    n++;
    const siren = sirenOf(10_000_000 + n * 7);
    const industry = rand() < 0.35;
    const naf = pick(industry ? NAF.industry : NAF.other);
    const category = pick(CATEGORIES);
    const person = category === "1000";
    const restricted = person && rand() < 0.3;
    const last = pick(LAST);
    const first = pick(FIRST);
    await write(
      units,
      csvLine(
        UNITE_LEGALE_LAYOUT,
        unitValues(
          person
            ? { siren, last: restricted ? "[ND]" : last, first: restricted ? "[ND]" : first, category, diffusion: restricted ? "P" : "O", naf }
            : { siren, name: `${pick(WORDS).toUpperCase()} ${pick(PLACES).toUpperCase()} ${n}`, category, naf, acronym: rand() < 0.1 ? `F${n}` : "" },
        ),
      ),
    );
    const count = Math.min(opts.rows - written, rand() < 0.25 ? 2 : 1);
    for (let k = 0; k < count; k++) {
      const commune = rand() < share ? pick(inside) : pick(OTHER_COMMUNES);
      const [streetType, street] = pick(STREETS);
      await write(
        est,
        csvLine(
          ETABLISSEMENT_LAYOUT,
          establishmentValues({
            siret: siretOf(siren, 1 + k * 11),
            naf,
            band: pick(BANDS),
            commune,
            state: rand() < 0.08 ? "F" : "A",
            diffusion: restricted ? "P" : "O",
            siege: k === 0,
            number: restricted ? "[ND]" : String(1 + Math.floor(rand() * 120)),
            streetType: restricted ? "[ND]" : streetType,
            street: restricted ? "[ND]" : street,
            postcode: commune.startsWith("14") ? "14500" : commune.startsWith("61") ? "61100" : "",
            communeName: "",
          }),
        ),
      );
      written++;
    }
  }
  est.end();
  units.end();
  await Promise.all([once(est, "finish"), once(units, "finish")]);
  if (opts.zip) zipBoth(opts.out);
  return { etablissements: estPath, unitesLegales: unitPath };
}

/** Writes StockEtablissement_utf8.zip and StockUniteLegale_utf8.zip beside the CSV files, as INSEE publishes them. */
function zipBoth(dir: string) {
  for (const name of ["StockEtablissement_utf8", "StockUniteLegale_utf8"]) {
    execFileSync("zip", ["-q", "-j", join(dir, `${name}.zip`), join(dir, `${name}.csv`)]);
  }
}

/** The small committed fixture: crafted rows, each one a case the import must handle. */
export function writeFixture(dir: string) {
  mkdirSync(dir, { recursive: true });
  const forges = "732829320"; // a real-looking key; fictional company
  const e = (v: Parameters<typeof establishmentValues>[0]) => csvLine(ETABLISSEMENT_LAYOUT, establishmentValues(v));
  const u = (v: Parameters<typeof unitValues>[0]) => csvLine(UNITE_LEGALE_LAYOUT, unitValues(v));
  const s = {
    forges,
    plastiques: sirenOf(40_000_011),
    martin: sirenOf(40_000_022),
    boulangerie: sirenOf(40_000_033),
    epicerie: sirenOf(40_000_044),
    parisienne: sirenOf(40_000_055),
    fantome: sirenOf(40_000_066),
    fermee: sirenOf(40_000_077),
  };
  const lines = [
    ETABLISSEMENT_LAYOUT.join(",") + "\n",
    // 2: head office of an industrial SAS in Vire.
    e({ siret: siretOf(s.forges, 1), naf: "25.50A", band: "21", commune: "14762", siege: true, number: "12", streetType: "RUE", street: "DES FORGES", postcode: "14500", communeName: "VIRE NORMANDIE" }),
    // 3: its second establishment, in Flers.
    e({ siret: siretOf(s.forges, 12), naf: "25.62B", band: "12", commune: "61169", number: "4", streetType: "ZI", street: "DE LA CROIX DES LANDES", postcode: "61100", communeName: "FLERS" }),
    // 4: a plastics SAS in Condé-en-Normandie with an acronym.
    e({ siret: siretOf(s.plastiques, 1), naf: "22.29A", band: "11", commune: "14174", siege: true, number: "3", streetType: "RTE", street: "DE CAEN", postcode: "14110", communeName: "CONDE-EN-NORMANDIE", sign: "PLASTINOR" }),
    // 5: a natural person with restricted diffusion (P): name and address must never show.
    e({ siret: siretOf(s.martin, 1), naf: "33.12Z", band: "01", commune: "61169", siege: true, diffusion: "P", number: "27", streetType: "CHE", street: "DES VIGNES", postcode: "61100", communeName: "FLERS" }),
    // 6: a craft bakery (section C) and 7: a grocery (section G): kept, ranked after industry or not.
    e({ siret: siretOf(s.boulangerie, 1), naf: "10.71C", band: "02", commune: "14762", siege: true, number: "1", streetType: "PL", street: "DU MARCHE", postcode: "14500", communeName: "VIRE NORMANDIE" }),
    e({ siret: siretOf(s.epicerie, 1), naf: "47.11B", band: "01", commune: "61169", siege: true, number: "8", streetType: "RUE", street: "DE LA GARE", postcode: "61100", communeName: "FLERS" }),
    // 8: outside the territory (Paris): not kept.
    e({ siret: siretOf(s.parisienne, 1), naf: "62.01Z", band: "31", commune: "75056", siege: true, number: "5", streetType: "AV", street: "DE L OPERA", postcode: "75001", communeName: "PARIS" }),
    // 9: a closed establishment (F) of the forges, in Vire.
    e({ siret: siretOf(s.forges, 23), naf: "25.50A", band: "00", commune: "14762", state: "F", number: "9", streetType: "RUE", street: "DES FORGES", postcode: "14500", communeName: "VIRE NORMANDIE" }),
    // 10: a closed establishment of a closed company: not created.
    e({ siret: siretOf(s.fermee, 1), naf: "25.11Z", band: "NN", commune: "61169", state: "F", siege: true, postcode: "61100", communeName: "FLERS" }),
    // 11: malformed: the SIRET's key is wrong.
    e({ siret: s.forges + "00035", naf: "25.50A", band: "11", commune: "14762" }),
    // 12: malformed: a cell missing.
    e({ siret: siretOf(s.plastiques, 12), naf: "22.29A", band: "11", commune: "14174" }).replace(/,(?=[^,]*\n$)/, ""),
    // 13: malformed: unknown workforce band.
    e({ siret: siretOf(s.plastiques, 23), naf: "22.29A", band: "99", commune: "14174" }),
    // 14: malformed NAF code.
    e({ siret: siretOf(s.plastiques, 34), naf: "22-29", band: "11", commune: "14174" }),
    // 15: its unit is missing from StockUniteLegale.
    e({ siret: siretOf(s.fantome, 1), naf: "28.22Z", band: "03", commune: "61169", siege: true, postcode: "61100", communeName: "FLERS" }),
  ];
  writeFileSync(join(dir, "StockEtablissement_utf8.csv"), lines.join(""));
  const unitLines = [
    UNITE_LEGALE_LAYOUT.join(",") + "\n",
    u({ siren: s.forges, name: "FORGES DE LA VIRE", category: "5710", naf: "25.50A" }),
    u({ siren: s.plastiques, name: "PLASTIQUES DU NOIREAU", acronym: "PDN", category: "5499", naf: "22.29A" }),
    u({ siren: s.martin, last: "MARTINEAU", first: "JEANNE", category: "1000", diffusion: "P", naf: "33.12Z" }),
    u({ siren: s.boulangerie, name: "BOULANGERIE DU MARCHE", category: "5499", naf: "10.71C" }),
    u({ siren: s.epicerie, name: "EPICERIE DE LA GARE", category: "5710", naf: "47.11B" }),
    u({ siren: s.parisienne, name: "LOGICIELS PARISIENS", category: "5710", naf: "62.01Z" }),
    u({ siren: s.fermee, name: "TOLERIE FERMEE", category: "5499", naf: "25.11Z", state: "C" }),
    // A unit with a malformed legal category, not needed by any kept establishment: ignored.
    u({ siren: sirenOf(40_000_088), name: "SANS LIEN", category: "57X0", naf: "25.11Z" }),
  ];
  writeFileSync(join(dir, "StockUniteLegale_utf8.csv"), unitLines.join(""));
  zipBoth(dir);
  return s;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const get = (k: string) => {
    const i = args.indexOf(`--${k}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const fixture = get("fixture");
  if (fixture) {
    writeFixture(fixture);
    console.log(`Échantillon écrit dans ${fixture}`);
  } else {
    const out = get("out");
    if (!out) {
      console.error("Usage : npx tsx scripts/generate-sirene-sample.ts --out DOSSIER [--rows N] [--share 0.05] [--seed 1] [--zip] | --fixture DOSSIER");
      process.exit(2);
    }
    const r = await generateSirene({ out, rows: Number(get("rows") ?? 10000), share: Number(get("share") ?? 0.05), seed: Number(get("seed") ?? 1), zip: args.includes("--zip") });
    console.log(`${r.etablissements}\n${r.unitesLegales}`);
  }
}
