// Questions (issue 5): the public form with its spam protections (trap field, time to submit,
// limits per e-mail and per network address), the service's inbox (assignment, answer e-mailed,
// closing) and the public FAQ, which never shows who asked.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, asc, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../src/core/db/schema.ts";
import { Mailer } from "../src/core/mail/index.ts";
import { questions } from "../src/modules/participation/schema.ts";
import { runJob } from "../src/core/jobs/index.ts";
import "../src/modules/participation/questions/retention.ts";
import { territories } from "../src/modules/territories/api.ts";
import { Client, createTestApp, DB_KINDS, DEMO, REF, signedInClient, type TestApp } from "./helpers/app.ts";
import { expectWellFormedPage, mainOf, textOf } from "./helpers/html.ts";

describe.each(DB_KINDS)("questions and FAQ on %s", (kind) => {
  let t: TestApp;
  let dataDir: string;
  let refId: number;
  let agent: Client;
  let demoAgent: Client;
  let industrialist: Client;
  let ip = 0;
  const form = `/t/${REF}/questions`;
  const inbox = `/t/${REF}/gestion/questions`;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "collines-questions-"));
    t = await createTestApp(kind, { DATA_DIR: dataDir });
    refId = (await t.database.db.select().from(territories).where(eq(territories.slug, REF)))[0].id;
    [agent, demoAgent, industrialist] = await Promise.all([
      signedInClient(t, { role: "agent", territory: REF }),
      signedInClient(t, { role: "agent", territory: DEMO }),
      signedInClient(t, { role: "industrialist", territory: REF }),
    ]);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const outbox = () => new Mailer({ dataDir, smtpUrl: undefined }).outbox();
  const questionCount = async () => Number((await t.database.db.select({ n: count() }).from(questions)).at(0)!.n);
  const fields = (n: string, extra: Record<string, string> = {}) => ({
    name: "Élodie Marchand",
    email: `elodie.marchand.${n}.${kind}@fonderie-exemple.fr`,
    companyName: "Fonderie du Noireau",
    subject: `Adhésion au groupement ${n}`,
    themeId: "",
    body: "Bonjour, comment notre entreprise peut-elle rejoindre les ateliers thématiques ?",
    consent: "on",
    site: "",
    debut: String(Date.now() - 20_000),
    ...extra,
  });
  /** Posts the public form as a visitor from one network address (the form's CSRF pair first). */
  const ask = async (body: Record<string, string>, address?: string) => {
    const visitor = new Client(t.app);
    const token = await visitor.csrf(form);
    const payload = new URLSearchParams({ _csrf: token, ...body }).toString();
    return t.app.inject({
      method: "POST",
      url: form,
      headers: { cookie: visitor.jar.header(), "content-type": "application/x-www-form-urlencoded" },
      payload,
      remoteAddress: address ?? `10.5.${kind === "pglite" ? 1 : 2}.${++ip}`,
    });
  };

  it("shows the form: consent text, a trap field hidden from people without display:none, a time stamp", async () => {
    const res = await new Client(t.app).get(form);
    expect(res.statusCode).toBe(200);
    expectWellFormedPage(res);
    expect(res.body).toContain("Vous avez des questions sur la démarche ?");
    expect(res.body).toMatch(/<div class="question-trap" aria-hidden="true">\s*<label for="champ-site">Ne remplissez pas ce champ/);
    expect(res.body).toMatch(/<input type="text" id="champ-site" name="site" tabindex="-1" autocomplete="off"/);
    expect(res.body).not.toContain("display:none");
    expect(res.body).toMatch(/name="debut" value="\d{13}"/);
    expect(textOf(res.body)).toContain("Vos données personnelles.");
  });

  it("records a question sent by a person, without an audit entry (anyone could otherwise empty the page cache)", async () => {
    const before = await questionCount();
    const res = await ask(fields("a"));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(form);
    expect(await questionCount()).toBe(before + 1);
    const [q] = await t.database.db.select().from(questions).where(eq(questions.subject, "Adhésion au groupement a"));
    expect(q).toMatchObject({ territoryId: refId, status: "new", name: "Élodie Marchand", companyName: "Fonderie du Noireau" });
    expect(await t.database.db.select().from(auditLog).where(and(eq(auditLog.entity, "question"), eq(auditLog.entityId, String(q.id))))).toEqual([]);
  });

  it("refuses bad input with French messages, keeps the values, writes nothing", async () => {
    const before = await questionCount();
    const res = await ask(fields("b", { email: "pas-une-adresse", consent: "", body: "" }));
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain("<title>Erreur – Vous avez des questions");
    const text = textOf(mainOf(res.body));
    expect(text).toContain("Indiquez une adresse électronique valide");
    expect(text).toContain("Cochez la case pour accepter que vos données servent à vous répondre.");
    expect(text).toContain("Indiquez votre message.");
    expect(res.body).toContain('value="Adhésion au groupement b"');
    expect(await questionCount()).toBe(before);
  });

  it("drops what fills the trap field, refuses forms sent too fast or without their stamp", async () => {
    const before = await questionCount();
    const trapped = await ask(fields("robot", { site: "https://spam.example" }));
    expect(trapped.statusCode).toBe(303); // answered like a success: the robot learns nothing
    const fast = await ask(fields("rapide", { debut: String(Date.now()) }));
    expect(fast.statusCode).toBe(422);
    expect(textOf(fast.body)).toContain("très vite après l'ouverture du formulaire");
    const stampless = await ask(fields("sans-tampon", { debut: "" }));
    expect(stampless.statusCode).toBe(422);
    expect(textOf(stampless.body)).toContain("Le formulaire n'a pas pu être vérifié.");
    expect(await questionCount()).toBe(before);
  });

  it("limits questions per e-mail address (3 an hour) and per network address (5 in 10 minutes)", async () => {
    const email = `limite-${kind}@exemple.fr`;
    for (let i = 0; i < 3; i++) expect((await ask(fields(`l${i}`, { email }))).statusCode).toBe(303);
    const before = await questionCount();
    const fourth = await ask(fields("l4", { email: email.toUpperCase() }));
    expect(fourth.statusCode).toBe(429);
    expect(textOf(fourth.body)).toContain("Vous avez déjà envoyé 3 questions depuis cette adresse dans l'heure");
    expect(await questionCount()).toBe(before);
    const address = `10.9.${kind === "pglite" ? 1 : 2}.1`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await ask(fields(`ip${i}`), address)).statusCode);
    expect(statuses).toEqual([303, 303, 303, 303, 303, 429]);
  });

  it("the inbox: assignment, an answer e-mailed once, FAQ publication without identity, closing", async () => {
    await ask(fields("inbox"));
    const [q] = await t.database.db.select().from(questions).where(eq(questions.subject, "Adhésion au groupement inbox"));
    expect((await industrialist.get(inbox)).statusCode).toBe(403);
    expect((await new Client(t.app).get(inbox)).statusCode).toBe(303);
    expect((await demoAgent.get(`/t/${DEMO}/gestion/questions/${q.id}`)).statusCode).toBe(404);
    const list = await agent.get(inbox);
    expect(list.statusCode).toBe(200);
    expectWellFormedPage(list, { signedIn: true });
    expect(textOf(list.body)).toContain("Adhésion au groupement inbox");
    const page = await agent.get(`${inbox}/${q.id}`);
    expect(page.statusCode).toBe(200);
    expectWellFormedPage(page, { signedIn: true });
    const agentId = Number(/<option value="(\d+)"[^>]*>Test agent<\/option>/.exec(page.body)![1]);
    // Assignment: to a member of the staff only.
    let res = await agent.post(`${inbox}/${q.id}/attribution`, { assigneeId: "999999" }, { formPage: `${inbox}/${q.id}` });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("Choisissez un agent du territoire dans la liste.");
    res = await agent.post(`${inbox}/${q.id}/attribution`, { assigneeId: String(agentId) }, { formPage: `${inbox}/${q.id}` });
    expect(res.statusCode).toBe(303);
    expect((await t.database.db.select().from(questions).where(eq(questions.id, q.id)))[0]).toMatchObject({ status: "assigned", assigneeId: agentId });
    // No FAQ before an answer.
    res = await agent.post(`${inbox}/${q.id}/faq`, { faqQuestion: "Comment rejoindre les ateliers ?" }, { formPage: `${inbox}/${q.id}` });
    expect(res.statusCode).toBe(409);
    expect(textOf(res.body)).toContain("Répondez d'abord à la question");
    // The answer, e-mailed.
    res = await agent.post(`${inbox}/${q.id}/reponse`, { answer: "" }, { formPage: `${inbox}/${q.id}` });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("Indiquez votre réponse.");
    res = await agent.post(`${inbox}/${q.id}/reponse`, { answer: "Inscrivez-vous sur la page des ateliers : ils sont ouverts à toutes les entreprises du territoire." }, { formPage: `${inbox}/${q.id}` });
    expect(res.statusCode).toBe(303);
    const mail = (await outbox()).find((m) => m.to === q.email);
    expect(mail?.subject).toBe("Réponse à votre question « Adhésion au groupement inbox »");
    expect(mail?.text).toContain("Bonjour Élodie Marchand,");
    expect(mail?.text).toContain("ouverts à toutes les entreprises du territoire");
    const snapshot = (await t.database.db.select().from(questions).where(eq(questions.id, q.id)))[0];
    expect(snapshot.status).toBe("answered");
    res = await agent.post(`${inbox}/${q.id}/reponse`, { answer: "Une deuxième réponse." }, { formPage: `${inbox}/${q.id}` });
    expect(res.statusCode).toBe(409);
    expect(textOf(res.body)).toContain("Une réponse a déjà été envoyée pour cette question.");
    // The FAQ never names the person.
    res = await agent.post(`${inbox}/${q.id}/faq`, { faqQuestion: "Mme Marchand demande comment rejoindre les ateliers." }, { formPage: `${inbox}/${q.id}` });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("elle cite son nom");
    expect((await t.database.db.select().from(questions).where(eq(questions.id, q.id)))[0]).toEqual(snapshot);
    let faq = await new Client(t.app).get(`/t/${REF}/faq`);
    expect(textOf(faq.body)).not.toContain("rejoindre les ateliers");
    res = await agent.post(`${inbox}/${q.id}/faq`, { faqQuestion: "Comment une entreprise rejoint-elle les ateliers thématiques ?" }, { formPage: `${inbox}/${q.id}` });
    expect(res.statusCode).toBe(303);
    faq = await new Client(t.app).get(`/t/${REF}/faq`);
    expect(faq.statusCode).toBe(200);
    expectWellFormedPage(faq);
    const faqText = textOf(faq.body);
    expect(faqText).toContain("Comment une entreprise rejoint-elle les ateliers thématiques ?");
    expect(faqText).toContain("ouverts à toutes les entreprises du territoire");
    for (const secret of ["Marchand", "Élodie", "fonderie", "Fonderie du Noireau", "Adhésion au groupement inbox", "comment notre entreprise"]) expect(faqText).not.toContain(secret);
    // Only published entries: the other questions of the inbox are not there, nor in the other territory's FAQ.
    expect(faqText).not.toContain("Adhésion au groupement a");
    expect(textOf((await new Client(t.app).get(`/t/${DEMO}/faq`)).body)).not.toContain("rejoint-elle les ateliers");
    // Out of the FAQ, then closed; a closed question changes no more.
    expect((await agent.post(`${inbox}/${q.id}/faq/retrait`, {}, { formPage: `${inbox}/${q.id}` })).statusCode).toBe(303);
    expect(textOf((await new Client(t.app).get(`/t/${REF}/faq`)).body)).not.toContain("rejoint-elle les ateliers");
    res = await agent.post(`${inbox}/${q.id}/faq/retrait`, {}, { formPage: `${inbox}/${q.id}` });
    expect(res.statusCode).toBe(409);
    expect((await agent.post(`${inbox}/${q.id}/cloture`, {}, { formPage: `${inbox}/${q.id}` })).statusCode).toBe(303);
    const closed = (await t.database.db.select().from(questions).where(eq(questions.id, q.id)))[0];
    expect(closed.status).toBe("closed");
    res = await agent.post(`${inbox}/${q.id}/attribution`, { assigneeId: String(agentId) }, { formPage: `${inbox}/${q.id}` });
    expect(res.statusCode).toBe(409);
    expect(textOf(res.body)).toContain("Cette question est close");
    expect((await t.database.db.select().from(questions).where(eq(questions.id, q.id)))[0]).toEqual(closed);
    const history = await t.database.db.select().from(auditLog).where(and(eq(auditLog.entity, "question"), eq(auditLog.entityId, String(q.id)))).orderBy(asc(auditLog.id));
    expect(history.map((h) => h.action)).toEqual(["update", "state", "update", "update", "state"]);
  });

  it("erases the asker's personal data three years after the answer; the FAQ entry stays", async () => {
    const db = t.database.db;
    const old = new Date(Date.now() - 3 * 366 * 86400_000);
    const [q] = await db
      .insert(questions)
      .values({ territoryId: refId, name: "Ancien Demandeur", email: "ancien@exemple.fr", companyName: "Ancienne SARL", subject: "Une vieille question", body: "Mon message de 2023.", status: "answered", answer: "Une réponse durable.", answeredAt: old, createdAt: old, faqQuestion: "Une question durable ?", faqPublishedAt: old })
      .returning();
    const [recent] = await db.insert(questions).values({ territoryId: refId, name: "Récent Demandeur", email: "recent@exemple.fr", subject: "Récente", body: "Récent." }).returning();
    const report = await runJob(t.database, "questions-conservation");
    expect(report).toMatch(/^\d+ question\(s\) de plus de 3 ans anonymisée\(s\)\.$/);
    const [after] = await db.select().from(questions).where(eq(questions.id, q.id));
    expect(after).toMatchObject({ name: "Personne anonymisée", companyName: null, subject: "Une vieille question", answer: "Une réponse durable." });
    expect(after.email).not.toContain("ancien");
    expect(after.body).not.toContain("2023");
    expect((await db.select().from(questions).where(eq(questions.id, recent.id)))[0].name).toBe("Récent Demandeur");
    expect(textOf((await new Client(t.app).get(`/t/${REF}/faq`)).body)).toContain("Une question durable ?");
  });
});
