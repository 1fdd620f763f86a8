import type { Actor } from "../../../core/authz/index.ts";
import { EmptyState } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { AreaMap, GROUP_MOTIFS, type MapArea } from "../../../core/ui/map.tsx";
import { formatDate, formatNumber } from "../../../core/i18n/format.ts";
import type { ThemeNode } from "../../plan/api.ts";
import type { loadAgreement, loadAuthorities, loadProgramme } from "../queries/territory.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";

type Authorities = Awaited<ReturnType<typeof loadAuthorities>>;
type Programme = Awaited<ReturnType<typeof loadProgramme>>;
type Agreement = Awaited<ReturnType<typeof loadAgreement>>;

const KIND_LABELS: Record<string, string> = { CC: "communauté de communes", CA: "communauté d'agglomération", CU: "communauté urbaine", METRO: "métropole" };

export interface HomeProps {
  actor: Actor;
  territory: TerritoryRow;
  authorities: Authorities;
  contours: { code: string; geometry: unknown; source: string }[];
  programme: Programme;
  agreement: Agreement;
  plan: ThemeNode[];
  departements: Map<string, string>;
}

/** Home page of a territory: who it is, where, the programme, the agreement, enjeux and themes. */
export function TerritoryHome(p: HomeProps) {
  const t = p.territory;
  const base = `/t/${t.slug}`;
  const communes = p.authorities.flatMap((a, i) => a.communes.map((c) => ({ ...c, authorityIndex: i, authorityName: a.name })));
  const population = communes.reduce((s, c) => s + (c.population ?? 0), 0);
  const actionCount = p.plan.reduce((s, th) => s + th.objectives.reduce((n, o) => n + o.actions.length, 0), 0);
  const jointCount = p.plan.reduce((s, th) => s + th.objectives.reduce((n, o) => n + o.actions.filter((a) => a.joint).length, 0), 0);
  const contourByCode = new Map(p.contours.map((c) => [c.code, c]));
  const areas: MapArea[] = communes
    .filter((c) => contourByCode.has(c.code))
    .map((c) => ({
      code: c.code,
      name: c.name,
      geometry: contourByCode.get(c.code)!.geometry,
      className: `group-${c.authorityIndex % 4}`,
      label: `${c.name} (${c.code}) — ${c.authorityName} — ${formatNumber(c.population)} habitants`,
    }));
  const counts = p.programme.facts.filter((f) => f.key === "territories_count");
  const normandy = p.programme.facts.find((f) => f.key === "normandy_territories");
  const a = p.agreement;
  const undescribed = a?.actionsTotal != null && a.actionsDescribed != null ? a.actionsTotal - a.actionsDescribed : 0;
  const inferred = p.plan.some((th) => th.priorityInferred);
  return (
    <Layout title="Accueil" actor={p.actor} territory={t} currentPath={base} description={`${t.name}, Territoire d'industrie`}>
      <h1>{t.name}</h1>
      <p class="lead">
        Territoire d'industrie regroupant {p.authorities.length === 1 ? "une intercommunalité" : `${p.authorities.length} intercommunalités`} :{" "}
        {p.authorities.map((au, i) => (
          <>
            {i > 0 ? (i === p.authorities.length - 1 ? " et " : ", ") : ""}
            {au.name}
          </>
        ))}
        .
      </p>
      {t.summary ? <p>{t.summary}</p> : null}
      <ul class="key-figures" aria-label="Chiffres clés">
        <li>
          <strong>{formatNumber(communes.length)}</strong> communes
        </li>
        <li>
          <strong>{formatNumber(population)}</strong> habitants <span class="hint">(population municipale INSEE)</span>
        </li>
        <li>
          <strong>{formatNumber(actionCount)}</strong> actions décrites au plan
        </li>
        <li>
          <strong>{formatNumber(jointCount)}</strong> actions en partenariat ◆
        </li>
      </ul>
      <p>
        <a class="button" href={`${base}/plan`}>
          Consulter le plan d'actions
        </a>
      </p>

      <section aria-labelledby="intercommunalites">
        <h2 id="intercommunalites">Les intercommunalités</h2>
        <div class="grid-2">
          <div>
            {areas.length ? (
              <AreaMap
                areas={areas}
                title={`Carte des ${communes.length} communes de ${t.name}`}
                description={`Les communes colorées selon leur intercommunalité : ${p.authorities.map((au, i) => `${au.name} (${GROUP_MOTIFS[i % 4]})`).join(", ")}. La liste des communes suit la carte.`}
                attribution={`Contours : IGN Admin Express — Licence Ouverte. Populations : INSEE (via @etalab/decoupage-administratif).`}
              />
            ) : (
              <EmptyState>Les contours des communes de ce territoire ne sont pas chargés : la carte n'est pas disponible.</EmptyState>
            )}
            <ul class="legend" aria-label="Légende de la carte">
              {p.authorities.map((au, i) => (
                <li>
                  <span class={`swatch group-${i % 4}`} aria-hidden="true"></span>
                  {au.name}
                </li>
              ))}
            </ul>
          </div>
          <div>
            {p.authorities.map((au) => (
              <article class="card">
                <h3>{au.name}</h3>
                <dl class="facts">
                  <dt>Nature</dt>
                  <dd>{KIND_LABELS[au.kind] ?? au.kind}</dd>
                  <dt>SIREN</dt>
                  <dd>{au.siren}</dd>
                  <dt>Département</dt>
                  <dd>{au.departementCode ? `${p.departements.get(au.departementCode) ?? ""} (${au.departementCode})` : "Non renseigné"}</dd>
                  <dt>Communes</dt>
                  <dd>{formatNumber(au.communes.length)}</dd>
                  <dt>Population</dt>
                  <dd>{formatNumber(au.population)} habitants</dd>
                  {au.areas.length ? (
                    <>
                      <dt>Pôles</dt>
                      <dd>{au.areas.join(" ; ")}</dd>
                    </>
                  ) : null}
                </dl>
                <details>
                  <summary>Liste des {au.communes.length} communes</summary>
                  <table class="table">
                    <caption class="visually-hidden">Communes de {au.name}</caption>
                    <thead>
                      <tr>
                        <th scope="col">Commune</th>
                        <th scope="col">Code INSEE</th>
                        <th scope="col" class="num">
                          Population
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {au.communes.map((c) => (
                        <tr>
                          <th scope="row">{c.name}</th>
                          <td>{c.code}</td>
                          <td class="num">{formatNumber(c.population)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </details>
              </article>
            ))}
          </div>
        </div>
      </section>

      <section aria-labelledby="demarche">
        <h2 id="demarche">La démarche Territoires d'industrie</h2>
        <p>
          L'initiative « Territoires d'industrie » s'inscrit dans une stratégie de reconquête industrielle et de développement des territoires. Chaque
          territoire est gouverné par un comité de projet présidé par un binôme d'un élu et d'un industriel.
        </p>
        <ul>
          {counts.map((f) => (
            <li>
              <strong>{formatNumber(Number(f.value))} territoires</strong> {f.asOf === "2018-11" ? "identifiés fin novembre 2018" : `depuis ${f.asOf}`} —{" "}
              <span class="hint">{f.source}</span>
            </li>
          ))}
        </ul>
        {normandy && Array.isArray(normandy.value) ? (
          <p>
            En Normandie, {normandy.value.length} territoires labellisés ({normandy.asOf}) : {(normandy.value as string[]).join(", ")}.
          </p>
        ) : null}
      </section>

      <section aria-labelledby="accord">
        <h2 id="accord">L'accord signé</h2>
        {a ? (
          <>
            <p>
              {capitalise(a.kind)}
              {a.signedOn ? ` signé le ${formatDate(a.signedOn)}` : " (date de signature non renseignée)"}
              {a.signatories.length ? " par :" : "."}
            </p>
            {a.signatories.length ? (
              <ul>
                {a.signatories.map((s) => (
                  <li>{s}</li>
                ))}
              </ul>
            ) : null}
            <dl class="facts">
              <dt>Période</dt>
              <dd>{a.periodFrom && a.periodTo ? `${a.periodFrom}–${a.periodTo}` : "Non renseignée"}</dd>
              <dt>Actions prévues</dt>
              <dd>{a.actionsTotal ?? "Non renseigné"}</dd>
              <dt>Actions décrites ici</dt>
              <dd>{a.actionsDescribed ?? actionCount}</dd>
            </dl>
            {undescribed > 0 ? (
              <p class="notice notice-info">
                L'accord compte {a.actionsTotal} actions ; {a.actionsDescribed} sont décrites dans le document source. Les {undescribed} autres, portées par
                l'autre intercommunalité, n'y sont pas décrites : elles ne figurent donc pas encore dans ce plan.
              </p>
            ) : null}
            {a.notes.length ? (
              <ul>
                {a.notes.map((n) => (
                  <li>{n}</li>
                ))}
              </ul>
            ) : null}
          </>
        ) : (
          <EmptyState>L'accord de ce territoire n'est pas encore renseigné.</EmptyState>
        )}
      </section>

      <section aria-labelledby="enjeux">
        <h2 id="enjeux">Les enjeux nationaux et les thématiques du plan</h2>
        <div class="grid-2">
          <div>
            <h3>Les 4 enjeux du programme</h3>
            <ol>
              {p.programme.enjeux.map((e) => (
                <li>
                  {e.title}
                  {e.items.length ? (
                    <ul>
                      {e.items.map((i) => (
                        <li>{i}</li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              ))}
            </ol>
          </div>
          <div>
            <h3>Les thématiques du plan d'actions</h3>
            {p.plan.length ? (
              <ul>
                {p.plan.map((th) => (
                  <li>
                    <a href={`${base}/plan?theme=${encodeURIComponent(th.code)}`}>{th.title}</a>
                    {th.priorityN && !th.priorityInferred ? ` — enjeu ${th.priorityN}` : ""}
                  </li>
                ))}
              </ul>
            ) : (
              <EmptyState>Aucune thématique publiée.</EmptyState>
            )}
            {inferred ? <p class="hint">Le document source ne dit pas à quel enjeu répond chaque thématique : aucun lien n'est donc affiché.</p> : null}
          </div>
        </div>
      </section>

      <section aria-labelledby="participer">
        <h2 id="participer">Participer</h2>
        <p>
          {/* Narrow no-break spaces before "?", as French typography wants: the mark never starts a line. */}
          Vous avez des questions sur la démarche ou le programme d'actions{"\u202f"}? Vous êtes industriel et souhaitez participer aux ateliers thématiques{"\u202f"}?{" "}
          <a href={`${base}/contact`}>Contactez le service développement économique</a>.
        </p>
        <p>
          <a href={`${base}/gouvernance`}>Découvrir la gouvernance du territoire</a>
        </p>
      </section>
    </Layout>
  );
}

function capitalise(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
