// Load shedding with the real @fastify/under-pressure (the other in-process tests switch it off,
// see helpers/setup.ts): when the event loop has been blocked, the app answers 503 at once and
// does not run the route anyway.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { Client, createTestApp, createTestDatabase, REF, signedInClient, type TestApp } from "./helpers/app.ts";
import { rowCounts } from "./helpers/data.ts";

vi.unmock("@fastify/under-pressure");

describe("load shedding", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp("pglite");
  });
  afterAll(async () => t?.close());

  it("answers 503 with Retry-After after a stalled event loop, without running the route", async () => {
    const c = new Client(t.app);
    const token = await c.csrf("/connexion");
    const before = await rowCounts(t.database, ["sign_in_attempts"]);
    // Block the event loop for longer than the plugin's 1 s sample.
    const end = Date.now() + 2500;
    while (Date.now() < end) {
      /* busy */
    }
    await new Promise((r) => setTimeout(r, 20));
    const res = await c.post("/connexion", { email: "personne@exemple.fr", password: "mauvais-mot-de-passe" }, { csrf: token });
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("10");
    expect(res.body).toContain("Service surchargé");
    // Shedding load means the work is not done: no failed attempt was recorded.
    await new Promise((r) => setTimeout(r, 200));
    expect(await rowCounts(t.database, ["sign_in_attempts"])).toEqual(before);
    // Once the loop breathes again, the app answers normally.
    await new Promise((r) => setTimeout(r, 2200));
    expect((await t.app.inject({ url: "/healthz" })).statusCode).toBe(200);
  }, 30_000);
});

describe("overload: a bounded number of requests in progress", () => {
  let t: TestApp;
  beforeAll(async () => {
    // The real app with a small bound, so a test can exceed it.
    const database = await createTestDatabase("pglite");
    const config = loadConfig({ NODE_ENV: "test", DATA_DIR: ".tmp/data", BASE_URL: "http://localhost:3000", LOG_LEVEL: "silent" });
    const app = await buildApp({ config, database, logger: false, maxInFlight: 16 });
    await app.ready();
    t = { app, database, close: async () => (await app.close(), await database.close()) };
  });
  afterAll(async () => t?.close());

  it("answers 503 with Retry-After beyond the bound instead of queueing, keeps the probes answering, and recovers when the load stops", async () => {
    const agent = await signedInClient(t, { role: "agent", territory: REF });
    const cookie = agent.jar.header();
    const burst = await Promise.all(
      Array.from({ length: 300 }, () => t.app.inject({ url: `/t/${REF}/gestion`, headers: { cookie } })),
    );
    const statuses = burst.map((r) => r.statusCode);
    const refused = burst.filter((r) => r.statusCode === 503);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(refused.length).toBeGreaterThan(200);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(16);
    for (const r of refused.slice(0, 5)) {
      expect(r.headers["retry-after"]).toBe("5");
      expect(r.body).toContain("Service surchargé");
    }
    // The probes are never refused, even in the middle of a burst.
    const [probe] = await Promise.all([t.app.inject({ url: "/readyz" }), ...Array.from({ length: 50 }, () => t.app.inject({ url: `/t/${REF}/gestion`, headers: { cookie } }))]);
    expect(probe.statusCode).toBe(200);
    // Once the burst is over, every slot is free again: as many requests as the bound all succeed.
    const after = await Promise.all(Array.from({ length: 16 }, () => t.app.inject({ url: `/t/${REF}/gestion`, headers: { cookie } })));
    expect(after.map((r) => r.statusCode)).toEqual(Array(16).fill(200));
  }, 60_000);
});
