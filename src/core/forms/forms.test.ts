import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkbox, choiceField, formValues, idField, optionalText, parseForm, textField } from "./index.ts";

describe("formValues", () => {
  it("keeps strings and repeated fields, drops the CSRF token, prototype keys and non-strings", () => {
    const body = JSON.parse('{"_csrf":"t","a":"1","b":["x","y",3],"c":{"nested":1},"d":4,"__proto__":{"admin":true}}');
    const values = formValues(body);
    expect(values).toEqual({ a: "1", b: ["x", "y"] });
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
    expect(formValues(undefined)).toEqual({});
    expect(formValues("text")).toEqual({});
  });
});

describe("parseForm", () => {
  const schema = z.object({
    title: textField("le titre", { max: 20 }),
    note: optionalText("la note", { max: 10 }),
    tags: z.array(z.string()).optional(),
    kind: choiceField(["a", "b"] as const, "Choisissez un type."),
    published: checkbox,
    objectiveId: idField("Choisissez un objectif."),
  });

  it("takes the first value of a repeated single field, keeps arrays for array fields", () => {
    const r = parseForm(schema, { title: ["Premier", "Second"], tags: "seul", kind: "a", objectiveId: "3", _csrf: "x" });
    expect(r).toEqual({ ok: true, data: { title: "Premier", note: null, tags: ["seul"], kind: "a", published: false, objectiveId: 3 } });
    const many = parseForm(schema, { title: "T", tags: ["x", "y"], kind: "b", published: "on", objectiveId: "1" });
    expect(many.ok && many.data).toMatchObject({ tags: ["x", "y"], published: true });
  });

  it("gives the first French message of each field and keeps the values to show again", () => {
    const r = parseForm(schema, { title: "   ", note: "beaucoup trop long", kind: "z", objectiveId: "abc" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      title: "Indiquez le titre.",
      note: "Note ne doit pas dépasser 10 caractères.",
      kind: "Choisissez un type.",
      objectiveId: "Choisissez un objectif.",
    });
    expect(r.values).toEqual({ title: "   ", note: "beaucoup trop long", kind: "z", objectiveId: "abc" });
  });

  it("refuses control characters and over-long text in French", () => {
    const r = parseForm(schema, { title: "a\u0000b", kind: "a", objectiveId: "1" });
    expect(!r.ok && r.errors.title).toBe("Titre contient des caractères invalides.");
    const long = parseForm(schema, { title: "x".repeat(21), kind: "a", objectiveId: "1" });
    expect(!long.ok && long.errors.title).toBe("Titre ne doit pas dépasser 20 caractères.");
    // Line breaks and tabs are fine in long texts.
    const note = parseForm(schema, { title: "ok", note: "a\r\nb\tc", kind: "a", objectiveId: "1" });
    expect(note.ok && note.data.note).toBe("a\r\nb\tc");
  });

  it("answers zod's own messages in French", () => {
    const r = parseForm(z.object({ n: z.coerce.number().int().min(5) }), { n: "2" });
    expect(!r.ok && r.errors.n).toMatch(/5/);
    expect(!r.ok && r.errors.n).toMatch(/[àéèêç]|doit|Trop/i);
  });

  it("refuses ids outside PostgreSQL's integer range", () => {
    const s = z.object({ id: idField("Identifiant invalide.") });
    for (const bad of ["0", "-1", "1.5", "2147483648", "1e400", ""]) expect(parseForm(s, { id: bad }).ok, bad).toBe(false);
    expect(parseForm(s, { id: "2147483647" }).ok).toBe(true);
  });
});
