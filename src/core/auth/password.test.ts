import { describe, expect, it } from "vitest";
import { hashPassword, isCommonPassword, verifyPassword } from "./password.ts";

describe("passwords", () => {
  it("hashes with Argon2id and verifies", async () => {
    const h = await hashPassword("une phrase de passe solide");
    expect(h.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(h, "une phrase de passe solide")).toBe(true);
    expect(await verifyPassword(h, "autre chose")).toBe(false);
    expect(await verifyPassword(null, "x")).toBe(false);
    expect(await verifyPassword("not-a-hash", "x")).toBe(false);
  });

  it("refuses common passwords and their decorated forms", () => {
    expect(isCommonPassword("qwerty123456")).toBe(true);
    expect(isCommonPassword("Password1234!")).toBe(true);
    expect(isCommonPassword("aaaaaaaaaaaaaa")).toBe(true);
    expect(isCommonPassword("collines2026!")).toBe(true);
    expect(isCommonPassword("le bocage fleurit en mai")).toBe(false);
  });
});
