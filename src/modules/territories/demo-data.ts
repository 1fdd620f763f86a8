// The fictional demo territory: every name, date, figure and text below is synthetic, made up to
// show each feature filled in. Only the geography (communes and contours of two real EPCIs of the
// Orne) is real, borrowed to draw the map; the pages say so.
import type { ActionStatus, Visibility } from "../plan/api.ts";

export const DEMO_SLUG = "demo-bocage-des-forges";

export const demoTerritory = {
  slug: DEMO_SLUG,
  name: "Bocage des Forges (démonstration)",
  summary:
    "Territoire fictif de démonstration. Deux intercommunalités imaginaires y conduisent un plan d'actions pour leurs 140 entreprises industrielles : fonderie, plasturgie, agroalimentaire et mécanique de précision.",
  labelledOn: "2019-03",
  authorities: [
    { name: "Interco du Bocage (fictive)", shortName: "IB", kind: "CC", siren: "200071520", departementCode: "61", areas: ["Secteur nord", "Secteur sud"] },
    { name: "Communauté des Forges (fictive)", shortName: "CF", kind: "CC", siren: "200068443", departementCode: "61", areas: [] },
  ],
  agreement: {
    kind: "contrat de territoire d'industrie",
    signedOn: "2019-06-14",
    periodFrom: 2019,
    periodTo: 2026,
    actionsTotal: 20,
    actionsDescribed: 20,
    signatories: ["État — préfète de département (fictive)", "Région (fictive)", "Interco du Bocage (fictive)", "Communauté des Forges (fictive)"],
    notes: ["Contrat prolongé par avenant jusqu'en 2026 (fictif)", "Le programme reste ouvert aux propositions des industriels"],
  },
  governance: [
    {
      kind: "project_committee" as const,
      name: "Comité de projet du Bocage des Forges",
      members: [
        { name: "Claire Vasseur", role: "Présidente de l'Interco du Bocage", side: "élu" as const, isChair: true },
        { name: "Hugo Marchand", role: "Directeur général de Fonderie Marchand", side: "industriel" as const, isChair: true },
        { name: "Nadia Benali", role: "Sous-préfète (fictive)", side: "État" as const, isChair: false },
        { name: "Paul Lemoine", role: "Conseiller régional (fictif)", side: "Région" as const, isChair: false },
      ],
    },
    {
      kind: "steering_committee" as const,
      name: "Comité de pilotage",
      composition: "4 élus et 4 industriels, avec les services de l'État et de la Région",
      role: "suit la réalisation des actions et prépare les avenants",
      members: [
        { name: "Claire Vasseur", role: "Présidente de l'Interco du Bocage", side: "élu" as const, isChair: true },
        { name: "Hugo Marchand", role: "Fonderie Marchand", side: "industriel" as const, isChair: true },
        { name: "Jean Delaunay", role: "Vice-président chargé de l'économie", side: "élu" as const, isChair: false },
        { name: "Sophie Girard", role: "Directrice de Plastiques du Bocage", side: "industriel" as const, isChair: false },
        { name: "Karim Haddad", role: "Chargé de mission développement économique", side: "agent" as const, isChair: false },
      ],
    },
    {
      kind: "working_group" as const,
      name: "Club des industriels",
      composition: "une quarantaine d'entreprises industrielles",
      role: "propose des actions et participe aux ateliers thématiques",
      members: [],
    },
  ],
  contacts: [
    { service: "Service développement économique de l'Interco du Bocage", phone: "01 23 45 67 89", email: "dev.eco@demo.collines.invalid", address: "1 place de la Forge, 61000 Bocage-sur-Orne (adresse fictive)" },
  ],
  pages: [
    {
      key: "presentation",
      title: "Présentation",
      body:
        "Le Bocage des Forges est un territoire fictif créé pour la démonstration de Collines.\n\nSes industriels et ses élus ont construit ensemble un plan de vingt actions autour de quatre thématiques : attirer, recruter, simplifier, innover.",
    },
  ],
};

type DemoAction = { n: number; title: string; description: string; status: ActionStatus; visibility?: Visibility; lead: 0 | 1; joint: boolean; partners?: string[] };

const d = (n: number, title: string, status: ActionStatus, lead: 0 | 1, joint: boolean, description: string, extra: Partial<DemoAction> = {}): DemoAction => ({
  n,
  title,
  status,
  lead,
  joint,
  description,
  ...extra,
});

export const demoPlan: { code: string; title: string; priorityN: number; objectives: { title: string; actions: DemoAction[] }[] }[] = [
  {
    code: "ATTIRER",
    title: "ATTIRER",
    priorityN: 1,
    objectives: [
      {
        title: "Faire connaître les métiers et les entreprises du territoire",
        actions: [
          d(1, "Portes ouvertes des usines chaque printemps", "done", 0, true, "Une journée par an où vingt usines ouvrent leurs ateliers au public, avec des navettes depuis les gares.", { partners: ["Office de tourisme (fictif)"] }),
          d(2, "Site des offres d'emploi industrielles", "in_progress", 0, false, "Un site qui rassemble les offres des entreprises du territoire et les présente par métier."),
          d(3, "Vidéos « Un jour à l'usine »", "planned", 1, false, "Douze courtes vidéos tournées avec des salariés pour montrer les métiers."),
        ],
      },
      {
        title: "Offrir du foncier et de l'immobilier prêts à accueillir",
        actions: [
          d(4, "Extension de la zone d'activités des Forges", "in_progress", 1, false, "Viabilisation de 12 hectares en trois tranches."),
          d(5, "Requalification de la friche Marchand", "paused", 0, true, "Dépollution et division en lots de l'ancienne fonderie ; en pause en attendant l'étude de sol.", { partners: ["Établissement public foncier (fictif)"] }),
          d(6, "Deux ateliers-relais pour les jeunes entreprises", "planned", 0, false, "Deux bâtiments de 400 m² loués à prix modéré pendant trois ans."),
        ],
      },
    ],
  },
  {
    code: "RECRUTER",
    title: "RECRUTER",
    priorityN: 2,
    objectives: [
      {
        title: "Former au plus près des besoins des entreprises",
        actions: [
          d(7, "Formation courte de soudeur avec les entreprises", "done", 0, true, "Une session de dix semaines par an, conçue avec trois entreprises qui recrutent les stagiaires.", { partners: ["Agence pour l'emploi (fictive)", "Organisme de formation (fictif)"] }),
          d(8, "Plateau technique partagé de maintenance", "in_progress", 1, true, "Un atelier-école équipé, mutualisé entre le lycée et les entreprises."),
        ],
      },
      {
        title: "Rapprocher écoles et industries",
        actions: [
          d(9, "Parrainage de classes par des entreprises", "in_progress", 0, false, "Chaque collège du territoire est parrainé par une entreprise qui l'accueille deux fois par an."),
          d(10, "Forum de l'emploi industriel", "done", 0, true, "Un forum annuel de 60 exposants."),
          d(11, "Semaine de l'industrie du Bocage", "abandoned", 1, false, "Remplacée par les portes ouvertes (action 1), qui touchent davantage de familles."),
        ],
      },
    ],
  },
  {
    code: "SIMPLIFIER",
    title: "SIMPLIFIER",
    priorityN: 4,
    objectives: [
      {
        title: "Accompagner chaque projet industriel de bout en bout",
        actions: [
          d(12, "Guichet unique des projets industriels", "in_progress", 0, true, "Un interlocuteur unique qui réunit les services de l'État, de la Région et des intercommunalités autour de chaque projet."),
          d(13, "Annuaire des interlocuteurs institutionnels", "done", 1, false, "Qui appeler pour un permis, une autorisation environnementale, une aide à l'embauche."),
        ],
      },
      {
        title: "Aider les entreprises face aux nouvelles réglementations",
        actions: [
          d(14, "Veille réglementaire partagée", "planned", 0, false, "Une lettre mensuelle et deux réunions par an sur les réglementations qui changent."),
          d(15, "Diagnostic des obligations environnementales", "planned", 1, false, "Vingt diagnostics gratuits pour les PME, en projet.", { visibility: "draft" }),
        ],
      },
    ],
  },
  {
    code: "INNOVER",
    title: "INNOVER",
    priorityN: 3,
    objectives: [
      {
        title: "Coopérer entre entreprises pour économiser les ressources",
        actions: [
          d(16, "Écologie industrielle : échanges de chaleur et de déchets", "in_progress", 0, true, "Cartographie des flux de vingt entreprises et trois premières synergies."),
          d(17, "Achats groupés d'énergie", "planned", 1, true, "Un groupement d'achat ouvert aux entreprises des deux intercommunalités."),
        ],
      },
      {
        title: "Faire émerger des projets structurants",
        actions: [
          d(18, "Fonds d'études de faisabilité", "in_progress", 0, true, "Jusqu'à 50 % d'une étude de faisabilité, plafonnés à 15 000 €."),
          d(19, "Démonstrateur de robotique collaborative", "planned", 1, false, "Un robot collaboratif prêté trois mois à chaque entreprise volontaire."),
          d(20, "Projet d'usine de recyclage des plastiques", "in_progress", 0, false, "Étude confidentielle avec un industriel ; détails réservés au comité de pilotage.", { visibility: "confidential" }),
        ],
      },
    ],
  },
];
