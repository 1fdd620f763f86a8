// Follow-up data of the fictional demonstration territory, so that its action pages, follow-up and
// search show what the action sheet holds. Seeded once (an audit entry marks it), never over a change.
import { and, eq } from "drizzle-orm";
import { ANONYMOUS } from "../../core/authz/index.ts";
import { recordAudit } from "../../core/audit/index.ts";
import type { Database, Tx } from "../../core/db/client.ts";
import { auditLog } from "../../core/db/schema.ts";
import { indicators, observations } from "../observatory/api.ts";
import { DEMO_SLUG, territories } from "../territories/api.ts";
import { actionIndicators, actionLinks, actionNotes, actions, budgetLines, financingLines, indicatorTargets, milestones, statusChanges } from "./schema.ts";

const SYSTEM = { actor: ANONYMOUS, role: "system" };
const MARK = "action_followup";

interface DemoSheet {
  n: number;
  startDate?: string;
  plannedEndDate?: string;
  referentElu?: string;
  priority?: "high" | "normal" | "low";
  tags?: string[];
  progressManual?: number;
  statuses?: { at: string; from: string | null; to: string; comment: string }[];
  milestones?: { name: string; due: string; done?: string; visibility?: "published" | "confidential" }[];
  budget?: { year: number; nature: "investment" | "operating"; euros: number; label?: string }[];
  financing?: { kind: "etat" | "region" | "departement" | "intercommunalite" | "europe" | "prive" | "autre"; name: string; requested: number; granted: number; paid: number }[];
  notes?: { at: string; body: string; visibility: "published" | "confidential" }[];
  indicator?: { name: string; unit: string; baseline: number; baselineDate: string; targets: [string, number][]; values: [string, number, string][] };
  linkTo?: { n: number; kind: "related" | "depends_on" | "follows" };
}

const SHEETS: DemoSheet[] = [
  {
    n: 1,
    startDate: "2024-01-15",
    plannedEndDate: "2026-06-30",
    referentElu: "Élue fictive chargée de l'attractivité",
    tags: ["attractivité", "emploi"],
    statuses: [
      { at: "2024-01-15T09:00:00Z", from: null, to: "in_progress", comment: "Lancement décidé par le comité de pilotage (démonstration)." },
      { at: "2026-05-20T09:00:00Z", from: "in_progress", to: "done", comment: "Troisième édition tenue ; l'action se poursuit chaque année sans suivi particulier." },
    ],
    milestones: [
      { name: "Première édition", due: "2024-04-30", done: "2024-04-20" },
      { name: "Navettes depuis les gares", due: "2025-04-30", done: "2025-05-12" },
      { name: "Troisième édition", due: "2026-04-30", done: "2026-04-25" },
    ],
    budget: [
      { year: 2024, nature: "operating", euros: 18000, label: "Communication et navettes" },
      { year: 2025, nature: "operating", euros: 21000 },
      { year: 2026, nature: "operating", euros: 21000 },
    ],
    financing: [
      { kind: "region", name: "Région (fictif)", requested: 30000, granted: 25000, paid: 25000 },
      { kind: "prive", name: "Entreprises participantes", requested: 15000, granted: 15000, paid: 12000 },
    ],
    notes: [{ at: "2026-04-26T16:00:00Z", body: "Plus de 2 000 visiteurs sur la journée, vingt usines ouvertes (démonstration).", visibility: "published" }],
    indicator: { name: "Visiteurs des portes ouvertes", unit: "visiteurs", baseline: 0, baselineDate: "2023-12-31", targets: [["2026-12-31", 2000]], values: [["2024-04-20", 900, "Comptage des navettes"], ["2025-05-12", 1500, "Comptage des navettes"], ["2026-04-25", 2100, "Billetterie"]] },
  },
  {
    n: 2,
    startDate: "2025-03-01",
    plannedEndDate: "2026-09-30",
    priority: "high",
    tags: ["emploi", "numérique"],
    statuses: [{ at: "2025-03-01T09:00:00Z", from: null, to: "in_progress", comment: "Marché attribué (démonstration)." }],
    milestones: [
      { name: "Cahier des charges", due: "2025-04-30", done: "2025-04-28" },
      { name: "Mise en ligne de la première version", due: "2025-10-31", done: "2025-11-20" },
      { name: "Raccordement des offres de l'agence pour l'emploi", due: "2026-03-31" },
      { name: "Bilan avec les entreprises", due: "2026-09-30", visibility: "confidential" },
    ],
    budget: [
      { year: 2025, nature: "investment", euros: 35000, label: "Développement du site" },
      { year: 2026, nature: "operating", euros: 6000, label: "Hébergement et animation" },
    ],
    financing: [
      { kind: "etat", name: "Fonds d'accompagnement (fictif)", requested: 20000, granted: 15000, paid: 7500 },
      { kind: "intercommunalite", name: "Interco du Bocage (fictif)", requested: 26000, granted: 26000, paid: 20000 },
    ],
    notes: [
      { at: "2025-11-21T10:00:00Z", body: "Le site est en ligne avec 140 offres (démonstration).", visibility: "published" },
      { at: "2026-02-10T10:00:00Z", body: "Le raccordement aux offres de l'agence pour l'emploi prend du retard : relancer le prestataire (démonstration).", visibility: "confidential" },
    ],
    linkTo: { n: 3, kind: "related" },
  },
  {
    n: 4,
    startDate: "2024-06-01",
    plannedEndDate: "2028-12-31",
    referentElu: "Vice-président fictif chargé de l'économie",
    priority: "high",
    tags: ["foncier"],
    statuses: [{ at: "2024-06-01T09:00:00Z", from: "planned", to: "in_progress", comment: "Acquisitions foncières terminées (démonstration)." }],
    milestones: [
      { name: "Première tranche viabilisée (4 ha)", due: "2025-12-31", done: "2025-11-30" },
      { name: "Deuxième tranche viabilisée (4 ha)", due: "2027-06-30" },
      { name: "Troisième tranche viabilisée (4 ha)", due: "2028-12-31" },
    ],
    budget: [
      { year: 2025, nature: "investment", euros: 1200000, label: "Tranche 1" },
      { year: 2027, nature: "investment", euros: 1100000, label: "Tranche 2" },
      { year: 2028, nature: "investment", euros: 1100000, label: "Tranche 3" },
    ],
    financing: [
      { kind: "etat", name: "DETR (fictif)", requested: 600000, granted: 400000, paid: 400000 },
      { kind: "europe", name: "FEDER (fictif)", requested: 900000, granted: 900000, paid: 300000 },
      { kind: "region", name: "Région (fictif)", requested: 500000, granted: 0, paid: 0 },
    ],
    indicator: { name: "Surface viabilisée", unit: "ha", baseline: 0, baselineDate: "2024-06-01", targets: [["2025-12-31", 4], ["2027-06-30", 8], ["2028-12-31", 12]], values: [["2025-11-30", 4, "Procès-verbal de réception des travaux"]] },
  },
  {
    n: 5,
    startDate: "2024-09-01",
    plannedEndDate: "2027-12-31",
    statuses: [
      { at: "2024-09-01T09:00:00Z", from: "planned", to: "in_progress", comment: "Convention signée avec l'établissement foncier (démonstration)." },
      { at: "2025-10-15T09:00:00Z", from: "in_progress", to: "paused", comment: "En attente de l'étude de sol avant la dépollution (démonstration)." },
    ],
    milestones: [
      { name: "Étude de sol", due: "2025-09-30" },
      { name: "Dépollution", due: "2026-12-31" },
    ],
    linkTo: { n: 6, kind: "related" },
  },
];

/** Seeds the demo territory's follow-up once; a later start changes nothing. */
export async function seedDemoFollowUp(database: Database): Promise<void> {
  await database.db.transaction(async (tx) => {
    const [territory] = await tx.select().from(territories).where(eq(territories.slug, DEMO_SLUG));
    if (!territory) return;
    const [done] = await tx.select({ id: auditLog.id }).from(auditLog).where(and(eq(auditLog.territoryId, territory.id), eq(auditLog.action, "seed"), eq(auditLog.entity, MARK))).limit(1);
    if (done) return;
    const rows = await tx.select({ id: actions.id, number: actions.number }).from(actions).where(eq(actions.territoryId, territory.id));
    const byNumber = new Map(rows.map((r) => [r.number, r.id]));
    for (const s of SHEETS) {
      const actionId = byNumber.get(s.n);
      if (actionId) await seedSheet(tx, territory.id, actionId, s, byNumber);
    }
    await recordAudit(tx, SYSTEM, { territoryId: territory.id, action: "seed", entity: MARK, after: { actions: SHEETS.map((s) => s.n) } });
  });
}

async function seedSheet(tx: Tx, territoryId: number, actionId: number, s: DemoSheet, byNumber: Map<number, number>) {
  await tx
    .update(actions)
    .set({ startDate: s.startDate ?? null, plannedEndDate: s.plannedEndDate ?? null, referentElu: s.referentElu ?? null, priority: s.priority ?? "normal", tags: s.tags ?? [] })
    .where(and(eq(actions.id, actionId), eq(actions.territoryId, territoryId)));
  for (const c of s.statuses ?? [])
    await tx.insert(statusChanges).values({ territoryId, actionId, fromStatus: c.from as never, toStatus: c.to as never, comment: c.comment, at: new Date(c.at) });
  for (const [i, m] of (s.milestones ?? []).entries())
    await tx.insert(milestones).values({ territoryId, actionId, name: m.name, dueDate: m.due, doneDate: m.done ?? null, position: i, visibility: m.visibility ?? "published" });
  for (const b of s.budget ?? []) await tx.insert(budgetLines).values({ territoryId, actionId, year: b.year, nature: b.nature, amountCents: b.euros * 100, label: b.label ?? null });
  for (const [i, f] of (s.financing ?? []).entries())
    await tx.insert(financingLines).values({ territoryId, actionId, funderKind: f.kind, funderName: f.name, requestedCents: f.requested * 100, grantedCents: f.granted * 100, paidCents: f.paid * 100, position: i });
  for (const note of s.notes ?? []) await tx.insert(actionNotes).values({ territoryId, actionId, body: note.body, visibility: note.visibility, at: new Date(note.at) });
  if (s.indicator) {
    const ind = s.indicator;
    const [row] = await tx
      .insert(indicators)
      .values({ territoryId, code: `action-${actionId}-1`, name: ind.name, unit: ind.unit, levels: ["action"], periodicity: "punctual", aggregation: "none", direction: "up", theme: "Plan d’actions" })
      .returning({ id: indicators.id });
    const [link] = await tx
      .insert(actionIndicators)
      .values({ territoryId, actionId, indicatorId: row.id, geoLevel: "action", geoCode: String(actionId), baselineValue: ind.baseline, baselineDate: ind.baselineDate })
      .returning({ id: actionIndicators.id });
    for (const [date, value] of ind.targets) await tx.insert(indicatorTargets).values({ territoryId, actionIndicatorId: link.id, targetDate: date, value });
    for (const [date, value, source] of ind.values) await tx.insert(observations).values({ indicatorId: row.id, geoLevel: "action", geoCode: String(actionId), period: date, value, source });
  }
  if (s.linkTo && byNumber.get(s.linkTo.n)) await tx.insert(actionLinks).values({ territoryId, fromActionId: actionId, toActionId: byNumber.get(s.linkTo.n)!, kind: s.linkTo.kind });
}
