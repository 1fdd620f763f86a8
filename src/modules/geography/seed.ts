import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { eq } from "drizzle-orm";
import type { Database } from "../../core/db/client.ts";
import { geoDatasets } from "./schema.ts";

const require = createRequire(import.meta.url);
const PKG = "@etalab/decoupage-administratif";
export const CONTOURS_SOURCE = "IGN Admin Express (COG 2018), via france-geojson — Licence Ouverte";
const SEEDS_DIR = new URL("../../../seeds/", import.meta.url).pathname;

function readPackageJson<T>(file: string): T {
  return JSON.parse(readFileSync(require.resolve(`${PKG}/data/${file}`), "utf8")) as T;
}

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  region?: string;
  siren?: string;
  codesPostaux?: string[];
  population?: number;
}

/**
 * Loads the national reference tables (régions, départements, EPCI, communes) from the
 * @etalab/decoupage-administratif data files, once per package version, in one transaction.
 */
export async function seedGeography(database: Database): Promise<void> {
  const version = (JSON.parse(readFileSync(require.resolve(`${PKG}/package.json`), "utf8")) as { version: string }).version;
  const done = await database.db.select().from(geoDatasets).where(eq(geoDatasets.name, PKG));
  if (done[0]?.version === version) {
    await seedContours(database);
    return;
  }
  const regions = readPackageJson<{ code: string; nom: string }[]>("regions.json").map((r) => ({ code: r.code, name: r.nom }));
  const departements = readPackageJson<{ code: string; nom: string; region: string }[]>("departements.json").map((d) => ({ code: d.code, name: d.nom, region_code: d.region }));
  const epciRaw = readPackageJson<{ code: string; nom: string; type: string; populationMunicipale?: number; membres: { code: string }[] }[]>("epci.json");
  const epcis = epciRaw.map((e) => ({ siren: e.code, name: e.nom, kind: e.type, population: e.populationMunicipale ?? null }));
  const epciOf = new Map<string, string>();
  for (const e of epciRaw) for (const m of e.membres) epciOf.set(m.code, e.code);
  const communes = readPackageJson<RawCommune[]>("communes.json")
    .filter((c) => c.type === "commune-actuelle")
    .map((c) => ({
      code: c.code,
      name: c.nom,
      departement_code: c.departement ?? null,
      region_code: c.region ?? null,
      epci_siren: epciOf.get(c.code) ?? null,
      siren: c.siren ?? null,
      postcodes: c.codesPostaux ?? [],
      population: c.population ?? null,
    }));
  await database.db.transaction(async (tx) => {
    const q = (sql: string, rows: unknown[]) => tx.execute(sqlWithJson(sql, rows));
    await q(
      `INSERT INTO geo_regions (code, name) SELECT code, name FROM json_to_recordset($json) AS r(code text, name text)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name`,
      regions,
    );
    await q(
      `INSERT INTO geo_departements (code, name, region_code) SELECT code, name, region_code FROM json_to_recordset($json) AS r(code text, name text, region_code text)
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, region_code = EXCLUDED.region_code`,
      departements,
    );
    await q(
      `INSERT INTO geo_epcis (siren, name, kind, population) SELECT siren, name, kind, population FROM json_to_recordset($json) AS r(siren text, name text, kind text, population int)
       ON CONFLICT (siren) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, population = EXCLUDED.population`,
      epcis,
    );
    for (let i = 0; i < communes.length; i += 5000) {
      await q(
        `INSERT INTO geo_communes (code, name, departement_code, region_code, epci_siren, siren, postcodes, population)
         SELECT code, name, departement_code, region_code, epci_siren, siren, ARRAY(SELECT json_array_elements_text(postcodes)), population
         FROM json_to_recordset($json) AS r(code text, name text, departement_code text, region_code text, epci_siren text, siren text, postcodes json, population int)
         ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, departement_code = EXCLUDED.departement_code, region_code = EXCLUDED.region_code,
           epci_siren = EXCLUDED.epci_siren, siren = EXCLUDED.siren, postcodes = EXCLUDED.postcodes, population = EXCLUDED.population`,
        communes.slice(i, i + 5000),
      );
    }
    await tx.insert(geoDatasets).values({ name: PKG, version }).onConflictDoUpdate({ target: geoDatasets.name, set: { version } });
  });
  await seedContours(database);
}

// Drizzle's sql template would bind the JSON as a parameter; the placeholder keeps the SQL readable.
import { sql as dsql, type SQL } from "drizzle-orm";
function sqlWithJson(text: string, rows: unknown[]): SQL {
  const [before, after] = text.split("$json");
  return dsql.join([dsql.raw(before), dsql`${JSON.stringify(rows)}::json`, dsql.raw(after)]);
}

/** Contours of the seeded territories' communes (shipped in seeds/, joined on the INSEE code). */
async function seedContours(database: Database): Promise<void> {
  for (const file of ["collines-normandie-communes.geojson", "demo-communes.geojson"]) {
    let geo: { features: { properties: { code: string }; geometry: unknown }[] };
    try {
      geo = JSON.parse(readFileSync(SEEDS_DIR + file, "utf8"));
    } catch {
      continue;
    }
    const rows = geo.features.map((f) => ({ code: f.properties.code, geometry: f.geometry, source: CONTOURS_SOURCE }));
    await database.db.execute(
      sqlWithJson(
        `INSERT INTO geo_commune_contours (code, geometry, source) SELECT code, geometry, source FROM json_to_recordset($json) AS r(code text, geometry jsonb, source text)
         ON CONFLICT (code) DO NOTHING`,
        rows,
      ),
    );
  }
}
