import type { ComponentChildren } from "preact";
import type { Actor } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import { EmptyState } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { Paragraphs } from "../../../core/ui/text.tsx";
import { formatDate } from "../../../core/i18n/format.ts";
import { JOINT_MARK, STATUS_LABELS, STATUS_UNKNOWN_LABEL, statusLabel, plural, type ActionStatus } from "../model.ts";
import type { ActionNode, ObjectiveNode, ThemeNode } from "../queries/plan-tree.ts";
import { RecordHistory, type AuditRow } from "../../audit/api.ts";
import { formatDateTime } from "../../../core/i18n/format.ts";
import type { ActionSheet, SheetLevel } from "../queries/action-sheet.ts";
import { PRIORITY_LABELS } from "../followup-model.ts";
import { PlanSearchBox } from "./search.tsx";
import { BudgetTable, FinancingSummary, fileSize, IndicatorBlock, LatenessNotice, LinksList, MilestonesTable, mimeLabel, ProgressBar, Timeline } from "./sheet-parts.tsx";

export interface PlanFilters {
  theme?: string;
  status?: ActionStatus | "non-renseigne";
  partenariat?: "oui" | "non";
}

/** Applies the public filters to a plan tree, dropping empty objectives and themes. */
export function filterPlan(tree: ThemeNode[], f: PlanFilters): ThemeNode[] {
  const keep = (a: ActionNode) =>
    (!f.status || (f.status === "non-renseigne" ? a.status === null : a.status === f.status)) && (!f.partenariat || a.joint === (f.partenariat === "oui"));
  return tree
    .filter((t) => !f.theme || t.code === f.theme)
    .map((t) => ({ ...t, objectives: t.objectives.map((o) => ({ ...o, actions: o.actions.filter(keep) })).filter((o) => o.actions.length) }))
    .filter((t) => t.objectives.length);
}

export function StatusBadge({ status }: { status: ActionStatus | null }) {
  return <span class={`status status-${status ?? "unknown"}`}>{statusLabel(status)}</span>;
}

/** Marks an item that only the people entitled to the follow-up see. */
export function ConfidentialBadge() {
  return <span class="badge badge-confidential">Confidentiel</span>;
}

export function JointMark({ action, partnerNames }: { action: { joint: boolean }; partnerNames: string }) {
  if (!action.joint) return null;
  return (
    <span class="joint-mark" title={`En partenariat avec ${partnerNames}`}>
      <span aria-hidden="true">{JOINT_MARK}</span>
      <span class="visually-hidden">(en partenariat avec {partnerNames})</span>
    </span>
  );
}

export interface PlanPageProps {
  actor: Actor;
  territory: TerritoryRow;
  tree: ThemeNode[];
  filtered: ThemeNode[];
  filters: PlanFilters;
  partnerNames: string;
  hasUnknownStatus: boolean;
  /** The tree holds the follow-up (confidential items, badged) rather than the public plan only. */
  followUp?: boolean;
}

/** The public action plan: themes → objectives → actions, with filters and a legend. */
export function PlanPage(p: PlanPageProps) {
  const base = `/t/${p.territory.slug}`;
  const total = p.tree.reduce((s, t) => s + t.objectives.reduce((n, o) => n + o.actions.length, 0), 0);
  const shown = p.filtered.reduce((s, t) => s + t.objectives.reduce((n, o) => n + o.actions.length, 0), 0);
  const filtering = Boolean(p.filters.theme || p.filters.status || p.filters.partenariat);
  let objectiveCounter = 0;
  const objectiveNumbers = new Map<number, number>();
  for (const t of p.tree) for (const o of t.objectives) objectiveNumbers.set(o.id, ++objectiveCounter);
  return (
    <Layout title="Plan d'actions" actor={p.actor} territory={p.territory} currentPath={`${base}/plan`} breadcrumbs={[{ label: "Accueil", href: base }, { label: "Plan d'actions", href: "" }]}>
      <h1>Plan d'actions</h1>
      <p class="lead">
        {plural(p.tree.length, "thématique", "thématiques")}, {plural(objectiveCounter, "objectif", "objectifs")} et {plural(total, "action", "actions")}.
      </p>
      <PlanSearchBox slug={p.territory.slug} />
      {p.followUp ? (
        <div class="notice notice-warning">
          <p>
            Vous voyez aussi les éléments confidentiels du plan, marqués « Confidentiel » : ils sont réservés aux personnes habilitées et ne figurent ni sur le site
            public, ni dans le fichier CSV, ni dans l'API. <a href={`${base}/suivi`}>Voir le suivi du plan d'actions</a>
          </p>
        </div>
      ) : null}
      <form method="get" action={`${base}/plan`} class="filters" aria-labelledby="filtres-titre">
        <h2 id="filtres-titre" class="h4">
          Filtrer les actions
        </h2>
        <div class="filters-fields">
          <div class="field">
            <label for="filtre-theme">Thématique</label>
            <select id="filtre-theme" name="theme">
              <option value="">Toutes</option>
              {p.tree.map((t) => (
                <option value={t.code} selected={p.filters.theme === t.code}>
                  {t.title}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="filtre-statut">Statut</label>
            <select id="filtre-statut" name="status">
              <option value="">Tous</option>
              {(Object.keys(STATUS_LABELS) as ActionStatus[]).map((s) => (
                <option value={s} selected={p.filters.status === s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
              {p.hasUnknownStatus ? (
                <option value="non-renseigne" selected={p.filters.status === "non-renseigne"}>
                  {STATUS_UNKNOWN_LABEL}
                </option>
              ) : null}
            </select>
          </div>
          <div class="field">
            <label for="filtre-partenariat">Partenariat</label>
            <select id="filtre-partenariat" name="partenariat">
              <option value="">Toutes les actions</option>
              <option value="oui" selected={p.filters.partenariat === "oui"}>
                En partenariat {JOINT_MARK}
              </option>
              <option value="non" selected={p.filters.partenariat === "non"}>
                Sans partenariat
              </option>
            </select>
          </div>
          <div class="filters-actions">
            <button type="submit" class="button">
              Filtrer
            </button>
            {filtering ? <a href={`${base}/plan`}>Effacer les filtres</a> : null}
          </div>
        </div>
      </form>
      <p role="status" class="result-count">
        {filtering ? `${plural(shown, "action affichée", "actions affichées")} sur ${total}.` : `${plural(total, "action", "actions")}.`}{" "}
        <a href={`${base}/plan.csv`}>Télécharger le plan (CSV)</a>
      </p>
      <aside class="legend-box" aria-labelledby="legende">
        <h2 id="legende" class="h4">
          Légende
        </h2>
        <ul>
          <li>
            <span aria-hidden="true">{JOINT_MARK}</span> : action dont la conception et/ou la mise en œuvre sont conduites en partenariat avec {p.partnerNames}
          </li>
          <li>
            Statuts :{" "}
            {(Object.keys(STATUS_LABELS) as ActionStatus[]).map((s) => (
              <>
                <StatusBadge status={s} />{" "}
              </>
            ))}
            {p.hasUnknownStatus ? <StatusBadge status={null} /> : null}
          </li>
        </ul>
        {p.hasUnknownStatus ? <p class="hint">« {STATUS_UNKNOWN_LABEL} » : le document source ne donne pas l'état d'avancement de ces actions.</p> : null}
      </aside>
      {p.filtered.length ? (
        p.filtered.map((t) => (
          <section class="plan-theme" aria-labelledby={`theme-${t.id}`}>
            <h2 id={`theme-${t.id}`}>
              Thématique « {t.title} » {t.visibility === "confidential" ? <ConfidentialBadge /> : null}
            </h2>
            {t.description ? <p>{t.description}</p> : null}
            {t.objectives.map((o) => (
              <ObjectiveBlock objective={o} number={objectiveNumbers.get(o.id) ?? 0} base={base} partnerNames={p.partnerNames} />
            ))}
          </section>
        ))
      ) : (
        <EmptyState>{filtering ? "Aucune action ne correspond à ces filtres." : "Aucune action n'est encore publiée."}</EmptyState>
      )}
    </Layout>
  );
}

/** One action in a list of the plan: number, title, ◆, status, confidentiality, lead. */
export function ActionItem({ action: a, base, partnerNames }: { action: ActionNode; base: string; partnerNames: string }) {
  return (
    <li class="action-item">
      <span class="action-number">Action {a.number}</span>
      <a href={`${base}/actions/${a.id}`} class="action-title">
        {a.title}
      </a>{" "}
      <JointMark action={a} partnerNames={partnerNames} />
      <span class="action-meta">
        <StatusBadge status={a.status} />
        {a.visibility === "confidential" ? <ConfidentialBadge /> : null}
        {a.lead ? <span>Porteur : {a.lead.shortName ?? a.lead.name}</span> : null}
      </span>
    </li>
  );
}

function ObjectiveBlock({ objective, number, base, partnerNames }: { objective: ObjectiveNode; number: number; base: string; partnerNames: string }) {
  return (
    <div class="plan-objective">
      <h3>
        <span class="kicker">Objectif {number}</span> {objective.title} {objective.visibility === "confidential" ? <ConfidentialBadge /> : null}
      </h3>
      <ul class="action-list">
        {objective.actions.map((a) => (
          <ActionItem action={a} base={base} partnerNames={partnerNames} />
        ))}
      </ul>
    </div>
  );
}

export interface ActionPageProps {
  actor: Actor;
  territory: TerritoryRow;
  action: ActionNode & { theme: ThemeNode; objective: ObjectiveNode };
  objectiveNumber: number;
  commune?: { code: string; name: string };
  partnerNames: string;
  canEdit: boolean;
  /** The action's history, for the people who may read it. */
  history?: AuditRow[];
  /** The follow-up sheet at the reader's level (published items only for the public). */
  sheet: ActionSheet;
  level: SheetLevel;
  /** The committee's decisions about the action (rendered by the governance module). */
  decisions?: ComponentChildren;
  /** The participants' proposal the action comes from, when any. */
  proposal?: { id: number; title: string; url: string };
}

/** The action sheet (fiche action), with room for milestones, indicators and notes. */
export function ActionPage(p: ActionPageProps) {
  const base = `/t/${p.territory.slug}`;
  const a = p.action;
  const sheet = p.sheet;
  return (
    <Layout
      title={`Action ${a.number} : ${a.title}`}
      actor={p.actor}
      territory={p.territory}
      currentPath={`${base}/plan`}
      breadcrumbs={[
        { label: "Accueil", href: base },
        { label: "Plan d'actions", href: `${base}/plan` },
        { label: `Action ${a.number}`, href: "" },
      ]}
    >
      <p class="kicker">
        Thématique « {a.theme.title} » — Objectif {p.objectiveNumber} {a.visibility === "confidential" ? <ConfidentialBadge /> : null}
      </p>
      <h1>
        <span class="action-number">Action {a.number}</span> {a.title} <JointMark action={a} partnerNames={p.partnerNames} />
      </h1>
      {a.visibility !== "published" || a.archivedAt ? (
        <p class="notice notice-warning">
          {a.archivedAt ? "Action archivée : elle n'apparaît plus sur le site public." : a.visibility === "draft" ? "Brouillon : cette action n'est pas publiée." : "Confidentiel : cette action n'est visible que des personnes habilitées. Ne la diffusez pas."}
        </p>
      ) : null}
      {p.canEdit ? (
        <p>
          <a class="button button-secondary" href={`${base}/gestion/actions/${a.id}`}>
            Modifier cette action
          </a>{" "}
          <a class="button button-secondary" href={`${base}/gestion/actions/${a.id}/suivi`}>
            Suivi de l’action
          </a>
        </p>
      ) : null}
      <dl class="facts facts-wide">
        <dt>Objectif</dt>
        <dd>{a.objective.title}</dd>
        <dt>Statut</dt>
        <dd>
          <StatusBadge status={a.status} />
        </dd>
        <dt>Porteur</dt>
        <dd>{a.lead ? a.lead.name : "Non renseigné"}</dd>
        <dt>Partenaires</dt>
        <dd>{a.partners.length ? a.partners.map((x) => x.name).join(", ") : "Aucun partenaire renseigné"}</dd>
        <dt>Partenariat</dt>
        <dd>{a.joint ? `Oui ${JOINT_MARK} : conception et/ou mise en œuvre en partenariat avec ${p.partnerNames}` : "Non"}</dd>
        {sheet.action.referentElu ? (
          <>
            <dt>Élu référent</dt>
            <dd>{sheet.action.referentElu}</dd>
          </>
        ) : null}
        {sheet.pilots.length ? (
          <>
            <dt>Pilotes</dt>
            <dd>{sheet.pilots.map((x) => x.name).join(", ")}</dd>
          </>
        ) : null}
        {sheet.action.startDate || sheet.action.plannedEndDate ? (
          <>
            <dt>Calendrier</dt>
            <dd>
              {sheet.action.startDate ? `Début : ${formatDate(sheet.action.startDate)}` : "Début non renseigné"} ; {sheet.action.plannedEndDate ? `fin prévue : ${formatDate(sheet.action.plannedEndDate)}` : "fin prévue non renseignée"}
            </dd>
          </>
        ) : null}
        {sheet.action.priority !== "normal" ? (
          <>
            <dt>Priorité</dt>
            <dd>{PRIORITY_LABELS[sheet.action.priority]}</dd>
          </>
        ) : null}
        {sheet.action.tags.length ? (
          <>
            <dt>Mots-clés</dt>
            <dd>
              <ul class="tags">
                {sheet.action.tags.map((tag) => (
                  <li>{tag}</li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        {p.commune ? (
          <>
            <dt>Commune</dt>
            <dd>
              {p.commune.name} (code INSEE {p.commune.code})
            </dd>
          </>
        ) : null}
        <dt>Dernière mise à jour</dt>
        <dd>{formatDate(a.updatedAt)}</dd>
      </dl>
      {p.proposal ? (
        <p class="notice">
          Action issue de la proposition n° {p.proposal.id} : <a href={p.proposal.url}>{p.proposal.title}</a>
        </p>
      ) : null}
      <ProgressBar sheet={sheet} id="avancement" />
      <LatenessNotice sheet={sheet} />
      <section aria-labelledby="description">
        <h2 id="description">Description</h2>
        {a.description ? <Paragraphs text={a.description} /> : <EmptyState>La fiche détaillée de cette action n'est pas encore publiée.</EmptyState>}
      </section>
      <section aria-labelledby="calendrier">
        <h2 id="calendrier">Calendrier et jalons</h2>
        <MilestonesTable sheet={sheet} caption={`Jalons de l’action ${a.number}`} />
      </section>
      <section aria-labelledby="chronologie">
        <h2 id="chronologie">Chronologie</h2>
        <Timeline sheet={sheet} />
      </section>
      <section aria-labelledby="indicateurs">
        <h2 id="indicateurs">Indicateurs</h2>
        {sheet.indicators.length ? sheet.indicators.map((ind) => <IndicatorBlock ind={ind} today={sheet.today} />) : <EmptyState>Aucun indicateur n'est encore suivi pour cette action.</EmptyState>}
      </section>
      {p.level !== "public" ? (
        <>
          <section aria-labelledby="budget">
            <h2 id="budget">Coût prévisionnel</h2>
            <BudgetTable sheet={sheet} />
          </section>
          <section aria-labelledby="financement">
            <h2 id="financement">Plan de financement</h2>
            <FinancingSummary sheet={sheet} detail />
          </section>
        </>
      ) : null}
      <section aria-labelledby="suivi">
        <h2 id="suivi">Notes de suivi</h2>
        {sheet.notes.length ? (
          <ol class="notes-list">
            {sheet.notes.map((n) => (
              <li>
                <p class="note-meta">
                  {formatDateTime(n.at)}
                  {n.author ? ` — ${n.author}` : ""} {n.visibility === "confidential" ? <ConfidentialBadge /> : null}
                </p>
                <p class="note-body">{n.body}</p>
              </li>
            ))}
          </ol>
        ) : (
          <EmptyState>Aucune note de suivi n'est encore publiée.</EmptyState>
        )}
      </section>
      <section aria-labelledby="documents">
        <h2 id="documents">Documents</h2>
        {sheet.documents.length ? (
          <ul class="documents-list">
            {sheet.documents.map((d) => (
              <li>
                <a href={`${base}/actions/${a.id}/documents/${d.id}`}>{d.title}</a> ({mimeLabel(d.mime)}, {fileSize(d.size)}, {formatDate(d.at)}) {d.visibility === "confidential" ? <ConfidentialBadge /> : null}
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Aucun document n'est publié pour cette action.</EmptyState>
        )}
      </section>
      {sheet.links.length ? (
        <section aria-labelledby="liens">
          <h2 id="liens">Actions liées</h2>
          <LinksList sheet={sheet} base={base} />
        </section>
      ) : null}
      {p.decisions}
      {p.history ? <RecordHistory rows={p.history} /> : null}
      <p>
        <a href={`${base}/plan`}>Retour au plan d'actions</a>
      </p>
    </Layout>
  );
}
