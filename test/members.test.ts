// Members, invitations, territory creation and funder grants, end to end through the HTTP forms.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, funderGrants, memberships, oneTimeTokens, users } from "../src/core/db/schema.ts";
import { loadActor, SESSION_COOKIE } from "../src/core/auth/session.ts";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { Mailer } from "../src/core/mail/index.ts";
import { createUser } from "../src/modules/accounts/api.ts";
import { territories, territoryAuthorities } from "../src/modules/territories/api.ts";
import { Client, createTestApp, DB_KINDS, DEMO, REF, signedInClient, TEST_PASSWORD, type TestApp } from "./helpers/app.ts";
import { expectWellFormedPage, textOf } from "./helpers/html.ts";

const NEW_PASSWORD = "une-phrase-de-passe-solide";

describe.each(DB_KINDS)("members, invitations, territories and funders on %s", (kind) => {
  let t: TestApp;
  let dataDir: string;
  let refId: number;
  let demoId: number;
  let refAuthorityId: number;
  let admin: Client;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "collines-members-"));
    t = await createTestApp(kind, { DATA_DIR: dataDir });
    const db = t.database.db;
    refId = (await db.select().from(territories).where(eq(territories.slug, REF)))[0].id;
    demoId = (await db.select().from(territories).where(eq(territories.slug, DEMO)))[0].id;
    refAuthorityId = (await db.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, refId)))[0].id;
    admin = await signedInClient(t, { role: "territory_admin", territory: REF, email: "admin-ref@exemple.fr" });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const outbox = () => new Mailer({ dataDir, smtpUrl: undefined }).outbox();
  /** The invitation link of the newest message to `to` (waiting for it to be written). */
  const linkFor = async (to: string): Promise<string> => {
    for (let i = 0; i < 50; i++) {
      const mail = (await outbox()).find((m) => m.to === to);
      if (mail) return /\/invitation\/[A-Za-z0-9_-]+/.exec(mail.text)![0];
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`Aucun courriel pour ${to}`);
  };
  const auditCount = async (entity: string, action?: string) => {
    const [row] = await t.database.db
      .select({ n: count() })
      .from(auditLog)
      .where(action ? and(eq(auditLog.entity, entity), eq(auditLog.action, action)) : eq(auditLog.entity, entity));
    return Number(row.n);
  };
  const membersPage = `/t/${REF}/gestion/membres`;
  const userId = async (email: string) => (await t.database.db.select().from(users).where(eq(users.email, email)))[0]?.id;
  const membershipOf = async (email: string, territoryId = refId) =>
    t.database.db
      .select()
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(users.email, email), eq(memberships.territoryId, territoryId)))
      .then((rows) => rows.map((r) => r.memberships));
  const invitationIdOf = async (email: string) => {
    const [row] = await t.database.db
      .select()
      .from(oneTimeTokens)
      .where(and(eq(oneTimeTokens.purpose, "invitation"), sql`${oneTimeTokens.payload} ->> 'email' = ${email}`));
    return (row.payload as { id: string }).id;
  };

  it("invites an agent by e-mail; the new person creates an account and reaches the back-office", async () => {
    const page = await admin.get(membersPage);
    expect(page.statusCode).toBe(200);
    expectWellFormedPage(page, { signedIn: true });
    const text = textOf(page.body);
    expect(text).toContain("Membres du territoire");
    expect(text).toContain("Administrateur du territoire");
    expect(page.body).toContain(`href="/t/${REF}/gestion/membres" aria-current="page"`);

    const before = await auditCount("invitation", "create");
    const bad = await admin.post(`${membersPage}/invitations`, { email: "pas-une-adresse", role: "agent", authorityId: "" }, { formPage: membersPage });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain("Erreur – ");
    expect(textOf(bad.body)).toContain("Indiquez une adresse électronique valide");

    const sent = await admin.post(`${membersPage}/invitations`, { email: "Nouvel.Agent@exemple.fr", role: "agent", authorityId: String(refAuthorityId) }, { formPage: membersPage });
    expect(sent.statusCode).toBe(303);
    expect(await auditCount("invitation", "create")).toBe(before + 1);
    expect(textOf((await admin.get(membersPage)).body)).toContain("nouvel.agent@exemple.fr");

    const link = await linkFor("nouvel.agent@exemple.fr");
    const [mail] = (await outbox()).filter((m) => m.to === "nouvel.agent@exemple.fr");
    expect(mail.text).toContain("« Agent »");
    expect(mail.text).toContain("7 jours");

    const visitor = new Client(t.app);
    const form = await visitor.get(link);
    expect(form.statusCode).toBe(200);
    expectWellFormedPage(form);
    expect(form.headers["referrer-policy"]).toBe("no-referrer");
    expect(textOf(form.body)).toContain("Créer votre compte");
    const common = await visitor.post(link, { displayName: "Nina Agent", password: "motdepasse2024!", confirm: "motdepasse2024!" });
    expect(common.statusCode).toBe(422);
    expect(textOf(common.body)).toContain("mots de passe les plus courants");
    expect(await userId("nouvel.agent@exemple.fr")).toBeUndefined();

    const ok = await visitor.post(link, { displayName: "Nina Agent", password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe(`/t/${REF}/gestion`);
    expect((await visitor.get(`/t/${REF}/gestion`)).statusCode).toBe(200);
    const [m] = await membershipOf("nouvel.agent@exemple.fr");
    expect(m).toMatchObject({ role: "agent", authorityId: refAuthorityId, status: "active" });
    expect(await auditCount("membership", "create")).toBeGreaterThan(0);

    // The link has served: refused with a French explanation.
    const again = await new Client(t.app).get(link);
    expect(again.statusCode).toBe(404);
    expect(textOf(again.body)).toContain("Cette invitation n'est plus valable");
    const replay = await new Client(t.app).post(link, { displayName: "Autre", password: NEW_PASSWORD, confirm: NEW_PASSWORD }, { formPage: "/connexion" });
    expect(replay.statusCode).toBe(404);
  });

  it("links an existing account: sign-in first, then the role is added", async () => {
    await t.database.db.transaction((tx) => createUser(tx, { actor: ANONYMOUS }, { email: "deja-inscrit@exemple.fr", displayName: "Déjà Inscrit", password: TEST_PASSWORD }));
    expect((await admin.post(`${membersPage}/invitations`, { email: "deja-inscrit@exemple.fr", role: "committee_member", authorityId: "" }, { formPage: membersPage })).statusCode).toBe(303);
    const link = await linkFor("deja-inscrit@exemple.fr");

    // Someone signed in with another account is told so.
    const other = await signedInClient(t, { email: "quelqu-un-d-autre@exemple.fr" });
    const wrong = await other.get(link);
    expect(wrong.statusCode).toBe(403);
    expect(textOf(wrong.body)).toContain("Vous êtes connecté avec l'adresse quelqu-un-d-autre@exemple.fr");

    const person = new Client(t.app);
    expect(textOf((await person.get(link)).body)).toContain("Se connecter pour accepter");
    const redirected = await person.post(link, {}, { formPage: "/connexion" });
    expect(redirected.statusCode).toBe(303);
    expect(redirected.headers.location).toBe(`/connexion?retour=${encodeURIComponent(link)}`);
    const signIn = await person.post("/connexion", { email: "deja-inscrit@exemple.fr", password: TEST_PASSWORD, retour: link }, { formPage: redirected.headers.location as string });
    expect(signIn.statusCode).toBe(303);
    expect(signIn.headers.location).toBe(link);
    expect(textOf((await person.get(link)).body)).toContain("Accepter l'invitation");
    const accepted = await person.post(link, {});
    expect(accepted.statusCode).toBe(303);
    expect(await membershipOf("deja-inscrit@exemple.fr")).toMatchObject([{ role: "committee_member", status: "active", authorityId: null }]);
    expect((await person.get(link)).statusCode).toBe(404);
  });

  it("refuses expired and cancelled links, and sends a new link on request", async () => {
    await admin.post(`${membersPage}/invitations`, { email: "expire@exemple.fr", role: "industrialist" }, { formPage: membersPage });
    const expired = await linkFor("expire@exemple.fr");
    await t.database.db.update(oneTimeTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(sql`${oneTimeTokens.payload} ->> 'email' = 'expire@exemple.fr'`);
    const refused = await new Client(t.app).get(expired);
    expect(refused.statusCode).toBe(404);
    expect(textOf(refused.body)).toContain("a expiré (elle vaut 7 jours)");
    expect(textOf((await admin.get(membersPage)).body)).toContain("Expirée le");

    // "Renvoyer" makes a new link; the old one stays dead.
    const id = await invitationIdOf("expire@exemple.fr");
    const states = await auditCount("invitation", "state");
    expect((await admin.post(`${membersPage}/invitations/${id}/renvoyer`, {}, { formPage: membersPage })).statusCode).toBe(303);
    expect(await auditCount("invitation", "state")).toBe(states + 1);
    let fresh = expired;
    for (let i = 0; i < 50 && fresh === expired; i++) {
      fresh = /\/invitation\/[A-Za-z0-9_-]+/.exec((await outbox()).find((m) => m.to === "expire@exemple.fr")!.text)![0];
      if (fresh === expired) await new Promise((r) => setTimeout(r, 50));
    }
    expect(fresh).not.toBe(expired);
    expect((await new Client(t.app).get(fresh)).statusCode).toBe(200);

    // "Annuler" kills it.
    expect((await admin.post(`${membersPage}/invitations/${id}/annuler`, {}, { formPage: membersPage })).statusCode).toBe(303);
    expect(await auditCount("invitation", "delete")).toBeGreaterThan(0);
    expect((await new Client(t.app).get(fresh)).statusCode).toBe(404);
    expect((await admin.post(`${membersPage}/invitations/${id}/annuler`, {}, { formPage: membersPage })).statusCode).toBe(404);
  });

  it("lets the territory admin change a role, limit an agent to one intercommunalité and remove a role", async () => {
    await signedInClient(t, { role: "agent", territory: REF, email: "agent-a-changer@exemple.fr" });
    const [m] = await membershipOf("agent-a-changer@exemple.fr");
    const url = `${membersPage}/${m.id}/modifier`;
    const updates = await auditCount("membership", "update");

    const limited = await admin.post(url, { [`role-${m.id}`]: "agent", [`authority-${m.id}`]: String(refAuthorityId) }, { formPage: membersPage });
    expect(limited.statusCode).toBe(303);
    expect((await membershipOf("agent-a-changer@exemple.fr"))[0].authorityId).toBe(refAuthorityId);
    const page = textOf((await admin.get(membersPage)).body);
    const [auth] = await t.database.db.select().from(territoryAuthorities).where(eq(territoryAuthorities.id, refAuthorityId));
    expect(page).toContain(auth.name);

    // Another territory's intercommunalité is refused, with nothing changed.
    const [demoAuth] = await t.database.db.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, demoId));
    const foreign = await admin.post(url, { [`role-${m.id}`]: "agent", [`authority-${m.id}`]: String(demoAuth.id) }, { formPage: membersPage });
    expect(foreign.statusCode).toBe(422);
    expect(textOf(foreign.body)).toContain("Choisissez une intercommunalité du territoire");
    const badRole = await admin.post(url, { [`role-${m.id}`]: "dictateur" }, { formPage: membersPage });
    expect(badRole.statusCode).toBe(422);
    expect(textOf(badRole.body)).toContain("Choisissez un rôle dans la liste.");

    const changed = await admin.post(url, { [`role-${m.id}`]: "committee_member", [`authority-${m.id}`]: String(refAuthorityId) }, { formPage: membersPage });
    expect(changed.statusCode).toBe(303);
    expect(await membershipOf("agent-a-changer@exemple.fr")).toMatchObject([{ role: "committee_member", authorityId: null }]);
    expect(await auditCount("membership", "update")).toBe(updates + 2);

    const deletes = await auditCount("membership", "delete");
    expect((await admin.post(`${membersPage}/${m.id}/retirer`, {}, { formPage: membersPage })).statusCode).toBe(303);
    expect(await membershipOf("agent-a-changer@exemple.fr")).toHaveLength(0);
    expect(await auditCount("membership", "delete")).toBe(deletes + 1);
    expect((await admin.post(`${membersPage}/${m.id}/retirer`, {}, { formPage: membersPage })).statusCode).toBe(404);
  });

  it("lets an agent see members and confirm or refuse pending industrialists, but not manage roles", async () => {
    const agent = await signedInClient(t, { role: "agent", territory: REF, email: "agent-confirme@exemple.fr" });
    const db = t.database.db;
    const pendingIds: number[] = [];
    for (const [email, name] of [
      ["industriel-1@exemple.fr", "Usine Un"],
      ["industriel-2@exemple.fr", "Usine Deux"],
    ]) {
      const u = await db.transaction((tx) => createUser(tx, { actor: ANONYMOUS }, { email, displayName: name, password: TEST_PASSWORD }));
      const [row] = await db.insert(memberships).values({ userId: u.id, territoryId: refId, role: "industrialist", status: "pending" }).returning();
      pendingIds.push(row.id);
    }
    const page = await agent.get(membersPage);
    expect(page.statusCode).toBe(200);
    const text = textOf(page.body);
    expect(text).toContain("Usine Un");
    expect(text).toContain("Confirmer");
    expect(text).not.toContain("Envoyer l'invitation");
    expect(page.body).not.toContain("/modifier");

    // The pending person has no rights yet.
    const pendingClient = new Client(t.app);
    await pendingClient.post("/connexion", { email: "industriel-1@exemple.fr", password: TEST_PASSWORD }, { formPage: "/connexion" });
    const actor = await loadActor(db, { cookies: { [SESSION_COOKIE]: pendingClient.jar.get(SESSION_COOKIE) } } as never);
    expect(actor.memberships).toHaveLength(0);

    const states = await auditCount("membership", "state");
    expect((await agent.post(`${membersPage}/${pendingIds[0]}/confirmer`, {}, { formPage: membersPage })).statusCode).toBe(303);
    expect((await db.select().from(memberships).where(eq(memberships.id, pendingIds[0])))[0].status).toBe("active");
    expect(await auditCount("membership", "state")).toBe(states + 1);
    expect((await loadActor(db, { cookies: { [SESSION_COOKIE]: pendingClient.jar.get(SESSION_COOKIE) } } as never)).memberships).toMatchObject([{ territoryId: refId, role: "industrialist" }]);
    // Once active, it is no longer "pending": confirming again finds nothing.
    expect((await agent.post(`${membersPage}/${pendingIds[0]}/confirmer`, {}, { formPage: membersPage })).statusCode).toBe(404);
    expect((await agent.post(`${membersPage}/${pendingIds[1]}/refuser`, {}, { formPage: membersPage })).statusCode).toBe(303);
    expect(await db.select().from(memberships).where(eq(memberships.id, pendingIds[1]))).toHaveLength(0);

    // Managing roles and invitations is the territory admin's.
    const [own] = await membershipOf("agent-confirme@exemple.fr");
    expect((await agent.post(`${membersPage}/${own.id}/modifier`, { [`role-${own.id}`]: "territory_admin" }, { formPage: membersPage })).statusCode).toBe(403);
    expect((await agent.post(`${membersPage}/invitations`, { email: "x@exemple.fr", role: "territory_admin" }, { formPage: membersPage })).statusCode).toBe(403);
    expect((await agent.post(`${membersPage}/${pendingIds[0]}/retirer`, {}, { formPage: membersPage })).statusCode).toBe(403);
    expect((await membershipOf("agent-confirme@exemple.fr"))[0].role).toBe("agent");

    // A committee member or an anonymous visitor does not see the page.
    const member = await signedInClient(t, { role: "committee_member", territory: REF });
    expect((await member.get(membersPage)).statusCode).toBe(403);
    expect((await new Client(t.app).get(membersPage)).statusCode).toBe(303);
  });

  it("keeps one territory's admin out of another territory's members", async () => {
    const demoAdmin = await signedInClient(t, { role: "territory_admin", territory: DEMO, email: "admin-demo@exemple.fr" });
    const [target] = await membershipOf("admin-ref@exemple.fr");
    const demoPage = `/t/${DEMO}/gestion/membres`;
    expect((await demoAdmin.get(membersPage)).statusCode).toBe(403);
    expect((await demoAdmin.post(`${membersPage}/${target.id}/retirer`, {}, { formPage: demoPage })).statusCode).toBe(403);
    expect((await demoAdmin.post(`${membersPage}/invitations`, { email: "intrus@exemple.fr", role: "agent" }, { formPage: demoPage })).statusCode).toBe(403);
    // Through its own territory's URLs, the other territory's ids do not exist.
    expect((await demoAdmin.post(`${demoPage}/${target.id}/retirer`, {}, { formPage: demoPage })).statusCode).toBe(404);
    expect((await demoAdmin.post(`${demoPage}/${target.id}/modifier`, { [`role-${target.id}`]: "agent" }, { formPage: demoPage })).statusCode).toBe(404);
    await admin.post(`${membersPage}/invitations`, { email: "invite-ref@exemple.fr", role: "agent" }, { formPage: membersPage });
    const id = await invitationIdOf("invite-ref@exemple.fr");
    expect((await demoAdmin.post(`${demoPage}/invitations/${id}/annuler`, {}, { formPage: demoPage })).statusCode).toBe(404);
    expect(await membershipOf("admin-ref@exemple.fr")).toMatchObject([{ role: "territory_admin" }]);
  });

  it("lets a platform admin create a territory from two intercommunalités; its first admin accepts the invitation", async () => {
    const platform = await signedInClient(t, { platformAdmin: true, email: "plateforme@exemple.fr" });
    const home = await platform.get("/gestion");
    expect(home.body).toContain('href="/gestion/territoires/nouveau"');
    expect(home.body).toContain('href="/gestion/financeurs"');
    const form = "/gestion/territoires/nouveau";
    expect((await admin.get(form)).statusCode).toBe(403);
    expect((await admin.post(form, { name: "X", slug: "x", sirens: "200071520", adminEmail: "x@exemple.fr" }, { formPage: membersPage })).statusCode).toBe(403);

    // The search works without JavaScript: a GET of the form, results as checkboxes, typed values kept.
    const byName = await platform.get(`${form}?q=Domfront&name=Bocage+ornais&slug=bocage-ornais`);
    expect(byName.statusCode).toBe(200);
    expectWellFormedPage(byName, { signedIn: true });
    expect(byName.body).toContain('name="epci" value="200071520"');
    expect(byName.body).toContain('value="Bocage ornais"');
    const bySiren = await platform.get(`${form}?q=200068443&epci=200071520`);
    expect(bySiren.body).toMatch(/name="epci" value="200071520" checked/);
    expect(textOf(bySiren.body)).toContain("CC Andaine - Passais");

    const countRows = async () => {
      const [a] = await t.database.db.select({ n: count() }).from(territories);
      const [b] = await t.database.db.select({ n: count() }).from(auditLog);
      const [c] = await t.database.db.select({ n: count() }).from(territoryAuthorities);
      return [Number(a.n), Number(b.n), Number(c.n)];
    };
    const before = await countRows();
    const unknown = await platform.post(form, { name: "Bocage ornais", slug: "bocage-ornais", sirens: "200071520 123456789", adminEmail: "admin-bocage@exemple.fr" });
    expect(unknown.statusCode).toBe(422);
    expect(textOf(unknown.body)).toContain("Le SIREN 123456789 ne correspond à aucune intercommunalité (EPCI) connue.");
    const duplicate = await platform.post(form, { name: "Doublon", slug: REF, sirens: "200071520", adminEmail: "admin-bocage@exemple.fr" });
    expect(duplicate.statusCode).toBe(422);
    expect(textOf(duplicate.body)).toContain(`L'adresse « ${REF} » est déjà celle du territoire`);
    const badSlug = await platform.post(form, { name: "Bocage", slug: "Bocage Ornais", epci: "200071520", adminEmail: "admin-bocage@exemple.fr" });
    expect(badSlug.statusCode).toBe(422);
    expect(textOf(badSlug.body)).toContain("lettres minuscules sans accent");
    expect(badSlug.body).toMatch(/name="epci" value="200071520" checked/);
    const none = await platform.post(form, { name: "Bocage", slug: "bocage", adminEmail: "admin-bocage@exemple.fr" });
    expect(textOf(none.body)).toContain("Choisissez au moins une intercommunalité.");
    expect(await countRows()).toEqual(before);

    const created = await platform.post(form, { name: "Bocage ornais", slug: "bocage-ornais", epci: "200071520", sirens: "200068443", adminEmail: "admin-bocage@exemple.fr" });
    expect(created.statusCode).toBe(303);
    expect(created.headers.location).toBe("/t/bocage-ornais/gestion/membres");
    const [territory] = await t.database.db.select().from(territories).where(eq(territories.slug, "bocage-ornais"));
    expect(territory).toMatchObject({ name: "Bocage ornais", regionCode: "28", kind: "standard" });
    const auths = await t.database.db.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, territory.id));
    expect(auths.map((a) => [a.siren, a.name, a.kind, a.departementCode])).toEqual([
      ["200071520", "CC Domfront Tinchebray Interco", "CC", "61"],
      ["200068443", "CC Andaine - Passais", "CC", "61"],
    ]);
    const [audit] = await t.database.db.select().from(auditLog).where(and(eq(auditLog.entity, "territory"), eq(auditLog.territoryId, territory.id)));
    expect(audit.action).toBe("create");

    // It shows on the platform's home and API, with an empty plan.
    expect(textOf((await t.app.inject({ url: "/" })).body)).toContain("Bocage ornais");
    const api = JSON.parse((await t.app.inject({ url: "/api/v1/territories" })).body) as { territories: { slug: string; authorities: { siren: string }[] }[] };
    expect(api.territories.find((x) => x.slug === "bocage-ornais")?.authorities.map((a) => a.siren)).toEqual(["200071520", "200068443"]);
    expect((await t.app.inject({ url: "/t/bocage-ornais" })).statusCode).toBe(200);
    expect((await t.app.inject({ url: "/t/bocage-ornais/plan" })).statusCode).toBe(200);

    // The first administrator accepts, manages the members, and cannot leave the territory without one.
    const link = await linkFor("admin-bocage@exemple.fr");
    const first = new Client(t.app);
    const accepted = await first.post(link, { displayName: "Alex Bocage", password: NEW_PASSWORD, confirm: NEW_PASSWORD }, { formPage: link });
    expect(accepted.statusCode).toBe(303);
    expect((await first.get("/t/bocage-ornais/gestion")).statusCode).toBe(200);
    const page = await first.get("/t/bocage-ornais/gestion/membres");
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain("CC Andaine - Passais");
    const [m] = await membershipOf("admin-bocage@exemple.fr", territory.id);
    const demote = await first.post(`/t/bocage-ornais/gestion/membres/${m.id}/modifier`, { [`role-${m.id}`]: "agent" }, { formPage: "/t/bocage-ornais/gestion/membres" });
    expect(demote.statusCode).toBe(422);
    expect(textOf(demote.body)).toContain("Le territoire doit garder au moins un administrateur");
  });

  it("grants a funder read access to every territory of a région, or to one territory, and revokes it", async () => {
    const platform = await signedInClient(t, { platformAdmin: true, email: "plateforme-financeurs@exemple.fr" });
    const page = "/gestion/financeurs";
    const grantsPage = await platform.get(page);
    expect(grantsPage.statusCode).toBe(200);
    expectWellFormedPage(grantsPage, { signedIn: true });
    expect(grantsPage.body).toContain('<option value="r:28">Région Normandie</option>');
    expect((await admin.get(page)).statusCode).toBe(403);

    const bad = await platform.post(page, { email: "region@exemple.fr", label: "", scope: "r:99" });
    expect(bad.statusCode).toBe(422);
    expect(textOf(bad.body)).toContain("Indiquez pour qui est l'accès");
    const unknownRegion = await platform.post(page, { email: "region@exemple.fr", label: "Région X", scope: "r:99" });
    expect(unknownRegion.statusCode).toBe(422);
    expect(textOf(unknownRegion.body)).toContain("Choisissez un territoire ou une région dans la liste.");

    // No account yet: an invitation creates it, with the grant.
    expect((await platform.post(page, { email: "region@exemple.fr", label: "Région Normandie", scope: "r:28" })).statusCode).toBe(303);
    expect(textOf((await platform.get(page)).body)).toContain("region@exemple.fr");
    const link = await linkFor("region@exemple.fr");
    const funder = new Client(t.app);
    expect(textOf((await funder.get(link)).body)).toContain("tous les territoires de la région Normandie");
    const accepted = await funder.post(link, { displayName: "Chargée de mission Région", password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(accepted.statusCode).toBe(303);
    const actor = await loadActor(t.database.db, { cookies: { [SESSION_COOKIE]: funder.jar.get(SESSION_COOKIE) } } as never);
    expect(actor.fundedTerritoryIds).toEqual(expect.arrayContaining([refId, demoId]));
    expect(actor.memberships).toHaveLength(0);
    const home = textOf((await funder.get("/gestion")).body);
    expect(home).toContain("Territoires que vous suivez (lecture seule)");
    expect(home).toContain("Collines de Normandie");
    // Read-only: the back-office stays closed.
    expect((await funder.get(`/t/${REF}/gestion`)).statusCode).toBe(403);
    expect(await auditCount("funder_grant", "create")).toBe(1);

    // An existing account gets one territory at once, then loses it.
    await signedInClient(t, { email: "prefecture@exemple.fr" });
    expect((await platform.post(page, { email: "prefecture@exemple.fr", label: "Préfecture de l'Orne", scope: `t:${demoId}` })).statusCode).toBe(303);
    const [grant] = await t.database.db.select().from(funderGrants).where(eq(funderGrants.userId, (await userId("prefecture@exemple.fr"))!));
    expect(grant).toMatchObject({ label: "Préfecture de l'Orne", territoryId: demoId, regionCode: null });
    const twice = await platform.post(page, { email: "prefecture@exemple.fr", label: "Préfecture de l'Orne", scope: `t:${demoId}` });
    expect(twice.statusCode).toBe(422);
    expect(textOf(twice.body)).toContain("a déjà cet accès");
    expect((await outbox()).some((m) => m.to === "prefecture@exemple.fr")).toBe(true);
    expect((await platform.post(`${page}/${grant.id}/retirer`, {}, { formPage: page })).statusCode).toBe(303);
    expect(await t.database.db.select().from(funderGrants).where(eq(funderGrants.id, grant.id))).toHaveLength(0);
    expect(await auditCount("funder_grant", "delete")).toBe(1);
    expect((await platform.post(`${page}/${grant.id}/retirer`, {}, { formPage: page })).statusCode).toBe(404);
  });
});
