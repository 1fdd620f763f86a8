/**
 * PDF documents without a browser (pdfkit): an A4 report with the title and date in each page's
 * header, page numbers in the footer, headings, paragraphs, key-figure boxes, tables that break
 * across pages (header row repeated) and server-rendered SVG charts (svg-to-pdfkit).
 *
 * Text uses pdfkit's built-in Helvetica (WinAnsi encoding covers French: accents, « », ’, –, €),
 * so nothing depends on the fonts installed on the machine. Characters outside WinAnsi (narrow
 * no-break spaces from Intl, ◆, emoji…) are replaced by `pdfText`.
 */
import { createRequire } from "node:module";
import PDFDocument from "pdfkit";

type SvgToPdf = (doc: PDFKit.PDFDocument, svg: string, x: number, y: number, options?: Record<string, unknown>) => void;
const SVGtoPDF = createRequire(import.meta.url)("svg-to-pdfkit") as SvgToPdf;

// Characters of Windows-1252 above 0x7F that pdfkit's standard fonts can draw.
const WIN_ANSI_EXTRA = new Set(
  "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".split("").map((c) => c.charCodeAt(0)),
);
const REPLACEMENTS: Record<string, string> = {
  "\u202f": "\u00a0", // narrow no-break space (Intl fr-FR thousands, « ») → no-break space
  "\u2009": " ",
  "\u2007": "\u00a0",
  "\u2011": "-",
  "\u2212": "-",
  "◆": "(partenariat)",
  "✓": "oui",
  "→": "->",
  "≥": ">=",
  "≤": "<=",
  "\u2026": "…",
};

/** Text that pdfkit's standard (WinAnsi) fonts draw faithfully. */
export function pdfText(s: string): string {
  let out = "";
  for (const ch of s.normalize("NFC")) {
    const code = ch.codePointAt(0)!;
    if (code === 0x0a || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(code)) out += ch;
    else if (REPLACEMENTS[ch] !== undefined) out += REPLACEMENTS[ch];
    else if (code === 0x09) out += " ";
    else if (code < 0x20) continue;
    else {
      // Try the letter without its accent, else a question mark.
      const base = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      out += base.length === 1 && base.charCodeAt(0) < 0x7f ? base : "?";
    }
  }
  return out;
}

/** SVG text nodes made drawable by the standard fonts (entities kept). */
function pdfTextInSvg(svg: string): string {
  return svg.replace(/>([^<>]+)</g, (_w, text: string) => `>${pdfText(text)}<`);
}

export const PDF_COLORS = {
  text: "#161616",
  muted: "#666666",
  accent: "#000091",
  border: "#dddddd",
  headerFill: "#e3e3fd",
  boxFill: "#f6f6f6",
  danger: "#ce0500",
};

export interface PdfReportOptions {
  title: string;
  /** Second line of the page header (e.g. the territory). */
  subtitle?: string;
  /** The date the document states ("Bilan au 27 novembre 2026"). */
  date: Date;
  /** Shown in every footer, e.g. "Document de suivi – diffusion restreinte". */
  footerNote?: string;
  author?: string;
}

export interface PdfTableColumn {
  header: string;
  /** Relative width (the columns share the page width in proportion). */
  width?: number;
  align?: "left" | "right" | "center";
}

export type PdfCell = string | number | null | undefined;

export interface PdfReport {
  doc: PDFKit.PDFDocument;
  /** Left edge and usable width of the page. */
  readonly left: number;
  readonly width: number;
  heading(text: string, level?: 1 | 2 | 3): void;
  paragraph(text: string, options?: { muted?: boolean; bold?: boolean; size?: number }): void;
  /** Label: value lines. */
  definitions(items: [string, string][]): void;
  keyFigures(items: { label: string; value: string }[]): void;
  table(columns: PdfTableColumn[], rows: PdfCell[][], options?: { caption?: string; empty?: string }): void;
  /** Draws a server-rendered SVG scaled to the page width (height kept in proportion). */
  svg(svg: string, options?: { width?: number; height?: number; classAttributes?: SvgClassAttributes }): void;
  /** A legend of chart series: a swatch of each series' colour (charts.tsx order) and its label. */
  legend(labels: string[]): void;
  /** Starts a new page unless the current one is still empty. */
  newPage(): void;
  /** Moves to a new page when less than `height` points remain. */
  ensureSpace(height: number): void;
  /** Ends the document: draws headers and footers (page X / N) and resolves with the bytes. */
  finish(): Promise<Buffer>;
}

const MARGIN = 50;
const HEADER_SPACE = 70;
const FOOTER_SPACE = 50;

function formatLongDate(d: Date): string {
  return new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Paris" }).format(d);
}

/** SVG attributes by CSS class (several classes separated by spaces must all be present). */
export type SvgClassAttributes = Record<string, Record<string, string>>;

/** Colours of the chart series (charts.tsx classes chart-s0 … chart-s5). */
export const CHART_SERIES_COLORS = ["#2f7d5b", "#a86b00", "#5a6fb0", "#a3466b", "#5f6b73", "#7a4b2a"];
const G = CHART_SERIES_COLORS;
/**
 * The look of `src/core/ui/charts.tsx` charts (public/css/modules/observatory.css) as SVG
 * attributes, since svg-to-pdfkit reads attributes, not style sheets.
 */
export const CHART_PDF_ATTRIBUTES: SvgClassAttributes = {
  "chart-label": { "font-size": "12", fill: "#1b1b1b" },
  "chart-value": { "font-size": "12", fill: "#1b1b1b" },
  "chart-tick-label": { "font-size": "11", fill: "#4a4a4a" },
  "chart-grid": { stroke: "#e1e6de", "stroke-width": "1" },
  "chart-axis": { stroke: "#1b1b1b", "stroke-width": "1" },
  "chart-bar": { stroke: "#1b1b1b", "stroke-width": "0.6" },
  ...Object.fromEntries(G.map((c, i) => [`chart-s${i}`, { fill: c, stroke: "none" }])),
  ...Object.fromEntries(G.map((c, i) => [`chart-line chart-line-${i}`, { fill: "none", stroke: c, "stroke-width": "2.2" }])),
  ...Object.fromEntries(G.map((c, i) => [`chart-marker chart-s${i}`, { fill: c, stroke: c, "stroke-width": "1" }])),
  "chart-line chart-line-1": { fill: "none", stroke: G[1]!, "stroke-width": "2.2", "stroke-dasharray": "7 4" },
  "chart-line chart-line-2": { fill: "none", stroke: G[2]!, "stroke-width": "2.2", "stroke-dasharray": "2 3" },
  "chart-line chart-line-3": { fill: "none", stroke: G[3]!, "stroke-width": "2.2", "stroke-dasharray": "12 4" },
  "chart-motif-line": { stroke: "#ffffff", "stroke-width": "1.6", fill: "none" },
  "chart-motif-thin": { "stroke-width": "1" },
  "chart-motif-dot": { fill: "#ffffff" },
  "chart-progress-track": { fill: "#eef1ec" },
  "chart-progress-fill": { fill: "#1f4e3d" },
};

/**
 * Gives each element the attributes of its classes (later keys win), for SVG styled by CSS
 * classes: svg-to-pdfkit reads attributes only. Attributes already on the element are replaced.
 */
export function svgWithClassAttributes(svg: string, map: SvgClassAttributes): string {
  const entries = Object.entries(map).map(([k, v]) => [k.split(/\s+/).filter(Boolean), v] as const);
  return svg.replace(/<([a-zA-Z]+)(\s[^<>]*?)?(\/?)>/g, (whole, tag: string, attrs: string | undefined, close: string) => {
    if (!attrs) return whole;
    const m = /\sclass="([^"]*)"/.exec(attrs);
    if (!m) return whole;
    const classes = new Set(m[1]!.split(/\s+/));
    const add: Record<string, string> = {};
    for (const [keys, values] of entries) if (keys.every((k) => classes.has(k))) Object.assign(add, values);
    if (!Object.keys(add).length) return whole;
    let out = attrs;
    for (const [name, value] of Object.entries(add)) {
      const re = new RegExp(`\\s${name}="[^"]*"`);
      // A fill that points to a pattern (the series motifs) stays.
      if (name === "fill" && /\sfill="url\(/.test(out)) continue;
      out = out.replace(re, "") + ` ${name}="${value}"`;
    }
    return `<${tag}${out}${close}>`;
  });
}

/** Shorthand: only fills by class. */
export function svgWithFills(svg: string, classFills: Record<string, string>): string {
  return svgWithClassAttributes(svg, Object.fromEntries(Object.entries(classFills).map(([k, v]) => [k, { fill: v }])));
}

/** The chart's `<svg class="chart-svg">` out of a rendered chart figure (legend swatches left aside). */
export function chartSvg(html: string): string | null {
  const m = /<svg[^>]*class="chart-svg[^"]*"[\s\S]*?<\/svg>/.exec(html);
  if (!m) return null;
  const svg = m[0].includes("xmlns=") ? m[0] : m[0].replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"');
  // Titles of bars are tooltips: nothing to draw on paper.
  return svg.replace(/<title[^>]*>[\s\S]*?<\/title>/g, "").replace(/<desc[^>]*>[\s\S]*?<\/desc>/g, "");
}

export function createPdfReport(options: PdfReportOptions): PdfReport {
  const doc = new PDFDocument({
    size: "A4",
    bufferPages: true,
    margins: { top: MARGIN + HEADER_SPACE - 30, bottom: MARGIN + FOOTER_SPACE - 20, left: MARGIN, right: MARGIN },
    info: {
      Title: pdfText(options.title),
      Author: pdfText(options.author ?? "Collines"),
      ...(options.subtitle ? { Subject: pdfText(options.subtitle) } : {}),
      CreationDate: options.date,
    },
    lang: "fr-FR",
    displayTitle: true,
    pdfVersion: "1.7",
  } as PDFKit.PDFDocumentOptions);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  doc.font("Helvetica").fontSize(10).fillColor(PDF_COLORS.text);
  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  let pageHasContent = false;
  doc.on("pageAdded", () => {
    pageHasContent = false;
    doc.font("Helvetica").fontSize(10).fillColor(PDF_COLORS.text);
  });

  const ensureSpace = (h: number) => {
    if (doc.y + h > bottom() && pageHasContent) doc.addPage();
  };

  const report: PdfReport = {
    doc,
    left,
    width,
    heading(text, level = 1) {
      const size = level === 1 ? 18 : level === 2 ? 14 : 11.5;
      ensureSpace(size * 3 + 30);
      if (pageHasContent) doc.moveDown(level === 1 ? 0.8 : 0.6);
      doc.font("Helvetica-Bold").fontSize(size).fillColor(level === 1 ? PDF_COLORS.accent : PDF_COLORS.text);
      doc.text(pdfText(text), left, doc.y, { width });
      doc.moveDown(0.3);
      doc.font("Helvetica").fontSize(10).fillColor(PDF_COLORS.text);
      pageHasContent = true;
    },
    paragraph(text, o = {}) {
      doc.font(o.bold ? "Helvetica-Bold" : "Helvetica").fontSize(o.size ?? 10).fillColor(o.muted ? PDF_COLORS.muted : PDF_COLORS.text);
      const t = pdfText(text);
      ensureSpace(Math.min(doc.heightOfString(t, { width }), 60));
      doc.text(t, left, doc.y, { width });
      doc.moveDown(0.4);
      doc.font("Helvetica").fontSize(10).fillColor(PDF_COLORS.text);
      pageHasContent = true;
    },
    definitions(items) {
      const labelWidth = Math.min(160, width * 0.35);
      for (const [label, value] of items) {
        const l = pdfText(label);
        const v = pdfText(value);
        doc.font("Helvetica").fontSize(10);
        const h = Math.max(doc.heightOfString(v, { width: width - labelWidth }), 12);
        ensureSpace(h + 4);
        const y = doc.y;
        doc.font("Helvetica-Bold").fillColor(PDF_COLORS.muted).text(l, left, y, { width: labelWidth - 8 });
        doc.font("Helvetica").fillColor(PDF_COLORS.text).text(v, left + labelWidth, y, { width: width - labelWidth });
        doc.y = Math.max(doc.y, y + h) + 3;
      }
      doc.x = left;
      doc.moveDown(0.3);
      pageHasContent = true;
    },
    keyFigures(items) {
      if (!items.length) return;
      const perRow = Math.min(4, items.length);
      const gap = 10;
      const boxW = (width - gap * (perRow - 1)) / perRow;
      const boxH = 58;
      for (let i = 0; i < items.length; i += perRow) {
        ensureSpace(boxH + gap);
        const y = doc.y;
        items.slice(i, i + perRow).forEach((item, j) => {
          const x = left + j * (boxW + gap);
          doc.save().rect(x, y, boxW, boxH).fillAndStroke(PDF_COLORS.boxFill, PDF_COLORS.border).restore();
          doc.font("Helvetica-Bold").fontSize(16).fillColor(PDF_COLORS.accent).text(pdfText(item.value), x + 8, y + 8, { width: boxW - 16, lineBreak: false, ellipsis: true });
          doc.font("Helvetica").fontSize(8.5).fillColor(PDF_COLORS.text).text(pdfText(item.label), x + 8, y + 30, { width: boxW - 16, height: boxH - 32, ellipsis: true });
        });
        doc.x = left;
        doc.y = y + boxH + gap;
      }
      doc.font("Helvetica").fontSize(10).fillColor(PDF_COLORS.text);
      pageHasContent = true;
    },
    table(columns, rows, o = {}) {
      const total = columns.reduce((s, c) => s + (c.width ?? 1), 0);
      const widths = columns.map((c) => ((c.width ?? 1) / total) * width);
      const pad = 4;
      const fontSize = 8.5;
      const cellText = (v: PdfCell) => pdfText(v == null ? "" : String(v));
      const rowHeight = (cells: string[], bold: boolean) => {
        doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(fontSize);
        return Math.max(...cells.map((c, i) => doc.heightOfString(c || " ", { width: widths[i]! - 2 * pad }))) + 2 * pad;
      };
      const drawRow = (cells: string[], bold: boolean, fill?: string) => {
        const h = rowHeight(cells, bold);
        const y = doc.y;
        let x = left;
        if (fill) doc.save().rect(left, y, width, h).fill(fill).restore();
        doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(fontSize).fillColor(PDF_COLORS.text);
        cells.forEach((c, i) => {
          doc.text(c, x + pad, y + pad, { width: widths[i]! - 2 * pad, align: columns[i]!.align ?? "left" });
          x += widths[i]!;
        });
        doc.save().moveTo(left, y + h).lineTo(left + width, y + h).lineWidth(0.5).strokeColor(PDF_COLORS.border).stroke().restore();
        doc.x = left;
        doc.y = y + h;
      };
      const headerCells = columns.map((c) => pdfText(c.header));
      if (o.caption) {
        ensureSpace(rowHeight(headerCells, true) + 40);
        doc.font("Helvetica-Bold").fontSize(9.5).fillColor(PDF_COLORS.text).text(pdfText(o.caption), left, doc.y, { width });
        doc.moveDown(0.2);
      }
      const headerH = rowHeight(headerCells, true);
      const firstH = rows.length ? rowHeight(rows[0]!.map(cellText), false) : 20;
      ensureSpace(headerH + firstH);
      drawRow(headerCells, true, PDF_COLORS.headerFill);
      pageHasContent = true;
      if (!rows.length) {
        doc.font("Helvetica-Oblique").fontSize(fontSize).fillColor(PDF_COLORS.muted).text(pdfText(o.empty ?? "Aucune donnée."), left + pad, doc.y + pad, { width });
        doc.font("Helvetica").fontSize(10).fillColor(PDF_COLORS.text);
      }
      for (const row of rows) {
        const cells = row.map(cellText);
        const h = rowHeight(cells, false);
        if (doc.y + h > bottom()) {
          doc.addPage();
          drawRow(headerCells, true, PDF_COLORS.headerFill);
          pageHasContent = true;
        }
        drawRow(cells, false);
      }
      doc.x = left;
      doc.moveDown(0.8);
      doc.font("Helvetica").fontSize(10).fillColor(PDF_COLORS.text);
    },
    svg(svg, o = {}) {
      const vb = /viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"/.exec(svg);
      const vbW = vb ? Number(vb[1]) : Number(/\swidth="([\d.]+)"/.exec(svg)?.[1] ?? 600);
      const vbH = vb ? Number(vb[2]) : Number(/\sheight="([\d.]+)"/.exec(svg)?.[1] ?? 300);
      const w = Math.min(o.width ?? width, width);
      const h = o.height ?? (w * vbH) / vbW;
      ensureSpace(h + 10);
      const y = doc.y;
      const source = svgWithClassAttributes(svg, o.classAttributes ?? CHART_PDF_ATTRIBUTES);
      SVGtoPDF(doc, pdfTextInSvg(source), left, y, {
        width: w,
        height: h,
        assumePt: true,
        // The SVG's fonts become Helvetica; its text goes through pdfText too.
        fontCallback: (_family: string, bold: boolean, italic: boolean) =>
          bold && italic ? "Helvetica-BoldOblique" : bold ? "Helvetica-Bold" : italic ? "Helvetica-Oblique" : "Helvetica",
        warningCallback: () => undefined,
      });
      doc.font("Helvetica").fontSize(10).fillColor(PDF_COLORS.text);
      doc.x = left;
      doc.y = y + h + 10;
      pageHasContent = true;
    },
    legend(labels) {
      if (labels.length < 2) return;
      doc.font("Helvetica").fontSize(8.5).fillColor(PDF_COLORS.text);
      let x = left;
      ensureSpace(16);
      let y = doc.y;
      for (const [i, label] of labels.entries()) {
        const t = pdfText(label);
        const w = 14 + doc.widthOfString(t) + 14;
        if (x + w > left + width) {
          x = left;
          y += 14;
        }
        doc.save().rect(x, y, 10, 10).fillAndStroke(CHART_SERIES_COLORS[i % CHART_SERIES_COLORS.length]!, PDF_COLORS.text).restore();
        doc.fillColor(PDF_COLORS.text).text(t, x + 14, y + 1, { lineBreak: false });
        x += w;
      }
      doc.x = left;
      doc.y = y + 16;
      pageHasContent = true;
    },
    newPage() {
      if (pageHasContent) doc.addPage();
    },
    ensureSpace,
    async finish() {
      const range = doc.bufferedPageRange();
      const dateText = pdfText(formatLongDate(options.date));
      for (let i = range.start; i < range.start + range.count; i++) {
        doc.switchToPage(i);
        const saved = doc.page.margins;
        doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
        doc.font("Helvetica-Bold").fontSize(9).fillColor(PDF_COLORS.accent);
        doc.text(pdfText(options.title), MARGIN, 28, { width: width * 0.7, lineBreak: false, ellipsis: true });
        doc.font("Helvetica").fontSize(9).fillColor(PDF_COLORS.muted);
        doc.text(dateText, MARGIN + width * 0.7, 28, { width: width * 0.3, align: "right", lineBreak: false });
        if (options.subtitle) doc.text(pdfText(options.subtitle), MARGIN, 41, { width, lineBreak: false, ellipsis: true });
        doc.save().moveTo(MARGIN, 56).lineTo(MARGIN + width, 56).lineWidth(0.5).strokeColor(PDF_COLORS.border).stroke().restore();
        const footY = doc.page.height - MARGIN + 10;
        doc.save().moveTo(MARGIN, footY - 6).lineTo(MARGIN + width, footY - 6).lineWidth(0.5).strokeColor(PDF_COLORS.border).stroke().restore();
        doc.font("Helvetica").fontSize(8).fillColor(PDF_COLORS.muted);
        if (options.footerNote) doc.text(pdfText(options.footerNote), MARGIN, footY, { width: width * 0.75, lineBreak: false, ellipsis: true });
        doc.text(`Page ${i - range.start + 1} / ${range.count}`, MARGIN + width * 0.75, footY, { width: width * 0.25, align: "right", lineBreak: false });
        doc.page.margins = saved;
      }
      doc.end();
      return ended;
    },
  };
  return report;
}
