import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { diff, recordAudit, type AuditContext } from "../../../core/audit/index.ts";
import type { Tx } from "../../../core/db/client.ts";
import type { FieldErrors } from "../../../core/forms/index.ts";
import { communes } from "../../geography/api.ts";
import { territoryAuthorities } from "../../territories/api.ts";
import type { ActionStatus, Visibility } from "../model.ts";
import { actionPartners, actions, objectives, themes } from "../schema.ts";
import { FormError, NotFoundError, shorten } from "./errors.ts";
import { recordStatusChange } from "./followup.ts";

export interface ActionInput {
  objectiveId: number;
  number: number;
  title: string;
  description: string | null;
  status: ActionStatus | null;
  visibility: Visibility;
  leadAuthorityId: number | null;
  joint: boolean;
  /** Authorities of the territory that are partners (never the lead). */
  partnerAuthorityIds: number[];
  /** Other partners by name, one per entry. */
  otherPartners: string[];
  communeCode: string | null;
}

export const MAX_OTHER_PARTNERS = 30;
export const MAX_PARTNER_NAME = 200;

/** Splits the "one partner a line" text: trimmed, blank lines and repeats dropped. */
export function partnerLines(text: string | null): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of (text ?? "").split(/\r?\n/)) {
    const line = raw.trim().replace(/\s+/g, " ");
    const key = line.toLocaleLowerCase("fr");
    if (!line || seen.has(key)) continue;
    seen.add(key);
    out.push(line);
  }
  return out;
}

/** The position after the last action of an objective. */
async function nextPosition(tx: Tx, territoryId: number, objectiveId: number): Promise<number> {
  const [{ next }] = await tx
    .select({ next: sql<number>`coalesce(max(${actions.position}), -1) + 1` })
    .from(actions)
    .where(and(eq(actions.territoryId, territoryId), eq(actions.objectiveId, objectiveId)));
  return Number(next);
}

/** The partners of an action as stored (authorities first, in the form's order). */
async function loadPartners(tx: Tx, territoryId: number, actionId: number) {
  return tx
    .select({ authorityId: actionPartners.authorityId, name: actionPartners.name })
    .from(actionPartners)
    .where(and(eq(actionPartners.territoryId, territoryId), eq(actionPartners.actionId, actionId)))
    .orderBy(asc(actionPartners.position));
}

/** Checks what only the database knows: the objective, number, authorities and commune belong to the territory. */
async function validate(tx: Tx, territoryId: number, before: typeof actions.$inferSelect | undefined, input: ActionInput) {
  const errors: FieldErrors = {};
  const [objective] = await tx
    .select({ id: objectives.id, archivedAt: objectives.archivedAt, themeArchivedAt: themes.archivedAt })
    .from(objectives)
    .innerJoin(themes, eq(themes.id, objectives.themeId))
    .where(and(eq(objectives.id, input.objectiveId), eq(objectives.territoryId, territoryId)));
  if (!objective) errors.objectiveId = "Choisissez un objectif de la liste.";
  else if ((objective.archivedAt || objective.themeArchivedAt) && before?.objectiveId !== objective.id)
    errors.objectiveId = "Cet objectif ou sa thématique est archivé : choisissez-en un autre, ou restaurez-le d'abord.";

  const [sameNumber] = await tx
    .select({ title: actions.title, archivedAt: actions.archivedAt })
    .from(actions)
    .where(and(eq(actions.territoryId, territoryId), eq(actions.number, input.number), before ? ne(actions.id, before.id) : undefined))
    .limit(1);
  if (sameNumber)
    errors.number = `Ce numéro est déjà utilisé par l'action « ${shorten(sameNumber.title, 80)} »${sameNumber.archivedAt ? " (archivée : les numéros ne sont jamais réutilisés)" : ""}.`;

  const auths = await tx.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, territoryId));
  const byId = new Map(auths.map((a) => [a.id, a]));
  if (input.leadAuthorityId !== null && !byId.has(input.leadAuthorityId)) errors.leadAuthorityId = "Choisissez un porteur de la liste.";
  if (input.partnerAuthorityIds.some((id) => !byId.has(id))) errors.partnerAuthorityIds = "Choisissez les partenaires parmi les intercommunalités proposées.";
  else if (input.leadAuthorityId !== null && input.partnerAuthorityIds.includes(input.leadAuthorityId))
    errors.partnerAuthorityIds = `${byId.get(input.leadAuthorityId)?.name ?? "Le porteur"} porte l'action : ne la cochez pas aussi comme partenaire.`;

  if (input.otherPartners.length > MAX_OTHER_PARTNERS) errors.otherPartners = `Indiquez au plus ${MAX_OTHER_PARTNERS} autres partenaires.`;
  else if (input.otherPartners.some((p) => p.length > MAX_PARTNER_NAME)) errors.otherPartners = `Chaque partenaire tient sur une ligne de ${MAX_PARTNER_NAME} caractères au plus.`;

  if (input.communeCode !== null) {
    const sirens = auths.map((a) => a.siren);
    const found = sirens.length
      ? await tx.select({ code: communes.code }).from(communes).where(and(eq(communes.code, input.communeCode), inArray(communes.epciSiren, sirens)))
      : [];
    if (!found.length) errors.communeCode = "Choisissez une commune du territoire dans la liste.";
  }
  if (Object.keys(errors).length) throw new FormError(errors);
  return byId;
}

/**
 * Creates an action (last of its objective) or updates one of the territory, with its partners, in
 * the caller's transaction. Moving it to another objective puts it last there. `changed` is false
 * when an update changes nothing (then nothing is written).
 */
export async function saveAction(
  tx: Tx,
  audit: AuditContext,
  territoryId: number,
  id: number | null,
  input: ActionInput,
  /** Said of the status change, if the status changes (kept in the status history). */
  statusComment: string | null = null,
): Promise<{ id: number; number: number; changed: boolean }> {
  const before = id === null ? undefined : (await tx.select().from(actions).where(and(eq(actions.id, id), eq(actions.territoryId, territoryId))).for("update"))[0];
  if (id !== null && !before) throw new NotFoundError();
  const authorities = await validate(tx, territoryId, before, input);

  const partners = [
    ...input.partnerAuthorityIds.map((authorityId) => ({ authorityId, name: authorities.get(authorityId)!.name })),
    ...input.otherPartners.map((name) => ({ authorityId: null as number | null, name })),
  ];
  const { partnerAuthorityIds: _ids, otherPartners: _names, ...fields } = input;
  const record = { ...fields, partners: partners.map((p) => p.name) };

  let actionId: number;
  if (!before) {
    const [row] = await tx
      .insert(actions)
      .values({ territoryId, ...fields, position: await nextPosition(tx, territoryId, input.objectiveId) })
      .returning({ id: actions.id });
    actionId = row.id;
    await recordStatusChange(tx, audit, territoryId, actionId, null, input.status, statusComment);
    await recordAudit(tx, audit, { territoryId, action: "create", entity: "action", entityId: actionId, after: record });
  } else {
    actionId = before.id;
    const oldPartners = await loadPartners(tx, territoryId, actionId);
    const changes = diff({ ...before, partners: oldPartners.map((p) => p.name) } as Record<string, unknown>, record);
    const partnersChanged = JSON.stringify(oldPartners) !== JSON.stringify(partners);
    if (!changes && !partnersChanged) return { id: actionId, number: before.number, changed: false };
    const position = before.objectiveId !== input.objectiveId ? await nextPosition(tx, territoryId, input.objectiveId) : before.position;
    await tx
      .update(actions)
      .set({ ...fields, position, updatedAt: new Date() })
      .where(and(eq(actions.id, actionId), eq(actions.territoryId, territoryId)));
    await recordStatusChange(tx, audit, territoryId, actionId, before.status, input.status, statusComment);
    if (partnersChanged) await tx.delete(actionPartners).where(and(eq(actionPartners.territoryId, territoryId), eq(actionPartners.actionId, actionId)));
    await recordAudit(tx, audit, {
      territoryId,
      action: "update",
      entity: "action",
      entityId: actionId,
      before: changes?.before ?? { partners: oldPartners.map((p) => p.name) },
      after: changes?.after ?? { partners: record.partners },
    });
    if (!partnersChanged) return { id: actionId, number: input.number, changed: true };
  }
  if (partners.length) await tx.insert(actionPartners).values(partners.map((p, i) => ({ territoryId, actionId, authorityId: p.authorityId, name: p.name, position: i })));
  return { id: actionId, number: input.number, changed: true };
}
