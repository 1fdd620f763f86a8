import { count, eq } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../../core/db/client.ts";
import { memberships, users, type Role } from "../../../core/db/schema.ts";
import { territories } from "../../territories/api.ts";
import { hashPassword, isCommonPassword, PASSWORD_MIN_LENGTH } from "../../../core/auth/password.ts";
import { recordAudit, type AuditContext } from "../../../core/audit/index.ts";

export const emailSchema = z
  .string({ error: "Indiquez une adresse électronique." })
  .trim()
  .toLowerCase()
  .max(254, { error: "L'adresse électronique est trop longue." })
  .pipe(z.email({ error: "Indiquez une adresse électronique valide, par exemple nom@exemple.fr." }));

export const newPasswordSchema = z
  .string({ error: "Choisissez un mot de passe." })
  .min(PASSWORD_MIN_LENGTH, { error: `Le mot de passe doit contenir au moins ${PASSWORD_MIN_LENGTH} caractères.` })
  .max(200, { error: "Le mot de passe ne doit pas dépasser 200 caractères." })
  .refine((p) => !isCommonPassword(p), { error: "Ce mot de passe fait partie des mots de passe les plus courants : choisissez-en un autre." });

export class UserInputError extends Error {}

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
  isPlatformAdmin?: boolean;
  membership?: { territorySlug: string; role: Role };
}

/** Creates an account (and optionally a role in a territory), with its audit entry. */
export async function createUser(tx: Tx, ctx: AuditContext, input: NewUser): Promise<{ id: number; email: string }> {
  const email = emailSchema.safeParse(input.email);
  if (!email.success) throw new UserInputError(email.error.issues[0].message);
  const password = newPasswordSchema.safeParse(input.password);
  if (!password.success) throw new UserInputError(password.error.issues[0].message);
  const displayName = input.displayName.trim();
  if (!displayName || displayName.length > 120) throw new UserInputError("Indiquez un nom (120 caractères au plus).");
  const existing = await tx.select({ id: users.id }).from(users).where(eq(users.email, email.data));
  if (existing.length) throw new UserInputError(`Un compte existe déjà pour ${email.data}.`);
  let territoryId: number | undefined;
  if (input.membership) {
    const t = await tx.select({ id: territories.id }).from(territories).where(eq(territories.slug, input.membership.territorySlug));
    if (!t.length) throw new UserInputError(`Territoire inconnu : ${input.membership.territorySlug}`);
    territoryId = t[0].id;
  }
  const [user] = await tx
    .insert(users)
    .values({ email: email.data, displayName, passwordHash: await hashPassword(password.data), isPlatformAdmin: input.isPlatformAdmin ?? false })
    .returning({ id: users.id, email: users.email });
  await recordAudit(tx, ctx, { action: "create", entity: "user", entityId: user.id, after: { email: user.email, displayName, isPlatformAdmin: input.isPlatformAdmin ?? false } });
  if (territoryId && input.membership) {
    await tx.insert(memberships).values({ userId: user.id, territoryId, role: input.membership.role });
    await recordAudit(tx, ctx, { territoryId, action: "create", entity: "membership", entityId: user.id, after: { userId: user.id, role: input.membership.role } });
  }
  return user;
}

/** The number of accounts (the first-start link exists only while there are none). */
export async function countUsers(tx: Tx): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(users);
  return Number(row.n);
}
