import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { chartSvg, createPdfReport } from "../../core/formats/pdf.ts";
import { formatDate } from "../../core/i18n/format.ts";
import { BarChart, LineChart } from "../../core/ui/charts.tsx";
import { periodLabel } from "./model.ts";
import { cellNote, formatCell, keyFigureText, type Overview } from "./overview.ts";

// The printable « diagnostic dynamique » of a territory at a date, made with pdfkit through
// core/formats/pdf.ts (no browser): key figures, the comparison table, each chart with its table.

export async function diagnosticPdf(o: Overview, territory: { name: string }, at: string | undefined, generatedAt = new Date()): Promise<Buffer> {
  const r = createPdfReport({
    title: `Diagnostic dynamique – ${territory.name}`,
    subtitle: at ? `Données disponibles au ${formatDate(at)}` : "Dernières données disponibles",
    date: generatedAt,
    footerNote: `Observatoire – ${territory.name}`,
  });
  r.heading("Diagnostic dynamique du territoire");
  r.paragraph(
    `${territory.name} : ${o.geography.communes.length} communes, ${o.geography.epcis.length} intercommunalités (${o.geography.epcis.map((e) => e.name).join(", ")}). Comparaison avec ${o.geography.comparisons
      .slice(1)
      .map((g) => g.name)
      .join(", ")}.`,
  );
  if (o.keyFigures.length) {
    r.heading("Chiffres clés", 2);
    r.keyFigures(o.keyFigures.map((k) => ({ label: `${k.label} (${k.period})${k.change ? ` – ${k.change}` : ""}`, value: keyFigureText(k) })));
  } else r.paragraph("Aucune donnée n’a encore été importée pour ce territoire.", { muted: true });
  if (o.comparison.length) {
    r.heading("Le territoire comparé", 2);
    r.table(
      [{ header: "Indicateur", width: 4 }, { header: "Période", width: 1.4 }, ...o.geography.comparisons.map((g) => ({ header: g.name, width: 1.6, align: "right" as const }))],
      o.comparison.map((c) => [c.indicator.name, periodLabel(c.period, c.indicator.periodicity), ...c.cells.map((x) => `${formatCell(x, c.indicator)}${cellNote(x) ? ` (${cellNote(x)})` : ""}`)]),
    );
  }
  for (const c of o.charts) {
    r.ensureSpace(260);
    r.heading(c.data.title, 3);
    const html = c.kind === "line" ? renderToString(h(LineChart, { ...c.data, fromZero: c.fromZero })) : renderToString(h(BarChart, { ...c.data, orientation: c.orientation, stacked: c.stacked }));
    const svg = chartSvg(html);
    if (c.data.series.length > 1) r.legend(c.data.series.map((s) => s.label));
    if (svg) r.svg(svg);
    r.table(
      [{ header: c.data.categoryLabel ?? "Catégorie", width: 3 }, ...c.data.series.map((s) => ({ header: `${s.label}${c.data.unit ? ` (${c.data.unit})` : ""}`, width: 2, align: "right" as const }))],
      c.data.categories.map((cat, i) => [cat, ...c.data.series.map((s) => (s.values[i] == null ? (s.notes?.[i] ?? "—") : s.values[i]!.toLocaleString("fr-FR", { maximumFractionDigits: c.data.decimals ?? 0 })))]),
    );
    if (c.data.source) r.paragraph(c.data.source, { muted: true, size: 8 });
  }
  r.heading("Sources", 2);
  for (const s of o.sources) r.paragraph(s, { size: 9 });
  r.paragraph("Les sommes qui comprennent une valeur soumise au secret statistique sont elles-mêmes secrètes ; les taux sont recalculés à chaque niveau à partir de leurs numérateurs et dénominateurs.", { muted: true, size: 8 });
  return r.finish();
}
