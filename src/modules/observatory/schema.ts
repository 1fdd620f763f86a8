import { sql } from "drizzle-orm";
import { date, doublePrecision, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { territories } from "../territories/schema.ts";
import { users } from "../../core/db/schema.ts";

// The one indicator model of the platform: the observatory's catalogue and series, and the
// indicators the action sheets follow (an action indicator reads a series of this model).

/** Geographic levels an observation can be attached to. `action` holds an action's own series. */
export const GEO_LEVELS = ["commune", "epci", "departement", "region", "france", "territory", "action"] as const;
export type GeoLevel = (typeof GEO_LEVELS)[number];
export const PERIODICITIES = ["annual", "quarterly", "monthly", "punctual"] as const;
/**
 * How values combine up the geography: `sum` (counts), `ratio` (recomputed from the numerator and
 * denominator indicators, never averaged), `none` (not aggregable: only stored levels are shown).
 */
export const AGGREGATIONS = ["sum", "ratio", "none"] as const;
export const OBSERVATION_STATUSES = ["final", "provisional", "estimated", "secret"] as const;

/**
 * An indicator of the catalogue. National ones (`territoryId` null) come from the importers; a
 * territory's local ones are entered by its agents.
 */
export const indicators = pgTable(
  "indicators",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").references(() => territories.id),
    code: text("code").notNull(),
    name: text("name").notNull(),
    definition: text("definition"),
    unit: text("unit").notNull(),
    source: text("source"),
    producer: text("producer"),
    licence: text("licence"),
    levels: text("levels", { enum: GEO_LEVELS }).array().notNull().default([]),
    periodicity: text("periodicity", { enum: PERIODICITIES }).notNull().default("annual"),
    aggregation: text("aggregation", { enum: AGGREGATIONS }).notNull().default("sum"),
    /** For `ratio`: value = numerator / denominator × scale, both indicators of the catalogue. */
    numeratorId: integer("numerator_id"),
    denominatorId: integer("denominator_id"),
    scale: doublePrecision("scale").notNull().default(1),
    /** Number of decimals shown. */
    decimals: integer("decimals").notNull().default(0),
    /** Whether a higher value is better (`up`), worse (`down`) or neither. */
    direction: text("direction", { enum: ["up", "down", "neutral"] }).notNull().default("neutral"),
    theme: text("theme"),
    lastUpdate: date("last_update"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("indicators_code_uq").on(sql`coalesce(${t.territoryId}, 0)`, t.code)],
);

/**
 * One value of an indicator for one geography and one period (the period's first day; its length is
 * the indicator's periodicity). A `secret` observation has no value and never leaks into a sum.
 */
export const observations = pgTable(
  "observations",
  {
    indicatorId: integer("indicator_id").notNull().references(() => indicators.id),
    geoLevel: text("geo_level", { enum: GEO_LEVELS }).notNull(),
    geoCode: text("geo_code").notNull(),
    period: date("period").notNull(),
    value: doublePrecision("value"),
    status: text("status", { enum: OBSERVATION_STATUSES }).notNull().default("final"),
    source: text("source"),
    comment: text("comment"),
    enteredBy: integer("entered_by").references(() => users.id),
  },
  (t) => [
    primaryKey({ columns: [t.indicatorId, t.geoLevel, t.geoCode, t.period] }),
    index("observations_geo_idx").on(t.geoLevel, t.geoCode, t.indicatorId, t.period),
  ],
);

/** A run of an importer: its report (rows read, kept, rejected with reasons). */
export const importRuns = pgTable(
  "import_runs",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").references(() => territories.id),
    kind: text("kind").notNull(),
    fileName: text("file_name"),
    status: text("status", { enum: ["running", "done", "failed"] }).notNull().default("running"),
    rowsRead: integer("rows_read").notNull().default(0),
    rowsKept: integer("rows_kept").notNull().default(0),
    rowsRejected: integer("rows_rejected").notNull().default(0),
    /** Up to a few hundred rejections: `{ line, column?, reason }`. */
    rejections: text("rejections").array().notNull().default([]),
    message: text("message"),
    startedBy: integer("started_by").references(() => users.id),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("import_runs_kind_idx").on(t.kind, t.startedAt)],
);
