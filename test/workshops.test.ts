// Workshops end to end through the HTTP forms, on PGlite and PostgreSQL: staff programme a
// workshop, members register (seat or waiting list, also when two ask for the last seat at once),
// a cancellation promotes the first waitlisted in the same transaction; e-mails carry parseable
// .ics invitations in Europe/Paris; reminders once; invitations of the people who wish to take part.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberships, users } from "../src/core/db/schema.ts";
import { Mailer, type OutboxEntry } from "../src/core/mail/index.ts";
import { icsInstant, icsProp, parseIcs } from "../src/core/formats/ics.ts";
import { territories } from "../src/modules/territories/api.ts";
import { themes } from "../src/modules/plan/api.ts";
import { interests, registrations, workshops } from "../src/modules/participation/schema.ts";
import { sendReminders } from "../src/modules/participation/notifications/jobs.ts";
import { runCommand } from "../src/core/control.ts";
import { Client, createTestApp, DB_KINDS, DEMO, REF, signedInClient, type TestApp } from "./helpers/app.ts";
import { expectWellFormedPage, h1Of, mainOf, textOf } from "./helpers/html.ts";
import { rowCounts } from "./helpers/data.ts";

/** The .ics attached to an outbox message (decoded from its .eml), if any. */
export function attachedIcs(dataDir: string, entry: OutboxEntry): string | undefined {
  const eml = readFileSync(join(dataDir, "outbox", `${entry.id}.eml`), "utf8");
  const m = /Content-Type: text\/calendar[^\n]*(?:\n[ \t][^\n]*)*\n((?:[A-Za-z-]+: [^\n]*\n(?:[ \t][^\n]*\n)*)*)\n([\s\S]*?)\n--/i.exec(eml);
  if (!m) return undefined;
  const encoding = /Content-Transfer-Encoding: ([^\s]+)/i.exec(m[1])?.[1]?.toLowerCase();
  if (encoding === "base64") return Buffer.from(m[2].replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") return Buffer.from(m[2].replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");
  return m[2];
}

/** Paris wall-clock "YYYY-MM-DDTHH:MM" a number of days from now. */
function parisDay(daysAhead: number, time: string): { date: string; time: string } {
  const d = new Date(Date.now() + daysAhead * 86400_000);
  return { date: d.toISOString().slice(0, 10), time };
}

describe.each(DB_KINDS)("workshops on %s", (kind) => {
  let t: TestApp;
  let dataDir: string;
  let refId: number;
  let themeId: number;
  let agent: Client;
  const mailer = () => new Mailer({ dataDir, smtpUrl: undefined });
  const mailsTo = async (email: string) => (await mailer().outbox(1000)).filter((m) => m.to === email);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "collines-ateliers-"));
    t = await createTestApp(kind, { DATA_DIR: dataDir });
    const db = t.database.db;
    refId = (await db.select().from(territories).where(eq(territories.slug, REF)))[0].id;
    themeId = (await db.select().from(themes).where(and(eq(themes.territoryId, refId), eq(themes.visibility, "published"))).orderBy(themes.position))[0].id;
    agent = await signedInClient(t, { role: "agent", territory: REF, email: `agent-${kind}@exemple.fr` });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Programmes a workshop through the back-office form; returns its id. */
  async function programme(fields: Record<string, string | string[]> = {}): Promise<number> {
    const day = parisDay(10, "09:30");
    const res = await agent.post(`/t/${REF}/gestion/ateliers/nouveau`, {
      title: "Recruter des apprentis",
      themeId: String(themeId),
      description: "Comment attirer des apprentis dans nos ateliers.",
      date: day.date,
      startTime: "09:30",
      endTime: "11:30",
      place: "Maison de l'entreprise, Vire",
      videoUrl: "https://visio.exemple.fr/apprentis",
      capacity: "1",
      registrationOpensAt: "",
      registrationClosesAt: "",
      status: "published",
      minutes: "",
      ...fields,
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303);
    return Number(/\/ateliers\/(\d+)$/.exec(String(res.headers.location))![1]);
  }

  async function member(name: string): Promise<{ client: Client; email: string; id: number }> {
    const email = `${name}-${kind}-${Math.random().toString(36).slice(2, 8)}@exemple.fr`;
    const client = await signedInClient(t, { role: "industrialist", territory: REF, email });
    const [u] = await t.database.db.select().from(users).where(eq(users.email, email));
    return { client, email, id: u.id };
  }

  it("refuses a bad workshop form with French messages, values kept, nothing written", async () => {
    const before = await rowCounts(t.database, ["part_workshops", "audit_log"]);
    const res = await agent.post(`/t/${REF}/gestion/ateliers/nouveau`, {
      title: "Atelier sans lieu",
      themeId: String(themeId),
      date: "2026-02-30",
      startTime: "10:00",
      endTime: "09:00",
      place: "",
      videoUrl: "http://pas-https",
      capacity: "0",
      status: "published",
    });
    expect(res.statusCode).toBe(422);
    expect(res.body).toMatch(/<title>Erreur – /);
    const text = textOf(res.body);
    expect(text).toContain("Le lien de visioconférence commence par https://");
    expect(text).toContain("Le nombre de places est un nombre entier de 1 à 1000.");
    expect(res.body).toContain('value="Atelier sans lieu"');
    expect(await rowCounts(t.database, ["part_workshops", "audit_log"])).toEqual(before);
  });

  it("lists a programmed workshop publicly and shows its page; a draft stays the staff's", async () => {
    const id = await programme({ title: "Atelier public" });
    const draft = await programme({ title: "Atelier brouillon", status: "draft" });
    // A date typed as the French picker shows it (jj/mm/aaaa) is understood.
    const day12 = parisDay(12, "09:30").date;
    const typed = await programme({ title: "Atelier date saisie", status: "draft", date: day12.split("-").reverse().join("/") });
    const iso = await programme({ title: "Atelier date ISO", status: "draft", date: day12 });
    const [typedRow] = await t.database.db.select().from(workshops).where(eq(workshops.id, typed));
    const [isoRow] = await t.database.db.select().from(workshops).where(eq(workshops.id, iso));
    expect(typedRow!.startsAt.getTime()).toBe(isoRow!.startsAt.getTime());
    const anon = new Client(t.app);
    const list = await anon.get(`/t/${REF}/ateliers`);
    expect(list.statusCode).toBe(200);
    expectWellFormedPage(list);
    expect(textOf(mainOf(list.body))).toContain("Atelier public");
    expect(list.body).not.toContain("Atelier brouillon");
    expect(list.body).toMatch(/<a href="\/t\/collines-de-normandie\/ateliers"[^>]*>Ateliers<\/a>/);
    const page = await anon.get(`/t/${REF}/ateliers/${id}`);
    expect(page.statusCode).toBe(200);
    expectWellFormedPage(page);
    expect(h1Of(page.body)).toContain("Atelier public");
    // The video link is for registered people only.
    expect(page.body).not.toContain("visio.exemple.fr");
    expect(textOf(page.body)).toContain("connectez-vous avec un lien reçu par courriel");
    expect((await anon.get(`/t/${REF}/ateliers/${draft}`)).statusCode).toBe(404);
    expect((await agent.get(`/t/${REF}/ateliers/${draft}`)).statusCode).toBe(200);
    const ics = await anon.get(`/t/${REF}/ateliers/${id}/agenda.ics`);
    expect(ics.headers["content-type"]).toMatch(/^text\/calendar/);
    const ev = parseIcs(ics.body).children[0].children.find((c) => c.type === "VEVENT")!;
    expect(icsProp(ev, "DTSTART")!.params.TZID).toBe("Europe/Paris");
  });

  it("gives the last seat to one and the waiting list to the next; a cancellation promotes the first waitlisted, with e-mails and .ics", async () => {
    const id = await programme({ title: "Atelier à une place" });
    const [w] = await t.database.db.select().from(workshops).where(eq(workshops.id, id));
    const a = await member("alice");
    const b = await member("bruno");
    const c = await member("chloe");
    const page = `/t/${REF}/ateliers/${id}`;
    expect((await a.client.post(`${page}/inscription`, {}, { formPage: page })).statusCode).toBe(303);
    expect((await b.client.post(`${page}/inscription`, {}, { formPage: page })).statusCode).toBe(303);
    expect((await c.client.post(`${page}/inscription`, {}, { formPage: page })).statusCode).toBe(303);
    const statusOf = async (userId: number) => (await t.database.db.select().from(registrations).where(and(eq(registrations.workshopId, id), eq(registrations.userId, userId))))[0]?.status;
    expect([await statusOf(a.id), await statusOf(b.id), await statusOf(c.id)]).toEqual(["confirmed", "waitlisted", "waitlisted"]);
    expect(textOf((await b.client.get(page)).body)).toContain("Vous êtes sur la liste d'attente (position 1)");

    // Alice's confirmation carries a REQUEST at the right Paris time.
    const [confirmation] = await mailsTo(a.email);
    expect(confirmation.subject).toContain("inscription confirmée");
    expect(confirmation.text).toContain(`/t/${REF}/desabonnement/`);
    const ics = attachedIcs(dataDir, confirmation)!;
    const root = parseIcs(ics);
    const cal = root.children[0];
    expect(icsProp(cal, "METHOD")!.value).toBe("REQUEST");
    expect(cal.children.some((x) => x.type === "VTIMEZONE" && icsProp(x, "TZID")?.value === "Europe/Paris")).toBe(true);
    const ev = cal.children.find((x) => x.type === "VEVENT")!;
    expect(icsProp(ev, "UID")!.value).toBe(w.icsUid);
    expect(icsProp(ev, "DTSTART")!.params.TZID).toBe("Europe/Paris");
    expect(icsInstant(root, icsProp(ev, "DTSTART")!).getTime()).toBe(w.startsAt.getTime());
    expect(icsInstant(root, icsProp(ev, "DTEND")!).getTime()).toBe(w.endsAt.getTime());
    expect((await mailsTo(b.email))[0].subject).toContain("liste d'attente");

    // Alice cancels: Bruno (first waitlisted) gets her seat in the same transaction; Chloé stays second.
    const res = await a.client.post(`${page}/desinscription`, {}, { formPage: page });
    expect(res.statusCode).toBe(303);
    expect([await statusOf(a.id), await statusOf(b.id), await statusOf(c.id)]).toEqual(["cancelled", "confirmed", "waitlisted"]);
    const cancel = (await mailsTo(a.email)).find((m) => m.subject.includes("inscription annulée"))!;
    const cancelIcs = parseIcs(attachedIcs(dataDir, cancel)!);
    expect(icsProp(cancelIcs.children[0], "METHOD")!.value).toBe("CANCEL");
    const cancelEv = cancelIcs.children[0].children.find((x) => x.type === "VEVENT")!;
    expect(icsProp(cancelEv, "UID")!.value).toBe(w.icsUid);
    expect(Number(icsProp(cancelEv, "SEQUENCE")!.value)).toBeGreaterThanOrEqual(Number(icsProp(ev, "SEQUENCE")!.value));
    const promoted = (await mailsTo(b.email)).find((m) => m.subject.includes("une place s'est libérée"))!;
    expect(promoted).toBeDefined();
    expect(icsProp(parseIcs(attachedIcs(dataDir, promoted)!).children[0], "METHOD")!.value).toBe("REQUEST");
    expect(promoted.text).toContain("https://visio.exemple.fr/apprentis");
    const audit = await t.database.query<{ after: { promoted?: string } }>("select after from audit_log where entity = 'registration' and after->>'promoted' is not null order by id desc limit 1");
    expect(audit[0].after.promoted).toBe("désistement");
    // Mon espace shows each their state.
    expect(textOf((await b.client.get(`/t/${REF}/mon-espace`)).body)).toContain("Inscription confirmée");
    expect(textOf((await c.client.get(`/t/${REF}/mon-espace`)).body)).toContain("Sur liste d'attente (position 1)");
  });

  it("serves two people asking for the last seat at the same time one after the other: one confirmed, one waitlisted", async () => {
    const id = await programme({ title: "Atelier disputé" });
    const people = await Promise.all([member("duo-a"), member("duo-b"), member("duo-c")]);
    const page = `/t/${REF}/ateliers/${id}`;
    const tokens = await Promise.all(people.map((p) => p.client.csrf(page)));
    const results = await Promise.all(people.map((p, i) => p.client.post(`${page}/inscription`, {}, { csrf: tokens[i] })));
    expect(results.map((r) => r.statusCode)).toEqual([303, 303, 303]);
    const rows = await t.database.db.select().from(registrations).where(eq(registrations.workshopId, id));
    expect(rows.map((r) => r.status).sort()).toEqual(["confirmed", "waitlisted", "waitlisted"]);
  });

  it("refuses registration to whoever is not a member of the territory, and to a pending industrialist", async () => {
    const id = await programme({ title: "Atelier réservé" });
    const page = `/t/${REF}/ateliers/${id}`;
    const pending = await member("en-attente");
    await t.database.db.update(memberships).set({ status: "pending" }).where(eq(memberships.userId, pending.id));
    const res = await pending.client.post(`${page}/inscription`, {}, { formPage: page });
    expect(res.statusCode).toBe(403);
    expect(textOf((await pending.client.get(page)).body)).toContain("l'équipe du territoire doit d'abord confirmer");
    expect(textOf((await pending.client.get(`/t/${REF}/mon-espace`)).body)).toContain("attend la confirmation de l'équipe du territoire");
    const anonymous = new Client(t.app);
    expect((await anonymous.post(`${page}/inscription`, {}, { formPage: "/connexion" })).statusCode).toBe(403);
    expect(await t.database.db.select().from(registrations).where(eq(registrations.workshopId, id))).toEqual([]);
  });

  it("raises the capacity: the waitlisted get the new seats; a move of the date sends updated invitations", async () => {
    const id = await programme({ title: "Atelier agrandi" });
    const [a, b] = [await member("grand-a"), await member("grand-b")];
    const page = `/t/${REF}/ateliers/${id}`;
    await a.client.post(`${page}/inscription`, {}, { formPage: page });
    await b.client.post(`${page}/inscription`, {}, { formPage: page });
    const day = parisDay(12, "14:00");
    const res = await agent.post(`/t/${REF}/gestion/ateliers/${id}`, {
      title: "Atelier agrandi",
      themeId: String(themeId),
      description: "",
      date: day.date,
      startTime: "14:00",
      endTime: "16:00",
      place: "Maison de l'entreprise, Vire",
      videoUrl: "",
      capacity: "2",
      status: "published",
      minutes: "",
    });
    expect(res.statusCode).toBe(303);
    const rows = await t.database.db.select().from(registrations).where(eq(registrations.workshopId, id));
    expect(rows.map((r) => r.status)).toEqual(["confirmed", "confirmed"]);
    expect((await mailsTo(a.email)).some((m) => m.subject.includes("atelier modifié"))).toBe(true);
    expect((await mailsTo(b.email)).some((m) => m.subject.includes("une place s'est libérée"))).toBe(true);
    // Below the confirmed count: refused, nothing changes.
    const lower = await agent.post(`/t/${REF}/gestion/ateliers/${id}`, { title: "Atelier agrandi", date: day.date, startTime: "14:00", endTime: "16:00", place: "Vire", capacity: "1", status: "published" });
    expect(lower.statusCode).toBe(422);
    expect(textOf(lower.body)).toContain("la capacité ne peut pas descendre en dessous de 2");
  });

  it("cancels a workshop: everyone registered gets a CANCEL .ics; registration is then refused", async () => {
    const id = await programme({ title: "Atelier annulé" });
    const a = await member("annule");
    const page = `/t/${REF}/ateliers/${id}`;
    await a.client.post(`${page}/inscription`, {}, { formPage: page });
    expect((await agent.post(`/t/${REF}/gestion/ateliers/${id}/annuler`, {}, { formPage: `/t/${REF}/gestion/ateliers/${id}` })).statusCode).toBe(303);
    const mail = (await mailsTo(a.email)).find((m) => m.subject.includes("atelier annulé"))!;
    expect(icsProp(parseIcs(attachedIcs(dataDir, mail)!).children[0], "METHOD")!.value).toBe("CANCEL");
    const b = await member("trop-tard");
    const res = await b.client.post(`${page}/inscription`, {}, { formPage: page });
    expect(res.statusCode).toBe(409);
    expect(textOf(res.body)).toContain("Cet atelier est annulé.");
  });

  it("marks attendance and shows who to invite among the people who wish to take part; invites them in one step", async () => {
    const id = await programme({ title: "Atelier avec invitations", capacity: "5" });
    const a = await member("present");
    const page = `/t/${REF}/ateliers/${id}`;
    await a.client.post(`${page}/inscription`, {}, { formPage: page });
    const [reg] = await t.database.db.select().from(registrations).where(eq(registrations.workshopId, id));
    const att = await agent.post(`/t/${REF}/gestion/ateliers/${id}/presences`, { attended: String(reg.id) }, { formPage: `/t/${REF}/gestion/ateliers/${id}` });
    expect(att.statusCode).toBe(303);
    expect((await t.database.db.select().from(registrations).where(eq(registrations.id, reg.id)))[0].attended).toBe(true);

    // Two people wish to take part in this theme: one any day, one only on a day the workshop is not.
    const keen = await member("interesse");
    const form = await keen.client.post(`/t/${REF}/participer`, { themeIds: [String(themeId)], days: [], frequency: "quarterly", format: "either", comment: "" });
    expect(form.statusCode).toBe(303);
    const [w] = await t.database.db.select().from(workshops).where(eq(workshops.id, id));
    const weekday = ((new Date(w.startsAt.getTime() + 3600_000).getUTCDay() + 6) % 7) + 1;
    const busy = await member("indisponible");
    await t.database.db.insert(interests).values({ territoryId: refId, userId: busy.id, themeId, days: [weekday === 1 ? 2 : 1] });
    const manage = await agent.get(`/t/${REF}/gestion/ateliers/${id}`);
    expect(manage.statusCode).toBe(200);
    const invite = textOf(manage.body.split('id="inviter"')[1] ?? "");
    expect(invite).toContain(keen.email);
    expect(invite).not.toContain(busy.email);
    expect(invite).not.toContain(a.email);
    const sent = await agent.post(`/t/${REF}/gestion/ateliers/${id}/inviter`, { userIds: [String(keen.id)] }, { formPage: `/t/${REF}/gestion/ateliers/${id}` });
    expect(sent.statusCode).toBe(303);
    const mail = (await mailsTo(keen.email)).find((m) => m.subject.includes("invitation"))!;
    expect(mail.text).toContain(`/t/${REF}/ateliers/${id}`);
    expect(attachedIcs(dataDir, mail)).toContain("BEGIN:VEVENT");
    // Someone not on the list cannot be invited through the form.
    const wrong = await agent.post(`/t/${REF}/gestion/ateliers/${id}/inviter`, { userIds: [String(busy.id)] }, { formPage: `/t/${REF}/gestion/ateliers/${id}` });
    expect(wrong.statusCode).toBe(422);
  });

  it("sends the reminder the day before, once, to those who did not turn workshop e-mails off; the unsubscribe link works without signing in", async () => {
    const id = await programme({ title: "Atelier de demain", capacity: "5" });
    const [a, b] = [await member("rappel-a"), await member("rappel-b")];
    const page = `/t/${REF}/ateliers/${id}`;
    await a.client.post(`${page}/inscription`, {}, { formPage: page });
    await b.client.post(`${page}/inscription`, {}, { formPage: page });
    // Bruno unsubscribes from the link of his confirmation, in another browser, without signing in.
    const link = /\/t\/[a-z-]+\/desabonnement\/[A-Za-z0-9_-]+/.exec((await mailsTo(b.email))[0].text)![0];
    const stranger = new Client(t.app);
    const confirmPage = await stranger.get(link);
    expect(confirmPage.statusCode).toBe(200);
    expectWellFormedPage(confirmPage);
    expect((await stranger.post(link, {})).statusCode).toBe(200);
    expect((await new Client(t.app).get(`/t/${REF}/desabonnement/pas-un-vrai-jeton-de-desabonnement`)).statusCode).toBe(404);
    // The workshop is now tomorrow.
    await t.database.db.update(workshops).set({ startsAt: new Date(Date.now() + 20 * 3600_000), endsAt: new Date(Date.now() + 22 * 3600_000) }).where(eq(workshops.id, id));
    const env = { db: t.database.db, mailer: mailer(), baseUrl: "http://localhost:3000", mailFrom: "Collines <ne-pas-repondre@collines.invalid>" };
    await sendReminders(env);
    await sendReminders(env);
    expect((await mailsTo(a.email)).filter((m) => m.subject.includes("rappel")).length).toBe(1);
    expect((await mailsTo(b.email)).filter((m) => m.subject.includes("rappel")).length).toBe(0);
  });

  it("adds a document to a workshop (multipart, type sniffed), downloadable from its public page; a disguised file is refused", async () => {
    const id = await programme({ title: "Atelier documenté" });
    const manage = `/t/${REF}/gestion/ateliers/${id}`;
    const send = async (filename: string, content: Buffer, title: string) => {
      const token = await agent.csrf(manage);
      const boundary = "----collines-test-boundary";
      const parts = [
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="documentTitle"\r\n\r\n${title}\r\n`,
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/pdf\r\n\r\n`,
      ];
      const payload = Buffer.concat([Buffer.from(parts.join("")), content, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      return t.app.inject({ method: "POST", url: `${manage}/documents`, headers: { cookie: agent.jar.header(), "content-type": `multipart/form-data; boundary=${boundary}` }, payload });
    };
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
    const ok = await send("compte-rendu.pdf", pdf, "Compte rendu de l'atelier");
    expect(ok.statusCode, ok.body.slice(0, 300)).toBe(303);
    const page = await new Client(t.app).get(`/t/${REF}/ateliers/${id}`);
    const href = new RegExp(`/t/${REF}/ateliers/${id}/documents/(\\d+)`).exec(page.body)![0];
    expect(textOf(page.body)).toContain("Compte rendu de l'atelier (PDF, 1 ko)");
    const file = await new Client(t.app).get(href);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(pdf)).toBe(true);
    const before = await rowCounts(t.database, ["part_workshop_documents", "files"]);
    const bad = await send("compte-rendu.pdf", Buffer.from("<html><script>alert(1)</script></html>"), "Faux PDF");
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toMatch(/<title>Erreur – /);
    expect(await rowCounts(t.database, ["part_workshop_documents", "files"])).toEqual(before);
  });

  it("fills the demonstration territory with fictional workshops: two to come, one held with its minutes", async () => {
    const anon = new Client(t.app);
    const list = await anon.get(`/t/${DEMO}/ateliers`);
    expectWellFormedPage(list);
    const text = textOf(mainOf(list.body));
    expect(text).toContain("Simplifier les démarches des industriels");
    expect(text).toContain("Ateliers passés");
    const held = /href="(\/t\/[a-z-]+\/ateliers\/\d+)">Recruter et garder les jeunes/.exec(list.body)![1];
    const page = await anon.get(held);
    expectWellFormedPage(page);
    expect(textOf(page.body)).toContain("Compte rendu");
    expect(textOf(page.body)).toContain("Atelier passé");
    // The command line lists them with their seats.
    const out = await runCommand(t.database, "ateliers.liste", { territory: DEMO });
    expect(out).toMatch(/Simplifier les démarches des industriels/);
    expect(out).toMatch(/0\/12 inscrits, 0 en attente/);
    await expect(runCommand(t.database, "ateliers.liste", { territory: "inconnu" })).rejects.toThrow("Territoire inconnu : inconnu.");
  });
});
