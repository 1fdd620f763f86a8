import { describe, expect, it } from "vitest";
import { digestDue, parisInstant, parisOffsetMinutes, parisParts, parisWeekday, promotable, registrationWindow, reminderDue, seatFor } from "./model.ts";

const base = { status: "published" as const, startsAt: new Date("2026-12-10T09:00:00Z"), registrationOpensAt: null, registrationClosesAt: null };

describe("workshop rules", () => {
  it("opens registrations between opening and closing, before the start", () => {
    const now = new Date("2026-12-01T10:00:00Z");
    expect(registrationWindow(base, now)).toBe("open");
    expect(registrationWindow({ ...base, registrationOpensAt: new Date("2026-12-02T00:00:00Z") }, now)).toBe("not_yet");
    expect(registrationWindow({ ...base, registrationClosesAt: new Date("2026-12-01T09:00:00Z") }, now)).toBe("closed");
    expect(registrationWindow({ ...base, status: "cancelled" }, now)).toBe("cancelled");
    expect(registrationWindow({ ...base, status: "draft" }, now)).toBe("draft");
    expect(registrationWindow(base, new Date("2026-12-10T09:00:00Z"))).toBe("past");
  });
  it("gives the last seat, then the waiting list; promotes what capacity allows", () => {
    expect(seatFor(9, 10)).toBe("confirmed");
    expect(seatFor(10, 10)).toBe("waitlisted");
    expect(promotable(9, 10, 3)).toBe(1);
    expect(promotable(5, 10, 3)).toBe(3);
    expect(promotable(10, 10, 3)).toBe(0);
  });
  it("reads Paris wall-clock times in winter and summer, and refuses times that do not exist", () => {
    expect(parisOffsetMinutes(new Date("2026-01-15T12:00:00Z"))).toBe(60);
    expect(parisOffsetMinutes(new Date("2026-07-15T12:00:00Z"))).toBe(120);
    expect(parisInstant("2026-12-03", "09:30")?.toISOString()).toBe("2026-12-03T08:30:00.000Z");
    expect(parisInstant("2026-07-03", "09:30")?.toISOString()).toBe("2026-07-03T07:30:00.000Z");
    expect(parisInstant("2026-03-29", "02:30")).toBeUndefined();
    expect(parisInstant("2026-02-30", "10:00")).toBeUndefined();
    expect(parisParts(new Date("2026-12-03T23:30:00Z"))).toEqual({ date: "2026-12-04", time: "00:30" });
    expect(parisWeekday(new Date("2026-11-30T10:00:00Z"))).toBe(1);
  });
  it("sends the reminder once, in the 24 hours before", () => {
    const now = new Date("2026-12-09T10:00:00Z");
    expect(reminderDue({ ...base, reminderSentAt: null }, now)).toBe(true);
    expect(reminderDue({ ...base, reminderSentAt: now }, now)).toBe(false);
    expect(reminderDue({ ...base, reminderSentAt: null }, new Date("2026-12-08T08:00:00Z"))).toBe(false);
  });
  it("sends the digest once a calendar month", () => {
    expect(digestDue(null, "2026-11-27")).toBe(true);
    expect(digestDue("2026-11-01", "2026-11-27")).toBe(false);
    expect(digestDue("2026-10-31", "2026-11-01")).toBe(true);
  });
});
