import { and, count, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../../core/db/client.ts";
import { FOLLOW_UP_VISIBILITIES, type ActionStatus } from "../model.ts";
import { actions, objectives, themes } from "../schema.ts";

/** The follow-up figures of one territory: live actions that committee members and funders read. */
export interface FollowUpCounts {
  territoryId: number;
  total: number;
  /** Per status; `unknown` counts the actions without a status. */
  byStatus: Record<ActionStatus | "unknown", number>;
  joint: number;
  confidential: number;
}

const emptyCounts = (territoryId: number): FollowUpCounts => ({
  territoryId,
  total: 0,
  byStatus: { planned: 0, in_progress: 0, done: 0, paused: 0, abandoned: 0, unknown: 0 },
  joint: 0,
  confidential: 0,
});

/**
 * Follow-up figures of several territories in one query, with the rules of the follow-up tree:
 * live actions, published or confidential, whose objective and theme are live and not drafts.
 */
export async function followUpCounts(db: Db, territoryIds: number[]): Promise<Map<number, FollowUpCounts>> {
  const out = new Map(territoryIds.map((id) => [id, emptyCounts(id)]));
  if (!territoryIds.length) return out;
  const visible = [...FOLLOW_UP_VISIBILITIES];
  const rows = await db
    .select({ territoryId: actions.territoryId, status: actions.status, joint: actions.joint, visibility: actions.visibility, n: count() })
    .from(actions)
    .innerJoin(objectives, and(eq(objectives.id, actions.objectiveId), eq(objectives.territoryId, actions.territoryId)))
    .innerJoin(themes, and(eq(themes.id, objectives.themeId), eq(themes.territoryId, actions.territoryId)))
    .where(
      and(
        inArray(actions.territoryId, territoryIds),
        isNull(actions.archivedAt),
        isNull(objectives.archivedAt),
        isNull(themes.archivedAt),
        inArray(actions.visibility, visible),
        inArray(objectives.visibility, visible),
        inArray(themes.visibility, visible),
      ),
    )
    .groupBy(actions.territoryId, actions.status, actions.joint, actions.visibility);
  for (const r of rows) {
    const c = out.get(r.territoryId);
    if (!c) continue;
    const n = Number(r.n);
    c.total += n;
    c.byStatus[r.status ?? "unknown"] += n;
    if (r.joint) c.joint += n;
    if (r.visibility === "confidential") c.confidential += n;
  }
  return out;
}
