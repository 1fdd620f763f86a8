import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions, users } from "../src/core/db/schema.ts";
import { Mailer } from "../src/core/mail/index.ts";
import { Client, createTestApp, DB_KINDS, signedInClient, TEST_PASSWORD, type TestApp } from "./helpers/app.ts";

describe.each(DB_KINDS)("password reset and sessions on %s", (kind) => {
  let t: TestApp;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "collines-mail-"));
    t = await createTestApp(kind, { DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const outbox = () => new Mailer({ dataDir, smtpUrl: undefined }).outbox();
  const waitForMail = async (n: number) => {
    for (let i = 0; i < 50 && (await outbox()).length < n; i++) await new Promise((r) => setTimeout(r, 50));
    return outbox();
  };

  it("answers the same for a known and an unknown address, and mails only the known one", async () => {
    const owner = await signedInClient(t, { email: "reset@exemple.fr", role: "agent", territory: "collines-de-normandie" });
    const anon = new Client(t.app);
    const unknown = await anon.post("/mot-de-passe-oublie", { email: "personne@exemple.fr" });
    const known = await anon.post("/mot-de-passe-oublie", { email: "reset@exemple.fr" });
    expect(unknown.statusCode).toBe(200);
    expect(known.statusCode).toBe(200);
    const strip = (s: string) => s.replace(/name="_csrf" value="[^"]+"/g, "").replace(/x-request-id[^\n]*/g, "");
    expect(strip(known.body)).toBe(strip(unknown.body));
    const mails = await waitForMail(1);
    expect(mails).toHaveLength(1);
    expect(mails[0].to).toBe("reset@exemple.fr");
    const link = /\/mot-de-passe\/([A-Za-z0-9_-]+)/.exec(mails[0].text)![0];

    // The outbox is listed for a person trying the platform.
    expect((await anon.get("/dev/outbox")).body).toContain("choisir un nouveau mot de passe");

    const mismatch = await anon.post(link, { password: "une-nouvelle-phrase", confirm: "autre-chose-encore" });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain("Erreur – ");
    const ok = await anon.post(link, { password: "une-nouvelle-phrase", confirm: "une-nouvelle-phrase" });
    expect(ok.statusCode).toBe(303);
    // Every session of the account is closed; the link does not work twice.
    const [user] = await t.database.db.select().from(users).where(eq(users.email, "reset@exemple.fr"));
    expect(await t.database.db.select().from(sessions).where(eq(sessions.userId, user.id))).toHaveLength(0);
    expect((await owner.get("/gestion")).statusCode).toBe(303);
    expect((await anon.get(link)).statusCode).toBe(404);
    const again = new Client(t.app);
    expect((await again.post("/connexion", { email: "reset@exemple.fr", password: TEST_PASSWORD }, { formPage: "/connexion" })).statusCode).toBe(422);
    expect((await again.post("/connexion", { email: "reset@exemple.fr", password: "une-nouvelle-phrase" }, { formPage: "/connexion" })).statusCode).toBe(303);
  });

  it("lists one's sessions and signs out everywhere", async () => {
    const a = await signedInClient(t, { email: "sessions@exemple.fr", platformAdmin: true });
    const b = new Client(t.app);
    await b.post("/connexion", { email: "sessions@exemple.fr", password: TEST_PASSWORD }, { formPage: "/connexion" });
    const page = await a.get("/compte");
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/\/compte\/sessions\/[0-9a-f]{16}\/fermer/g)).toHaveLength(2);
    const out = await a.post("/compte/sessions/fermer-tout", {}, { formPage: "/compte" });
    expect(out.statusCode).toBe(303);
    expect((await b.get("/compte")).statusCode).toBe(303);
  });
});
