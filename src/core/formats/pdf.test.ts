import { describe, expect, it } from "vitest";
import { pdfPages } from "../../../test/helpers/pdf-text.ts";
import { CHART_PDF_ATTRIBUTES, createPdfReport, pdfText, svgWithClassAttributes, svgWithFills } from "./pdf.ts";

describe("pdf", () => {
  it("keeps French text drawable by the standard fonts", () => {
    expect(pdfText("Élément « ça » – 1\u202f234\u00a0€ ◆ l’été")).toBe("Élément « ça » – 1\u00a0234\u00a0€ (partenariat) l’été");
    expect(pdfText("ȘTEFAN ŁÓDŹ 🙂")).toBe("STEFAN ?ÓDZ ?");
  });

  it("colours classed SVG elements for svg-to-pdfkit", () => {
    expect(svgWithFills('<svg><rect class="bar s-1" fill="#000" x="1"/><text class="x">a</text></svg>', { "bar s-1": "#123456" })).toBe(
      '<svg><rect class="bar s-1" x="1" fill="#123456"/><text class="x">a</text></svg>',
    );
    expect(svgWithClassAttributes('<rect class="chart-bar" fill="url(#c-m0)"/>', CHART_PDF_ATTRIBUTES)).toBe('<rect class="chart-bar" fill="url(#c-m0)" stroke="#1b1b1b" stroke-width="0.6"/>');
  });

  it("writes an A4 report with headers, page numbers, figures, a long table and a chart", async () => {
    const r = createPdfReport({ title: "Bilan d’avancement", subtitle: "Collines de Normandie", date: new Date("2026-11-27T10:00:00Z"), footerNote: "Document de suivi – diffusion restreinte" });
    r.heading("Synthèse");
    r.keyFigures([{ label: "actions", value: "19" }, { label: "accordé", value: "1\u202f250\u00a0€" }]);
    r.paragraph("Les élus et les industriels ont décidé d’aller plus loin.");
    r.svg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><rect class="bar" x="0" y="0" width="100" height="50"/><text x="10" y="80">Thème</text></svg>', { classAttributes: { bar: { fill: "#000091" } } });
    r.legend(["À venir", "En cours"]);
    r.table([{ header: "N°" }, { header: "Action", width: 4 }, { header: "Montant", align: "right" }], Array.from({ length: 80 }, (_, i) => [String(i + 1), `Action numéro ${i + 1} à réaliser`, "10\u00a0€"]), { caption: "Actions" });
    r.newPage();
    r.definitions([["Statut", "En cours"]]);
    const pdf = await r.finish();
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const pages = await pdfPages(pdf);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages[0]).toContain("Bilan d’avancement");
    expect(pages[0]).toContain("27 novembre 2026");
    expect(pages[0]).toContain("Synthèse");
    expect(pages[0]).toContain("Les élus et les industriels ont décidé d’aller plus loin.");
    expect(pages[0]).toContain(`Page 1 / ${pages.length}`);
    expect(pages.at(-1)).toContain("Document de suivi – diffusion restreinte");
    // The table's header row is repeated on the next page.
    expect(pages[1]).toContain("Montant");
    expect(pages.join(" ")).toContain("Action numéro 80 à réaliser");
  });
});
