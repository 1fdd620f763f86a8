import { and, asc, eq, isNull } from "drizzle-orm";
import type { Tx } from "../../../core/db/client.ts";
import { actions, objectives, themes } from "../schema.ts";
import { shorten } from "./errors.ts";

// The three kinds of plan items share reorder and archive commands; this says how to reach each.

export type PlanItemKind = "theme" | "objective" | "action";

export interface PlanItem {
  id: number;
  /** The theme of an objective, the objective of an action; null for a theme. */
  parentId: number | null;
  position: number;
  archivedAt: Date | null;
  /** French: "la thématique ATTIRER", "l'objectif « … »", "l'action 12". */
  label: string;
}

/** Capitalises a French label for the start of a sentence. */
export const sentence = (label: string) => label.charAt(0).toUpperCase() + label.slice(1);

/** One item of the territory, or undefined (another territory's id reads as absent). */
export async function findPlanItem(tx: Tx, territoryId: number, kind: PlanItemKind, id: number): Promise<PlanItem | undefined> {
  if (kind === "theme") {
    const [t] = await tx.select().from(themes).where(and(eq(themes.id, id), eq(themes.territoryId, territoryId)));
    return t && { id: t.id, parentId: null, position: t.position, archivedAt: t.archivedAt, label: `la thématique ${t.code}` };
  }
  if (kind === "objective") {
    const [o] = await tx.select().from(objectives).where(and(eq(objectives.id, id), eq(objectives.territoryId, territoryId)));
    return o && { id: o.id, parentId: o.themeId, position: o.position, archivedAt: o.archivedAt, label: `l'objectif « ${shorten(o.title)} »` };
  }
  const [a] = await tx.select().from(actions).where(and(eq(actions.id, id), eq(actions.territoryId, territoryId)));
  return a && { id: a.id, parentId: a.objectiveId, position: a.position, archivedAt: a.archivedAt, label: `l'action ${a.number}` };
}

/** The live siblings of an item in display order (the order of the plan tree). */
export async function liveSiblings(tx: Tx, territoryId: number, kind: PlanItemKind, parentId: number | null): Promise<{ id: number; position: number }[]> {
  if (kind === "theme") {
    return tx
      .select({ id: themes.id, position: themes.position })
      .from(themes)
      .where(and(eq(themes.territoryId, territoryId), isNull(themes.archivedAt)))
      .orderBy(asc(themes.position), asc(themes.id));
  }
  if (kind === "objective") {
    return tx
      .select({ id: objectives.id, position: objectives.position })
      .from(objectives)
      .where(and(eq(objectives.territoryId, territoryId), eq(objectives.themeId, parentId!), isNull(objectives.archivedAt)))
      .orderBy(asc(objectives.position), asc(objectives.id));
  }
  return tx
    .select({ id: actions.id, position: actions.position })
    .from(actions)
    .where(and(eq(actions.territoryId, territoryId), eq(actions.objectiveId, parentId!), isNull(actions.archivedAt)))
    .orderBy(asc(actions.position), asc(actions.number));
}

/** Sets the position of one item of the territory. */
export async function setPosition(tx: Tx, territoryId: number, kind: PlanItemKind, id: number, position: number): Promise<void> {
  if (kind === "theme") await tx.update(themes).set({ position }).where(and(eq(themes.id, id), eq(themes.territoryId, territoryId)));
  else if (kind === "objective") await tx.update(objectives).set({ position }).where(and(eq(objectives.id, id), eq(objectives.territoryId, territoryId)));
  else await tx.update(actions).set({ position }).where(and(eq(actions.id, id), eq(actions.territoryId, territoryId)));
}
