import { z } from "zod";

// Every validation message a user reads is French.
z.config(z.locales.fr());

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string | string[] | undefined>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: FormValues };

/** Normalises a urlencoded body: strings only, repeated fields kept as arrays, the CSRF token dropped. */
export function formValues(body: unknown): FormValues {
  const out: FormValues = {};
  if (!body || typeof body !== "object") return out;
  for (const [key, raw] of Object.entries(body as Record<string, unknown>)) {
    if (key === "_csrf" || key === "__proto__") continue;
    if (Array.isArray(raw)) out[key] = raw.filter((v) => typeof v === "string") as string[];
    else if (typeof raw === "string") out[key] = raw;
  }
  return out;
}

/**
 * Validates a form with its zod schema. Fields the schema wants as one value get the first one
 * when the form repeats them; the first message of each field is kept.
 */
export function parseForm<S extends z.ZodObject>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const values = formValues(body);
  const input: Record<string, unknown> = {};
  for (const [key, shape] of Object.entries(schema.shape)) {
    const v = values[key];
    const wantsArray = (shape as z.ZodType).def.type === "array" || innerType(shape as z.ZodType) === "array";
    input[key] = Array.isArray(v) && !wantsArray ? v[0] : !Array.isArray(v) && wantsArray && v !== undefined ? [v] : v;
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "_form");
    errors[key] ??= issue.message;
  }
  return { ok: false, errors, values };
}

function innerType(t: z.ZodType): string {
  let cur: z.ZodType = t;
  for (let i = 0; i < 5; i++) {
    const def = cur.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    if (def.innerType) cur = def.innerType;
    else if (def.type === "pipe" && def.in) cur = def.in;
    else return def.type;
  }
  return cur.def.type;
}

/** A single-line text field: trimmed, required unless said otherwise, with a maximum length. */
export function textField(label: string, opts: { max?: number; min?: number } = {}) {
  const max = opts.max ?? 200;
  return z
    .string({ error: `Indiquez ${label}.` })
    .trim()
    .min(opts.min ?? 1, { error: `Indiquez ${label}.` })
    .max(max, { error: `${capitalise(label)} ne doit pas dépasser ${max} caractères.` })
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s), { error: `${capitalise(label)} contient des caractères invalides.` });
}

/** An optional text: empty becomes null. */
export function optionalText(label: string, opts: { max?: number } = {}) {
  const max = opts.max ?? 5000;
  return z
    .string()
    .trim()
    .max(max, { error: `${capitalise(label)} ne doit pas dépasser ${max} caractères.` })
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(s), { error: `${capitalise(label)} contient des caractères invalides.` })
    .optional()
    .transform((s) => (s ? s : null));
}

/** A choice among fixed values, with a French message. */
export function choiceField<const T extends readonly [string, ...string[]]>(values: T, message: string) {
  return z.enum(values, { error: message });
}

/** A checkbox: present means true. */
export const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true" || v === "1");

/** A positive integer id, as found in URLs and selects. */
export function idField(message: string) {
  return z.coerce.number({ error: message }).int({ error: message }).positive({ error: message }).max(2147483647, { error: message });
}

/** An optional id from a select whose empty choice means none: `null` when empty. */
export function optionalIdField(message: string) {
  return z
    .union([z.literal(""), idField(message)], { error: message })
    .optional()
    .transform((v) => (v === "" || v === undefined ? null : v));
}

function capitalise(s: string): string {
  return s.replace(/^(le |la |l'|les |un |une )/, "").replace(/^./, (c) => c.toUpperCase());
}
