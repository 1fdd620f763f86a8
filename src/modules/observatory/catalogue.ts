// The national indicator catalogue: what each importer produces, with its definition, source,
// producer and licence. Seeded (upserted) at start; territories add local indicators of their own.

export interface IndicatorDef {
  code: string;
  name: string;
  definition: string;
  unit: string;
  source: string;
  producer: string;
  licence: string;
  levels: ("commune" | "epci" | "departement" | "region" | "france" | "territory")[];
  periodicity: "annual" | "quarterly" | "monthly" | "punctual";
  aggregation: "sum" | "ratio" | "none";
  numerator?: string;
  denominator?: string;
  scale?: number;
  decimals?: number;
  direction?: "up" | "down" | "neutral";
  theme: string;
}

export const LICENCE_OUVERTE = "Licence Ouverte / Open Licence 2.0 (Etalab)";
const ALL_LEVELS: IndicatorDef["levels"] = ["commune", "epci", "territory", "departement", "region", "france"];

export const THEMES = {
  population: "Population",
  emploi: "Emploi salarié privé",
  etablissements: "Établissements (Sirene)",
  chomage: "Demandeurs d’emploi",
} as const;

const POP_SOURCE = "Insee, recensement de la population — populations légales";
const URSSAF_SOURCE = "Urssaf, « Nombre d’établissements et effectifs salariés du secteur privé par commune x APE » (au 31 décembre)";
const SIRENE_SOURCE = "Insee, base Sirene des entreprises et de leurs établissements (stock)";
const DARES_SOURCE = "Dares, France Travail — demandeurs d’emploi inscrits par commune (fin de trimestre)";

/** NAF rév. 2 sections (Insee), for the Sirene breakdown. */
export const NAF_SECTIONS: [string, string][] = [
  ["A", "Agriculture, sylviculture et pêche"],
  ["B", "Industries extractives"],
  ["C", "Industrie manufacturière"],
  ["D", "Production et distribution d’électricité, de gaz, de vapeur et d’air conditionné"],
  ["E", "Production et distribution d’eau ; assainissement, gestion des déchets et dépollution"],
  ["F", "Construction"],
  ["G", "Commerce ; réparation d’automobiles et de motocycles"],
  ["H", "Transports et entreposage"],
  ["I", "Hébergement et restauration"],
  ["J", "Information et communication"],
  ["K", "Activités financières et d’assurance"],
  ["L", "Activités immobilières"],
  ["M", "Activités spécialisées, scientifiques et techniques"],
  ["N", "Activités de services administratifs et de soutien"],
  ["O", "Administration publique"],
  ["P", "Enseignement"],
  ["Q", "Santé humaine et action sociale"],
  ["R", "Arts, spectacles et activités récréatives"],
  ["S", "Autres activités de services"],
  ["T", "Activités des ménages en tant qu’employeurs"],
  ["U", "Activités extra-territoriales"],
];

/** The divisions of manufacturing (section C), NAF rév. 2 (Insee). */
export const MANUFACTURING_DIVISIONS: [string, string][] = [
  ["10", "Industries alimentaires"],
  ["11", "Fabrication de boissons"],
  ["12", "Fabrication de produits à base de tabac"],
  ["13", "Fabrication de textiles"],
  ["14", "Industrie de l’habillement"],
  ["15", "Industrie du cuir et de la chaussure"],
  ["16", "Travail du bois et fabrication d’articles en bois et en liège"],
  ["17", "Industrie du papier et du carton"],
  ["18", "Imprimerie et reproduction d’enregistrements"],
  ["19", "Cokéfaction et raffinage"],
  ["20", "Industrie chimique"],
  ["21", "Industrie pharmaceutique"],
  ["22", "Fabrication de produits en caoutchouc et en plastique"],
  ["23", "Fabrication d’autres produits minéraux non métalliques"],
  ["24", "Métallurgie"],
  ["25", "Fabrication de produits métalliques, à l’exception des machines et des équipements"],
  ["26", "Fabrication de produits informatiques, électroniques et optiques"],
  ["27", "Fabrication d’équipements électriques"],
  ["28", "Fabrication de machines et équipements n.c.a."],
  ["29", "Industrie automobile"],
  ["30", "Fabrication d’autres matériels de transport"],
  ["31", "Fabrication de meubles"],
  ["32", "Autres industries manufacturières"],
  ["33", "Réparation et installation de machines et d’équipements"],
];

/** Sirene workforce bands grouped in the classes the observatory counts. */
export const WORKFORCE_CLASSES: { key: string; label: string; codes: string[] }[] = [
  { key: "0", label: "sans salarié", codes: ["NN", "00"] },
  { key: "1_9", label: "de 1 à 9 salariés", codes: ["01", "02", "03"] },
  { key: "10_49", label: "de 10 à 49 salariés", codes: ["11", "12"] },
  { key: "50_249", label: "de 50 à 249 salariés", codes: ["21", "22", "31"] },
  { key: "250", label: "de 250 salariés ou plus", codes: ["32", "41", "42", "51", "52", "53"] },
];

/** Industry in the observatory's sense: NAF sections B to E (extraction, manufacturing, energy, water and waste). */
export const INDUSTRY_DIVISIONS = { from: "05", to: "39" };
export const isIndustryDivision = (division: string) => division >= INDUSTRY_DIVISIONS.from && division <= INDUSTRY_DIVISIONS.to;

const pop = (code: string, name: string, definition: string, aggregation: "sum" | "none"): IndicatorDef => ({
  code,
  name,
  definition,
  unit: "habitants",
  source: POP_SOURCE,
  producer: "Insee",
  licence: LICENCE_OUVERTE,
  levels: aggregation === "sum" ? ALL_LEVELS : ["commune"],
  periodicity: "annual",
  aggregation,
  direction: "neutral",
  theme: THEMES.population,
});

const urssaf = (code: string, name: string, definition: string, unit: string): IndicatorDef => ({
  code,
  name,
  definition,
  unit,
  source: URSSAF_SOURCE,
  producer: "Urssaf Caisse nationale (Acoss)",
  licence: LICENCE_OUVERTE,
  levels: ALL_LEVELS,
  periodicity: "annual",
  aggregation: "sum",
  direction: "up",
  theme: THEMES.emploi,
});

const sirene = (code: string, name: string, definition: string): IndicatorDef => ({
  code,
  name,
  definition,
  unit: "établissements",
  source: SIRENE_SOURCE,
  producer: "Insee",
  licence: LICENCE_OUVERTE,
  levels: ALL_LEVELS,
  periodicity: "punctual",
  aggregation: "sum",
  direction: "up",
  theme: THEMES.etablissements,
});

const dares = (code: string, name: string, definition: string): IndicatorDef => ({
  code,
  name,
  definition,
  unit: "personnes",
  source: DARES_SOURCE,
  producer: "Dares, France Travail",
  licence: LICENCE_OUVERTE,
  levels: ALL_LEVELS,
  periodicity: "quarterly",
  aggregation: "sum",
  direction: "down",
  theme: THEMES.chomage,
});

/** Every national indicator, in display order. */
export const CATALOGUE: IndicatorDef[] = [
  pop("pop_municipale", "Population municipale", "Personnes ayant leur résidence habituelle sur le territoire de la commune (populations légales de l’Insee). Elle s’additionne d’une commune à l’autre sans double compte.", "sum"),
  pop(
    "pop_comptee_a_part",
    "Population comptée à part",
    "Personnes ayant leur résidence habituelle dans une autre commune mais gardant un lien avec celle-ci (étudiants, personnes en communauté…). Non additionnable : une même personne peut être comptée à part dans une commune et dans la population municipale d’une autre.",
    "none",
  ),
  pop("pop_totale", "Population totale", "Population municipale + population comptée à part. Non additionnable au-delà de la commune (doubles comptes), selon l’Insee.", "none"),
  urssaf("urssaf_etablissements", "Établissements employeurs du secteur privé", "Établissements du secteur privé ayant au moins un salarié au 31 décembre (hors agriculture relevant de la MSA, hors particuliers employeurs).", "établissements"),
  urssaf("urssaf_effectifs", "Emplois salariés du secteur privé", "Effectifs salariés au 31 décembre des établissements du secteur privé (champ Urssaf : hors agriculture relevant de la MSA, hors particuliers employeurs).", "emplois"),
  urssaf("urssaf_etablissements_industrie", "Établissements employeurs de l’industrie", "Établissements employeurs dont l’activité principale (APE) relève de l’industrie : sections B à E de la NAF rév. 2 (divisions 05 à 39).", "établissements"),
  urssaf("urssaf_effectifs_industrie", "Emplois salariés de l’industrie", "Effectifs salariés au 31 décembre des établissements dont l’APE relève des sections B à E de la NAF rév. 2.", "emplois"),
  {
    ...urssaf("urssaf_part_industrie", "Part de l’industrie dans l’emploi salarié privé", "Emplois salariés de l’industrie rapportés aux emplois salariés du secteur privé, recalculés à chaque niveau à partir des deux effectifs (jamais une moyenne de taux).", "%"),
    aggregation: "ratio",
    numerator: "urssaf_effectifs_industrie",
    denominator: "urssaf_effectifs",
    scale: 100,
    decimals: 1,
    direction: "neutral",
  },
  dares("de_cat_a", "Demandeurs d’emploi en catégorie A", "Personnes inscrites à France Travail, tenues de rechercher un emploi et sans emploi au cours du mois (catégorie A), en fin de trimestre."),
  dares("de_cat_abc", "Demandeurs d’emploi en catégories A, B, C", "Personnes inscrites à France Travail, tenues de rechercher un emploi, sans emploi (A) ou ayant exercé une activité réduite (B, C), en fin de trimestre."),
  sirene("sirene_etablissements", "Établissements actifs", "Établissements actifs (état administratif « A ») du répertoire Sirene, localisés dans la commune, toutes activités."),
  sirene("sirene_etablissements_industrie", "Établissements industriels actifs", "Établissements actifs dont l’activité principale relève des sections B à E de la NAF rév. 2 (industrie)."),
  sirene("sirene_etablissements_industrie_10", "Établissements industriels de 10 salariés ou plus", "Établissements industriels actifs (sections B à E) dont la tranche d’effectifs salariés est d’au moins 10 salariés."),
  {
    ...sirene("sirene_part_industrie", "Part de l’industrie dans les établissements actifs", "Établissements industriels actifs rapportés à l’ensemble des établissements actifs, recalculés à chaque niveau."),
    unit: "%",
    aggregation: "ratio",
    numerator: "sirene_etablissements_industrie",
    denominator: "sirene_etablissements",
    scale: 100,
    decimals: 1,
    direction: "neutral",
  },
  ...NAF_SECTIONS.map(([s, label]) => ({ ...sirene(`sirene_naf_${s.toLowerCase()}`, `Établissements actifs — section ${s} : ${label}`, `Établissements actifs dont l’activité principale relève de la section ${s} de la NAF rév. 2 (${label}).`), theme: "Établissements par section NAF (Sirene)" })),
  ...MANUFACTURING_DIVISIONS.map(([d, label]) => ({ ...sirene(`sirene_div_${d}`, `Établissements actifs — division ${d} : ${label}`, `Établissements actifs dont l’activité principale relève de la division ${d} de la NAF rév. 2 (${label}).`), theme: "Établissements industriels par division NAF (Sirene)" })),
  ...WORKFORCE_CLASSES.map((c) => ({ ...sirene(`sirene_tranche_${c.key}`, `Établissements actifs ${c.label}`, `Établissements actifs dont la tranche d’effectifs salariés (Sirene) est ${c.label}.`), theme: "Établissements par taille (Sirene)" })),
];

export const catalogueByCode = new Map(CATALOGUE.map((d) => [d.code, d]));

/** The headline indicators of the territory overview, in order. */
export const OVERVIEW_INDICATORS = [
  "pop_municipale",
  "urssaf_etablissements",
  "urssaf_effectifs",
  "urssaf_effectifs_industrie",
  "urssaf_part_industrie",
  "sirene_etablissements",
  "sirene_etablissements_industrie",
  "sirene_part_industrie",
  "de_cat_a",
  "de_cat_abc",
] as const;
