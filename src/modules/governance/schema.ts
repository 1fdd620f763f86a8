import { date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { governanceBodies, governanceMembers, territories } from "../territories/schema.ts";
import { users } from "../../core/db/schema.ts";
import { actions } from "../plan/schema.ts";

// Committees at work: meetings, agendas, invitations and attendance, minutes, decisions, amendments
// (avenants) and the versions of the plan they produce.

export const MEETING_STATUSES = ["planned", "held", "cancelled"] as const;

/** A meeting of a governance body. Times are stored as instants; shown in Europe/Paris. */
export const meetings = pgTable(
  "gov_meetings",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    bodyId: integer("body_id").notNull().references(() => governanceBodies.id),
    title: text("title").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    place: text("place"),
    videoUrl: text("video_url"),
    status: text("status", { enum: MEETING_STATUSES }).notNull().default("planned"),
    minutes: text("minutes"),
    /** Stable UID of the calendar event, and its sequence (bumped when the meeting changes). */
    icsUid: text("ics_uid").notNull(),
    icsSequence: integer("ics_sequence").notNull().default(0),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    heldAt: timestamp("held_at", { withTimezone: true }),
  },
  (t) => [index("gov_meetings_territory_idx").on(t.territoryId, t.startsAt)],
);

export const AGENDA_KINDS = ["action_review", "late_milestones", "status_change", "proposal", "amendment", "other"] as const;
/** One item of a meeting's agenda, optionally about an action. */
export const agendaItems = pgTable(
  "gov_agenda_items",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    meetingId: integer("meeting_id").notNull().references(() => meetings.id),
    kind: text("kind", { enum: AGENDA_KINDS }).notNull().default("other"),
    title: text("title").notNull(),
    actionId: integer("action_id").references(() => actions.id),
    /** Id of the proposal this item is about (participation module), when any. */
    proposalId: integer("proposal_id"),
    notes: text("notes"),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("gov_agenda_items_meeting_idx").on(t.meetingId, t.position)],
);

export const ATTENDANCE = ["present", "excused", "absent"] as const;
/** Who is invited to a meeting (a body member, an account or an e-mail address) and whether they came. */
export const meetingInvitees = pgTable(
  "gov_meeting_invitees",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    meetingId: integer("meeting_id").notNull().references(() => meetings.id),
    memberId: integer("member_id").references(() => governanceMembers.id),
    userId: integer("user_id").references(() => users.id),
    name: text("name").notNull(),
    email: text("email"),
    invitedAt: timestamp("invited_at", { withTimezone: true }),
    attendance: text("attendance", { enum: ATTENDANCE }),
  },
  (t) => [index("gov_meeting_invitees_meeting_idx").on(t.meetingId)],
);

/** A decision recorded at a meeting (or by written procedure), numbered per territory. */
export const decisions = pgTable(
  "gov_decisions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    meetingId: integer("meeting_id").references(() => meetings.id),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    body: text("body"),
    decidedOn: date("decided_on").notNull(),
    createdBy: integer("created_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("gov_decisions_number_uq").on(t.territoryId, t.number)],
);

/** The actions a decision concerns. */
export const decisionActions = pgTable(
  "gov_decision_actions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    decisionId: integer("decision_id").notNull().references(() => decisions.id),
    actionId: integer("action_id").notNull().references(() => actions.id),
  },
  (t) => [uniqueIndex("gov_decision_actions_uq").on(t.decisionId, t.actionId), index("gov_decision_actions_action_idx").on(t.actionId)],
);

/** An amendment (avenant) authorised by a decision: a set of changes applied to the plan at once. */
export const amendments = pgTable(
  "gov_amendments",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    decisionId: integer("decision_id").references(() => decisions.id),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    status: text("status", { enum: ["draft", "applied"] }).notNull().default("draft"),
    appliedAt: timestamp("applied_at", { withTimezone: true }),
    appliedBy: integer("applied_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("gov_amendments_number_uq").on(t.territoryId, t.number)],
);

export const CHANGE_KINDS = ["add", "change", "withdraw"] as const;
/**
 * One change of an amendment. `add`: `payload` holds the new action (objective, title, …);
 * `change`: the fields to set on `actionId`; `withdraw`: `actionId` leaves the plan.
 */
export const amendmentChanges = pgTable(
  "gov_amendment_changes",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    amendmentId: integer("amendment_id").notNull().references(() => amendments.id),
    kind: text("kind", { enum: CHANGE_KINDS }).notNull(),
    actionId: integer("action_id").references(() => actions.id),
    payload: jsonb("payload").notNull().default({}),
    /** Id of the proposal the added action comes from (participation module), when any. */
    proposalId: integer("proposal_id"),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("gov_amendment_changes_amendment_idx").on(t.amendmentId)],
);

/**
 * A version of the plan: version 1 is the plan as signed; each applied amendment makes the next.
 * `snapshot` holds the plan's themes, objectives and actions as they stood.
 */
export const planVersions = pgTable(
  "gov_plan_versions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    number: integer("number").notNull(),
    label: text("label").notNull(),
    effectiveOn: date("effective_on").notNull(),
    amendmentId: integer("amendment_id").references(() => amendments.id),
    decisionId: integer("decision_id").references(() => decisions.id),
    snapshot: jsonb("snapshot").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("gov_plan_versions_number_uq").on(t.territoryId, t.number)],
);
