// Load shedding with the real @fastify/under-pressure (the other in-process tests switch it off,
// see helpers/setup.ts): when the event loop has been blocked, the app answers 503 at once and
// does not run the route anyway.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Client, createTestApp, type TestApp } from "./helpers/app.ts";
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
