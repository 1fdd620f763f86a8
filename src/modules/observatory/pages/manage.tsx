import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { z } from "zod";
import { sql } from "drizzle-orm";
import { defineRoute, type RouteContext } from "../../../core/http/registry.ts";
import { choiceField, optionalText, parseForm, textField, type FieldErrors, type FormValues } from "../../../core/forms/index.ts";
import { recordAudit } from "../../../core/audit/index.ts";
import { can } from "../../../core/authz/index.ts";
import { BackOfficeLayout } from "../../../core/ui/backoffice-layout.tsx";
import { ActionButton, EmptyState, ErrorSummary, Form, SelectField, TextArea, TextField } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { formatDateTime } from "../../../core/i18n/format.ts";
import { uploadedFile, textFields } from "../../../core/http/upload.ts";
import { formatReport, runImport, type ImportReport } from "../../../core/imports/index.ts";
import { periodLabel, parseNumber, statusLabel } from "../model.ts";
import { formatCell } from "../overview.ts";
import { loadTerritoryGeography } from "../queries.ts";
import { IMPORTERS } from "../importers.ts";
import { PERIODICITY_LABELS } from "./public.tsx";

// The back-office of the observatory: a territory's staff keep local indicators (e.g. jobs created
// in the business parks) and enter their values by hand; platform admins import national files.
// Linking an indicator to an action is done on the action sheet (plan module).

type Ctx = RouteContext<any, any>;
const slugParams = z.object({ slug: z.string() });
const idParams = z.object({ slug: z.string(), id: z.coerce.number().int().positive().max(2147483647) });

const PERIODICITIES = ["annual", "quarterly", "monthly", "punctual"] as const;
const LOCAL_LEVELS = { territory: "le territoire seulement", commune: "les communes (le territoire en est la somme)" } as const;
const STATUSES = ["final", "provisional", "estimated", "secret"] as const;
const STATUS_CHOICES = [
  { value: "final", label: "Définitive" },
  { value: "provisional", label: "Provisoire" },
  { value: "estimated", label: "Estimation" },
  { value: "secret", label: "Secret statistique (valeur non diffusée)" },
];

export const indicatorForm = z.object({
  code: z
    .string({ error: "Indiquez le code de l’indicateur." })
    .trim()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9_]{1,59}$/, { error: "Le code ne contient que des lettres minuscules sans accent, des chiffres et des « _ », par exemple emplois_parcs." }),
  name: textField("le nom de l’indicateur", { max: 200 }),
  definition: optionalText("la définition", { max: 5000 }),
  unit: textField("l’unité", { max: 40 }),
  source: optionalText("la source", { max: 500 }),
  producer: optionalText("le producteur", { max: 200 }),
  periodicity: choiceField(PERIODICITIES, "Choisissez une périodicité dans la liste."),
  level: choiceField(["territory", "commune"] as const, "Choisissez le niveau des valeurs dans la liste."),
  direction: choiceField(["up", "down", "neutral"] as const, "Choisissez le sens de lecture dans la liste."),
});

export const observationForm = z.object({
  geo: z.string({ error: "Choisissez le territoire ou la commune." }).regex(/^(territory|commune:[0-9][0-9AB][0-9]{3})$/, { error: "Choisissez le territoire ou une commune dans la liste." }),
  period: z
    .string({ error: "Indiquez la période." })
    .trim()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, { error: "La période s’écrit AAAA (une année), AAAA-MM (un mois) ou AAAA-MM-JJ (une date)." })
    .transform((s) => (s.length === 4 ? `${s}-01-01` : s.length === 7 ? `${s}-01` : s))
    .refine((s) => !Number.isNaN(Date.parse(s)) && s >= "1900-01-01" && s <= "2100-12-31", { error: "Cette date n’existe pas." }),
  value: z.string().optional().default(""),
  status: choiceField(STATUSES, "Choisissez un statut dans la liste."),
  comment: optionalText("le commentaire", { max: 500 }),
});

const LABELS = { code: "Code", name: "Nom", definition: "Définition", unit: "Unité", source: "Source", producer: "Producteur", periodicity: "Périodicité", level: "Niveau des valeurs", direction: "Sens de lecture", geo: "Territoire ou commune", period: "Période", value: "Valeur", status: "Statut", comment: "Commentaire" };

interface LocalIndicator {
  id: number;
  code: string;
  name: string;
  definition: string | null;
  unit: string;
  source: string | null;
  producer: string | null;
  periodicity: string;
  levels: string[];
  direction: string;
  decimals: number;
  archivedAt: Date | null;
}

async function localIndicators(ctx: Ctx): Promise<(LocalIndicator & { count: number })[]> {
  return ctx.database.query(
    `SELECT i.id, i.code, i.name, i.unit, i.periodicity, i.levels, i.archived_at AS "archivedAt", (SELECT count(*)::int FROM observations o WHERE o.indicator_id = i.id) AS count
     FROM indicators i WHERE i.territory_id = $1 ORDER BY i.archived_at NULLS FIRST, i.name`,
    [ctx.territory.id],
  );
}

async function loadLocal(ctx: Ctx, id: number): Promise<LocalIndicator | undefined> {
  const [row] = await ctx.database.query<LocalIndicator>(
    `SELECT id, code, name, definition, unit, source, producer, periodicity, levels, direction, decimals, archived_at AS "archivedAt" FROM indicators WHERE id = $1 AND territory_id = $2`,
    [id, ctx.territory.id],
  );
  return row;
}

const crumbs = (ctx: Ctx) => [{ label: ctx.territory.name, href: `/t/${ctx.territory.slug}/gestion` }, { label: "Observatoire", href: `/t/${ctx.territory.slug}/gestion/observatoire` }];

function HomePage({ ctx, rows, runs }: { ctx: Ctx; rows: Awaited<ReturnType<typeof localIndicators>>; runs: { id: number; kind: string; file_name: string | null; status: string; rows_read: number; rows_kept: number; rows_rejected: number; message: string | null; started_at: Date }[] }) {
  const base = `/t/${ctx.territory.slug}/gestion/observatoire`;
  return (
    <BackOfficeLayout actor={ctx.actor} territory={ctx.territory} title="Observatoire" section="/observatoire" crumbs={[{ label: ctx.territory.name, href: `/t/${ctx.territory.slug}/gestion` }]} csrfToken={ctx.csrfToken()} flash={ctx.flash}>
      <h1>Observatoire : indicateurs locaux</h1>
      <p>
        Les indicateurs nationaux (Insee, Urssaf, Sirene, Dares) sont importés pour toute la plateforme. Ajoutez ici les indicateurs propres au territoire, par exemple les emplois créés dans les parcs
        d’activités, et saisissez leurs valeurs. Pour suivre un indicateur dans une action du plan, ouvrez la fiche de l’action et ajoutez-le dans sa partie « Indicateurs ».
      </p>
      <p>
        <a class="button" href={`${base}/indicateurs/nouveau`}>
          Ajouter un indicateur local
        </a>{" "}
        <a href={`/t/${ctx.territory.slug}/observatoire`}>Voir l’observatoire public</a>
      </p>
      {rows.length ? (
        <table class="table">
          <caption>Indicateurs locaux de {ctx.territory.name}</caption>
          <thead>
            <tr>
              <th scope="col">Indicateur</th>
              <th scope="col">Unité</th>
              <th scope="col">Périodicité</th>
              <th scope="col" class="num">
                Valeurs
              </th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <th scope="row">
                  <a href={`${base}/indicateurs/${r.id}`}>{r.name}</a>
                </th>
                <td>{r.unit}</td>
                <td>{PERIODICITY_LABELS[r.periodicity]}</td>
                <td class="num">{r.count}</td>
                <td>{r.archivedAt ? "Archivé" : "Publié"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <EmptyState>Aucun indicateur local pour l’instant.</EmptyState>
      )}
      <h2>Derniers imports de données nationales</h2>
      {can(ctx.actor, "observatory.national.import") ? (
        <p>
          <a href="/gestion/observatoire/imports">Importer un fichier national</a> (populations légales, Urssaf, Dares, Sirene)
        </p>
      ) : (
        <p>Les fichiers nationaux, communs à tous les territoires, sont importés par les administrateurs de la plateforme.</p>
      )}
      {runs.length ? (
        <table class="table">
          <caption class="visually-hidden">Derniers imports</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Fichier</th>
              <th scope="col">Résultat</th>
              <th scope="col" class="num">
                Lignes lues
              </th>
              <th scope="col" class="num">
                Rejetées
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr>
                <td>{formatDateTime(r.started_at)}</td>
                <td>
                  {IMPORTERS[r.kind]?.label ?? r.kind}
                  {r.file_name ? ` — ${r.file_name}` : ""}
                </td>
                <td>{r.status === "done" ? r.message : r.status === "failed" ? `Échec : ${r.message}` : "En cours"}</td>
                <td class="num">{r.rows_read.toLocaleString("fr-FR")}</td>
                <td class="num">{r.rows_rejected.toLocaleString("fr-FR")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <EmptyState>Aucun import de données nationales n’a encore été fait.</EmptyState>
      )}
    </BackOfficeLayout>
  );
}

function IndicatorFormPage({ ctx, values, errors, indicator }: { ctx: Ctx; values: FormValues; errors?: FieldErrors; indicator?: LocalIndicator }) {
  const base = `/t/${ctx.territory.slug}/gestion/observatoire`;
  const title = indicator ? `Modifier l’indicateur « ${indicator.name} »` : "Ajouter un indicateur local";
  return (
    <BackOfficeLayout actor={ctx.actor} territory={ctx.territory} title={title} section="/observatoire" crumbs={crumbs(ctx)} csrfToken={ctx.csrfToken()} hasErrors={!!errors} currentPath={indicator ? `${base}/indicateurs/${indicator.id}` : `${base}/indicateurs/nouveau`}>
      <h1>{title}</h1>
      {errors ? <ErrorSummary errors={errors} labels={LABELS} /> : null}
      <Form action={indicator ? `${base}/indicateurs/${indicator.id}` : `${base}/indicateurs/nouveau`} csrfToken={ctx.csrfToken()} novalidate>
        <TextField name="code" label="Code" hint="Identifiant stable, dans les adresses et l’API : lettres minuscules, chiffres, « _ »." required values={values} errors={errors} maxLength={60} />
        <TextField name="name" label="Nom" required values={values} errors={errors} maxLength={200} />
        <TextArea name="definition" label="Définition" hint="Ce qui est compté, le champ, la date de référence." values={values} errors={errors} />
        <TextField name="unit" label="Unité" hint="Par exemple : emplois, hectares, %." required values={values} errors={errors} maxLength={40} />
        <TextField name="source" label="Source" values={values} errors={errors} maxLength={500} />
        <TextField name="producer" label="Producteur" values={values} errors={errors} maxLength={200} />
        <SelectField name="periodicity" label="Périodicité" required options={PERIODICITIES.map((p) => ({ value: p, label: PERIODICITY_LABELS[p] }))} values={values} errors={errors} />
        <SelectField name="level" label="Niveau des valeurs" required options={Object.entries(LOCAL_LEVELS).map(([value, label]) => ({ value, label }))} values={values} errors={errors} />
        <SelectField
          name="direction"
          label="Sens de lecture"
          required
          options={[
            { value: "up", label: "Plus c’est haut, mieux c’est" },
            { value: "down", label: "Plus c’est bas, mieux c’est" },
            { value: "neutral", label: "Ni l’un ni l’autre" },
          ]}
          values={values}
          errors={errors}
        />
        <button type="submit" class="button">
          Enregistrer
        </button>
      </Form>
    </BackOfficeLayout>
  );
}

interface ObservationRow {
  geo_level: string;
  geo_code: string;
  period: string;
  value: number | null;
  status: "final" | "provisional" | "estimated" | "secret";
  comment: string | null;
}

async function IndicatorPage({ ctx, indicator, values, errors }: { ctx: Ctx; indicator: LocalIndicator; values?: FormValues; errors?: FieldErrors }) {
  const base = `/t/${ctx.territory.slug}/gestion/observatoire/indicateurs/${indicator.id}`;
  const geography = await loadTerritoryGeography(ctx.database, ctx.territory);
  const names = new Map(geography.communes.map((c) => [c.code, c.name]));
  const obs = await ctx.database.query<ObservationRow>(
    `SELECT geo_level, geo_code, to_char(period, 'YYYY-MM-DD') AS period, value, status, comment FROM observations WHERE indicator_id = $1 ORDER BY period DESC, geo_level DESC, geo_code`,
    [indicator.id],
  );
  const geoOptions = [{ value: "territory", label: `${ctx.territory.name} (tout le territoire)` }, ...(indicator.levels.includes("commune") ? geography.communes.map((c) => ({ value: `commune:${c.code}`, label: c.name })) : [])];
  const geoName = (o: ObservationRow) => (o.geo_level === "territory" ? ctx.territory.name : (names.get(o.geo_code) ?? o.geo_code));
  return (
    <BackOfficeLayout actor={ctx.actor} territory={ctx.territory} title={indicator.name} section="/observatoire" crumbs={crumbs(ctx)} csrfToken={ctx.csrfToken()} flash={ctx.flash} hasErrors={!!errors} currentPath={base}>
      <h1>{indicator.name}</h1>
      <p>
        {indicator.archivedAt ? <strong>Archivé : il n’apparaît plus sur l’observatoire public. </strong> : null}
        <a href={`/t/${ctx.territory.slug}/observatoire/indicateurs/${indicator.code}`}>Voir la fiche publique</a> · <a href={`${base}/modifier`}>Modifier la définition</a>
      </p>
      <h2>Valeurs</h2>
      {obs.length ? (
        <table class="table">
          <caption class="visually-hidden">Valeurs de l’indicateur</caption>
          <thead>
            <tr>
              <th scope="col">Période</th>
              <th scope="col">Territoire ou commune</th>
              <th scope="col" class="num">
                Valeur ({indicator.unit})
              </th>
              <th scope="col">Statut</th>
              <th scope="col">Commentaire</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {obs.map((o) => (
              <tr>
                <td>{periodLabel(o.period, indicator.periodicity)}</td>
                <th scope="row">{geoName(o)}</th>
                <td class="num">{formatCell({ value: o.value == null ? null : Number(o.value), status: o.status }, { decimals: 2, unit: indicator.unit })}</td>
                <td>{statusLabel(o.status) ?? "définitive"}</td>
                <td>{o.comment ?? ""}</td>
                <td>
                  <form method="post" action={`${base}/valeurs/supprimer`} class="inline-form">
                    <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
                    <input type="hidden" name="geo" value={o.geo_level === "territory" ? "territory" : `commune:${o.geo_code}`} />
                    <input type="hidden" name="period" value={o.period} />
                    <button type="submit" class="button-link">
                      Supprimer<span class="visually-hidden"> la valeur de {geoName(o)} pour {periodLabel(o.period, indicator.periodicity)}</span>
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <EmptyState>Aucune valeur saisie.</EmptyState>
      )}
      <h2 id="saisie">Saisir une valeur</h2>
      <p>Une valeur déjà saisie pour la même période et le même lieu est remplacée.</p>
      {errors ? <ErrorSummary errors={errors} labels={LABELS} /> : null}
      <Form action={`${base}/valeurs`} csrfToken={ctx.csrfToken()} novalidate>
        <SelectField name="geo" label="Territoire ou commune" required options={geoOptions} values={values ?? { geo: "territory" }} errors={errors} />
        <TextField name="period" label="Période" hint="AAAA pour une année (2024), AAAA-MM pour un mois ou un trimestre (2024-04), AAAA-MM-JJ pour une date." required values={values} errors={errors} maxLength={10} />
        <TextField name="value" label="Valeur" hint="Un nombre, par exemple 42 ou 12,5 ; laissez vide pour une valeur secrète." values={values} errors={errors} inputmode="decimal" maxLength={30} />
        <SelectField name="status" label="Statut" required options={STATUS_CHOICES} values={values ?? { status: "final" }} errors={errors} />
        <TextField name="comment" label="Commentaire" values={values} errors={errors} maxLength={500} />
        <button type="submit" class="button">
          Enregistrer la valeur
        </button>
      </Form>
      <h2>Archivage</h2>
      <ActionButton action={`${base}/archiver`} csrfToken={ctx.csrfToken()} label={indicator.archivedAt ? "Restaurer l’indicateur" : "Archiver l’indicateur"} variant="secondary" />
    </BackOfficeLayout>
  );
}

const toValues = (i: LocalIndicator): FormValues => ({
  code: i.code,
  name: i.name,
  definition: i.definition ?? "",
  unit: i.unit,
  source: i.source ?? "",
  producer: i.producer ?? "",
  periodicity: i.periodicity,
  level: i.levels.includes("commune") ? "commune" : "territory",
  direction: i.direction,
});

const isUnique = (e: unknown) => (e as { code?: string; cause?: { code?: string } })?.code === "23505" || (e as { cause?: { code?: string } })?.cause?.code === "23505";

async function saveIndicator(ctx: Ctx, id: number | undefined) {
  const parsed = parseForm(indicatorForm, ctx.req.body);
  const before = id ? await loadLocal(ctx, id) : undefined;
  if (id && !before) return ctx.reply.callNotFound();
  if (!parsed.ok) return ctx.render(<IndicatorFormPage ctx={ctx} values={parsed.values} errors={parsed.errors} indicator={before} />, 422);
  const d = parsed.data;
  const levels = d.level === "commune" ? "{commune,territory}" : "{territory}";
  try {
    const newId = await ctx.database.db.transaction(async (tx) => {
      const national = (await tx.execute(sql`SELECT 1 FROM indicators WHERE territory_id IS NULL AND code = ${d.code}`)) as unknown as { rows: unknown[] };
      if (national.rows.length) throw Object.assign(new Error("dup"), { code: "23505" });
      const r = (await tx.execute(
        id
          ? sql`UPDATE indicators SET code = ${d.code}, name = ${d.name}, definition = ${d.definition}, unit = ${d.unit}, source = ${d.source}, producer = ${d.producer},
              periodicity = ${d.periodicity}, levels = ${levels}::text[], direction = ${d.direction}, last_update = CURRENT_DATE WHERE id = ${id} AND territory_id = ${ctx.territory.id} RETURNING id`
          : sql`INSERT INTO indicators (territory_id, code, name, definition, unit, source, producer, licence, levels, periodicity, aggregation, decimals, direction, theme, last_update)
              VALUES (${ctx.territory.id}, ${d.code}, ${d.name}, ${d.definition}, ${d.unit}, ${d.source}, ${d.producer}, NULL, ${levels}::text[], ${d.periodicity}, 'sum', 2, ${d.direction}, 'Indicateurs locaux', CURRENT_DATE) RETURNING id`,
      )) as unknown as { rows: { id: number }[] };
      const rid = r.rows[0].id;
      await recordAudit(tx, ctx.audit, { territoryId: ctx.territory.id, action: id ? "update" : "create", entity: "indicator", entityId: rid, before: before ? toValues(before) : undefined, after: d });
      return rid;
    });
    return ctx.redirect(`/t/${ctx.territory.slug}/gestion/observatoire/indicateurs/${newId}`, id ? "Indicateur modifié." : "Indicateur ajouté.");
  } catch (e) {
    if (!isUnique(e)) throw e;
    return ctx.render(<IndicatorFormPage ctx={ctx} values={parsed.ok ? (ctx.req.body as FormValues) : {}} errors={{ code: "Ce code est déjà pris par un autre indicateur : choisissez-en un autre." }} indicator={before} />, 422);
  }
}

export const manageRoutes = [
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/observatoire",
    summary: "Back-office de l'observatoire : indicateurs locaux et derniers imports",
    kind: "page",
    permission: "observatory.local.manage",
    params: slugParams,
    handler: async (ctx) => {
      const runs = await ctx.database.query<Parameters<typeof HomePage>[0]["runs"][number]>(
        `SELECT id, kind, file_name, status, rows_read, rows_kept, rows_rejected, message, started_at FROM import_runs WHERE territory_id IS NULL OR territory_id = $1 ORDER BY started_at DESC LIMIT 10`,
        [ctx.territory.id],
      );
      return <HomePage ctx={ctx} rows={await localIndicators(ctx)} runs={runs} />;
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/observatoire/indicateurs/nouveau",
    summary: "Formulaire d'ajout d'un indicateur local",
    kind: "page",
    permission: "observatory.local.manage",
    params: slugParams,
    handler: (ctx) => <IndicatorFormPage ctx={ctx} values={{ periodicity: "annual", level: "territory", direction: "up" }} />,
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/observatoire/indicateurs/nouveau",
    summary: "Ajoute un indicateur local",
    kind: "form",
    permission: "observatory.local.manage",
    params: slugParams,
    body: indicatorForm,
    audit: "indicator",
    handler: (ctx) => saveIndicator(ctx, undefined),
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/observatoire/indicateurs/:id",
    summary: "Un indicateur local : ses valeurs, la saisie d'une valeur",
    kind: "page",
    permission: "observatory.local.manage",
    params: idParams,
    handler: async (ctx) => {
      const indicator = await loadLocal(ctx, ctx.params.id);
      if (!indicator) return ctx.reply.callNotFound();
      return IndicatorPage({ ctx, indicator });
    },
  }),
  defineRoute({
    method: "GET",
    url: "/t/:slug/gestion/observatoire/indicateurs/:id/modifier",
    summary: "Formulaire de modification d'un indicateur local",
    kind: "page",
    permission: "observatory.local.manage",
    params: idParams,
    handler: async (ctx) => {
      const indicator = await loadLocal(ctx, ctx.params.id);
      if (!indicator) return ctx.reply.callNotFound();
      return <IndicatorFormPage ctx={ctx} values={toValues(indicator)} indicator={indicator} />;
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/observatoire/indicateurs/:id",
    summary: "Modifie un indicateur local",
    kind: "form",
    permission: "observatory.local.manage",
    params: idParams,
    body: indicatorForm,
    audit: "indicator",
    handler: (ctx) => saveIndicator(ctx, ctx.params.id),
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/observatoire/indicateurs/:id/valeurs",
    summary: "Saisit (ou remplace) une valeur d'un indicateur local",
    kind: "form",
    permission: "observatory.local.manage",
    params: idParams,
    body: observationForm,
    audit: "observation",
    handler: async (ctx) => {
      const indicator = await loadLocal(ctx, ctx.params.id);
      if (!indicator) return ctx.reply.callNotFound();
      const parsed = parseForm(observationForm, ctx.req.body);
      const errors: FieldErrors = parsed.ok ? {} : { ...parsed.errors };
      let value: number | null = null;
      let geoLevel = "territory";
      let geoCode = String(ctx.territory.id);
      if (parsed.ok) {
        const d = parsed.data;
        if (d.status === "secret") {
          if (d.value.trim()) errors.value = "Une valeur secrète n’est pas diffusée : laissez le champ vide ou choisissez un autre statut.";
        } else {
          value = parseNumber(d.value);
          if (value == null || Math.abs(value) > 1e15) errors.value = "Indiquez la valeur en chiffres, par exemple 42 ou 12,5.";
        }
        if (d.geo.startsWith("commune:")) {
          const code = d.geo.slice(8);
          const geography = await loadTerritoryGeography(ctx.database, ctx.territory);
          if (!indicator.levels.includes("commune") || !geography.communes.some((c) => c.code === code)) errors.geo = "Choisissez le territoire ou une commune du territoire dans la liste.";
          geoLevel = "commune";
          geoCode = code;
        }
      }
      if (!parsed.ok || Object.keys(errors).length) return ctx.render(await IndicatorPage({ ctx, indicator, values: parsed.ok ? (ctx.req.body as FormValues) : parsed.values, errors }), 422);
      const d = parsed.data;
      await ctx.database.db.transaction(async (tx) => {
        await tx.execute(sql`
          INSERT INTO observations (indicator_id, geo_level, geo_code, period, value, status, comment, source, entered_by)
          VALUES (${indicator.id}, ${geoLevel}, ${geoCode}, ${d.period}::date, ${value}, ${d.status}, ${d.comment}, ${indicator.source}, ${ctx.actor.user?.id ?? null})
          ON CONFLICT (indicator_id, geo_level, geo_code, period) DO UPDATE SET value = EXCLUDED.value, status = EXCLUDED.status, comment = EXCLUDED.comment, entered_by = EXCLUDED.entered_by`);
        await tx.execute(sql`UPDATE indicators SET last_update = CURRENT_DATE WHERE id = ${indicator.id}`);
        await recordAudit(tx, ctx.audit, { territoryId: ctx.territory.id, action: "update", entity: "observation", entityId: indicator.id, after: { geo: d.geo, period: d.period, value, status: d.status } });
      });
      return ctx.redirect(`/t/${ctx.territory.slug}/gestion/observatoire/indicateurs/${indicator.id}`, "Valeur enregistrée.");
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/observatoire/indicateurs/:id/valeurs/supprimer",
    summary: "Supprime une valeur d'un indicateur local",
    kind: "form",
    permission: "observatory.local.manage",
    params: idParams,
    body: z.object({ geo: z.string(), period: z.string() }),
    audit: "observation",
    handler: async (ctx) => {
      const indicator = await loadLocal(ctx, ctx.params.id);
      if (!indicator) return ctx.reply.callNotFound();
      const b = textFields(ctx.req.body);
      const geo = String(b.geo ?? "");
      const period = String(b.period ?? "");
      if (!/^(territory|commune:[0-9][0-9AB][0-9]{3})$/.test(geo) || !/^\d{4}-\d{2}-\d{2}$/.test(period)) return ctx.redirect(`/t/${ctx.territory.slug}/gestion/observatoire/indicateurs/${indicator.id}`, "Valeur introuvable : rien n’a été supprimé.");
      const [level, code] = geo === "territory" ? ["territory", String(ctx.territory.id)] : ["commune", geo.slice(8)];
      const removed = await ctx.database.db.transaction(async (tx) => {
        const r = (await tx.execute(sql`DELETE FROM observations WHERE indicator_id = ${indicator.id} AND geo_level = ${level} AND geo_code = ${code} AND period = ${period}::date RETURNING value`)) as unknown as { rows: unknown[] };
        if (r.rows.length) await recordAudit(tx, ctx.audit, { territoryId: ctx.territory.id, action: "delete", entity: "observation", entityId: indicator.id, before: { geo, period } });
        return r.rows.length;
      });
      return ctx.redirect(`/t/${ctx.territory.slug}/gestion/observatoire/indicateurs/${indicator.id}`, removed ? "Valeur supprimée." : "Valeur introuvable : rien n’a été supprimé.");
    },
  }),
  defineRoute({
    method: "POST",
    url: "/t/:slug/gestion/observatoire/indicateurs/:id/archiver",
    summary: "Archive ou restaure un indicateur local",
    kind: "form",
    permission: "observatory.local.manage",
    params: idParams,
    audit: "indicator",
    handler: async (ctx) => {
      const indicator = await loadLocal(ctx, ctx.params.id);
      if (!indicator) return ctx.reply.callNotFound();
      await ctx.database.db.transaction(async (tx) => {
        await tx.execute(sql`UPDATE indicators SET archived_at = ${indicator.archivedAt ? null : new Date().toISOString()}::timestamptz WHERE id = ${indicator.id} AND territory_id = ${ctx.territory.id}`);
        await recordAudit(tx, ctx.audit, { territoryId: ctx.territory.id, action: indicator.archivedAt ? "restore" : "archive", entity: "indicator", entityId: indicator.id });
      });
      return ctx.redirect(`/t/${ctx.territory.slug}/gestion/observatoire/indicateurs/${indicator.id}`, indicator.archivedAt ? "Indicateur restauré." : "Indicateur archivé.");
    },
  }),
  // National files (shared by every territory): platform admins only.
  defineRoute({
    method: "GET",
    url: "/gestion/observatoire/imports",
    summary: "Import d'un fichier national de l'observatoire (administrateurs de la plateforme)",
    kind: "page",
    permission: "observatory.national.import",
    handler: (ctx) => <ImportPage ctx={ctx} values={{}} />,
  }),
  defineRoute({
    method: "POST",
    url: "/gestion/observatoire/imports",
    summary: "Importe un fichier national (populations, Urssaf, Dares, Sirene) et affiche son rapport",
    kind: "form",
    permission: "observatory.national.import",
    audit: "import_run",
    handler: async (ctx) => {
      const fields = textFields(ctx.req.body);
      const kind = String(fields.kind ?? "");
      const file = uploadedFile(ctx.req.body, "file");
      const errors: FieldErrors = {};
      if (!IMPORTERS[kind]) errors.kind = "Choisissez le type de fichier dans la liste.";
      if (!file) errors.file = "Choisissez le fichier à importer.";
      else if (file.truncated) errors.file = `Le fichier dépasse la taille maximale de ${Math.floor(ctx.config.maxUploadBytes / 1024 / 1024)} Mo : importez-le en ligne de commande (collines observatoire import).`;
      const annee = String(fields.annee ?? "").trim();
      if (annee && !/^(19|20)\d\d$/.test(annee)) errors.annee = "L’année s’écrit avec quatre chiffres, par exemple 2021.";
      const date = String(fields.date ?? "").trim();
      if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date)) errors.date = "La date s’écrit AAAA-MM-JJ.";
      if (Object.keys(errors).length) return ctx.render(<ImportPage ctx={ctx} values={fields as FormValues} errors={errors} />, 422);
      let dir: string | undefined;
      let source: string | Readable = Readable.from([file!.data]);
      if (kind === "sirene") {
        dir = mkdtempSync(join(tmpdir(), "collines-import-"));
        source = join(dir, "stock.csv");
        writeFileSync(source, file!.data);
      }
      try {
        const report = await runImport({ database: ctx.database, importer: IMPORTERS[kind], file: source, fileName: file!.filename.slice(0, 200), options: { annee, date }, startedBy: ctx.actor.user?.id ?? null });
        await ctx.database.db.transaction((tx) => recordAudit(tx, ctx.audit, { action: "create", entity: "import_run", entityId: report.runId, after: { kind, status: report.status, rowsRead: report.rowsRead, rowsRejected: report.rowsRejected } }));
        return ctx.render(<ImportPage ctx={ctx} values={fields as FormValues} report={report} />, report.status === "done" ? 200 : 422);
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    },
  }),
];

function ImportPage({ ctx, values, errors, report }: { ctx: Ctx; values: FormValues; errors?: FieldErrors; report?: ImportReport }) {
  const failed = !!errors || report?.status === "failed";
  return (
    <Layout title="Importer des données nationales" actor={ctx.actor} hasErrors={failed} csrfToken={ctx.csrfToken()} breadcrumbs={[{ label: "Gestion", href: "/gestion" }]}>
      <h1>Importer des données nationales de l’observatoire</h1>
      <p>
        Les fichiers s’importent dans leur format de publication (CSV, éventuellement compressé en gzip ou ZIP). Un fichier dont l’en-tête ne correspond pas est refusé en entier ; les lignes
        incorrectes sont écartées et listées avec leur numéro. Réimporter le même fichier ne change rien. Pour les gros fichiers (Sirene), utilisez la ligne de commande :{" "}
        <code>collines observatoire import sirene --file StockEtablissement_utf8.zip</code>.
      </p>
      {errors ? <ErrorSummary errors={errors} labels={{ kind: "Type de fichier", file: "Fichier", annee: "Année", date: "Date du stock" }} /> : null}
      {report ? (
        <div class={report.status === "done" ? "notice notice-success" : "error-summary"} role={report.status === "done" ? "status" : "alert"}>
          <h2>{report.status === "done" ? "Import réussi" : "Échec de l’import : rien n’a été enregistré"}</h2>
          <pre class="obs-report">{formatReport(report)}</pre>
        </div>
      ) : null}
      <form method="post" action="/gestion/observatoire/imports" enctype="multipart/form-data" novalidate>
        <input type="hidden" name="_csrf" value={ctx.csrfToken()} />
        <SelectField name="kind" label="Type de fichier" required options={Object.entries(IMPORTERS).map(([value, i]) => ({ value, label: i.label }))} values={values} errors={errors} placeholder="Choisissez" />
        <div class={`field${errors?.file ? " field-error" : ""}`}>
          <label for="champ-file">Fichier</label>
          {errors?.file ? (
            <p class="error-message" id="champ-file-erreur">
              <span class="visually-hidden">Erreur : </span>
              {errors.file}
            </p>
          ) : null}
          <input id="champ-file" name="file" type="file" accept=".csv,.txt,.gz,.zip" aria-describedby={errors?.file ? "champ-file-erreur" : undefined} />
        </div>
        <TextField name="annee" label="Année (populations légales au format annuel)" hint="Par exemple 2021 ; inutile pour les autres fichiers." values={values} errors={errors} maxLength={4} />
        <TextField name="date" label="Date du stock Sirene" hint="AAAA-MM-JJ ; par défaut le premier jour du mois en cours." values={values} errors={errors} maxLength={10} />
        <button type="submit" class="button">
          Importer
        </button>
      </form>
    </Layout>
  );
}
