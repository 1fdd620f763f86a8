// Committees at work through the HTTP forms: bodies and members, meetings (agenda built from the
// follow-up, invitations with .ics, update and cancellation, attendance and minutes), decisions,
// amendments applied in one transaction, plan versions and their comparison — on both databases.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, count, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../src/core/db/schema.ts";
import { icsInstant, icsProp, parseIcs } from "../src/core/formats/ics.ts";
import { actions, milestones } from "../src/modules/plan/schema.ts";
import { governanceBodies, governanceMembers, territories } from "../src/modules/territories/schema.ts";
import { agendaItems, amendments, decisions, meetingInvitees, meetings, planVersions } from "../src/modules/governance/schema.ts";
import { createDraftActionFromProposal, decisionsForAction } from "../src/modules/governance/api.ts";
import { proposals } from "../src/modules/participation/schema.ts";
import { users } from "../src/core/db/schema.ts";
import { ANONYMOUS } from "../src/core/authz/index.ts";
import { objectives, statusChanges, themes } from "../src/modules/plan/schema.ts";
import { runCommand } from "../src/core/control.ts";
import "../src/modules/governance/commands/cli.ts";
import type { PlanSnapshot } from "../src/modules/governance/model.ts";
import { Client, createTestApp, DB_KINDS, DEMO, REF, signedInClient, type TestApp } from "./helpers/app.ts";
import { expectWellFormedPage, textOf } from "./helpers/html.ts";
import { icsOf, outboxMessages } from "./helpers/eml.ts";

describe.each(DB_KINDS)("governance on %s", (kind) => {
  let t: TestApp;
  let dataDir: string;
  let refId: number;
  let steeringId: number;
  let admin: Client;
  const base = `/t/${REF}/gestion/gouvernance`;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "collines-gov-"));
    t = await createTestApp(kind, { DATA_DIR: dataDir });
    const db = t.database.db;
    refId = (await db.select().from(territories).where(eq(territories.slug, REF)))[0]!.id;
    steeringId = (await db.select().from(governanceBodies).where(and(eq(governanceBodies.territoryId, refId), eq(governanceBodies.kind, "steering_committee"))))[0]!.id;
    admin = await signedInClient(t, { role: "territory_admin", territory: REF });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const rows = async (table: Parameters<ReturnType<typeof t.database.db.select>["from"]>[0]) => Number((await t.database.db.select({ n: count() }).from(table))[0]!.n);
  const redirectId = (location: unknown) => Number(/\/(\d+)(?:[#?].*)?$/.exec(String(location))![1]);

  it("seeds version 1 of each plan: the reference plan as signed on 30 April 2019, 19 actions", async () => {
    const [v1] = await t.database.db.select().from(planVersions).where(and(eq(planVersions.territoryId, refId), eq(planVersions.number, 1)));
    expect(v1!.effectiveOn).toBe("2019-04-30");
    expect((v1!.snapshot as PlanSnapshot).actions).toHaveLength(19);
    const page = await new Client(t.app).get(`/t/${REF}/plan/versions`);
    expect(page.statusCode).toBe(200);
    expectWellFormedPage(page);
    expect(textOf(page.body)).toContain("30 avril 2019");
    const v = await new Client(t.app).get(`/t/${REF}/plan/versions/1`);
    expect(v.statusCode).toBe(200);
    expect(textOf(v.body)).toContain("Action 1");
    expect((await new Client(t.app).get(`/t/${REF}/plan/versions/99`)).statusCode).toBe(404);
    expect((await new Client(t.app).get(`/t/${DEMO}/plan/versions/1`)).statusCode).toBe(200);
  });

  it("the back-office lists the seeded bodies; bad input to a body or member changes nothing", async () => {
    const home = await admin.get(base);
    expect(home.statusCode).toBe(200);
    expectWellFormedPage(home, { signedIn: true });
    expect(textOf(home.body)).toContain("Comité de pilotage");
    const bodiesBefore = await rows(governanceBodies);
    const bad = await admin.post(`${base}/instances/nouvelle`, { kind: "inconnu", name: "" });
    expect(bad.statusCode).toBe(422);
    expect(textOf(bad.body)).toMatch(/^Erreur – /);
    expect(await rows(governanceBodies)).toBe(bodiesBefore);
    const membersBefore = await rows(governanceMembers);
    const badMember = await admin.post(`${base}/instances/${steeringId}/membres`, { memberName: "Camille Martin", side: "élu", email: "pas-une-adresse" }, { formPage: `${base}/instances/${steeringId}` });
    expect(badMember.statusCode).toBe(422);
    expect(textOf(badMember.body)).toContain("Indiquez une adresse électronique valide");
    expect(badMember.body).toContain('value="Camille Martin"');
    expect(await rows(governanceMembers)).toBe(membersBefore);
    const ok = await admin.post(`${base}/instances/${steeringId}/membres`, { memberName: "Camille Martin", memberRole: "Conseillère", side: "élu", email: "camille@exemple.fr" }, { formPage: `${base}/instances/${steeringId}` });
    expect(ok.statusCode).toBe(303);
    expect(await rows(governanceMembers)).toBe(membersBefore + 1);
  });

  it("prepares, invites, updates and holds a meeting; its decision amends the plan; the comparison shows it", async () => {
    const db = t.database.db;
    // A late milestone for the agenda builder.
    const [action] = await db.select().from(actions).where(and(eq(actions.territoryId, refId), eq(actions.number, 3)));
    await db.insert(milestones).values({ territoryId: refId, actionId: action!.id, name: "Étude de faisabilité rendue", dueDate: "2025-01-15" });

    // Bad input: the end before the start → 422, nothing written.
    const meetingsBefore = await rows(meetings);
    const form = { bodyId: String(steeringId), title: "Comité de pilotage de printemps", date: "2026-03-30", start: "16:00", end: "14:00", place: "Vire, salle du conseil", videoUrl: "", extraEmails: "prefecture@exemple.fr" };
    const bad = await admin.post(`${base}/reunions/nouvelle`, form);
    expect(bad.statusCode).toBe(422);
    expect(textOf(bad.body)).toContain("L'heure de fin doit être après l'heure de début.");
    expect(await rows(meetings)).toBe(meetingsBefore);
    const badMail = await admin.post(`${base}/reunions/nouvelle`, { ...form, start: "14:00", end: "16:00", extraEmails: "prefecture@exemple.fr, nimporte quoi" });
    expect(badMail.statusCode).toBe(422);
    expect(await rows(meetings)).toBe(meetingsBefore);

    // The date typed as the French picker shows it (jj/mm/aaaa) is understood.
    const created = await admin.post(`${base}/reunions/nouvelle`, { ...form, date: "30/03/2026", start: "14:00", end: "16:00" });
    expect(created.statusCode).toBe(303);
    const meetingId = redirectId(created.headers.location);
    expect((await db.select().from(meetings).where(eq(meetings.id, meetingId)))[0]!.startsAt.toISOString()).toBe("2026-03-30T12:00:00.000Z");
    const invitees = await db.select().from(meetingInvitees).where(eq(meetingInvitees.meetingId, meetingId));
    expect(invitees.map((i) => i.email).filter(Boolean).sort()).toEqual(["camille@exemple.fr", "prefecture@exemple.fr"]);

    // Also a status change (none of the body's meetings was held before) and an open proposal.
    const [a5] = await db.select().from(actions).where(and(eq(actions.territoryId, refId), eq(actions.number, 5)));
    await db.insert(statusChanges).values({ territoryId: refId, actionId: a5!.id, fromStatus: null, toStatus: "in_progress" });
    const [author] = await db.insert(users).values({ email: "auteur.proposition@exemple.fr", displayName: "Auteur" }).returning();
    await db.insert(proposals).values({ territoryId: refId, authorId: author!.id, title: "Navette vers la zone d'activités", problem: "Pas de bus.", proposedAction: "Une navette.", status: "submitted" });

    // The agenda builder proposes them; tick the late milestone and add a free item.
    const page = await admin.get(`${base}/reunions/${meetingId}`);
    expect(textOf(page.body)).toContain(`Action 5 – ${a5!.title} : statut passé à « En cours »`);
    expect(textOf(page.body)).toContain("Proposition d'industriel : Navette vers la zone d'activités");
    expect(page.statusCode).toBe(200);
    expectWellFormedPage(page, { signedIn: true });
    const key = /name="suggestions" value="(jalon-\d+)"/.exec(page.body)![1]!;
    expect(textOf(page.body)).toContain("Étude de faisabilité rendue");
    const agenda = await admin.post(`${base}/reunions/${meetingId}/ordre-du-jour`, { suggestions: [key], freeTitle: "Questions diverses" }, { formPage: `${base}/reunions/${meetingId}` });
    expect(agenda.statusCode).toBe(303);
    const items = await db.select().from(agendaItems).where(eq(agendaItems.meetingId, meetingId));
    expect(items.map((i) => i.kind).sort()).toEqual(["late_milestones", "other"]);
    // Reorder: the free item goes up.
    const free = items.find((i) => i.kind === "other")!;
    expect((await admin.post(`${base}/points/${free.id}/monter`, {}, { formPage: `${base}/reunions/${meetingId}` })).statusCode).toBe(303);
    const reordered = await db.select().from(agendaItems).where(eq(agendaItems.meetingId, meetingId));
    expect(reordered.find((i) => i.id === free.id)!.position).toBe(0);

    // Invitations: one mail per address with the .ics.
    const sent = await admin.post(`${base}/reunions/${meetingId}/invitations`, {}, { formPage: `${base}/reunions/${meetingId}` });
    expect(sent.statusCode).toBe(303);
    const [invitation] = outboxMessages(dataDir, "camille@exemple.fr");
    expect(invitation!.subject).toContain("Invitation : Comité de pilotage de printemps");
    const root = parseIcs(icsOf(invitation!.raw));
    const cal = root.children[0]!;
    const ev = cal.children.find((c) => c.type === "VEVENT")!;
    expect(icsProp(cal, "METHOD")!.value).toBe("REQUEST");
    expect(icsProp(ev, "SEQUENCE")!.value).toBe("0");
    expect(icsInstant(root, icsProp(ev, "DTSTART")!).toISOString()).toBe("2026-03-30T12:00:00.000Z");
    const uid = icsProp(ev, "UID")!.value;
    expect(ev.props.filter((p) => p.name === "ATTENDEE")).toHaveLength(2);

    // Update: a later start, same UID, sequence 1.
    const moved = await admin.post(`${base}/reunions/${meetingId}`, { title: "Comité de pilotage de printemps", date: "2026-03-30", start: "15:00", end: "17:00", place: "Vire, salle du conseil", videoUrl: "https://visio.exemple.fr/copil" });
    expect(moved.statusCode).toBe(303);
    const update = outboxMessages(dataDir, "camille@exemple.fr").find((m) => m.subject.startsWith("Modification"))!;
    const root2 = parseIcs(icsOf(update.raw));
    const ev2 = root2.children[0]!.children.find((c) => c.type === "VEVENT")!;
    expect(icsProp(ev2, "UID")!.value).toBe(uid);
    expect(icsProp(ev2, "SEQUENCE")!.value).toBe("1");
    expect(icsInstant(root2, icsProp(ev2, "DTSTART")!).toISOString()).toBe("2026-03-30T13:00:00.000Z");

    // The public .ics and meeting page; minutes later only for follow-up readers.
    const anon = new Client(t.app);
    const ics = await anon.get(`/t/${REF}/gouvernance/reunions/${meetingId}/invitation.ics`);
    expect(ics.statusCode).toBe(200);
    expect(ics.headers["content-type"]).toMatch(/^text\/calendar/);
    expect(ics.body).not.toContain("ATTENDEE");
    expect(ics.body).not.toContain("visio.exemple.fr");

    // Held: attendance and minutes.
    const invited = await db.select().from(meetingInvitees).where(eq(meetingInvitees.meetingId, meetingId));
    const attendance = Object.fromEntries(invited.map((i, n) => [`presence-${i.id}`, n === 0 ? "present" : "excused"]));
    const bogus = await admin.post(`${base}/reunions/${meetingId}/compte-rendu`, { ...attendance, [`presence-${invited[0]!.id}`]: "peut-être", minutes: "x" }, { formPage: `${base}/reunions/${meetingId}` });
    // The meeting is in 2026-03 (past or future depending on today): either refused for the bad value, or for the date.
    expect(bogus.statusCode).toBe(422);
    await db.update(meetings).set({ startsAt: new Date(Date.now() - 86400_000), endsAt: new Date(Date.now() - 82800_000) }).where(eq(meetings.id, meetingId));
    const held = await admin.post(`${base}/reunions/${meetingId}/compte-rendu`, { ...attendance, minutes: "Le comité a examiné le retard de l'action 3." }, { formPage: `${base}/reunions/${meetingId}` });
    expect(held.statusCode).toBe(303);
    const [m] = await db.select().from(meetings).where(eq(meetings.id, meetingId));
    expect(m!.status).toBe("held");
    expect((await db.select().from(meetingInvitees).where(and(eq(meetingInvitees.meetingId, meetingId), eq(meetingInvitees.attendance, "present")))).length).toBe(1);
    const publicPage = await anon.get(`/t/${REF}/gouvernance/reunions/${meetingId}`);
    expect(publicPage.statusCode).toBe(200);
    expectWellFormedPage(publicPage);
    expect(textOf(publicPage.body)).not.toContain("retard de l'action 3");
    const member = await signedInClient(t, { role: "committee_member", territory: REF });
    expect(textOf((await member.get(`/t/${REF}/gouvernance/reunions/${meetingId}`)).body)).toContain("Le comité a examiné le retard de l'action 3.");

    // A decision linked to action 3; a bad date changes nothing.
    const decisionsBefore = await rows(decisions);
    const badDecision = await admin.post(`${base}/reunions/${meetingId}/decisions`, { decisionTitle: "Avenant n° 1", decidedOn: "2026-02-31" }, { formPage: `${base}/reunions/${meetingId}` });
    expect(badDecision.statusCode).toBe(422);
    expect(await rows(decisions)).toBe(decisionsBefore);
    const dec = await admin.post(`${base}/reunions/${meetingId}/decisions`, { decisionTitle: "Le comité adopte l'avenant n° 1", decisionBody: "Ajout d'une action, retrait de l'action 19.", decidedOn: "2026-03-30", actionIds: [String(action!.id)] }, { formPage: `${base}/reunions/${meetingId}` });
    expect(dec.statusCode).toBe(303);
    const decisionId = redirectId(dec.headers.location);
    const linked = await decisionsForAction(db, refId, action!.id);
    expect(linked.map((d) => d.title)).toEqual(["Le comité adopte l'avenant n° 1"]);

    // The amendment: add an action, change action 3's status, withdraw action 19; apply.
    const decUrl = `${base}/decisions/${decisionId}`;
    expect((await admin.post(`${decUrl}/avenant`, { amendmentTitle: "Avenant n° 1" }, { formPage: decUrl })).statusCode).toBe(303);
    const [amendment] = await db.select().from(amendments).where(eq(amendments.decisionId, decisionId));
    const decPage = await admin.get(decUrl);
    expectWellFormedPage(decPage, { signedIn: true });
    const objectiveId = /<option value="(\d+)">[A-Z]+ – /.exec(decPage.body)![1]!;
    const [a19] = await db.select().from(actions).where(and(eq(actions.territoryId, refId), eq(actions.number, 19)));
    const noField = await admin.post(`${base}/avenants/${amendment!.id}/modification`, { changeActionId: String(action!.id) }, { formPage: decUrl });
    expect(noField.statusCode).toBe(422);
    expect((await admin.post(`${base}/avenants/${amendment!.id}/ajout`, { objectiveId, title: "Plateforme de covoiturage inter-entreprises", visibility: "published" }, { formPage: decUrl })).statusCode).toBe(303);
    expect((await admin.post(`${base}/avenants/${amendment!.id}/modification`, { changeActionId: String(action!.id), changeStatus: "paused" }, { formPage: decUrl })).statusCode).toBe(303);
    expect((await admin.post(`${base}/avenants/${amendment!.id}/retrait`, { withdrawActionId: String(a19!.id) }, { formPage: decUrl })).statusCode).toBe(303);
    const applied = await admin.post(`${base}/avenants/${amendment!.id}/appliquer`, {}, { formPage: decUrl });
    expect(applied.statusCode).toBe(303);
    expect(String(applied.headers.location)).toBe(`/t/${REF}/plan/versions/comparer?de=1&a=2`);
    const [w] = await db.select().from(actions).where(eq(actions.id, a19!.id));
    expect(w!.withdrawnAt).not.toBeNull();
    const [paused] = await db.select().from(actions).where(eq(actions.id, action!.id));
    expect(paused!.status).toBe("paused");
    const versions = await db.select().from(planVersions).where(eq(planVersions.territoryId, refId));
    expect(versions.map((v) => v.number).sort()).toEqual([1, 2]);
    expect((versions.find((v) => v.number === 2)!.snapshot as PlanSnapshot).actions).toHaveLength(19);
    expect(Number((await db.select({ n: count() }).from(auditLog).where(and(eq(auditLog.territoryId, refId), eq(auditLog.entity, "action"), isNotNull(auditLog.after))))[0]!.n)).toBeGreaterThanOrEqual(3);

    // The withdrawn action leaves the current plan (public page and API) but stays in version 1.
    const anonPlan = await new Client(t.app).get(`/api/v1/territories/${REF}/plan`);
    const liveIds = (JSON.parse(anonPlan.body) as { themes: { objectives: { actions: { id: number }[] }[] }[] }).themes.flatMap((th) => th.objectives.flatMap((o) => o.actions.map((x) => x.id)));
    expect(liveIds).not.toContain(a19!.id);
    expect((await new Client(t.app).get(`/t/${REF}/actions/${a19!.id}`)).statusCode).toBe(404);
    expect(textOf((await new Client(t.app).get(`/t/${REF}/plan/versions/1`)).body)).toContain(a19!.title);

    // Applying twice is refused and changes nothing.
    const again = await admin.post(`${base}/avenants/${amendment!.id}/appliquer`, {}, { formPage: decUrl });
    expect(again.statusCode).toBe(409);
    expect(textOf(again.body)).toMatch(/^Erreur – /);
    expect(textOf(again.body)).toContain("Cet avenant est déjà appliqué.");
    expect((await db.select().from(planVersions).where(eq(planVersions.territoryId, refId))).length).toBe(2);

    // The comparison, for everyone: added, changed field by field, withdrawn, with the decision.
    const cmp = await anon.get(`/t/${REF}/plan/versions/comparer?de=1&a=2`);
    expect(cmp.statusCode).toBe(200);
    expectWellFormedPage(cmp);
    const text = textOf(cmp.body);
    expect(text).toContain("Plateforme de covoiturage inter-entreprises");
    expect(text).toMatch(/Statut Non renseigné En pause/);
    expect(text).toContain(`Action 19 – ${a19!.title}`);
    expect(text).toContain("Décision n° 1 : Le comité adopte l'avenant n° 1");
    expect((await anon.get(`/t/${REF}/plan/versions/comparer?de=1&a=7`)).statusCode).toBe(404);
    expect((await anon.get(`/t/${REF}/plan/versions/comparer?de=abc`)).statusCode).toBeGreaterThanOrEqual(400);

    // The command line tells the same.
    expect(await runCommand(t.database, "governance.versions", { territory: REF })).toMatch(/Version 1\t30 avril 2019\t19 actions\tPlan signé\nVersion 2\t30 mars 2026\t19 actions\tAvenant n° 1/);
    const cli = await runCommand(t.database, "governance.compare", { territory: REF, de: "1", a: "2" });
    expect(cli).toContain("+ Action 20 – Plateforme de covoiturage inter-entreprises");
    expect(cli).toContain("Statut : « Non renseigné » → « En pause »");
    await expect(runCommand(t.database, "governance.compare", { territory: REF, de: "1", a: "9" })).rejects.toThrow("Version inconnue");

    // The public governance page lists the decision, and so does the page of the action it concerns.
    const gov = await anon.get(`/t/${REF}/gouvernance`);
    expect(textOf(gov.body)).toContain("Le comité adopte l'avenant n° 1");
    const actionPage = textOf((await anon.get(`/t/${REF}/actions/${action!.id}`)).body);
    expect(actionPage).toContain("Décisions du comité");
    expect(actionPage).toContain("Le comité adopte l'avenant n° 1");
  });

  it("a retained proposal becomes a draft action through a decision and an applied amendment (participation's entry point)", async () => {
    const db = t.database.db;
    const demoId = (await db.select().from(territories).where(eq(territories.slug, DEMO)))[0]!.id;
    const [author] = await db.insert(users).values({ email: "industriel.proposition@exemple.fr", displayName: "Industriel" }).returning();
    const [proposal] = await db
      .insert(proposals)
      .values({ territoryId: demoId, authorId: author!.id, title: "Mutualiser les contrôles de sécurité", problem: "Chaque PME paie seule ses contrôles.", proposedAction: "Un marché groupé de contrôles périodiques.", status: "under_review" })
      .returning();
    const [objective] = await db.select().from(objectives).where(eq(objectives.territoryId, demoId)).limit(1);
    const versionsBefore = (await db.select().from(planVersions).where(eq(planVersions.territoryId, demoId))).length;
    const out = await db.transaction((tx) =>
      createDraftActionFromProposal(tx, { actor: ANONYMOUS, role: "test" }, { territoryId: demoId, proposal: proposal!, objectiveId: objective!.id, decisionTitle: "Le comité retient la proposition de contrôles mutualisés" }),
    );
    const [action] = await db.select().from(actions).where(eq(actions.id, out.actionId));
    expect(action!.visibility).toBe("draft");
    expect(action!.title).toBe("Mutualiser les contrôles de sécurité");
    const [linked] = await db.select().from(proposals).where(eq(proposals.id, proposal!.id));
    expect(linked!.actionId).toBe(out.actionId);
    expect(linked!.decisionId).toBe(out.decisionId);
    expect((await db.select().from(amendments).where(eq(amendments.id, out.amendmentId)))[0]!.status).toBe("applied");
    const versions = await db.select().from(planVersions).where(eq(planVersions.territoryId, demoId));
    expect(versions.length).toBe(versionsBefore + 1);
    // The draft is for the staff only: the public comparison does not show it.
    const last = Math.max(...versions.map((v) => v.number));
    const url = `/t/${DEMO}/plan/versions/comparer?de=${last - 1}&a=${last}`;
    expect(textOf((await new Client(t.app).get(url)).body)).not.toContain("Mutualiser les contrôles");
    const staff = await signedInClient(t, { role: "agent", territory: DEMO });
    expect(textOf((await staff.get(url)).body)).toContain("Mutualiser les contrôles");
    // The draft action's page (staff) says which proposal it comes from.
    expect(textOf((await staff.get(`/t/${DEMO}/actions/${out.actionId}`)).body)).toContain(`Action issue de la proposition n° ${proposal!.id}`);
  });

  it("a territory created on the platform gets version 1 at its first amendment, not before", async () => {
    const db = t.database.db;
    const [nt] = await db.insert(territories).values({ slug: "territoire-neuf-gouvernance", name: "Territoire neuf", kind: "standard" }).returning();
    const empty = await new Client(t.app).get(`/t/${nt!.slug}/plan/versions`);
    expect(empty.statusCode).toBe(200);
    expect(textOf(empty.body)).toContain("Aucune version du plan n'est encore enregistrée");
    const [theme] = await db.insert(themes).values({ territoryId: nt!.id, code: "ATTIRER", title: "Attirer" }).returning();
    const [objective] = await db.insert(objectives).values({ territoryId: nt!.id, themeId: theme!.id, title: "Objectif" }).returning();
    const [author] = await db.insert(users).values({ email: "auteur.neuf@exemple.fr", displayName: "Auteur" }).returning();
    const [proposal] = await db.insert(proposals).values({ territoryId: nt!.id, authorId: author!.id, title: "Première action", problem: "p", proposedAction: "a" }).returning();
    await db.transaction((tx) => createDraftActionFromProposal(tx, { actor: ANONYMOUS, role: "test" }, { territoryId: nt!.id, proposal: proposal!, objectiveId: objective!.id, decisionTitle: "Première décision" }));
    const versions = (await db.select().from(planVersions).where(eq(planVersions.territoryId, nt!.id))).sort((a, b) => a.number - b.number);
    expect(versions.map((v) => [v.number, (v.snapshot as PlanSnapshot).actions.length])).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });

  it("a cancellation sends a CANCEL with the same UID and a higher sequence", async () => {
    const db = t.database.db;
    const created = await admin.post(`${base}/reunions/nouvelle`, { bodyId: String(steeringId), title: "Réunion à annuler", date: "2026-12-03", start: "09:00", end: "10:00", place: "", videoUrl: "", extraEmails: "annulation@exemple.fr" }, { formPage: `${base}/reunions/nouvelle` });
    const id = redirectId(created.headers.location);
    await admin.post(`${base}/reunions/${id}/invitations`, {}, { formPage: `${base}/reunions/${id}` });
    expect((await admin.post(`${base}/reunions/${id}/annuler`, {}, { formPage: `${base}/reunions/${id}` })).statusCode).toBe(303);
    const mails = outboxMessages(dataDir, "annulation@exemple.fr");
    const cancel = mails.find((m) => m.subject.startsWith("Annulation"))!;
    const root = parseIcs(icsOf(cancel.raw));
    const cal = root.children[0]!;
    expect(icsProp(cal, "METHOD")!.value).toBe("CANCEL");
    const ev = cal.children.find((c) => c.type === "VEVENT")!;
    expect(icsProp(ev, "SEQUENCE")!.value).toBe("1");
    const [m] = await db.select().from(meetings).where(eq(meetings.id, id));
    expect(m!.status).toBe("cancelled");
    expect(icsProp(ev, "UID")!.value).toBe(m!.icsUid);
    expect((await new Client(t.app).get(`/t/${REF}/gouvernance/reunions/${id}`)).statusCode).toBe(404);
    // A cancelled meeting takes no minutes and no new invitee: nothing changes.
    const minutes = await admin.post(`${base}/reunions/${id}/compte-rendu`, { minutes: "Ne doit pas être enregistré" }, { formPage: `${base}/reunions/${id}` });
    expect(minutes.statusCode).toBe(303);
    expect((await db.select().from(meetings).where(eq(meetings.id, id)))[0]!.minutes).toBeNull();
    const inviteesBefore = (await db.select().from(meetingInvitees).where(eq(meetingInvitees.meetingId, id))).length;
    await admin.post(`${base}/reunions/${id}/invites`, { inviteeName: "Tard", inviteeEmail: "tard@exemple.fr" }, { formPage: `${base}/reunions/${id}` });
    expect((await db.select().from(meetingInvitees).where(eq(meetingInvitees.meetingId, id))).length).toBe(inviteesBefore);
  });

  it("a mail server that refuses: no error page, the invitation stays to send, a French message says so", async () => {
    const down = await createTestApp(kind, { SMTP_URL: "smtp://127.0.0.1:1" });
    try {
      const agent = await signedInClient(down, { role: "agent", territory: REF });
      const created = await agent.post(`${base}/reunions/nouvelle`, { bodyId: String(steeringId), title: "Réunion sans courriel", date: "2026-12-10", start: "10:00", end: "11:00", place: "", videoUrl: "", extraEmails: "personne@exemple.fr" }, { formPage: `${base}/reunions/nouvelle` });
      const id = redirectId(created.headers.location);
      const sent = await agent.post(`${base}/reunions/${id}/invitations`, {}, { formPage: `${base}/reunions/${id}` });
      expect(sent.statusCode).toBe(303);
      expect(textOf((await agent.get(String(sent.headers.location))).body)).toContain("1 courriel(s) n'ont pas pu partir");
      const [inv] = await down.database.db.select().from(meetingInvitees).where(eq(meetingInvitees.meetingId, id));
      expect(inv!.invitedAt).toBeNull();
    } finally {
      await down.close();
    }
  });

  it("deletes a body without meetings, keeps one with meetings", async () => {
    const db = t.database.db;
    const created = await admin.post(`${base}/instances/nouvelle`, { kind: "working_group", name: "Groupe éphémère" });
    const id = redirectId(created.headers.location);
    await admin.post(`${base}/instances/${id}/membres`, { memberName: "Membre éphémère", side: "autre" }, { formPage: `${base}/instances/${id}` });
    expect((await admin.post(`${base}/instances/${id}/supprimer`, {}, { formPage: `${base}/instances/${id}` })).statusCode).toBe(303);
    expect(await db.select().from(governanceBodies).where(eq(governanceBodies.id, id))).toEqual([]);
    expect(await db.select().from(governanceMembers).where(eq(governanceMembers.bodyId, id))).toEqual([]);
    const kept = await admin.post(`${base}/instances/${steeringId}/supprimer`, {}, { formPage: `${base}/instances/${steeringId}` });
    expect(kept.statusCode).toBe(303);
    expect((await admin.get(String(kept.headers.location))).body).toContain("Cette instance a des réunions");
    expect((await db.select().from(governanceBodies).where(eq(governanceBodies.id, steeringId))).length).toBe(1);
  });

  it("a limited agent and another territory's staff cannot reach the back-office records", async () => {
    const other = await signedInClient(t, { role: "agent", territory: DEMO });
    const [body] = await t.database.db.select().from(governanceBodies).where(eq(governanceBodies.territoryId, refId));
    expect((await other.get(`/t/${DEMO}/gestion/gouvernance/instances/${body!.id}`)).statusCode).toBe(404);
    expect((await other.get(`/t/${REF}/gestion/gouvernance`)).statusCode).toBe(403);
  });
});
