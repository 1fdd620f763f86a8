// The questions' personal data are kept three years after the last step (answer, or receipt when
// unanswered), as the public form says; then the asker's name, address, company and message are
// erased. The subject, the answer and a FAQ entry (which never held the asker's identity) stay.
import { and, eq, isNotNull, lt, ne, or, sql } from "drizzle-orm";
import type { Database } from "../../../core/db/client.ts";
import { defineJob } from "../../../core/jobs/index.ts";
import { ANONYMOUS } from "../../../core/authz/index.ts";
import { recordAudit } from "../../../core/audit/index.ts";
import { questions } from "../schema.ts";

export const RETENTION_YEARS = 3;
export const ERASED_NAME = "Personne anonymisée";
const ERASED_EMAIL = "anonymise@collines.invalid";

/** Erases the personal data of the questions whose last step is older than the retention period. */
export async function eraseOldQuestions(database: Database, now = new Date()): Promise<string> {
  const limit = new Date(now);
  limit.setUTCFullYear(limit.getUTCFullYear() - RETENTION_YEARS);
  const n = await database.db.transaction(async (tx) => {
    const old = await tx
      .select({ id: questions.id, territoryId: questions.territoryId })
      .from(questions)
      .where(
        and(
          ne(questions.email, ERASED_EMAIL),
          or(and(isNotNull(questions.answeredAt), lt(questions.answeredAt, limit)), and(sql`${questions.answeredAt} is null`, lt(questions.createdAt, limit))),
        ),
      )
      .for("update");
    for (const q of old) {
      await tx.update(questions).set({ name: ERASED_NAME, email: ERASED_EMAIL, companyName: null, userId: null, body: "(message effacé au terme de la durée de conservation)" }).where(eq(questions.id, q.id));
      await recordAudit(tx, { actor: ANONYMOUS, role: "system" }, { territoryId: q.territoryId, action: "update", entity: "question", entityId: q.id, after: { name: ERASED_NAME, retention: `${RETENTION_YEARS} ans` } });
    }
    return old.length;
  });
  return `${n} question(s) de plus de ${RETENTION_YEARS} ans anonymisée(s).`;
}

defineJob({ name: "questions-conservation", lockKey: 730_151, everyMs: 24 * 3600_000, run: (database) => eraseOldQuestions(database) });
