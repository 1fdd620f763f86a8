// A national-scale, synthetic dataset for the benchmark: 183 territories of two real
// intercommunalités each (national EPCI list of @etalab/decoupage-administratif), ~25 actions
// each. Deterministic (seeded PRNG), so two runs measure the same pages.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { sql } from "drizzle-orm";
import type { Database } from "../src/core/db/client.ts";
import { insertPlan, type ActionStatus, type PlanSeed } from "../src/modules/plan/api.ts";
import { agreements, governanceBodies, governanceMembers, territories, territoryAuthorities, territoryContacts } from "../src/modules/territories/schema.ts";

export const NATIONAL_TERRITORIES = 183;
export const SLUG_PREFIX = "bench-";

interface Epci {
  code: string;
  nom: string;
  type: string;
  membres: { code: string }[];
}

/** Mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const slugify = (s: string) =>
  s
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

const shortName = (nom: string) => nom.replace(/^(CC|CA|CU|Métropole|Communauté (de communes|d'agglomération|urbaine))\s+(du |de la |de l'|des |de |d')?/i, "").trim();

const THEMES: { code: string; title: string; priorityN: number; objectives: { title: string; actions: string[] }[] }[] = [
  {
    code: "ATTIRER",
    title: "Attirer",
    priorityN: 1,
    objectives: [
      {
        title: "Faire connaître l'industrie du territoire et ses métiers",
        actions: [
          "Journées portes ouvertes des entreprises industrielles",
          "Campagne de marque territoriale « Fabriqué ici »",
          "Vidéos de présentation des métiers de l'usine",
          "Visites d'entreprises pour les collégiens et leurs familles",
          "Salon annuel des savoir-faire industriels",
        ],
      },
      {
        title: "Proposer du foncier et de l'immobilier prêts à l'emploi",
        actions: [
          "Extension et viabilisation de la zone d'activités intercommunale",
          "Requalification d'une friche industrielle en village d'entreprises",
          "Construction d'ateliers-relais pour les jeunes entreprises",
          "Inventaire des disponibilités foncières et immobilières",
          "Densification des zones d'activités existantes (zéro artificialisation nette)",
        ],
      },
      {
        title: "Accueillir les nouveaux salariés et leurs familles",
        actions: [
          "Guichet d'accueil des nouveaux arrivants",
          "Offre de logements temporaires pour les alternants et les saisonniers",
          "Accompagnement à l'emploi des conjoints",
        ],
      },
    ],
  },
  {
    code: "RECRUTER",
    title: "Recruter",
    priorityN: 2,
    objectives: [
      {
        title: "Former au plus près des besoins des entreprises",
        actions: [
          "Plateau technique partagé de formation à la maintenance industrielle",
          "Formation courte de soudeur conçue avec les entreprises",
          "Création d'une antenne de campus des métiers et des qualifications",
          "Développement de l'apprentissage dans les PME industrielles",
          "Préparation opérationnelle à l'emploi collective (POEC) en usinage",
        ],
      },
      {
        title: "Rapprocher l'école, l'emploi et l'industrie",
        actions: [
          "Parrainage des collèges et lycées par des entreprises",
          "Forum de l'emploi industriel",
          "Groupement d'employeurs pour l'insertion et la qualification",
          "Bourse des compétences partagées entre entreprises",
        ],
      },
    ],
  },
  {
    code: "INNOVER",
    title: "Innover",
    priorityN: 3,
    objectives: [
      {
        title: "Accompagner la modernisation et la transition écologique des entreprises",
        actions: [
          "Diagnostics « industrie du futur » pour les PME",
          "Programme d'écologie industrielle et territoriale",
          "Mutualisation de la collecte et de la valorisation des déchets industriels",
          "Accompagnement à la décarbonation des procédés",
          "Réseau de chaleur alimenté par la chaleur fatale d'une usine",
        ],
      },
      {
        title: "Favoriser l'innovation et la coopération entre entreprises",
        actions: [
          "Club des industriels et rencontres thématiques",
          "Appel à projets d'innovation collaborative",
          "Plateforme d'essais partagée avec un centre technique",
          "Accompagnement à l'export des PME industrielles",
        ],
      },
    ],
  },
  {
    code: "SIMPLIFIER",
    title: "Simplifier",
    priorityN: 4,
    objectives: [
      {
        title: "Accompagner chaque projet industriel de bout en bout",
        actions: [
          "Guichet unique des projets industriels",
          "Cellule d'appui aux procédures environnementales et d'urbanisme",
          "Annuaire des interlocuteurs institutionnels",
          "Revue trimestrielle des projets avec les services de l'État",
        ],
      },
      {
        title: "Améliorer les services aux entreprises",
        actions: [
          "Desserte en très haut débit des zones d'activités",
          "Transport à la demande vers les sites industriels",
          "Crèche interentreprises aux horaires décalés",
        ],
      },
    ],
  },
];

const DESCRIPTIONS = [
  "L'action est conduite avec les entreprises volontaires du territoire ; un bilan est présenté chaque année au comité de projet.",
  "Un comité technique réunit les intercommunalités, l'État, la Région et les représentants des industriels pour suivre l'avancement.",
  "Le calendrier prévoit une première phase d'étude de six mois, puis une mise en œuvre progressive sur deux ans.",
  "Le financement associe l'intercommunalité, la Région et l'État au titre du programme Territoires d'industrie.",
  "Les entreprises participantes s'engagent à accueillir des stagiaires et à partager leurs retours d'expérience.",
];

const EXTERNAL_PARTNERS = [
  "Chambre de commerce et d'industrie",
  "Chambre de métiers et de l'artisanat",
  "Région",
  "Bpifrance",
  "Banque des Territoires",
  "France Travail",
  "ADEME",
  "Établissement public foncier",
  "UIMM",
  "Agence régionale de développement économique",
];

const STATUSES: ActionStatus[] = ["planned", "in_progress", "in_progress", "in_progress", "done", "done", "paused", "abandoned"];

const FIRST = ["Claire", "Hugo", "Nadia", "Paul", "Sophie", "Karim", "Isabelle", "Thomas", "Léa", "Julien", "Émilie", "Mathieu"];
const LAST = ["Vasseur", "Marchand", "Benali", "Lemoine", "Girard", "Haddad", "Lefèvre", "Moreau", "Roussel", "Delaunay", "Fournier", "Perrin"];

export interface BenchTerritory {
  slug: string;
  name: string;
  regionCode: string | null;
  authorities: { siren: string; name: string; shortName: string; kind: string; departementCode: string }[];
  plan: { themes: (Omit<PlanSeed["themes"][number], "objectives"> & { objectives: (Omit<PlanSeed["themes"][number]["objectives"][number], "actions"> & { actions: (Omit<PlanSeed["themes"][number]["objectives"][number]["actions"][number], "leadAuthorityId" | "partners"> & { lead: 0 | 1; partners: { name: string; authority?: 0 | 1 }[] })[] })[] })[] };
}

/** Builds the national dataset (no I/O beyond reading the EPCI list). */
export function buildNationalDataset(count = NATIONAL_TERRITORIES, actionsPerTerritory = 25): BenchTerritory[] {
  const require = createRequire(import.meta.url);
  const epcis = (JSON.parse(readFileSync(require.resolve("@etalab/decoupage-administratif/data/epci.json"), "utf8")) as Epci[]).filter((e) => e.membres.length > 0);
  const communes = JSON.parse(readFileSync(require.resolve("@etalab/decoupage-administratif/data/communes.json"), "utf8")) as { code: string; type: string; departement?: string; region?: string }[];
  const communeDep = new Map(communes.filter((c) => c.type === "commune-actuelle").map((c) => [c.code, { dep: c.departement ?? null, region: c.region ?? null }]));
  // Neighbouring EPCIs (sorted by the code of their first commune) make plausible pairs.
  const sorted = [...epcis].sort((a, b) => a.membres[0].code.localeCompare(b.membres[0].code));
  const step = Math.floor(sorted.length / (count * 2));
  const rand = prng(20240183);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const used = new Set<string>();
  const out: BenchTerritory[] = [];
  for (let i = 0; i < count; i++) {
    const pair = [sorted[i * 2 * step], sorted[i * 2 * step + 1]];
    const authorities = pair.map((e) => {
      const geo = communeDep.get(e.membres[0].code);
      return { siren: e.code, name: e.nom, shortName: shortName(e.nom), kind: e.type, departementCode: geo?.dep ?? e.membres[0].code.slice(0, 2), region: geo?.region ?? null };
    });
    const name = `${authorities[0].shortName} – ${authorities[1].shortName}`;
    let slug = SLUG_PREFIX + slugify(name).slice(0, 60).replace(/-$/, "");
    while (used.has(slug)) slug += "-2";
    used.add(slug);
    // Spread ~25 actions over the 4 themes' objectives, in plan order.
    let n = 0;
    const themes: BenchTerritory["plan"]["themes"] = [];
    const slots = THEMES.flatMap((t) => t.objectives.map((o) => ({ t, o })));
    const perObjective = slots.map(() => 1);
    for (let k = slots.length; k < actionsPerTerritory; k++) perObjective[Math.floor(rand() * slots.length)]++;
    for (const t of THEMES) {
      const objectives: BenchTerritory["plan"]["themes"][number]["objectives"] = [];
      for (const o of t.objectives) {
        const howMany = perObjective[slots.findIndex((s) => s.o === o)];
        const actions = [];
        for (let k = 0; k < howMany; k++) {
          n++;
          const base = o.actions[k % o.actions.length];
          const lead = (rand() < 0.6 ? 0 : 1) as 0 | 1;
          const joint = rand() < 0.3;
          const partners: { name: string; authority?: 0 | 1 }[] = joint ? [{ name: authorities[1 - lead].name, authority: (1 - lead) as 0 | 1 }] : [];
          const extra = Math.floor(rand() * 3);
          for (let p = 0; p < extra; p++) {
            const name = pick(EXTERNAL_PARTNERS);
            if (!partners.some((x) => x.name === name)) partners.push({ name });
          }
          actions.push({
            n,
            title: k < o.actions.length ? base : `${base} (phase ${Math.floor(k / o.actions.length) + 1})`,
            description: `${pick(DESCRIPTIONS)} ${pick(DESCRIPTIONS)}`,
            status: pick(STATUSES),
            visibility: rand() < 0.04 ? ("draft" as const) : ("published" as const),
            lead,
            joint,
            partners,
          });
        }
        objectives.push({ title: o.title, actions });
      }
      themes.push({ code: t.code, title: t.title, priorityN: t.priorityN, priorityInferred: false, objectives });
    }
    out.push({ slug, name, regionCode: authorities[0].region, authorities: authorities.map(({ region: _r, ...a }) => a), plan: { themes } });
  }
  return out;
}

/**
 * Inserts the dataset: one transaction per territory (insertPlan, the same code as seeds and
 * imports), then one content-version bump. Idempotent on slug. Returns the slugs and the public
 * action ids of each territory.
 */
export async function insertNationalDataset(database: Database, dataset: BenchTerritory[]): Promise<{ slug: string; actionIds: number[] }[]> {
  const rand = prng(7);
  for (const t of dataset) {
    await database.db.transaction(async (tx) => {
      const existing = await tx.select({ id: territories.id }).from(territories).where(sql`${territories.slug} = ${t.slug}`);
      if (existing.length) return;
      const [territory] = await tx
        .insert(territories)
        .values({ slug: t.slug, name: t.name, kind: "standard", labelledOn: "2023-11", regionCode: t.regionCode, summary: `Territoire d'industrie réunissant ${t.authorities.map((a) => a.name).join(" et ")}.` })
        .returning({ id: territories.id });
      const ids = await tx
        .insert(territoryAuthorities)
        .values(t.authorities.map((a, i) => ({ territoryId: territory.id, siren: a.siren, name: a.name, shortName: a.shortName, kind: a.kind, departementCode: a.departementCode, position: i })))
        .returning({ id: territoryAuthorities.id });
      const total = t.plan.themes.reduce((s, th) => s + th.objectives.reduce((s2, o) => s2 + o.actions.length, 0), 0);
      await tx.insert(agreements).values({
        territoryId: territory.id,
        kind: "contrat de territoire d'industrie",
        signedOn: "2024-03-15",
        periodFrom: 2023,
        periodTo: 2027,
        actionsTotal: total,
        actionsDescribed: total,
        signatories: ["État — préfet de département", "Région", ...t.authorities.map((a) => a.name)],
        notes: [],
      });
      const [body] = await tx
        .insert(governanceBodies)
        .values({ territoryId: territory.id, kind: "project_committee", name: `Comité de projet ${t.name}`, position: 0 })
        .returning({ id: governanceBodies.id });
      await tx.insert(governanceMembers).values([
        { territoryId: territory.id, bodyId: body.id, name: `${FIRST[Math.floor(rand() * FIRST.length)]} ${LAST[Math.floor(rand() * LAST.length)]}`, role: `Président(e) de ${t.authorities[0].name}`, side: "élu" as const, isChair: true, position: 0 },
        { territoryId: territory.id, bodyId: body.id, name: `${FIRST[Math.floor(rand() * FIRST.length)]} ${LAST[Math.floor(rand() * LAST.length)]}`, role: "Dirigeant(e) d'une entreprise industrielle", side: "industriel" as const, isChair: true, position: 1 },
      ]);
      await tx.insert(territoryContacts).values({ territoryId: territory.id, service: `Service développement économique de ${t.authorities[0].name}`, phone: "01 23 45 67 89", email: `dev.eco@${t.slug}.invalid` });
      await insertPlan(tx, territory.id, {
        themes: t.plan.themes.map((th) => ({
          ...th,
          objectives: th.objectives.map((o) => ({
            ...o,
            actions: o.actions.map(({ lead, partners, ...a }) => ({
              ...a,
              leadAuthorityId: ids[lead].id,
              partners: partners.map((p) => ({ name: p.name, authorityId: p.authority === undefined ? null : ids[p.authority].id })),
            })),
          })),
        })),
      });
    });
  }
  await database.exec("UPDATE content_version SET version = version + 1 WHERE id = 1");
  const rows = await database.query<{ slug: string; id: number }>(
    `SELECT t.slug, a.id FROM plan_actions a JOIN territories t ON t.id = a.territory_id
     JOIN plan_objectives o ON o.id = a.objective_id JOIN plan_themes th ON th.id = o.theme_id
     WHERE t.slug LIKE '${SLUG_PREFIX}%' AND a.visibility = 'published' AND a.archived_at IS NULL
       AND o.visibility = 'published' AND o.archived_at IS NULL AND th.visibility = 'published' AND th.archived_at IS NULL
     ORDER BY t.id, a.number`,
  );
  const bySlug = new Map<string, number[]>();
  for (const r of rows) bySlug.set(r.slug, [...(bySlug.get(r.slug) ?? []), Number(r.id)]);
  return dataset.map((t) => ({ slug: t.slug, actionIds: bySlug.get(t.slug) ?? [] }));
}
