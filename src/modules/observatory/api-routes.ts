import { z } from "zod";
import { defineRoute, type RouteContext } from "../../core/http/registry.ts";
import { toCsv } from "../../core/formats/csv.ts";
import { GEO_LEVELS } from "./schema.ts";
import { geoKey, loadCells, loadTerritoryGeography, type Geo, type IndicatorRow } from "./queries.ts";

// The open API of the observatory: the catalogue and the observations, as JSON or CSV
// (`format=csv` or `Accept: text/csv`), paginated; a secret value is never exposed (null, status
// "secret"), local indicators of a territory only with that territory named.

const indicatorSchema = z.object({
  code: z.string(),
  name: z.string(),
  definition: z.string().nullable(),
  unit: z.string(),
  source: z.string().nullable(),
  producer: z.string().nullable(),
  licence: z.string().nullable(),
  levels: z.array(z.string()),
  periodicity: z.enum(["annual", "quarterly", "monthly", "punctual"]),
  aggregation: z.enum(["sum", "ratio", "none"]).describe("sum : somme (secrète si une partie l'est) ; ratio : recalculé à partir du numérateur et du dénominateur ; none : non additionnable"),
  numerator: z.string().nullable(),
  denominator: z.string().nullable(),
  scale: z.number(),
  decimals: z.number().int(),
  theme: z.string().nullable(),
  territory: z.string().nullable().describe("slug du territoire pour un indicateur local, null pour un indicateur national"),
  lastUpdate: z.string().nullable(),
});
const observationSchema = z.object({
  indicator: z.string(),
  geoLevel: z.enum(GEO_LEVELS),
  geoCode: z.string(),
  period: z.string().describe("premier jour de la période (AAAA-MM-JJ)"),
  value: z.number().nullable().describe("null quand la valeur est inconnue ou couverte par le secret statistique"),
  status: z.enum(["final", "provisional", "estimated", "secret"]),
});

const fmt = z.preprocess((v) => (v === "" ? undefined : v), z.enum(["json", "csv"], { error: "Le format vaut json ou csv." }).optional());
const isoDate = z.preprocess(
  (v) => (v === "" ? undefined : typeof v === "string" && /^\d{4}$/.test(v) ? `${v}-01-01` : v),
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Une date s’écrit AAAA ou AAAA-MM-JJ." }).optional(),
);
const slug = z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^[a-z0-9-]{1,80}$/, { error: "Territoire inconnu." }).optional());

const wantsCsv = (ctx: RouteContext<any, any>, format?: string) => format === "csv" || (format !== "json" && /text\/csv/.test(String(ctx.req.headers.accept ?? "")));

async function territoryBySlug(ctx: RouteContext<any, any>, s: string | undefined) {
  if (!s) return undefined;
  const [t] = await ctx.database.query<{ id: number; slug: string; name: string }>("SELECT id, slug, name FROM territories WHERE slug = $1 AND archived_at IS NULL", [s]);
  return t ?? null;
}

const COLUMNS = `i.id, i.territory_id AS "territoryId", i.code, i.name, i.definition, i.unit, i.source, i.producer, i.licence, i.levels, i.periodicity, i.aggregation,
  i.numerator_id AS "numeratorId", i.denominator_id AS "denominatorId", i.scale, i.decimals, i.direction, i.theme, to_char(i.last_update, 'YYYY-MM-DD') AS "lastUpdate"`;

export const apiRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/v1/indicators",
    summary: "Catalogue des indicateurs de l'observatoire (nationaux, et locaux d'un territoire avec territory=slug)",
    kind: "api",
    permission: "public",
    query: z.object({ territory: slug, format: fmt }),
    cache: true,
    openapi: true,
    tags: ["Observatoire"],
    response: z.object({ indicators: z.array(indicatorSchema) }),
    handler: async (ctx) => {
      const t = await territoryBySlug(ctx, ctx.query.territory);
      if (t === null) return ctx.reply.code(404).send({ error: "not_found", message: "Territoire inconnu.", status: 404 });
      const rows = await ctx.database.query<IndicatorRow & { numeratorCode: string | null; denominatorCode: string | null; territorySlug: string | null }>(
        `SELECT ${COLUMNS}, n.code AS "numeratorCode", d.code AS "denominatorCode", t.slug AS "territorySlug"
         FROM indicators i LEFT JOIN indicators n ON n.id = i.numerator_id LEFT JOIN indicators d ON d.id = i.denominator_id LEFT JOIN territories t ON t.id = i.territory_id
         WHERE i.archived_at IS NULL AND (i.territory_id IS NULL OR i.territory_id = $1) ORDER BY i.territory_id NULLS FIRST, i.id`,
        [t?.id ?? 0],
      );
      const indicators = rows.map((r) => ({
        code: r.code,
        name: r.name,
        definition: r.definition,
        unit: r.unit,
        source: r.source,
        producer: r.producer,
        licence: r.licence,
        levels: r.levels,
        periodicity: r.periodicity,
        aggregation: r.aggregation,
        numerator: r.numeratorCode,
        denominator: r.denominatorCode,
        scale: Number(r.scale),
        decimals: r.decimals,
        theme: r.theme,
        territory: r.territorySlug,
        lastUpdate: r.lastUpdate,
      }));
      if (wantsCsv(ctx, ctx.query.format)) {
        ctx.reply.header("content-type", "text/csv; charset=utf-8").header("content-disposition", 'attachment; filename="indicateurs.csv"');
        return toCsv(
          ["code", "nom", "definition", "unite", "source", "producteur", "licence", "niveaux", "periodicite", "agregation", "numerateur", "denominateur", "territoire", "mise_a_jour"],
          indicators.map((i) => [i.code, i.name, i.definition, i.unit, i.source, i.producer, i.licence, i.levels.join(" "), i.periodicity, i.aggregation, i.numerator, i.denominator, i.territory, i.lastUpdate]),
        );
      }
      return { indicators };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/v1/observations",
    summary: "Observations d'un indicateur, par géographie et période (JSON ou CSV, paginé ; jamais de valeur secrète)",
    kind: "api",
    permission: "public",
    query: z.object({
      indicator: z.string({ error: "Indiquez l’indicateur (indicator=code)." }).regex(/^[a-z0-9_-]{1,60}$/, { error: "Code d’indicateur mal formé." }),
      geo: z.preprocess(
        (v) => (v === "" ? undefined : v),
        z
          .string()
          .max(2000)
          .regex(/^[a-z]+:[A-Za-z0-9-]+(,[a-z]+:[A-Za-z0-9-]+)*$/, { error: "geo s’écrit niveau:code, séparés par des virgules (commune:14762, epci:200068799, departement:14, region:28, france:FR, territory:slug)." })
          .optional(),
      ),
      from: isoDate,
      to: isoDate,
      territory: slug,
      format: fmt,
      limit: z.coerce.number().int().min(1, { error: "limit va de 1 à 10 000." }).max(10000, { error: "limit va de 1 à 10 000." }).default(1000),
      offset: z.coerce.number().int().min(0).max(100_000_000).default(0),
    }),
    cache: true,
    openapi: true,
    tags: ["Observatoire"],
    response: z.object({ indicator: z.string(), total: z.number().int().nullable(), limit: z.number().int(), offset: z.number().int(), observations: z.array(observationSchema) }),
    handler: async (ctx) => {
      const q = ctx.query;
      const fail = (status: number, message: string) => ctx.reply.code(status).send({ error: status === 404 ? "not_found" : "bad_request", message, status });
      // Local indicators need their territory, named by territory=slug or a territory:slug geography.
      const geoParts = (q.geo ?? "").split(",").filter(Boolean).map((s) => s.split(":") as [string, string]);
      const tSlug = q.territory ?? geoParts.find(([l]) => l === "territory")?.[1];
      const t = await territoryBySlug(ctx, tSlug);
      if (t === null) return fail(404, "Territoire inconnu.");
      const [indicator] = await ctx.database.query<IndicatorRow>(
        `SELECT ${COLUMNS} FROM indicators i WHERE i.code = $1 AND i.archived_at IS NULL AND (i.territory_id IS NULL OR i.territory_id = $2) ORDER BY i.territory_id NULLS LAST LIMIT 1`,
        [q.indicator, t?.id ?? 0],
      );
      if (!indicator) return fail(404, `Indicateur inconnu : ${q.indicator}.`);
      for (const [level] of geoParts) if (!(GEO_LEVELS as readonly string[]).includes(level) || level === "action") return fail(400, `Niveau géographique inconnu : ${level}.`);
      let rows: { indicator: string; geoLevel: string; geoCode: string; period: string; value: number | null; status: string }[];
      let total: number | null = null;
      const computed = indicator.aggregation === "ratio" || geoParts.some(([l]) => l === "territory");
      if (computed) {
        if (!geoParts.length) return fail(400, "Pour un taux, précisez les géographies avec geo=niveau:code.");
        if (geoParts.length > 200) return fail(400, "200 géographies au plus par requête.");
        const geography = t ? await loadTerritoryGeography(ctx.database, t) : { epcis: [], communes: [] };
        const geos: Geo[] = geoParts.map(([level, code]) => (level === "territory" ? { level: "territory", code: String(t!.id), name: t!.name } : { level: level as Geo["level"], code, name: code }));
        const cells = await loadCells(ctx.database, [indicator], geos, geography, { from: q.from, to: q.to });
        const all = geos.flatMap((g, k) =>
          [...(cells.get(indicator.id)?.get(geoKey(g)) ?? new Map()).entries()]
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([period, c]) => ({ indicator: indicator.code, geoLevel: geoParts[k][0], geoCode: geoParts[k][1], period, value: c.status === "secret" ? null : c.value, status: c.status })),
        );
        total = all.length;
        rows = all.slice(q.offset, q.offset + q.limit);
      } else {
        const params: unknown[] = [indicator.id];
        let where = "o.indicator_id = $1";
        if (geoParts.length) {
          params.push(geoParts.map(([l]) => l), geoParts.map(([, c]) => c));
          where += ` AND (o.geo_level, o.geo_code) IN (SELECT * FROM unnest($2::text[], $3::text[]))`;
        }
        if (q.from) {
          params.push(q.from);
          where += ` AND o.period >= $${params.length}::date`;
        }
        if (q.to) {
          params.push(q.to);
          where += ` AND o.period <= $${params.length}::date`;
        }
        params.push(q.limit, q.offset);
        rows = await ctx.database.query(
          `SELECT $1::int AS _, o.geo_level AS "geoLevel", o.geo_code AS "geoCode", to_char(o.period, 'YYYY-MM-DD') AS period,
             CASE WHEN o.status = 'secret' THEN NULL ELSE o.value END AS value, o.status
           FROM observations o WHERE ${where} ORDER BY o.geo_level, o.geo_code, o.period LIMIT $${params.length - 1} OFFSET $${params.length}`,
          params,
        );
        rows = rows.map((r) => ({ indicator: indicator.code, geoLevel: r.geoLevel, geoCode: r.geoCode, period: r.period, value: r.value == null ? null : Number(r.value), status: r.status }));
      }
      if (wantsCsv(ctx, q.format)) {
        ctx.reply.header("content-type", "text/csv; charset=utf-8").header("content-disposition", `attachment; filename="observations-${indicator.code}.csv"`);
        return toCsv(["indicateur", "niveau", "code", "periode", "valeur", "statut"], rows.map((r) => [r.indicator, r.geoLevel, r.geoCode, r.period, r.value, r.status]));
      }
      return { indicator: indicator.code, total, limit: q.limit, offset: q.offset, observations: rows };
    },
  }),
];
