import { describe, expect, it } from "vitest";
import { partnerLines } from "./save-action.ts";
import { isUniqueViolation } from "./errors.ts";

describe("partnerLines", () => {
  it("keeps one trimmed partner a line, without blanks or repeats (case-insensitive)", () => {
    expect(partnerLines(" CCI Ouest Normandie \r\n\n  cci ouest  normandie\nPôle   emploi\n")).toEqual(["CCI Ouest Normandie", "Pôle emploi"]);
    expect(partnerLines(null)).toEqual([]);
  });
});

describe("isUniqueViolation", () => {
  it("finds the PostgreSQL code through Drizzle's wrapping", () => {
    const pg = Object.assign(new Error("duplicate key value violates unique constraint \"plan_actions_number_uq\""), { code: "23505", constraint: "plan_actions_number_uq" });
    expect(isUniqueViolation(new Error("Failed query", { cause: pg }), "plan_actions_number_uq")).toBe(true);
    expect(isUniqueViolation(pg, "other_uq")).toBe(false);
    expect(isUniqueViolation(new Error("boom"))).toBe(false);
  });
});
