import { describe, expect, it } from "vitest";
import { compactIdentifier, formatSiret, isValidCommuneCode, isValidSiren, isValidSiret, luhn } from "./identifiers.ts";

describe("identifiers", () => {
  it("checks SIRENs with the Luhn key", () => {
    expect(isValidSiren("732829320")).toBe(true);
    expect(isValidSiren("200068799")).toBe(true); // Intercom de la Vire au Noireau
    expect(isValidSiren("732829321")).toBe(false);
    expect(isValidSiren("73282932")).toBe(false);
    expect(isValidSiren("73282932a")).toBe(false);
  });
  it("checks SIRETs with the Luhn key and La Poste's exception", () => {
    expect(isValidSiret("73282932000074")).toBe(true);
    expect(isValidSiret("73282932000075")).toBe(false);
    // A valid key on an invalid SIREN is refused.
    expect(luhn("12345678900009")).toBe(false);
    expect(isValidSiret("7328293200007")).toBe(false);
    // La Poste: 356 000 000 + NIC whose digit sum is a multiple of 5, Luhn or not.
    expect(isValidSiret("35600000000048")).toBe(true);
    expect(isValidSiret("35600000000010")).toBe(true); // digit sum 15, Luhn fails
    expect(isValidSiret("35600000000011")).toBe(false); // digit sum 16, Luhn fails
  });
  it("checks commune codes, Corsica included", () => {
    for (const ok of ["14762", "61169", "2A004", "2B033", "97411", "75056", "98735"]) expect(isValidCommuneCode(ok), ok).toBe(true);
    for (const bad of ["20004", "2C004", "1476", "147620", "00001", "96001", "97901", "99100", "14000", "A1004"]) expect(isValidCommuneCode(bad), bad).toBe(false);
  });
  it("formats and compacts", () => {
    expect(compactIdentifier("732 829 320\u00a000074")).toBe("73282932000074");
    expect(formatSiret("73282932000074")).toBe("732 829 320 00074");
    expect(formatSiret("732829320")).toBe("732 829 320");
  });
});
