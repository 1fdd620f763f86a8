// Security headers, CSRF, malformed requests (never a 500, never a crash), error pages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { Client, createTestApp, DB_KINDS, REF, signedInClient, TEST_PASSWORD, type TestApp } from "./helpers/app.ts";
import { rowCounts } from "./helpers/data.ts";
import { expectWellFormedPage, h1Of, textOf } from "./helpers/html.ts";

const WRITABLE = ["users", "sessions", "sign_in_attempts", "audit_log", "content_version", "plan_actions", "one_time_tokens"];

describe.each(DB_KINDS)("security on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  it("sends a strict CSP and the other protective headers on every kind of answer", async () => {
    for (const url of ["/", `/t/${REF}/plan`, "/api/v1/territories", "/page-inconnue", "/connexion"]) {
      const res = await t.app.inject({ url });
      const csp = String(res.headers["content-security-policy"]);
      const directive = (name: string) => csp.split(";").find((d) => d.trim().startsWith(`${name} `)) ?? "";
      expect(directive("script-src"), url).toBe("script-src 'self'");
      expect(directive("style-src"), url).toBe("style-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).not.toContain("unsafe-eval");
      expect(directive("frame-ancestors")).toBe("frame-ancestors 'none'");
      expect(directive("object-src")).toBe("object-src 'none'");
      expect(directive("form-action")).toBe("form-action 'self'");
      expect(res.headers["referrer-policy"]).toBe("same-origin");
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      // Plain http (development): no HSTS, no upgrade of requests.
      expect(res.headers["strict-transport-security"]).toBeUndefined();
      expect(csp).not.toContain("upgrade-insecure-requests");
    }
  });

  it("gives every answer a request id, and keeps a well-formed one from a proxy", async () => {
    const res = await t.app.inject({ url: "/" });
    expect(res.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const given = await t.app.inject({ url: "/page-inconnue", headers: { "x-request-id": "proxy-abc-12345" } });
    expect(given.headers["x-request-id"]).toBe("proxy-abc-12345");
    const injected = await t.app.inject({ url: "/", headers: { "x-request-id": "<script>alert(1)</script>" } });
    expect(injected.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers unknown addresses with a French 404 page (JSON under /api)", async () => {
    for (const url of ["/page-inconnue", "/t", "/t/", "/assets/css/app.css", "/assets/../package.json", "/%2e%2e/%2e%2e/etc/passwd", "/t/x/y/z/w"]) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expectWellFormedPage(res);
      expect(h1Of(res.body)).toBe("Page introuvable");
      expect(res.body).not.toContain("root:");
    }
    const api = await t.app.inject({ url: "/api/v1/inconnu" });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ status: 404, error: "Page introuvable" });
    const wrongMethod = await t.app.inject({ method: "DELETE", url: `/t/${REF}/plan` });
    expect(wrongMethod.statusCode).toBe(404);
  });

  it("refuses a POST without a valid CSRF token with a French 403 page, and writes nothing", async () => {
    const agent = await signedInClient(t, { role: "agent", territory: REF });
    const before = await rowCounts(t.database, WRITABLE);
    const attempts = [
      { url: "/deconnexion", payload: "" },
      { url: "/deconnexion", payload: "_csrf=faux" },
      { url: "/connexion", payload: `email=a%40exemple.fr&password=${TEST_PASSWORD}` },
    ];
    for (const a of attempts) {
      const res = await t.app.inject({ method: "POST", url: a.url, headers: { "content-type": "application/x-www-form-urlencoded", cookie: agent.jar.header() }, payload: a.payload });
      expect(res.statusCode, a.payload).toBe(403);
      expectWellFormedPage(res, { signedIn: true });
      expect(h1Of(res.body)).toBe("Accès refusé");
      expect(textOf(res.body)).toContain("Le formulaire a expiré ou n'a pas été envoyé depuis ce site.");
    }
    // A token taken from another visitor's form does not work either.
    const otherToken = await new Client(t.app).csrf("/connexion");
    const crossed = await agent.post("/deconnexion", {}, { csrf: otherToken });
    expect(crossed.statusCode).toBe(403);
    expect(await rowCounts(t.database, WRITABLE)).toEqual(before);
    // Still signed in.
    expect((await agent.get("/gestion")).statusCode).toBe(200);
  });

  it("never answers 500 nor crashes on malformed bodies", async () => {
    const c = new Client(t.app);
    const token = await c.csrf("/connexion");
    const before = await rowCounts(t.database, ["users", "sessions", "audit_log"]);
    const post = (headers: Record<string, string>, payload: string | Buffer) =>
      t.app.inject({ method: "POST", url: "/connexion", headers: { cookie: c.jar.header(), ...headers }, payload });
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const cases: { name: string; res: Awaited<ReturnType<typeof post>>; status: number[] }[] = [
      { name: "invalid percent-encoding", res: await post(form, `_csrf=${token}&email=%E0%A4%A&password=%%%`), status: [403, 422] },
      { name: "body over 1 MB", res: await post(form, `_csrf=${token}&email=${"a".repeat(1_100_000)}`), status: [413] },
      { name: "wrong content type", res: await post({ "content-type": "application/xml" }, "<a/>"), status: [415] },
      { name: "no content type", res: await post({}, "email=x"), status: [403, 415] },
      { name: "JSON to a form route", res: await post({ "content-type": "application/json" }, JSON.stringify({ _csrf: token, email: { $ne: 1 }, password: ["x"] })), status: [403, 422] },
      { name: "broken JSON", res: await post({ "content-type": "application/json" }, "{ not json"), status: [400] },
      { name: "NUL bytes", res: await post(form, `_csrf=${token}&email=a%00b%40exemple.fr&password=mot%00de%00passe-long`), status: [400, 422] },
      { name: "repeated fields", res: await post(form, `_csrf=${token}&email=a%40exemple.fr&email=b%40exemple.fr&password=x&password=y`), status: [422] },
      { name: "proto pollution", res: await post(form, `_csrf=${token}&__proto__[admin]=1&constructor[prototype][admin]=1&email=a%40b.fr&password=x`), status: [422] },
      { name: "huge field", res: await post(form, `_csrf=${token}&email=${"é".repeat(5000)}&password=${"x".repeat(5000)}`), status: [422] },
      { name: "multipart to a form route", res: await post({ "content-type": "multipart/form-data; boundary=x" }, "--x\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na\r\n--x--\r\n"), status: [403, 415] },
    ];
    for (const { name, res, status } of cases) {
      expect(status, `${name}: ${res.statusCode}`).toContain(res.statusCode);
      expect(res.headers["content-type"], name).toMatch(/^text\/html; charset=utf-8/);
      expect(textOf(res.body), name).not.toMatch(/Error:|stack|at Object\./);
    }
    expect(textOf(cases[1].res.body)).toContain("Contenu trop volumineux");
    expect(textOf(cases[2].res.body)).toContain("Format non pris en charge");
    expect(({}) as Record<string, unknown>).not.toHaveProperty("admin");
    expect(await rowCounts(t.database, ["users", "sessions", "audit_log"])).toEqual(before);
    // The app still answers.
    expect((await t.app.inject({ url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await t.app.inject({ url: "/readyz" })).json()).toEqual({ status: "ok", database: kind });
  });

  it("never answers 500 on odd URLs, queries and headers", async () => {
    const urls = [
      `/t/${REF}/plan?theme[]=ATTIRER`,
      `/t/${REF}/plan?status[x]=1`,
      `/t/${REF}/plan?theme=%00`,
      `/t/${REF}/plan?theme=%E0%A4%A`,
      `/t/${REF}/plan?${"a=1&".repeat(2000)}`,
      `/t/${REF}/actions/%00`,
      `/t/${"a".repeat(300)}`,
      `/t/${REF}%00/plan`,
      "/connexion?retour=%00",
      `/connexion?retour=${"x".repeat(600)}`,
      "/installation/%00",
      "/api/v1/territories/%E2%82%AC/plan",
    ];
    for (const url of urls) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBeLessThan(500);
    }
    for (const headers of [{ cookie: "collines_session=" + "x".repeat(5000) }, { cookie: "collines_session=%00%ff; collines_flash=%E0%A4%A" }, { "accept-encoding": "br;q=abc, *;q=-1" }, { "if-none-match": "\u0000" }]) {
      const res = await t.app.inject({ url: `/t/${REF}`, headers });
      expect(res.statusCode, JSON.stringify(headers)).toBeLessThan(500);
    }
  });
});

describe("error handler", () => {
  it("answers an unexpected error with a French 500 page carrying the request id, without details", async () => {
    const { createTestDatabase } = await import("./helpers/app.ts");
    const database = await createTestDatabase("pglite");
    const app = await buildApp({ config: loadConfig({ NODE_ENV: "test", BASE_URL: "http://localhost:3000", LOG_LEVEL: "silent" }), database, logger: false });
    app.get("/boom", async () => {
      throw new Error("secret internal detail");
    });
    app.get("/api/boom", async () => {
      throw new Error("secret internal detail");
    });
    await app.ready();
    try {
      const res = await app.inject({ url: "/boom", headers: { "x-request-id": "incident-123456" } });
      expect(res.statusCode).toBe(500);
      expectWellFormedPage(res);
      expect(h1Of(res.body)).toBe("Erreur du serveur");
      expect(textOf(res.body)).toContain("Référence de l'incident : incident-123456");
      expect(res.body).not.toContain("secret internal detail");
      const api = await app.inject({ url: "/api/boom" });
      expect(api.statusCode).toBe(500);
      expect(api.json()).toMatchObject({ status: 500, error: "Erreur du serveur" });
      expect(api.body).not.toContain("secret internal detail");
    } finally {
      await app.close();
      await database.close();
    }
  });
});
