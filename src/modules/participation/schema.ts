import { boolean, date, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { territories } from "../territories/schema.ts";
import { files, users } from "../../core/db/schema.ts";
import { actions, themes, VISIBILITIES } from "../plan/schema.ts";
import { companies } from "../companies/schema.ts";

// Industrial participation: thematic workshops with registrations and a waiting list, declarations
// of interest, proposals of actions, questions and their public FAQ, notification preferences.

export const WORKSHOP_STATUSES = ["draft", "published", "cancelled", "held"] as const;

/** A thematic workshop (atelier thématique). */
export const workshops = pgTable(
  "part_workshops",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    themeId: integer("theme_id").references(() => themes.id),
    title: text("title").notNull(),
    description: text("description"),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    place: text("place"),
    videoUrl: text("video_url"),
    capacity: integer("capacity").notNull(),
    registrationOpensAt: timestamp("registration_opens_at", { withTimezone: true }),
    registrationClosesAt: timestamp("registration_closes_at", { withTimezone: true }),
    status: text("status", { enum: WORKSHOP_STATUSES }).notNull().default("published"),
    minutes: text("minutes"),
    icsUid: text("ics_uid").notNull(),
    icsSequence: integer("ics_sequence").notNull().default(0),
    reminderSentAt: timestamp("reminder_sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("part_workshops_territory_idx").on(t.territoryId, t.startsAt)],
);

/** Actions a workshop works on (its outputs feed them). */
export const workshopActions = pgTable(
  "part_workshop_actions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    workshopId: integer("workshop_id").notNull().references(() => workshops.id),
    actionId: integer("action_id").notNull().references(() => actions.id),
  },
  (t) => [uniqueIndex("part_workshop_actions_uq").on(t.workshopId, t.actionId)],
);

/** Documents produced by a workshop. */
export const workshopDocuments = pgTable("part_workshop_documents", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  territoryId: integer("territory_id").notNull().references(() => territories.id),
  workshopId: integer("workshop_id").notNull().references(() => workshops.id),
  fileId: integer("file_id").notNull().references(() => files.id),
  title: text("title").notNull(),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
});

export const REGISTRATION_STATUSES = ["confirmed", "waitlisted", "cancelled"] as const;
/**
 * A registration to a workshop. Waiting-list order is `waitlistedAt`; when a confirmed person
 * cancels, the first waitlisted is promoted in the same transaction.
 */
export const registrations = pgTable(
  "part_registrations",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    workshopId: integer("workshop_id").notNull().references(() => workshops.id),
    userId: integer("user_id").notNull().references(() => users.id),
    companyId: integer("company_id").references(() => companies.id),
    status: text("status", { enum: REGISTRATION_STATUSES }).notNull(),
    waitlistedAt: timestamp("waitlisted_at", { withTimezone: true }),
    attended: boolean("attended"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("part_registrations_uq").on(t.workshopId, t.userId), index("part_registrations_user_idx").on(t.userId)],
);

/** "Je souhaite participer": interest per theme, with availability. */
export const interests = pgTable(
  "part_interests",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    userId: integer("user_id").notNull().references(() => users.id),
    themeId: integer("theme_id").notNull().references(() => themes.id),
    /** Days of the week (1 = Monday … 5 = Friday). */
    days: integer("days").array().notNull().default([]),
    frequency: text("frequency", { enum: ["monthly", "quarterly", "twice_a_year", "yearly"] }),
    format: text("format", { enum: ["in_person", "video", "either"] }),
    comment: text("comment"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("part_interests_uq").on(t.territoryId, t.userId, t.themeId)],
);

export const PROPOSAL_STATUSES = ["submitted", "under_review", "accepted", "rejected", "merged"] as const;
/** A proposal of action by a participant. */
export const proposals = pgTable(
  "part_proposals",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    authorId: integer("author_id").notNull().references(() => users.id),
    companyId: integer("company_id").references(() => companies.id),
    themeId: integer("theme_id").references(() => themes.id),
    title: text("title").notNull(),
    problem: text("problem").notNull(),
    proposedAction: text("proposed_action").notNull(),
    expectedPartners: text("expected_partners"),
    roughBudgetEuros: integer("rough_budget_euros"),
    status: text("status", { enum: PROPOSAL_STATUSES }).notNull().default("submitted"),
    /** Evaluation: score out of 20 (sum of the criteria), written answer. */
    score: integer("score"),
    criteria: text("criteria").array().notNull().default([]),
    answer: text("answer"),
    evaluatedBy: integer("evaluated_by").references(() => users.id),
    evaluatedAt: timestamp("evaluated_at", { withTimezone: true }),
    mergedIntoId: integer("merged_into_id"),
    /** The draft action it became (through a decision and an amendment). */
    actionId: integer("action_id").references(() => actions.id),
    decisionId: integer("decision_id"),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull().default("published"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("part_proposals_territory_idx").on(t.territoryId, t.status, t.createdAt), index("part_proposals_author_idx").on(t.authorId)],
);

/** A participant supports a proposal (once). */
export const proposalSupports = pgTable(
  "part_proposal_supports",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    proposalId: integer("proposal_id").notNull().references(() => proposals.id),
    userId: integer("user_id").notNull().references(() => users.id),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("part_proposal_supports_uq").on(t.proposalId, t.userId)],
);

export const proposalComments = pgTable(
  "part_proposal_comments",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    proposalId: integer("proposal_id").notNull().references(() => proposals.id),
    authorId: integer("author_id").notNull().references(() => users.id),
    body: text("body").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    hiddenAt: timestamp("hidden_at", { withTimezone: true }),
  },
  (t) => [index("part_proposal_comments_proposal_idx").on(t.proposalId, t.at)],
);

export const QUESTION_STATUSES = ["new", "assigned", "answered", "closed"] as const;
/** A question sent through the public form, answered by the service, optionally published in the FAQ. */
export const questions = pgTable(
  "part_questions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    userId: integer("user_id").references(() => users.id),
    name: text("name").notNull(),
    email: text("email").notNull(),
    companyName: text("company_name"),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    themeId: integer("theme_id").references(() => themes.id),
    status: text("status", { enum: QUESTION_STATUSES }).notNull().default("new"),
    assigneeId: integer("assignee_id").references(() => users.id),
    answer: text("answer"),
    answeredBy: integer("answered_by").references(() => users.id),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
    /** Published in the public FAQ (question reworded by the agent, never the asker's identity). */
    faqPublishedAt: timestamp("faq_published_at", { withTimezone: true }),
    faqQuestion: text("faq_question"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("part_questions_territory_idx").on(t.territoryId, t.status, t.createdAt)],
);

/** What a participant wants to receive; each e-mail carries an unsubscribe link (token). */
export const notificationPreferences = pgTable(
  "part_notification_preferences",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    userId: integer("user_id").notNull().references(() => users.id),
    workshopEmails: boolean("workshop_emails").notNull().default(true),
    proposalEmails: boolean("proposal_emails").notNull().default(true),
    monthlyDigest: boolean("monthly_digest").notNull().default(false),
    unsubscribeToken: text("unsubscribe_token").notNull(),
    lastDigestOn: date("last_digest_on"),
  },
  (t) => [uniqueIndex("part_notification_preferences_uq").on(t.territoryId, t.userId), uniqueIndex("part_notification_preferences_token_uq").on(t.unsubscribeToken)],
);
