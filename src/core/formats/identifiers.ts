// French business and place identifiers: SIREN, SIRET (INSEE Sirene) and INSEE commune codes.
// Pure functions, shared by every module (companies, participation, observatory, accounts).

/** Removes spaces (ordinary and no-break) and dots that people type inside numbers. */
export function compactIdentifier(raw: string): string {
  return raw.replace(/[\s\u00a0\u202f.]/g, "");
}

/** True when the digits pass the Luhn check (every second digit from the right doubled). */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** La Poste's SIREN: its establishments' SIRETs are keyed by a digit sum multiple of 5 instead of Luhn. */
export const LA_POSTE_SIREN = "356000000";

/** True for a valid SIREN: 9 digits with the Luhn key. */
export function isValidSiren(siren: string): boolean {
  return /^\d{9}$/.test(siren) && luhn(siren);
}

/** True for a valid SIRET: 14 digits, a valid SIREN, and the Luhn key (La Poste: digit sum multiple of 5). */
export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (siret.startsWith(LA_POSTE_SIREN)) {
    let sum = 0;
    for (const c of siret) sum += c.charCodeAt(0) - 48;
    return sum % 5 === 0 || luhn(siret);
  }
  return isValidSiren(siret.slice(0, 9)) && luhn(siret);
}

/**
 * True for a well-formed INSEE commune code (code officiel géographique): a département code
 * (01–19, 21–95, 2A, 2B for Corsica — never 20 —, 971–978 overseas, 984–989 other overseas
 * collectivities) followed by the commune number. The code must still exist in the national tables
 * to be a real commune; this checks its shape only.
 */
export function isValidCommuneCode(code: string): boolean {
  if (!/^[0-9][0-9AB][0-9]{3}$/.test(code)) return false;
  const dep = code.slice(0, 2);
  if (dep === "2A" || dep === "2B") return code.slice(2) !== "000";
  if (/[AB]/.test(dep)) return false;
  const n = Number(dep);
  if (n === 0 || n === 20 || n === 96) return false;
  if (n === 97) return /^97[1-8]/.test(code);
  if (n === 98) return /^98[4-9]/.test(code);
  if (n === 99) return false;
  return code.slice(2) !== "000";
}

/** A SIREN or SIRET shown in groups of three digits (and the NIC apart), as on a Kbis: 123 456 789 00012. */
export function formatSiret(value: string): string {
  if (/^\d{14}$/.test(value)) return `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6, 9)} ${value.slice(9)}`;
  if (/^\d{9}$/.test(value)) return `${value.slice(0, 3)} ${value.slice(3, 6)} ${value.slice(6, 9)}`;
  return value;
}
