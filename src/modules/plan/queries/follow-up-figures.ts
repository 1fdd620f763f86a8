import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../core/db/client.ts";
import { actionLateness, actionProgress, parisToday, type ActionLateness } from "../followup-model.ts";
import { actions, budgetLines, financingLines, milestones } from "../schema.ts";

/** The follow-up figures of one action: progress, lateness, planned cost and financing (cents). */
export interface ActionFigures {
  actionId: number;
  progress: number | null;
  progressMode: "manual" | "milestones";
  lateness: ActionLateness;
  milestones: number;
  milestonesDone: number;
  plannedCost: number;
  requested: number;
  granted: number;
  paid: number;
}

/**
 * The figures of several actions of a territory in four queries (every milestone counted, whatever
 * its visibility: the figures are the same for every reader). `today` is a Paris calendar date.
 */
export async function loadActionFigures(db: Db, territoryId: number, actionIds: number[], today = parisToday()): Promise<Map<number, ActionFigures>> {
  const out = new Map<number, ActionFigures>();
  if (!actionIds.length) return out;
  const [actionRows, milestoneRows, budgetRows, financingRows] = await Promise.all([
    db
      .select({ id: actions.id, status: actions.status, progressMode: actions.progressMode, progressManual: actions.progressManual, plannedEndDate: actions.plannedEndDate })
      .from(actions)
      .where(and(eq(actions.territoryId, territoryId), inArray(actions.id, actionIds))),
    db.select({ actionId: milestones.actionId, dueDate: milestones.dueDate, doneDate: milestones.doneDate }).from(milestones).where(and(eq(milestones.territoryId, territoryId), inArray(milestones.actionId, actionIds))),
    db.select({ actionId: budgetLines.actionId, amountCents: budgetLines.amountCents }).from(budgetLines).where(and(eq(budgetLines.territoryId, territoryId), inArray(budgetLines.actionId, actionIds))),
    db
      .select({ actionId: financingLines.actionId, requested: financingLines.requestedCents, granted: financingLines.grantedCents, paid: financingLines.paidCents })
      .from(financingLines)
      .where(and(eq(financingLines.territoryId, territoryId), inArray(financingLines.actionId, actionIds))),
  ]);
  for (const a of actionRows) {
    const ms = milestoneRows.filter((m) => m.actionId === a.id);
    const fin = financingRows.filter((f) => f.actionId === a.id);
    const p = actionProgress({ progressMode: a.progressMode, progressManual: a.progressManual, status: a.status, milestones: ms });
    out.set(a.id, {
      actionId: a.id,
      progress: p.percent,
      progressMode: p.mode,
      lateness: actionLateness({ status: a.status, plannedEndDate: a.plannedEndDate, milestones: ms }, today),
      milestones: ms.length,
      milestonesDone: ms.filter((m) => m.doneDate).length,
      plannedCost: budgetRows.filter((b) => b.actionId === a.id).reduce((s, b) => s + b.amountCents, 0),
      requested: fin.reduce((s, f) => s + f.requested, 0),
      granted: fin.reduce((s, f) => s + f.granted, 0),
      paid: fin.reduce((s, f) => s + f.paid, 0),
    });
  }
  return out;
}
