// Command-line tasks of the reports module (see core/control.ts defineCommand).
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { eq } from "drizzle-orm";
import { defineCommand } from "../../../core/control.ts";
import { ANONYMOUS } from "../../../core/authz/index.ts";
import { territories } from "../../territories/api.ts";
import { applyImport, checkImport, errorLines, type ImportPlan } from "../import/plan-import.ts";

const CLI = { actor: ANONYMOUS, role: "cli" };

function describePlan(p: ImportPlan): string {
  const lines = [
    `${p.rows.length} ligne(s) d'actions : ${p.themesCreated.length} thématique(s) et ${p.objectivesCreated.length} objectif(s) à créer, ${p.actionsCreated.length} action(s) à créer, ${p.actionsUpdated.length} à modifier, ${p.actionsUnchanged} inchangée(s).`,
  ];
  for (const t of p.themesCreated) lines.push(`  + thématique « ${t} »`);
  for (const o of p.objectivesCreated) lines.push(`  + objectif « ${o.objective} » (${o.theme})`);
  for (const a of p.actionsCreated) lines.push(`  + action ${a.number}. ${a.title}`);
  for (const a of p.actionsUpdated) lines.push(`  ~ action ${a.number}. ${a.title} (${a.fields.join(", ")})`);
  return lines.join("\n");
}

defineCommand(
  "plan.import",
  async (database, args) => {
    const slug = typeof args.territory === "string" ? args.territory : "";
    const file = typeof args.file === "string" ? args.file : "";
    if (!slug || !file) throw new Error("Indiquez --territory SLUG --file plan.xlsx (ou .csv), et --dry-run pour seulement vérifier.");
    const [territory] = await database.db.select({ id: territories.id }).from(territories).where(eq(territories.slug, slug));
    if (!territory) throw new Error(`Territoire inconnu : ${slug}.`);
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      throw new Error(`Fichier introuvable ou illisible : ${file}.`);
    }
    const dryRun = args["dry-run"] === true || args["dry-run"] === "true";
    const outcome = await database.db.transaction(async (tx) => {
      const check = await checkImport(tx, territory.id, data, basename(file));
      if (!check.plan) return { errors: errorLines(check.errors) };
      if (dryRun) return { plan: check.plan };
      return { plan: check.plan, result: await applyImport(tx, territory.id, check.plan.rows, CLI) };
    });
    if (outcome.errors) throw new Error(`Le fichier contient ${outcome.errors.length} erreur(s) ; rien n'a été enregistré.\n${outcome.errors.map((e) => `  ${e}`).join("\n")}`);
    const summary = describePlan(outcome.plan!);
    if (dryRun) return `Vérification seulement (--dry-run) : rien n'a été enregistré.\n${summary}`;
    const r = outcome.result!;
    return `Import terminé : ${r.actionsCreated} action(s) créée(s), ${r.actionsUpdated} modifiée(s), ${r.themesCreated} thématique(s) et ${r.objectivesCreated} objectif(s) créé(s).\n${summary}`;
  },
  "plan import --territory SLUG --file F.xlsx|F.csv [--dry-run]   importe ou met à jour le plan d'actions depuis un tableur (rien n'est écrit si une ligne est en erreur)",
);
