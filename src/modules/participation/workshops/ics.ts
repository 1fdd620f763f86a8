// Calendar invitations of a workshop, on core/formats/ics.ts (Europe/Paris with its VTIMEZONE).
// One UID per workshop for every message about it; the SEQUENCE is the number of seconds since the
// workshop was created, so that every later message (update, cancellation, a new registration after
// a cancellation) supersedes the earlier ones in the person's calendar.
import { buildInvitation } from "../../../core/formats/ics.ts";

export interface IcsWorkshop {
  icsUid: string;
  title: string;
  description: string | null;
  startsAt: Date;
  endsAt: Date;
  place: string | null;
  videoUrl: string | null;
  createdAt: Date;
}

/** The sequence of a message sent now about this workshop (see above). */
export function icsSequence(w: Pick<IcsWorkshop, "createdAt">, now = new Date()): number {
  return Math.max(0, Math.floor((now.getTime() - w.createdAt.getTime()) / 1000));
}

/**
 * The calendar of one workshop: `REQUEST` (confirmation, invitation, update, download) or `CANCEL`
 * (the registration or the workshop is cancelled). The video link goes only to people with a seat.
 */
export function workshopIcs(
  w: IcsWorkshop,
  opts: { method: "REQUEST" | "CANCEL"; url: string; organizer: { name: string; email: string }; attendee?: { name: string; email: string }; withVideo?: boolean; now?: Date },
): string {
  return buildInvitation({
    uid: w.icsUid,
    sequence: icsSequence(w, opts.now),
    method: opts.method,
    start: w.startsAt,
    end: w.endsAt,
    summary: w.title,
    description: [w.description ?? "", `Page de l'atelier : ${opts.url}`].filter((x) => x.trim() !== "").join("\n\n"),
    location: w.place ?? (w.videoUrl && !opts.withVideo ? "En visioconférence (lien donné aux personnes inscrites)" : null),
    videoUrl: opts.withVideo ? w.videoUrl : null,
    organizer: opts.organizer,
    attendees: opts.attendee ? [opts.attendee] : [],
    stamp: opts.now,
  });
}
