// The e-mails of the workshops, each with its calendar attachment where the person's calendar
// should change: REQUEST when a seat is theirs (or the workshop moved), CANCEL when it no longer is.
import { formatDateTime } from "../../../core/i18n/format.ts";
import { organizer, sendParticipationMail, type MailEnv } from "../notifications/mail.ts";
import { workshopIcs } from "./ics.ts";
import { parisParts } from "./model.ts";
import type { WorkshopRow } from "./commands.ts";

export type TerritoryRef = { id: number; slug: string; name: string };

export const workshopUrl = (baseUrl: string, t: { slug: string }, w: { id: number }) => `${baseUrl}/t/${t.slug}/ateliers/${w.id}`;

/** "3 décembre 2026 à 09:30 – 11:30", Paris time. */
export function whenText(w: Pick<WorkshopRow, "startsAt" | "endsAt">): string {
  return `${formatDateTime(w.startsAt)} – ${parisParts(w.endsAt).time}`;
}

function details(env: MailEnv, t: TerritoryRef, w: WorkshopRow, withVideo: boolean): string {
  const lines = [`« ${w.title} »`, `Quand : ${whenText(w)} (heure de Paris)`];
  if (w.place) lines.push(`Où : ${w.place}`);
  if (w.videoUrl) lines.push(withVideo ? `En visioconférence : ${w.videoUrl}` : "En visioconférence (le lien est donné aux personnes inscrites)");
  lines.push(`Page de l'atelier : ${workshopUrl(env.baseUrl, t, w)}`);
  return lines.join("\n");
}

function ics(env: MailEnv, t: TerritoryRef, w: WorkshopRow, method: "REQUEST" | "CANCEL", withVideo: boolean) {
  return { method, content: workshopIcs(w, { method, url: workshopUrl(env.baseUrl, t, w), organizer: organizer(env.mailFrom), withVideo }) };
}

const ATTACHED = "L'invitation jointe (fichier .ics) ajoute l'atelier à votre agenda.";

export type WorkshopMailKind = "confirmed" | "waitlisted" | "promoted" | "cancelled" | "withdrawn" | "workshop_cancelled" | "rescheduled" | "reminder" | "invitation";

/** Sends one of the workshop e-mails to one person; false when not sent (preferences, closed account, failure). */
export async function sendWorkshopMail(env: MailEnv, t: TerritoryRef, w: WorkshopRow, userId: number, kind: WorkshopMailKind): Promise<boolean> {
  // The video link is for people with a seat; an invitation gives the page, where they register.
  const seat = kind !== "invitation" && kind !== "waitlisted" && kind !== "withdrawn";
  const d = details(env, t, w, seat);
  const send = (category: "registration" | "workshops", subject: string, body: string, method?: "REQUEST" | "CANCEL") =>
    sendParticipationMail(env, { territory: t, userId, category, subject, body, ics: method ? ics(env, t, w, method, seat) : undefined });
  switch (kind) {
    case "confirmed":
      return send("registration", `inscription confirmée : ${w.title}`, `Votre inscription à l'atelier est confirmée :\n\n${d}\n\n${ATTACHED}\nSi vous ne pouvez plus venir, annulez votre inscription depuis la page de l'atelier : votre place ira à la première personne de la liste d'attente.`, "REQUEST");
    case "waitlisted":
      return send("registration", `liste d'attente : ${w.title}`, `L'atelier est complet : vous êtes sur la liste d'attente.\n\n${d}\n\nDès qu'une place se libère, elle est donnée à la première personne de la liste et vous recevez un courriel avec l'invitation pour votre agenda.`);
    case "promoted":
      return send("registration", `une place s'est libérée : ${w.title}`, `Une place s'est libérée : vous passez de la liste d'attente à une inscription confirmée.\n\n${d}\n\n${ATTACHED}`, "REQUEST");
    case "cancelled":
      return send("registration", `inscription annulée : ${w.title}`, `Votre inscription à cet atelier est annulée :\n\n${d}\n\nLe fichier joint retire l'atelier de votre agenda.`, "CANCEL");
    case "withdrawn":
      return send("registration", `retiré de la liste d'attente : ${w.title}`, `Vous n'êtes plus sur la liste d'attente de cet atelier :\n\n${d}`);
    case "workshop_cancelled":
      return send("registration", `atelier annulé : ${w.title}`, `L'atelier auquel vous étiez inscrit est annulé :\n\n${d}\n\nLe fichier joint le retire de votre agenda. Nous vous prions de nous excuser pour ce changement.`, "CANCEL");
    case "rescheduled":
      return send("registration", `atelier modifié : ${w.title}`, `L'atelier auquel vous êtes inscrit a changé :\n\n${d}\n\nL'invitation jointe met votre agenda à jour.`, "REQUEST");
    case "reminder":
      return send("workshops", `rappel : ${w.title}, demain`, `Nous vous rappelons l'atelier auquel vous êtes inscrit :\n\n${d}\n\nSi vous ne pouvez plus venir, annulez votre inscription depuis la page de l'atelier : une personne de la liste d'attente prendra votre place.`, "REQUEST");
    case "invitation":
      return send("workshops", `invitation : ${w.title}`, `Vous avez indiqué souhaiter participer aux ateliers de cette thématique. L'équipe du territoire vous invite à celui-ci :\n\n${d}\n\nPour vous inscrire, ouvrez la page de l'atelier et choisissez « M'inscrire ». Le fichier joint vous permet de noter la date dans votre agenda.`, "REQUEST");
  }
}

/** Sends after the commit; a failure to send never undoes the registration (it is logged). */
export async function sendAll(env: MailEnv, t: TerritoryRef, w: WorkshopRow, mails: { userId: number; kind: WorkshopMailKind }[]): Promise<number> {
  let sent = 0;
  for (const m of mails) if (await sendWorkshopMail(env, t, w, m.userId, m.kind)) sent++;
  return sent;
}
