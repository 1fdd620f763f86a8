// The demonstration territory's workshops (fictional, like everything there): one held with its
// minutes, two to come, so that a person trying the platform finds the feature filled.
import { randomUUID } from "node:crypto";
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../core/db/client.ts";
import { recordAudit } from "../../../core/audit/index.ts";
import { ANONYMOUS } from "../../../core/authz/index.ts";
import { territories } from "../../territories/api.ts";
import { actions, themes } from "../../plan/api.ts";
import { workshopActions, workshops } from "../schema.ts";
import { parisInstant, parisParts } from "./model.ts";

/** Paris wall-clock time on a day counted from today. */
function at(daysFromNow: number, time: string): Date {
  return parisInstant(parisParts(new Date(Date.now() + daysFromNow * 86400_000)).date, time) ?? new Date(Date.now() + daysFromNow * 86400_000);
}

/** Idempotent: does nothing once the demo territory has a workshop. */
export async function seedDemoWorkshops(database: Database): Promise<void> {
  await database.db.transaction(async (tx) => {
    const [demo] = await tx.select().from(territories).where(eq(territories.kind, "demo")).limit(1);
    if (!demo) return;
    if ((await tx.select({ id: workshops.id }).from(workshops).where(eq(workshops.territoryId, demo.id)).limit(1)).length) return;
    const themeRows = await tx.select().from(themes).where(and(eq(themes.territoryId, demo.id), eq(themes.visibility, "published"), isNull(themes.archivedAt))).orderBy(asc(themes.position));
    if (!themeRows.length) return;
    const theme = (i: number) => themeRows[i % themeRows.length];
    const rows = [
      {
        themeId: theme(0).id,
        title: "Recruter et garder les jeunes dans nos ateliers",
        description: "Retour sur les stages de découverte de l'année et préparation du forum de l'entreprise et de l'emploi. Apportez vos besoins de recrutement à six mois.",
        startsAt: at(-30, "09:00"),
        endsAt: at(-30, "11:00"),
        place: "Hôtel d'entreprises des Forges, salle Vulcain",
        videoUrl: null,
        capacity: 15,
        status: "held" as const,
        minutes:
          "Douze entreprises présentes. Les besoins recensés portent surtout sur la maintenance et l'usinage.\n\nDécisions : une visite d'entreprise par mois pour les collégiens, une page commune des offres de stage sur le site du territoire.",
      },
      {
        themeId: theme(1).id,
        title: "Simplifier les démarches des industriels",
        description: "Quelles démarches vous coûtent le plus de temps ? L'atelier recense les difficultés pour nourrir l'action du plan sur l'accueil unique des entreprises.",
        startsAt: at(12, "14:00"),
        endsAt: at(12, "16:00"),
        place: "Maison de l'intercommunalité, salle du conseil",
        videoUrl: "https://visio.bocage-des-forges.invalid/simplifier",
        capacity: 12,
        status: "published" as const,
        minutes: null,
      },
      {
        themeId: theme(2).id,
        title: "Partager nos flux : déchets, chaleur, transport",
        description: "Premier atelier d'écologie industrielle : chaque entreprise apporte la liste de ses principaux flux entrants et sortants.",
        startsAt: at(40, "09:30"),
        endsAt: at(40, "12:00"),
        place: "Fonderie de démonstration, zone des Forges",
        videoUrl: null,
        capacity: 8,
        status: "published" as const,
        minutes: null,
      },
    ];
    for (const r of rows) {
      const [w] = await tx.insert(workshops).values({ territoryId: demo.id, ...r, icsUid: `atelier-${randomUUID()}@collines`, reminderSentAt: r.status === "held" ? r.startsAt : null }).returning();
      const [action] = await tx
        .select({ id: actions.id })
        .from(actions)
        .where(and(eq(actions.territoryId, demo.id), eq(actions.visibility, "published"), isNull(actions.archivedAt)))
        .orderBy(asc(actions.number))
        .limit(1)
        .offset(rows.indexOf(r));
      if (action) await tx.insert(workshopActions).values({ territoryId: demo.id, workshopId: w.id, actionId: action.id });
      await recordAudit(tx, { actor: ANONYMOUS, role: "system" }, { territoryId: demo.id, action: "create", entity: "workshop", entityId: w.id, after: { title: w.title, origin: "démonstration" } });
    }
  });
}
