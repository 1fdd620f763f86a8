import { sql } from "drizzle-orm";
import type { Db } from "../../../core/db/client.ts";
import type { Visibility } from "../model.ts";

export interface SearchHit {
  kind: "action" | "note" | "document";
  actionId: number;
  actionNumber: number;
  actionTitle: string;
  /** The note or document id (documents link to their download). */
  itemId: number | null;
  title: string;
  /** Excerpt with matches between \u0001 and \u0002 (rendered as <mark>, the rest escaped). */
  excerpt: string;
  rank: number;
}

export const MARK_START = "\u0001";
export const MARK_END = "\u0002";
const OPTS = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;

/**
 * French full-text search across a territory's plan: actions (title and description, the GIN
 * index's expression), and — when `followUp` visibilities are given — notes and documents' titles
 * of the actions the reader may read. `actionIds` are the actions readable at the reader's level.
 */
export async function searchPlan(db: Db, territoryId: number, q: string, actionIds: number[], itemVisibilities: readonly Visibility[] | null, limit = 50): Promise<SearchHit[]> {
  if (!actionIds.length) return [];
  const ids = sql.raw(`array[${actionIds.map((n) => Math.trunc(n)).join(",")}]::int[]`);
  const query = sql`websearch_to_tsquery('french', ${q})`;
  const actionRows = await db.execute<Record<string, unknown>>(sql`
    select 'action' as kind, a.id as action_id, a.number as action_number, a.title as action_title, null::int as item_id, a.title as title,
      ts_headline('french', a.title || ' — ' || coalesce(a.description, ''), ${query}, ${OPTS}) as excerpt,
      ts_rank(to_tsvector('french', a.title || ' ' || coalesce(a.description, '')), ${query}) as rank
    from plan_actions a
    where a.territory_id = ${territoryId} and a.id = any(${ids})
      and to_tsvector('french', a.title || ' ' || coalesce(a.description, '')) @@ ${query}
    order by rank desc, a.number limit ${limit}`);
  let rows = rowsOf(actionRows);
  if (itemVisibilities) {
    const vis = sql.raw(`array[${itemVisibilities.map((v) => `'${v.replace(/[^a-z]/g, "")}'`).join(",")}]::text[]`);
    const noteRows = await db.execute<Record<string, unknown>>(sql`
      select 'note' as kind, a.id as action_id, a.number as action_number, a.title as action_title, n.id as item_id, 'Note de suivi' as title,
        ts_headline('french', n.body, ${query}, ${OPTS}) as excerpt,
        ts_rank(to_tsvector('french', n.body), ${query}) as rank
      from plan_action_notes n join plan_actions a on a.id = n.action_id and a.territory_id = n.territory_id
      where n.territory_id = ${territoryId} and n.archived_at is null and n.visibility = any(${vis}) and a.id = any(${ids})
        and to_tsvector('french', n.body) @@ ${query}
      order by rank desc limit ${limit}`);
    const docRows = await db.execute<Record<string, unknown>>(sql`
      select 'document' as kind, a.id as action_id, a.number as action_number, a.title as action_title, d.id as item_id, d.title as title,
        ts_headline('french', d.title, ${query}, ${OPTS}) as excerpt,
        ts_rank(to_tsvector('french', d.title), ${query}) as rank
      from plan_action_documents d join plan_actions a on a.id = d.action_id and a.territory_id = d.territory_id
      where d.territory_id = ${territoryId} and d.archived_at is null and d.visibility = any(${vis}) and a.id = any(${ids})
        and to_tsvector('french', d.title) @@ ${query}
      order by rank desc limit ${limit}`);
    rows = [...rows, ...rowsOf(noteRows), ...rowsOf(docRows)];
  }
  return rows
    .map((r) => ({
      kind: r.kind as SearchHit["kind"],
      actionId: Number(r.action_id),
      actionNumber: Number(r.action_number),
      actionTitle: String(r.action_title),
      itemId: r.item_id == null ? null : Number(r.item_id),
      title: String(r.title),
      excerpt: String(r.excerpt ?? ""),
      rank: Number(r.rank),
    }))
    .sort((a, b) => b.rank - a.rank || a.actionNumber - b.actionNumber)
    .slice(0, limit);
}

function rowsOf(r: unknown): Record<string, unknown>[] {
  return Array.isArray(r) ? (r as Record<string, unknown>[]) : ((r as { rows: Record<string, unknown>[] }).rows ?? []);
}

/** Splits an excerpt into plain and marked parts (the markers never reach the page). */
export function excerptParts(excerpt: string): { text: string; mark: boolean }[] {
  const out: { text: string; mark: boolean }[] = [];
  for (const [i, chunk] of excerpt.split(MARK_START).entries()) {
    // The text before the first start marker is never marked.
    const end = i === 0 ? -1 : chunk.indexOf(MARK_END);
    if (end === -1) {
      if (chunk) out.push({ text: chunk.replaceAll(MARK_END, ""), mark: false });
      continue;
    }
    out.push({ text: chunk.slice(0, end), mark: true });
    const rest = chunk.slice(end + 1).replaceAll(MARK_END, "");
    if (rest) out.push({ text: rest, mark: false });
  }
  return out;
}
