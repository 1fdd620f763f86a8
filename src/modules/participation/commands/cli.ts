// Command-line tasks of the participation module (see core/control.ts defineCommand).
import { eq } from "drizzle-orm";
import { defineCommand } from "../../../core/control.ts";
import { territories } from "../../territories/api.ts";
import { listWorkshops } from "../workshops/queries.ts";
import { WORKSHOP_STATUS_LABELS } from "../workshops/model.ts";
import { whenText } from "../workshops/mails.ts";

defineCommand(
  "ateliers.liste",
  async (database, args) => {
    const slug = typeof args.territory === "string" ? args.territory : "";
    if (!slug) throw new Error("Indiquez --territory SLUG (par exemple collines-de-normandie).");
    const [territory] = await database.db.select({ id: territories.id, name: territories.name }).from(territories).where(eq(territories.slug, slug));
    if (!territory) throw new Error(`Territoire inconnu : ${slug}.`);
    const list = await listWorkshops(database.db, territory.id, { includeDrafts: true });
    if (!list.length) return `${territory.name} : aucun atelier.`;
    const lines = list.map((w) => `${String(w.id).padStart(5)}  ${whenText(w)}  ${WORKSHOP_STATUS_LABELS[w.status].padEnd(9)}  ${w.confirmed}/${w.capacity} inscrits, ${w.waitlisted} en attente  ${w.title}`);
    return `${territory.name} : ${list.length} atelier(s)\n${lines.join("\n")}`;
  },
  "ateliers liste --territory SLUG   liste les ateliers d'un territoire : date, état, inscrits et liste d'attente",
);
