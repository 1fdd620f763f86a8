// The concrete request of every row of the observatory module's matrix (see test/helpers/matrix.ts).
import type { BuildContext, RequestSpec } from "../matrix.ts";

const inT = (path: string): RequestSpec => ({ build: (c) => ({ url: `/t/${c.slug}${path}` }) });

/** A fresh local indicator of the fixture's territory (by commune), with one value for Vire Normandie or the first commune. */
async function localIndicator(c: BuildContext): Promise<number> {
  const n = c.world.next();
  const [row] = await c.world.t.database.query<{ id: number }>(
    `INSERT INTO indicators (territory_id, code, name, unit, levels, periodicity, aggregation, decimals, theme)
     VALUES ($1, $2, $3, 'emplois', '{commune,territory}', 'annual', 'sum', 2, 'Indicateurs locaux') RETURNING id`,
    [c.t.id, `matrice_${n}`, `Indicateur de la matrice ${n}`],
  );
  await c.world.t.database.query(
    `INSERT INTO observations (indicator_id, geo_level, geo_code, period, value) VALUES ($1, 'territory', $2, '2024-01-01', 7)`,
    [row.id, String(c.t.id)],
  );
  return row.id;
}

const onIndicator = (path: string, form?: (c: BuildContext) => Record<string, string>): RequestSpec => ({
  build: async (c) => ({ url: `/t/${c.slug}/gestion/observatoire/indicateurs/${await localIndicator(c)}${path}`, form: form ? form(c) : undefined }),
});

const indicatorFields = (c: BuildContext) => ({ code: `matrice_form_${c.n}_${c.world.next()}`, name: "Emplois créés (matrice)", unit: "emplois", periodicity: "annual", level: "territory", direction: "up" });

export const observatoryRequests: Record<string, RequestSpec> = {
  "GET /t/:slug/observatoire": inT("/observatoire"),
  "GET /t/:slug/observatoire/graphique.csv": inT("/observatoire/graphique.csv?id=population-epci"),
  "GET /t/:slug/observatoire/diagnostic.pdf": inT("/observatoire/diagnostic.pdf"),
  "GET /t/:slug/observatoire/indicateurs": inT("/observatoire/indicateurs"),
  "GET /t/:slug/observatoire/indicateurs/:code": inT("/observatoire/indicateurs/pop_municipale"),
  "GET /t/:slug/observatoire/indicateurs/:code/donnees.csv": inT("/observatoire/indicateurs/pop_municipale/donnees.csv"),
  "GET /api/v1/indicators": { build: () => ({ url: "/api/v1/indicators" }) },
  "GET /api/v1/observations": { build: () => ({ url: "/api/v1/observations?indicator=pop_municipale&geo=commune:14762,france:FR" }) },
  "GET /t/:slug/gestion/observatoire": inT("/gestion/observatoire"),
  "GET /t/:slug/gestion/observatoire/indicateurs/nouveau": inT("/gestion/observatoire/indicateurs/nouveau"),
  "POST /t/:slug/gestion/observatoire/indicateurs/nouveau": { build: (c) => ({ url: `/t/${c.slug}/gestion/observatoire/indicateurs/nouveau`, form: indicatorFields(c) }) },
  "GET /t/:slug/gestion/observatoire/indicateurs/:id": onIndicator(""),
  "GET /t/:slug/gestion/observatoire/indicateurs/:id/modifier": onIndicator("/modifier"),
  "POST /t/:slug/gestion/observatoire/indicateurs/:id": onIndicator("", indicatorFields),
  "POST /t/:slug/gestion/observatoire/indicateurs/:id/valeurs": onIndicator("/valeurs", () => ({ geo: "territory", period: "2025", value: "12", status: "final" })),
  "POST /t/:slug/gestion/observatoire/indicateurs/:id/valeurs/supprimer": onIndicator("/valeurs/supprimer", () => ({ geo: "territory", period: "2024-01-01" })),
  "POST /t/:slug/gestion/observatoire/indicateurs/:id/archiver": onIndicator("/archiver"),
  "GET /gestion/observatoire/imports": { build: () => ({ url: "/gestion/observatoire/imports" }) },
  "POST /gestion/observatoire/imports": {
    build: () => ({
      url: "/gestion/observatoire/imports",
      form: { kind: "insee-populations", annee: "1999" },
      file: { field: "file", filename: "populations-1999.csv", content: Buffer.from("COM;PMUN\n14762;100\n"), contentType: "text/csv" },
    }),
  },
};
