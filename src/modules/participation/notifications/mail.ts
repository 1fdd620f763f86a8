// Participation e-mails: each one ends with the links to the preferences (Mon espace) and to the
// one-click unsubscribe page, and is sent only when the person's preferences allow its category.
import { eq } from "drizzle-orm";
import type { Db } from "../../../core/db/client.ts";
import { users } from "../../../core/db/schema.ts";
import type { Mailer } from "../../../core/mail/index.ts";
import { ensurePreferences, type PreferencesRow } from "./preferences.ts";

/** What sending needs, from a request or a job. */
export interface MailEnv {
  db: Db;
  mailer: Mailer;
  baseUrl: string;
  mailFrom: string;
  log?: { error(obj: object, msg: string): void };
}

/**
 * - `registration`: about the person's own registration (confirmation, waiting list, promotion,
 *   cancellation, a change or cancellation of the workshop): always sent, since the person asked;
 * - `workshops`: reminders and invitations to workshops; `proposals`: news of proposals;
 *   `digest`: the monthly digest — each only while the matching preference is on.
 */
export type MailCategory = "registration" | "workshops" | "proposals" | "digest";

export interface ParticipationMail {
  territory: { id: number; slug: string; name: string };
  userId: number;
  category: MailCategory;
  subject: string;
  /** The body without greeting nor footer. */
  body: string;
  ics?: { method: "REQUEST" | "CANCEL"; content: string };
}

export function allows(p: PreferencesRow, category: MailCategory): boolean {
  if (category === "workshops") return p.workshopEmails;
  if (category === "proposals") return p.proposalEmails;
  if (category === "digest") return p.monthlyDigest;
  return true;
}

/** The organizer of calendar invitations: the sender of the platform's e-mails. */
export function organizer(mailFrom: string): { name: string; email: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(mailFrom);
  return m ? { name: m[1] || "Collines", email: m[2] } : { name: "Collines", email: mailFrom.trim() };
}

/** Sends one message to a participant; returns false when the preferences or the account rule it out, or sending failed. */
export async function sendParticipationMail(env: MailEnv, m: ParticipationMail): Promise<boolean> {
  const [user] = await env.db.select().from(users).where(eq(users.id, m.userId));
  if (!user || user.disabledAt || user.anonymisedAt) return false;
  const prefs = await ensurePreferences(env.db, m.territory.id, m.userId);
  if (!allows(prefs, m.category)) return false;
  const base = `${env.baseUrl}/t/${m.territory.slug}`;
  const text =
    `Bonjour ${user.displayName},\n\n${m.body.trim()}\n\n` +
    `—\nCollines, ${m.territory.name}\n` +
    `Vos inscriptions et vos préférences de courriel : ${base}/mon-espace\n` +
    `Ne plus recevoir ces courriels : ${base}/desabonnement/${prefs.unsubscribeToken}\n`;
  try {
    await env.mailer.send({
      to: user.email,
      subject: `Collines — ${m.subject}`,
      text,
      attachments: m.ics ? [{ filename: m.ics.method === "CANCEL" ? "annulation.ics" : "atelier.ics", content: m.ics.content, contentType: `text/calendar; charset=utf-8; method=${m.ics.method}` }] : undefined,
    });
    return true;
  } catch (e) {
    env.log?.error({ err: (e as Error).message }, "participation mail not sent");
    return false;
  }
}
