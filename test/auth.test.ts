// Sign-in, throttling, sign-out, return paths, the first-admin link, session cookies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LightMyRequestResponse } from "fastify";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { createUser, firstAdminLink } from "../src/modules/accounts/api.ts";
import { safeReturnPath } from "../src/modules/accounts/module.tsx";
import { Client, createTestApp, DB_KINDS, REF, signedInClient, TEST_PASSWORD, type TestApp } from "./helpers/app.ts";
import { rowCounts } from "./helpers/data.ts";
import { h1Of, mainOf, textOf } from "./helpers/html.ts";

const BAD_CREDENTIALS = "Adresse électronique ou mot de passe incorrect.";

async function addUser(t: TestApp, email: string, extra: { platformAdmin?: boolean } = {}) {
  await t.database.db.transaction((tx) =>
    createUser(tx, { actor: ANONYMOUS, role: "test" }, { email, displayName: email.split("@")[0], password: TEST_PASSWORD, isPlatformAdmin: extra.platformAdmin }),
  );
}

function cookie(res: LightMyRequestResponse, name: string) {
  return (res.cookies as { name: string; value: string; httpOnly?: boolean; sameSite?: string; secure?: boolean; path?: string; expires?: Date }[]).find((c) => c.name === name);
}

describe("safe return paths", () => {
  it("follows only same-site paths", () => {
    expect(safeReturnPath("/t/collines-de-normandie/plan?theme=ATTIRER")).toBe("/t/collines-de-normandie/plan?theme=ATTIRER");
    expect(safeReturnPath("/gestion")).toBe("/gestion");
    for (const bad of [undefined, "", "//evil.example", "/\\evil.example", "https://evil.example/", "http:/evil", "javascript:alert(1)", "gestion", "/ok\r\nSet-Cookie: x=1", "/ok\nx"]) {
      expect(safeReturnPath(bad), String(bad)).toBeUndefined();
    }
  });
});

describe.each(DB_KINDS)("sign-in on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
    await Promise.all(["alice", "bob", "carol", "dave", "erin"].map((n) => addUser(t, `${n}@exemple.fr`)));
  });
  afterAll(async () => t?.close());

  it("signs in with the right password and sets an HttpOnly, SameSite=Lax session cookie (no Secure on http)", async () => {
    const c = new Client(t.app);
    const res = await c.post("/connexion", { email: "Alice@Exemple.fr ", password: TEST_PASSWORD }, { formPage: "/connexion" });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/gestion");
    const session = cookie(res, "collines_session")!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe("Lax");
    expect(session.secure).toBeFalsy();
    expect(session.path).toBe("/");
    expect(session.value.length).toBeGreaterThanOrEqual(40);
    // The database keeps only a hash of the session id.
    expect(await t.database.query("select 1 from sessions where id_hash = $1", [session.value])).toEqual([]);
    const home = await c.get("/gestion");
    expect(home.statusCode).toBe(200);
    expect(textOf(home.body)).toContain("Vous êtes connecté.");
    expect(home.headers["cache-control"]).toBe("private, no-store");
    // Already signed in: the sign-in page sends on.
    expect((await c.get("/connexion")).statusCode).toBe(303);
  });

  it("answers an unknown e-mail and a wrong password with the same generic message", async () => {
    const unknown = await new Client(t.app).post("/connexion", { email: "personne@exemple.fr", password: "mauvais-mot-de-passe" }, { formPage: "/connexion" });
    const wrong = await new Client(t.app).post("/connexion", { email: "dave@exemple.fr", password: "mauvais-mot-de-passe" }, { formPage: "/connexion" });
    for (const res of [unknown, wrong]) {
      expect(res.statusCode).toBe(422);
      expect(cookie(res, "collines_session")).toBeUndefined();
      expect(res.body).toMatch(/<title>Erreur – Se connecter/);
      expect(textOf(mainOf(res.body))).toContain(BAD_CREDENTIALS);
      // The password is never sent back.
      expect(res.body).not.toContain("mauvais-mot-de-passe");
    }
    const strip = (r: LightMyRequestResponse) => textOf(mainOf(r.body)).replace(/value="[^"]*"/g, "");
    expect(strip(unknown)).toBe(strip(wrong));
  });

  it("asks for the missing fields in French", async () => {
    const res = await new Client(t.app).post("/connexion", { email: "", password: "" }, { formPage: "/connexion" });
    expect(res.statusCode).toBe(422);
    const text = textOf(mainOf(res.body));
    expect(text).toContain("Indiquez votre adresse électronique.");
    expect(text).toContain("Indiquez votre mot de passe.");
    expect(res.body).toContain('href="#champ-email"');
  });

  it("throttles an account after 5 failures, in the database so that every process agrees", async () => {
    for (let i = 0; i < 5; i++) {
      const res = await new Client(t.app).post("/connexion", { email: "bob@exemple.fr", password: `faux-${i}-mot-de-passe` }, { formPage: "/connexion" });
      expect(res.statusCode).toBe(422);
    }
    const blocked = await new Client(t.app).post("/connexion", { email: "bob@exemple.fr", password: TEST_PASSWORD }, { formPage: "/connexion" });
    expect(blocked.statusCode).toBe(429);
    expect(textOf(blocked.body)).toContain("Trop de tentatives de connexion");
    expect(cookie(blocked, "collines_session")).toBeUndefined();
    const [{ n }] = await t.database.query<{ n: string | number }>("select count(*) as n from sign_in_attempts where key like 'account:%'");
    expect(Number(n)).toBeGreaterThanOrEqual(5);

    // Another process on the same database refuses too.
    const other = await buildApp({ config: loadConfig({ NODE_ENV: "test", BASE_URL: "http://localhost:3000", LOG_LEVEL: "silent" }), database: t.database, logger: false });
    try {
      const again = await new Client(other).post("/connexion", { email: "bob@exemple.fr", password: TEST_PASSWORD }, { formPage: "/connexion" });
      expect(again.statusCode).toBe(429);
    } finally {
      await other.close();
    }
    // Other accounts are not blocked.
    const carol = await new Client(t.app).post("/connexion", { email: "carol@exemple.fr", password: TEST_PASSWORD }, { formPage: "/connexion" });
    expect(carol.statusCode).toBe(303);
  });

  it("does not let a disabled account in", async () => {
    await t.database.query("update users set disabled_at = now() where email = 'erin@exemple.fr'");
    const res = await new Client(t.app).post("/connexion", { email: "erin@exemple.fr", password: TEST_PASSWORD }, { formPage: "/connexion" });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain(BAD_CREDENTIALS);
  });

  it("follows a same-site return path after sign-in, never another site", async () => {
    const form = await new Client(t.app).get("/connexion?retour=%2F%2Fevil.example");
    expect(form.body).toMatch(/name="retour" value(="")?\/>/);
    expect(form.body).not.toContain("evil.example");
    const good = await new Client(t.app).post("/connexion", { email: "alice@exemple.fr", password: TEST_PASSWORD, retour: `/t/${REF}/plan` }, { formPage: "/connexion" });
    expect(good.headers.location).toBe(`/t/${REF}/plan`);
    const evil = await new Client(t.app).post("/connexion", { email: "alice@exemple.fr", password: TEST_PASSWORD, retour: "//evil.example/x" }, { formPage: "/connexion" });
    expect(evil.statusCode).toBe(303);
    expect(evil.headers.location).toBe("/gestion");
  });

  it("sends anonymous visitors of the back-office to the sign-in page and back", async () => {
    const res = await t.app.inject({ url: "/gestion" });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/connexion?retour=%2Fgestion");
    // A session cookie that matches nothing counts as anonymous and is cleared.
    const bogus = await t.app.inject({ url: "/gestion", headers: { cookie: "collines_session=nimportequoi" } });
    expect(bogus.statusCode).toBe(303);
    expect(cookie(bogus, "collines_session")?.value).toBe("");
  });

  it("signs out: the session ends in the database and the cookie is cleared", async () => {
    const c = await signedInClient(t, { role: "agent", territory: REF });
    const before = await rowCounts(t.database, ["sessions"]);
    const res = await c.post("/deconnexion", {}, { formPage: "/gestion" });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe("/");
    expect(cookie(res, "collines_session")?.value).toBe("");
    expect((await rowCounts(t.database, ["sessions"])).sessions).toBe(before.sessions - 1);
    expect((await c.get("/gestion")).statusCode).toBe(303);
  });
});

describe.each(DB_KINDS)("first platform admin on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  it("gives a one-time link while no account exists, and the link works once", async () => {
    expect(await rowCounts(t.database, ["users"])).toEqual({ users: 0 });
    const stale = await firstAdminLink(t.database, "http://localhost:3000");
    const link = await firstAdminLink(t.database, "http://localhost:3000");
    expect(link).toMatch(/^http:\/\/localhost:3000\/installation\/[A-Za-z0-9_-]{40,}$/);
    const path = new URL(link!).pathname;
    // A new link replaces the previous one.
    expect((await t.app.inject({ url: new URL(stale!).pathname })).statusCode).toBe(404);
    expect((await t.app.inject({ url: "/installation/" + "a".repeat(43) })).statusCode).toBe(404);

    const c = new Client(t.app);
    const page = await c.get(path);
    expect(page.statusCode).toBe(200);
    expect(h1Of(page.body)).toBe("Créer le premier compte administrateur");

    // Posted without the CSRF token: refused, nothing written, the link still valid.
    const forged = await t.app.inject({
      method: "POST",
      url: path,
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: c.jar.header() },
      payload: new URLSearchParams({ displayName: "Mallory", email: "mallory@exemple.fr", password: TEST_PASSWORD, confirm: TEST_PASSWORD }).toString(),
    });
    expect(forged.statusCode).toBe(403);
    expect(await rowCounts(t.database, ["users"])).toEqual({ users: 0 });

    const mismatch = await c.post(path, { displayName: "Anne Admin", email: "anne@exemple.fr", password: TEST_PASSWORD, confirm: "autre-chose-encore" });
    expect(mismatch.statusCode).toBe(422);
    expect(textOf(mainOf(mismatch.body))).toContain("Les deux mots de passe ne sont pas identiques.");
    const short = await c.post(path, { displayName: "Anne Admin", email: "anne@exemple.fr", password: "court", confirm: "court" });
    expect(short.statusCode).toBe(422);
    expect(textOf(mainOf(short.body))).toContain("Le mot de passe doit contenir au moins 12 caractères.");
    expect(await rowCounts(t.database, ["users"])).toEqual({ users: 0 });

    const ok = await c.post(path, { displayName: "Anne Admin", email: "anne@exemple.fr", password: TEST_PASSWORD, confirm: TEST_PASSWORD });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe("/gestion");
    const home = await c.get("/gestion");
    expect(home.statusCode).toBe(200);
    expect(textOf(home.body)).toContain("Anne Admin");
    const [admin] = await t.database.query<{ is_platform_admin: boolean }>("select is_platform_admin from users where email = 'anne@exemple.fr'");
    expect(admin.is_platform_admin).toBe(true);
    const audit = await t.database.query("select 1 from audit_log where entity = 'user' and action = 'create'");
    expect(audit).toHaveLength(1);

    // Used: the link is dead, and no new link is made now that an account exists.
    expect((await new Client(t.app).get(path)).statusCode).toBe(404);
    const again = await new Client(t.app).post(path, { displayName: "Eve", email: "eve@exemple.fr", password: TEST_PASSWORD, confirm: TEST_PASSWORD }, { formPage: "/connexion" });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe("/connexion");
    expect(await rowCounts(t.database, ["users"])).toEqual({ users: 1 });
    expect(await firstAdminLink(t.database, "http://localhost:3000")).toBeUndefined();
  });
});

describe.each(DB_KINDS)("https deployment on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { BASE_URL: "https://collines.example.fr" });
  });
  afterAll(async () => t?.close());

  it("marks the session and CSRF cookies Secure and sends HSTS when BASE_URL is https", async () => {
    const page = await t.app.inject({ url: "/connexion" });
    expect(cookie(page, "collines_csrf")?.secure).toBe(true);
    expect(page.headers["strict-transport-security"]).toMatch(/max-age=31536000/);
    const c = await signedInClient(t, { role: "agent", territory: REF });
    expect(c.jar.get("collines_session")).toBeTruthy();
    const res = await new Client(t.app).post("/connexion", { email: "nobody@exemple.fr", password: "x" }, { formPage: "/connexion" });
    expect(res.statusCode).toBe(422);
    await addUser(t, "secure@exemple.fr");
    const ok = await new Client(t.app).post("/connexion", { email: "secure@exemple.fr", password: TEST_PASSWORD }, { formPage: "/connexion" });
    const session = cookie(ok, "collines_session")!;
    expect(session.secure).toBe(true);
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe("Lax");
  });
});
