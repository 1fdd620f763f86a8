import { boolean, customType, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** A PostgreSQL full-text vector (written by SQL, never read by the application). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
import { territories } from "../territories/schema.ts";
import { users } from "../../core/db/schema.ts";

// Companies of a territory: legal units (SIREN) and their establishments (SIRET), from the INSEE
// Sirene stock or entered by agents, with their contacts.

/** A legal unit (unité légale) known to a territory. */
export const companies = pgTable(
  "companies",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    siren: text("siren").notNull(),
    name: text("name").notNull(),
    /** Code of the legal category (catégorie juridique, e.g. 5710 SAS) and its label. */
    legalForm: text("legal_form"),
    legalFormLabel: text("legal_form_label"),
    nafCode: text("naf_code"),
    /** Sirene diffusion status: `P` = partial diffusion, personal data never shown nor exported. */
    diffusion: text("diffusion").notNull().default("O"),
    /** True when the legal unit is a natural person (entrepreneur individuel). */
    naturalPerson: boolean("natural_person").notNull().default(false),
    source: text("source", { enum: ["sirene", "manual"] }).notNull().default("manual"),
    /** Took part in co-building the plan. */
    coBuilder: boolean("co_builder").notNull().default(false),
    notes: text("notes"),
    /**
     * What search reads, lower-case without accents: name, acronym, SIREN and SIRETs, NAF codes and
     * labels, communes of the establishments (kept up to date by every write of the module).
     */
    searchText: text("search_text").notNull().default(""),
    /** `to_tsvector('french', search_text)`, stored: computing it for every candidate row was the cost of a search. */
    searchVector: tsvector("search_vector"),
    /** True when one of its active establishments is in an industrial NAF section (B–E): listed first. */
    industry: boolean("industry").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("companies_siren_uq").on(t.territoryId, t.siren),
    /** The list's order (industry first, then name): its first page reads 25 index entries, not the whole territory. */
    index("companies_list_idx").on(t.territoryId, t.industry.desc(), t.name, t.id),
    // fastupdate off: an import's chunk then pays its own index updates, instead of one chunk
    // stalling the embedded database for seconds when the pending list is merged.
    index("companies_name_trgm_idx").using("gin", t.name.op("gin_trgm_ops")).with({ fastupdate: false }),
    index("companies_search_vector_idx").using("gin", t.searchVector).with({ fastupdate: false }),
  ],
);

/** An establishment (établissement) of a company in the territory. */
export const establishments = pgTable(
  "establishments",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    companyId: integer("company_id").notNull().references(() => companies.id),
    siret: text("siret").notNull(),
    name: text("name"),
    nafCode: text("naf_code"),
    /** NAF section letter (A–U), derived from the code. */
    nafSection: text("naf_section"),
    /** Sirene workforce band code (NN, 00, 01, 02, 03, 11, 12, …, 53). */
    workforceBand: text("workforce_band"),
    headOffice: boolean("head_office").notNull().default(false),
    address: text("address"),
    postcode: text("postcode"),
    communeCode: text("commune_code"),
    active: boolean("active").notNull().default(true),
    diffusion: text("diffusion").notNull().default("O"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("establishments_siret_uq").on(t.territoryId, t.siret),
    index("establishments_company_idx").on(t.companyId),
    index("establishments_commune_idx").on(t.territoryId, t.communeCode),
  ],
);

/** A person to reach at a company; consent to be contacted is recorded. */
export const companyContacts = pgTable(
  "company_contacts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    companyId: integer("company_id").notNull().references(() => companies.id),
    userId: integer("user_id").references(() => users.id),
    name: text("name").notNull(),
    role: text("role"),
    email: text("email"),
    phone: text("phone"),
    consentAt: timestamp("consent_at", { withTimezone: true }),
    consentSource: text("consent_source"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("company_contacts_company_idx").on(t.companyId)],
);

/** The company an industrialist's account acts for, confirmed automatically (SIRET claim) or by an agent. */
export const companyUsers = pgTable(
  "company_users",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    territoryId: integer("territory_id").notNull().references(() => territories.id),
    companyId: integer("company_id").notNull().references(() => companies.id),
    userId: integer("user_id").notNull().references(() => users.id),
    status: text("status", { enum: ["pending", "confirmed"] }).notNull().default("pending"),
    via: text("via", { enum: ["siret_claim", "agent", "request"] }).notNull(),
    confirmedBy: integer("confirmed_by").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("company_users_uq").on(t.territoryId, t.userId, t.companyId)],
);
