// The demonstration territory's proposals and questions (fictional, like everything there): a few
// proposals at different stages with supports and comments, answered questions in the FAQ and one
// waiting in the inbox, so that a person trying the platform finds the features filled. The
// authors are accounts on a reserved domain (.invalid) without password: nobody signs in with them.
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Database, Tx } from "../../../core/db/client.ts";
import { users } from "../../../core/db/schema.ts";
import { recordAudit } from "../../../core/audit/index.ts";
import { ANONYMOUS } from "../../../core/authz/index.ts";
import { territories } from "../../territories/api.ts";
import { themes } from "../../plan/api.ts";
import { proposalComments, proposals, proposalSupports, questions } from "../schema.ts";

const DOMAIN = "demo.bocage-des-forges.invalid";
const PEOPLE = [
  { key: "fonderie", name: "Martine Lebrun (démonstration)" },
  { key: "usinage", name: "Yannick Morel (démonstration)" },
  { key: "plasturgie", name: "Sophie Navarro (démonstration)" },
];

async function person(tx: Tx, key: string, name: string): Promise<number> {
  const email = `${key}@${DOMAIN}`;
  await tx.insert(users).values({ email, displayName: name }).onConflictDoNothing({ target: users.email });
  const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.email, email));
  return u.id;
}

/** Idempotent: does nothing once the demo territory has a proposal or a question. */
export async function seedDemoProposals(database: Database): Promise<void> {
  await database.db.transaction(async (tx) => {
    const [demo] = await tx.select().from(territories).where(eq(territories.kind, "demo")).limit(1);
    if (!demo) return;
    if ((await tx.select({ id: proposals.id }).from(proposals).where(eq(proposals.territoryId, demo.id)).limit(1)).length) return;
    if ((await tx.select({ id: questions.id }).from(questions).where(eq(questions.territoryId, demo.id)).limit(1)).length) return;
    const themeRows = await tx.select().from(themes).where(and(eq(themes.territoryId, demo.id), eq(themes.visibility, "published"), isNull(themes.archivedAt))).orderBy(asc(themes.position));
    if (!themeRows.length) return;
    const theme = (i: number) => themeRows[i % themeRows.length].id;
    const [a, b, c] = [await person(tx, PEOPLE[0].key, PEOPLE[0].name), await person(tx, PEOPLE[1].key, PEOPLE[1].name), await person(tx, PEOPLE[2].key, PEOPLE[2].name)];
    const days = (n: number) => new Date(Date.now() - n * 86400_000);
    const system = { actor: ANONYMOUS, role: "system" };
    const items = [
      {
        authorId: a,
        themeId: theme(1),
        title: "Une navette partagée vers la zone des Forges",
        problem: "Nos apprentis et nos intérimaires sans voiture ne peuvent pas venir travailler à la zone des Forges : aucune ligne de car ne la dessert aux heures des équipes.",
        proposedAction: "Une navette mutualisée entre la gare et la zone, aux heures de prise de poste (5 h 30, 13 h 30, 21 h 30), financée par les entreprises utilisatrices et l'intercommunalité.",
        expectedPartners: "Région (mobilité), transporteur local, six entreprises de la zone",
        roughBudgetEuros: 60000,
        status: "submitted" as const,
        createdAt: days(9),
        supporters: [b, c],
        comment: { authorId: b, body: "Nous avons le même problème pour l'équipe de nuit : nous serions utilisateurs." },
      },
      {
        authorId: b,
        themeId: theme(0),
        title: "Un plateau technique partagé pour former les régleurs",
        problem: "Former un régleur sur nos machines immobilise la production ; les centres de formation sont à plus d'une heure.",
        proposedAction: "Équiper un plateau technique au lycée professionnel du territoire, ouvert aux entreprises le soir pour des formations courtes.",
        expectedPartners: "Lycée professionnel, OPCO, Région",
        roughBudgetEuros: 150000,
        status: "under_review" as const,
        createdAt: days(30),
        score: 13,
        criteria: ["theme", "demand", "partners"],
        answer: "Le comité examine le financement avec la Région avant sa prochaine séance.",
        supporters: [a],
        comment: { authorId: c, body: "La plasturgie aurait aussi besoin de créneaux sur ce plateau." },
      },
      {
        authorId: c,
        themeId: theme(2),
        title: "Une prime à l'installation des jeunes ingénieurs",
        problem: "Les jeunes ingénieurs refusent nos postes faute de logement et d'emploi pour leur conjoint.",
        proposedAction: "Une prime de 5 000 € versée par l'intercommunalité à chaque ingénieur qui s'installe sur le territoire.",
        expectedPartners: null,
        roughBudgetEuros: 100000,
        status: "rejected" as const,
        createdAt: days(60),
        score: 6,
        criteria: ["demand"],
        answer:
          "Le comité ne retient pas une prime individuelle, que la loi réserve à d'autres dispositifs. Il propose de traiter le besoin par l'accueil des nouveaux salariés et de leur famille (action du plan sur l'attractivité).",
        supporters: [],
        comment: null,
      },
    ];
    for (const it of items) {
      const { supporters, comment, ...values } = it;
      const [p] = await tx
        .insert(proposals)
        .values({ territoryId: demo.id, ...values, evaluatedAt: "score" in values ? days(3) : null, updatedAt: values.createdAt })
        .returning({ id: proposals.id });
      for (const userId of supporters) await tx.insert(proposalSupports).values({ territoryId: demo.id, proposalId: p.id, userId });
      if (comment) await tx.insert(proposalComments).values({ territoryId: demo.id, proposalId: p.id, ...comment, at: days(2) });
      await recordAudit(tx, system, { territoryId: demo.id, action: "create", entity: "proposal", entityId: p.id, after: { title: values.title, status: values.status, origin: "démonstration" } });
    }
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
