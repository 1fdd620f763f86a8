// HTTP caching of anonymous pages (ETag = content version shared by every process), private
// answers for signed-in people, immutable assets, compression.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { bumpContentVersion, recordAudit } from "../src/core/audit/index.ts";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { createTestApp, DB_KINDS, REF, signedInClient, type TestApp } from "./helpers/app.ts";
import { actionsOf } from "./helpers/data.ts";
import { textOf } from "./helpers/html.ts";

describe.each(DB_KINDS)("caching on %s", (kind) => {
  let t: TestApp;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });

  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  it("gives anonymous pages, the API and the CSV an ETag, and answers 304 when it matches", async () => {
    for (const url of ["/", `/t/${REF}`, `/t/${REF}/plan`, `/t/${REF}/plan.csv`, `/api/v1/territories/${REF}/plan`, "/api/openapi.json"]) {
      const first = await get(url);
      expect(first.statusCode, url).toBe(200);
      const etag = String(first.headers.etag);
      expect(etag, url).toMatch(/^W\/"\d+-[0-9a-f]+"$/);
      expect(first.headers["cache-control"]).toBe("public, max-age=0, must-revalidate");
      expect(String(first.headers.vary)).toMatch(/Cookie/);
      // Served again (from the page cache): same bytes, same ETag.
      const second = await get(url);
      expect(second.headers.etag).toBe(etag);
      expect(second.body).toBe(first.body);
      const revalidated = await get(url, { "if-none-match": etag });
      expect(revalidated.statusCode, url).toBe(304);
      expect(revalidated.body).toBe("");
      expect((await get(url, { "if-none-match": 'W/"0-autre"' })).statusCode).toBe(200);
    }
  });

  it("changes the ETag after a mutation, so no process serves a stale page", async () => {
    const url = `/t/${REF}/plan`;
    const before = await get(url);
    const etag = String(before.headers.etag);

    await bumpContentVersion(t.database.db);
    // A write made outside the app reaches it by LISTEN/NOTIFY at commit, within milliseconds.
    const afterBump = await eventually(() => get(url, { "if-none-match": etag }), (r) => r.statusCode === 200);
    expect(afterBump.statusCode).toBe(200);
    expect(afterBump.headers.etag).not.toBe(etag);

    // A write with its audit entry (as every command does) invalidates the page, here and in
    // another process on the same database, and the new content is served.
    const other = await buildApp({ config: loadConfig({ NODE_ENV: "test", BASE_URL: "http://localhost:3000", LOG_LEVEL: "silent" }), database: t.database, logger: false });
    try {
      const otherBefore = await other.inject({ url });
      expect(otherBefore.headers.etag).toBe(afterBump.headers.etag);
      const a2 = (await actionsOf(t.database, REF)).find((a) => a.number === 2)!;
      await t.database.db.transaction(async (tx) => {
        await tx.execute(`update plan_actions set title = 'Titre modifié pour le test de cache' where id = ${a2.id}` as never);
        await recordAudit(tx, { actor: ANONYMOUS, role: "test" }, { action: "update", entity: "action", entityId: a2.id });
      });
      for (const app of [t.app, other]) {
        const res = await eventually(() => app.inject({ url, headers: { "if-none-match": String(afterBump.headers.etag) } }), (r) => r.statusCode === 200);
        expect(res.statusCode).toBe(200);
        expect(res.headers.etag).not.toBe(afterBump.headers.etag);
        expect(textOf(res.body)).toContain("Titre modifié pour le test de cache");
      }
    } finally {
      await other.close();
    }
  });

  it("keeps signed-in answers private and uncached", async () => {
    const agent = await signedInClient(t, { role: "agent", territory: REF });
    for (const url of ["/", `/t/${REF}/plan`, "/gestion"]) {
      const res = await agent.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["cache-control"], url).toBe("private, no-store");
      expect(res.headers.etag, url).toBeUndefined();
      expect(res.body).not.toMatch(/<a href="\/connexion[^"]*">Se connecter<\/a>/);
    }
    // An anonymous visitor then never gets the agent's version of a page.
    const anon = await get(`/t/${REF}/plan`);
    expect(anon.body).toMatch(/>Se connecter<\/a>/);
    expect(anon.body).not.toContain("Se déconnecter");
    // A flash message makes the page personal: not cached either.
    const flashed = await get(`/t/${REF}/plan`, { cookie: "collines_flash=Bonjour" });
    expect(flashed.headers["cache-control"]).toBe("private, no-store");
    expect(flashed.headers.etag).toBeUndefined();
  });

  it("serves hashed assets as immutable, and unknown asset names as 404", async () => {
    const page = await get(`/t/${REF}`);
    const urls = [...page.body.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    }
    const css = urls.find((u) => u.endsWith(".css"))!;
    expect((await get(css)).headers["content-type"]).toBe("text/css; charset=utf-8");
    expect((await get(css.replace(/\.[0-9a-f]{12}\.css$/, ".000000000000.css"))).statusCode).toBe(404);
    const favicon = await get("/favicon.ico");
    expect(favicon.statusCode).toBe(301);
    expect(favicon.headers.location).toMatch(/^\/assets\/favicon\.[0-9a-f]{12}\.svg$/);
  });

  it("compresses with Brotli or gzip when asked, and not otherwise", async () => {
    for (const url of [`/t/${REF}/plan`, "/api/openapi.json"]) {
      const plain = await get(url);
      expect(plain.headers["content-encoding"]).toBeUndefined();
      for (let i = 0; i < 2; i++) {
        // Twice: rendered, then from the page cache.
        const br = await get(url, { "accept-encoding": "gzip, deflate, br" });
        expect(br.headers["content-encoding"]).toBe("br");
        expect(String(br.headers.vary)).toMatch(/Accept-Encoding/);
        expect(brotliDecompressSync(br.rawPayload).toString("utf8")).toBe(plain.body);
        expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
        const gz = await get(url, { "accept-encoding": "gzip" });
        expect(gz.headers["content-encoding"]).toBe("gzip");
        expect(gunzipSync(gz.rawPayload).toString("utf8")).toBe(plain.body);
      }
      expect((await get(url, { "accept-encoding": "br;q=0, identity" })).headers["content-encoding"]).toBeUndefined();
    }
    // Uncached (signed-in) pages are compressed too.
    const agent = await signedInClient(t, { role: "agent", territory: REF });
    const res = await agent.get(`/t/${REF}/plan`, { "accept-encoding": "gzip" });
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(res.rawPayload).toString("utf8")).toContain("<h1>Plan d'actions</h1>");
  });
});

/** Retries a request until its answer passes (notifications cross connections asynchronously). */
async function eventually<T>(attempt: () => Promise<T>, ok: (r: T) => boolean, timeoutMs = 3000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await attempt();
    if (ok(r) || Date.now() > end) return r;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
