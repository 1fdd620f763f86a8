import { ImportError } from "./errors.ts";

/** What a file's header must hold. Names are compared trimmed and case-insensitively. */
export interface HeaderSpec {
  /** Columns that must be present. */
  required: string[];
  /** Columns read when present. */
  optional?: string[];
  /** Families of columns recognised by their name (e.g. one per year: /^effectifs_salaries_(\d{4})$/i). */
  patterns?: RegExp[];
  /** At least one column of the `patterns` must be present (a wide file without any year is refused). */
  requirePattern?: boolean;
  /** Other columns are ignored rather than refused (wide national files we read a few columns of). */
  ignoreUnknown?: boolean;
}

export interface CheckedHeader {
  /** The header as in the file. */
  names: string[];
  /** Index of a column (required or optional), or -1 when an optional one is absent. */
  col(name: string): number;
  /** Columns matching a pattern, with the pattern's first capture (e.g. the year). */
  matching(pattern: RegExp): { index: number; name: string; key: string }[];
}

const norm = (s: string) => s.replace(/^\uFEFF/, "").trim().toLowerCase();

/** Checks a header against its spec: a missing, unknown or repeated column is a French error naming it. */
export function checkHeader(names: string[], spec: HeaderSpec): CheckedHeader {
  const normalized = names.map(norm);
  const index = new Map<string, number>();
  normalized.forEach((n, i) => {
    if (!n) return;
    if (index.has(n)) throw new ImportError(`La colonne « ${names[i].trim()} » figure deux fois dans l’en-tête (colonnes ${index.get(n)! + 1} et ${i + 1}).`);
    index.set(n, i);
  });
  const expected = [...spec.required, ...(spec.optional ?? [])];
  const known = new Set(expected.map(norm));
  const missing = spec.required.filter((r) => !index.has(norm(r)));
  const describeExpected = () =>
    `Colonnes attendues : ${expected.join(", ")}${spec.patterns?.length ? ` et ${spec.patterns.map((p) => p.source.replace(/^\^|\$$/g, "").replace(/\(\\d\{4\}\)/g, "AAAA")).join(", ")}` : ""}.`;
  if (missing.length) {
    throw new ImportError(
      `${missing.length === 1 ? "Colonne manquante" : "Colonnes manquantes"} dans l’en-tête du fichier : ${missing.map((m) => `« ${m} »`).join(", ")}. ${describeExpected()}`,
    );
  }
  if (!spec.ignoreUnknown) {
    const unknown = names.filter((n, i) => normalized[i] && !known.has(normalized[i]) && !spec.patterns?.some((p) => p.test(n.trim())));
    if (unknown.length) {
      throw new ImportError(
        `${unknown.length === 1 ? "Colonne inconnue" : "Colonnes inconnues"} dans l’en-tête du fichier : ${unknown
          .slice(0, 10)
          .map((u) => `« ${u.trim()} »`)
          .join(", ")}${unknown.length > 10 ? "…" : ""}. Le format du fichier a peut-être changé. ${describeExpected()}`,
      );
    }
  }
  const matching = (pattern: RegExp) =>
    names.flatMap((n, i) => {
      const m = pattern.exec(n.trim());
      return m ? [{ index: i, name: n.trim(), key: m[1] ?? m[0] }] : [];
    });
  if (spec.requirePattern && spec.patterns?.length && !spec.patterns.some((p) => matching(p).length)) {
    throw new ImportError(`Aucune colonne annuelle dans l’en-tête du fichier. ${describeExpected()}`);
  }
  return {
    names,
    col: (name) => index.get(norm(name)) ?? -1,
    matching,
  };
}
