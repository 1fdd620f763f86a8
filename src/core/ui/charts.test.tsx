import { describe, expect, it } from "vitest";
import { render } from "preact-render-to-string";
import { BarChart, chartCsv, LineChart, niceTicks, ProgressBar, type ChartData } from "./charts.tsx";

const data: ChartData = {
  id: "emploi",
  title: "Emplois salariés privés",
  categories: ["2019", "2020", "2021"],
  series: [
    { label: "Industrie", values: [4200, 4100, null], notes: [null, "provisoire", "secret statistique"] },
    { label: "Autres secteurs", values: [9000, 9100.5, 9300] },
  ],
  unit: "emplois",
  source: "Source : Urssaf",
  csvHref: "/x.csv",
  categoryLabel: "Année",
};

describe("charts", () => {
  it("draws round ticks covering the data", () => {
    expect(niceTicks(0, 97, 5)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 0)).toEqual([0, 1]);
    const t = niceTicks(-3.2, 12.7, 4);
    expect(t[0]).toBeLessThanOrEqual(-3.2);
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(12.7);
  });

  it("renders accessible SVG without inline styles, with its table, source and CSV link", () => {
    for (const html of [
      render(<BarChart {...data} />),
      render(<BarChart {...data} orientation="vertical" stacked />),
      render(<LineChart {...data} fromZero={false} />),
    ]) {
      expect(html).not.toMatch(/style=/);
      expect(html).toContain('role="img"');
      expect(html).toContain('aria-labelledby="emploi-titre emploi-desc"');
      expect(html).toContain("<title id=\"emploi-titre\">Emplois salariés privés</title>");
      // The second series is told apart by a motif: a hatched pattern for bars, dashes for lines.
      expect(html).toContain(html.includes("chart-lines") ? "chart-line chart-line-1" : 'fill="url(#emploi-m1)"');
      expect(html).toContain("<table");
      expect(html).toContain("secret statistique");
      expect(html).toContain('4\u202f100<span class="chart-note"> (provisoire)</span>');
      expect(html).toContain('href="/x.csv"');
      expect(html).toContain("Source : Urssaf");
    }
  });

  it("writes the table as CSV with the unit in the headers", () => {
    const csv = chartCsv(data);
    expect(csv).toBe("\uFEFFAnnée;Industrie (emplois);Autres secteurs (emplois)\r\n2019;4200;9000\r\n2020;4100;9100.5\r\n2021;secret statistique;9300\r\n");
  });

  it("names a progress bar with its figure", () => {
    const html = render(<ProgressBar label="Avancement" value={40} unit="%" />);
    expect(html).toContain('aria-label="Avancement : 40 %"');
    expect(html).toContain('width="80.0"');
    expect(render(<ProgressBar label="Cible" value={150} max={100} unit="emplois" />)).toContain('width="200.0"');
  });
});
