import type { Config } from "../../config.ts";
import type { Mailer } from "../../core/mail/index.ts";
import { buildInvitation, type IcsInvitation } from "../../core/formats/ics.ts";
import { meetingWhen } from "./model.ts";
import type { meetings } from "./schema.ts";

type Meeting = typeof meetings.$inferSelect;

/** The organizer of a territory's invitations: the platform's sender address, named after the territory. */
export function organizerOf(config: Pick<Config, "mailFrom">, territoryName: string): { name: string; email: string } {
  const m = /<([^>]+)>/.exec(config.mailFrom);
  return { name: territoryName, email: (m ? m[1] : config.mailFrom).trim() };
}

/** The calendar event of a meeting (attendees included only for e-mailed invitations). */
export function meetingEvent(
  config: Pick<Config, "mailFrom" | "baseUrl">,
  territory: { slug: string; name: string },
  meeting: Meeting,
  bodyName: string,
  agenda: { title: string }[],
  method: "REQUEST" | "CANCEL",
  attendees: { name: string; email: string }[],
): IcsInvitation {
  const lines = [
    `${bodyName} – ${territory.name}`,
    agenda.length ? `Ordre du jour :\n${agenda.map((a, i) => `${i + 1}. ${a.title}`).join("\n")}` : "",
    `Page de la réunion : ${config.baseUrl}/t/${territory.slug}/gouvernance/reunions/${meeting.id}`,
  ].filter(Boolean);
  return {
    uid: meeting.icsUid,
    sequence: meeting.icsSequence,
    method,
    start: meeting.startsAt,
    end: meeting.endsAt,
    summary: meeting.title,
    description: lines.join("\n\n"),
    location: meeting.place,
    videoUrl: meeting.videoUrl,
    organizer: organizerOf(config, territory.name),
    attendees,
  };
}

/**
 * Sends one e-mail per invitee with the .ics attached: an invitation, an update (same UID, higher
 * sequence) or a cancellation. Returns the addresses the mail went to (a failed one is left out).
 */
export async function mailInvitations(
  mailer: Mailer,
  config: Pick<Config, "mailFrom" | "baseUrl">,
  territory: { slug: string; name: string },
  meeting: Meeting,
  bodyName: string,
  agenda: { title: string }[],
  kind: "invitation" | "update" | "cancel",
  invitees: { name: string; email: string }[],
): Promise<string[]> {
  const method = kind === "cancel" ? "CANCEL" : "REQUEST";
  const ics = buildInvitation(meetingEvent(config, territory, meeting, bodyName, agenda, method, invitees));
  const when = meetingWhen(meeting.startsAt, meeting.endsAt);
  const where = [meeting.place, meeting.videoUrl ? `visioconférence : ${meeting.videoUrl}` : null].filter(Boolean).join(" ; ") || "lieu à préciser";
  const subject =
    kind === "cancel" ? `Annulation : ${meeting.title} (${when})` : kind === "update" ? `Modification : ${meeting.title} (${when})` : `Invitation : ${meeting.title} (${when})`;
  const intro =
    kind === "cancel"
      ? "La réunion suivante est annulée. Le fichier joint la retire de votre agenda."
      : kind === "update"
        ? "La réunion suivante a été modifiée. Le fichier joint met votre agenda à jour."
        : "Vous êtes invité(e) à la réunion suivante. Le fichier joint l'ajoute à votre agenda.";
  const agendaText = agenda.length && kind !== "cancel" ? `\n\nOrdre du jour :\n${agenda.map((a, i) => `${i + 1}. ${a.title}`).join("\n")}` : "";
  const sent: string[] = [];
  for (const p of invitees) {
    // One address refused (or the mail server down) does not stop the others; the caller says who was missed.
    try {
      await mailer.send({
      to: p.email,
      subject,
      text: `Bonjour ${p.name},\n\n${intro}\n\n${meeting.title} – ${bodyName}\n${when}\n${where}${agendaText}\n\n${config.baseUrl}/t/${territory.slug}/gouvernance/reunions/${meeting.id}\n\n${territory.name}`,
      attachments: [{ filename: kind === "cancel" ? "annulation.ics" : "invitation.ics", content: ics, contentType: `text/calendar; charset=utf-8; method=${method}` }],
      });
      sent.push(p.email);
    } catch {
      /* not sent: left out of the returned list */
    }
  }
  return sent;
}
