import { describe, expect, it } from "vitest";
import { contentDisposition, textFields, uploadedFile } from "./upload.ts";

describe("core/http/upload", () => {
  it("builds a Content-Disposition no name can break", () => {
    expect(contentDisposition("Compte rendu été 2026.pdf")).toBe(`attachment; filename="Compte rendu ete 2026.pdf"; filename*=UTF-8''Compte%20rendu%20%C3%A9t%C3%A9%202026.pdf`);
    const nasty = contentDisposition('a"\r\nSet-Cookie: x=1;\\..\\b.pdf', "inline");
    expect(nasty).not.toMatch(/[\r\n]/);
    expect(nasty.startsWith('inline; filename="b.pdf"')).toBe(true);
    expect(contentDisposition("\u202e")).toContain('filename="fichier"');
  });

  it("reads the file and the text fields of a parsed body", () => {
    const file = { kind: "upload" as const, filename: "a.pdf", data: Buffer.from("x"), truncated: false };
    const body = { _csrf: "t", title: "Titre", file, tags: ["a", "b"] };
    expect(uploadedFile(body, "file")).toBe(file);
    expect(uploadedFile(body, "title")).toBeUndefined();
    expect(uploadedFile({ file: { ...file, filename: "", data: Buffer.alloc(0) } }, "file")).toBeUndefined();
    expect(textFields(body)).toEqual({ _csrf: "t", title: "Titre", tags: ["a", "b"] });
  });
});
