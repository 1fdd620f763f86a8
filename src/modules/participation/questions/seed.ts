// The demonstration territory's questions (fictional, like everything there): answered questions in
// the FAQ and one waiting in the inbox, so that a person trying the platform finds them filled.
// No proposal is seeded: a proposal needs an author account, and a seeded account would stop the
// first start from offering the first administrator's link (it is offered while no account exists).
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database } from "../../../core/db/client.ts";
import { recordAudit } from "../../../core/audit/index.ts";
import { ANONYMOUS } from "../../../core/authz/index.ts";
import { territories } from "../../territories/api.ts";
import { themes } from "../../plan/api.ts";
import { questions } from "../schema.ts";

const DOMAIN = "demo.bocage-des-forges.invalid";

/** Idempotent: does nothing once the demo territory has a question. */
export async function seedDemoQuestions(database: Database): Promise<void> {
  await database.db.transaction(async (tx) => {
    const [demo] = await tx.select().from(territories).where(eq(territories.kind, "demo")).limit(1);
    if (!demo) return;
    if ((await tx.select({ id: questions.id }).from(questions).where(eq(questions.territoryId, demo.id)).limit(1)).length) return;
    const themeRows = await tx.select().from(themes).where(and(eq(themes.territoryId, demo.id), eq(themes.visibility, "published"), isNull(themes.archivedAt))).orderBy(asc(themes.position));
    if (!themeRows.length) return;
    const theme = (i: number) => themeRows[i % themeRows.length].id;
    const days = (n: number) => new Date(Date.now() - n * 86400_000);
    const system = { actor: ANONYMOUS, role: "system" };
    const faq = [
      {
        subject: "Participation aux ateliers",
        faqQuestion: "Une entreprise de moins de dix salariés peut-elle participer aux ateliers thématiques ?",
        answer: "Oui. Les ateliers sont ouverts à toutes les entreprises du territoire, quelle que soit leur taille. Inscrivez-vous depuis la page de l'atelier ; si elle est complète, vous passez sur la liste d'attente.",
        themeId: theme(0),
      },
      {
        subject: "Proposer une action",
        faqQuestion: "Comment proposer une nouvelle action au plan du territoire ?",
        answer: "Connectez-vous, puis « Propositions » › « Proposer une action ». Le comité de pilotage examine chaque proposition et répond par courriel ; celles qu'il retient entrent au plan par un avenant.",
        themeId: null,
      },
      {
        subject: "Financement",
        faqQuestion: "Le programme finance-t-il directement les investissements des entreprises ?",
        answer: "Non : le programme coordonne les aides existantes (État, Région, intercommunalités). Le service de développement économique vous oriente vers le bon dispositif.",
        themeId: theme(2),
      },
    ];
    for (const [i, f] of faq.entries()) {
      const [q] = await tx
        .insert(questions)
        .values({
          territoryId: demo.id,
          name: "Personne de démonstration",
          email: `question-${i + 1}@${DOMAIN}`,
          subject: f.subject,
          body: "Question de démonstration.",
          themeId: f.themeId,
          status: "answered",
          answer: f.answer,
          answeredAt: days(20 - i),
          faqQuestion: f.faqQuestion,
          faqPublishedAt: days(19 - i),
          createdAt: days(25 - i),
        })
        .returning({ id: questions.id });
      await recordAudit(tx, system, { territoryId: demo.id, action: "create", entity: "question", entityId: q.id, after: { subject: f.subject, origin: "démonstration" } });
    }
    const [waiting] = await tx
      .insert(questions)
      .values({
        territoryId: demo.id,
        name: "Personne de démonstration",
        email: `question-4@${DOMAIN}`,
        companyName: "Menuiserie de démonstration",
        subject: "Foncier disponible",
        body: "Nous cherchons un terrain de 5 000 m² pour nous agrandir : qui contacter ?",
        status: "new",
        createdAt: days(1),
      })
      .returning({ id: questions.id });
    await recordAudit(tx, system, { territoryId: demo.id, action: "create", entity: "question", entityId: waiting.id, after: { subject: "Foncier disponible", origin: "démonstration" } });
  });
}
