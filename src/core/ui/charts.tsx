import type { ComponentChildren } from "preact";
import { toCsv } from "../formats/csv.ts";

// Server-rendered SVG charts fit for a CSP without inline styles: colours come from CSS classes
// (`chart-s0` … `chart-s5`, in public/css/modules/observatory.css, served inside app.css), series
// differ by a motif as well (hatches, dots, grid for bars; dashes and marker shapes for lines), so
// nothing is told by colour alone (WCAG 1.4.1). Motifs are SVG patterns whose ids are prefixed by
// the chart's id, referenced through the `fill` presentation attribute (not a style). Every chart
// is an `<svg role="img">` named by its title and description, followed by its data table, its
// source line and a CSV link.

/** One series of a chart: one value per category (null = unknown or secret). */
export interface ChartSeries {
  label: string;
  values: (number | null)[];
  /** A note per value shown in the data table (e.g. "provisoire", "secret statistique"). */
  notes?: (string | null | undefined)[];
}

export interface ChartData {
  /** Unique on the page (prefix of the SVG ids): letters, digits and dashes. */
  id: string;
  title: string;
  /** A sentence telling what the chart shows; the main finding if there is one. */
  description?: string;
  /** Category labels: periods of a time series, communes, sectors… */
  categories: string[];
  series: ChartSeries[];
  /** Unit shown in the data table header and the axis, e.g. "habitants", "%". */
  unit?: string;
  decimals?: number;
  /** e.g. "Source : Insee, recensement de la population 2021". */
  source?: string;
  /** Address of the same data as CSV (build it with `chartCsv`). */
  csvHref?: string;
  /** Header of the category column of the data table (default "Catégorie"). */
  categoryLabel?: string;
}

/** How many series a chart can tell apart by colour and motif. */
export const CHART_SERIES_MAX = 6;

/** The motif of each series, in words, for descriptions and legends' accessible text. */
export const SERIES_MOTIFS = ["aplat vert", "hachures orange", "points bleus", "quadrillage rose", "rayures grises", "aplat brun"] as const;
const LINE_MOTIFS = ["trait plein, ronds", "tirets, carrés", "pointillés, triangles", "tirets longs, losanges", "trait mixte, croix", "trait fin, ronds creux"] as const;

function makeFormatter(decimals: number | undefined) {
  const f = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: decimals ?? 0, maximumFractionDigits: decimals ?? 0 });
  return (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? "—" : f.format(n));
}

const compact = new Intl.NumberFormat("fr-FR", { notation: "compact", maximumFractionDigits: 1 });
const plain = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });
function tickLabel(n: number): string {
  return Math.abs(n) >= 10_000 ? compact.format(n) : plain.format(n);
}

/** Round tick values covering [min, max] (about `count` of them), 1-2-5 steps. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    if (min === 0) return [0, 1];
    const pad = Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  const step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 2.5 ? 2.5 : norm <= 5 ? 5 : 10) * mag;
  const start = Math.floor(min / step) * step;
  const end = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = start; v <= end + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** The CSV of a chart's data table (categories in rows, series in columns). */
export function chartCsv(chart: Pick<ChartData, "categories" | "series" | "categoryLabel" | "unit">): string {
  const header = [chart.categoryLabel ?? "Catégorie", ...chart.series.map((s) => (chart.unit ? `${s.label} (${chart.unit})` : s.label))];
  const rows = chart.categories.map((c, i) => [c, ...chart.series.map((s) => s.values[i] ?? s.notes?.[i] ?? "")]);
  return toCsv(header, rows);
}

/** Patterns of the series motifs, ids prefixed by the chart id. */
function Motifs({ id }: { id: string }) {
  return (
    <defs>
      <pattern id={`${id}-m0`} width="8" height="8" patternUnits="userSpaceOnUse">
        <rect width="8" height="8" class="chart-s0" />
      </pattern>
      <pattern id={`${id}-m1`} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
        <rect width="8" height="8" class="chart-s1" />
        <line x1="4" y1="0" x2="4" y2="8" class="chart-motif-line" />
      </pattern>
      <pattern id={`${id}-m2`} width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" class="chart-s2" />
        <circle cx="3" cy="3" r="1.2" class="chart-motif-dot" />
      </pattern>
      <pattern id={`${id}-m3`} width="7" height="7" patternUnits="userSpaceOnUse">
        <rect width="7" height="7" class="chart-s3" />
        <path d="M0 0.5H7M0.5 0V7" class="chart-motif-line" />
      </pattern>
      <pattern id={`${id}-m4`} width="8" height="8" patternUnits="userSpaceOnUse">
        <rect width="8" height="8" class="chart-s4" />
        <line x1="0" y1="4" x2="8" y2="4" class="chart-motif-line" />
      </pattern>
      <pattern id={`${id}-m5`} width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">
        <rect width="8" height="8" class="chart-s5" />
        <line x1="4" y1="0" x2="4" y2="8" class="chart-motif-line chart-motif-thin" />
      </pattern>
    </defs>
  );
}

const fillOf = (id: string, i: number) => `url(#${id}-m${i % CHART_SERIES_MAX})`;

/** A small marker shape for line series (non-colour distinction). */
function Marker({ i, x, y, children }: { i: number; x: number; y: number; children?: ComponentChildren }) {
  const cls = `chart-marker chart-s${i % CHART_SERIES_MAX}`;
  switch (i % CHART_SERIES_MAX) {
    case 1:
      return (
        <rect x={x - 3.5} y={y - 3.5} width="7" height="7" class={cls}>
          {children}
        </rect>
      );
    case 2:
      return (
        <path d={`M${x} ${y - 4.5}L${x + 4.5} ${y + 3.5}L${x - 4.5} ${y + 3.5}Z`} class={cls}>
          {children}
        </path>
      );
    case 3:
      return (
        <path d={`M${x} ${y - 5}L${x + 5} ${y}L${x} ${y + 5}L${x - 5} ${y}Z`} class={cls}>
          {children}
        </path>
      );
    case 4:
      return (
        <path d={`M${x - 4} ${y - 4}L${x + 4} ${y + 4}M${x + 4} ${y - 4}L${x - 4} ${y + 4}`} class={`${cls} chart-marker-cross`}>
          {children}
        </path>
      );
    case 5:
      return (
        <circle cx={x} cy={y} r="3.5" class={`${cls} chart-marker-hollow`}>
          {children}
        </circle>
      );
    default:
      return (
        <circle cx={x} cy={y} r="3.5" class={cls}>
          {children}
        </circle>
      );
  }
}

/** The legend: one item per series, a swatch drawn with the same motif as the chart. */
function Legend({ chart, kind }: { chart: ChartData; kind: "bar" | "line" }) {
  if (chart.series.length < 2) return null;
  return (
    <ul class="chart-legend">
      {chart.series.map((s, i) => (
        <li>
          <svg class="chart-swatch" viewBox="0 0 28 14" width="28" height="14" aria-hidden="true" focusable="false">
            {kind === "bar" ? (
              <rect x="1" y="1" width="26" height="12" fill={fillOf(chart.id, i)} class="chart-bar" />
            ) : (
              <>
                <line x1="1" y1="7" x2="27" y2="7" class={`chart-line chart-line-${i % CHART_SERIES_MAX}`} />
                <Marker i={i} x={14} y={7} />
              </>
            )}
          </svg>
          {s.label}
          <span class="visually-hidden"> ({kind === "bar" ? SERIES_MOTIFS[i % CHART_SERIES_MAX] : LINE_MOTIFS[i % CHART_SERIES_MAX]})</span>
        </li>
      ))}
    </ul>
  );
}

/** The data table of a chart: categories in rows, series in columns, notes beside values. */
export function ChartTable({ chart, open }: { chart: ChartData; open?: boolean }) {
  const fmt = makeFormatter(chart.decimals);
  return (
    <details class="chart-data" open={open}>
      <summary>
        Données du graphique<span class="visually-hidden"> « {chart.title} »</span>
      </summary>
      <div class="table-scroll">
        <table class="table">
          <caption class="visually-hidden">{chart.title}</caption>
          <thead>
            <tr>
              <th scope="col">{chart.categoryLabel ?? "Catégorie"}</th>
              {chart.series.map((s) => (
                <th scope="col" class="num">
                  {s.label}
                  {chart.unit ? ` (${chart.unit})` : ""}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {chart.categories.map((c, i) => (
              <tr>
                <th scope="row">{c}</th>
                {chart.series.map((s) => {
                  const note = s.notes?.[i];
                  return (
                    <td class="num">
                      {s.values[i] == null && note ? note : fmt(s.values[i])}
                      {s.values[i] != null && note ? <span class="chart-note"> ({note})</span> : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function ChartFrame({ chart, kind, children, svgClass, width, height }: { chart: ChartData; kind: "bar" | "line"; children: ComponentChildren; svgClass: string; width: number; height: number }) {
  const titleId = `${chart.id}-titre`;
  const descId = `${chart.id}-desc`;
  return (
    <figure class="chart" id={chart.id}>
      <figcaption class="chart-title">{chart.title}</figcaption>
      <Legend chart={chart} kind={kind} />
      <svg viewBox={`0 0 ${width} ${height}`} class={`chart-svg ${svgClass}`} role="img" aria-labelledby={`${titleId} ${descId}`}>
        <title id={titleId}>{chart.title}</title>
        <desc id={descId}>{chart.description ?? describe(chart)}</desc>
        <Motifs id={chart.id} />
        {children}
      </svg>
      <ChartTable chart={chart} />
      {chart.source || chart.csvHref ? (
        <p class="chart-source">
          {chart.source}
          {chart.source && chart.csvHref ? " — " : null}
          {chart.csvHref ? (
            <a href={chart.csvHref} download>
              Télécharger les données (CSV)<span class="visually-hidden"> : {chart.title}</span>
            </a>
          ) : null}
        </p>
      ) : null}
    </figure>
  );
}

/** A default description: what the chart compares, and where its figures are. */
function describe(chart: ChartData): string {
  const s = chart.series.map((x) => x.label).join(", ");
  return `${chart.series.length > 1 ? `Séries : ${s}. ` : ""}${chart.categories.length} ${chart.categories.length > 1 ? "catégories" : "catégorie"}${chart.unit ? `, en ${chart.unit}` : ""}. Les valeurs figurent dans le tableau de données qui suit.`;
}

function extent(chart: ChartData, stacked: boolean, fromZero: boolean): [number, number] {
  let min = fromZero ? 0 : Infinity;
  let max = fromZero ? 0 : -Infinity;
  if (stacked) {
    chart.categories.forEach((_, i) => {
      let pos = 0;
      let neg = 0;
      for (const s of chart.series) {
        const v = s.values[i];
        if (v == null) continue;
        if (v >= 0) pos += v;
        else neg += v;
      }
      min = Math.min(min, neg);
      max = Math.max(max, pos);
    });
  } else {
    for (const s of chart.series)
      for (const v of s.values)
        if (v != null && Number.isFinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  return [min, max];
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/**
 * Bars, horizontal (long category names, rankings) or vertical (periods), grouped side by side
 * when there are several series, or stacked (`stacked`: parts of a whole).
 */
export function BarChart(props: ChartData & { orientation?: "horizontal" | "vertical"; stacked?: boolean; width?: number }) {
  const chart = { ...props, series: props.series.slice(0, CHART_SERIES_MAX) };
  const horizontal = (props.orientation ?? "horizontal") === "horizontal";
  const stacked = !!props.stacked && chart.series.length > 1;
  const fmt = makeFormatter(chart.decimals);
  const [lo, hi] = extent(chart, stacked, true);
  const ticks = niceTicks(lo, hi, 5);
  const t0 = ticks[0];
  const t1 = ticks[ticks.length - 1];
  const groups = stacked ? 1 : chart.series.length;
  const n = chart.categories.length;

  if (horizontal) {
    const width = props.width ?? 640;
    const labelChars = Math.min(28, Math.max(4, ...chart.categories.map((c) => c.length)));
    const left = 10 + labelChars * 6.2;
    const right = 70;
    const barH = 16;
    const rowH = groups * barH + 10;
    const top = 10;
    const height = top + n * rowH + 28;
    const x = (v: number) => left + ((v - t0) / (t1 - t0 || 1)) * (width - left - right);
    return (
      <ChartFrame chart={chart} kind="bar" svgClass="chart-bars chart-horizontal" width={width} height={height}>
        {ticks.map((t) => (
          <g class="chart-tick">
            <line x1={x(t)} x2={x(t)} y1={top} y2={top + n * rowH} class={t === 0 ? "chart-axis" : "chart-grid"} />
            <text x={x(t)} y={top + n * rowH + 16} text-anchor="middle" class="chart-tick-label">
              {tickLabel(t)}
            </text>
          </g>
        ))}
        {chart.categories.map((c, i) => {
          const y0 = top + i * rowH + 5;
          let pos = 0;
          let neg = 0;
          return (
            <g class="chart-row">
              <text x={left - 6} y={y0 + (groups * barH) / 2 + 4} text-anchor="end" class="chart-label">
                {truncate(c, 28)}
              </text>
              {chart.series.map((s, si) => {
                const v = s.values[i];
                if (v == null) return null;
                let a: number;
                let b: number;
                if (stacked) {
                  if (v >= 0) [a, b, pos] = [pos, pos + v, pos + v];
                  else [a, b, neg] = [neg + v, neg, neg + v];
                } else [a, b] = v >= 0 ? [0, v] : [v, 0];
                const y = stacked ? y0 : y0 + si * barH;
                return (
                  <rect x={x(a)} y={y + 1} width={Math.max(0.5, x(b) - x(a))} height={barH - 2} fill={fillOf(chart.id, si)} class="chart-bar">
                    <title>{`${c} — ${s.label} : ${fmt(v)}${chart.unit ? ` ${chart.unit}` : ""}`}</title>
                  </rect>
                );
              })}
              {stacked || chart.series.length === 1
                ? (() => {
                    const total = chart.series.reduce((acc, s) => acc + (s.values[i] ?? 0), 0);
                    const known = chart.series.some((s) => s.values[i] != null);
                    return (
                      <text x={x(Math.max(0, stacked ? pos : total)) + 4} y={y0 + barH / 2 + 4} class="chart-value">
                        {known ? fmt(total) : chart.series[0].notes?.[i] ?? "—"}
                      </text>
                    );
                  })()
                : null}
            </g>
          );
        })}
      </ChartFrame>
    );
  }

  const width = props.width ?? 640;
  const height = 300;
  const left = 56;
  const top = 12;
  const bottom = 40;
  const plotW = width - left - 10;
  const plotH = height - top - bottom;
  const y = (v: number) => top + plotH - ((v - t0) / (t1 - t0 || 1)) * plotH;
  const slot = plotW / Math.max(1, n);
  const barW = Math.min(48, (slot * 0.75) / groups);
  const every = Math.ceil(n / Math.max(1, Math.floor(plotW / 56)));
  return (
    <ChartFrame chart={chart} kind="bar" svgClass="chart-bars chart-vertical" width={width} height={height}>
      {ticks.map((t) => (
        <g class="chart-tick">
          <line x1={left} x2={width - 10} y1={y(t)} y2={y(t)} class={t === 0 ? "chart-axis" : "chart-grid"} />
          <text x={left - 6} y={y(t) + 4} text-anchor="end" class="chart-tick-label">
            {tickLabel(t)}
          </text>
        </g>
      ))}
      {chart.categories.map((c, i) => {
        const cx = left + slot * i + slot / 2;
        let pos = 0;
        let neg = 0;
        return (
          <g class="chart-col">
            {chart.series.map((s, si) => {
              const v = s.values[i];
              if (v == null) return null;
              let a: number;
              let b: number;
              if (stacked) {
                if (v >= 0) [a, b, pos] = [pos, pos + v, pos + v];
                else [a, b, neg] = [neg + v, neg, neg + v];
              } else [a, b] = v >= 0 ? [0, v] : [v, 0];
              const bx = stacked ? cx - barW / 2 : cx - (groups * barW) / 2 + si * barW;
              return (
                <rect x={bx + 0.5} y={y(b)} width={barW - 1} height={Math.max(0.5, y(a) - y(b))} fill={fillOf(chart.id, si)} class="chart-bar">
                  <title>{`${c} — ${s.label} : ${fmt(v)}${chart.unit ? ` ${chart.unit}` : ""}`}</title>
                </rect>
              );
            })}
            {i % every === 0 ? (
              <text x={cx} y={top + plotH + 18} text-anchor="middle" class="chart-label">
                {truncate(c, 12)}
              </text>
            ) : null}
          </g>
        );
      })}
    </ChartFrame>
  );
}

/**
 * Lines over ordered categories (periods): one line per series (geographies compared), each with
 * its own dash pattern and marker shape. `fromZero` (default true) starts the axis at zero; set it
 * false for indices (base 100) or rates whose variations matter.
 */
export function LineChart(props: ChartData & { fromZero?: boolean; width?: number }) {
  const chart = { ...props, series: props.series.slice(0, CHART_SERIES_MAX) };
  const fmt = makeFormatter(chart.decimals);
  const [lo, hi] = extent(chart, false, props.fromZero ?? true);
  const ticks = niceTicks(lo, hi, 5);
  const t0 = ticks[0];
  const t1 = ticks[ticks.length - 1];
  const width = props.width ?? 640;
  const height = 300;
  const left = 56;
  const right = 16;
  const top = 12;
  const bottom = 40;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const n = chart.categories.length;
  const x = (i: number) => left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  const y = (v: number) => top + plotH - ((v - t0) / (t1 - t0 || 1)) * plotH;
  const every = Math.ceil(n / Math.max(1, Math.floor(plotW / 56)));
  return (
    <ChartFrame chart={chart} kind="line" svgClass="chart-lines" width={width} height={height}>
      {ticks.map((t) => (
        <g class="chart-tick">
          <line x1={left} x2={width - right} y1={y(t)} y2={y(t)} class={t === 0 ? "chart-axis" : "chart-grid"} />
          <text x={left - 6} y={y(t) + 4} text-anchor="end" class="chart-tick-label">
            {tickLabel(t)}
          </text>
        </g>
      ))}
      {chart.categories.map((c, i) =>
        i % every === 0 || i === n - 1 ? (
          <text x={x(i)} y={top + plotH + 18} text-anchor="middle" class="chart-label">
            {truncate(c, 12)}
          </text>
        ) : null,
      )}
      {chart.series.map((s, si) => {
        // A gap (null) breaks the line rather than joining across unknown values.
        let d = "";
        let pen = false;
        s.values.forEach((v, i) => {
          if (v == null || !Number.isFinite(v)) {
            pen = false;
            return;
          }
          d += `${pen ? "L" : "M"}${x(i).toFixed(1)} ${y(v).toFixed(1)}`;
          pen = true;
        });
        return (
          <g class="chart-series">
            {d ? <path d={d} class={`chart-line chart-line-${si % CHART_SERIES_MAX}`} /> : null}
            {s.values.map((v, i) =>
              v == null ? null : (
                <Marker i={si} x={x(i)} y={y(v)}>
                  <title>{`${s.label} — ${chart.categories[i]} : ${fmt(v)}${chart.unit ? ` ${chart.unit}` : ""}`}</title>
                </Marker>
              ),
            )}
          </g>
        );
      })}
    </ChartFrame>
  );
}

/**
 * A progress bar (e.g. an action's progress, a target's achievement): the figure is written beside
 * the bar, so no table is needed. Values beyond the maximum fill the bar and say so.
 */
export function ProgressBar(props: { label: string; value: number | null; max?: number; unit?: string; decimals?: number; class?: string }) {
  const max = props.max ?? 100;
  const fmt = makeFormatter(props.decimals);
  const ratio = props.value == null || max <= 0 ? 0 : Math.max(0, Math.min(1, props.value / max));
  const text =
    props.value == null
      ? "non renseigné"
      : props.unit === "%" && max === 100
        ? `${fmt(props.value)} %`
        : `${fmt(props.value)} sur ${fmt(max)}${props.unit ? ` ${props.unit}` : ""}`;
  return (
    <div class={`chart-progress${props.class ? ` ${props.class}` : ""}`}>
      <svg viewBox="0 0 200 12" class="chart-progress-svg" role="img" aria-label={`${props.label} : ${text}`} preserveAspectRatio="none">
        <rect x="0" y="0" width="200" height="12" class="chart-progress-track" />
        <rect x="0" y="0" width={(200 * ratio).toFixed(1)} height="12" class="chart-progress-fill" />
      </svg>
      <span class="chart-progress-text" aria-hidden="true">
        {text}
      </span>
    </div>
  );
}
