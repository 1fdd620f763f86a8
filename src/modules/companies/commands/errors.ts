import type { FieldErrors } from "../../../core/forms/index.ts";

/** Input that passed the form schema but breaks a rule only the database can check; messages are French. */
export class FormError extends Error {
  constructor(public readonly errors: FieldErrors) {
    super(Object.values(errors)[0] ?? "Formulaire invalide");
  }
}

/** The record named in the URL does not exist in this territory. */
export class NotFoundError extends Error {}

/** True when a database error (possibly wrapped by Drizzle) is a unique violation. */
export function isUniqueViolation(e: unknown): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === "object"; i++) {
    if ((cur as { code?: unknown }).code === "23505") return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
