// Pure rules of the workshops: registration window, seats, labels. No I/O.

export type WorkshopStatus = "draft" | "published" | "cancelled" | "held";
export type RegistrationStatus = "confirmed" | "waitlisted" | "cancelled";

export const WORKSHOP_STATUS_LABELS: Record<WorkshopStatus, string> = {
  draft: "Brouillon",
  published: "Publié",
  cancelled: "Annulé",
  held: "Tenu",
};

export const REGISTRATION_STATUS_LABELS: Record<RegistrationStatus, string> = {
  confirmed: "Inscription confirmée",
  waitlisted: "Sur liste d'attente",
  cancelled: "Inscription annulée",
};

export const DAY_LABELS: Record<number, string> = { 1: "lundi", 2: "mardi", 3: "mercredi", 4: "jeudi", 5: "vendredi" };
export const FREQUENCIES = ["monthly", "quarterly", "twice_a_year", "yearly"] as const;
export const FREQUENCY_LABELS: Record<(typeof FREQUENCIES)[number], string> = {
  monthly: "une fois par mois",
  quarterly: "une fois par trimestre",
  twice_a_year: "deux fois par an",
  yearly: "une fois par an",
};
export const FORMATS = ["in_person", "video", "either"] as const;
export const FORMAT_LABELS: Record<(typeof FORMATS)[number], string> = {
  in_person: "en présentiel",
  video: "en visioconférence",
  either: "l'un ou l'autre",
};

export interface WorkshopTimes {
  status: WorkshopStatus;
  startsAt: Date;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
}

export type RegistrationWindow = "open" | "not_yet" | "closed" | "cancelled" | "past" | "draft";

/** Whether registrations are taken now, and if not, why. Closing defaults to the start of the workshop. */
export function registrationWindow(w: WorkshopTimes, now = new Date()): RegistrationWindow {
  if (w.status === "draft") return "draft";
  if (w.status === "cancelled") return "cancelled";
  if (w.status === "held" || w.startsAt.getTime() <= now.getTime()) return "past";
  if (w.registrationOpensAt && now.getTime() < w.registrationOpensAt.getTime()) return "not_yet";
  if (w.registrationClosesAt && now.getTime() >= w.registrationClosesAt.getTime()) return "closed";
  return "open";
}

/** A new registration takes a seat when one is free, else it joins the waiting list. */
export function seatFor(confirmed: number, capacity: number): "confirmed" | "waitlisted" {
  return confirmed < capacity ? "confirmed" : "waitlisted";
}

/** How many waitlisted people a change of capacity (or a cancellation) lets in, first come first served. */
export function promotable(confirmed: number, capacity: number, waitlisted: number): number {
  return Math.max(0, Math.min(waitlisted, capacity - confirmed));
}

/** The offset of Europe/Paris from UTC at an instant, in minutes (60 in winter, 120 in summer). */
export function parisOffsetMinutes(at: Date): number {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant of a Paris wall-clock date and time ("2026-12-03", "09:30"); undefined when it does not exist. */
export function parisInstant(date: string, time: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m || !t) return undefined;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(t[1]), Number(t[2])];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  // Two passes settle the offset around a change of time.
  let at = new Date(guess - parisOffsetMinutes(new Date(guess)) * 60_000);
  at = new Date(guess - parisOffsetMinutes(at) * 60_000);
  const back = parisParts(at);
  if (back.date !== date || back.time !== time) return undefined;
  return at;
}

/** The Paris calendar date ("2026-12-03") and time ("09:30") of an instant, for form fields. */
export function parisParts(at: Date): { date: string; time: string } {
  const shifted = new Date(at.getTime() + parisOffsetMinutes(at) * 60_000).toISOString();
  return { date: shifted.slice(0, 10), time: shifted.slice(11, 16) };
}

/** The ISO weekday (1 = Monday … 7 = Sunday) of an instant in Paris. */
export function parisWeekday(at: Date): number {
  const d = new Date(at.getTime() + parisOffsetMinutes(at) * 60_000).getUTCDay();
  return d === 0 ? 7 : d;
}

/** "il reste 3 places", "complet", with French plural. */
export function seatsLabel(capacity: number, confirmed: number): string {
  const left = capacity - confirmed;
  if (left <= 0) return "Complet : les nouvelles inscriptions vont sur la liste d'attente";
  return left === 1 ? "1 place restante" : `${left} places restantes`;
}

/** True when the reminder of a workshop is due now: it starts within the next 24 hours, not already sent. */
export function reminderDue(w: { status: WorkshopStatus; startsAt: Date; reminderSentAt: Date | null }, now = new Date()): boolean {
  if (w.status !== "published" || w.reminderSentAt) return false;
  const ms = w.startsAt.getTime() - now.getTime();
  return ms > 0 && ms <= 24 * 3600_000;
}

/** The first day of the month of a Paris calendar date ("2026-11-27" → "2026-11-01"). */
export const monthStart = (isoDate: string) => `${isoDate.slice(0, 7)}-01`;

/** True when a monthly digest is due: never sent, or last sent in an earlier month (Paris calendar). */
export function digestDue(lastDigestOn: string | null, today: string): boolean {
  return lastDigestOn === null || monthStart(lastDigestOn) < monthStart(today);
}
