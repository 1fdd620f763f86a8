// Command-line tasks of the observatory module (see core/control.ts defineCommand).
import { defineCommand } from "../../../core/control.ts";
import { formatReport, runImport } from "../../../core/imports/index.ts";
import { IMPORTERS } from "../importers.ts";

const KINDS = Object.keys(IMPORTERS).join(", ");

defineCommand(
  "observatoire.import",
  async (database, args, ctx) => {
    const words = Array.isArray(args._) ? (args._ as string[]) : [];
    const kind = String(args.kind ?? words[0] ?? "");
    const importer = IMPORTERS[kind];
    if (!importer) throw new Error(`Type de fichier inconnu « ${kind} » : ${KINDS}.`);
    if (typeof args.file !== "string") throw new Error("Indiquez le fichier : --file CHEMIN.");
    const report = await runImport({ database, importer, file: args.file, options: { annee: args.annee, date: args.date }, progress: ctx.progress });
    const text = formatReport(report);
    if (report.status === "failed") throw new Error(text);
    return text;
  },
  `observatoire import KIND --file F [--annee AAAA] [--date AAAA-MM-JJ]   importe un fichier national de l'observatoire (${KINDS})`,
);

defineCommand(
  "observatoire.imports",
  async (database) => {
    const runs = await database.query<{ id: number; kind: string; status: string; rows_read: number; rows_kept: number; rows_rejected: number; message: string | null; started_at: Date }>(
      "SELECT id, kind, status, rows_read, rows_kept, rows_rejected, message, started_at FROM import_runs ORDER BY id DESC LIMIT 20",
    );
    if (!runs.length) return "Aucun import.";
    return runs.map((r) => `n° ${r.id} ${r.started_at.toISOString().slice(0, 16)} ${r.kind} ${r.status} — lues ${r.rows_read}, retenues ${r.rows_kept}, rejetées ${r.rows_rejected}${r.message ? ` — ${r.message}` : ""}`).join("\n");
  },
  "observatoire imports   liste les derniers imports de l'observatoire",
);
