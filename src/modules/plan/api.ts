// The plan module's public surface for other modules.
import type { Tx } from "../../core/db/client.ts";
import type { ActionStatus, Visibility } from "./model.ts";
import { actionPartners, actions, objectives, themes } from "./schema.ts";

export { loadPlanTree, flattenActions, type ThemeNode, type ObjectiveNode, type ActionNode } from "./queries/plan-tree.ts";
export * from "./followup-model.ts";
export { loadActionFigures, type ActionFigures } from "./queries/follow-up-figures.ts";
export { loadActionSheet, SHEET_VISIBILITIES, type ActionSheet, type SheetLevel, type SheetIndicator } from "./queries/action-sheet.ts";
export { searchPlan, type SearchHit } from "./queries/search.ts";
export { STATUS_LABELS, VISIBILITY_LABELS, statusLabel, JOINT_MARK, type ActionStatus, type Visibility } from "./model.ts";

export interface PlanSeed {
  themes: {
    code: string;
    title: string;
    description?: string | null;
    priorityN?: number | null;
    priorityInferred?: boolean;
    objectives: {
      title: string;
      description?: string | null;
      visibility?: Visibility;
      actions: {
        n: number;
        title: string;
        description?: string | null;
        status?: ActionStatus | null;
        visibility?: Visibility;
        leadAuthorityId: number | null;
        joint: boolean;
        communeCode?: string | null;
        partners: { name: string; authorityId: number | null }[];
      }[];
    }[];
  }[];
}

/** Inserts a whole plan for a new territory (seeds, imports), in the caller's transaction. */
export async function insertPlan(tx: Tx, territoryId: number, plan: PlanSeed): Promise<void> {
  let themePos = 0;
  for (const t of plan.themes) {
    const [theme] = await tx
      .insert(themes)
      .values({ territoryId, code: t.code, title: t.title, description: t.description ?? null, priorityN: t.priorityN ?? null, priorityInferred: t.priorityInferred ?? false, position: themePos++ })
      .returning({ id: themes.id });
    let objPos = 0;
    for (const o of t.objectives) {
      const [objective] = await tx
        .insert(objectives)
        .values({ territoryId, themeId: theme.id, title: o.title, description: o.description ?? null, visibility: o.visibility ?? "published", position: objPos++ })
        .returning({ id: objectives.id });
      let actPos = 0;
      for (const a of o.actions) {
        const [action] = await tx
          .insert(actions)
          .values({
            territoryId,
            objectiveId: objective.id,
            number: a.n,
            title: a.title,
            description: a.description ?? null,
            status: a.status ?? null,
            visibility: a.visibility ?? "published",
            leadAuthorityId: a.leadAuthorityId,
            joint: a.joint,
            communeCode: a.communeCode ?? null,
            position: actPos++,
          })
          .returning({ id: actions.id });
        if (a.partners.length) {
          await tx.insert(actionPartners).values(a.partners.map((p, i) => ({ territoryId, actionId: action.id, authorityId: p.authorityId, name: p.name, position: i })));
        }
      }
    }
  }
}

// The plan's tables, for the modules that read or extend the follow-up (reports, governance,
// participation): they read them; writes to the plan go through this module's commands.
export {
  themes,
  objectives,
  actions,
  actionPartners,
  actionPilots,
  milestones,
  statusChanges,
  budgetLines,
  financingLines,
  actionNotes,
  actionDocuments,
  actionLinks,
  actionIndicators,
  indicatorTargets,
  digestPreferences,
  ACTION_STATUSES,
  VISIBILITIES,
  PRIORITIES,
  PROGRESS_MODES,
  COST_NATURES,
  FUNDER_KINDS,
} from "./schema.ts";
