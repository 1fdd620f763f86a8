// Small readers of rendered HTML for assertions (no DOM needed for what the tests check).
import type { LightMyRequestResponse } from "fastify";
import { expect } from "vitest";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };

/** Decodes the HTML entities Preact writes. */
export function decode(s: string): string {
  return s.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

/** The visible text of a page (tags dropped, entities decoded, spaces collapsed). */
export function textOf(html: string): string {
  return decode(
    html
      .replace(/<(script|style|svg)\b[\s\S]*?<\/\1>/gi, " ")
      .replace(/<[^>]+>/g, " "),
  )
    .replace(/[\s\u00a0\u202f]+/g, " ")
    .trim();
}

/** The content of `<main>`. */
export function mainOf(html: string): string {
  const m = /<main\b[^>]*>([\s\S]*)<\/main>/.exec(html);
  return m ? m[1] : "";
}

/** Occurrences of a string or pattern. */
export function count(html: string, what: string | RegExp): number {
  if (typeof what === "string") return html.split(what).length - 1;
  return (html.match(new RegExp(what.source, what.flags.includes("g") ? what.flags : `${what.flags}g`)) ?? []).length;
}

/** The checks every full page passes: French, one h1, a skip link to the main content. */
export function expectWellFormedPage(res: LightMyRequestResponse, opts: { signedIn?: boolean } = {}) {
  expect(res.headers["content-type"]).toMatch(/^text\/html; charset=utf-8/);
  const html = res.body;
  expect(html.startsWith("<!doctype html>")).toBe(true);
  expect(html).toMatch(/<html lang="fr"/);
  expect(count(html, /<h1[\s>]/)).toBe(1);
  expect(html).toMatch(/<a class="skip-link" href="#contenu">/);
  expect(html).toMatch(/<main id="contenu"/);
  if (!opts.signedIn) expect(html).toMatch(/<a href="\/connexion[^"]*">Se connecter<\/a>/);
  // The strict CSP forbids inline styles and scripts: the pages must not rely on them.
  expect(html).not.toMatch(/\sstyle="/);
  expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
}

/** The text of the page's `<h1>`. */
export function h1Of(html: string): string {
  const m = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html);
  return m ? textOf(m[1]) : "";
}
