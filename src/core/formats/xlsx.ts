/**
 * Spreadsheets: write XLSX workbooks with typed cells (euros, percentages, dates), a frozen header
 * row and an autofilter; read an XLSX or CSV file into rows keyed by header name, every problem
 * reported in French as "ligne N, colonne X : …".
 */
import ExcelJS from "exceljs";
import { parse as parseCsv } from "csv-parse/sync";

// ---------------------------------------------------------------------------------------------
// Writing

export type XlsxCellType = "text" | "integer" | "number" | "euro" | "percent" | "date" | "boolean";
export type XlsxValue = string | number | boolean | Date | null | undefined;

export interface XlsxColumn {
  header: string;
  key: string;
  type?: XlsxCellType;
  /** Width in characters (guessed from the header and values when omitted). */
  width?: number;
}

export interface XlsxSheet {
  /** Sheet name: 31 characters at most, no []:*?/\ (cut and cleaned otherwise). */
  name: string;
  columns: XlsxColumn[];
  rows: Record<string, XlsxValue>[];
}

export interface XlsxWorkbookOptions {
  title?: string;
  creator?: string;
  created?: Date;
}

const NUMBER_FORMATS: Record<XlsxCellType, string | undefined> = {
  text: "@",
  integer: "# ##0",
  number: "# ##0.##",
  euro: '# ##0.00 "€";-# ##0.00 "€"',
  percent: "0 %",
  date: "dd/mm/yyyy",
  boolean: undefined,
};

/** A valid sheet name: at most 31 characters, none of []:*?/\, unique in the workbook. */
export function sheetName(name: string, taken: Set<string> = new Set()): string {
  const base = name.replace(/[[\]:*?/\\]/g, " ").trim().slice(0, 31) || "Feuille";
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 31 - String(i).length - 1)} ${i}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

function cellValue(v: XlsxValue, type: XlsxCellType): ExcelJS.CellValue {
  if (v == null || v === "") return null;
  switch (type) {
    case "integer":
    case "number":
    case "euro":
    case "percent": {
      const n = typeof v === "number" ? v : Number(v);
      return Number.isFinite(n) ? n : String(v);
    }
    case "date": {
      if (v instanceof Date) return v;
      if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(`${v}T00:00:00Z`);
      return String(v);
    }
    case "boolean":
      return typeof v === "boolean" ? (v ? "oui" : "non") : String(v);
    default: {
      const s = v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
      // A text cell never becomes a formula when reopened and re-saved as CSV.
      return /^[=+\-@]/.test(s) ? `'${s}` : s;
    }
  }
}

/** Builds an XLSX workbook in memory. */
export async function writeWorkbook(sheets: XlsxSheet[], options: XlsxWorkbookOptions = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = options.creator ?? "Collines";
  workbook.created = options.created ?? new Date();
  if (options.title) workbook.title = options.title;
  const taken = new Set<string>();
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheetName(sheet.name, taken), {
      views: [{ state: "frozen", ySplit: 1, xSplit: 0 }],
    });
    ws.columns = sheet.columns.map((c) => {
      const type = c.type ?? "text";
      const longest = Math.max(
        c.header.length,
        ...sheet.rows.slice(0, 200).map((r) => {
          const v = r[c.key];
          return v == null ? 0 : type === "date" ? 10 : type === "euro" ? String(v).length + 5 : String(v).length;
        }),
      );
      return { header: c.header, key: c.key, width: c.width ?? Math.min(60, Math.max(8, longest + 2)) };
    });
    for (const row of sheet.rows) {
      const values: Record<string, ExcelJS.CellValue> = {};
      for (const c of sheet.columns) values[c.key] = cellValue(row[c.key], c.type ?? "text");
      ws.addRow(values);
    }
    sheet.columns.forEach((c, i) => {
      const fmt = NUMBER_FORMATS[c.type ?? "text"];
      const col = ws.getColumn(i + 1);
      if (fmt && c.type !== "text") col.numFmt = fmt;
      if (c.type === "text" || c.type === undefined) col.alignment = { wrapText: false, vertical: "top" };
    });
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.alignment = { vertical: "middle" };
    header.eachCell((cell) => {
      cell.numFmt = "@";
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE3E3FD" } };
    });
    if (sheet.columns.length > 0) {
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: Math.max(1, sheet.rows.length + 1), column: sheet.columns.length } };
    }
  }
  const out = await workbook.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}

// ---------------------------------------------------------------------------------------------
// Reading

export type SpreadsheetValue = string | number | boolean | Date | null;

export interface SpreadsheetError {
  /** Spreadsheet row number (the header is row 1); 0 for a problem with the file itself. */
  row: number;
  /** Column letter (A, B, …, AA) when the problem is in one column. */
  column?: string;
  /** Header name of that column, when known. */
  header?: string;
  message: string;
}

/** "ligne 4, colonne F (« Statut ») : valeur inconnue" */
export function formatSpreadsheetError(e: SpreadsheetError): string {
  const where: string[] = [];
  if (e.row > 0) where.push(`ligne ${e.row}`);
  if (e.column) where.push(`colonne ${e.column}${e.header ? ` (« ${e.header} »)` : ""}`);
  else if (e.header) where.push(`colonne « ${e.header} »`);
  return where.length ? `${where.join(", ")} : ${e.message}` : e.message;
}

/** 1 → A, 27 → AA. */
export function columnLetter(index1: number): string {
  let n = index1;
  let s = "";
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export interface SpreadsheetColumnSpec {
  /** Canonical header, as written in the template. */
  name: string;
  required?: boolean;
  /** Other spellings accepted for this header. */
  aliases?: string[];
}

export interface SpreadsheetRow {
  /** Spreadsheet row number (header = 1). */
  line: number;
  /** Values by canonical header name (columns of the spec), or by header as written without a spec. */
  values: Record<string, SpreadsheetValue>;
  /** Column letter of each header name. */
  columns: Record<string, string>;
}

export interface SpreadsheetTable {
  header: string[];
  rows: SpreadsheetRow[];
  errors: SpreadsheetError[];
}

export type SpreadsheetKind = "xlsx" | "csv";

/** Guesses the kind from the file's first bytes (a ZIP is an XLSX) and name. */
export function spreadsheetKind(data: Uint8Array, filename = ""): SpreadsheetKind | null {
  if (data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04) return "xlsx";
  if (/\.xlsx$/i.test(filename)) return "xlsx";
  if (/\.(csv|txt)$/i.test(filename) || filename === "") {
    // CSV is text: no NUL byte in the first kilobytes.
    return data.subarray(0, 4096).includes(0) ? null : "csv";
  }
  return null;
}

/** Header comparison: case, accents, spaces and punctuation do not matter. */
export function normalizeHeader(h: string): string {
  return h
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[◆*]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9°]+/g, " ")
    .trim();
}

function decodeText(data: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    // Spreadsheets saved as "CSV (séparateur : point-virgule)" by French Excel are Windows-1252.
    return new TextDecoder("windows-1252").decode(data);
  }
}

function excelCellValue(v: ExcelJS.CellValue): SpreadsheetValue {
  if (v == null) return null;
  if (typeof v === "string") return v.trim() === "" ? null : v.trim();
  if (typeof v === "number" || typeof v === "boolean") return v;
  if (v instanceof Date) return v;
  if (typeof v === "object") {
    if ("richText" in v && Array.isArray(v.richText)) return excelCellValue(v.richText.map((t) => t.text).join(""));
    if ("formula" in v || "sharedFormula" in v) return excelCellValue((v as { result?: ExcelJS.CellValue }).result ?? null);
    if ("hyperlink" in v) return excelCellValue((v as { text?: ExcelJS.CellValue }).text ?? null);
    if ("error" in v) return null;
  }
  return String(v as unknown);
}

async function readRawRows(data: Uint8Array, kind: SpreadsheetKind, errors: SpreadsheetError[]): Promise<{ line: number; cells: SpreadsheetValue[] }[]> {
  if (kind === "csv") {
    const text = decodeText(data).replace(/^\uFEFF/, "");
    const firstLine = text.slice(0, text.search(/\r?\n|$/));
    const delimiter = [";", ",", "\t"].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ";");
    try {
      const records = parseCsv(text, { delimiter, relax_column_count: true, skip_empty_lines: false, info: true }) as unknown as { record: string[]; info: { lines: number } }[];
      return records.map(({ record, info }) => ({ line: info.lines, cells: record.map((c) => (c.trim() === "" ? null : c.trim())) }));
    } catch (e) {
      const line = (e as { lines?: number }).lines ?? 0;
      errors.push({ row: line, message: "le fichier CSV est mal formé (guillemet non fermé ou ligne coupée)" });
      return [];
    }
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ExcelJS.Buffer);
  } catch {
    errors.push({ row: 0, message: "le fichier n’est pas un classeur XLSX lisible" });
    return [];
  }
  const ws = workbook.worksheets.find((w) => w.state !== "hidden" && w.rowCount > 0) ?? workbook.worksheets[0];
  if (!ws) {
    errors.push({ row: 0, message: "le classeur ne contient aucune feuille" });
    return [];
  }
  const out: { line: number; cells: SpreadsheetValue[] }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: SpreadsheetValue[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = excelCellValue(cell.value);
    });
    for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
    out.push({ line: rowNumber, cells });
  });
  return out;
}

/**
 * Reads the first sheet of an XLSX file, or a CSV file (UTF-8 or Windows-1252, `;` `,` or tab),
 * into rows keyed by header. With `columns`, headers are matched to the spec (case and accents
 * ignored): an unknown or duplicated column, or a missing required one, is an error; values are
 * keyed by the canonical name. Empty rows are skipped. Errors never throw: they are returned.
 */
export async function readSpreadsheet(
  data: Uint8Array,
  options: { kind?: SpreadsheetKind; filename?: string; columns?: SpreadsheetColumnSpec[]; maxRows?: number } = {},
): Promise<SpreadsheetTable> {
  const errors: SpreadsheetError[] = [];
  const kind = options.kind ?? spreadsheetKind(data, options.filename);
  if (!kind) return { header: [], rows: [], errors: [{ row: 0, message: "le fichier doit être un classeur XLSX ou un fichier CSV" }] };
  const raw = (await readRawRows(data, kind, errors)).filter((r) => r.cells.some((c) => c != null && c !== ""));
  if (errors.length) return { header: [], rows: [], errors };
  const headerRow = raw.shift();
  if (!headerRow) return { header: [], rows: [], errors: [{ row: 0, message: "le fichier est vide" }] };
  const header = headerRow.cells.map((c) => (c == null ? "" : c instanceof Date ? c.toISOString() : String(c).trim()));
  const keyOf: (string | null)[] = header.map((h) => (h === "" ? null : h));
  if (options.columns) {
    const byNorm = new Map<string, SpreadsheetColumnSpec>();
    for (const spec of options.columns) for (const n of [spec.name, ...(spec.aliases ?? [])]) byNorm.set(normalizeHeader(n), spec);
    const seen = new Map<string, string>();
    header.forEach((h, i) => {
      if (h === "") {
        keyOf[i] = null;
        return;
      }
      const spec = byNorm.get(normalizeHeader(h));
      const letter = columnLetter(i + 1);
      if (!spec) {
        errors.push({ row: headerRow.line, column: letter, header: h, message: `colonne inconnue ; les colonnes attendues sont : ${options.columns!.map((c) => c.name).join(", ")}` });
        keyOf[i] = null;
      } else if (seen.has(spec.name)) {
        errors.push({ row: headerRow.line, column: letter, header: h, message: `la colonne « ${spec.name} » figure deux fois (déjà en colonne ${seen.get(spec.name)})` });
        keyOf[i] = null;
      } else {
        seen.set(spec.name, letter);
        keyOf[i] = spec.name;
      }
    });
    for (const spec of options.columns) {
      if (spec.required && !seen.has(spec.name)) errors.push({ row: headerRow.line, header: spec.name, message: "colonne obligatoire absente" });
    }
  }
  const columns: Record<string, string> = {};
  keyOf.forEach((k, i) => {
    if (k) columns[k] = columnLetter(i + 1);
  });
  if (options.maxRows && raw.length > options.maxRows) {
    errors.push({ row: 0, message: `le fichier compte ${raw.length} lignes ; ${options.maxRows} au plus sont acceptées` });
  }
  const rows: SpreadsheetRow[] = raw.map(({ line, cells }) => {
    const values: Record<string, SpreadsheetValue> = {};
    keyOf.forEach((k, i) => {
      if (k) values[k] = cells[i] ?? null;
    });
    cells.forEach((c, i) => {
      if (i >= header.length && c != null) errors.push({ row: line, column: columnLetter(i + 1), message: "valeur hors des colonnes de l’en-tête" });
    });
    return { line, values, columns };
  });
  return { header, rows, errors };
}

// ---------------------------------------------------------------------------------------------
// Cell parsing helpers (French conventions)

/** A cell as trimmed text, or null when empty. Numbers keep their French writing (no exponent). */
export function cellText(v: SpreadsheetValue): string | null {
  if (v == null) return null;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === "boolean") return v ? "oui" : "non";
  const s = String(v).trim();
  return s === "" ? null : s;
}

/** "1 234,50 €", "1234.5", 1234.5 → 1234.5; undefined when not a number. */
export function cellNumber(v: SpreadsheetValue): number | null | undefined {
  if (v == null) return null;
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v !== "string") return undefined;
  const s = v.replace(/[\s\u00a0\u202f€]/g, "").replace(/,(\d*)$/, ".$1");
  if (s === "") return null;
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : undefined;
}

/** A calendar date as YYYY-MM-DD from an Excel date, "31/12/2026" or "2026-12-31"; undefined when invalid. */
export function cellDate(v: SpreadsheetValue): string | null | undefined {
  if (v == null) return null;
  const valid = (y: number, m: number, d: number) => {
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1900 && y <= 2200
      ? `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`
      : undefined;
  };
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return undefined;
    // Excel dates are read as UTC midnight; a time part of 23:xx comes from a local-time shift.
    const shifted = new Date(v.getTime() + 12 * 3600 * 1000);
    return valid(shifted.getUTCFullYear(), shifted.getUTCMonth() + 1, shifted.getUTCDate());
  }
  if (typeof v === "number") {
    // An Excel serial number (days since 1899-12-30).
    if (v < 1 || v > 150000) return undefined;
    const d = new Date(Date.UTC(1899, 11, 30) + Math.round(v) * 86400000);
    return valid(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  const s = String(v).trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return valid(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(s);
  if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3]));
  return undefined;
}

/** oui/non, vrai/faux, x, 1/0 → boolean; undefined when unreadable. */
export function cellBoolean(v: SpreadsheetValue): boolean | null | undefined {
  if (v == null) return null;
  if (typeof v === "boolean") return v;
  if (typeof v === "number") return v === 1 ? true : v === 0 ? false : undefined;
  const s = normalizeHeader(String(v));
  if (["oui", "o", "vrai", "x", "1", "yes", "true"].includes(s)) return true;
  if (["non", "n", "faux", "0", "no", "false"].includes(s)) return false;
  return s === "" ? null : undefined;
}
