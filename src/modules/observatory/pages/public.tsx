import type { Actor } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import { BarChart, LineChart, type ChartData } from "../../../core/ui/charts.tsx";
import { EmptyState } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { formatDate } from "../../../core/i18n/format.ts";
import { periodLabel, statusLabel, type Cell } from "../model.ts";
import { cellNote, formatCell, keyFigureText, type ChartSpec, type Overview } from "../overview.ts";
import type { Geo, IndicatorRow } from "../queries.ts";

export const PERIODICITY_LABELS: Record<string, string> = { annual: "annuelle", quarterly: "trimestrielle", monthly: "mensuelle", punctual: "ponctuelle (stock à une date)" };
export const AGGREGATION_LABELS: Record<string, string> = {
  sum: "somme des communes (secret si une partie est secrète)",
  ratio: "rapport recalculé à chaque niveau à partir du numérateur et du dénominateur",
  none: "non additionnable : niveaux publiés seulement",
};
export const LEVEL_LABELS: Record<string, string> = { commune: "commune", epci: "intercommunalité", territory: "territoire", departement: "département", region: "région", france: "France", action: "action" };

/** A chart of the overview or of an indicator page, by its kind. */
export function Chart({ spec }: { spec: ChartSpec }) {
  return spec.kind === "line" ? <LineChart {...spec.data} fromZero={spec.fromZero} /> : <BarChart {...spec.data} orientation={spec.orientation} stacked={spec.stacked} />;
}

/** The choropleth's pattern for communes without a value (hatched grey), referenced from CSS. */
function NoDataPattern() {
  return (
    <svg class="obs-defs" aria-hidden="true" focusable="false" width="0" height="0">
      <defs>
        <pattern id="obs-nodata" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" class="obs-nodata-bg" />
          <line x1="3" y1="0" x2="3" y2="6" class="obs-nodata-line" />
        </pattern>
      </defs>
    </svg>
  );
}

export interface MapView {
  indicators: { code: string; name: string }[];
  indicator?: IndicatorRow;
  periods: string[];
  period?: string;
  /** Set when the period asked for does not exist for the indicator (the latest is shown). */
  periodAdjusted?: boolean;
  areas: { code: string; name: string; d: string; className: string; label: string }[];
  classes: { label: string; className: string }[];
  rows: { code: string; name: string; cell: Cell | undefined; className: string }[];
}

/** The choropleth by commune, its GET form (works without JavaScript), legend and data table. */
export function CommuneMap({ territory, view, action, attribution }: { territory: TerritoryRow; view: MapView; action: string; attribution: string }) {
  const ind = view.indicator;
  return (
    <section aria-labelledby="carte" class="obs-section">
      <h2 id="carte">Carte par commune</h2>
      <form method="get" action={`${action}#carte`} class="obs-map-form">
        <div class="field">
          <label for="champ-carte">Indicateur</label>
          <select id="champ-carte" name="carte">
            {view.indicators.map((i) => (
              <option value={i.code} selected={i.code === ind?.code}>
                {i.name}
              </option>
            ))}
          </select>
        </div>
        {view.periods.length ? (
          <div class="field">
            <label for="champ-periode">Période</label>
            <select id="champ-periode" name="periode">
              {view.periods.map((p) => (
                <option value={p} selected={p === view.period}>
                  {periodLabel(p, ind?.periodicity ?? "annual")}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <button type="submit" class="button">
          Afficher la carte
        </button>
      </form>
      {view.periodAdjusted ? <p class="notice">La période demandée n’existe pas pour cet indicateur : la plus récente est affichée.</p> : null}
      {!ind || !view.period ? (
        <EmptyState>Aucune donnée communale n’est disponible pour cet indicateur.</EmptyState>
      ) : (
        <>
          <NoDataPattern />
          {view.areas.length ? (
            <figure class="map">
              <svg viewBox="0 0 640 480" role="img" aria-labelledby="obs-map-title obs-map-desc" class="map-svg">
                <title id="obs-map-title">{`${ind.name} par commune (${periodLabel(view.period, ind.periodicity)})`}</title>
                <desc id="obs-map-desc">{`Carte des communes de ${territory.name} selon « ${ind.name} » en ${periodLabel(view.period, ind.periodicity)}, en ${view.classes.length - 1} classes de la plus claire (valeurs faibles) à la plus foncée (valeurs fortes) ; les communes sans valeur sont hachurées. Les valeurs de chaque commune sont dans le tableau qui suit la carte.`}</desc>
                {view.areas.map((a) => (
                  <path d={a.d} class={`map-area ${a.className}`}>
                    <title>{a.label}</title>
                  </path>
                ))}
              </svg>
              <figcaption class="map-attribution">{attribution}</figcaption>
            </figure>
          ) : (
            <EmptyState>Les contours des communes de ce territoire ne sont pas chargés : seul le tableau est disponible.</EmptyState>
          )}
          <ul class="legend" aria-label="Légende de la carte">
            {view.classes.map((c) => (
              <li>
                <span class={`swatch ${c.className}`} aria-hidden="true"></span>
                {c.label}
              </li>
            ))}
          </ul>
          <details class="chart-data">
            <summary>Valeurs par commune</summary>
            <div class="table-scroll">
              <table class="table">
                <caption class="visually-hidden">
                  {ind.name} par commune ({periodLabel(view.period, ind.periodicity)})
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Commune</th>
                    <th scope="col">Code Insee</th>
                    <th scope="col" class="num">
                      {ind.name} ({ind.unit})
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.rows.map((r) => (
                    <tr>
                      <th scope="row">{r.name}</th>
                      <td>{r.code}</td>
                      <td class="num">
                        {formatCell(r.cell, ind)}
                        {cellNote(r.cell) ? <span class="chart-note"> ({cellNote(r.cell)})</span> : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
          <p class="chart-source">
            Source : {ind.source ?? "non précisée"}.{" "}
            <a href={`/t/${territory.slug}/observatoire/indicateurs/${ind.code}/donnees.csv`} download>
              Télécharger les données (CSV)<span class="visually-hidden"> : {ind.name}</span>
            </a>
          </p>
        </>
      )}
    </section>
  );
}

const SECTIONS: { id: ChartSpec["section"]; title: string; empty: string }[] = [
  { id: "population", title: "Population", empty: "Les populations légales n’ont pas été importées pour plusieurs années : l’évolution n’est pas disponible." },
  { id: "emploi", title: "Emploi salarié privé et industrie", empty: "Les effectifs salariés de l’Urssaf n’ont pas encore été importés sur la plateforme." },
  { id: "etablissements", title: "Établissements", empty: "Le stock des établissements Sirene n’a pas encore été importé sur la plateforme." },
  { id: "chomage", title: "Demandeurs d’emploi", empty: "Les demandeurs d’emploi par commune (Dares) n’ont pas encore été importés sur la plateforme." },
];

export function OverviewPage(p: { actor: Actor; territory: TerritoryRow; overview: Overview; map: MapView; canManage: boolean; mapAttribution: string }) {
  const o = p.overview;
  const base = `/t/${p.territory.slug}/observatoire`;
  const local = o.indicators.filter((i) => i.territoryId === p.territory.id);
  return (
    <Layout title="Observatoire" actor={p.actor} territory={p.territory} breadcrumbs={[{ label: p.territory.name, href: `/t/${p.territory.slug}` }]} description={`Diagnostic dynamique de ${p.territory.name} : population, emploi, industrie, établissements, demandeurs d’emploi.`}>
      <h1>Observatoire du territoire</h1>
      <p class="lead">
        Les chiffres de {p.territory.name} ({o.geography.communes.length} communes, {o.geography.epcis.length} intercommunalités) comparés à {o.geography.comparisons.slice(1).map((g) => g.name).join(", ")}, d’après les données publiques
        importées sur la plateforme.
      </p>
      <p>
        <a href={`${base}/diagnostic.pdf`} class="button">
          Télécharger le diagnostic dynamique (PDF)
        </a>{" "}
        <a href="#indicateurs">Tous les indicateurs</a>
        {p.canManage ? (
          <>
            {" "}
            · <a href={`/t/${p.territory.slug}/gestion/observatoire`}>Gérer les indicateurs locaux</a>
          </>
        ) : null}
      </p>
      {o.keyFigures.length ? (
        <ul class="key-figures obs-key-figures" aria-label="Chiffres clés">
          {o.keyFigures.map((k) => (
            <li>
              <strong>{keyFigureText(k)}</strong>
              <span class="obs-figure-label">
                <a href={`${base}/indicateurs/${k.code}`}>{k.label}</a> ({k.period}
                {k.note ? `, ${k.note}` : ""})
              </span>
              {k.change ? <span class="obs-change">{k.change}</span> : null}
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState>Aucune donnée n’a encore été importée pour ce territoire.</EmptyState>
      )}

      {o.comparison.length ? (
        <section aria-labelledby="comparaison" class="obs-section">
          <h2 id="comparaison">Le territoire comparé</h2>
          <div class="table-scroll">
            <table class="table">
              <caption class="visually-hidden">Indicateurs clés de {p.territory.name} comparés aux départements, régions et à la France</caption>
              <thead>
                <tr>
                  <th scope="col">Indicateur</th>
                  <th scope="col">Période</th>
                  {o.geography.comparisons.map((g) => (
                    <th scope="col" class="num">
                      {g.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {o.comparison.map((r) => (
                  <tr>
                    <th scope="row">
                      <a href={`${base}/indicateurs/${r.indicator.code}`}>{r.indicator.name}</a>
                      {r.indicator.unit !== "%" ? <span class="hint"> ({r.indicator.unit})</span> : null}
                    </th>
                    <td>{periodLabel(r.period, r.indicator.periodicity)}</td>
                    {r.cells.map((c) => (
                      <td class="num">
                        {formatCell(c, r.indicator)}
                        {cellNote(c) ? <span class="chart-note"> ({cellNote(c)})</span> : null}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="chart-source">Sources : {o.sources.join(" ; ")}.</p>
        </section>
      ) : null}

      {SECTIONS.map((s) => {
        const charts = o.charts.filter((c) => c.section === s.id);
        return (
          <section aria-labelledby={`section-${s.id}`} class="obs-section">
            <h2 id={`section-${s.id}`}>{s.title}</h2>
            {charts.map((c) => (
              <Chart spec={c} />
            ))}
            {o.secretSections.has(s.id) ? (
              <p class="notice">Certaines séries ne sont pas représentées : toutes leurs valeurs sont couvertes par le secret statistique (une somme qui comprend une valeur secrète est elle-même secrète).</p>
            ) : null}
            {!charts.length && !o.secretSections.has(s.id) ? <EmptyState>{s.empty}</EmptyState> : null}
          </section>
        );
      })}

      <CommuneMap territory={p.territory} view={p.map} action={base} attribution={p.mapAttribution} />

      <section aria-labelledby="indicateurs" class="obs-section">
        <h2 id="indicateurs">Indicateurs</h2>
        <ul class="obs-indicator-list">
          {o.indicators
            .filter((i) => i.territoryId == null)
            .map((i) => (
              <li>
                <a href={`${base}/indicateurs/${i.code}`}>{i.name}</a> <span class="hint">— {i.source?.split(",")[0] ?? ""}</span>
              </li>
            ))}
        </ul>
        <p>
          <a href={`${base}/indicateurs`}>Catalogue complet des indicateurs</a>
        </p>
        {local.length ? (
          <>
            <h3>Indicateurs locaux</h3>
            <ul class="obs-indicator-list">
              {local.map((i) => (
                <li>
                  <a href={`${base}/indicateurs/${i.code}`}>{i.name}</a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </Layout>
  );
}

export function CataloguePage(p: { actor: Actor; territory: TerritoryRow; indicators: IndicatorRow[] }) {
  const base = `/t/${p.territory.slug}/observatoire`;
  const themes = [...new Set(p.indicators.map((i) => i.theme ?? "Autres indicateurs"))];
  return (
    <Layout
      title="Catalogue des indicateurs"
      actor={p.actor}
      territory={p.territory}
      breadcrumbs={[
        { label: p.territory.name, href: `/t/${p.territory.slug}` },
        { label: "Observatoire", href: base },
      ]}
    >
      <h1>Catalogue des indicateurs</h1>
      <p>
        Chaque indicateur a sa définition, sa source, son producteur et sa licence. Les données sont aussi disponibles par l’API : <a href="/api/v1/indicators">/api/v1/indicators</a>.
      </p>
      {themes.map((t) => (
        <section aria-label={t}>
          <h2>{t}</h2>
          <table class="table">
            <caption class="visually-hidden">{t}</caption>
            <thead>
              <tr>
                <th scope="col">Indicateur</th>
                <th scope="col">Unité</th>
                <th scope="col">Périodicité</th>
                <th scope="col">Producteur</th>
                <th scope="col">Mise à jour</th>
              </tr>
            </thead>
            <tbody>
              {p.indicators
                .filter((i) => (i.theme ?? "Autres indicateurs") === t)
                .map((i) => (
                  <tr>
                    <th scope="row">
                      <a href={`${base}/indicateurs/${i.code}`}>{i.name}</a>
                    </th>
                    <td>{i.unit}</td>
                    <td>{PERIODICITY_LABELS[i.periodicity]}</td>
                    <td>{i.producer ?? "—"}</td>
                    <td>{i.lastUpdate ? formatDate(i.lastUpdate) : "—"}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      ))}
    </Layout>
  );
}

export interface IndicatorView {
  indicator: IndicatorRow;
  geos: Geo[];
  periods: string[];
  /** geo index → period index → cell */
  table: (Cell | undefined)[][];
  chart: ChartData | null;
  chartKind: "line" | "bar";
  ranking: { period: string; rows: { code: string; name: string; cell: Cell }[]; chart: ChartData | null } | null;
  actions: { id: number; number: number; title: string }[];
  numerator?: IndicatorRow;
  denominator?: IndicatorRow;
}

export function IndicatorPage(p: { actor: Actor; territory: TerritoryRow; view: IndicatorView }) {
  const v = p.view;
  const i = v.indicator;
  const base = `/t/${p.territory.slug}/observatoire`;
  return (
    <Layout
      title={i.name}
      actor={p.actor}
      territory={p.territory}
      breadcrumbs={[
        { label: p.territory.name, href: `/t/${p.territory.slug}` },
        { label: "Observatoire", href: base },
        { label: "Indicateurs", href: `${base}/indicateurs` },
      ]}
    >
      <h1>{i.name}</h1>
      {i.territoryId != null ? <p class="badge">Indicateur local de {p.territory.name}</p> : null}
      <p>{i.definition ?? "Pas de définition."}</p>
      <dl class="facts">
        <dt>Unité</dt>
        <dd>{i.unit}</dd>
        <dt>Source</dt>
        <dd>{i.source ?? "Non précisée"}</dd>
        <dt>Producteur</dt>
        <dd>{i.producer ?? "Non précisé"}</dd>
        <dt>Licence</dt>
        <dd>{i.licence ?? "Non précisée"}</dd>
        <dt>Périodicité</dt>
        <dd>{PERIODICITY_LABELS[i.periodicity]}</dd>
        <dt>Niveaux géographiques</dt>
        <dd>{i.levels.map((l) => LEVEL_LABELS[l] ?? l).join(", ") || "—"}</dd>
        <dt>Agrégation</dt>
        <dd>
          {AGGREGATION_LABELS[i.aggregation]}
          {v.numerator && v.denominator ? (
            <>
              {" "}
              : <a href={`${base}/indicateurs/${v.numerator.code}`}>{v.numerator.name}</a> / <a href={`${base}/indicateurs/${v.denominator.code}`}>{v.denominator.name}</a>
              {i.scale !== 1 ? ` × ${i.scale}` : ""}
            </>
          ) : null}
        </dd>
        <dt>Dernière mise à jour</dt>
        <dd>{i.lastUpdate ? formatDate(i.lastUpdate) : "—"}</dd>
        <dt>Code</dt>
        <dd>
          <code>{i.code}</code>
        </dd>
      </dl>

      <section aria-labelledby="serie" class="obs-section">
        <h2 id="serie">Série par territoire</h2>
        {v.periods.length ? (
          <>
            {v.chart ? v.chartKind === "line" ? <LineChart {...v.chart} fromZero={false} /> : <BarChart {...v.chart} orientation="horizontal" /> : null}
            <div class="table-scroll">
              <table class="table">
                <caption>
                  {i.name} ({i.unit}) par territoire et par période
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Territoire</th>
                    {v.periods.map((per) => (
                      <th scope="col" class="num">
                        {periodLabel(per, i.periodicity)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {v.geos.map((g, gi) => (
                    <tr>
                      <th scope="row">
                        {g.name} <span class="hint">({LEVEL_LABELS[g.level]})</span>
                      </th>
                      {v.table[gi].map((c) => (
                        <td class="num">
                          {formatCell(c, i)}
                          {cellNote(c) ? <span class="chart-note"> ({cellNote(c)})</span> : null}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p class="chart-source">
              Source : {i.source ?? "non précisée"}.{" "}
              <a href={`${base}/indicateurs/${i.code}/donnees.csv`} download>
                Télécharger la série (CSV)
              </a>{" "}
              · <a href={`/api/v1/observations?indicator=${encodeURIComponent(i.code)}&geo=territory:${p.territory.slug}`}>API</a>
            </p>
          </>
        ) : (
          <EmptyState>Aucune valeur n’est disponible pour ce territoire.</EmptyState>
        )}
      </section>

      {v.ranking ? (
        <section aria-labelledby="classement" class="obs-section">
          <h2 id="classement">Classement des communes ({periodLabel(v.ranking.period, i.periodicity)})</h2>
          {v.ranking.chart ? <BarChart {...v.ranking.chart} orientation="horizontal" /> : null}
          <div class="table-scroll">
            <table class="table">
              <caption class="visually-hidden">Classement des communes selon {i.name}</caption>
              <thead>
                <tr>
                  <th scope="col" class="num">
                    Rang
                  </th>
                  <th scope="col">Commune</th>
                  <th scope="col" class="num">
                    Valeur ({i.unit})
                  </th>
                </tr>
              </thead>
              <tbody>
                {v.ranking.rows.map((r, k) => (
                  <tr>
                    <td class="num">{r.cell.value == null ? "—" : k + 1}</td>
                    <th scope="row">{r.name}</th>
                    <td class="num">
                      {formatCell(r.cell, i)}
                      {cellNote(r.cell) ? <span class="chart-note"> ({cellNote(r.cell)})</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <a href={`${base}?carte=${encodeURIComponent(i.code)}&periode=${v.ranking.period}#carte`}>Voir la carte par commune</a>
          </p>
        </section>
      ) : null}

      {v.actions.length ? (
        <section aria-labelledby="actions" class="obs-section">
          <h2 id="actions">Actions du plan qui suivent cet indicateur</h2>
          <ul>
            {v.actions.map((a) => (
              <li>
                <a href={`/t/${p.territory.slug}/actions/${a.id}`}>
                  Action {a.number} : {a.title}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}

export { statusLabel };
