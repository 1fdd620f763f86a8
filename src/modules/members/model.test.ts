import { describe, expect, it } from "vitest";
import { mostFrequent, parseSirens, SLUG_PATTERN } from "./model.ts";

describe("members model", () => {
  it("reads SIRENs typed with spaces, commas or new lines, once each", () => {
    expect(parseSirens("200071520, 200068443\n200071520 ;")).toEqual(["200071520", "200068443"]);
    expect(parseSirens(["200071520", "200068443"])).toEqual(["200071520", "200068443"]);
    expect(parseSirens(undefined)).toEqual([]);
  });
  it("takes the most frequent value (the région of most communes)", () => {
    expect(mostFrequent(["28", "52", "28"])).toBe("28");
    expect(mostFrequent([])).toBeNull();
  });
  it("accepts lowercase slugs with single hyphens only", () => {
    expect(SLUG_PATTERN.test("collines-de-normandie")).toBe(true);
    for (const bad of ["Collines", "collines--de", "-collines", "collines_de", "é"]) expect(SLUG_PATTERN.test(bad)).toBe(false);
  });
});
