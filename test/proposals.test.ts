// Proposals of actions (issue 5): submission, supports and comments, moderation, review and
// evaluation, decisions with every refusal, an accepted proposal turned into a draft action through
// a committee decision and an amendment, the answer e-mailed (or not, once unsubscribed).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, asc, count, eq, isNull, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, users } from "../src/core/db/schema.ts";
import { Mailer } from "../src/core/mail/index.ts";
import { actions, objectives, parisToday, themes } from "../src/modules/plan/api.ts";
import { formatDate } from "../src/core/i18n/format.ts";
import { amendmentChanges, amendments, decisionActions, decisions } from "../src/modules/governance/api.ts";
import { notificationPreferences, proposalComments, proposals, proposalSupports } from "../src/modules/participation/schema.ts";
import { proposalForAction } from "../src/modules/participation/proposals/queries.ts";
import { seedDemoQuestions } from "../src/modules/participation/questions/seed.ts";
import { questions } from "../src/modules/participation/schema.ts";
import { territories } from "../src/modules/territories/api.ts";
import { Client, createTestApp, DB_KINDS, DEMO, REF, signedInClient, type TestApp } from "./helpers/app.ts";
import { expectWellFormedPage, mainOf, textOf } from "./helpers/html.ts";

describe.each(DB_KINDS)("proposals of actions on %s", (kind) => {
  let t: TestApp;
  let dataDir: string;
  let refId: number;
  let themeId: number;
  let objectiveId: number;
  let demoThemeId: number;
  let author: Client;
  let other: Client;
  let committee: Client;
  let agent: Client;
  let limited: Client;
  let demoAgent: Client;
  let anonymous: Client;
  const authorEmail = `auteur-${kind}@exemple.fr`;
  const base = `/t/${REF}/propositions`;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "collines-proposals-"));
    t = await createTestApp(kind, { DATA_DIR: dataDir });
    const db = t.database.db;
    refId = (await db.select().from(territories).where(eq(territories.slug, REF)))[0].id;
    const demoId = (await db.select().from(territories).where(eq(territories.slug, DEMO)))[0].id;
    const [theme] = await db.select().from(themes).where(and(eq(themes.territoryId, refId), eq(themes.visibility, "published"), isNull(themes.archivedAt))).orderBy(asc(themes.position));
    themeId = theme.id;
    objectiveId = (await db.select().from(objectives).where(and(eq(objectives.themeId, themeId), isNull(objectives.archivedAt))).orderBy(asc(objectives.position)))[0].id;
    demoThemeId = (await db.select().from(themes).where(eq(themes.territoryId, demoId)))[0].id;
    [author, other, committee, agent, demoAgent] = await Promise.all([
      signedInClient(t, { role: "industrialist", territory: REF, email: authorEmail }),
      signedInClient(t, { role: "industrialist", territory: REF }),
      signedInClient(t, { role: "committee_member", territory: REF }),
      signedInClient(t, { role: "agent", territory: REF }),
      signedInClient(t, { role: "agent", territory: DEMO }),
    ]);
    limited = await signedInClient(t, { role: "agent", territory: REF, email: `limite-${kind}@exemple.fr` });
    const { memberships } = await import("../src/core/db/schema.ts");
    const { territoryAuthorities } = await import("../src/modules/territories/api.ts");
    const [auth] = await db.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, refId));
    const [u] = await db.select().from(users).where(eq(users.email, `limite-${kind}@exemple.fr`));
    await db.update(memberships).set({ authorityId: auth.id }).where(eq(memberships.userId, u.id));
    anonymous = new Client(t.app);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const outbox = () => new Mailer({ dataDir, smtpUrl: undefined }).outbox();
  const proposalCount = async () => Number((await t.database.db.select({ n: count() }).from(proposals))[0].n);
  const row = async (id: number) => (await t.database.db.select().from(proposals).where(eq(proposals.id, id)))[0];
  const auditOf = (entity: string, id: number) =>
    t.database.db.select().from(auditLog).where(and(eq(auditLog.entity, entity), eq(auditLog.entityId, String(id)))).orderBy(asc(auditLog.id));
  const valid = (n: string) => ({ title: `Un groupement d'employeurs ${n}`, themeId: String(themeId), problem: "Les PME peinent à recruter des techniciens de maintenance.", proposedAction: "Créer un groupement d'employeurs partagé entre cinq entreprises.", expectedPartners: "GEIQ, CCI Portes de Normandie", roughBudgetEuros: "15 000 €" });
  /** Submits a valid proposal as the author; returns its id. */
  const submit = async (n: string) => {
    const res = await author.post(`${base}/nouvelle`, valid(n));
    expect(res.statusCode).toBe(303);
    return Number(/\/propositions\/(\d+)$/.exec(String(res.headers.location))![1]);
  };

  it("a signed-in industrialist proposes an action; bad input gets French messages and writes nothing", async () => {
    const form = await author.get(`${base}/nouvelle`);
    expect(form.statusCode).toBe(200);
    expectWellFormedPage(form, { signedIn: true });
    const before = await proposalCount();
    const empty = await author.post(`${base}/nouvelle`, { title: "", themeId: "", problem: "", proposedAction: "", expectedPartners: "", roughBudgetEuros: "" });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain("<title>Erreur – Proposer une action");
    const text = textOf(mainOf(empty.body));
    expect(text).toContain("Indiquez le titre de la proposition.");
    expect(text).toContain("Indiquez le problème constaté.");
    expect(text).toContain("Indiquez l'action proposée.");
    const budget = await author.post(`${base}/nouvelle`, { ...valid("x"), roughBudgetEuros: "beaucoup" });
    expect(budget.statusCode).toBe(422);
    expect(textOf(budget.body)).toContain("Le budget est un nombre entier d'euros");
    expect(budget.body).toContain("employeurs x"); // values kept
    const foreignTheme = await author.post(`${base}/nouvelle`, { ...valid("y"), themeId: String(demoThemeId) });
    expect(foreignTheme.statusCode).toBe(422);
    expect(textOf(foreignTheme.body)).toContain("Choisissez une thématique du plan dans la liste.");
    expect(await proposalCount()).toBe(before);

    const id = await submit("A");
    const p = await row(id);
    expect(p).toMatchObject({ territoryId: refId, status: "submitted", roughBudgetEuros: 15000, themeId });
    expect((await auditOf("proposal", id)).map((a) => a.action)).toEqual(["create"]);
    const page = await author.get(`${base}/${id}`);
    expect(textOf(page.body)).toContain("Votre proposition n°");
  });

  it("refuses visitors, funders' pages and other territories: sign in first, 403, 404", async () => {
    const res = await anonymous.get(`${base}/nouvelle`);
    expect(res.statusCode).toBe(303);
    expect(String(res.headers.location)).toMatch(/^\/connexion/);
    const id = await submit("visiteurs");
    expect((await demoAgent.get(`/t/${DEMO}/propositions/${id}`)).statusCode).toBe(404);
    const before = await row(id);
    expect((await demoAgent.post(`/t/${DEMO}/propositions/${id}/examen`, {}, { formPage: `/t/${DEMO}/propositions` })).statusCode).toBe(404);
    expect((await demoAgent.post(`${base}/${id}/examen`, {}, { formPage: `/t/${DEMO}/propositions` })).statusCode).toBe(403);
    expect(await row(id)).toEqual(before);
  });

  it("the public reads proposals without their authors' names; participants see names and comments", async () => {
    const id = await submit("public");
    const [author_] = await t.database.db.select().from(users).where(eq(users.email, authorEmail));
    await other.post(`${base}/${id}/commentaires`, { body: "Très bonne idée, nous en serions." }, { formPage: `${base}/${id}` });
    const list = await anonymous.get(base);
    expect(list.statusCode).toBe(200);
    expect(textOf(list.body)).toContain("Un groupement d'employeurs public");
    const page = await anonymous.get(`${base}/${id}`);
    expect(page.statusCode).toBe(200);
    expectWellFormedPage(page);
    const text = textOf(page.body);
    expect(text).toContain("Les PME peinent à recruter");
    expect(text).toContain("15 000 €");
    expect(text).not.toContain(author_.displayName);
    expect(text).not.toContain("Très bonne idée");
    expect(text).toContain("1 commentaire, visibles des participants connectés");
    const seen = textOf((await other.get(`${base}/${id}`)).body);
    expect(seen).toContain(`par ${author_.displayName}`);
    expect(seen).toContain("Très bonne idée, nous en serions.");
  });

  it("supports: one per person, toggled; the author cannot support; a decided proposal takes none", async () => {
    const id = await submit("soutiens");
    const supports = async () => Number((await t.database.db.select({ n: count() }).from(proposalSupports).where(eq(proposalSupports.proposalId, id)))[0].n);
    let res = await other.post(`${base}/${id}/soutien`, {}, { formPage: `${base}/${id}` });
    expect(res.statusCode).toBe(303);
    expect(await supports()).toBe(1);
    expect(textOf((await other.get(`${base}/${id}`)).body)).toContain("Retirer mon soutien");
    await committee.post(`${base}/${id}/soutien`, {}, { formPage: `${base}/${id}` });
    expect(await supports()).toBe(2);
    res = await other.post(`${base}/${id}/soutien`, {}, { formPage: `${base}/${id}` });
    expect(await supports()).toBe(1);
    res = await author.post(`${base}/${id}/soutien`, {}, { formPage: `${base}/${id}` });
    expect(res.statusCode).toBe(409);
    expect(textOf(res.body)).toContain("vous ne pouvez pas la soutenir vous-même");
    expect(await supports()).toBe(1);
    // Decided: supports are closed.
    await agent.post(`${base}/${id}/examen`, {}, { formPage: `${base}/${id}` });
    await agent.post(`${base}/${id}/decision`, { decision: "rejected", objectiveId: "", mergedIntoId: "", meetingId: "", answer: "Hors du champ du programme." });
    res = await other.post(`${base}/${id}/soutien`, {}, { formPage: `${base}/${id}` });
    expect(res.statusCode).toBe(409);
    expect(textOf(res.body)).toContain("les soutiens sont clos");
    expect(await supports()).toBe(1);
  });

  it("comments: participants write, an agent hides one (in the audit trail), the hidden body is gone for participants", async () => {
    const id = await submit("commentaires");
    const empty = await other.post(`${base}/${id}/commentaires`, { body: "   " }, { formPage: `${base}/${id}` });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain("<title>Erreur – ");
    expect(textOf(empty.body)).toContain("Indiquez votre commentaire.");
    const res = await other.post(`${base}/${id}/commentaires`, { body: "Propos déplacé à masquer." }, { formPage: `${base}/${id}` });
    expect(res.statusCode).toBe(303);
    const [c] = await t.database.db.select().from(proposalComments).where(eq(proposalComments.proposalId, id));
    // Only agents moderate.
    expect((await committee.post(`${base}/${id}/commentaires/${c.id}/masquer`, {}, { formPage: `${base}/${id}` })).statusCode).toBe(403);
    const hide = await agent.post(`${base}/${id}/commentaires/${c.id}/masquer`, {}, { formPage: `${base}/${id}` });
    expect(hide.statusCode).toBe(303);
    expect((await auditOf("proposal_comment", c.id)).map((a) => a.action)).toEqual(["create", "update"]);
    const again = await agent.post(`${base}/${id}/commentaires/${c.id}/masquer`, {}, { formPage: `${base}/${id}` });
    expect(again.statusCode).toBe(409);
    expect(textOf(again.body)).toContain("Ce commentaire est déjà masqué.");
    expect(textOf((await other.get(`${base}/${id}`)).body)).not.toContain("Propos déplacé");
    expect(textOf((await agent.get(`${base}/${id}`)).body)).toContain("Masqué le");
  });

  it("transitions: submitted → under review → decided; every refusal is a French 409 or 422 and changes nothing", async () => {
    const id = await submit("transitions");
    const decide = (c: Client, form: Record<string, string>) =>
      c.post(`${base}/${id}/decision`, { decision: "", objectiveId: "", mergedIntoId: "", meetingId: "", answer: "Réponse du comité.", ...form }, { formPage: `${base}/${id}/decision` });
    // Not yet under review.
    let snapshot = await row(id);
    let res = await decide(agent, { decision: "accepted", objectiveId: String(objectiveId) });
    expect(res.statusCode).toBe(409);
    expect(textOf(res.body)).toContain("Mettez d'abord la proposition à l'examen");
    res = await committee.post(`${base}/${id}/evaluation`, { score: "12", answer: "" }, { formPage: `${base}/${id}/evaluation` });
    expect(res.statusCode).toBe(409);
    expect(textOf(res.body)).toContain("Mettez d'abord la proposition à l'examen avant de l'évaluer.");
    expect(await row(id)).toEqual(snapshot);
    // A committee member puts it under review and evaluates it.
    expect((await committee.post(`${base}/${id}/examen`, {}, { formPage: `${base}/${id}` })).statusCode).toBe(303);
    res = await committee.post(`${base}/${id}/examen`, {}, { formPage: `${base}/${id}` });
    expect(res.statusCode).toBe(409);
    expect(textOf(res.body)).toContain("déjà à l'examen");
    const evaluation = await committee.get(`${base}/${id}/evaluation`);
    expect(evaluation.statusCode).toBe(200);
    expectWellFormedPage(evaluation, { signedIn: true });
    res = await committee.post(`${base}/${id}/evaluation`, { criteria: ["theme", "inconnu"], score: "25", answer: "" });
    expect(res.statusCode).toBe(422);
    expect(textOf(res.body)).toContain("Choisissez les critères dans la liste.");
    expect(textOf(res.body)).toContain("La note est un nombre entier de 0 à 20.");
    snapshot = await row(id);
    expect(snapshot.score).toBeNull();
    res = await committee.post(`${base}/${id}/evaluation`, { criteria: ["theme", "demand", "partners"], score: "14", answer: "Proposition solide." });
    expect(res.statusCode).toBe(303);
    expect(await row(id)).toMatchObject({ status: "under_review", score: 14, criteria: ["theme", "demand", "partners"], answer: "Proposition solide." });
    // Committee members and limited agents do not record decisions.
    expect((await committee.get(`${base}/${id}/decision`)).statusCode).toBe(403);
    expect((await limited.get(`${base}/${id}/decision`)).statusCode).toBe(403);
    const form = await agent.get(`${base}/${id}/decision`);
    expect(form.statusCode).toBe(200);
    expectWellFormedPage(form, { signedIn: true });
    snapshot = await row(id);
    const actionsBefore = Number((await t.database.db.select({ n: count() }).from(actions)).at(0)!.n);
    for (const [fields, message] of [
      [{ decision: "" }, "Choisissez la décision du comité."],
      [{ decision: "accepted", answer: "" }, "Indiquez la réponse envoyée à l'auteur."],
      [{ decision: "accepted", objectiveId: String(objectiveId), meetingId: "999999" }, "Choisissez la séance dans la liste, ou aucune pour une procédure écrite."],
      [{ decision: "accepted" }, "Choisissez l'objectif du plan sous lequel l'action est ajoutée."],
      [{ decision: "merged", mergedIntoId: String(id) }, "Une proposition ne peut pas être regroupée avec elle-même."],
    ] as [Record<string, string>, string][]) {
      res = await decide(agent, fields);
      expect(res.statusCode, JSON.stringify(fields)).toBe(422);
      expect(res.body).toContain("<title>Erreur – ");
      expect(textOf(res.body)).toContain(message);
    }
    expect(await row(id)).toEqual(snapshot);
    expect(Number((await t.database.db.select({ n: count() }).from(actions)).at(0)!.n)).toBe(actionsBefore);
    // Rejected, then no way back.
    res = await decide(agent, { decision: "rejected", answer: "Le comité ne retient pas la proposition : elle relève du droit commun." });
    expect(res.statusCode).toBe(303);
    snapshot = await row(id);
    expect(snapshot.status).toBe("rejected");
    res = await decide(agent, { decision: "accepted", objectiveId: String(objectiveId) });
    expect(res.statusCode).toBe(409);
    expect(textOf(res.body)).toContain("n'a pas été retenue : la décision est définitive");
    res = await committee.post(`${base}/${id}/evaluation`, { score: "3", answer: "" });
    expect(res.statusCode).toBe(409);
    expect(await row(id)).toEqual(snapshot);
    expect(Number((await t.database.db.select({ n: count() }).from(actions)).at(0)!.n)).toBe(actionsBefore);
    // The status history is in the audit trail.
    const states = (await auditOf("proposal", id)).filter((a) => a.action === "state").map((a) => [(a.before as { status: string }).status, (a.after as { status: string }).status]);
    expect(states).toEqual([
      ["submitted", "under_review"],
      ["under_review", "rejected"],
    ]);
    // The answer went to the author, with an unsubscribe link.
    const mail = (await outbox()).find((m) => m.to === authorEmail && m.text.includes("transitions"));
    expect(mail?.subject).toContain("réponse du comité");
    expect(mail?.text).toContain("elle relève du droit commun");
    expect(mail?.text).toMatch(/\/propositions\/desabonnement\/[A-Za-z0-9_-]+/);
  });

  it("an accepted proposal becomes a draft action through a decision and an amendment, linked both ways", async () => {
    const id = await submit("acceptée");
    await agent.post(`${base}/${id}/examen`, {}, { formPage: `${base}/${id}` });
    const res = await agent.post(`${base}/${id}/decision`, { decision: "accepted", objectiveId: String(objectiveId), mergedIntoId: "", meetingId: "", answer: "Le comité retient la proposition." });
    expect(res.statusCode).toBe(303);
    const p = await row(id);
    expect(p.status).toBe("accepted");
    const [action] = await t.database.db.select().from(actions).where(eq(actions.id, p.actionId!));
    expect(action).toMatchObject({ territoryId: refId, objectiveId, visibility: "draft", title: "Un groupement d'employeurs acceptée" });
    expect(action.description).toContain("Créer un groupement d'employeurs partagé");
    const [decision] = await t.database.db.select().from(decisions).where(eq(decisions.id, p.decisionId!));
    expect(decision).toMatchObject({ territoryId: refId, decidedOn: parisToday() });
    expect(await t.database.db.select().from(decisionActions).where(eq(decisionActions.decisionId, decision.id))).toHaveLength(1);
    const [amendment] = await t.database.db.select().from(amendments).where(eq(amendments.decisionId, decision.id));
    expect(amendment.status).toBe("applied"); // the plan's next version holds the draft action
    const [change] = await t.database.db.select().from(amendmentChanges).where(eq(amendmentChanges.amendmentId, amendment.id));
    expect(change).toMatchObject({ kind: "add", actionId: action.id, proposalId: id });
    expect(await proposalForAction(t.database.db, refId, action.id)).toEqual({ id, title: p.title, url: `${base}/${id}` });
    // The proposal page shows the action and the decision; the public does not get a link to a draft.
    const staffText = textOf((await agent.get(`${base}/${id}`)).body);
    expect(staffText).toContain(`Devenue l'action n° ${action.number} « ${action.title} » du plan (brouillon, en préparation), par la décision n° ${decision.number} du ${formatDate(parisToday())}.`);
    const publicPage = await anonymous.get(`${base}/${id}`);
    expect(textOf(publicPage.body)).toContain(`Devenue l'action n° ${action.number} du plan, en préparation`);
    expect(publicPage.body).not.toContain(`/actions/${action.id}"`);
    // The draft action is in the plan's back-office.
    expect(textOf((await agent.get(`/t/${REF}/gestion`)).body)).toContain(action.title);
    const mail = (await outbox()).find((m) => m.to === authorEmail && m.text.includes("acceptée"));
    expect(mail?.text).toContain(`Elle devient l'action n° ${action.number} du plan`);
    // Merged into it: linked both ways.
    const other_ = await submit("doublon");
    await agent.post(`${base}/${other_}/examen`, {}, { formPage: `${base}/${other_}` });
    const merged = await agent.post(`${base}/${other_}/decision`, { decision: "merged", objectiveId: "", mergedIntoId: String(id), meetingId: "", answer: "Regroupée avec une proposition voisine." });
    expect(merged.statusCode).toBe(303);
    expect(await row(other_)).toMatchObject({ status: "merged", mergedIntoId: id });
    expect(textOf((await anonymous.get(`${base}/${other_}`)).body)).toContain(`Regroupée avec la proposition n° ${id}`);
    expect(textOf((await anonymous.get(`${base}/${id}`)).body)).toContain(`Cette proposition regroupe aussi : n° ${other_}`);
  });

  it("the author unsubscribes by the e-mail's link: later answers are not e-mailed", async () => {
    const mail = (await outbox()).find((m) => m.to === authorEmail)!;
    const link = /\/t\/[a-z0-9-]+\/propositions\/desabonnement\/[A-Za-z0-9_-]+/.exec(mail.text)![0];
    const page = await anonymous.get(link);
    expect(page.statusCode).toBe(200);
    expectWellFormedPage(page);
    const res = await anonymous.post(link, {});
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).toContain("vous ne recevez plus de courriels sur vos propositions");
    const [u] = await t.database.db.select().from(users).where(eq(users.email, authorEmail));
    expect((await t.database.db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, u.id)))[0].proposalEmails).toBe(false);
    expect((await anonymous.get(`${link}x`)).statusCode).toBe(404);
    const id = await submit("sans courriel");
    await agent.post(`${base}/${id}/examen`, {}, { formPage: `${base}/${id}` });
    const before = (await outbox()).length;
    const decided = await agent.post(`${base}/${id}/decision`, { decision: "rejected", objectiveId: "", mergedIntoId: "", meetingId: "", answer: "Non retenue." });
    expect(decided.statusCode).toBe(303);
    expect((await outbox()).length).toBe(before);
  });

  it("the staff's list shows every proposal with its state", async () => {
    const res = await agent.get(`/t/${REF}/gestion/propositions`);
    expect(res.statusCode).toBe(200);
    expectWellFormedPage(res, { signedIn: true });
    expect(textOf(res.body)).toContain("Non retenue");
    expect((await other.get(`/t/${REF}/gestion/propositions`)).statusCode).toBe(403);
  });

  it("moderation: an agent hides a proposal (only the staff see it, nothing more is accepted), then publishes it again", async () => {
    const id = await submit("à masquer");
    expect((await other.post(`${base}/${id}/masquer`, {}, { formPage: `${base}/${id}` })).statusCode).toBe(403);
    let res = await agent.post(`${base}/${id}/masquer`, {}, { formPage: `${base}/${id}` });
    expect(res.statusCode).toBe(303);
    expect((await row(id)).visibility).toBe("draft");
    expect((await anonymous.get(`${base}/${id}`)).statusCode).toBe(404);
    expect((await other.get(`${base}/${id}`)).statusCode).toBe(404);
    expect(textOf((await anonymous.get(base)).body)).not.toContain("employeurs à masquer");
    const staffPage = await agent.get(`${base}/${id}`);
    expect(staffPage.statusCode).toBe(200);
    expect(textOf(staffPage.body)).toContain("Proposition masquée");
    expect(textOf((await agent.get(`/t/${REF}/gestion/propositions`)).body)).toMatch(/employeurs à masquer( – [^ ]+)? Masquée/);
    // Nothing more: no review, no evaluation page, a second hiding refused.
    const snapshot = await row(id);
    expect((await committee.post(`${base}/${id}/examen`, {}, { formPage: base })).statusCode).toBe(404);
    expect((await agent.get(`${base}/${id}/decision`)).statusCode).toBe(404);
    res = await agent.post(`${base}/${id}/masquer`, {}, { formPage: `${base}/${id}` });
    expect(res.statusCode).toBe(409);
    expect(textOf(res.body)).toContain("Cette proposition est déjà masquée.");
    expect(await row(id)).toEqual(snapshot);
    expect((await agent.post(`${base}/${id}/publier`, {}, { formPage: `${base}/${id}` })).statusCode).toBe(303);
    expect((await anonymous.get(`${base}/${id}`)).statusCode).toBe(200);
    expect((await auditOf("proposal", id)).map((a) => a.action)).toEqual(["create", "archive", "restore"]);
  });

  it("seeds the demo territory once with a FAQ and a question waiting in the inbox, and no account", async () => {
    const db = t.database.db;
    const demoId = (await db.select().from(territories).where(eq(territories.slug, DEMO)))[0].id;
    await seedDemoQuestions(t.database);
    await seedDemoQuestions(t.database);
    expect((await db.select().from(questions).where(eq(questions.territoryId, demoId))).map((q) => q.status).sort()).toEqual(["answered", "answered", "answered", "new"]);
    expect(await db.select().from(users).where(like(users.email, "%.invalid"))).toEqual([]);
    const faq = textOf((await anonymous.get(`/t/${DEMO}/faq`)).body);
    expect(faq).toContain("Une entreprise de moins de dix salariés peut-elle participer aux ateliers thématiques ?");
    expect(faq).not.toContain("Personne de démonstration");
  });
});
