import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../../core/db/client.ts";
import { territoryAuthorities } from "../../territories/api.ts";
import type { ActionStatus, Visibility } from "../model.ts";
import { actionPartners, actions, objectives, themes } from "../schema.ts";

export interface AuthorityRef {
  id: number;
  name: string;
  shortName: string | null;
  siren: string;
}

export interface ActionNode {
  id: number;
  number: number;
  title: string;
  description: string | null;
  status: ActionStatus | null;
  visibility: Visibility;
  joint: boolean;
  communeCode: string | null;
  lead: AuthorityRef | null;
  partners: { name: string; authorityId: number | null }[];
  objectiveId: number;
  themeId: number;
  position: number;
  archivedAt: Date | null;
  updatedAt: Date;
}

export interface ObjectiveNode {
  id: number;
  title: string;
  description: string | null;
  position: number;
  visibility: Visibility;
  archivedAt: Date | null;
  actions: ActionNode[];
}

export interface ThemeNode {
  id: number;
  code: string;
  title: string;
  description: string | null;
  priorityN: number | null;
  priorityInferred: boolean;
  position: number;
  visibility: Visibility;
  archivedAt: Date | null;
  objectives: ObjectiveNode[];
}

export interface PlanTreeOptions {
  /** Published, live content only: the public portal, the open API and the CSV. */
  public: boolean;
  /** Keep only items of these visibilities (e.g. the follow-up: published and confidential); all when absent. */
  visibilities?: readonly Visibility[];
  /** Archived items too (never with `public`). */
  includeArchived?: boolean;
}

/**
 * The plan of a territory as a tree. `public` keeps only published, live content; `visibilities`
 * keeps only the items of those visibilities. Either way an action whose objective or theme is
 * filtered out goes with it. Archived items, and actions withdrawn by an amendment, are included only
 * when asked (never for `public`).
 */
export async function loadPlanTree(db: Db, territoryId: number, opts: PlanTreeOptions): Promise<ThemeNode[]> {
  const live = opts.public || !opts.includeArchived;
  const allowed: readonly Visibility[] | undefined = opts.public ? ["published"] : opts.visibilities;
  const pub = <T extends { visibility: Visibility; archivedAt: Date | null }>(x: T) => !allowed || allowed.includes(x.visibility);
  const [themeRows, objectiveRows, actionRows, authorityRows] = await Promise.all([
    db.select().from(themes).where(and(eq(themes.territoryId, territoryId), live ? isNull(themes.archivedAt) : undefined)).orderBy(asc(themes.position), asc(themes.id)),
    db.select().from(objectives).where(and(eq(objectives.territoryId, territoryId), live ? isNull(objectives.archivedAt) : undefined)).orderBy(asc(objectives.position), asc(objectives.id)),
    db.select().from(actions).where(and(eq(actions.territoryId, territoryId), live ? and(isNull(actions.archivedAt), isNull(actions.withdrawnAt)) : undefined)).orderBy(asc(actions.position), asc(actions.number)),
    db.select().from(territoryAuthorities).where(eq(territoryAuthorities.territoryId, territoryId)),
  ]);
  const actionIds = actionRows.map((a) => a.id);
  const partnerRows = actionIds.length
    ? await db.select().from(actionPartners).where(and(eq(actionPartners.territoryId, territoryId), inArray(actionPartners.actionId, actionIds))).orderBy(asc(actionPartners.position))
    : [];
  const authorities = new Map(authorityRows.map((a) => [a.id, { id: a.id, name: a.name, shortName: a.shortName, siren: a.siren }]));
  const partnersByAction = new Map<number, { name: string; authorityId: number | null }[]>();
  for (const p of partnerRows) {
    const list = partnersByAction.get(p.actionId) ?? [];
    list.push({ name: p.name, authorityId: p.authorityId });
    partnersByAction.set(p.actionId, list);
  }
  const objectiveTheme = new Map(objectiveRows.map((o) => [o.id, o.themeId]));
  const actionsByObjective = new Map<number, ActionNode[]>();
  for (const a of actionRows) {
    if (!pub(a)) continue;
    const list = actionsByObjective.get(a.objectiveId) ?? [];
    list.push({
      id: a.id,
      number: a.number,
      title: a.title,
      description: a.description,
      status: a.status,
      visibility: a.visibility,
      joint: a.joint,
      communeCode: a.communeCode,
      lead: a.leadAuthorityId ? (authorities.get(a.leadAuthorityId) ?? null) : null,
      partners: partnersByAction.get(a.id) ?? [],
      objectiveId: a.objectiveId,
      themeId: objectiveTheme.get(a.objectiveId) ?? 0,
      position: a.position,
      archivedAt: a.archivedAt,
      updatedAt: a.updatedAt,
    });
    actionsByObjective.set(a.objectiveId, list);
  }
  const objectivesByTheme = new Map<number, ObjectiveNode[]>();
  for (const o of objectiveRows) {
    if (!pub(o)) continue;
    const list = objectivesByTheme.get(o.themeId) ?? [];
    list.push({ id: o.id, title: o.title, description: o.description, position: o.position, visibility: o.visibility, archivedAt: o.archivedAt, actions: actionsByObjective.get(o.id) ?? [] });
    objectivesByTheme.set(o.themeId, list);
  }
  return themeRows.filter(pub).map((t) => ({
    id: t.id,
    code: t.code,
    title: t.title,
    description: t.description,
    priorityN: t.priorityN,
    priorityInferred: t.priorityInferred,
    position: t.position,
    visibility: t.visibility,
    archivedAt: t.archivedAt,
    objectives: objectivesByTheme.get(t.id) ?? [],
  }));
}

/** Every action of a tree, in plan order. */
export function flattenActions(tree: ThemeNode[]): (ActionNode & { theme: ThemeNode; objective: ObjectiveNode })[] {
  return tree.flatMap((theme) => theme.objectives.flatMap((objective) => objective.actions.map((a) => ({ ...a, theme, objective }))));
}

/** One action with its place in the plan; undefined when absent from this territory (or not public). */
export async function loadAction(db: Db, territoryId: number, actionId: number, opts: { public: boolean }) {
  const tree = await loadPlanTree(db, territoryId, { public: opts.public, includeArchived: !opts.public });
  return flattenActions(tree).find((a) => a.id === actionId);
}
