// Pure rules of the observatory: how values combine up the geography (ADR 0016).
//
// - Counts sum up commune → EPCI → territory → département → région → France.
// - Ratios are recomputed from the sums of their numerator and denominator, never averaged.
// - A sum that includes a secret value is itself secret (no value at all): publishing the known
//   part would let anyone who knows the total from elsewhere work the secret out by difference.
// - The least reliable status wins: secret > provisional > estimated > final.

export type ObservationStatus = "final" | "provisional" | "estimated" | "secret";

export interface Cell {
  /** Null when unknown or secret. */
  value: number | null;
  status: ObservationStatus;
}

const RANK: Record<ObservationStatus, number> = { final: 0, estimated: 1, provisional: 2, secret: 3 };

/** The status of a combination of values: the least reliable one. */
export function combineStatus(statuses: Iterable<ObservationStatus>): ObservationStatus {
  let worst: ObservationStatus = "final";
  for (const s of statuses) if (RANK[s] > RANK[worst]) worst = s;
  return worst;
}

/**
 * The sum of the parts. No part → unknown (null, final). Any secret part → secret (null): the
 * known part is not shown either. Otherwise the sum, with the least reliable status.
 */
export function sumCells(cells: Cell[]): Cell {
  if (!cells.length) return { value: null, status: "final" };
  const status = combineStatus(cells.map((c) => c.status));
  if (status === "secret") return { value: null, status };
  let total = 0;
  let known = false;
  for (const c of cells) {
    if (c.value == null) continue;
    total += c.value;
    known = true;
  }
  return { value: known ? total : null, status };
}

/** numerator / denominator × scale, from the two (already summed) cells; unknown when the denominator is 0 or unknown. */
export function ratioCell(numerator: Cell, denominator: Cell, scale = 1): Cell {
  const status = combineStatus([numerator.status, denominator.status]);
  if (status === "secret") return { value: null, status };
  if (numerator.value == null || denominator.value == null || denominator.value === 0) return { value: null, status };
  return { value: (numerator.value / denominator.value) * scale, status };
}

/** Evolution in % between two cells (null when either is unknown or the first is 0). */
export function evolution(from: Cell | undefined, to: Cell | undefined): number | null {
  if (!from || !to || from.value == null || to.value == null || from.value === 0) return null;
  return ((to.value - from.value) / Math.abs(from.value)) * 100;
}

/** Annual growth rate in % between two values `years` apart. */
export function annualGrowth(from: number | null, to: number | null, years: number): number | null {
  if (from == null || to == null || from <= 0 || to <= 0 || years <= 0) return null;
  return ((to / from) ** (1 / years) - 1) * 100;
}

/**
 * Class breaks for a choropleth: `classes` groups with about as many areas each (quantiles),
 * duplicates removed. Returns the upper bounds of all classes but the last.
 */
export function quantileBreaks(values: number[], classes = 5): number[] {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length < 2) return [];
  const breaks: number[] = [];
  for (let i = 1; i < classes; i++) {
    const b = sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / classes))];
    if (!breaks.includes(b) && b !== sorted[0] && b <= sorted[sorted.length - 1]) breaks.push(b);
  }
  return breaks.filter((b, i) => i === 0 || b > breaks[i - 1]);
}

/** The class of a value given breaks: 0 … breaks.length (value < breaks[i] → class i). */
export function classOf(value: number, breaks: number[]): number {
  let i = 0;
  while (i < breaks.length && value >= breaks[i]) i++;
  return i;
}

/** A period's label: "2022" (annual), "T1 2024" (quarterly), "mars 2024" (monthly), "1er mars 2024" (punctual). */
export function periodLabel(period: string, periodicity: string): string {
  const [y, m, d] = period.split("-").map(Number);
  if (periodicity === "annual") return String(y);
  if (periodicity === "quarterly") return `T${Math.floor((m - 1) / 3) + 1} ${y}`;
  const month = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"][m - 1];
  if (periodicity === "monthly") return `${month} ${y}`;
  return `${d === 1 ? "1er" : d} ${month} ${y}`;
}

/** The status in words, for tables. */
export function statusLabel(status: ObservationStatus): string | null {
  return status === "provisional" ? "provisoire" : status === "estimated" ? "estimation" : status === "secret" ? "secret statistique" : null;
}

/** Parses a French or plain number ("1 234,5", "1234.5"); null when it is not one. */
export function parseNumber(raw: string): number | null {
  const s = raw.trim().replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  if (!s || !/^[-+]?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}
