// Sign-in by e-mail link and self sign-up of industrialists, through the outbox like a person would.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, memberships, oneTimeTokens, signInAttempts, users } from "../src/core/db/schema.ts";
import { sha256 } from "../src/core/auth/session.ts";
import { Mailer, type OutboxEntry } from "../src/core/mail/index.ts";
import { isValidSiret } from "../src/modules/accounts/routes-passwordless.tsx";
import { Client, createTestApp, DB_KINDS, REF, signedInClient, type TestApp } from "./helpers/app.ts";

describe("SIRET check", () => {
  it("accepts valid numbers (Luhn, and La Poste's rule) and refuses others", () => {
    expect(isValidSiret("73282932000074")).toBe(true);
    expect(isValidSiret("44306184100047")).toBe(true);
    expect(isValidSiret("35600000000048")).toBe(true); // La Poste's head office (Luhn)
    expect(isValidSiret("35600000049837")).toBe(true); // La Poste's establishments: digit sum multiple of 5
    expect(isValidSiret("73282932000075")).toBe(false);
    expect(isValidSiret("7328293200007")).toBe(false);
    expect(isValidSiret("7328293200007a")).toBe(false);
  });
});

describe.each(DB_KINDS)("passwordless sign-in and self sign-up on %s", (kind) => {
  let t: TestApp;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "collines-link-"));
    t = await createTestApp(kind, { DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const outbox = () => new Mailer({ dataDir, smtpUrl: undefined }).outbox();
  /** The newest message to `to` whose text matches, waiting for mail sent after the answer. */
  const mailTo = async (to: string, pattern: RegExp): Promise<OutboxEntry | undefined> => {
    for (let i = 0; i < 60; i++) {
      const hit = (await outbox()).find((m) => m.to === to && pattern.test(m.text));
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 50));
    }
    return undefined;
  };
  const linkIn = (mail: OutboxEntry | undefined, re: RegExp) => {
    const m = mail && re.exec(mail.text);
    if (!m) throw new Error(`Pas de lien dans le courriel : ${mail?.text}`);
    return new URL(m[0], "http://localhost:3000").pathname;
  };
  const strip = (s: string) => s.replace(/name="_csrf" value="[^"]+"/g, "");

  it("signs in by a link opened in the browser that asked, once", async () => {
    await signedInClient(t, { email: "lien@exemple.fr", role: "agent", territory: REF });
    const browser = new Client(t.app);
    const form = await browser.get("/connexion/lien?retour=/compte");
    expect(form.statusCode).toBe(200);
    const bad = await browser.post("/connexion/lien", { email: "pas-une-adresse" });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("Erreur – ");
    expect(bad.body).toContain('href="#champ-email"');

    const sent = await browser.post("/connexion/lien", { email: "Lien@Exemple.fr", retour: "/compte" });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain("Si un compte existe");
    const cookie = sent.cookies.find((c) => c.name === "collines_lien");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax" });
    const link = linkIn(await mailTo("lien@exemple.fr", /connexion\/lien/), /http:\/\/localhost:3000\/connexion\/lien\/[A-Za-z0-9_-]+/);
    const [row] = await t.database.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.tokenHash, sha256(link.split("/").pop()!)));
    expect(row.purpose).toBe("magic_link");
    expect((row.payload as { browser: string }).browser).toBe(sha256(cookie!.value));
    expect(row.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    // Opening the link (or a mail scanner fetching it) signs nobody in: a button does.
    const page = await browser.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.headers["set-cookie"] ?? "").not.toContain("collines_session");
    expect(page.body).toContain("Me connecter");
    expect((await browser.get(link)).statusCode).toBe(200);

    // Another browser (no nonce cookie, or a different one) is told to use the same browser.
    const other = new Client(t.app);
    const elsewhere = await other.get(link);
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.body).toContain("Ouvrez le lien dans le même navigateur");
    expect(elsewhere.body).toContain('href="/connexion/lien"');
    await other.post("/connexion/lien", { email: "quelquun@exemple.fr" });
    expect((await other.post(link, {}, { formPage: "/connexion/lien" })).statusCode).toBe(403);

    const signIn = await browser.post(link, {});
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe("/compte");
    expect((await browser.get("/compte")).statusCode).toBe(200);

    // Used: refused the second time, even from the right browser.
    const used = await browser.get(link);
    expect(used.statusCode).toBe(404);
    expect(used.body).toContain("n'est plus valable");
    expect((await browser.post(link, {}, { formPage: "/compte" })).statusCode).toBe(404);
  });

  it("refuses an expired link", async () => {
    await signedInClient(t, { email: "expire@exemple.fr", role: "agent", territory: REF });
    const browser = new Client(t.app);
    await browser.post("/connexion/lien", { email: "expire@exemple.fr" });
    const link = linkIn(await mailTo("expire@exemple.fr", /connexion\/lien/), /\/connexion\/lien\/[A-Za-z0-9_-]+/);
    await t.database.db
      .update(oneTimeTokens)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(oneTimeTokens.tokenHash, sha256(link.split("/").pop()!)));
    expect((await browser.get(link)).statusCode).toBe(404);
    const res = await browser.post(link, {}, { formPage: "/connexion/lien" });
    expect(res.statusCode).toBe(404);
    expect(res.cookies.find((c) => c.name === "collines_session")).toBeUndefined();
  });

  it("answers the same for unknown addresses, mails nobody, and throttles per address and per e-mail", async () => {
    const browser = new Client(t.app);
    const unknown = await browser.post("/connexion/lien", { email: "inconnu@exemple.fr" });
    await signedInClient(t, { email: "connu@exemple.fr", role: "agent", territory: REF });
    const known = await browser.post("/connexion/lien", { email: "connu@exemple.fr" });
    expect(unknown.statusCode).toBe(200);
    expect(strip(known.body)).toBe(strip(unknown.body));
    expect(await mailTo("connu@exemple.fr", /connexion\/lien/)).toBeDefined();
    expect((await outbox()).some((m) => m.to === "inconnu@exemple.fr")).toBe(false);

    // Per e-mail: after 3 links in 15 minutes, the same answer but no more mail.
    await browser.post("/connexion/lien", { email: "connu@exemple.fr" });
    await browser.post("/connexion/lien", { email: "connu@exemple.fr" });
    const quiet = await browser.post("/connexion/lien", { email: "connu@exemple.fr" });
    expect(strip(quiet.body)).toBe(strip(unknown.body));
    await new Promise((r) => setTimeout(r, 300));
    expect((await outbox()).filter((m) => m.to === "connu@exemple.fr")).toHaveLength(3);

    // Per address: counted in the database, refused openly with 429.
    await t.database.db.insert(signInAttempts).values(Array.from({ length: 20 }, () => ({ key: `lien:address:${sha256("10.9.8.7")}` })));
    const res = await t.app.inject({
      method: "POST",
      url: "/connexion/lien",
      remoteAddress: "10.9.8.7",
      headers: { cookie: browser.jar.header(), "content-type": "application/x-www-form-urlencoded" },
      payload: `_csrf=${encodeURIComponent(await browser.csrf("/connexion/lien"))}&email=x%40exemple.fr`,
    });
    expect(res.statusCode).toBe(429);
    expect(res.body).toContain("Trop de demandes");
  });

  it("signs up an industrialist as pending, with no rights until confirmed", async () => {
    const browser = new Client(t.app);
    const contact = await browser.get(`/t/${REF}/contact`);
    expect(contact.body).toContain(`href="/t/${REF}/inscription"`);
    expect((await browser.get("/connexion")).body).toContain('href="/inscription"');
    const form = await browser.get(`/t/${REF}/inscription`);
    expect(form.statusCode).toBe(200);

    const invalid = await browser.post(`/t/${REF}/inscription`, { email: "marie@fonderie.fr", displayName: "", company: "Fonderie", siret: "732 829 320 00075" });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.body).toContain("Erreur – ");
    expect(invalid.body).toContain("Ce numéro SIRET n'existe pas");
    expect(invalid.body).toContain("Indiquez votre nom.");
    expect(invalid.body).toContain("Cochez la case");
    expect(invalid.body).toContain('value="Fonderie"');
    expect((await browser.post(`/t/${REF}/inscription`, { email: "marie@fonderie.fr", displayName: "Marie", company: "F", siret: "1234", consent: "on" })).body).toContain("14 chiffres");

    const sent = await browser.post(`/t/${REF}/inscription`, { email: "marie@fonderie.fr", displayName: "Marie Leroy", company: "Fonderie du Noireau", siret: "732 829 320 00074", consent: "on" });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain("Un message vient d'être envoyé");
    expect(await t.database.db.select().from(users).where(eq(users.email, "marie@fonderie.fr"))).toHaveLength(0);
    const link = linkIn(await mailTo("marie@fonderie.fr", /inscription/), /\/t\/[a-z0-9-]+\/inscription\/[A-Za-z0-9_-]+/);

    expect((await new Client(t.app).get(link)).statusCode).toBe(403);
    const confirm = await browser.get(link);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain("Fonderie du Noireau");
    const done = await browser.post(link, {});
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/t/${REF}`);

    const [user] = await t.database.db.select().from(users).where(eq(users.email, "marie@fonderie.fr"));
    expect(user).toMatchObject({ displayName: "Marie Leroy", siret: "73282932000074", passwordHash: null });
    const ms = await t.database.db.select().from(memberships).where(eq(memberships.userId, user.id));
    expect(ms).toHaveLength(1);
    expect(ms[0]).toMatchObject({ role: "industrialist", status: "pending" });
    const [entry] = await t.database.db.select().from(auditLog).where(and(eq(auditLog.entity, "membership"), eq(auditLog.entityId, String(ms[0].id))));
    expect(entry.after).toMatchObject({ company: "Fonderie du Noireau", siret: "73282932000074", status: "pending", consentToBeContacted: true });

    // Signed in, with no rights beyond the account.
    expect((await browser.get("/compte")).statusCode).toBe(200);
    expect((await browser.get(`/t/${REF}/gestion`)).statusCode).toBe(403);
    expect((await browser.post(link, {}, { formPage: "/compte" })).statusCode).toBe(404);

    // Later, the person signs in by link (no password).
    const later = new Client(t.app);
    await later.post("/connexion/lien", { email: "marie@fonderie.fr" });
    const signInLink = linkIn(await mailTo("marie@fonderie.fr", /connexion\/lien/), /\/connexion\/lien\/[A-Za-z0-9_-]+/);
    expect((await later.post(signInLink, {}, { formPage: "/connexion/lien" })).statusCode).toBe(303);
    expect((await later.get(`/t/${REF}/gestion`)).statusCode).toBe(403);
  });

  it("answers sign-up the same for an existing account, and only adds the pending membership", async () => {
    await signedInClient(t, { email: "deja@exemple.fr", role: "committee_member", territory: REF });
    const [before] = await t.database.db.select().from(users).where(eq(users.email, "deja@exemple.fr"));
    const browser = new Client(t.app);
    const fields = { displayName: "Autre Nom", company: "Ateliers Réunis", siret: "", consent: "on" };
    const existing = await browser.post(`/t/${REF}/inscription`, { ...fields, email: "deja@exemple.fr" });
    const fresh = await browser.post(`/t/${REF}/inscription`, { ...fields, email: "nouveau@exemple.fr" });
    expect(existing.statusCode).toBe(200);
    expect(strip(existing.body)).toBe(strip(fresh.body));

    const link = linkIn(await mailTo("deja@exemple.fr", /inscription/), /\/t\/[a-z0-9-]+\/inscription\/[A-Za-z0-9_-]+/);
    expect((await browser.post(link, {})).statusCode).toBe(303);
    const [after] = await t.database.db.select().from(users).where(eq(users.email, "deja@exemple.fr"));
    expect(after).toMatchObject({ id: before.id, displayName: before.displayName, passwordHash: before.passwordHash });
    const ms = await t.database.db.select().from(memberships).where(eq(memberships.userId, before.id));
    expect(ms.map((m) => `${m.role}:${m.status}`).sort()).toEqual(["committee_member:active", "industrialist:pending"]);
  });
});
