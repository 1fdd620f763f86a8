// Failures of the proposals' and questions' commands, sorted by the routes into HTTP answers.
import type { FieldErrors } from "../../../core/forms/index.ts";

/** Input that passed the form schema but breaks a rule only the database can check; answered 422. */
export class FormError extends Error {
  constructor(public readonly errors: FieldErrors) {
    super(Object.values(errors)[0] ?? "Formulaire invalide");
  }
}

/** The record's current state forbids the change (a rejected proposal accepted…); answered 409, French message. */
export class ConflictError extends Error {}

/** The record named in the URL does not exist in this territory; answered 404. */
export class NotFoundError extends Error {}

/** A title shortened for a button's accessible name or a message. */
export function shorten(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}
