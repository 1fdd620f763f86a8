import { PlanSearchBox } from "./search.tsx";
import { formatEuros } from "../followup-model.ts";
import type { ActionFigures } from "../queries/follow-up-figures.ts";
import type { Actor } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import { formatNumber } from "../../../core/i18n/format.ts";
import { EmptyState } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { countByStatus, JOINT_MARK, plural, STATUS_LABELS, STATUS_UNKNOWN_LABEL, type ActionStatus } from "../model.ts";
import type { FollowUpCounts } from "../queries/follow-up.ts";
import type { ObjectiveNode, ThemeNode } from "../queries/plan-tree.ts";
import { ActionItem, ConfidentialBadge, StatusBadge } from "./public.tsx";

const STATUSES = Object.keys(STATUS_LABELS) as ActionStatus[];

const actionsOf = (t: ThemeNode) => t.objectives.flatMap((o) => o.actions);

export interface FollowUpPageProps {
  actor: Actor;
  territory: TerritoryRow;
  /** The follow-up tree: live, published and confidential items. */
  tree: ThemeNode[];
  partnerNames: string;
  /** The person also edits the plan: link to the back-office. */
  canManage: boolean;
  /** Progress, lateness and money of each action. */
  figures: Map<number, ActionFigures>;
}

/** The read-only follow-up of a territory's plan: statuses by theme, then the whole tree, confidential items included. */
export function FollowUpPage(p: FollowUpPageProps) {
  const base = `/t/${p.territory.slug}`;
  const all = p.tree.flatMap(actionsOf);
  const confidential = all.filter((a) => a.visibility === "confidential").length;
  const hasUnknown = all.some((a) => a.status === null);
  const columns: (ActionStatus | null)[] = hasUnknown ? [...STATUSES, null] : STATUSES;
  const totals = countByStatus(all);
  let objectiveCounter = 0;
  const objectiveNumbers = new Map<number, number>();
  for (const t of p.tree) for (const o of t.objectives) objectiveNumbers.set(o.id, ++objectiveCounter);
  return (
    <Layout
      title="Suivi du plan d'actions"
      actor={p.actor}
      territory={p.territory}
      currentPath={`${base}/suivi`}
      breadcrumbs={[
        { label: "Accueil", href: base },
        { label: "Suivi du plan d'actions", href: "" },
      ]}
    >
      <h1>Suivi du plan d'actions</h1>
      <p class="lead">
        {plural(all.length, "action", "actions")}
        {confidential ? `, dont ${plural(confidential, "confidentielle", "confidentielles")}` : ""}, en lecture seule.
      </p>
      <PlanSearchBox slug={p.territory.slug} />
      <div class="notice notice-warning">
        <p>
          Cette page est réservée aux personnes habilitées : l'équipe du territoire, les membres de ses comités, ses financeurs et signataires. Les éléments
          marqués « Confidentiel » ne sont pas publiés : ne les diffusez pas. Les brouillons restent à l'équipe du territoire.
        </p>
      </div>
      <p class="form-actions">
        <a href={`${base}/plan`}>Voir le plan publié</a>
        {p.canManage ? <a href={`${base}/gestion`}>Gérer le plan d'actions</a> : null}
        <a href="/gestion/suivi">Tous les territoires que vous suivez</a>
      </p>
      <section aria-labelledby="avancement">
        <h2 id="avancement">Avancement par thématique</h2>
        {p.tree.length ? (
          <div class="table-scroll" role="region" aria-labelledby="avancement-legende" tabIndex={0}>
            <table class="table">
              <caption id="avancement-legende">Nombre d'actions par statut et par thématique</caption>
              <thead>
                <tr>
                  <th scope="col">Thématique</th>
                  {columns.map((s) => (
                    <th scope="col" class="num">
                      {s ? STATUS_LABELS[s] : STATUS_UNKNOWN_LABEL}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody>
                {p.tree.map((t) => {
                  const counts = countByStatus(actionsOf(t));
                  return (
                    <tr>
                      <th scope="row">
                        <a href={`#theme-${t.id}`}>{t.title}</a> {t.visibility === "confidential" ? <ConfidentialBadge /> : null}
                      </th>
                      {columns.map((s) => (
                        <td class="num">{formatNumber(counts.find((c) => c.status === s)?.count ?? 0)}</td>
                      ))}
                      <td class="num">{formatNumber(actionsOf(t).length)}</td>
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">Ensemble du plan</th>
                  {columns.map((s) => (
                    <td class="num">{formatNumber(totals.find((c) => c.status === s)?.count ?? 0)}</td>
                  ))}
                  <td class="num">{formatNumber(all.length)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        ) : (
          <EmptyState>Le plan ne contient encore aucune action publiée ou confidentielle.</EmptyState>
        )}
      </section>
      <section aria-labelledby="actions-suivi">
        <h2 id="actions-suivi">Avancement, retards et financement des actions</h2>
        {all.length ? (
          <div class="table-scroll" role="region" aria-labelledby="actions-suivi-legende" tabIndex={0}>
            <table class="table table-amounts">
              <caption id="actions-suivi-legende">Avancement, jalons, retards, coût prévisionnel et aides de chaque action (retards au jour de Paris)</caption>
              <thead>
                <tr>
                  <th scope="col">Action</th>
                  <th scope="col">Statut</th>
                  <th scope="col" class="num">Avancement</th>
                  <th scope="col" class="num">Jalons réalisés</th>
                  <th scope="col">Retard</th>
                  <th scope="col" class="num">Coût prévisionnel</th>
                  <th scope="col" class="num">Aides accordées</th>
                  <th scope="col" class="num">Versé</th>
                </tr>
              </thead>
              <tbody>
                {all.map((a) => {
                  const f = p.figures.get(a.id);
                  return (
                    <tr>
                      <th scope="row">
                        <a href={`${base}/actions/${a.id}`}>
                          {a.number}. {a.title}
                        </a>
                      </th>
                      <td>
                        <StatusBadge status={a.status} />
                      </td>
                      <td class="num">{f?.progress == null ? "—" : `${f.progress} %`}</td>
                      <td class="num">{f && f.milestones ? `${f.milestonesDone} / ${f.milestones}` : "—"}</td>
                      <td>
                        {f?.lateness.late
                          ? [f.lateness.overdue ? `fin prévue dépassée de ${plural(f.lateness.daysOverdue, "jour", "jours")}` : "", f.lateness.lateMilestones ? plural(f.lateness.lateMilestones, "jalon en retard", "jalons en retard") : ""].filter(Boolean).join(", ")
                          : "Non"}
                      </td>
                      <td class="num">{f?.plannedCost ? formatEuros(f.plannedCost) : "—"}</td>
                      <td class="num">{f?.granted ? formatEuros(f.granted) : "—"}</td>
                      <td class="num">{f?.paid ? formatEuros(f.paid) : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      {p.tree.map((t) => (
        <section class="plan-theme" aria-labelledby={`theme-${t.id}`}>
          <h2 id={`theme-${t.id}`}>
            Thématique « {t.title} » {t.visibility === "confidential" ? <ConfidentialBadge /> : null}
          </h2>
          {t.objectives.length ? (
            t.objectives.map((o) => <FollowUpObjective objective={o} number={objectiveNumbers.get(o.id) ?? 0} base={base} partnerNames={p.partnerNames} />)
          ) : (
            <EmptyState>Aucun objectif dans cette thématique.</EmptyState>
          )}
        </section>
      ))}
    </Layout>
  );
}

function FollowUpObjective({ objective, number, base, partnerNames }: { objective: ObjectiveNode; number: number; base: string; partnerNames: string }) {
  return (
    <div class="plan-objective">
      <h3>
        <span class="kicker">Objectif {number}</span> {objective.title} {objective.visibility === "confidential" ? <ConfidentialBadge /> : null}
      </h3>
      {objective.actions.length ? (
        <ul class="action-list">
          {objective.actions.map((a) => (
            <ActionItem action={a} base={base} partnerNames={partnerNames} />
          ))}
        </ul>
      ) : (
        <EmptyState>Aucune action dans cet objectif.</EmptyState>
      )}
    </div>
  );
}

export interface FollowUpRow {
  territory: { id: number; slug: string; name: string };
  counts: FollowUpCounts;
  /** How the person reads this territory, in French ("Financeur", "Membre de comité"…). */
  access: string;
}

/** The territories a person follows, side by side: actions by status, joint and confidential ones. */
export function FollowUpOverviewPage(p: { actor: Actor; rows: FollowUpRow[] }) {
  const hasUnknown = p.rows.some((r) => r.counts.byStatus.unknown > 0);
  const columns: (ActionStatus | "unknown")[] = hasUnknown ? [...STATUSES, "unknown"] : STATUSES;
  const sum = (f: (c: FollowUpCounts) => number) => p.rows.reduce((s, r) => s + f(r.counts), 0);
  return (
    <Layout
      title="Suivi des territoires"
      actor={p.actor}
      currentPath="/gestion/suivi"
      breadcrumbs={[
        { label: "Gestion", href: "/gestion" },
        { label: "Suivi des territoires", href: "" },
      ]}
    >
      <h1>Suivi des territoires</h1>
      {p.rows.length ? (
        <>
          <p class="lead">
            {plural(p.rows.length, "territoire suivi", "territoires suivis")}, en lecture seule. Les nombres comptent les actions publiées et confidentielles, hors
            brouillons et archives.
          </p>
          <div class="table-scroll" role="region" aria-labelledby="territoires-legende" tabIndex={0}>
            <table class="table">
              <caption id="territoires-legende">Avancement des plans d'actions des territoires que vous suivez</caption>
              <thead>
                <tr>
                  <th scope="col">Territoire</th>
                  <th scope="col">Votre accès</th>
                  <th scope="col" class="num">
                    Actions
                  </th>
                  {columns.map((s) => (
                    <th scope="col" class="num">
                      {s === "unknown" ? STATUS_UNKNOWN_LABEL : STATUS_LABELS[s]}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    En partenariat <span aria-hidden="true">{JOINT_MARK}</span>
                  </th>
                  <th scope="col" class="num">
                    Dont confidentielles
                  </th>
                </tr>
              </thead>
              <tbody>
                {p.rows.map((r) => (
                  <tr>
                    <th scope="row">
                      <a href={`/t/${r.territory.slug}/suivi`}>{r.territory.name}</a>
                    </th>
                    <td>{r.access}</td>
                    <td class="num">{formatNumber(r.counts.total)}</td>
                    {columns.map((s) => (
                      <td class="num">{formatNumber(r.counts.byStatus[s])}</td>
                    ))}
                    <td class="num">{formatNumber(r.counts.joint)}</td>
                    <td class="num">{formatNumber(r.counts.confidential)}</td>
                  </tr>
                ))}
              </tbody>
              {p.rows.length > 1 ? (
                <tfoot>
                  <tr>
                    <th scope="row">Ensemble</th>
                    <td></td>
                    <td class="num">{formatNumber(sum((c) => c.total))}</td>
                    {columns.map((s) => (
                      <td class="num">{formatNumber(sum((c) => c.byStatus[s]))}</td>
                    ))}
                    <td class="num">{formatNumber(sum((c) => c.joint))}</td>
                    <td class="num">{formatNumber(sum((c) => c.confidential))}</td>
                  </tr>
                </tfoot>
              ) : null}
            </table>
          </div>
          <p class="hint">Le nom d'un territoire mène à son suivi détaillé : le plan d'actions avec les statuts, éléments confidentiels compris.</p>
        </>
      ) : (
        <EmptyState>
          Vous ne suivez encore aucun territoire. Le suivi est ouvert à l'équipe d'un territoire, aux membres de ses comités et à ses financeurs et signataires :
          demandez l'accès à l'administrateur du territoire.
        </EmptyState>
      )}
      <p>
        <a href="/gestion">Retour à la gestion</a>
      </p>
    </Layout>
  );
}
