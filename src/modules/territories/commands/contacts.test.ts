import { describe, expect, it } from "vitest";
import { normalisePhone } from "./contacts.ts";

describe("normalisePhone", () => {
  it("writes French numbers the usual way, whatever the separators or prefix", () => {
    for (const raw of ["0231662796", "02 31 66 27 96", "02.31.66.27.96", "02-31-66-27-96", "+33 2 31 66 27 96", "+33 (0)2 31 66 27 96", "0033231662796", "02\u00a031\u00a066\u00a027\u00a096"]) {
      expect(normalisePhone(raw), raw).toBe("02 31 66 27 96");
    }
  });
  it("refuses what is not a French 10-digit number", () => {
    for (const raw of ["", "12345", "0031662796", "00 31 66 27 96", "+44 20 7946 0958", "02 31 66 27 9", "02 31 66 27 966", "O2 31 66 27 96", "abc"]) {
      expect(normalisePhone(raw), raw).toBeNull();
    }
  });
});
