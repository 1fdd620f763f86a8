import type { RouteContext } from "../../../core/http/registry.ts";
import type { Tx } from "../../../core/db/client.ts";
import type { FieldErrors } from "../../../core/forms/index.ts";
import { FormError, NotFoundError } from "../commands/errors.ts";
import { INVITATION_DAYS, ROLE_LABELS } from "../model.ts";
import type { InvitationPayload } from "../commands/invitations.ts";

export type Ctx = RouteContext<any, any>;
export type Outcome<T> = { value: T } | { errors: FieldErrors } | { notFound: true };

/** Runs a command in one transaction and sorts its failures: bad input or absent record. */
export async function attempt<T>(ctx: Ctx, fn: (tx: Tx) => Promise<T>): Promise<Outcome<T>> {
  try {
    return { value: await ctx.database.db.transaction((tx) => fn(tx)) };
  } catch (e) {
    if (e instanceof FormError) return { errors: e.errors };
    if (e instanceof NotFoundError) return { notFound: true };
    throw e;
  }
}

/** Sends an invitation's e-mail (after its transaction has committed); false when sending failed. */
export async function sendInvitationMail(ctx: Ctx, token: string, payload: InvitationPayload, what: string): Promise<boolean> {
  const inviter = ctx.actor.user?.displayName ?? "L'équipe Collines";
  const link = `${ctx.config.baseUrl}/invitation/${token}`;
  const text =
    payload.role === "funder"
      ? `Bonjour,\n\n${inviter} vous donne accès, en lecture seule, au suivi de ${what} sur Collines (${payload.grant?.label ?? ""}).\n\nPour accepter, ouvrez ce lien (valable ${INVITATION_DAYS} jours, une seule fois) :\n\n${link}\n\nSi vous ne vous attendiez pas à ce message, ignorez-le.\n`
      : `Bonjour,\n\n${inviter} vous invite à rejoindre ${what} sur Collines, avec le rôle « ${ROLE_LABELS[payload.role]} ».\n\nPour accepter, ouvrez ce lien (valable ${INVITATION_DAYS} jours, une seule fois) :\n\n${link}\n\nSi vous avez déjà un compte avec cette adresse, vous vous connecterez pour accepter ; sinon vous créerez votre compte.\nSi vous ne vous attendiez pas à cette invitation, ignorez ce message.\n`;
  try {
    await ctx.mailer.send({ to: payload.email, subject: `Collines — invitation : ${what}`, text });
    return true;
  } catch (e) {
    ctx.req.log.error({ err: (e as Error).message }, "invitation mail not sent");
    return false;
  }
}

/** The flash message after an invitation was (or failed to be) sent. */
export const sentMessage = (email: string, sent: boolean) =>
  sent ? `Invitation envoyée à ${email}.` : `L'invitation pour ${email} est enregistrée mais le courriel n'a pas pu partir : utilisez « Renvoyer » un peu plus tard.`;
