// Use cases of the questions: the public form, the inbox (assignment, answer, closing) and the FAQ.
import { and, asc, count, desc, eq, gt, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db, Tx } from "../../../core/db/client.ts";
import { memberships, users } from "../../../core/db/schema.ts";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import { themes } from "../../plan/api.ts";
import { questions } from "../schema.ts";
import { ConflictError, FormError, NotFoundError } from "../proposals/errors.ts";
import { answerRefusal, assignRefusal, closeRefusal, identityLeaks, publishRefusal, stateAfterAssign, type QuestionState } from "./model.ts";

export type QuestionRow = typeof questions.$inferSelect;

export interface QuestionInput {
  name: string;
  email: string;
  companyName: string | null;
  subject: string;
  themeId: number | null;
  body: string;
}

/** Questions accepted from one e-mail address in an hour, on top of the per-address request limit. */
export const MAX_PER_EMAIL_PER_HOUR = 3;

/** How many questions this address sent in the last hour, in this territory. */
export async function recentQuestionsFrom(db: Db | Tx, territoryId: number, email: string): Promise<number> {
  const [r] = await db
    .select({ n: count() })
    .from(questions)
    .where(and(eq(questions.territoryId, territoryId), sql`lower(${questions.email}) = ${email.toLowerCase()}`, gt(questions.createdAt, new Date(Date.now() - 3600_000))));
  return Number(r?.n ?? 0);
}

/**
 * Records a question sent through the public form. Not audited (like the other anonymous forms):
 * an entry bumps the content version, which would let anyone empty every page cache; every later
 * step (assignment, answer, FAQ, closing) is audited.
 */
export async function createQuestion(tx: Tx, territoryId: number, userId: number | null, input: QuestionInput): Promise<QuestionRow> {
  if (input.themeId !== null) {
    const [t] = await tx.select({ id: themes.id, visibility: themes.visibility }).from(themes).where(and(eq(themes.id, input.themeId), eq(themes.territoryId, territoryId)));
    if (!t || t.visibility === "draft") throw new FormError({ themeId: "Choisissez une thématique dans la liste." });
  }
  const [row] = await tx.insert(questions).values({ territoryId, userId, ...input, status: "new" }).returning();
  return row;
}

async function lockQuestion(tx: Tx, territoryId: number, id: number): Promise<QuestionRow> {
  const [q] = await tx.select().from(questions).where(and(eq(questions.id, id), eq(questions.territoryId, territoryId))).for("update");
  if (!q) throw new NotFoundError();
  return q;
}

/** The agents and territory admins an inbox question may be assigned to. */
export async function assignableStaff(db: Db | Tx, territoryId: number): Promise<{ id: number; name: string }[]> {
  const rows = await db
    .selectDistinct({ id: users.id, name: users.displayName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.territoryId, territoryId), eq(memberships.status, "active"), inArray(memberships.role, ["agent", "territory_admin"])))
    .orderBy(asc(users.displayName), asc(users.id));
  return rows;
}

/** Assigns the question to one of the territory's staff (a new question becomes « attribuée »). */
export async function assignQuestion(tx: Tx, audit: AuditContext, territoryId: number, id: number, assigneeId: number, allowed: { id: number }[]): Promise<QuestionRow> {
  const q = await lockQuestion(tx, territoryId, id);
  const refusal = assignRefusal(q.status);
  if (refusal) throw new ConflictError(refusal);
  if (!allowed.some((s) => s.id === assigneeId)) throw new FormError({ assigneeId: "Choisissez un agent du territoire dans la liste." });
  const status = stateAfterAssign(q.status);
  await tx.update(questions).set({ assigneeId, status }).where(eq(questions.id, q.id));
  await recordAudit(tx, audit, { territoryId, action: "update", entity: "question", entityId: q.id, before: { assigneeId: q.assigneeId, status: q.status }, after: { assigneeId, status } });
  return { ...q, assigneeId, status };
}

/** Records the answer (sent by e-mail by the caller once committed); the question becomes « répondue ». */
export async function answerQuestion(tx: Tx, audit: AuditContext, territoryId: number, id: number, userId: number, answer: string): Promise<QuestionRow> {
  const q = await lockQuestion(tx, territoryId, id);
  const refusal = answerRefusal(q.status);
  if (refusal) throw new ConflictError(refusal);
  const at = new Date();
  await tx.update(questions).set({ answer, answeredBy: userId, answeredAt: at, status: "answered", assigneeId: q.assigneeId ?? userId }).where(eq(questions.id, q.id));
  await recordAudit(tx, audit, { territoryId, action: "state", entity: "question", entityId: q.id, before: { status: q.status }, after: { status: "answered", answer } });
  return { ...q, answer, answeredBy: userId, answeredAt: at, status: "answered" };
}

/** Publishes the question, reworded, and its answer in the public FAQ; refuses a text that names the asker. */
export async function publishInFaq(tx: Tx, audit: AuditContext, territoryId: number, id: number, faqQuestion: string): Promise<boolean> {
  const q = await lockQuestion(tx, territoryId, id);
  const refusal = publishRefusal(q);
  if (refusal) throw new ConflictError(refusal);
  const leaks = identityLeaks(faqQuestion, q);
  if (leaks.length) throw new FormError({ faqQuestion: `La question publiée ne doit pas permettre de reconnaître la personne : elle cite ${leaks.join(", ")}. Reformulez-la.` });
  const answerLeaks = identityLeaks(q.answer ?? "", q);
  if (answerLeaks.length) throw new ConflictError(`La réponse envoyée cite ${answerLeaks.join(", ")} de la personne : elle ne peut pas être publiée telle quelle dans la FAQ.`);
  if (q.faqPublishedAt && q.faqQuestion === faqQuestion) return false;
  const at = q.faqPublishedAt ?? new Date();
  await tx.update(questions).set({ faqQuestion, faqPublishedAt: at }).where(eq(questions.id, q.id));
  await recordAudit(tx, audit, { territoryId, action: "update", entity: "question", entityId: q.id, before: { faqQuestion: q.faqQuestion, faqPublishedAt: q.faqPublishedAt }, after: { faqQuestion, faqPublishedAt: at } });
  return true;
}

/** Takes the question out of the FAQ. */
export async function unpublishFromFaq(tx: Tx, audit: AuditContext, territoryId: number, id: number): Promise<void> {
  const q = await lockQuestion(tx, territoryId, id);
  if (!q.faqPublishedAt) throw new ConflictError("Cette question n'est pas publiée dans la FAQ.");
  await tx.update(questions).set({ faqPublishedAt: null }).where(eq(questions.id, q.id));
  await recordAudit(tx, audit, { territoryId, action: "update", entity: "question", entityId: q.id, before: { faqPublishedAt: q.faqPublishedAt }, after: { faqPublishedAt: null } });
}

/** Closes the question (answered, or left without answer: spam, out of scope). */
export async function closeQuestion(tx: Tx, audit: AuditContext, territoryId: number, id: number): Promise<void> {
  const q = await lockQuestion(tx, territoryId, id);
  const refusal = closeRefusal(q.status);
  if (refusal) throw new ConflictError(refusal);
  await tx.update(questions).set({ status: "closed" }).where(eq(questions.id, q.id));
  await recordAudit(tx, audit, { territoryId, action: "state", entity: "question", entityId: q.id, before: { status: q.status }, after: { status: "closed" } });
}

export interface InboxItem {
  id: number;
  subject: string;
  name: string;
  companyName: string | null;
  status: QuestionState;
  createdAt: Date;
  themeTitle: string | null;
  assigneeName: string | null;
  inFaq: boolean;
}

/** The service's inbox, newest first, optionally one state. */
export async function listInbox(db: Db, territoryId: number, status?: QuestionState): Promise<InboxItem[]> {
  const assignee = sql<string | null>`(select display_name from users where users.id = ${questions.assigneeId})`;
  const rows = await db
    .select({
      id: questions.id,
      subject: questions.subject,
      name: questions.name,
      companyName: questions.companyName,
      status: questions.status,
      createdAt: questions.createdAt,
      themeTitle: themes.title,
      assigneeName: assignee,
      faq: questions.faqPublishedAt,
    })
    .from(questions)
    .leftJoin(themes, eq(themes.id, questions.themeId))
    .where(status ? and(eq(questions.territoryId, territoryId), eq(questions.status, status)) : eq(questions.territoryId, territoryId))
    .orderBy(desc(questions.createdAt), desc(questions.id));
  return rows.map(({ faq, ...r }) => ({ ...r, inFaq: faq !== null }));
}

/** One question of the territory, with its theme and the names of who handles it. */
export async function loadQuestion(db: Db, territoryId: number, id: number) {
  const [q] = await db.select().from(questions).where(and(eq(questions.id, id), eq(questions.territoryId, territoryId)));
  if (!q) return undefined;
  const ids = [q.assigneeId, q.answeredBy].filter((x): x is number => x !== null);
  const names = ids.length ? await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids)) : [];
  const [theme] = q.themeId ? await db.select({ title: themes.title, code: themes.code }).from(themes).where(eq(themes.id, q.themeId)) : [];
  const nameOf = (x: number | null) => names.find((n) => n.id === x)?.name ?? null;
  return { row: q, theme: theme ?? null, assigneeName: nameOf(q.assigneeId), answeredByName: nameOf(q.answeredBy) };
}

export interface FaqEntry {
  id: number;
  question: string;
  answer: string;
  themeTitle: string | null;
  themeCode: string | null;
  publishedAt: Date;
}

/** The public FAQ: published entries only, never the asker's identity (only the reworded question and the answer are read). */
export async function listFaq(db: Db, territoryId: number): Promise<FaqEntry[]> {
  const rows = await db
    .select({ id: questions.id, question: questions.faqQuestion, answer: questions.answer, themeTitle: themes.title, themeCode: themes.code, publishedAt: questions.faqPublishedAt, themeVisibility: themes.visibility })
    .from(questions)
    .leftJoin(themes, eq(themes.id, questions.themeId))
    .where(and(eq(questions.territoryId, territoryId), isNotNull(questions.faqPublishedAt), isNotNull(questions.faqQuestion), isNotNull(questions.answer)))
    .orderBy(sql`${themes.position} nulls last`, desc(questions.faqPublishedAt), desc(questions.id));
  // A theme later turned back into a draft is not named publicly.
  const shown = (r: (typeof rows)[number]) => r.themeVisibility === "published";
  return rows.map((r) => ({ id: r.id, question: r.question!, answer: r.answer!, themeTitle: shown(r) ? r.themeTitle : null, themeCode: shown(r) ? r.themeCode : null, publishedAt: r.publishedAt! }));
}
