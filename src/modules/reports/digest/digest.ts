// The weekly e-mail digest of each action pilot: their milestones due in the next 14 days or late,
// and the follow-up notes added on their actions in the last week. Sent once per week (from Monday
// 07:00, Europe/Paris), never twice (last_sent_at), unless the pilot turned it off.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, asc, eq, gte, inArray, isNull, lte, ne, notInArray, or, sql } from "drizzle-orm";
import type { Db, Tx } from "../../../core/db/client.ts";
import { platformSettings, users } from "../../../core/db/schema.ts";
import type { Mailer } from "../../../core/mail/index.ts";
import { formatDate, formatDateTime } from "../../../core/i18n/format.ts";
import { territories } from "../../territories/api.ts";
import { actionNotes, actionPilots, actions, digestPreferences, milestones, parisToday } from "../../plan/api.ts";
import { addDays } from "../model.ts";

const SECRET_KEY = "digest_token_secret";

/** The secret that signs unsubscribe links, made once and kept in the platform settings. */
async function tokenSecret(db: Db | Tx): Promise<Buffer> {
  const [row] = await db.select().from(platformSettings).where(eq(platformSettings.key, SECRET_KEY));
  if (row) return Buffer.from(String((row.value as { secret: string }).secret), "base64url");
  const secret = randomBytes(32).toString("base64url");
  await db.insert(platformSettings).values({ key: SECRET_KEY, value: { secret } }).onConflictDoNothing();
  const [again] = await db.select().from(platformSettings).where(eq(platformSettings.key, SECRET_KEY));
  return Buffer.from(String((again!.value as { secret: string }).secret), "base64url");
}

const sign = (secret: Buffer, userId: number) => createHmac("sha256", secret).update(`digest-unsubscribe:${userId}`).digest("base64url").slice(0, 32);

/** The unsubscribe token of a person: their id and a signature; works without signing in, never expires. */
export async function unsubscribeToken(db: Db | Tx, userId: number): Promise<string> {
  return `${userId}.${sign(await tokenSecret(db), userId)}`;
}

/** The person a token names, or null when it is not one of ours. */
export async function verifyUnsubscribeToken(db: Db | Tx, token: string): Promise<number | null> {
  const m = /^(\d{1,10})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return null;
  const userId = Number(m[1]);
  if (!Number.isSafeInteger(userId) || userId > 2147483647) return null;
  const expected = Buffer.from(sign(await tokenSecret(db), userId));
  const given = Buffer.from(m[2]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? userId : null;
}

/** Whether a person receives the digest (on by default). */
export async function digestEnabled(db: Db | Tx, userId: number): Promise<boolean> {
  const [row] = await db.select().from(digestPreferences).where(eq(digestPreferences.userId, userId));
  return row?.weeklyDigest ?? true;
}

/** Turns the digest on or off; true when it changed. */
export async function setDigestEnabled(db: Db | Tx, userId: number, enabled: boolean): Promise<boolean> {
  const before = await digestEnabled(db, userId);
  await db
    .insert(digestPreferences)
    .values({ userId, weeklyDigest: enabled })
    .onConflictDoUpdate({ target: digestPreferences.userId, set: { weeklyDigest: enabled } });
  return before !== enabled;
}

function parisParts(d: Date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), h: Number(parts.hour), min: Number(parts.minute), s: Number(parts.second) };
}

/** The instant of a Paris wall-clock time. */
function parisInstant(y: number, m: number, d: number, h: number): Date {
  const guess = Date.UTC(y, m - 1, d, h);
  const p = parisParts(new Date(guess));
  const offset = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - guess;
  return new Date(guess - offset);
}

/** The start of the digest week that contains `now`: the last Monday 07:00 (Paris) at or before it. */
export function digestWeekStart(now: Date): Date {
  const today = parisToday(now);
  const day = new Date(`${today}T12:00:00Z`);
  const dow = (day.getUTCDay() + 6) % 7; // Monday = 0
  let monday = addDays(today, -dow);
  let start = parisInstant(Number(monday.slice(0, 4)), Number(monday.slice(5, 7)), Number(monday.slice(8, 10)), 7);
  if (start > now) {
    monday = addDays(monday, -7);
    start = parisInstant(Number(monday.slice(0, 4)), Number(monday.slice(5, 7)), Number(monday.slice(8, 10)), 7);
  }
  return start;
}

export interface DigestItem {
  territory: { slug: string; name: string };
  actionId: number;
  actionNumber: number;
  actionTitle: string;
}

export interface PilotDigest {
  userId: number;
  email: string;
  name: string;
  late: (DigestItem & { milestone: string; dueDate: string; daysLate: number })[];
  upcoming: (DigestItem & { milestone: string; dueDate: string })[];
  notes: (DigestItem & { at: Date; author: string | null; body: string })[];
}

/**
 * What each pilot's digest holds on `now`: milestones not done due before today + 14 days (the late
 * ones apart), notes of the last 7 days, on the live actions they pilot. Only the pilots who want
 * it and have not had this week's.
 */
export async function pilotDigests(db: Db | Tx, now: Date, opts: { userIds?: number[] } = {}): Promise<PilotDigest[]> {
  const today = parisToday(now);
  const horizon = addDays(today, 14);
  const weekStart = digestWeekStart(now);
  const pilots = await db
    .selectDistinct({ userId: users.id, email: users.email, name: users.displayName })
    .from(actionPilots)
    .innerJoin(users, eq(users.id, actionPilots.userId))
    .innerJoin(actions, and(eq(actions.id, actionPilots.actionId), eq(actions.territoryId, actionPilots.territoryId)))
    .leftJoin(digestPreferences, eq(digestPreferences.userId, users.id))
    .where(
      and(
        isNull(users.disabledAt),
        isNull(users.anonymisedAt),
        isNull(actions.archivedAt),
        or(isNull(digestPreferences.weeklyDigest), eq(digestPreferences.weeklyDigest, true)),
        or(isNull(digestPreferences.lastSentAt), sql`${digestPreferences.lastSentAt} < ${weekStart.toISOString()}`),
        opts.userIds?.length ? inArray(users.id, opts.userIds) : undefined,
      ),
    )
    .orderBy(asc(users.id));
  if (!pilots.length) return [];
  const ids = pilots.map((p) => p.userId);
  const base = {
    userId: actionPilots.userId,
    actionId: actions.id,
    actionNumber: actions.number,
    actionTitle: actions.title,
    slug: territories.slug,
    territoryName: territories.name,
  };
  const liveActions = and(inArray(actionPilots.userId, ids), isNull(actions.archivedAt), isNull(actions.withdrawnAt));
  const [ms, notes] = await Promise.all([
    db
      .select({ ...base, milestone: milestones.name, dueDate: milestones.dueDate })
      .from(actionPilots)
      .innerJoin(actions, and(eq(actions.id, actionPilots.actionId), eq(actions.territoryId, actionPilots.territoryId)))
      .innerJoin(territories, eq(territories.id, actions.territoryId))
      .innerJoin(milestones, and(eq(milestones.actionId, actions.id), eq(milestones.territoryId, actions.territoryId)))
      .where(and(liveActions, isNull(milestones.doneDate), lte(milestones.dueDate, horizon), or(isNull(actions.status), notInArray(actions.status, ["done", "abandoned"]))))
      .orderBy(asc(milestones.dueDate)),
    db
      .select({ ...base, at: actionNotes.at, body: actionNotes.body, author: users.displayName })
      .from(actionPilots)
      .innerJoin(actions, and(eq(actions.id, actionPilots.actionId), eq(actions.territoryId, actionPilots.territoryId)))
      .innerJoin(territories, eq(territories.id, actions.territoryId))
      .innerJoin(actionNotes, and(eq(actionNotes.actionId, actions.id), eq(actionNotes.territoryId, actions.territoryId)))
      .leftJoin(users, eq(users.id, actionNotes.authorId))
      .where(and(liveActions, isNull(actionNotes.archivedAt), ne(actionNotes.visibility, "draft"), gte(actionNotes.at, new Date(now.getTime() - 7 * 86400_000))))
      .orderBy(asc(actionNotes.at)),
  ]);
  const item = (r: { actionId: number; actionNumber: number; actionTitle: string; slug: string; territoryName: string }): DigestItem => ({
    territory: { slug: r.slug, name: r.territoryName },
    actionId: r.actionId,
    actionNumber: r.actionNumber,
    actionTitle: r.actionTitle,
  });
  const allMs = ms;
  return pilots
    .map((p) => ({
      userId: p.userId,
      email: p.email,
      name: p.name,
      late: allMs
        .filter((m) => m.userId === p.userId && m.dueDate! < today)
        .map((m) => ({ ...item(m), milestone: m.milestone, dueDate: m.dueDate!, daysLate: Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${m.dueDate}T00:00:00Z`)) / 86400_000) })),
      upcoming: allMs.filter((m) => m.userId === p.userId && m.dueDate! >= today).map((m) => ({ ...item(m), milestone: m.milestone, dueDate: m.dueDate! })),
      notes: notes.filter((n) => n.userId === p.userId).map((n) => ({ ...item(n), at: n.at, author: n.author, body: n.body })),
    }))
    .filter((d) => d.late.length || d.upcoming.length || d.notes.length);
}

const excerpt = (s: string, n = 280) => {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
};

/** The e-mail of one digest (plain text, French). */
export function digestMail(d: PilotDigest, opts: { baseUrl: string; unsubscribeUrl: string; now: Date }): { subject: string; text: string } {
  const link = (i: DigestItem) => `${opts.baseUrl}/t/${i.territory.slug}/actions/${i.actionId}`;
  const head = (i: DigestItem) => `${i.territory.name} – action ${i.actionNumber}. ${i.actionTitle}`;
  const counts = [
    d.late.length ? `${d.late.length} jalon${d.late.length > 1 ? "s" : ""} en retard` : null,
    d.upcoming.length ? `${d.upcoming.length} jalon${d.upcoming.length > 1 ? "s" : ""} à venir` : null,
    d.notes.length ? `${d.notes.length} note${d.notes.length > 1 ? "s" : ""} de suivi` : null,
  ].filter(Boolean);
  const lines = [`Bonjour ${d.name},`, "", `Voici le point de la semaine sur les actions dont vous êtes pilote (${formatDate(opts.now)}).`, ""];
  if (d.late.length) {
    lines.push("JALONS EN RETARD", "");
    for (const m of d.late) lines.push(`- ${head(m)}`, `  « ${m.milestone} », prévu le ${formatDate(m.dueDate)} : ${m.daysLate} jour${m.daysLate > 1 ? "s" : ""} de retard`, `  ${link(m)}`, "");
  }
  if (d.upcoming.length) {
    lines.push("JALONS DES 14 PROCHAINS JOURS", "");
    for (const m of d.upcoming) lines.push(`- ${head(m)}`, `  « ${m.milestone} », prévu le ${formatDate(m.dueDate)}`, `  ${link(m)}`, "");
  }
  if (d.notes.length) {
    lines.push("NOTES DE SUIVI AJOUTÉES CETTE SEMAINE", "");
    for (const n of d.notes) lines.push(`- ${head(n)}`, `  ${formatDateTime(n.at)}${n.author ? `, ${n.author}` : ""} : ${excerpt(n.body)}`, `  ${link(n)}`, "");
  }
  lines.push(
    "—",
    "Vous recevez ce résumé parce que vous êtes pilote d’actions sur Collines.",
    `Ne plus le recevoir (sans vous connecter) : ${opts.unsubscribeUrl}`,
    `Vos préférences : ${opts.baseUrl}/compte/resume-hebdomadaire`,
  );
  return { subject: `Vos actions cette semaine : ${counts.join(", ")}`, text: lines.join("\n") };
}

/**
 * Sends this week's digests not sent yet; `last_sent_at` is set in the same transaction as each
 * sending is decided, so a digest goes out once per person and week even with several processes.
 */
export async function sendDigests(db: Db, opts: { baseUrl: string; mailer: Mailer; now?: Date }): Promise<string> {
  const now = opts.now ?? new Date();
  const digests = await pilotDigests(db, now);
  let sent = 0;
  const failures: string[] = [];
  for (const d of digests) {
    const weekStart = digestWeekStart(now);
    const claimed = await db.transaction(async (tx) => {
      // Claim this week's digest of the person (atomic: another process sees it taken).
      const rows = await tx
        .insert(digestPreferences)
        .values({ userId: d.userId, weeklyDigest: true, lastSentAt: now })
        .onConflictDoUpdate({
          target: digestPreferences.userId,
          set: { lastSentAt: now },
          setWhere: and(eq(digestPreferences.weeklyDigest, true), or(isNull(digestPreferences.lastSentAt), sql`${digestPreferences.lastSentAt} < ${weekStart.toISOString()}`)),
        })
        .returning({ userId: digestPreferences.userId });
      return rows.length > 0;
    });
    if (!claimed) continue;
    const mail = digestMail(d, { baseUrl: opts.baseUrl, unsubscribeUrl: `${opts.baseUrl}/resume-hebdomadaire/desabonnement/${await unsubscribeToken(db, d.userId)}`, now });
    try {
      await opts.mailer.send({ to: d.email, subject: mail.subject, text: mail.text });
      sent++;
    } catch (e) {
      // Not sent: give the week back so the next run tries again.
      await db.update(digestPreferences).set({ lastSentAt: null }).where(eq(digestPreferences.userId, d.userId));
      failures.push(`${d.email} : ${(e as Error).message}`);
    }
  }
  return `Résumé hebdomadaire : ${sent} courriel(s) envoyé(s)${failures.length ? `, ${failures.length} échec(s) (${failures.join(" ; ")})` : ""}.`;
}
