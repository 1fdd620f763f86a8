import { describe, expect, it } from "vitest";
import { buildInvitation, icsInstant, icsProp, icsText, parisDateAndTime, parisLocalToInstant, parseIcs, type IcsInvitation } from "./ics.ts";

function invitation(over: Partial<IcsInvitation> = {}): IcsInvitation {
  const start = parisLocalToInstant("2026-03-30", "14:00")!;
  return {
    uid: "gov-meeting-7@collines.test",
    sequence: 0,
    method: "REQUEST",
    start,
    end: new Date(start.getTime() + 2 * 3600_000),
    summary: "Comité de pilotage",
    description: "Ordre du jour :\n1. Actions en retard; bilan, suite",
    location: "Mairie de Vire",
    videoUrl: "https://visio.exemple.fr/comite",
    organizer: { name: "Collines de Normandie", email: "animation@exemple.fr" },
    attendees: [
      { name: "Élue Un", email: "elue1@exemple.fr" },
      { name: "Industriel Deux", email: "ind2@exemple.fr" },
    ],
    stamp: new Date("2026-03-01T08:00:00Z"),
    ...over,
  };
}

function event(text: string) {
  const root = parseIcs(text);
  const cal = root.children.find((c) => c.type === "VCALENDAR")!;
  const ev = cal.children.find((c) => c.type === "VEVENT")!;
  return { root, cal, ev };
}

describe("Europe/Paris wall clock", () => {
  it("converts across the DST changes", () => {
    // Summer time starts on 29 March 2026: the 30th is UTC+2, the 28th UTC+1.
    expect(parisLocalToInstant("2026-03-30", "14:00")!.toISOString()).toBe("2026-03-30T12:00:00.000Z");
    expect(parisLocalToInstant("2026-03-28", "14:00")!.toISOString()).toBe("2026-03-28T13:00:00.000Z");
    expect(parisLocalToInstant("2026-10-26", "09:30")!.toISOString()).toBe("2026-10-26T08:30:00.000Z");
    // 02:30 on 29 March does not exist; 02:30 on 25 October happens twice (first one kept).
    expect(parisLocalToInstant("2026-03-29", "02:30")).toBeNull();
    expect(parisLocalToInstant("2026-10-25", "02:30")!.toISOString()).toBe("2026-10-25T00:30:00.000Z");
    expect(parisLocalToInstant("2026-02-30", "10:00")).toBeNull();
    expect(parisLocalToInstant("30/03/2026", "10:00")).toBeNull();
    expect(parisLocalToInstant("2026-03-30", "25:00")).toBeNull();
    expect(parisDateAndTime(new Date("2026-03-30T12:00:00Z"))).toEqual({ date: "2026-03-30", time: "14:00" });
  });
});

describe("buildInvitation", () => {
  it("writes a REQUEST with TZID times, a VTIMEZONE, organizer, attendees, place and video link", () => {
    const text = buildInvitation(invitation());
    expect(text).toMatch(/\r\n/);
    const { root, cal, ev } = event(text);
    expect(icsProp(cal, "METHOD")!.value).toBe("REQUEST");
    expect(cal.children.some((c) => c.type === "VTIMEZONE" && icsProp(c, "TZID")!.value === "Europe/Paris")).toBe(true);
    expect(icsProp(ev, "UID")!.value).toBe("gov-meeting-7@collines.test");
    expect(icsProp(ev, "SEQUENCE")!.value).toBe("0");
    const start = icsProp(ev, "DTSTART")!;
    expect(start.params.TZID).toBe("Europe/Paris");
    expect(start.value).toBe("20260330T140000");
    // Resolved with the file's own VTIMEZONE rules: 14:00 Paris on 30 March 2026 is 12:00 UTC.
    expect(icsInstant(root, start).toISOString()).toBe("2026-03-30T12:00:00.000Z");
    expect(icsInstant(root, icsProp(ev, "DTEND")!).toISOString()).toBe("2026-03-30T14:00:00.000Z");
    expect(icsProp(ev, "DTSTAMP")!.value).toBe("20260301T080000Z");
    expect(icsProp(ev, "ORGANIZER")!.value.toLowerCase()).toBe("mailto:animation@exemple.fr");
    const attendees = ev.props.filter((p) => p.name === "ATTENDEE");
    expect(attendees.map((a) => a.value.toLowerCase())).toEqual(["mailto:elue1@exemple.fr", "mailto:ind2@exemple.fr"]);
    expect(attendees[0]!.params.CN).toBe("Élue Un");
    expect(attendees[0]!.params.RSVP).toBe("TRUE");
    expect(icsText(icsProp(ev, "LOCATION")!.value)).toBe("Mairie de Vire – https://visio.exemple.fr/comite");
    expect(icsText(icsProp(ev, "DESCRIPTION")!.value)).toBe("Ordre du jour :\n1. Actions en retard; bilan, suite\n\nVisioconférence : https://visio.exemple.fr/comite");
    expect(icsProp(ev, "STATUS")!.value).toBe("CONFIRMED");
  });

  it("keeps the wall-clock time in winter and resolves it to UTC+1", () => {
    const start = parisLocalToInstant("2026-12-03", "09:00")!;
    const { root, ev } = event(buildInvitation(invitation({ start, end: new Date(start.getTime() + 3600_000) })));
    expect(icsProp(ev, "DTSTART")!.value).toBe("20261203T090000");
    expect(icsInstant(root, icsProp(ev, "DTSTART")!).toISOString()).toBe("2026-12-03T08:00:00.000Z");
  });

  it("writes a CANCEL with the same UID and a higher sequence", () => {
    const { cal, ev } = event(buildInvitation(invitation({ method: "CANCEL", sequence: 3 })));
    expect(icsProp(cal, "METHOD")!.value).toBe("CANCEL");
    expect(icsProp(ev, "UID")!.value).toBe("gov-meeting-7@collines.test");
    expect(icsProp(ev, "SEQUENCE")!.value).toBe("3");
    expect(icsProp(ev, "STATUS")!.value).toBe("CANCELLED");
  });

  it("does not depend on the server's time zone", () => {
    const text = buildInvitation(invitation());
    expect(text).toContain("DTSTART;TZID=Europe/Paris:20260330T140000");
    const noVideo = buildInvitation(invitation({ videoUrl: null, location: null }));
    expect(noVideo).not.toMatch(/^LOCATION/m);
    expect(noVideo).not.toMatch(/^URL/m);
  });

  it("refuses an end before the start", () => {
    const inv = invitation();
    expect(() => buildInvitation({ ...inv, end: new Date(inv.start.getTime() - 1) })).toThrow();
  });

  it("parser rejects unbalanced files", () => {
    expect(() => parseIcs("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n")).toThrow();
  });
});
