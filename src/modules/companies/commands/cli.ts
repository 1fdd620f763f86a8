// Command-line tasks of the companies module (see core/control.ts defineCommand).
import { eq } from "drizzle-orm";
import { defineCommand } from "../../../core/control.ts";
import { ANONYMOUS } from "../../../core/authz/index.ts";
import { territories } from "../../territories/api.ts";
import { importSirene, SireneImportError, summarize } from "./import-sirene.ts";

defineCommand(
  "entreprises.import",
  async (database, args, ctx) => {
    const slug = typeof args.territory === "string" ? args.territory : "";
    const etablissements = typeof args.etablissements === "string" ? args.etablissements : "";
    const unitesLegales = typeof args["unites-legales"] === "string" ? args["unites-legales"] : "";
    if (!slug || !etablissements || !unitesLegales) {
      throw new SireneImportError("Indiquez --territory SLUG --etablissements StockEtablissement.csv (ou .zip) --unites-legales StockUniteLegale.csv (ou .zip).");
    }
    const [territory] = await database.db.select({ id: territories.id, slug: territories.slug }).from(territories).where(eq(territories.slug, slug));
    if (!territory) throw new SireneImportError(`Territoire inconnu : ${slug}.`);
    const report = await importSirene(database, { actor: ANONYMOUS, role: "cli" }, {
      territoryId: territory.id,
      territorySlug: territory.slug,
      etablissements,
      unitesLegales,
      progress: (p) => ctx.progress(p),
    });
    const details = report.rejections.length ? `\n\nLignes rejetées :\n${report.rejections.map((r) => `  ${r}`).join("\n")}${report.rejected > report.rejections.length ? `\n  … et ${report.rejected - report.rejections.length} autres` : ""}` : "";
    const unknown = report.unknownColumns.length ? `\n\nColonnes inconnues ignorées : ${report.unknownColumns.join(" ; ")}` : "";
    return `${summarize(report)}${details}${unknown}`;
  },
  "entreprises import --territory SLUG --etablissements FICHIER --unites-legales FICHIER   importe les établissements du territoire depuis le stock Sirene (CSV ou ZIP de l'INSEE)",
);
