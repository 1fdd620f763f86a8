import { sql } from "drizzle-orm";
import { bigint, boolean, date, doublePrecision, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { territories, territoryAuthorities } from "../territories/schema.ts";
import { files, users } from "../../core/db/schema.ts";
import { GEO_LEVELS, indicators } from "../observatory/schema.ts";

export const VISIBILITIES = ["draft", "published", "confidential"] as const;
export const ACTION_STATUSES = ["planned", "in_progress", "done", "paused", "abandoned"] as const;
export const PRIORITIES = ["high", "normal", "low"] as const;
/** `manual`: the progress % entered; `milestones`: done milestones / all milestones. */
export const PROGRESS_MODES = ["manual", "milestones"] as const;

export const themes = pgTable(
  "plan_themes",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    code: text("code").notNull(),
    title: text("title").notNull(),
    description: text("description"),
    /** Enjeu the theme is linked to; `priorityInferred` says the link is not stated by the source. */
    priorityN: integer("priority_n"),
    priorityInferred: boolean("priority_inferred").notNull().default(false),
    position: integer("position").notNull().default(0),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("published"),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [index("plan_themes_territory_idx").on(t.territoryId, t.position)],
);

export const objectives = pgTable(
  "plan_objectives",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    themeId: integer("theme_id").notNull().references(() => themes.id),
    title: text("title").notNull(),
    description: text("description"),
    position: integer("position").notNull().default(0),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("published"),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [index("plan_objectives_theme_idx").on(t.territoryId, t.themeId, t.position)],
);

export const actions = pgTable(
  "plan_actions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    objectiveId: integer("objective_id").notNull().references(() => objectives.id),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    description: text("description"),
    /** Null when the source gives no status (the reference territory): shown as "non renseigné". */
    status: text("status", { enum: ACTION_STATUSES }),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("published"),
    leadAuthorityId: integer("lead_authority_id").references(() => territoryAuthorities.id),
    /** ◆: designed or run with the partner intercommunality. */
    joint: boolean("joint").notNull().default(false),
    communeCode: text("commune_code"),
    position: integer("position").notNull().default(0),
    /** Elected official referent of the action (a name as the committee knows it). */
    referentElu: text("referent_elu"),
    startDate: date("start_date"),
    plannedEndDate: date("planned_end_date"),
    progressMode: text("progress_mode", { enum: PROGRESS_MODES }).notNull().default("milestones"),
    progressManual: integer("progress_manual"),
    priority: text("priority", { enum: PRIORITIES }).notNull().default("normal"),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** Set when the action was added, changed or withdrawn by an amendment (see governance). */
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true }),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("plan_actions_objective_idx").on(t.territoryId, t.objectiveId, t.position),
    uniqueIndex("plan_actions_number_uq").on(t.territoryId, t.number),
    index("plan_actions_fts_idx").using("gin", sql`to_tsvector('french', ${t.title} || ' ' || coalesce(${t.description}, ''))`),
  ],
);

/** Partner organisations of an action (the partner EPCI for ◆ actions, or any other body). */
export const actionPartners = pgTable(
  "plan_action_partners",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    actionId: integer("action_id").notNull().references(() => actions.id),
    authorityId: integer("authority_id").references(() => territoryAuthorities.id),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("plan_action_partners_action_idx").on(t.actionId)],
);

/** Pilots of an action: agents (accounts) in charge of it. */
export const actionPilots = pgTable(
  "plan_action_pilots",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    actionId: integer("action_id").notNull().references(() => actions.id),
    userId: integer("user_id").notNull().references(() => users.id),
  },
  (t) => [uniqueIndex("plan_action_pilots_uq").on(t.actionId, t.userId), index("plan_action_pilots_user_idx").on(t.userId)],
);

/** Steps of an action, in order; late when not done after the due date. */
export const milestones = pgTable(
  "plan_milestones",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    actionId: integer("action_id").notNull().references(() => actions.id),
    name: text("name").notNull(),
    dueDate: date("due_date"),
    doneDate: date("done_date"),
    position: integer("position").notNull().default(0),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("published"),
  },
  (t) => [index("plan_milestones_action_idx").on(t.actionId, t.position), index("plan_milestones_due_idx").on(t.territoryId, t.dueDate)],
);

/** Every status change of an action, with its author and comment. */
export const statusChanges = pgTable(
  "plan_status_changes",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    actionId: integer("action_id").notNull().references(() => actions.id),
    fromStatus: text("from_status", { enum: ACTION_STATUSES }),
    toStatus: text("to_status", { enum: ACTION_STATUSES }),
    comment: text("comment"),
    authorId: integer("author_id").references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("plan_status_changes_action_idx").on(t.actionId, t.at), index("plan_status_changes_territory_idx").on(t.territoryId, t.at)],
);

export const COST_NATURES = ["investment", "operating"] as const;
/** Planned cost of an action for one year and one nature, in euro cents. */
export const budgetLines = pgTable(
  "plan_budget_lines",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    actionId: integer("action_id").notNull().references(() => actions.id),
    year: integer("year").notNull(),
    nature: text("nature", { enum: COST_NATURES }).notNull(),
    amountCents: bigint("amount_cents", { mode: "number" }).notNull(),
    label: text("label"),
  },
  (t) => [uniqueIndex("plan_budget_lines_uq").on(t.actionId, t.year, t.nature)],
);

export const FUNDER_KINDS = ["etat", "region", "departement", "intercommunalite", "europe", "prive", "autre"] as const;
/** One funder's part of an action's financing plan: amounts requested, granted, paid (cents). */
export const financingLines = pgTable(
  "plan_financing_lines",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    actionId: integer("action_id").notNull().references(() => actions.id),
    funderKind: text("funder_kind", { enum: FUNDER_KINDS }).notNull(),
    /** The funder as named in the file (e.g. "DETR", "Impulsion Industrie", "FEDER"). */
    funderName: text("funder_name").notNull(),
    requestedCents: bigint("requested_cents", { mode: "number" }).notNull().default(0),
    grantedCents: bigint("granted_cents", { mode: "number" }).notNull().default(0),
    paidCents: bigint("paid_cents", { mode: "number" }).notNull().default(0),
    comment: text("comment"),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("plan_financing_lines_action_idx").on(t.actionId), index("plan_financing_lines_territory_idx").on(t.territoryId)],
);

/** Dated, authored follow-up notes (confidential unless published). */
export const actionNotes = pgTable(
  "plan_action_notes",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    actionId: integer("action_id").notNull().references(() => actions.id),
    body: text("body").notNull(),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("confidential"),
    authorId: integer("author_id").references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [
    index("plan_action_notes_action_idx").on(t.actionId, t.at),
    index("plan_action_notes_fts_idx").using("gin", sql`to_tsvector('french', ${t.body})`),
  ],
);

/** Documents attached to an action (stored through core/files). */
export const actionDocuments = pgTable(
  "plan_action_documents",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    actionId: integer("action_id").notNull().references(() => actions.id),
    fileId: integer("file_id").notNull().references(() => files.id),
    title: text("title").notNull(),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("confidential"),
    uploadedBy: integer("uploaded_by").references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [index("plan_action_documents_action_idx").on(t.actionId)],
);

export const ACTION_LINK_KINDS = ["related", "depends_on", "follows"] as const;
/** A link between two actions of the same territory. */
export const actionLinks = pgTable(
  "plan_action_links",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    fromActionId: integer("from_action_id").notNull().references(() => actions.id),
    toActionId: integer("to_action_id").notNull().references(() => actions.id),
    kind: text("kind", { enum: ACTION_LINK_KINDS }).notNull().default("related"),
  },
  (t) => [uniqueIndex("plan_action_links_uq").on(t.fromActionId, t.toActionId)],
);

/**
 * An indicator an action follows: it reads the series of `indicatorId` at (`geoLevel`, `geoCode`)
 * (an observatory series, or the action's own series with level `action`), from a baseline to targets.
 */
export const actionIndicators = pgTable(
  "plan_action_indicators",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    actionId: integer("action_id").notNull().references(() => actions.id),
    indicatorId: integer("indicator_id").notNull().references(() => indicators.id),
    geoLevel: text("geo_level", { enum: GEO_LEVELS }).notNull(),
    geoCode: text("geo_code").notNull(),
    baselineValue: doublePrecision("baseline_value"),
    baselineDate: date("baseline_date"),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("published"),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("plan_action_indicators_action_idx").on(t.actionId), index("plan_action_indicators_indicator_idx").on(t.indicatorId)],
);

/** Target values of an action indicator by date. */
export const indicatorTargets = pgTable(
  "plan_indicator_targets",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    actionIndicatorId: integer("action_indicator_id").notNull().references(() => actionIndicators.id),
    targetDate: date("target_date").notNull(),
    value: doublePrecision("value").notNull(),
  },
  (t) => [uniqueIndex("plan_indicator_targets_uq").on(t.actionIndicatorId, t.targetDate)],
);

/** Per-user preferences of the follow-up (weekly digest to pilots; on by default). */
export const digestPreferences = pgTable("plan_digest_preferences", {
  userId: integer("user_id").primaryKey().references(() => users.id),
  weeklyDigest: boolean("weekly_digest").notNull().default(true),
  lastSentAt: timestamp("last_sent_at", { withTimezone: true }),
});
