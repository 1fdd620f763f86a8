import type { Tx } from "../../../core/db/client.ts";
import type { FieldErrors } from "../../../core/forms/index.ts";
import type { RouteContext } from "../../../core/http/registry.ts";

/** Input that passed the form schema but breaks a rule only the database can check; messages are French. */
export class FormError extends Error {
  constructor(public readonly errors: FieldErrors) {
    super(Object.values(errors)[0] ?? "Formulaire invalide");
  }
}

/** The record named in the URL does not exist in this territory (or is not visible to this person). */
export class NotFoundError extends Error {}

/** A change the current state forbids (registrations closed, workshop cancelled…): a French sentence. */
export class ConflictError extends Error {}

export type Ctx = RouteContext<any, any>;
export type Outcome<T> = { value: T } | { errors: FieldErrors } | { notFound: true } | { conflict: string };

/** Runs a command in one transaction and sorts its failures: bad input, absent record, forbidden state. */
export async function attempt<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<Outcome<T>> {
  try {
    return { value: await ctx.database.db.transaction((tx) => fn(tx)) };
  } catch (e) {
    if (e instanceof FormError) return { errors: e.errors };
    if (e instanceof NotFoundError) return { notFound: true };
    if (e instanceof ConflictError) return { conflict: e.message };
    throw e;
  }
}
