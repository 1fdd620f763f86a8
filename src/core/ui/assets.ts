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

/** Every file of public/, served at /assets/{name}.{hash}.{ext} so it can be cached forever. */
function loadAssets(): Map<string, Asset> {
  const map = new Map<string, Asset>();
  for (const file of walk(PUBLIC_DIR)) {
    const ext = extname(file);
    const body = readFileSync(file);
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
