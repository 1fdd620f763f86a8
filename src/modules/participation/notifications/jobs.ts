// Periodic e-mails of the participation module: the reminder the day before a workshop (once),
// and the monthly digest of a territory's news to those who turned it on.
import { and, asc, eq, gt, gte, isNotNull, isNull, lte } from "drizzle-orm";
import { defineJob } from "../../../core/jobs/index.ts";
import { Mailer } from "../../../core/mail/index.ts";
import { users } from "../../../core/db/schema.ts";
import type { Database } from "../../../core/db/client.ts";
import { formatDate } from "../../../core/i18n/format.ts";
import { loadConfig } from "../../../config.ts";
import { territories } from "../../territories/api.ts";
import { decisions } from "../../governance/api.ts";
import { notificationPreferences, questions, registrations, workshops } from "../schema.ts";
import { claimReminder } from "../workshops/commands.ts";
import { digestDue, parisParts } from "../workshops/model.ts";
import { sendAll, whenText, workshopUrl } from "../workshops/mails.ts";
import { sendParticipationMail, type MailEnv } from "./mail.ts";

/** Sends the reminders due now (workshops starting within 24 hours); each workshop's once, whatever the number of processes. */
export async function sendReminders(env: MailEnv, now = new Date()): Promise<string> {
  const due = await env.db
    .select({ w: workshops, t: { id: territories.id, slug: territories.slug, name: territories.name } })
    .from(workshops)
    .innerJoin(territories, eq(territories.id, workshops.territoryId))
    .where(and(eq(workshops.status, "published"), isNull(workshops.reminderSentAt), gt(workshops.startsAt, now), lte(workshops.startsAt, new Date(now.getTime() + 24 * 3600_000))));
  let mails = 0;
  for (const { w, t } of due) {
    if (!(await env.db.transaction((tx) => claimReminder(tx, w.id)))) continue;
    const people = await env.db.select({ userId: registrations.userId }).from(registrations).where(and(eq(registrations.workshopId, w.id), eq(registrations.status, "confirmed")));
    mails += await sendAll(env, t, w, people.map((p) => ({ userId: p.userId, kind: "reminder" as const })));
  }
  return `${due.length} atelier(s) à rappeler, ${mails} rappel(s) envoyé(s).`;
}

interface TerritoryNews {
  workshops: { id: number; title: string; startsAt: Date; endsAt: Date }[];
  decisions: { number: number; title: string; decidedOn: string; meetingId: number | null }[];
  faq: { question: string }[];
}

async function newsOf(env: MailEnv, territoryId: number, since: Date): Promise<TerritoryNews> {
  const db = env.db;
  const [ws, ds, faq] = await Promise.all([
    db
      .select({ id: workshops.id, title: workshops.title, startsAt: workshops.startsAt, endsAt: workshops.endsAt })
      .from(workshops)
      .where(and(eq(workshops.territoryId, territoryId), eq(workshops.status, "published"), gte(workshops.createdAt, since), gt(workshops.startsAt, new Date())))
      .orderBy(asc(workshops.startsAt)),
    db
      .select({ number: decisions.number, title: decisions.title, decidedOn: decisions.decidedOn, meetingId: decisions.meetingId })
      .from(decisions)
      .where(and(eq(decisions.territoryId, territoryId), gte(decisions.createdAt, since)))
      .orderBy(asc(decisions.decidedOn), asc(decisions.number)),
    db
      .select({ question: questions.faqQuestion })
      .from(questions)
      .where(and(eq(questions.territoryId, territoryId), isNotNull(questions.faqPublishedAt), isNotNull(questions.faqQuestion), gte(questions.faqPublishedAt, since)))
      .orderBy(asc(questions.faqPublishedAt)),
  ]);
  return { workshops: ws, decisions: ds, faq: faq.map((f) => ({ question: f.question ?? "" })) };
}

function digestBody(env: MailEnv, t: { slug: string; name: string }, news: TerritoryNews, since: Date): string {
  const base = `${env.baseUrl}/t/${t.slug}`;
  const parts = [`Voici les nouveautés de ${t.name} depuis le ${formatDate(since)}.`];
  if (news.workshops.length) {
    parts.push(`Nouveaux ateliers :\n${news.workshops.map((w) => `- ${w.title}, ${whenText(w)} : ${workshopUrl(env.baseUrl, t, w)}`).join("\n")}`);
  }
  if (news.decisions.length) {
    parts.push(
      `Décisions des comités :\n${news.decisions.map((d) => `- Décision n° ${d.number} du ${formatDate(d.decidedOn)} : ${d.title}${d.meetingId ? ` (${base}/gouvernance/reunions/${d.meetingId})` : ""}`).join("\n")}`,
    );
  }
  if (news.faq.length) parts.push(`Nouvelles réponses dans la foire aux questions :\n${news.faq.map((f) => `- ${f.question}`).join("\n")}\n${base}/faq`);
  return parts.join("\n\n");
}

/**
 * Sends the monthly digest to every person who turned it on and has not had it this calendar month
 * (Paris), with the news since their last digest (a month back the first time). Nothing new: no
 * e-mail, and the month counts as done.
 */
export async function sendDigests(env: MailEnv, now = new Date()): Promise<string> {
  const today = parisParts(now).date;
  const rows = await env.db
    .select({ p: notificationPreferences, t: { id: territories.id, slug: territories.slug, name: territories.name } })
    .from(notificationPreferences)
    .innerJoin(territories, eq(territories.id, notificationPreferences.territoryId))
    .innerJoin(users, eq(users.id, notificationPreferences.userId))
    .where(and(eq(notificationPreferences.monthlyDigest, true), isNull(users.disabledAt), isNull(territories.archivedAt)))
    .orderBy(asc(notificationPreferences.id));
  let sent = 0;
  let empty = 0;
  for (const { p, t } of rows) {
    if (!digestDue(p.lastDigestOn, today)) continue;
    const since = p.lastDigestOn ? new Date(`${p.lastDigestOn}T00:00:00Z`) : new Date(now.getTime() - 31 * 86400_000);
    const news = await newsOf(env, t.id, since);
    // Claim the month first: a second run (another process) finds it done and sends nothing.
    const claimed = await env.db
      .update(notificationPreferences)
      .set({ lastDigestOn: today })
      .where(and(eq(notificationPreferences.id, p.id), p.lastDigestOn ? eq(notificationPreferences.lastDigestOn, p.lastDigestOn) : isNull(notificationPreferences.lastDigestOn)))
      .returning({ id: notificationPreferences.id });
    if (!claimed.length) continue;
    if (!news.workshops.length && !news.decisions.length && !news.faq.length) {
      empty++;
      continue;
    }
    if (await sendParticipationMail(env, { territory: t, userId: p.userId, category: "digest", subject: `les nouvelles du mois, ${t.name}`, body: digestBody(env, t, news, since) })) sent++;
  }
  return `${sent} lettre(s) mensuelle(s) envoyée(s), ${empty} sans nouveauté.`;
}

/** Jobs run in the server process: the mailer is built from the same environment the server read. */
function jobEnv(database: Database): MailEnv {
  const config = loadConfig();
  return { db: database.db, mailer: new Mailer(config), baseUrl: config.baseUrl, mailFrom: config.mailFrom };
}

defineJob({ name: "rappels-ateliers", lockKey: 730_101, everyMs: 3600_000, run: (database) => sendReminders(jobEnv(database)) });
defineJob({ name: "digest-mensuel", lockKey: 730_102, everyMs: 24 * 3600_000, run: (database) => sendDigests(jobEnv(database)) });
