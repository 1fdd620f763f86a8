import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";

export const PUBLIC_DIR = new URL("../../../public", import.meta.url).pathname;

export interface Asset {
  url: string;
  body: Buffer;
  type: string;
  hash: string;
}

const TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * The style sheet: public/css/app.css followed by each module's sheet of public/css/modules/ (in
 * name order), served as one file so a page asks for one style sheet only.
 */
function styleSheet(): Buffer {
  const dir = join(PUBLIC_DIR, "css", "modules");
  const parts = [readFileSync(join(PUBLIC_DIR, "css", "app.css"))];
  try {
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".css")).sort()) parts.push(readFileSync(join(dir, name)));
  } catch {
    // No module sheet.
  }
  return Buffer.concat(parts.flatMap((p) => [p, Buffer.from("\n")]));
}

/** Every file of public/, served at /assets/{name}.{hash}.{ext} so it can be cached forever. */
function loadAssets(): Map<string, Asset> {
  const map = new Map<string, Asset>();
  for (const file of walk(PUBLIC_DIR)) {
    const ext = extname(file);
    const rel0 = relative(PUBLIC_DIR, file);
    if (rel0.startsWith(join("css", "modules"))) continue;
    const body = rel0 === join("css", "app.css") ? styleSheet() : readFileSync(file);
    const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
    const rel = relative(PUBLIC_DIR, file);
    const url = `/assets/${rel.slice(0, -ext.length)}.${hash}${ext}`;
    map.set(rel, { url, body, type: TYPES[ext] ?? "application/octet-stream", hash });
  }
  return map;
}

export const assets = loadAssets();
export const assetsByUrl = new Map([...assets.values()].map((a) => [a.url, a]));

/** The hashed URL of a file of public/ (e.g. `css/app.css`). */
export function assetUrl(name: string): string {
  const a = assets.get(name);
  if (!a) throw new Error(`Fichier statique inconnu : ${name}`);
  return a.url;
}

/** Changes whenever any asset changes: part of every page's ETag. */
export const assetsVersion = createHash("sha256")
  .update([...assets.values()].map((a) => a.hash).join(","))
  .digest("hex")
  .slice(0, 8);
