import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { ICalTemporalPlainDateTimeStub, ICalTemporalZonedDateTimeStub } from "ical-generator";
import { tzlib_get_ical_block } from "timezones-ical-library";

// Calendar invitations (RFC 5545 / iTIP): one event per file, METHOD:REQUEST to invite or update,
// METHOD:CANCEL to cancel, a stable UID and a SEQUENCE bumped at each change, times written in
// Europe/Paris with its VTIMEZONE so every calendar shows the same wall-clock time across DST.

export const PARIS = "Europe/Paris";

export interface IcsPerson {
  name: string;
  email: string;
}

export interface IcsInvitation {
  /** Stable identifier of the event (same for every update and the cancellation). */
  uid: string;
  /** 0 for the first invitation, bumped at every update or cancellation. */
  sequence: number;
  method: "REQUEST" | "CANCEL";
  start: Date;
  end: Date;
  summary: string;
  description?: string | null;
  /** A physical place; the video link, when any, is added to the location and as URL. */
  location?: string | null;
  videoUrl?: string | null;
  organizer: IcsPerson;
  attendees: IcsPerson[];
  /** Time the file is produced (DTSTAMP); now by default. */
  stamp?: Date;
}

const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: PARIS,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The Europe/Paris wall-clock time of an instant. */
export function parisWallClock(instant: Date): WallClock {
  const p: Record<string, number> = {};
  for (const part of parts.formatToParts(instant)) if (part.type !== "literal") p[part.type] = Number(part.value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour!, minute: p.minute!, second: p.second! };
}

function offsetMinutes(instant: Date): number {
  const w = parisWallClock(instant);
  return Math.round((Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/**
 * The instant of a Europe/Paris wall-clock date ("YYYY-MM-DD") and time ("HH:MM"); null when
 * malformed or when the time does not exist (the hour skipped when summer time starts). An hour
 * that occurs twice (when summer time ends) resolves to its first occurrence.
 */
export function parisLocalToInstant(date: string, time: string): Date | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const [y, mo, da, h, mi] = [Number(d[1]), Number(d[2]), Number(d[3]), Number(t[1]), Number(t[2])];
  if (mo < 1 || mo > 12 || da < 1 || da > 31 || h > 23 || mi > 59) return null;
  const asUtc = Date.UTC(y, mo - 1, da, h, mi);
  // Try both offsets around the moment; keep the earliest that maps back to the same wall clock.
  const candidates = [...new Set([offsetMinutes(new Date(asUtc - 3 * 3600_000)), offsetMinutes(new Date(asUtc + 3 * 3600_000))])]
    .map((off) => new Date(asUtc - off * 60000))
    .filter((c) => {
      const w = parisWallClock(c);
      return w.year === y && w.month === mo && w.day === da && w.hour === h && w.minute === mi;
    })
    .sort((a, b) => a.getTime() - b.getTime());
  return candidates[0] ?? null;
}

/** "YYYY-MM-DD" and "HH:MM" of an instant in Europe/Paris (for forms). */
export function parisDateAndTime(instant: Date): { date: string; time: string } {
  const w = parisWallClock(instant);
  const p = (n: number) => String(n).padStart(2, "0");
  return { date: `${w.year}-${p(w.month)}-${p(w.day)}`, time: `${p(w.hour)}:${p(w.minute)}` };
}

// ical-generator writes TZID times from Temporal-like objects; these two minimal ones carry the
// Paris wall clock computed above, so the output never depends on the server's own time zone.
function plainStub(instant: Date, w: WallClock): ICalTemporalPlainDateTimeStub {
  const p = (n: number, l = 2) => String(n).padStart(l, "0");
  const iso = `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}:${p(w.second)}`;
  const stub = {
    ...w,
    toJSON: () => iso,
    toString: () => iso,
    toPlainDate: () => ({ year: w.year, month: w.month, day: w.day, toJSON: () => iso.slice(0, 10), toString: () => iso.slice(0, 10) }),
    toZonedDateTime: () => zonedStub(instant),
  };
  return stub as unknown as ICalTemporalPlainDateTimeStub;
}

function zonedStub(instant: Date): ICalTemporalZonedDateTimeStub {
  const w = parisWallClock(instant);
  const stub = {
    ...w,
    timeZoneId: PARIS,
    toInstant: () => ({ epochMilliseconds: instant.getTime(), toJSON: () => instant.toISOString(), toString: () => instant.toISOString() }),
    toJSON: () => instant.toISOString(),
    toString: () => instant.toISOString(),
    toPlainDateTime: () => plainStub(instant, w),
    withTimeZone: () => stub,
  };
  return stub as unknown as ICalTemporalZonedDateTimeStub;
}

/** Builds the .ics text of an invitation (REQUEST) or a cancellation (CANCEL). */
export function buildInvitation(inv: IcsInvitation): string {
  if (!(inv.end.getTime() > inv.start.getTime())) throw new Error("ics: the end must come after the start");
  const cal = ical({
    prodId: { company: "Collines", product: "Collines", language: "FR" },
    method: inv.method === "CANCEL" ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    timezone: { name: null, generator: (tz: string) => String(tzlib_get_ical_block(tz)[0] ?? "") || null },
  });
  const location = [inv.location, inv.videoUrl].filter((x): x is string => !!x && x.trim() !== "").join(" – ");
  const description = [inv.description ?? "", inv.videoUrl ? `Visioconférence : ${inv.videoUrl}` : ""].filter((x) => x.trim() !== "").join("\n\n");
  const event = cal.createEvent({
    id: inv.uid,
    sequence: inv.sequence,
    stamp: inv.stamp ?? new Date(),
    timezone: PARIS,
    start: plainStub(inv.start, parisWallClock(inv.start)),
    end: plainStub(inv.end, parisWallClock(inv.end)),
    summary: inv.summary,
    description: description || null,
    location: location || null,
    url: inv.videoUrl || null,
    status: inv.method === "CANCEL" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: inv.organizer.name, email: inv.organizer.email },
  });
  for (const a of inv.attendees) {
    event.createAttendee({
      name: a.name || a.email,
      email: a.email,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.NEEDSACTION,
      rsvp: inv.method === "REQUEST",
    });
  }
  return cal.toString();
}

/** The file name and MIME type to attach an invitation to an e-mail. */
export function invitationAttachment(inv: IcsInvitation, filename = "invitation.ics"): { filename: string; content: string; contentType: string } {
  return { filename, content: buildInvitation(inv), contentType: `text/calendar; charset=utf-8; method=${inv.method}` };
}

// ---------------------------------------------------------------------------------------------
// A small reader, used by the tests and by anyone checking a produced file: unfolds lines, splits
// components, and resolves DTSTART/DTEND with the file's own VTIMEZONE rules (RRULE BYMONTH/BYDAY).

export interface IcsProperty {
  name: string;
  params: Record<string, string>;
  value: string;
}
export interface IcsComponent {
  type: string;
  props: IcsProperty[];
  children: IcsComponent[];
}

function splitParams(raw: string): { name: string; params: Record<string, string> } {
  const pieces: string[] = [];
  let cur = "";
  let quoted = false;
  for (const ch of raw) {
    if (ch === '"') quoted = !quoted;
    if (ch === ";" && !quoted) {
      pieces.push(cur);
      cur = "";
    } else cur += ch;
  }
  pieces.push(cur);
  const params: Record<string, string> = {};
  for (const p of pieces.slice(1)) {
    const i = p.indexOf("=");
    if (i > 0) params[p.slice(0, i).toUpperCase()] = p.slice(i + 1).replace(/^"|"$/g, "");
  }
  return { name: pieces[0]!.toUpperCase(), params };
}

/** Parses iCalendar text into its components (throws on unbalanced BEGIN/END). */
export function parseIcs(text: string): IcsComponent {
  const lines = text.replace(/\r\n[ \t]/g, "").replace(/\n[ \t]/g, "").split(/\r?\n/).filter((l) => l !== "");
  const root: IcsComponent = { type: "ROOT", props: [], children: [] };
  const stack = [root];
  for (const line of lines) {
    let quoted = false;
    let colon = -1;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '"') quoted = !quoted;
      if (line[i] === ":" && !quoted) {
        colon = i;
        break;
      }
    }
    if (colon < 0) throw new Error(`ics: malformed line ${line}`);
    const { name, params } = splitParams(line.slice(0, colon));
    const value = line.slice(colon + 1);
    if (name === "BEGIN") {
      const c: IcsComponent = { type: value.toUpperCase(), props: [], children: [] };
      stack.at(-1)!.children.push(c);
      stack.push(c);
    } else if (name === "END") {
      if (stack.length < 2 || stack.at(-1)!.type !== value.toUpperCase()) throw new Error(`ics: unexpected END:${value}`);
      stack.pop();
    } else stack.at(-1)!.props.push({ name, params, value });
  }
  if (stack.length !== 1) throw new Error("ics: unterminated component");
  return root;
}

export function icsProp(c: IcsComponent, name: string): IcsProperty | undefined {
  return c.props.find((p) => p.name === name);
}

export function icsText(value: string): string {
  return value.replace(/\\n/gi, "\n").replace(/\\([,;\\])/g, "$1");
}

function parseOffset(s: string): number {
  const m = /^([+-])(\d{2})(\d{2})$/.exec(s);
  if (!m) throw new Error(`ics: bad offset ${s}`);
  return (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** UTC ms of the local transition of a yearly BYMONTH/BYDAY rule in a given year. */
function ruleTransition(year: number, rule: string, dtstart: string, offsetFrom: number): number {
  const r = Object.fromEntries(rule.split(";").map((kv) => kv.split("=") as [string, string]));
  const month = Number(r.BYMONTH);
  const m = /^(-?\d)?(SU|MO|TU|WE|TH|FR|SA)$/.exec(r.BYDAY ?? "");
  if (!m || !month) throw new Error(`ics: unsupported rule ${rule}`);
  const dow = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"].indexOf(m[2]!);
  const n = Number(m[1] ?? "1");
  const days: number[] = [];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  for (let d = 1; d <= last; d++) if (new Date(Date.UTC(year, month - 1, d)).getUTCDay() === dow) days.push(d);
  const day = n < 0 ? days[days.length + n]! : days[n - 1]!;
  const hh = Number(dtstart.slice(9, 11));
  const mm = Number(dtstart.slice(11, 13));
  return Date.UTC(year, month - 1, day, hh, mm) - offsetFrom * 60000;
}

/** Resolves a DATE-TIME property (UTC "Z", or with TZID and the file's VTIMEZONE) to an instant. */
export function icsInstant(root: IcsComponent, prop: IcsProperty): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/.exec(prop.value);
  if (!m) throw new Error(`ics: bad date-time ${prop.value}`);
  const local = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (m[7] === "Z") return new Date(local);
  const tzid = prop.params.TZID;
  const cal = root.children.find((c) => c.type === "VCALENDAR") ?? root;
  const tz = cal.children.find((c) => c.type === "VTIMEZONE" && icsProp(c, "TZID")?.value === tzid);
  if (!tz) throw new Error(`ics: no VTIMEZONE for ${tzid ?? "(floating)"}`);
  const year = Number(m[1]);
  // The observance in force is the one whose latest transition before the instant is the latest.
  let best: { at: number; offset: number } | null = null;
  for (const obs of tz.children) {
    const from = parseOffset(icsProp(obs, "TZOFFSETFROM")!.value);
    const to = parseOffset(icsProp(obs, "TZOFFSETTO")!.value);
    const rule = icsProp(obs, "RRULE")?.value;
    const start = icsProp(obs, "DTSTART")!.value;
    for (const y of [year - 1, year]) {
      const at = rule ? ruleTransition(y, rule, start, from) : Date.UTC(Number(start.slice(0, 4)), Number(start.slice(4, 6)) - 1, Number(start.slice(6, 8)), Number(start.slice(9, 11)), Number(start.slice(11, 13))) - from * 60000;
      if (at <= local - to * 60000 && (!best || at > best.at)) best = { at, offset: to };
    }
  }
  if (!best) throw new Error(`ics: no observance for ${prop.value}`);
  return new Date(local - best.offset * 60000);
}
