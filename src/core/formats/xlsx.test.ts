import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { cellDate, cellNumber, columnLetter, formatSpreadsheetError, readSpreadsheet, sheetName, writeWorkbook } from "./xlsx.ts";

describe("xlsx", () => {
  it("writes typed cells, euros, a frozen header and an autofilter", async () => {
    const buf = await writeWorkbook([
      {
        name: "Actions / suivi",
        columns: [
          { header: "N°", key: "n", type: "text" },
          { header: "Montant", key: "amount", type: "euro" },
          { header: "Échéance", key: "due", type: "date" },
          { header: "Avancement", key: "p", type: "percent" },
        ],
        rows: [{ n: "1.1", amount: 1234.5, due: "2026-12-31", p: 0.4 }, { n: "=HACK()", amount: null }],
      },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    expect(ws.name).toBe("Actions   suivi");
    expect(ws.getCell("B2").value).toBe(1234.5);
    expect(ws.getCell("B2").numFmt).toContain("€");
    expect((ws.getCell("C2").value as Date).toISOString().slice(0, 10)).toBe("2026-12-31");
    expect(ws.getCell("A3").value).toBe("'=HACK()");
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.autoFilter).toBeTruthy();
  });

  it("reads back an XLSX by header names, matching headers without case or accents", async () => {
    const buf = await writeWorkbook([
      { name: "Plan", columns: [{ header: "THEMATIQUE", key: "t" }, { header: "Date de début", key: "d", type: "date" }, { header: "Montant", key: "m", type: "number" }], rows: [{ t: "Emploi", d: "2027-01-15", m: 12 }, {}, { t: "Foncier" }] },
    ]);
    const table = await readSpreadsheet(buf, { columns: [{ name: "Thématique", required: true }, { name: "Date de début" }, { name: "Montant" }, { name: "Action", required: true }] });
    expect(table.errors.map(formatSpreadsheetError)).toEqual(["ligne 1, colonne « Action » : colonne obligatoire absente"]);
    expect(table.rows.map((r) => r.line)).toEqual([2, 4]);
    expect(table.rows[0]!.values["Thématique"]).toBe("Emploi");
    expect(cellDate(table.rows[0]!.values["Date de début"]!)).toBe("2027-01-15");
    expect(table.rows[0]!.columns["Montant"]).toBe("C");
  });

  it("reads a French CSV (semicolons, Windows-1252) and reports unknown columns with their letter", async () => {
    const text = "Thématique;Objectif;Bidule\r\nDéveloppement;Créer;x\r\n";
    const bytes = new Uint8Array([...text].map((c) => c.charCodeAt(0))); // Latin-1 = Windows-1252 here
    const table = await readSpreadsheet(bytes, { filename: "plan.csv", columns: [{ name: "Thématique" }, { name: "Objectif" }] });
    expect(table.rows[0]!.values).toEqual({ "Thématique": "Développement", Objectif: "Créer" });
    expect(formatSpreadsheetError(table.errors[0]!)).toMatch(/^ligne 1, colonne C \(« Bidule »\) : colonne inconnue/);
  });

  it("refuses what is not a spreadsheet and parses French numbers and dates", async () => {
    expect((await readSpreadsheet(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0]), { filename: "x.pdf" })).errors[0]!.message).toMatch(/XLSX ou un fichier CSV/);
    expect((await readSpreadsheet(new Uint8Array([0x50, 0x4b, 3, 4, 1, 2]), {})).errors[0]!.message).toMatch(/classeur XLSX lisible/);
    expect(cellNumber("1 234,50 €")).toBe(1234.5);
    expect(cellNumber("douze")).toBeUndefined();
    expect(cellDate("31/02/2026")).toBeUndefined();
    expect(cellDate("1/3/2026")).toBe("2026-03-01");
    expect(cellDate(46022)).toBe("2025-12-31");
    expect(columnLetter(28)).toBe("AB");
    expect(sheetName("x".repeat(40), new Set(["x".repeat(31)]))).toHaveLength(31);
  });
});
