// Pure rules and French labels of companies, establishments and contacts (no I/O).
import { readFileSync } from "node:fs";

interface NafData {
  source: string;
  sections: { code: string; label: string; divisions: [string, string] }[];
  divisions: Record<string, string>;
  groups: Record<string, string>;
  classes: Record<string, string>;
  subclasses: Record<string, string>;
}

/** The NAF rév. 2 nomenclature (INSEE): sections, divisions, groups, classes, sub-classes. */
export const NAF: NafData = JSON.parse(readFileSync(new URL("./nomenclatures/naf-rev2.json", import.meta.url), "utf8")) as NafData;

/** INSEE legal categories (niveau III): code → French label. */
export const LEGAL_CATEGORIES: Record<string, string> = (
  JSON.parse(readFileSync(new URL("./nomenclatures/categories-juridiques.json", import.meta.url), "utf8")) as { codes: Record<string, string> }
).codes;

/** Sirene workforce bands (tranche d'effectifs salariés) and their French labels. */
export const WORKFORCE_BANDS: Record<string, string> = {
  NN: "Unité non employeuse",
  "00": "0 salarié",
  "01": "1 ou 2 salariés",
  "02": "3 à 5 salariés",
  "03": "6 à 9 salariés",
  "11": "10 à 19 salariés",
  "12": "20 à 49 salariés",
  "21": "50 à 99 salariés",
  "22": "100 à 199 salariés",
  "31": "200 à 249 salariés",
  "32": "250 à 499 salariés",
  "41": "500 à 999 salariés",
  "42": "1 000 à 1 999 salariés",
  "51": "2 000 à 4 999 salariés",
  "52": "5 000 à 9 999 salariés",
  "53": "10 000 salariés et plus",
};

/** The workforce band codes in their natural order (an object would list "11" before "00"). */
export const WORKFORCE_ORDER = ["NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", "32", "41", "42", "51", "52", "53"];

/** NAF sections of industry (extraction, manufacturing, energy, water and waste): listed first. */
export const INDUSTRY_SECTIONS = ["B", "C", "D", "E"] as const;

/** What is shown instead of the personal data of a unit or establishment with restricted diffusion. */
export const RESTRICTED = "[diffusion restreinte]";

/** The NAF section letter of a code such as `25.62Z` or `2562Z`, or null when unknown. */
export function nafSection(code: string | null | undefined): string | null {
  const division = normaliseNaf(code)?.slice(0, 2);
  if (!division) return null;
  for (const s of NAF.sections) if (division >= s.divisions[0] && division <= s.divisions[1]) return s.code;
  return null;
}

/** `2562Z`, `25.62z`, ` 25.62Z ` → `25.62Z`; null for anything that is not a NAF rév. 2 sub-class shape. */
export function normaliseNaf(code: string | null | undefined): string | null {
  if (!code) return null;
  const c = code.trim().toUpperCase().replace(/^(\d\d)\.?(\d\d)([A-Z])$/, "$1.$2$3");
  return /^\d\d\.\d\d[A-Z]$/.test(c) ? c : null;
}

/** The French label of a NAF rév. 2 sub-class, or null when the code is not in the nomenclature. */
export function nafLabel(code: string | null | undefined): string | null {
  const c = normaliseNaf(code);
  return c ? (NAF.subclasses[c] ?? null) : null;
}

export function sectionLabel(letter: string | null | undefined): string | null {
  return NAF.sections.find((s) => s.code === letter)?.label ?? null;
}

export function isIndustry(section: string | null | undefined): boolean {
  return section != null && (INDUSTRY_SECTIONS as readonly string[]).includes(section);
}

export function legalCategoryLabel(code: string | null | undefined): string | null {
  return code ? (LEGAL_CATEGORIES[code] ?? null) : null;
}

export function workforceLabel(code: string | null | undefined): string | null {
  return code ? (WORKFORCE_BANDS[code] ?? null) : null;
}

/** A legal category of natural persons (entrepreneur individuel, indivision between persons…): the name is personal data. */
export function isNaturalPersonCategory(code: string | null | undefined): boolean {
  return code === "1000";
}

/** The name to show for a company: a natural person's name is hidden when diffusion is restricted. */
export function companyDisplayName(c: { name: string; diffusion: string; naturalPerson: boolean }): string {
  return c.diffusion === "P" && c.naturalPerson ? RESTRICTED : c.name;
}

/** The address to show for an establishment: hidden when its diffusion (or its unit's) is restricted. */
export function establishmentDisplayAddress(e: { address: string | null; diffusion: string }, unitDiffusion?: string): string | null {
  if (e.diffusion === "P" || unitDiffusion === "P") return RESTRICTED;
  return e.address;
}

/** The name of an establishment (enseigne) to show: hidden when restricted, since it may be a person's name. */
export function establishmentDisplayName(e: { name: string | null; diffusion: string }, unitDiffusion?: string): string | null {
  if (e.name && (e.diffusion === "P" || unitDiffusion === "P")) return RESTRICTED;
  return e.name;
}

/** One line of address from the Sirene columns: « 12 bis rue des Forges, ZI Nord ». */
export function formatAddress(p: { number?: string; repetition?: string; streetType?: string; street?: string; complement?: string }): string | null {
  const rep = p.repetition ? REPETITIONS[p.repetition.toUpperCase()] ?? p.repetition.toLowerCase() : "";
  const type = p.streetType ? (STREET_TYPES[p.streetType.toUpperCase()] ?? p.streetType.toLowerCase()) : "";
  const street = [p.number, rep, type, p.street ? titleCase(p.street, Boolean(type)) : ""].filter(Boolean).join(" ");
  const line = [street, p.complement ? titleCase(p.complement) : ""].filter(Boolean).join(", ");
  return line || null;
}

const REPETITIONS: Record<string, string> = { B: "bis", T: "ter", Q: "quater", C: "quinquies" };

/** The most frequent Sirene street type abbreviations. */
const STREET_TYPES: Record<string, string> = {
  ALL: "allée", AV: "avenue", BD: "boulevard", CAR: "carrefour", CHE: "chemin", CHS: "chaussée", CITE: "cité", COR: "corniche",
  CRS: "cours", DOM: "domaine", DSC: "descente", ECA: "écart", ESP: "esplanade", FG: "faubourg", GR: "grande rue", HAM: "hameau",
  HLE: "halle", IMP: "impasse", LD: "lieu-dit", LOT: "lotissement", MAR: "marché", MTE: "montée", PARC: "parc", PAS: "passage",
  PL: "place", PLN: "plaine", PLT: "plateau", PRO: "promenade", PRV: "parvis", QUA: "quartier", QUAI: "quai", RES: "résidence",
  RLE: "ruelle", ROC: "rocade", RPT: "rond-point", RTE: "route", RUE: "rue", SEN: "sentier", SQ: "square", TPL: "terre-plein",
  TRA: "traverse", VLA: "villa", VLGE: "village", ZA: "zone artisanale", ZAC: "ZAC", ZI: "zone industrielle",
};

/** « RUE DES FORGES » → « Rue des Forges » (Sirene writes addresses in capitals). */
export function titleCase(s: string, inner = false): string {
  const small = new Set(["de", "des", "du", "la", "le", "les", "et", "en", "au", "aux", "sur", "sous", "d", "l"]);
  return s
    .toLowerCase()
    .split(/(\s+|-|')/)
    .map((w, i) => ((i > 0 || inner) && small.has(w) ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join("");
}

/** Labels of how a contact's consent was recorded. */
export const CONSENT_SOURCES: Record<string, string> = {
  form: "Formulaire en ligne",
  email: "Courriel",
  phone: "Téléphone",
  meeting: "Rencontre ou réunion",
  paper: "Formulaire papier",
  signup: "Inscription sur la plateforme",
};

export const LINK_VIA_LABELS: Record<"siret_claim" | "agent" | "request", string> = {
  siret_claim: "SIRET transmis à la connexion",
  agent: "Rattaché par un agent",
  request: "Demande de l'utilisateur",
};

export const LINK_STATUS_LABELS: Record<"pending" | "confirmed", string> = {
  pending: "En attente de confirmation",
  confirmed: "Confirmé",
};
