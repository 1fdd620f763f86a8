// What Mon espace shows a person: only their own records (and their company's participation).
import { and, desc, eq, isNull, or } from "drizzle-orm";
import type { Db } from "../../../core/db/client.ts";
import { memberships } from "../../../core/db/schema.ts";
import { proposals, questions } from "../schema.ts";

/** The person's memberships in the territory (active roles and pending requests). */
export async function membershipsOf(db: Db, territoryId: number, userId: number) {
  return db.select({ role: memberships.role, status: memberships.status }).from(memberships).where(and(eq(memberships.territoryId, territoryId), eq(memberships.userId, userId)));
}

/** The proposals the person wrote in the territory, newest first. */
export async function proposalsOf(db: Db, territoryId: number, userId: number) {
  return db
    .select({ id: proposals.id, title: proposals.title, status: proposals.status, createdAt: proposals.createdAt, answer: proposals.answer })
    .from(proposals)
    .where(and(eq(proposals.territoryId, territoryId), eq(proposals.authorId, userId)))
    .orderBy(desc(proposals.createdAt));
}

/** The questions the person asked in the territory (signed in, or from the public form with their address), newest first. */
export async function questionsOf(db: Db, territoryId: number, user: { id: number; email: string }) {
  return db
    .select({ id: questions.id, subject: questions.subject, body: questions.body, status: questions.status, answer: questions.answer, answeredAt: questions.answeredAt, createdAt: questions.createdAt })
    .from(questions)
    .where(and(eq(questions.territoryId, territoryId), or(eq(questions.userId, user.id), and(isNull(questions.userId), eq(questions.email, user.email)))))
    .orderBy(desc(questions.createdAt));
}
