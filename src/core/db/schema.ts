import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { territories, territoryAuthorities } from "../../modules/territories/schema.ts";

// Core tables: accounts, sessions, memberships, audit, files, content version.

export const users = pgTable("users", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  email: text("email").notNull().unique(),
  displayName: text("display_name").notNull(),
  passwordHash: text("password_hash"),
  isPlatformAdmin: boolean("is_platform_admin").notNull().default(false),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
  /** Set when the account was closed: personal fields are replaced by a pseudonym. */
  anonymisedAt: timestamp("anonymised_at", { withTimezone: true }),
  /** OpenID Connect link key (`sub` of the provider) and the SIRET claim, when signed in by SSO. */
  oidcSub: text("oidc_sub").unique(),
  siret: text("siret"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }),
});

/** Roles held in one territory (platform admin is a flag of the user; funders hold grants). */
export const ROLES = ["territory_admin", "agent", "committee_member", "industrialist"] as const;
export type Role = (typeof ROLES)[number];

/** A role held by a user in one territory. */
export const memberships = pgTable(
  "memberships",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id").notNull().references(() => users.id),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    role: text("role", { enum: ROLES }).notNull(),
    /** An agent limited to the actions of one intercommunalité (joint ◆ actions of every partner). */
    authorityId: integer("authority_id").references(() => territoryAuthorities.id),
    /** `pending` until an agent confirms a self-registered industrialist. */
    status: text("status", { enum: ["active", "pending"] }).notNull().default("active"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("memberships_uq").on(t.userId, t.territoryId, t.role)],
);

/**
 * Read-only access of a funder or signatory (State, Région) to the full follow-up of territories:
 * one grant covers one territory, or every territory of a région.
 */
export const funderGrants = pgTable(
  "funder_grants",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id").notNull().references(() => users.id),
    /** Who the grant is for, as shown to people (e.g. "Région Normandie"). */
    label: text("label").notNull(),
    territoryId: integer("territory_id").references(() => territories.id),
    regionCode: text("region_code"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("funder_grants_user_idx").on(t.userId)],
);

/** Platform-wide settings (retention of inactive accounts…), one JSON value per key. */
export const platformSettings = pgTable("platform_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Server-side sessions; the cookie holds a random id, the table its SHA-256. */
export const sessions = pgTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: integer("user_id").notNull().references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** One-time links: first-admin set-up (later: invitations, passwordless sign-in). */
export const oneTimeTokens = pgTable("one_time_tokens", {
  tokenHash: text("token_hash").primaryKey(),
  purpose: text("purpose").notNull(),
  payload: jsonb("payload"),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Failed sign-in attempts, kept in the database so several processes agree on throttling. */
export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    key: text("key").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sign_in_attempts_key_idx").on(t.key, t.at)],
);

/** Append-only audit trail: every mutation writes its rows in the same transaction as the change. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").references(() => territories.id),
    actorId: integer("actor_id").references(() => users.id),
    actorRole: text("actor_role"),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    requestId: text("request_id"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_log_territory_idx").on(t.territoryId, t.at), index("audit_log_entity_idx").on(t.entity, t.entityId)],
);

/** Uploaded files, stored on disk by SHA-256. */
export const files = pgTable("files", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  territoryId: integer("territory_id").references(() => territories.id),
  sha256: text("sha256").notNull(),
  size: integer("size").notNull(),
  mime: text("mime").notNull(),
  originalName: text("original_name").notNull(),
  uploadedBy: integer("uploaded_by").references(() => users.id),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A single counter bumped by every mutation: HTTP caches (ETag) read it so all processes agree. */
export const contentVersion = pgTable("content_version", {
  id: integer("id").primaryKey(),
  version: bigint("version", { mode: "number" }).notNull(),
});
