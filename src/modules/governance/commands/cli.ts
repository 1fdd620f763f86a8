// Command-line tasks of the governance module (see core/control.ts defineCommand).
import { eq } from "drizzle-orm";
import { defineCommand } from "../../../core/control.ts";
import { territories } from "../../territories/api.ts";
import { listVersions } from "../data.ts";
import { diffSnapshots, frenchDate, visibleSnapshot } from "../model.ts";

async function territoryId(database: Parameters<Parameters<typeof defineCommand>[1]>[0], slug: unknown): Promise<number> {
  if (typeof slug !== "string" || !slug) throw new Error("Indiquez --territory, l'adresse du territoire (par exemple collines-de-normandie).");
  const [t] = await database.db.select({ id: territories.id }).from(territories).where(eq(territories.slug, slug));
  if (!t) throw new Error(`Territoire inconnu : ${slug}.`);
  return t.id;
}

defineCommand(
  "governance.versions",
  async (database, args) => {
    const id = await territoryId(database, args.territory);
    const vs = await listVersions(database.db, id);
    if (!vs.length) return "Aucune version du plan pour ce territoire.";
    return vs
      .map((v) => `Version ${v.number}\t${frenchDate(v.effectiveOn)}\t${v.snapshot.actions.length} actions\t${v.label}${v.decisionNumber ? `\tdécision n° ${v.decisionNumber}` : ""}`)
      .join("\n");
  },
  "governance versions --territory SLUG   versions du plan d'actions (plan signé, puis un par avenant appliqué)",
);

defineCommand(
  "governance.compare",
  async (database, args) => {
    const id = await territoryId(database, args.territory);
    const vs = await listVersions(database.db, id);
    const from = Number(args.de ?? 1);
    const to = Number(args.a ?? vs.at(-1)?.number ?? 1);
    const a = vs.find((v) => v.number === from);
    const b = vs.find((v) => v.number === to);
    if (!a || !b) throw new Error(`Version inconnue : les versions vont de 1 à ${vs.length}.`);
    const d = diffSnapshots(visibleSnapshot(a.snapshot, "staff"), visibleSnapshot(b.snapshot, "staff"));
    const lines = [
      `Du plan en version ${from} à la version ${to} : ${d.added.length} ajoutée(s), ${d.changed.length} modifiée(s), ${d.withdrawn.length} retirée(s).`,
      ...d.added.map((x) => `+ Action ${x.number} – ${x.title}`),
      ...d.changed.flatMap((c) => [`~ Action ${c.after.number} – ${c.after.title}`, ...c.fields.map((f) => `    ${f.label} : « ${f.before} » → « ${f.after} »`)]),
      ...d.withdrawn.map((x) => `- Action ${x.number} – ${x.title}`),
    ];
    return lines.join("\n");
  },
  "governance compare --territory SLUG [--de 1] [--a N]   actions ajoutées, modifiées (champ par champ) et retirées entre deux versions",
);
