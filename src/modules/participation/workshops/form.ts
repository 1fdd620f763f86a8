// The workshop form of the back-office: shape and French messages (rules needing the database are in the commands).
import { z } from "zod";
import { choiceField, idField, optionalText, textField, type FieldErrors, optionalIdField } from "../../../core/forms/index.ts";
import { parisInstant, parisParts } from "./model.ts";
import type { WorkshopInput, WorkshopRow } from "./commands.ts";

const dateField = z
  .string({ error: "Indiquez la date de l'atelier." })
  .trim()
  // Typed as the French date picker shows it (jj/mm/aaaa) where the browser has no picker.
  .transform((v) => v.replace(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, (_, d: string, m: string, y: string) => `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}`))
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v), { error: "Indiquez la date de l'atelier au format jj/mm/aaaa." });
const timeField = (what: string) =>
  z
    .string({ error: `Indiquez l'heure de ${what}.` })
    .trim()
    .regex(/^\d{2}:\d{2}$/, { error: `Indiquez l'heure de ${what} au format hh:mm, par exemple 09:30.` });
/** An optional date and time (datetime-local): empty means none. */
const optionalMoment = (what: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, c) => {
      if (!v) return null;
      const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/.exec(v);
      const at = m ? parisInstant(m[1], m[2]) : undefined;
      if (!at) {
        c.addIssue({ code: "custom", message: `Indiquez ${what} au format jj/mm/aaaa hh:mm.` });
        return z.NEVER;
      }
      return at;
    });

export const workshopForm = z.object({
    title: textField("le titre de l'atelier", { max: 200 }),
    themeId: optionalIdField("Choisissez une thématique du territoire dans la liste."),
    description: optionalText("la description", { max: 10000 }),
    date: dateField,
    startTime: timeField("début"),
    endTime: timeField("fin"),
    place: optionalText("le lieu", { max: 300 }),
    videoUrl: z
      .string()
      .trim()
      .max(500, { error: "Le lien de visioconférence ne doit pas dépasser 500 caractères." })
      .optional()
      .transform((v) => v || null)
      .refine((v) => v === null || /^https:\/\/[^\s]+$/.test(v), { error: "Le lien de visioconférence commence par https://, par exemple https://visio.exemple.fr/atelier." }),
    capacity: z
      .string({ error: "Indiquez le nombre de places." })
      .trim()
      .regex(/^\d{1,4}$/, { error: "Le nombre de places est un nombre entier de 1 à 1000." })
      .transform(Number)
      .refine((n) => n >= 1 && n <= 1000, { error: "Le nombre de places est un nombre entier de 1 à 1000." }),
    registrationOpensAt: optionalMoment("l'ouverture des inscriptions"),
    registrationClosesAt: optionalMoment("la clôture des inscriptions"),
    status: choiceField(["draft", "published", "held"], "Choisissez un état dans la liste."),
    minutes: optionalText("le compte rendu", { max: 50000 }),
    actionIds: z.array(idField("Choisissez des actions du plan dans la liste.")).optional().default([]),
  });

/** The rules across fields; returns the command's input, or the French messages by field. */
export function workshopInput(d: z.infer<typeof workshopForm>): { input: WorkshopInput } | { errors: FieldErrors } {
  const errors: FieldErrors = {};
  const startsAt = parisInstant(d.date, d.startTime);
  const endsAt = parisInstant(d.date, d.endTime);
  if (!startsAt) errors.date = "Cette date ou cette heure de début n'existe pas (changement d'heure ?).";
  else if (!endsAt) errors.endTime = "Cette heure de fin n'existe pas (changement d'heure ?).";
  else if (endsAt.getTime() <= startsAt.getTime()) errors.endTime = "L'heure de fin vient après l'heure de début.";
  if (!d.place && !d.videoUrl) errors.place = "Indiquez un lieu, un lien de visioconférence, ou les deux.";
  if (d.registrationOpensAt && d.registrationClosesAt && d.registrationClosesAt.getTime() <= d.registrationOpensAt.getTime()) {
    errors.registrationClosesAt = "La clôture des inscriptions vient après leur ouverture.";
  } else if (startsAt && d.registrationClosesAt && d.registrationClosesAt.getTime() > startsAt.getTime()) {
    errors.registrationClosesAt = "Les inscriptions se ferment au plus tard au début de l'atelier.";
  }
  if (Object.keys(errors).length || !startsAt || !endsAt) return { errors };
  return {
    input: {
      title: d.title,
      themeId: d.themeId,
      description: d.description,
      startsAt,
      endsAt,
      place: d.place,
      videoUrl: d.videoUrl,
      capacity: d.capacity,
      registrationOpensAt: d.registrationOpensAt,
      registrationClosesAt: d.registrationClosesAt,
      status: d.status,
      minutes: d.minutes,
      actionIds: d.actionIds,
    },
  };
}

const local = (d: Date | null) => (d ? `${parisParts(d).date}T${parisParts(d).time}` : "");

/** The form's values for an existing workshop. */
export function workshopValues(w: WorkshopRow, actionIds: number[]): Record<string, string | string[]> {
  return {
    title: w.title,
    themeId: w.themeId ? String(w.themeId) : "",
    description: w.description ?? "",
    date: parisParts(w.startsAt).date,
    startTime: parisParts(w.startsAt).time,
    endTime: parisParts(w.endsAt).time,
    place: w.place ?? "",
    videoUrl: w.videoUrl ?? "",
    capacity: String(w.capacity),
    registrationOpensAt: local(w.registrationOpensAt),
    registrationClosesAt: local(w.registrationClosesAt),
    status: w.status === "cancelled" ? "published" : w.status,
    minutes: w.minutes ?? "",
    actionIds: actionIds.map(String),
  };
}
