import { index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

// National reference tables: shared by every territory, so no territory_id.

export const regions = pgTable("geo_regions", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
});

export const departements = pgTable("geo_departements", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  regionCode: text("region_code").notNull(),
});

export const epcis = pgTable("geo_epcis", {
  siren: text("siren").primaryKey(),
  name: text("name").notNull(),
  kind: text("kind").notNull(),
  population: integer("population"),
});

export const communes = pgTable(
  "geo_communes",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    departementCode: text("departement_code"),
    regionCode: text("region_code"),
    epciSiren: text("epci_siren"),
    siren: text("siren"),
    postcodes: text("postcodes").array().notNull().default([]),
    population: integer("population"),
  },
  (t) => [index("geo_communes_epci_idx").on(t.epciSiren), index("geo_communes_dep_idx").on(t.departementCode)],
);

/** Commune contours as GeoJSON geometry, with their source for attribution. */
export const communeContours = pgTable("geo_commune_contours", {
  code: text("code").primaryKey(),
  geometry: jsonb("geometry").notNull(),
  source: text("source").notNull(),
});

/** Which dataset version loaded the national tables (so a start knows whether to reload). */
export const geoDatasets = pgTable(
  "geo_datasets",
  {
    name: text("name").notNull(),
    version: text("version").notNull(),
  },
  (t) => [primaryKey({ columns: [t.name] })],
);
