// Single sign-on end to end through a real OpenID Connect provider on loopback (ProConnect's claims).
import { count, eq } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { auditLog, users } from "../src/core/db/schema.ts";
import { Client, createTestApp, DB_KINDS, REF, signedInClient, type TestApp } from "./helpers/app.ts";
import { signInAtProvider, startTestProvider, type TestProvider } from "./helpers/oidc-provider.ts";

describe.each(DB_KINDS)("OpenID Connect sign-in on %s", (kind) => {
  let provider: TestProvider;
  let t: TestApp;
  const extraApps: FastifyInstance[] = [];
  beforeAll(async () => {
    provider = await startTestProvider();
    t = await createTestApp(kind, provider.env);
  });
  afterAll(async () => {
    for (const a of extraApps) await a.close();
    await t?.close();
    await provider?.close();
  });

  /** Another app on the same database with other settings (cheap: no new database). */
  async function appWith(env: Record<string, string>) {
    const config = loadConfig({ NODE_ENV: "test", DATA_DIR: ".tmp/data", BASE_URL: "http://localhost:3000", LOG_LEVEL: "silent", ...env });
    const app = await buildApp({ config, database: t.database, logger: false });
    await app.ready();
    extraApps.push(app);
    return app;
  }

  /** Starts at our sign-in route, signs in at the provider as `login`, comes back to our callback. */
  async function ssoSignIn(login: string, client = new Client(t.app)) {
    const start = await client.get("/connexion/oidc?retour=/compte");
    expect(start.statusCode).toBe(303);
    const authorize = new URL(start.headers.location as string);
    expect(authorize.origin).toBe(provider.issuer);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("scope")).toBe("openid email given_name usual_name siret uid");
    expect(authorize.searchParams.get("state")).toBeTruthy();
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    const back = new URL(await signInAtProvider(authorize.href, login));
    const res = await client.get(back.pathname + back.search);
    return { client, res };
  }

  it("offers the provider on the sign-in page", async () => {
    const page = await new Client(t.app).get("/connexion");
    expect(page.body).toContain("Se connecter avec ProConnect");
    expect(page.body).toContain('href="/connexion/oidc"');
  });

  it("creates the account with its SIRET, then finds it again by sub", async () => {
    provider.accounts.set("pc-claire", { email: "claire.martin@usine-exemple.fr", given_name: "Claire", usual_name: "Martin", siret: "73282932000074", uid: "4242" });
    const first = await ssoSignIn("pc-claire");
    expect(first.res.statusCode).toBe(303);
    expect(first.res.headers.location).toBe("/compte");
    const [created] = await t.database.db.select().from(users).where(eq(users.oidcSub, "pc-claire"));
    expect(created).toMatchObject({ email: "claire.martin@usine-exemple.fr", displayName: "Claire Martin", siret: "73282932000074", passwordHash: null });
    const account = await first.client.get("/compte");
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain("Claire Martin");
    expect(await t.database.db.select().from(auditLog).where(eq(auditLog.entityId, String(created.id)))).not.toHaveLength(0);

    // Second sign-in in another browser; the provider now sends another address and SIRET: `sub` decides.
    provider.accounts.set("pc-claire", { email: "c.martin@autre-exemple.fr", given_name: "Claire", usual_name: "Martin", siret: "44306184100047" });
    const second = await ssoSignIn("pc-claire");
    expect(second.res.statusCode).toBe(303);
    const same = await t.database.db.select().from(users).where(eq(users.oidcSub, "pc-claire"));
    expect(same).toHaveLength(1);
    expect(same[0].id).toBe(created.id);
    expect(same[0].siret).toBe("44306184100047");
    const [{ n }] = await t.database.db.select({ n: count() }).from(users).where(eq(users.email, "c.martin@autre-exemple.fr"));
    expect(Number(n)).toBe(0);
    expect((await second.client.get("/compte")).body).toContain("Claire Martin");
  });

  it("links an existing account by its e-mail, keeping its roles", async () => {
    await signedInClient(t, { email: "agent.sso@exemple.fr", role: "agent", territory: REF });
    provider.accounts.set("pc-agent", { email: "Agent.SSO@exemple.fr", given_name: "Paul", usual_name: "Durand", siret: "73282932000074" });
    const { client, res } = await ssoSignIn("pc-agent");
    expect(res.statusCode).toBe(303);
    const [linked] = await t.database.db.select().from(users).where(eq(users.email, "agent.sso@exemple.fr"));
    expect(linked.oidcSub).toBe("pc-agent");
    expect(linked.displayName).toBe("Test agent");
    expect((await client.get(`/t/${REF}/gestion`)).statusCode).toBe(200);
  });

  it("never links on an address the provider says is unverified", async () => {
    await signedInClient(t, { email: "victime@exemple.fr", role: "agent", territory: REF });
    provider.accounts.set("pc-intrus", { email: "victime@exemple.fr", email_verified: false, given_name: "Intrus" });
    const { res } = await ssoSignIn("pc-intrus");
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain("n'est pas vérifiée");
    const [victim] = await t.database.db.select().from(users).where(eq(users.email, "victime@exemple.fr"));
    expect(victim.oidcSub).toBeNull();
    expect(res.cookies.find((c) => c.name === "collines_session")).toBeUndefined();
  });

  it("answers the provider's errors and stray callbacks with a French page, never a 500", async () => {
    const client = new Client(t.app);
    const start = await client.get("/connexion/oidc");
    const state = new URL(start.headers.location as string).searchParams.get("state")!;
    const denied = await client.get(`/connexion/oidc/retour?error=access_denied&error_description=User+cancelled&state=${state}`);
    expect(denied.statusCode).toBe(400);
    expect(denied.body).toContain("Vous avez annulé la connexion");
    expect(denied.body).toContain('lang="fr"');

    // No flow cookie (another browser, or expired), a forged state, a made-up code.
    expect((await new Client(t.app).get("/connexion/oidc/retour?code=abc&state=xyz")).statusCode).toBe(400);
    await client.get("/connexion/oidc");
    const forged = await client.get("/connexion/oidc/retour?code=abc&state=not-the-state");
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain("n'a pas pu être vérifiée");
    const start2 = await client.get("/connexion/oidc");
    const state2 = new URL(start2.headers.location as string).searchParams.get("state")!;
    const badCode = await client.get(`/connexion/oidc/retour?code=made-up&state=${state2}&iss=${encodeURIComponent(provider.issuer)}`);
    expect(badCode.statusCode).toBe(400);

    // An unreachable provider: 502.
    const down = await appWith({ OIDC_ISSUER: "http://127.0.0.1:9/", OIDC_CLIENT_ID: "x", OIDC_CLIENT_SECRET: "y" });
    const unreachable = await down.inject({ method: "GET", url: "/connexion/oidc" });
    expect(unreachable.statusCode).toBe(502);
    expect(unreachable.body).toContain("ne répond pas");
  });

  it("is off without configuration", async () => {
    const plain = await appWith({});
    expect((await plain.inject({ method: "GET", url: "/connexion/oidc" })).statusCode).toBe(404);
    expect((await plain.inject({ method: "GET", url: "/connexion/oidc/retour?code=a&state=b" })).statusCode).toBe(404);
    expect((await plain.inject({ method: "GET", url: "/connexion" })).body).not.toContain("Se connecter avec");
    expect(() => loadConfig({ OIDC_ISSUER: "https://proconnect.example" })).toThrow(/vont ensemble/);
  });
});
