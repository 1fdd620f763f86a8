// The concrete request of every row of the proposals' and questions' matrices (participation
// module; see test/helpers/matrix.ts). Each changing request works on fresh records.
import { randomBytes } from "node:crypto";
import { users } from "../../../src/core/db/schema.ts";
import { notificationPreferences, proposalComments, proposals, questions } from "../../../src/modules/participation/schema.ts";
import type { BuildContext, MatrixWorld, RequestSpec, TerritoryFixture } from "../matrix.ts";

type State = "submitted" | "under_review" | "accepted" | "rejected" | "merged";

/** A new account (the author of a fresh proposal, never the person sending the request). */
async function freshUser(world: MatrixWorld, what: string): Promise<number> {
  const n = world.next();
  const [u] = await world.db
    .insert(users)
    .values({ email: `matrice-${what}-${n}-${randomBytes(3).toString("hex")}@exemple.fr`, displayName: `Auteur matrice ${n}` })
    .returning({ id: users.id });
  return u.id;
}

/** A published proposal of the territory, in the given state, by a fresh author. */
export async function freshProposal(world: MatrixWorld, t: TerritoryFixture, status: State = "submitted", hidden = false): Promise<number> {
  const authorId = await freshUser(world, "auteur");
  const n = world.next();
  const [p] = await world.db
    .insert(proposals)
    .values({ territoryId: t.id, authorId, themeId: t.themeId, title: `Proposition matrice ${n}`, problem: "Un problème constaté par la matrice.", proposedAction: "Une action proposée par la matrice.", status, visibility: hidden ? "draft" : "published" })
    .returning({ id: proposals.id });
  return p.id;
}

async function freshComment(world: MatrixWorld, t: TerritoryFixture): Promise<{ proposalId: number; commentId: number }> {
  const proposalId = await freshProposal(world, t);
  const authorId = await freshUser(world, "commentaire");
  const [c] = await world.db.insert(proposalComments).values({ territoryId: t.id, proposalId, authorId, body: "Un commentaire de la matrice." }).returning({ id: proposalComments.id });
  return { proposalId, commentId: c.id };
}

async function freshUnsubscribeToken(world: MatrixWorld, t: TerritoryFixture): Promise<string> {
  const userId = await freshUser(world, "abonne");
  const token = randomBytes(24).toString("base64url");
  await world.db.insert(notificationPreferences).values({ territoryId: t.id, userId, unsubscribeToken: token });
  return token;
}

/** A question of the territory's inbox; `answered` with an answer ready for the FAQ, `faq` already published. */
export async function freshQuestion(world: MatrixWorld, t: TerritoryFixture, state: "new" | "answered" | "faq" = "new"): Promise<number> {
  const n = world.next();
  const answered = state !== "new";
  const [q] = await world.db
    .insert(questions)
    .values({
      territoryId: t.id,
      name: `Personne matrice ${n}`,
      email: `matrice-question-${n}@exemple.fr`,
      subject: `Question matrice ${n}`,
      body: "Comment participer aux ateliers ?",
      status: answered ? "answered" : "new",
      answer: answered ? "En vous inscrivant sur la page des ateliers." : null,
      answeredAt: answered ? new Date() : null,
      faqQuestion: state === "faq" ? "Comment participer aux ateliers ?" : null,
      faqPublishedAt: state === "faq" ? new Date() : null,
    })
    .returning({ id: questions.id });
  return q.id;
}

const inT = (path: string): RequestSpec => ({ build: (c) => ({ url: `/t/${c.slug}${path}` }) });
const onProposal = (state: State, path: string, form?: (c: BuildContext) => Record<string, string | string[]>): RequestSpec => ({
  build: async (c) => ({ url: `/t/${c.slug}/propositions/${await freshProposal(c.world, c.t, state)}${path}`, form: form?.(c) }),
});
const onQuestion = (state: "new" | "answered" | "faq", path: string, form?: (c: BuildContext) => Record<string, string | string[]>): RequestSpec => ({
  build: async (c) => ({ url: `/t/${c.slug}/gestion/questions/${await freshQuestion(c.world, c.t, state)}${path}`, form: form?.(c) }),
});

export const proposalsRequests: Record<string, RequestSpec> = {
  // ——— proposals ———
  "GET /t/:slug/propositions": inT("/propositions"),
  "GET /t/:slug/propositions/:id": onProposal("submitted", ""),
  "GET /t/:slug/propositions/:id#masquee": { build: async (c) => ({ url: `/t/${c.slug}/propositions/${await freshProposal(c.world, c.t, "submitted", true)}` }) },
  "POST /t/:slug/propositions/:id/masquer": onProposal("submitted", "/masquer"),
  "POST /t/:slug/propositions/:id/publier": { build: async (c) => ({ url: `/t/${c.slug}/propositions/${await freshProposal(c.world, c.t, "under_review", true)}/publier` }) },
  "GET /t/:slug/propositions/nouvelle": inT("/propositions/nouvelle"),
  "POST /t/:slug/propositions/nouvelle": {
    build: (c) => ({
      url: `/t/${c.slug}/propositions/nouvelle`,
      form: { title: `Proposition matrice ${c.n}`, themeId: String(c.t.themeId), problem: "Un problème.", proposedAction: "Une action.", expectedPartners: "", roughBudgetEuros: "15 000" },
    }),
  },
  "POST /t/:slug/propositions/:id/soutien": onProposal("submitted", "/soutien"),
  "POST /t/:slug/propositions/:id/commentaires": onProposal("under_review", "/commentaires", (c) => ({ body: `Commentaire matrice ${c.n}` })),
  "POST /t/:slug/propositions/:id/commentaires/:commentId/masquer": {
    build: async (c) => {
      const { proposalId, commentId } = await freshComment(c.world, c.t);
      return { url: `/t/${c.slug}/propositions/${proposalId}/commentaires/${commentId}/masquer` };
    },
  },
  "POST /t/:slug/propositions/:id/examen": onProposal("submitted", "/examen"),
  "GET /t/:slug/propositions/:id/evaluation": onProposal("under_review", "/evaluation"),
  "POST /t/:slug/propositions/:id/evaluation": onProposal("under_review", "/evaluation", () => ({ criteria: ["theme", "demand"], score: "12", answer: "Une réponse." })),
  "GET /t/:slug/propositions/:id/decision": onProposal("under_review", "/decision"),
  "POST /t/:slug/propositions/:id/decision": onProposal("under_review", "/decision", (c) => {
    // The action it creates takes the next free number: reserved here so the matrix's own actions never collide with it.
    c.world.nextNumber(c.t);
    return { decision: "accepted", objectiveId: String(c.t.objectiveId), mergedIntoId: "", meetingId: "", answer: "Le comité retient la proposition." };
  }),
  "POST /t/:slug/propositions/:id/decision#non-retenue": onProposal("under_review", "/decision", () => ({
    decision: "rejected",
    objectiveId: "",
    mergedIntoId: "",
    meetingId: "",
    answer: "Le comité ne retient pas la proposition.",
  })),
  "GET /t/:slug/gestion/propositions": inT("/gestion/propositions"),
  "GET /t/:slug/propositions/desabonnement/:token": { build: async (c) => ({ url: `/t/${c.slug}/propositions/desabonnement/${await freshUnsubscribeToken(c.world, c.t)}` }) },
  "POST /t/:slug/propositions/desabonnement/:token": { build: async (c) => ({ url: `/t/${c.slug}/propositions/desabonnement/${await freshUnsubscribeToken(c.world, c.t)}` }) },

  // ——— questions ———
  "GET /t/:slug/questions": inT("/questions"),
  "POST /t/:slug/questions": {
    build: (c) => ({
      url: `/t/${c.slug}/questions`,
      form: {
        name: `Personne matrice ${c.n}`,
        email: `matrice-demande-${c.n}-${randomBytes(3).toString("hex")}@exemple.fr`,
        companyName: "",
        subject: `Question matrice ${c.n}`,
        themeId: "",
        body: "Comment participer ?",
        consent: "on",
        site: "",
        debut: String(Date.now() - 60_000),
      },
    }),
  },
  "GET /t/:slug/faq": inT("/faq"),
  "GET /t/:slug/gestion/questions": inT("/gestion/questions"),
  "GET /t/:slug/gestion/questions/:id": onQuestion("new", ""),
  "POST /t/:slug/gestion/questions/:id/attribution": {
    // Assigned to the person sending it when they are staff (a platform admin may take a question too).
    build: async (c) => ({ url: `/t/${c.slug}/gestion/questions/${await freshQuestion(c.world, c.t)}/attribution`, form: { assigneeId: String(c.person.userId ?? 1) } }),
  },
  "POST /t/:slug/gestion/questions/:id/reponse": onQuestion("new", "/reponse", () => ({ answer: "Voici la réponse du service." })),
  "POST /t/:slug/gestion/questions/:id/faq": onQuestion("answered", "/faq", () => ({ faqQuestion: "Comment participer aux ateliers ?" })),
  "POST /t/:slug/gestion/questions/:id/faq/retrait": onQuestion("faq", "/faq/retrait"),
  "POST /t/:slug/gestion/questions/:id/cloture": onQuestion("new", "/cloture"),
};
