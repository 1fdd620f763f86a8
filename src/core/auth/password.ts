import { createRequire } from "node:module";
import { hash, verify } from "@node-rs/argon2";

// Argon2id, memory-hard (OWASP: m=19 MiB, t=2, p=1).
const OPTIONS = { algorithm: 2 /* Algorithm.Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password with Argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verified against when the account does not exist, so timing does not reveal which e-mails exist.
let dummyHash: Promise<string> | undefined;

/** Checks a password; with no stored hash it still spends the same time. */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hashPassword("collines-dummy-password");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

export const PASSWORD_MIN_LENGTH = 12;

// The bundled list of ~49,000 common passwords (zxcvbn-ts), loaded once on first use.
const require = createRequire(import.meta.url);
let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    const { dictionary } = require("@zxcvbn-ts/language-common") as { dictionary: Record<string, string[]> };
    common = new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  }
  return common;
}

/**
 * True for a password found in the common list, or made of one with digits or symbols around it
 * ("motdepasse2024!"), or of one repeated character.
 */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  const lower = password.toLowerCase();
  if (list.has(lower)) return true;
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, "");
  if (core.length >= 4 && list.has(core)) return true;
  if (/^(.)\1+$/.test(lower)) return true;
  return ["collines", "azertyuiop", "qwertyuiop", "motdepasse"].includes(core);
}
