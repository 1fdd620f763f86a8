// Reads of proposals, always scoped to the territory of the URL.
import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "../../../core/db/client.ts";
import { users } from "../../../core/db/schema.ts";
import { actions, objectives, themes } from "../../plan/api.ts";
import { decisions, meetings } from "../../governance/api.ts";
import { companies } from "../../companies/api.ts";
import { notificationPreferences, proposalComments, proposals, proposalSupports } from "../schema.ts";
import type { ProposalState } from "./model.ts";

export interface ProposalListItem {
  id: number;
  title: string;
  status: ProposalState;
  themeTitle: string | null;
  createdAt: Date;
  supports: number;
  comments: number;
  score: number | null;
  hidden: boolean;
}

/** The territory's proposals, newest first, with their support and visible comment counts. */
export async function listProposals(db: Db, territoryId: number, filter: { status?: ProposalState; themeId?: number; withHidden?: boolean } = {}): Promise<ProposalListItem[]> {
  const conditions = [eq(proposals.territoryId, territoryId)];
  if (!filter.withHidden) conditions.push(eq(proposals.visibility, "published"));
  if (filter.status) conditions.push(eq(proposals.status, filter.status));
  if (filter.themeId) conditions.push(eq(proposals.themeId, filter.themeId));
  const rows = await db
    .select({ id: proposals.id, title: proposals.title, status: proposals.status, themeTitle: themes.title, createdAt: proposals.createdAt, score: proposals.score, hidden: sql<boolean>`${proposals.visibility} <> 'published'` })
    .from(proposals)
    .leftJoin(themes, eq(themes.id, proposals.themeId))
    .where(and(...conditions))
    .orderBy(desc(proposals.createdAt), desc(proposals.id));
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [supports, comments] = await Promise.all([
    db.select({ id: proposalSupports.proposalId, n: count() }).from(proposalSupports).where(inArray(proposalSupports.proposalId, ids)).groupBy(proposalSupports.proposalId),
    db
      .select({ id: proposalComments.proposalId, n: count() })
      .from(proposalComments)
      .where(and(inArray(proposalComments.proposalId, ids), isNull(proposalComments.hiddenAt)))
      .groupBy(proposalComments.proposalId),
  ]);
  const s = new Map(supports.map((r) => [r.id, Number(r.n)]));
  const c = new Map(comments.map((r) => [r.id, Number(r.n)]));
  return rows.map((r) => ({ ...r, supports: s.get(r.id) ?? 0, comments: c.get(r.id) ?? 0 }));
}

export interface ProposalComment {
  id: number;
  authorName: string;
  body: string;
  at: Date;
  hiddenAt: Date | null;
}

export interface ProposalDetail {
  row: typeof proposals.$inferSelect;
  authorName: string;
  authorEmail: string;
  companyName: string | null;
  theme: { id: number; title: string; code: string } | null;
  supports: number;
  supportedByMe: boolean;
  comments: ProposalComment[];
  mergedInto: { id: number; title: string } | null;
  mergedFrom: { id: number; title: string }[];
  action: { id: number; number: number; title: string; visibility: string } | null;
  decision: { id: number; number: number; decidedOn: string; title: string } | null;
  evaluatorName: string | null;
}

/** One proposal with everything its page shows; undefined when not in this territory. */
export async function loadProposal(db: Db | Tx, territoryId: number, id: number, viewerId?: number): Promise<ProposalDetail | undefined> {
  const [r] = await db
    .select({ p: proposals, authorName: users.displayName, authorEmail: users.email, companyName: companies.name })
    .from(proposals)
    .innerJoin(users, eq(users.id, proposals.authorId))
    .leftJoin(companies, eq(companies.id, proposals.companyId))
    .where(and(eq(proposals.id, id), eq(proposals.territoryId, territoryId)));
  if (!r) return undefined;
  const p = r.p;
  const [theme] = p.themeId ? await db.select({ id: themes.id, title: themes.title, code: themes.code }).from(themes).where(and(eq(themes.id, p.themeId), eq(themes.territoryId, territoryId))) : [];
  const [supportRow] = await db.select({ n: count() }).from(proposalSupports).where(eq(proposalSupports.proposalId, p.id));
  const [mine] = viewerId ? await db.select({ id: proposalSupports.id }).from(proposalSupports).where(and(eq(proposalSupports.proposalId, p.id), eq(proposalSupports.userId, viewerId))) : [];
  const comments = await db
    .select({ id: proposalComments.id, authorName: users.displayName, body: proposalComments.body, at: proposalComments.at, hiddenAt: proposalComments.hiddenAt })
    .from(proposalComments)
    .innerJoin(users, eq(users.id, proposalComments.authorId))
    .where(and(eq(proposalComments.proposalId, p.id), eq(proposalComments.territoryId, territoryId)))
    .orderBy(asc(proposalComments.at), asc(proposalComments.id));
  const [mergedInto] = p.mergedIntoId
    ? await db.select({ id: proposals.id, title: proposals.title }).from(proposals).where(and(eq(proposals.id, p.mergedIntoId), eq(proposals.territoryId, territoryId)))
    : [];
  const mergedFrom = await db
    .select({ id: proposals.id, title: proposals.title })
    .from(proposals)
    .where(and(eq(proposals.mergedIntoId, p.id), eq(proposals.territoryId, territoryId)))
    .orderBy(asc(proposals.id));
  const [action] = p.actionId
    ? await db.select({ id: actions.id, number: actions.number, title: actions.title, visibility: actions.visibility }).from(actions).where(and(eq(actions.id, p.actionId), eq(actions.territoryId, territoryId)))
    : [];
  const [decision] = p.decisionId
    ? await db.select({ id: decisions.id, number: decisions.number, decidedOn: decisions.decidedOn, title: decisions.title }).from(decisions).where(and(eq(decisions.id, p.decisionId), eq(decisions.territoryId, territoryId)))
    : [];
  const [evaluator] = p.evaluatedBy ? await db.select({ name: users.displayName }).from(users).where(eq(users.id, p.evaluatedBy)) : [];
  return {
    row: p,
    authorName: r.authorName,
    authorEmail: r.authorEmail,
    companyName: r.companyName ?? null,
    theme: theme ?? null,
    supports: Number(supportRow?.n ?? 0),
    supportedByMe: Boolean(mine),
    comments,
    mergedInto: mergedInto ?? null,
    mergedFrom,
    action: action ?? null,
    decision: decision ? { ...decision, decidedOn: String(decision.decidedOn) } : null,
    evaluatorName: evaluator?.name ?? null,
  };
}

/** Live themes a participant may choose (published or confidential, not drafts). */
export async function themeChoices(db: Db, territoryId: number): Promise<{ id: number; title: string; code: string }[]> {
  return db
    .select({ id: themes.id, title: themes.title, code: themes.code })
    .from(themes)
    .where(and(eq(themes.territoryId, territoryId), isNull(themes.archivedAt), sql`${themes.visibility} <> 'draft'`))
    .orderBy(asc(themes.position), asc(themes.id));
}

/** Live objectives of the plan, "CODE – title", for the objective an accepted proposal joins. */
export async function objectiveChoices(db: Db, territoryId: number): Promise<{ id: number; label: string; themeId: number }[]> {
  const rows = await db
    .select({ id: objectives.id, title: objectives.title, themeId: objectives.themeId, code: themes.code })
    .from(objectives)
    .innerJoin(themes, eq(themes.id, objectives.themeId))
    .where(and(eq(objectives.territoryId, territoryId), isNull(objectives.archivedAt), isNull(themes.archivedAt)))
    .orderBy(asc(themes.position), asc(themes.id), asc(objectives.position), asc(objectives.id));
  return rows.map((r) => ({ id: r.id, label: `${r.code} – ${r.title}`, themeId: r.themeId }));
}

/** The territory's proposals still open, for the merge target list. */
export async function mergeChoices(db: Db, territoryId: number, exceptId: number): Promise<{ id: number; title: string }[]> {
  const rows = await db
    .select({ id: proposals.id, title: proposals.title, status: proposals.status })
    .from(proposals)
    .where(and(eq(proposals.territoryId, territoryId), inArray(proposals.status, ["submitted", "under_review", "accepted"])))
    .orderBy(desc(proposals.id));
  return rows.filter((r) => r.id !== exceptId);
}

/** The proposal an action of the plan comes from, for the action's pages (« issue de la proposition n° … »). */
export async function proposalForAction(db: Db, territoryId: number, actionId: number): Promise<{ id: number; title: string; url: string } | undefined> {
  const [r] = await db
    .select({ id: proposals.id, title: proposals.title, slug: sql<string>`(select slug from territories where id = ${proposals.territoryId})` })
    .from(proposals)
    .where(and(eq(proposals.territoryId, territoryId), eq(proposals.actionId, actionId)));
  return r ? { id: r.id, title: r.title, url: `/t/${r.slug}/propositions/${r.id}` } : undefined;
}

/** The notification preferences an unsubscribe link names, in this territory. */
export async function preferenceByToken(db: Db, territoryId: number, token: string) {
  const [pref] = await db
    .select()
    .from(notificationPreferences)
    .where(and(eq(notificationPreferences.unsubscribeToken, token), eq(notificationPreferences.territoryId, territoryId)));
  return pref;
}

/** The territory's committee meetings (newest first), for the meeting that took a decision. */
export async function meetingChoices(db: Db, territoryId: number): Promise<{ id: number; title: string; startsAt: Date; status: string }[]> {
  return db
    .select({ id: meetings.id, title: meetings.title, startsAt: meetings.startsAt, status: meetings.status })
    .from(meetings)
    .where(and(eq(meetings.territoryId, territoryId), sql`${meetings.status} <> 'cancelled'`))
    .orderBy(desc(meetings.startsAt))
    .limit(50);
}
