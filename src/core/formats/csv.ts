/**
 * CSV as French spreadsheet users expect it: UTF-8 with a BOM, `;` separator, CRLF line ends.
 * Cells that a spreadsheet would read as a formula are prefixed with an apostrophe.
 */
export function toCsv(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  const cell = (v: string | number | boolean | null | undefined) => {
    if (v == null) return "";
    let s = typeof v === "boolean" ? (v ? "oui" : "non") : String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(";")).join("\r\n")}\r\n`;
}
