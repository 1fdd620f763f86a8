import { sql } from "drizzle-orm";
import { boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** A Territoire d'industrie: the tenant. */
export const territories = pgTable("territories", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  /** `reference` holds only what the source documents give; `demo` is fictional. */
  kind: text("kind", { enum: ["reference", "demo", "standard"] }).notNull().default("standard"),
  summary: text("summary"),
  labelledOn: text("labelled_on"),
  regionCode: text("region_code"),
  archivedAt: timestamp("archived_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** An intercommunalité (EPCI) that belongs to a territory. */
export const territoryAuthorities = pgTable(
  "territory_authorities",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    siren: text("siren").notNull(),
    name: text("name").notNull(),
    shortName: text("short_name"),
    kind: text("kind").notNull(),
    departementCode: text("departement_code"),
    areas: text("areas").array().notNull().default([]),
    position: integer("position").notNull().default(0),
  },
  (t) => [uniqueIndex("territory_authorities_siren_uq").on(t.territoryId, t.siren)],
);

/** The agreement (protocole d'accord / contrat) signed with the State and the Région. */
export const agreements = pgTable("agreements", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  territoryId: integer("territory_id").notNull().references(() => territories.id),
  kind: text("kind").notNull(),
  signedOn: date("signed_on"),
  periodFrom: integer("period_from"),
  periodTo: integer("period_to"),
  actionsTotal: integer("actions_total"),
  actionsDescribed: integer("actions_described"),
  signatories: text("signatories").array().notNull().default([]),
  notes: text("notes").array().notNull().default([]),
});

/** Governance bodies: comité de projet, binômes, comité de pilotage, groupe de réflexion. */
export const governanceBodies = pgTable(
  "governance_bodies",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    kind: text("kind", { enum: ["project_committee", "chair_pair", "steering_committee", "working_group"] }).notNull(),
    name: text("name").notNull(),
    authorityId: integer("authority_id").references(() => territoryAuthorities.id),
    composition: text("composition"),
    role: text("role"),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("governance_bodies_territory_idx").on(t.territoryId)],
);

export const governanceMembers = pgTable("governance_members", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  territoryId: integer("territory_id").notNull().references(() => territories.id),
  bodyId: integer("body_id").notNull().references(() => governanceBodies.id),
  name: text("name").notNull(),
  role: text("role"),
  side: text("side", { enum: ["élu", "industriel", "État", "Région", "agent", "autre"] }).notNull(),
  isChair: boolean("is_chair").notNull().default(false),
  position: integer("position").notNull().default(0),
  /** To invite the member to meetings; the account, when they have one. */
  email: text("email"),
  userId: integer("user_id"),
});

/** Editable pages of a territory (intro, contact, legal pages). */
export const territoryPages = pgTable(
  "territory_pages",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    key: text("key").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("territory_pages_key_uq").on(t.territoryId, t.key)],
);

/** Contact of the economic-development service. */
export const territoryContacts = pgTable("territory_contacts", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  territoryId: integer("territory_id").notNull().references(() => territories.id),
  service: text("service").notNull(),
  phone: text("phone"),
  email: text("email"),
  address: text("address"),
  position: integer("position").notNull().default(0),
});

/** The national programme's facts, each with the date it holds for. */
export const programmeFacts = pgTable("programme_facts", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  key: text("key").notNull(),
  value: jsonb("value").notNull(),
  asOf: text("as_of").notNull(),
  source: text("source").notNull(),
});

/** The national priorities (enjeux) of the programme. */
export const priorities = pgTable("priorities", {
  n: integer("n").primaryKey(),
  title: text("title").notNull(),
  items: text("items").array().notNull().default(sql`'{}'::text[]`),
});
