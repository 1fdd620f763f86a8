import { describe, expect, it } from "vitest";
import { annualGrowth, classOf, combineStatus, evolution, parseNumber, periodLabel, quantileBreaks, ratioCell, sumCells, type Cell } from "./model.ts";
import { quarterPeriod } from "./importers.ts";

const c = (value: number | null, status: Cell["status"] = "final"): Cell => ({ value, status });

describe("aggregation rules", () => {
  it("sums counts up the geography", () => {
    // commune → EPCI → territory: the sum of sums is the sum of the communes.
    const epciA = sumCells([c(10), c(20)]);
    const epciB = sumCells([c(5)]);
    expect(sumCells([epciA, epciB])).toEqual(c(35));
    expect(sumCells([])).toEqual(c(null));
  });

  it("never lets a secret value leak through a sum: the sum is secret, known part included", () => {
    const s = sumCells([c(100), c(null, "secret"), c(3)]);
    expect(s).toEqual({ value: null, status: "secret" });
    // …and all the way up.
    expect(sumCells([s, c(1000)])).toEqual({ value: null, status: "secret" });
    // A ratio on a secret part is secret too.
    expect(ratioCell(s, c(10), 100)).toEqual({ value: null, status: "secret" });
  });

  it("propagates provisional and estimated values, the least reliable status winning", () => {
    expect(sumCells([c(1), c(2, "provisional")])).toEqual(c(3, "provisional"));
    expect(sumCells([c(1, "estimated"), c(2)])).toEqual(c(3, "estimated"));
    expect(combineStatus(["estimated", "provisional", "final"])).toBe("provisional");
    expect(combineStatus(["provisional", "secret"])).toBe("secret");
    expect(ratioCell(c(1, "provisional"), c(4), 100)).toEqual(c(25, "provisional"));
  });

  it("recomputes ratios from numerator and denominator, never averaging rates", () => {
    // Commune A: 90 industrial jobs of 100 (90 %); commune B: 10 of 900 (1,1 %).
    const num = sumCells([c(90), c(10)]);
    const den = sumCells([c(100), c(900)]);
    expect(ratioCell(num, den, 100)).toEqual(c(10)); // not (90 + 1.1) / 2
    expect(ratioCell(c(1), c(0), 100).value).toBeNull();
    expect(ratioCell(c(null), c(10), 100).value).toBeNull();
  });

  it("computes evolutions and annual growth", () => {
    expect(evolution(c(100), c(110))).toBeCloseTo(10);
    expect(evolution(c(0), c(5))).toBeNull();
    expect(evolution(c(null, "secret"), c(5))).toBeNull();
    expect(annualGrowth(100, 121, 2)).toBeCloseTo(10);
    expect(annualGrowth(0, 121, 2)).toBeNull();
  });
});

describe("choropleth classes", () => {
  it("cuts values into quantile classes without empty or repeated classes", () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const breaks = quantileBreaks(values, 5);
    expect(breaks).toEqual([3, 5, 7, 9]);
    expect(values.map((v) => classOf(v, breaks))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(quantileBreaks([5, 5, 5, 5], 5)).toEqual([]);
    expect(quantileBreaks([1], 5)).toEqual([]);
  });
});

describe("periods and numbers", () => {
  it("labels periods in French", () => {
    expect(periodLabel("2022-01-01", "annual")).toBe("2022");
    expect(periodLabel("2024-04-01", "quarterly")).toBe("T2 2024");
    expect(periodLabel("2024-03-01", "monthly")).toBe("mars 2024");
    expect(periodLabel("2025-01-01", "punctual")).toBe("1er janvier 2025");
  });
  it("reads DARES dates as quarters", () => {
    expect(quarterPeriod("2024-03-31")).toBe("2024-01-01");
    expect(quarterPeriod("2024-12-31")).toBe("2024-10-01");
    expect(quarterPeriod("2024T2")).toBe("2024-04-01");
    expect(quarterPeriod("30/09/2023")).toBe("2023-07-01");
    expect(quarterPeriod("2024-T5")).toBeNull();
    expect(quarterPeriod("hier")).toBeNull();
  });
  it("parses French and plain numbers", () => {
    expect(parseNumber("1 234,5")).toBe(1234.5);
    expect(parseNumber("1\u202f234")).toBe(1234);
    expect(parseNumber("12.5")).toBe(12.5);
    expect(parseNumber("")).toBeNull();
    expect(parseNumber("12a")).toBeNull();
  });
});
