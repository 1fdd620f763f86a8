import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { territories, territoryAuthorities } from "../territories/schema.ts";

export const VISIBILITIES = ["draft", "published", "confidential"] as const;
export const ACTION_STATUSES = ["planned", "in_progress", "done", "paused", "abandoned"] as const;

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
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("plan_actions_objective_idx").on(t.territoryId, t.objectiveId, t.position),
    uniqueIndex("plan_actions_number_uq").on(t.territoryId, t.number),
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
