import type { ACTION_STATUSES, VISIBILITIES } from "./schema.ts";

export type ActionStatus = (typeof ACTION_STATUSES)[number];
export type Visibility = (typeof VISIBILITIES)[number];

/** French labels of the action statuses, in the order of a plan's life. */
export const STATUS_LABELS: Record<ActionStatus, string> = {
  planned: "À venir",
  in_progress: "En cours",
  done: "Réalisée",
  paused: "En pause",
  abandoned: "Abandonnée",
};

export const VISIBILITY_LABELS: Record<Visibility, string> = {
  draft: "Brouillon",
  published: "Publié",
  confidential: "Confidentiel",
};

/** The partnership mark of the plan's legend. */
export const JOINT_MARK = "◆";

/** Only published content reaches the public portal and the open API. */
export const isPublic = (v: { visibility: Visibility; archivedAt: Date | null }) => v.visibility === "published" && v.archivedAt === null;

/** The next free action number of a plan (numbers are never reused, archived ones included). */
export function nextActionNumber(existing: number[]): number {
  return existing.reduce((m, n) => Math.max(m, n), 0) + 1;
}

/** New positions after moving one item up or down in an ordered list; null when it cannot move. */
export function moveInOrder<T extends { id: number }>(items: T[], id: number, direction: "up" | "down"): { id: number; position: number }[] | null {
  const index = items.findIndex((i) => i.id === id);
  const target = direction === "up" ? index - 1 : index + 1;
  if (index < 0 || target < 0 || target >= items.length) return null;
  const order = items.map((i) => i.id);
  [order[index], order[target]] = [order[target], order[index]];
  return order.map((itemId, position) => ({ id: itemId, position }));
}

/** Shown where the source gives no status. */
export const STATUS_UNKNOWN_LABEL = "Statut non renseigné";

/** The French label of a status (or of its absence). */
export const statusLabel = (s: ActionStatus | null) => (s ? STATUS_LABELS[s] : STATUS_UNKNOWN_LABEL);

/** Counts of actions by status, in label order, the unknown last when there are any. */
export function countByStatus(actions: { status: ActionStatus | null }[]): { status: ActionStatus | null; label: string; count: number }[] {
  const known = (Object.keys(STATUS_LABELS) as ActionStatus[]).map((status) => ({
    status: status as ActionStatus | null,
    label: STATUS_LABELS[status],
    count: actions.filter((a) => a.status === status).length,
  }));
  const unknown = actions.filter((a) => a.status === null).length;
  return unknown ? [...known, { status: null, label: STATUS_UNKNOWN_LABEL, count: unknown }] : known;
}

/** "1 action", "2 actions" — French plural for counts. */
export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString("fr-FR")} ${n > 1 ? many : one}`;
}

/** What committee members and funders read besides the public plan: confidential items, never drafts. */
export const FOLLOW_UP_VISIBILITIES: readonly Visibility[] = ["published", "confidential"];

/**
 * An action as the authorization rules see it: who leads it, which intercommunalités are its
 * partners, whether it is joint (◆). Agents limited to one intercommunalité are judged on this.
 */
export interface ActionSubject {
  leadAuthorityId: number | null;
  partnerAuthorityIds: number[];
  joint: boolean;
}

/** The subject of an action of the plan tree (or of any record with its lead and partners). */
export function actionSubject(a: { lead?: { id: number } | null; leadAuthorityId?: number | null; partners: { authorityId: number | null }[]; joint: boolean }): ActionSubject {
  return {
    leadAuthorityId: a.leadAuthorityId !== undefined ? a.leadAuthorityId : (a.lead?.id ?? null),
    partnerAuthorityIds: a.partners.flatMap((p) => (p.authorityId === null ? [] : [p.authorityId])),
    joint: a.joint,
  };
}
