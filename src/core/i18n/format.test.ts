import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatNumber } from "./format.ts";

describe("French formatting", () => {
  it("groups digits with a narrow no-break space and uses a decimal comma", () => {
    expect(formatNumber(98546)).toBe("98\u202f546");
    expect(formatNumber(1234567.5)).toBe("1\u202f234\u202f567,5");
    expect(formatNumber(0)).toBe("0");
    expect(formatNumber(null)).toBe("—");
    expect(formatNumber(undefined)).toBe("—");
    expect(formatNumber(Number.NaN)).toBe("—");
  });

  it("writes calendar dates as the same Paris day, whatever the machine's time zone", () => {
    expect(formatDate("2019-04-30")).toBe("30 avril 2019");
    expect(formatDate("2019-01-01")).toBe("1 janvier 2019");
    // 23:30 UTC on 31 December is already 1 January in Paris.
    expect(formatDate(new Date("2018-12-31T23:30:00Z"))).toBe("1 janvier 2019");
    expect(formatDate(new Date("2019-06-30T22:30:00Z"))).toBe("1 juillet 2019");
    expect(formatDate(null)).toBe("—");
    expect(formatDate("pas une date")).toBe("—");
  });

  it("shows times in Paris time, summer and winter", () => {
    expect(formatDateTime(new Date("2026-11-27T17:30:00Z"))).toBe("27 novembre 2026 à 18:30");
    expect(formatDateTime(new Date("2026-07-14T10:00:00Z"))).toBe("14 juillet 2026 à 12:00");
    expect(formatDateTime(null)).toBe("—");
  });
});
