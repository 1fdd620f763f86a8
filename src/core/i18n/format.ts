// French formatting; dates are shown in the Europe/Paris time zone.
const numberFormat = new Intl.NumberFormat("fr-FR");
const dateFormat = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Paris" });
const dateTimeFormat = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Paris" });

/** 17 457 (with a narrow no-break space), or "—" when unknown. */
export function formatNumber(n: number | null | undefined): string {
  return n == null || Number.isNaN(n) ? "—" : numberFormat.format(n);
}

/** "30 avril 2019" from a date or an ISO calendar date (read as a Paris calendar day). */
export function formatDate(d: Date | string | null | undefined): string {
  if (!d) return "—";
  const date = typeof d === "string" ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T12:00:00Z` : d) : d;
  return Number.isNaN(date.getTime()) ? "—" : dateFormat.format(date);
}

/** "27 novembre 2026 à 18:30", Paris time. */
export function formatDateTime(d: Date | null | undefined): string {
  return d ? dateTimeFormat.format(d) : "—";
}
