import type { Actor } from "../../../core/authz/index.ts";
import { formatDate, formatNumber } from "../../../core/i18n/format.ts";
import { BackOfficeLayout } from "../../../core/ui/backoffice-layout.tsx";
import { BarChart } from "../../../core/ui/charts.tsx";
import { EmptyState } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { formatEuros } from "../../plan/api.ts";
import { daysLabel, type DashboardView } from "../charts.ts";
import type { KeyFigures } from "../model.ts";

const pct = (n: number | null) => (n === null ? "—" : `${n.toLocaleString("fr-FR", { maximumFractionDigits: 1 })} %`);

function KeyFigureList({ k }: { k: KeyFigures }) {
  return (
    <ul class="key-figures">
      <li>
        <strong>{formatNumber(k.actions)}</strong> actions suivies
      </li>
      <li>
        <strong>{formatNumber(k.done)}</strong> réalisées
      </li>
      <li>
        <strong>{formatNumber(k.inProgress)}</strong> en cours
      </li>
      <li>
        <strong>{pct(k.averageProgress)}</strong> d’avancement moyen
      </li>
      <li>
        <strong>{formatNumber(k.late)}</strong> en retard
      </li>
      <li>
        <strong>{formatNumber(k.lateMilestones)}</strong> jalons en retard
      </li>
      <li>
        <strong>{formatEuros(k.money.plannedCost)}</strong> de coût prévisionnel
      </li>
      <li>
        <strong>{formatEuros(k.money.granted)}</strong> accordés ({pct(k.money.coverage)} du coût)
      </li>
      <li>
        <strong>{formatEuros(k.money.paid)}</strong> versés
      </li>
    </ul>
  );
}

/** The charts and tables of a dashboard (one territory, or several side by side). */
function DashboardBody({ view, keys, withTerritory, csvBase }: { view: DashboardView; keys: KeyFigures; withTerritory: boolean; csvBase: string }) {
  return (
    <>
      <section aria-labelledby="chiffres-cles">
        <h2 id="chiffres-cles">Chiffres clés</h2>
        <KeyFigureList k={keys} />
      </section>
      <section aria-labelledby="statuts-titre">
        <h2 id="statuts-titre">Statuts des actions</h2>
        {view.statuses.categories.length ? <BarChart {...view.statuses} stacked /> : <EmptyState>Aucune action suivie.</EmptyState>}
      </section>
      <section aria-labelledby="avancement-titre">
        <h2 id="avancement-titre">Avancement</h2>
        {view.progress.categories.length ? <BarChart {...view.progress} /> : <EmptyState>Aucune action suivie.</EmptyState>}
      </section>
      <section aria-labelledby="retards-titre">
        <h2 id="retards-titre">Jalons en retard</h2>
        {view.late.length ? (
          <div class="table-scroll" role="region" aria-labelledby="retards-legende" tabIndex={0}>
            <table class="table">
              <caption id="retards-legende">Jalons non réalisés après leur échéance, du plus ancien retard au plus récent</caption>
              <thead>
                <tr>
                  <th scope="col">{withTerritory ? "Territoire" : "Thématique"}</th>
                  <th scope="col">Action</th>
                  <th scope="col">Jalon</th>
                  <th scope="col">Échéance</th>
                  <th scope="col" class="num">
                    Retard
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.late.map((l) => (
                  <tr>
                    <td>{l.theme}</td>
                    <td>
                      {l.actionNumber}. {l.actionTitle}
                    </td>
                    <td>{l.milestone}</td>
                    <td>{formatDate(l.dueDate)}</td>
                    <td class="num">{daysLabel(l.daysLate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <EmptyState>Aucun jalon en retard.</EmptyState>
        )}
        <p class="chart-source">
          <a href={`${csvBase}/jalons-en-retard.csv`} download>
            Télécharger les données (CSV)<span class="visually-hidden"> : jalons en retard</span>
          </a>
        </p>
      </section>
      <section aria-labelledby="financements-titre">
        <h2 id="financements-titre">Budget et financements</h2>
        <p>
          Coût prévisionnel : <strong>{formatEuros(keys.money.plannedCost)}</strong> ; demandé : {formatEuros(keys.money.requested)} ; accordé :{" "}
          {formatEuros(keys.money.granted)} ; versé : {formatEuros(keys.money.paid)} ; reste à couvrir : {formatEuros(Math.max(0, keys.money.notCovered))}.
        </p>
        {view.money.categories.length ? <BarChart {...view.money} /> : <EmptyState>Aucun plan de financement renseigné.</EmptyState>}
      </section>
      <section aria-labelledby="indicateurs-titre">
        <h2 id="indicateurs-titre">Indicateurs et cibles</h2>
        {view.indicatorRows.length ? (
          <>
            <BarChart {...view.indicators} />
            <div class="table-scroll" role="region" aria-labelledby="indicateurs-legende" tabIndex={0}>
              <table class="table">
                <caption id="indicateurs-legende">Indicateurs des actions : valeur de référence, dernière valeur et cible</caption>
                <thead>
                  <tr>
                    <th scope="col">Action</th>
                    <th scope="col">Indicateur</th>
                    <th scope="col" class="num">
                      Référence
                    </th>
                    <th scope="col" class="num">
                      Dernière valeur
                    </th>
                    <th scope="col" class="num">
                      Cible
                    </th>
                    <th scope="col" class="num">
                      Atteinte
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.indicatorRows.map((r) => (
                    <tr>
                      <td>
                        {r.actionNumber}. {r.actionTitle}
                      </td>
                      <td>
                        {r.indicator} ({r.unit})
                      </td>
                      <td class="num">{formatNumber(r.baseline)}</td>
                      <td class="num">
                        {formatNumber(r.latest)}
                        {r.latestPeriod ? <span class="chart-note"> ({formatDate(r.latestPeriod)})</span> : null}
                      </td>
                      <td class="num">
                        {formatNumber(r.target)}
                        {r.targetDate ? <span class="chart-note"> ({formatDate(r.targetDate)})</span> : null}
                      </td>
                      <td class="num">{pct(r.achievement)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <EmptyState>Aucun indicateur n’est rattaché aux actions.</EmptyState>
        )}
      </section>
    </>
  );
}

export function DashboardPage(p: { actor: Actor; territory: { id: number; slug: string; name: string; kind: string }; view: DashboardView; keys: KeyFigures; today: string }) {
  const base = `/t/${p.territory.slug}/gestion/tableau-de-bord`;
  return (
    <BackOfficeLayout actor={p.actor} territory={p.territory} title="Tableau de bord" section="/tableau-de-bord" crumbs={[{ label: p.territory.name, href: `/t/${p.territory.slug}/suivi` }, { label: "Tableau de bord", href: "" }]}>
      <h1>Tableau de bord du plan d’actions</h1>
      <p class="lead">
        Situation au {formatDate(p.today)} : actions publiées et confidentielles, hors brouillons et archives.
      </p>
      <div class="notice notice-warning">
        <p>Document de suivi – diffusion restreinte : il comprend des éléments confidentiels réservés à l’équipe du territoire, aux membres de ses comités et à ses financeurs.</p>
      </div>
      <section aria-labelledby="bilan-titre">
        <h2 id="bilan-titre">Bilan d’avancement</h2>
        <p>Le bilan reprend ces chiffres, les graphiques et une page par action (jalons, financements, indicateurs, dernières notes de suivi).</p>
        <ul class="downloads">
          <li>
            <a href={`${base}/bilan.pdf`} download>
              Télécharger le bilan d’avancement (PDF)
            </a>
          </li>
          <li>
            <a href={`${base}/bilan.xlsx`} download>
              Télécharger le bilan d’avancement (tableur XLSX)
            </a>
          </li>
        </ul>
      </section>
      <DashboardBody view={p.view} keys={p.keys} withTerritory={false} csvBase={base} />
    </BackOfficeLayout>
  );
}

export function OverviewDashboardPage(p: { actor: Actor; territories: { slug: string; name: string }[]; view: DashboardView; keys: KeyFigures; today: string }) {
  return (
    <Layout
      title="Tableau de bord des territoires suivis"
      actor={p.actor}
      currentPath="/gestion/tableau-de-bord"
      breadcrumbs={[
        { label: "Gestion", href: "/gestion" },
        { label: "Tableau de bord des territoires suivis", href: "" },
      ]}
    >
      <h1>Tableau de bord des territoires suivis</h1>
      {p.territories.length ? (
        <>
          <p class="lead">
            Situation au {formatDate(p.today)} des {formatNumber(p.territories.length)} territoires dont vous suivez le plan d’actions : actions publiées et
            confidentielles, hors brouillons et archives.
          </p>
          <div class="notice notice-warning">
            <p>Document de suivi – diffusion restreinte.</p>
          </div>
          <h2>Tableau de bord de chaque territoire</h2>
          <ul>
            {p.territories.map((t) => (
              <li>
                <a href={`/t/${t.slug}/gestion/tableau-de-bord`}>{t.name}</a>
              </li>
            ))}
          </ul>
          <DashboardBody view={p.view} keys={p.keys} withTerritory csvBase="/gestion/tableau-de-bord" />
        </>
      ) : (
        <EmptyState>
          Vous ne suivez encore aucun territoire. Le suivi est ouvert à l’équipe d’un territoire, aux membres de ses comités et à ses financeurs et signataires.
        </EmptyState>
      )}
      <p>
        <a href="/gestion/suivi">Suivi des territoires côte à côte</a>
      </p>
    </Layout>
  );
}
