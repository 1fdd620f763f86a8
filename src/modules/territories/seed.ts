import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import type { Database, Tx } from "../../core/db/client.ts";
import { recordAudit } from "../../core/audit/index.ts";
import { ANONYMOUS } from "../../core/authz/index.ts";
import { insertPlan } from "../plan/api.ts";
import {
  agreements,
  governanceBodies,
  governanceMembers,
  priorities,
  programmeFacts,
  territories,
  territoryAuthorities,
  territoryContacts,
  territoryPages,
} from "./schema.ts";
import { demoPlan, demoTerritory } from "./demo-data.ts";

const SEED_FILE = new URL("../../../seeds/collines-de-normandie-plan-2019.json", import.meta.url).pathname;

/** The seed of record: the transcription of the 2019 plan of Collines de Normandie. */
export interface SeedOfRecord {
  programme: { launched: string; territoriesNational: number; normandyTerritories: string[]; enjeux: { n: number; title: string; items: string[] }[] };
  territory: {
    slug: string;
    name: string;
    authorities: { name: string; short?: string; kind: string; siren: string; departement: string; areas?: string[] }[];
    agreement: { kind: string; signedOn: string; signatories: string[]; period: { from: number; to: number }; actionsTotal: number; actionsByIVN: number };
    governance: {
      kind: "project_committee" | "chair_pair" | "steering_committee" | "working_group";
      name?: string;
      authority?: string;
      composition?: string;
      role?: string;
      chairs?: { name: string; role: string; side: "élu" | "industriel" }[];
      members?: { name: string; role: string; side: "élu" | "industriel" }[];
    }[];
    contact: { service: string; phone: string; email: string };
  };
  plan: { themes: { code: string; enjeu: number; objectives: { title: string; actions: { n: number; title: string; jointWithFlersAgglo: boolean; commune?: string }[] }[] }[] };
}

export function readSeedOfRecord(): SeedOfRecord {
  return JSON.parse(readFileSync(SEED_FILE, "utf8")) as SeedOfRecord;
}

const SYSTEM = { actor: ANONYMOUS, role: "system" };

/** Seeds the programme's national facts and the two territories, each once (a second run changes nothing). */
export async function seedTerritories(database: Database): Promise<void> {
  const seed = readSeedOfRecord();
  await database.db.transaction(async (tx) => {
    const existing = await tx.select().from(priorities);
    if (existing.length) return;
    await tx.insert(priorities).values(seed.programme.enjeux.map((e) => ({ n: e.n, title: e.title, items: e.items })));
    // Figures with their date: the source counts 141 (Nov. 2018); the programme has 183 since 2023.
    await tx.insert(programmeFacts).values([
      { key: "territories_count", value: seed.programme.territoriesNational, asOf: "2018-11", source: "Annonce du Gouvernement, novembre 2018 (protocole de 2019)" },
      { key: "territories_count", value: 183, asOf: "2023", source: "Relance du programme Territoires d'industrie, 2023" },
      { key: "normandy_territories", value: seed.programme.normandyTerritories, asOf: "2019", source: "Protocole d'accord Collines de Normandie, 2019" },
    ]);
    await recordAudit(tx, SYSTEM, { action: "seed", entity: "programme", after: { priorities: seed.programme.enjeux.length } });
  });
  await seedReference(database, seed);
  await seedDemo(database);
}

async function territoryExists(tx: Tx, slug: string): Promise<boolean> {
  return (await tx.select({ id: territories.id }).from(territories).where(eq(territories.slug, slug))).length > 0;
}

/** The reference territory: only what the source gives. */
async function seedReference(database: Database, seed: SeedOfRecord): Promise<void> {
  const t = seed.territory;
  await database.db.transaction(async (tx) => {
    if (await territoryExists(tx, t.slug)) return;
    const [territory] = await tx.insert(territories).values({ slug: t.slug, name: t.name, kind: "reference", labelledOn: seed.programme.launched, regionCode: "28" }).returning();
    const authorityIds = new Map<string, number>();
    for (const [i, a] of t.authorities.entries()) {
      const [row] = await tx
        .insert(territoryAuthorities)
        .values({ territoryId: territory.id, siren: a.siren, name: a.name, shortName: a.short ?? null, kind: a.kind, departementCode: a.departement, areas: a.areas ?? [], position: i })
        .returning();
      authorityIds.set(a.name, row.id);
      if (a.short) authorityIds.set(a.short, row.id);
    }
    const ivn = authorityIds.get("IVN")!;
    const flers = authorityIds.get("Flers Agglo")!;
    await tx.insert(agreements).values({
      territoryId: territory.id,
      kind: t.agreement.kind,
      signedOn: t.agreement.signedOn,
      periodFrom: t.agreement.period.from,
      periodTo: t.agreement.period.to,
      actionsTotal: t.agreement.actionsTotal,
      actionsDescribed: t.agreement.actionsByIVN,
      signatories: t.agreement.signatories,
      // The source's own words, in French (the seed's notes are an English gloss of them).
      notes: [
        "L'un des 4 premiers Territoires d'industrie de Normandie à signer",
        "L'un des 16 premiers Territoires d'industrie (sur 141) à avoir contractualisé",
        "Ce programme n'est pas figé : des actions issues du travail en commun élus-industriels pourront s'ajouter",
      ],
    });
    for (const [i, g] of t.governance.entries()) {
      const authorityId = g.authority ? (authorityIds.get(g.authority) ?? null) : null;
      const name =
        g.name ?? (g.kind === "chair_pair" ? `Binôme élu–industriel de ${g.authority === "IVN" ? "l'Intercom de la Vire au Noireau" : g.authority}` : g.kind);
      const [body] = await tx
        .insert(governanceBodies)
        .values({ territoryId: territory.id, kind: g.kind, name, authorityId, composition: g.composition ?? null, role: g.role ?? null, position: i })
        .returning();
      const people = g.chairs ?? g.members ?? [];
      if (people.length) {
        await tx.insert(governanceMembers).values(
          people.map((p, j) => ({ territoryId: territory.id, bodyId: body.id, name: p.name, role: p.role, side: p.side, isChair: Boolean(g.chairs) || g.kind === "chair_pair", position: j })),
        );
      }
    }
    await tx.insert(territoryContacts).values({ territoryId: territory.id, service: t.contact.service, phone: t.contact.phone, email: t.contact.email });
    await insertPlan(tx, territory.id, {
      themes: seed.plan.themes.map((th) => ({
        code: th.code,
        title: th.code,
        priorityN: th.enjeu,
        priorityInferred: true,
        objectives: th.objectives.map((o) => ({
          title: o.title,
          actions: o.actions.map((a) => ({
            n: a.n,
            title: a.title,
            status: null,
            leadAuthorityId: ivn,
            joint: a.jointWithFlersAgglo,
            communeCode: a.commune ?? null,
            partners: a.jointWithFlersAgglo ? [{ name: "Flers Agglo", authorityId: flers }] : [],
          })),
        })),
      })),
    });
    await recordAudit(tx, SYSTEM, { territoryId: territory.id, action: "seed", entity: "territory", entityId: territory.id, after: { slug: t.slug } });
  });
}

/** The fictional demo territory, with synthetic data that fills every feature. */
async function seedDemo(database: Database): Promise<void> {
  const t = demoTerritory;
  await database.db.transaction(async (tx) => {
    if (await territoryExists(tx, t.slug)) return;
    const [territory] = await tx.insert(territories).values({ slug: t.slug, name: t.name, kind: "demo", summary: t.summary, labelledOn: t.labelledOn, regionCode: "28" }).returning();
    const ids: number[] = [];
    for (const [i, a] of t.authorities.entries()) {
      const [row] = await tx.insert(territoryAuthorities).values({ territoryId: territory.id, ...a, position: i }).returning();
      ids.push(row.id);
    }
    await tx.insert(agreements).values({ territoryId: territory.id, ...t.agreement });
    for (const [i, g] of t.governance.entries()) {
      const [body] = await tx
        .insert(governanceBodies)
        .values({ territoryId: territory.id, kind: g.kind, name: g.name, composition: "composition" in g ? g.composition : null, role: "role" in g ? g.role : null, position: i })
        .returning();
      if (g.members.length) await tx.insert(governanceMembers).values(g.members.map((m, j) => ({ territoryId: territory.id, bodyId: body.id, ...m, position: j })));
    }
    await tx.insert(territoryContacts).values(t.contacts.map((c, i) => ({ territoryId: territory.id, ...c, position: i })));
    await tx.insert(territoryPages).values(t.pages.map((p) => ({ territoryId: territory.id, ...p })));
    const names = t.authorities.map((a) => a.name);
    await insertPlan(tx, territory.id, {
      themes: demoPlan.map((th) => ({
        code: th.code,
        title: th.title,
        priorityN: th.priorityN,
        priorityInferred: false,
        objectives: th.objectives.map((o) => ({
          title: o.title,
          actions: o.actions.map((a) => ({
            n: a.n,
            title: a.title,
            description: a.description,
            status: a.status,
            visibility: a.visibility ?? "published",
            leadAuthorityId: ids[a.lead],
            joint: a.joint,
            partners: [
              ...(a.joint ? [{ name: names[1 - a.lead], authorityId: ids[1 - a.lead] }] : []),
              ...(a.partners ?? []).map((name) => ({ name, authorityId: null })),
            ],
          })),
        })),
      })),
    });
    await recordAudit(tx, SYSTEM, { territoryId: territory.id, action: "seed", entity: "territory", entityId: territory.id, after: { slug: t.slug } });
  });
}
