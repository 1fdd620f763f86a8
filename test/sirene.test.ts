// The Sirene stock reader alone (no database): layouts, quoting, BOM and CRLF, ZIP, [ND] cells,
// errors that name the missing column, rows rejected with their line.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readEstablishments, readSireneStock, readUnits, SireneFormatError, unitName, type SireneReject } from "../src/core/formats/sirene.ts";
import { COLLINES_COMMUNES, csvLine, sirenOf, siretOf } from "../scripts/generate-sirene-sample.ts";
import { ETABLISSEMENT_LAYOUT, UNITE_LEGALE_LAYOUT } from "../src/core/formats/sirene.ts";

const dir = mkdtempSync(join(tmpdir(), "collines-sirene-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIXTURE = new URL("./fixtures/sirene/", import.meta.url).pathname;

const collect = async <T>(it: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

describe("Sirene reader", () => {
  it("reads the committed fixture the same from CSV and ZIP, with rejects by line", async () => {
    const run = async (ext: string) => {
      const rejects: SireneReject[] = [];
      const r = await readSireneStock({ etablissements: `${FIXTURE}StockEtablissement_utf8.${ext}`, unitesLegales: `${FIXTURE}StockUniteLegale_utf8.${ext}`, communes: new Set(COLLINES_COMMUNES), onReject: (x) => rejects.push(x) });
      return { r, rejects };
    };
    const csv = await run("csv");
    const zip = await run("zip");
    expect(zip.r.rows).toEqual(csv.r.rows);
    expect(csv.r.establishments).toEqual({ read: 14, outside: 1 });
    expect(csv.rejects.map((x) => x.line)).toEqual([11, 12, 13, 14]);
    expect(csv.r.rows).toHaveLength(9);
    // The P natural person: names dropped at reading.
    const p = csv.r.rows.find((x) => x.establishment.diffusion === "P")!;
    expect(p.unit).toMatchObject({ diffusion: "P", lastName: null, firstName: null });
    expect(p.establishment).toMatchObject({ street: null, streetNumber: null, communeCode: "61169" });
  });

  it("handles a BOM, CRLF line ends, quoted commas, [ND] cells and unknown extra columns", async () => {
    const header = [...ETABLISSEMENT_LAYOUT, "activitePrincipaleNAF25Etablissement"];
    const values = { siret: siretOf("732829320", 1), siren: "732829320", statutDiffusionEtablissement: "O", etatAdministratifEtablissement: "A", codeCommuneEtablissement: "2A004", trancheEffectifsEtablissement: "[ND]", activitePrincipaleEtablissement: "2562B", nomenclatureActivitePrincipaleEtablissement: "NAFRev2", libelleVoieEtablissement: "DES FORGES, BATIMENT B", enseigne1Etablissement: 'L\'ATELIER "DU BAS"' };
    const text = `\uFEFF${header.join(",")}\r\n${csvLine(header, values).replace(/\n$/, "\r\n")}`;
    writeFileSync(join(dir, "e.csv"), text);
    let unknown: string[] = [];
    const rows = await collect(readEstablishments(join(dir, "e.csv"), { onHeader: (h) => (unknown = h.unknown) }));
    expect(unknown).toEqual(["activitePrincipaleNAF25Etablissement"]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ line: 2, nafCode: "25.62B", workforceBand: null, street: "DES FORGES, BATIMENT B", sign: 'L\'ATELIER "DU BAS"', communeCode: "2A004" });
  });

  it("names the missing columns, and tells swapped files apart", async () => {
    writeFileSync(join(dir, "m.csv"), readFileSync(`${FIXTURE}StockEtablissement_utf8.csv`, "utf8").replace("statutDiffusionEtablissement", "statut").replace("etablissementSiege", "siege"));
    await expect(collect(readEstablishments(join(dir, "m.csv")))).rejects.toThrow("n'a pas les colonnes « statutDiffusionEtablissement », « etablissementSiege »");
    await expect(collect(readUnits(`${FIXTURE}StockEtablissement_utf8.csv`))).rejects.toThrow("Ce fichier est un StockEtablissement, pas un StockUniteLegale");
    writeFileSync(join(dir, "empty.csv"), "");
    await expect(collect(readUnits(join(dir, "empty.csv")))).rejects.toThrow("est vide");
    writeFileSync(join(dir, "quote.csv"), `${UNITE_LEGALE_LAYOUT.join(",")}\n"${sirenOf(1)},O\n`);
    await expect(collect(readUnits(join(dir, "quote.csv")))).rejects.toBeInstanceOf(SireneFormatError);
    writeFileSync(join(dir, "bad.zip"), Buffer.concat([readFileSync(`${FIXTURE}StockUniteLegale_utf8.zip`).subarray(0, 80), Buffer.alloc(50, 7)]));
    await expect(collect(readUnits(join(dir, "bad.zip")))).rejects.toBeInstanceOf(SireneFormatError);
    execFileSync("zip", ["-q", "-j", join(dir, "notcsv.zip"), `${FIXTURE}../../companies.test.ts`]);
    await expect(collect(readUnits(join(dir, "notcsv.zip")))).rejects.toThrow("doit contenir le fichier CSV");
  });

  it("names units as INSEE's directory does", () => {
    const base = { line: 2, siren: "1", usageName: null, acronym: null, legalCategory: "1000", diffusion: "O" as const, state: "A" as const };
    expect(unitName({ ...base, denomination: "FORGES DE LA VIRE", lastName: null, firstName: null, acronym: "FDV" })).toBe("FORGES DE LA VIRE (FDV)");
    expect(unitName({ ...base, denomination: null, lastName: "MARTIN", firstName: "JEANNE" })).toBe("Jeanne MARTIN");
    expect(unitName({ ...base, denomination: null, lastName: null, firstName: null })).toBeNull();
  });
});
