import type { FieldErrors } from "../../../core/forms/index.ts";

/** Input that passed the form schema but breaks a rule only the database can check (unique number, foreign id…). */
export class FormError extends Error {
  constructor(public readonly errors: FieldErrors) {
    super(Object.values(errors)[0] ?? "Formulaire invalide");
  }
}

/** The command cannot run in the current state (restoring a theme whose code is now taken…); the message is French. */
export class ConflictError extends Error {}

/** The person may not change this record (an agent limited to another intercommunalité…); the message is French. */
export class ForbiddenError extends Error {}

/** The record named in the URL does not exist in this territory (or vanished meanwhile). */
export class NotFoundError extends Error {}

/** True when a database error (possibly wrapped by Drizzle) is a unique violation, of `constraint` when given. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  let cur: unknown = e;
  for (let i = 0; i < 5 && cur && typeof cur === "object"; i++) {
    const err = cur as { code?: unknown; constraint?: unknown; message?: unknown; cause?: unknown };
    if (err.code === "23505") return !constraint || err.constraint === constraint || String(err.message ?? "").includes(constraint);
    cur = err.cause;
  }
  return false;
}

/** A title shortened for a button's accessible name or a message. */
export function shorten(s: string, max = 60): string {
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}
