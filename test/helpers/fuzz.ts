// Hostile-input generator for the route fuzz test (test/fuzz.test.ts): inputs derived from each
// route's own zod schemas (through their JSON Schema: valid, boundary and invalid values) and a
// fixed hostile corpus (markup, SQL, NUL bytes, invalid UTF-8, RTL marks, huge and nested bodies,
// wrong content types, duplicated fields, absurd numbers and dates, bad SIRET/INSEE codes).
// Every textual input carries a unique marker so a reflection can be traced to its request.
import { z } from "zod";
import type { RouteDef } from "../../src/core/http/registry.ts";

/** A small deterministic generator (mulberry32): the same seed gives the same inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

/** A JSON Schema property, as zod 4's toJSONSchema writes it (the parts we use). */
interface JsonProp {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  format?: string;
  anyOf?: JsonProp[];
  items?: JsonProp;
}

/** The properties of a zod object schema, as JSON Schema (input side; transforms become "any"). */
export function schemaProps(schema: z.ZodObject | undefined): Record<string, JsonProp> {
  if (!schema) return {};
  try {
    const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, JsonProp> };
    return json.properties ?? {};
  } catch {
    // A schema JSON Schema cannot express: fall back to its keys.
    return Object.fromEntries(Object.keys(schema.shape).map((k) => [k, {}]));
  }
}

/**
 * Values a field's own schema calls for: a valid one, the boundaries (exactly the maximum length,
 * one more, one less than the minimum, empty) and invalid ones (wrong type, an enum value off by one
 * character, a string breaking the pattern). `mark` is added where a string can carry it.
 */
export function derivedValues(p: JsonProp, mark: string): string[] {
  const out: string[] = [];
  const alts = p.anyOf ?? [p];
  for (const a of alts) {
    if (a.enum) out.push(...a.enum.map(String), `${String(a.enum[0])}x`, `${mark}`);
    if (a.const !== undefined) out.push(String(a.const), `${String(a.const)} `);
    const type = Array.isArray(a.type) ? a.type[0] : a.type;
    if (type === "integer" || type === "number") {
      const lo = a.minimum ?? (a.exclusiveMinimum !== undefined ? a.exclusiveMinimum + 1 : 0);
      const hi = a.maximum ?? (a.exclusiveMaximum !== undefined ? a.exclusiveMaximum - 1 : 2147483647);
      out.push(String(lo), String(hi), String(lo - 1), String(hi + 1), "1.5", "1e3", "-0", "0x1A", " 7 ", "abc");
    }
    if (type === "string" || type === undefined) {
      const min = a.minLength ?? 0;
      const max = a.maxLength;
      if (max !== undefined) {
        out.push(fill(mark, max), fill(mark, max + 1));
        if (max < 1000) out.push(` ${fill(mark, max)} `);
      }
      if (min > 1) out.push(fill(mark, min - 1), fill(mark, min));
      out.push("", " ", "\t\n");
      if (a.pattern) out.push(`${mark}<>"'`, fill("9", 20));
      if (a.format === "email") out.push("a@b", `${mark}@exemple.fr`, `<${mark}>@exemple.fr`);
    }
    if (type === "boolean") out.push("true", "false", "on", "off", "1", "yes");
    if (type === "array") out.push("", mark);
  }
  return out;
}

/** A string of exactly n characters that starts with the marker (when it fits). */
function fill(mark: string, n: number): string {
  if (n <= 0) return "";
  const s = `${mark}${"é".repeat(Math.max(0, n))}`;
  return [...s].slice(0, n).join("");
}

/**
 * The fixed hostile corpus: each entry is a function of the marker so a reflection points at its
 * request. `probe` is the substring that must never appear in an HTML answer: the same text with
 * its `<` intact (escaped output shows `&lt;`).
 */
export function hostileStrings(mark: string): { value: string; probe?: string }[] {
  const tag = (s: string) => ({ value: s, probe: s.slice(s.indexOf("<"), s.indexOf(mark) + mark.length) });
  return [
    tag(`<script>alert("${mark}")</script>`),
    tag(`"><img src=x onerror=alert('${mark}')>`),
    tag(`'><svg/onload=alert(\`${mark}\`)>`),
    tag(`<a href="javascript:alert('${mark}')">${mark}</a>`),
    tag(`</textarea><script>${mark}</script>`),
    tag(`<!--${mark}--><iframe src=//evil.example>`),
    { value: `${mark}' OR '1'='1` },
    { value: `${mark}'; DROP TABLE users; --` },
    { value: `1 UNION SELECT password_hash FROM users -- ${mark}` },
    { value: `${mark}\u0000nul` },
    { value: `${mark}\u0001\u0008\u001b[31m` },
    { value: `\u202E${mark}fdp.exe` },
    { value: `\u200F\u200E${mark}\u2066\u2069` },
    { value: `${mark}\uD800` },
    { value: `${mark}${"A".repeat(100_000)}` },
    { value: `${mark} 🏭 ${"é".repeat(50)}` },
    { value: "-1" },
    { value: "0" },
    { value: "-2147483649" },
    { value: "2147483648" },
    { value: "9007199254740993" },
    { value: "1e308" },
    { value: "NaN" },
    { value: "Infinity" },
    { value: "2019-02-30" },
    { value: "2019-13-01" },
    { value: "0000-00-00" },
    { value: "9999-12-31T23:59:60" },
    { value: "1234567890123" }, // SIRET of 13 digits
    { value: "12345678901235" }, // SIRET failing the Luhn check
    { value: "123456789012345" }, // 15 digits
    { value: "ABCDEFGHIJKLMN" },
    { value: "12345678" }, // SIREN of 8
    { value: "6100" }, // INSEE of 4
    { value: "2A0X4" },
    { value: "999999" },
    { value: "../../etc/passwd" },
    { value: "%00%2e%2e%2f" },
    { value: "{{7*7}}${7*7}" },
  ];
}

/** Params replaced one by one: ids of nothing, absurd numbers, path tricks, markup. */
export function hostileParams(mark: string): string[] {
  return ["0", "-1", "99999999999999999999", "2147483648", "1.5", "1e3", "abc", "%00", "..%2F..%2Fetc%2Fpasswd", encodeURIComponent(`<${mark}>`), "%C3%28", "A".repeat(300), "%E2%80%AE"];
}

export type Mutation =
  | { kind: "field"; field: string; value: string; probe?: string; label: string }
  | { kind: "duplicate"; field: string; label: string }
  | { kind: "param"; param: string; value: string; label: string }
  | { kind: "query"; field: string; value: string; probe?: string; label: string }
  | { kind: "raw"; contentType: string; body: Buffer | string; label: string; withToken: boolean };

/** Every field a route's form or query could carry: its schemas' keys, plus those of a valid request. */
export function fieldsOf(route: RouteDef, validForm: Record<string, unknown> | undefined): string[] {
  return [...new Set([...Object.keys(schemaProps(route.body)), ...Object.keys(validForm ?? {})])];
}

/** Deeply nested JSON: [[[…]]] `depth` levels deep. */
export function nestedJson(depth: number): string {
  return `{"a":${"[".repeat(depth)}1${"]".repeat(depth)}}`;
}

/**
 * The mutations of one route: `count` picked deterministically from everything its schemas and
 * the corpus offer (the fixed raw-body cases always included for a POST).
 */
export function mutationsFor(
  route: RouteDef,
  validForm: Record<string, unknown> | undefined,
  count: number,
  r: () => number,
  marker: () => string,
  raw = true,
): Mutation[] {
  const out: Mutation[] = [];
  const bodyProps = schemaProps(route.body);
  const queryProps = schemaProps(route.query);
  const paramNames = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
  const fields = route.method === "POST" ? fieldsOf(route, validForm) : [];
  const candidates: (() => Mutation)[] = [];
  for (const f of fields) {
    candidates.push(() => {
      const m = marker();
      const pool = [...derivedValues(bodyProps[f] ?? {}, m).map((value) => ({ value, probe: undefined as string | undefined })), ...hostileStrings(m)];
      const v = pick(r, pool);
      return { kind: "field", field: f, value: v.value, probe: v.probe, label: `${f}=${short(v.value)}` };
    });
    candidates.push(() => {
      const m = marker();
      const v = pick(r, hostileStrings(m).filter((x) => x.probe));
      return { kind: "field", field: f, value: v.value, probe: v.probe, label: `${f}=${short(v.value)}` };
    });
  }
  for (const q of Object.keys(queryProps)) {
    candidates.push(() => {
      const m = marker();
      const pool = [...derivedValues(queryProps[q], m).map((value) => ({ value, probe: undefined as string | undefined })), ...hostileStrings(m)];
      const v = pick(r, pool);
      return { kind: "query", field: q, value: v.value, probe: v.probe, label: `?${q}=${short(v.value)}` };
    });
  }
  for (const p of paramNames) {
    candidates.push(() => {
      const v = pick(r, hostileParams(marker()));
      return { kind: "param", param: p, value: v, label: `:${p}=${short(v)}` };
    });
  }
  // Unknown query parameters must be ignored, whatever they carry.
  candidates.push(() => {
    const m = marker();
    const v = pick(r, hostileStrings(m).filter((x) => x.probe));
    return { kind: "query", field: "x", value: v.value, probe: v.probe, label: `?x=${short(v.value)}` };
  });
  if (route.method === "POST") {
    for (const f of fields) candidates.push(() => ({ kind: "duplicate", field: f, label: `${f} ×500` }));
  }
  for (let i = 0; i < count && candidates.length; i++) out.push(pick(r, candidates)());
  if (route.method === "POST" && raw) {
    const f = fields[0] ?? "x";
    out.push(
      { kind: "raw", contentType: "application/x-www-form-urlencoded", body: `${f}=${"A".repeat(10 * 1024 * 1024)}`, label: "corps de 10 Mo", withToken: true },
      { kind: "raw", contentType: "application/x-www-form-urlencoded", body: Buffer.concat([Buffer.from(`${f}=`), Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x00, 0x80])]), label: "octets UTF-8 invalides", withToken: true },
      { kind: "raw", contentType: "application/x-www-form-urlencoded", body: `${f}=%C3%28%FF%FE%00`, label: "UTF-8 invalide encodé", withToken: true },
      { kind: "raw", contentType: "application/json", body: nestedJson(20_000), label: "JSON imbriqué 20 000 niveaux", withToken: true },
      { kind: "raw", contentType: "application/json", body: JSON.stringify({ [f]: { $gt: "" }, __proto__: { admin: true } }), label: "JSON objet au lieu de texte", withToken: true },
      { kind: "raw", contentType: "application/json", body: "{\"a\":", label: "JSON tronqué", withToken: true },
      { kind: "raw", contentType: "text/plain", body: `${f}=x`, label: "text/plain", withToken: true },
      { kind: "raw", contentType: "application/xml", body: `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`, label: "XML avec entité externe", withToken: true },
      { kind: "raw", contentType: "multipart/form-data; boundary=zz", body: `--zz\r\nContent-Disposition: form-data; name="${f}"\r\n\r\nx\r\n--zz`, label: "multipart tronqué", withToken: true },
      { kind: "raw", contentType: "application/x-www-form-urlencoded; charset=utf-16", body: `${f}=x`, label: "charset utf-16", withToken: true },
      { kind: "raw", contentType: "application/x-www-form-urlencoded", body: `${f}[a][b][c]=1&__proto__[admin]=1&constructor[prototype][admin]=1`, label: "champs prototype", withToken: true },
    );
  }
  return out;
}

function short(s: string): string {
  const flat = JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}…(${s.length})` : s);
  return flat.slice(1, -1);
}
