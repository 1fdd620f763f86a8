// Pure rules of the questions' inbox and the anti-spam checks of the public form. No I/O here.

export const QUESTION_STATES = ["new", "assigned", "answered", "closed"] as const;
export type QuestionState = (typeof QUESTION_STATES)[number];

export const QUESTION_STATE_LABELS: Record<QuestionState, string> = {
  new: "Nouvelle",
  assigned: "Attribuée",
  answered: "Répondue",
  closed: "Close",
};

const CLOSED = "Cette question est close : elle ne peut plus être modifiée.";

/** Why the question may not be assigned now, or null. */
export function assignRefusal(s: QuestionState): string | null {
  return s === "closed" ? CLOSED : null;
}

/** The state after an assignment: a new question becomes assigned; an answered one stays answered. */
export const stateAfterAssign = (s: QuestionState): QuestionState => (s === "new" ? "assigned" : s);

/** Why the question may not be answered now, or null (one answer per question, sent once). */
export function answerRefusal(s: QuestionState): string | null {
  if (s === "closed") return CLOSED;
  if (s === "answered") return "Une réponse a déjà été envoyée pour cette question.";
  return null;
}

/** Why the question may not be published in the FAQ, or null: it needs an answer first. */
export function publishRefusal(s: { status: QuestionState; answer: string | null }): string | null {
  if (!s.answer) return "Répondez d'abord à la question : la FAQ publie la question et sa réponse.";
  return null;
}

/** Why the question may not be closed, or null. */
export function closeRefusal(s: QuestionState): string | null {
  return s === "closed" ? "Cette question est déjà close." : null;
}

/**
 * The personal details of the asker found in a text meant for the public FAQ (name, e-mail
 * address, company): the FAQ never shows who asked. Compared without case or accents.
 */
export function identityLeaks(text: string, asker: { name: string; email: string; companyName: string | null }): string[] {
  const norm = (s: string) =>
    s
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  const hay = ` ${norm(text)} `;
  const found: string[] = [];
  const check = (label: string, value: string | null) => {
    const v = value ? norm(value) : "";
    if (v.length >= 3 && hay.includes(v)) found.push(label);
  };
  check("son adresse électronique", asker.email);
  check("son nom", asker.name);
  // Each part of the name too (a surname alone identifies someone in a small territory).
  if (!found.includes("son nom")) {
    for (const part of norm(asker.name).split(/[\s-]+/)) {
      if (part.length >= 4 && new RegExp(`[^a-z0-9]${part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[^a-z0-9]`).test(hay)) {
        found.push("son nom");
        break;
      }
    }
  }
  check("son entreprise", asker.companyName);
  return found;
}

/** Minimum time between showing the form and sending it: a person takes longer than this. */
export const MIN_FILL_MS = 3000;

/**
 * The time-to-submit check: `started` is the form's hidden timestamp (ms). Returns a French
 * message when the form came back too fast or the stamp is missing or odd, else null.
 */
export function fillTimeRefusal(started: string | undefined, now = Date.now()): string | null {
  const t = Number(started);
  if (!started || !/^\d{10,16}$/.test(started) || !Number.isFinite(t) || t > now + 60_000) {
    return "Le formulaire n'a pas pu être vérifié. Relisez votre message puis envoyez-le de nouveau.";
  }
  if (now - t < MIN_FILL_MS) return "Votre message est arrivé très vite après l'ouverture du formulaire, comme ceux des robots. Relisez-le puis envoyez-le de nouveau.";
  return null;
}
