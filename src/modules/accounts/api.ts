import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../core/db/client.ts";
import { oneTimeTokens } from "../../core/db/schema.ts";
import { randomToken, sha256 } from "../../core/auth/session.ts";
import { countUsers } from "./commands/users.ts";

export { createUser, countUsers, emailSchema, newPasswordSchema, UserInputError } from "./commands/users.ts";

/**
 * When no account exists, makes a one-time link to create the first platform admin (the
 * previous unused link stops working). Returns undefined once an account exists.
 */
export async function firstAdminLink(database: Database, baseUrl: string): Promise<string | undefined> {
  return database.db.transaction(async (tx) => {
    if ((await countUsers(tx)) > 0) return undefined;
    await tx.delete(oneTimeTokens).where(and(eq(oneTimeTokens.purpose, "first_admin"), isNull(oneTimeTokens.usedAt)));
    const token = randomToken();
    await tx.insert(oneTimeTokens).values({ tokenHash: sha256(token), purpose: "first_admin", expiresAt: new Date(Date.now() + 86400_000) });
    return `${baseUrl}/installation/${token}`;
  });
}
