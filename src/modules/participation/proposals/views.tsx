import type { ComponentChildren } from "preact";
import type { Actor } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import type { FieldErrors, FormValues } from "../../../core/forms/index.ts";
import { ActionButton, EmptyState, ErrorSummary, fieldId, Form, SelectField, TextArea, TextField } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { BackOfficeLayout } from "../../../core/ui/backoffice-layout.tsx";
import { Paragraphs } from "../../../core/ui/text.tsx";
import { formatDate, formatDateTime } from "../../../core/i18n/format.ts";
import { RecordHistory, type AuditRow } from "../../audit/api.ts";
import { CRITERIA, criterionLabel, DECISION_LABELS, DECISIONS, formatEuros, PROPOSAL_STATE_LABELS, PROPOSAL_STATES, type ProposalState } from "./model.ts";
import type { ProposalDetail, ProposalListItem } from "./queries.ts";
import { shorten } from "./errors.ts";
import { StateFilter } from "../state-filter.tsx";

/** "CODE – title", or the title alone when the code says the same. */
export const themeName = (t: { code: string; title: string }) => (t.title.toUpperCase() === t.code.toUpperCase() ? t.title : `${t.code} – ${t.title}`);
const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;
const hidden = (text: string) => <span class="visually-hidden"> {text}</span>;

/** The state of a proposal as a coloured badge (with its words: colour is never the only cue). */
export function StateBadge({ status }: { status: ProposalState }) {
  return <span class={`proposal-state proposal-state-${status}`}>{PROPOSAL_STATE_LABELS[status]}</span>;
}

interface PublicProps {
  actor: Actor;
  territory: TerritoryRow;
}

const base = (t: TerritoryRow) => `/t/${t.slug}/propositions`;

/** The public list of proposals, with a filter by state. */
export function ProposalListPage(p: PublicProps & { items: ProposalListItem[]; status?: ProposalState; canPropose: boolean; canManage: boolean }) {
  const b = base(p.territory);
  return (
    <Layout title="Propositions d'actions" actor={p.actor} territory={p.territory} breadcrumbs={[{ label: p.territory.name, href: `/t/${p.territory.slug}` }, { label: "Propositions", href: b }]}>
      <h1>Propositions d'actions</h1>
      <p class="lead">
        Les industriels, les membres des comités et les agents du territoire proposent de nouvelles actions. Le comité de pilotage les examine, répond à chacune et
        intègre au plan celles qu'il retient.
      </p>
      {p.canPropose ? (
        <p>
          <a class="button" href={`${b}/nouvelle`}>
            Proposer une action
          </a>
        </p>
      ) : !p.actor.user ? (
        <p class="notice notice-info">
          Vous dirigez une entreprise du territoire ? <a href={`/connexion?retour=${encodeURIComponent(`${b}/nouvelle`)}`}>Connectez-vous</a> ou{" "}
          <a href={`/t/${p.territory.slug}/inscription`}>inscrivez-vous</a> pour proposer une action, soutenir et commenter les propositions.
        </p>
      ) : null}
      {p.canManage ? (
        <p>
          <a href={`/t/${p.territory.slug}/gestion/propositions`}>Suivre les propositions dans la gestion</a>
        </p>
      ) : null}
      <StateFilter action={b} id="filtres-propositions" states={PROPOSAL_STATES} labels={PROPOSAL_STATE_LABELS} current={p.status} />
      <h2>{p.status ? `${PROPOSAL_STATE_LABELS[p.status]} : ` : ""}{plural(p.items.length, "proposition", "propositions")}</h2>
      {p.items.length ? (
        <ul class="proposal-list">
          {p.items.map((i) => (
            <li class="proposal-item" id={`proposition-${i.id}`}>
              <h3 class="h4">
                <a href={`${b}/${i.id}`}>{i.title}</a>
              </h3>
              <p class="action-meta">
                <StateBadge status={i.status} /> · Proposition n° {i.id} · déposée le {formatDate(i.createdAt)}
                {i.themeTitle ? ` · ${i.themeTitle}` : ""} · {plural(i.supports, "soutien", "soutiens")} · {plural(i.comments, "commentaire", "commentaires")}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState>{p.status ? "Aucune proposition dans cet état." : "Aucune proposition pour l'instant."}</EmptyState>
      )}
    </Layout>
  );
}

export interface ProposalFormProps extends PublicProps {
  csrfToken: string;
  themes: { id: number; title: string; code: string }[];
  errors?: FieldErrors;
  values?: FormValues;
}

const PROPOSAL_LABELS: Record<string, string> = {
  title: "Titre",
  themeId: "Thématique",
  problem: "Problème constaté",
  proposedAction: "Action proposée",
  expectedPartners: "Partenaires pressentis",
  roughBudgetEuros: "Budget estimé",
};

/** The form to propose an action. */
export function ProposalFormPage(p: ProposalFormProps) {
  const errors = p.errors ?? {};
  const b = base(p.territory);
  return (
    <Layout
      title="Proposer une action"
      actor={p.actor}
      territory={p.territory}
      hasErrors={Object.keys(errors).length > 0}
      csrfToken={p.csrfToken}
      breadcrumbs={[{ label: p.territory.name, href: `/t/${p.territory.slug}` }, { label: "Propositions", href: b }, { label: "Proposer une action", href: `${b}/nouvelle` }]}
    >
      <h1>Proposer une action</h1>
      <ErrorSummary errors={errors} labels={PROPOSAL_LABELS} />
      <p>
        Décrivez le problème que rencontrent les entreprises et l'action qui y répondrait. Votre proposition est publiée sur le site sans votre nom ; les participants
        connectés la voient avec votre nom, la soutiennent et la commentent. Le comité de pilotage l'examine et vous répond par courriel.
      </p>
      <Form action={`${b}/nouvelle`} csrfToken={p.csrfToken}>
        <TextField name="title" label="Titre de la proposition" hint="En une phrase, par exemple « Un groupement d'employeurs pour les métiers de la maintenance »." required errors={errors} values={p.values} maxLength={200} />
        <SelectField
          name="themeId"
          label="Thématique du plan"
          options={p.themes.map((t) => ({ value: String(t.id), label: themeName(t) }))}
          placeholder="Je ne sais pas / aucune"
          errors={errors}
          values={p.values}
        />
        <TextArea name="problem" label="Problème constaté" hint="Ce qui freine les entreprises aujourd'hui, avec des exemples si possible." required rows={6} errors={errors} values={p.values} />
        <TextArea name="proposedAction" label="Action proposée" hint="Ce qu'il faudrait faire, qui en bénéficierait." required rows={6} errors={errors} values={p.values} />
        <TextArea name="expectedPartners" label="Partenaires pressentis" hint="Entreprises, organismes de formation, chambres consulaires, collectivités…" rows={3} errors={errors} values={p.values} />
        <TextField name="roughBudgetEuros" label="Budget estimé, en euros" hint="Un ordre de grandeur, en nombre entier d'euros, par exemple 15000." inputmode="numeric" errors={errors} values={p.values} maxLength={12} />
        <div class="form-actions">
          <button type="submit" class="button">
            Déposer la proposition
          </button>
          <a href={b}>Annuler</a>
        </div>
      </Form>
    </Layout>
  );
}

export interface ProposalPageProps extends PublicProps {
  csrfToken: string;
  detail: ProposalDetail;
  /** Signed-in participant: sees names and comments, supports, comments. */
  participant: boolean;
  canEvaluate: boolean;
  canDecide: boolean;
  canModerate: boolean;
  /** The staff see the draft action linked and the record's history. */
  staff: boolean;
  history?: AuditRow[];
  problem?: string;
  commentErrors?: FieldErrors;
  commentValues?: FormValues;
}

/** A proposal's page: the text, supports, the evaluation or answer, comments; the evaluators' buttons. */
export function ProposalPage(p: ProposalPageProps) {
  const d = p.detail;
  const r = d.row;
  const b = `${base(p.territory)}/${r.id}`;
  const me = p.actor.user?.id;
  const decided = r.status === "accepted" || r.status === "rejected" || r.status === "merged";
  // A hidden proposal takes nothing more until it is published again.
  const open = r.visibility === "published";
  const commentErrors = p.commentErrors ?? {};
  const visibleComments = d.comments.filter((c) => !c.hiddenAt || p.canModerate);
  return (
    <Layout
      title={r.title}
      actor={p.actor}
      territory={p.territory}
      csrfToken={p.csrfToken}
      hasErrors={Object.keys(commentErrors).length > 0}
      breadcrumbs={[{ label: p.territory.name, href: `/t/${p.territory.slug}` }, { label: "Propositions", href: base(p.territory) }, { label: `Proposition n° ${r.id}`, href: b }]}
    >
      <p class="kicker">Proposition n° {r.id}</p>
      <h1>{r.title}</h1>
      <ErrorSummary errors={commentErrors} labels={{ body: "Commentaire" }} />
      {p.problem ? (
        <div class="notice notice-warning" role="alert">
          <p>{p.problem}</p>
        </div>
      ) : null}
      {r.visibility !== "published" ? (
        <div class="notice notice-warning">
          <p>Proposition masquée : seuls les agents du territoire la voient ; elle ne reçoit ni soutien, ni commentaire, ni décision.</p>
        </div>
      ) : null}
      <p class="action-meta">
        <StateBadge status={r.status} /> · Déposée le {formatDate(r.createdAt)}
        {p.participant ? (
          <>
            {" "}
            par {d.authorName}
            {d.companyName ? ` (${d.companyName})` : ""}
          </>
        ) : null}
        {d.theme ? ` · Thématique ${themeName(d.theme)}` : ""}
      </p>

      <section aria-labelledby="proposition-contenu">
        <h2 id="proposition-contenu" class="visually-hidden">
          Contenu de la proposition
        </h2>
        <h3>Problème constaté</h3>
        <Paragraphs text={r.problem} />
        <h3>Action proposée</h3>
        <Paragraphs text={r.proposedAction} />
        <dl class="facts">
          <dt>Partenaires pressentis</dt>
          <dd>{r.expectedPartners ?? "Non précisés"}</dd>
          <dt>Budget estimé</dt>
          <dd>{formatEuros(r.roughBudgetEuros)}</dd>
        </dl>
      </section>

      <section aria-labelledby="soutiens">
        <h2 id="soutiens">Soutiens</h2>
        <p>{d.supports ? `${plural(d.supports, "personne soutient", "personnes soutiennent")} cette proposition.` : "Personne ne soutient encore cette proposition."}</p>
        {p.participant && me !== r.authorId && !decided && open ? (
          <Form action={`${b}/soutien`} csrfToken={p.csrfToken} class="inline-form">
            <button type="submit" class={`button ${d.supportedByMe ? "button-secondary" : ""}`} aria-pressed={d.supportedByMe ? "true" : "false"}>
              {d.supportedByMe ? "Retirer mon soutien" : "Soutenir cette proposition"}
            </button>
          </Form>
        ) : p.participant && me === r.authorId ? (
          <p class="hint">Vous avez déposé cette proposition.</p>
        ) : !p.actor.user && !decided ? (
          <p class="hint">
            <a href={`/connexion?retour=${encodeURIComponent(b)}`}>Connectez-vous</a> pour soutenir cette proposition.
          </p>
        ) : null}
      </section>

      <section aria-labelledby="suite-donnee">
        <h2 id="suite-donnee">Suite donnée</h2>
        {r.status === "submitted" ? <p>La proposition attend d'être mise à l'examen par le comité de pilotage.</p> : null}
        {r.status === "under_review" ? <p>Le comité de pilotage examine cette proposition.</p> : null}
        {decided && r.answer ? (
          <>
            <h3>Réponse du comité{r.evaluatedAt ? ` (${formatDate(r.evaluatedAt)})` : ""}</h3>
            <Paragraphs text={r.answer} />
          </>
        ) : null}
        {r.status === "merged" && d.mergedInto ? (
          <p>
            Regroupée avec la <a href={`${base(p.territory)}/${d.mergedInto.id}`}>proposition n° {d.mergedInto.id} « {d.mergedInto.title} »</a>.
          </p>
        ) : null}
        {d.mergedFrom.length ? (
          <p>
            Cette proposition regroupe aussi :{" "}
            {d.mergedFrom.map((m, i) => (
              <>
                {i > 0 ? ", " : ""}
                <a href={`${base(p.territory)}/${m.id}`}>
                  n° {m.id} « {m.title} »
                </a>
              </>
            ))}
            .
          </p>
        ) : null}
        {r.status === "accepted" && d.action ? (
          <p>
            {d.action.visibility === "published" || p.staff ? (
              <>
                Devenue{" "}
                <a href={`/t/${p.territory.slug}/actions/${d.action.id}`}>
                  l'action n° {d.action.number} « {d.action.title} »
                </a>{" "}
                du plan
                {d.action.visibility === "draft" ? " (brouillon, en préparation)" : ""}
              </>
            ) : (
              <>Devenue l'action n° {d.action.number} du plan, en préparation</>
            )}
            {d.decision ? `, par la décision n° ${d.decision.number} du ${formatDate(d.decision.decidedOn)}` : ""}.
          </p>
        ) : null}
        {(p.canEvaluate || p.canDecide) && open ? (
          <div class="proposal-tools">
            <h3>Examen</h3>
            {r.score != null ? (
              <p>
                Note du comité : <strong>{r.score} / 20</strong>
                {d.evaluatorName ? ` (évaluée par ${d.evaluatorName}${r.evaluatedAt ? `, le ${formatDateTime(r.evaluatedAt)}` : ""})` : ""}
                {r.criteria.length ? ` – critères remplis : ${r.criteria.map(criterionLabel).join(" ; ")}` : ""}.
              </p>
            ) : null}
            <div class="row-actions">
              {p.canEvaluate && r.status === "submitted" ? <ActionButton action={`${b}/examen`} csrfToken={p.csrfToken} label="Mettre à l'examen" variant="primary" /> : null}
              {p.canEvaluate && r.status === "under_review" ? (
                <a class="button button-secondary button-small" href={`${b}/evaluation`}>
                  Évaluer
                </a>
              ) : null}
              {p.canDecide && r.status === "under_review" ? (
                <a class="button button-small" href={`${b}/decision`}>
                  Enregistrer la décision
                </a>
              ) : null}
            </div>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="commentaires">
        <h2 id="commentaires">Commentaires</h2>
        {p.participant ? (
          <>
            {visibleComments.length ? (
              <ol class="comment-list">
                {visibleComments.map((c) => (
                  <li id={`commentaire-${c.id}`} class={c.hiddenAt ? "comment comment-hidden" : "comment"}>
                    <p class="action-meta">
                      <strong>{c.authorName}</strong>, le {formatDateTime(c.at)}
                      {c.hiddenAt ? <span class="badge"> Masqué le {formatDateTime(c.hiddenAt)}</span> : null}
                    </p>
                    <Paragraphs text={c.body} />
                    {p.canModerate && !c.hiddenAt ? (
                      <ActionButton action={`${b}/commentaires/${c.id}/masquer`} csrfToken={p.csrfToken} label="Masquer" accessibleLabel={`Masquer le commentaire de ${c.authorName} du ${formatDateTime(c.at)}`} variant="danger" />
                    ) : null}
                  </li>
                ))}
              </ol>
            ) : (
              <EmptyState>Aucun commentaire pour l'instant.</EmptyState>
            )}
            {open ? (
            <Form action={`${b}/commentaires`} csrfToken={p.csrfToken}>
              <TextArea name="body" label="Votre commentaire" hint="Il est visible des participants connectés, avec votre nom." required rows={4} errors={commentErrors} values={p.commentValues} />
              <div class="form-actions">
                <button type="submit" class="button button-secondary">
                  Publier le commentaire
                </button>
              </div>
            </Form>
            ) : null}
          </>
        ) : (
          <p>
            {plural(d.comments.filter((c) => !c.hiddenAt).length, "commentaire", "commentaires")}, visibles des participants connectés (industriels, membres des comités,
            agents).
          </p>
        )}
      </section>
      {p.staff ? (
        <section aria-labelledby="moderation">
          <h2 id="moderation">Modération</h2>
          {r.visibility === "published" ? (
            <>
              <p>Une proposition injurieuse, hors sujet ou qui contient des données personnelles peut être masquée ; elle reste enregistrée.</p>
              <ActionButton action={`${b}/masquer`} csrfToken={p.csrfToken} label="Masquer la proposition" variant="danger" />
            </>
          ) : (
            <ActionButton action={`${b}/publier`} csrfToken={p.csrfToken} label="Publier de nouveau" />
          )}
        </section>
      ) : null}
      {p.history ? <RecordHistory rows={p.history} /> : null}
    </Layout>
  );
}

interface ToolProps extends PublicProps {
  csrfToken: string;
  detail: ProposalDetail;
  errors?: FieldErrors;
  values?: FormValues;
  problem?: string;
}

function ToolLayout(p: ToolProps & { title: string; path: string; children: ComponentChildren }) {
  const r = p.detail.row;
  const b = `${base(p.territory)}/${r.id}`;
  return (
    <Layout
      title={p.title}
      actor={p.actor}
      territory={p.territory}
      csrfToken={p.csrfToken}
      hasErrors={Object.keys(p.errors ?? {}).length > 0 || Boolean(p.problem)}
      breadcrumbs={[
        { label: p.territory.name, href: `/t/${p.territory.slug}` },
        { label: "Propositions", href: base(p.territory) },
        { label: `Proposition n° ${r.id}`, href: b },
        { label: p.title, href: `${b}/${p.path}` },
      ]}
    >
      {p.children}
    </Layout>
  );
}

function Summary({ detail }: { detail: ProposalDetail }) {
  const r = detail.row;
  return (
    <details class="proposal-summary">
      <summary>Rappel de la proposition</summary>
      <h2 class="h4">Problème constaté</h2>
      <Paragraphs text={r.problem} />
      <h2 class="h4">Action proposée</h2>
      <Paragraphs text={r.proposedAction} />
      <p>
        Partenaires pressentis : {r.expectedPartners ?? "non précisés"}. Budget estimé : {formatEuros(r.roughBudgetEuros)}. {plural(detail.supports, "soutien", "soutiens")}.
      </p>
    </details>
  );
}

function Problem({ text }: { text?: string }) {
  return text ? (
    <div class="notice notice-warning" role="alert">
      <p>{text}</p>
    </div>
  ) : null;
}

/** The evaluation form: the criteria checklist, the score out of 20, the answer being written. */
export function EvaluationPage(p: ToolProps) {
  const r = p.detail.row;
  const errors = p.errors ?? {};
  const checked = new Set(([] as string[]).concat(p.values?.criteria ?? []));
  return (
    <ToolLayout {...p} title="Évaluer la proposition" path="evaluation">
      <p class="kicker">Proposition n° {r.id}</p>
      <h1>Évaluer la proposition « {shorten(r.title, 80)} »</h1>
      <ErrorSummary errors={errors} labels={{ criteria: "Critères", score: "Note", answer: "Réponse" }} />
      <Problem text={p.problem} />
      <Summary detail={p.detail} />
      <Form action={`${base(p.territory)}/${r.id}/evaluation`} csrfToken={p.csrfToken}>
        <fieldset class="field" id={fieldId("criteria")}>
          <legend>Critères remplis</legend>
          <p class="hint">Cochez chaque critère que la proposition remplit.</p>
          {CRITERIA.map((c) => (
            <div class="field-checkbox">
              <input type="checkbox" id={`critere-${c.key}`} name="criteria" value={c.key} checked={checked.has(c.key)} />
              <label for={`critere-${c.key}`}>{c.label}</label>
            </div>
          ))}
        </fieldset>
        <TextField name="score" label="Note sur 20" hint="Un nombre entier de 0 à 20 ; à titre indicatif, 4 points par critère rempli." required inputmode="numeric" maxLength={2} errors={errors} values={p.values} />
        <TextArea name="answer" label="Réponse à l'auteur (brouillon)" hint="Elle lui sera envoyée par courriel avec la décision." rows={6} errors={errors} values={p.values} />
        <div class="form-actions">
          <button type="submit" class="button">
            Enregistrer l'évaluation
          </button>
          <a href={`${base(p.territory)}/${r.id}`}>Annuler</a>
        </div>
      </Form>
    </ToolLayout>
  );
}

/** The decision form: accepted (objective of the new action), rejected, merged (with which); the answer sent. */
export function DecisionPage(p: ToolProps & { objectives: { id: number; label: string }[]; meetings: { id: number; title: string; startsAt: Date }[]; mergeChoices: { id: number; title: string }[]; nextActionNumber: number }) {
  const r = p.detail.row;
  const errors = p.errors ?? {};
  const current = typeof p.values?.decision === "string" ? p.values.decision : "";
  return (
    <ToolLayout {...p} title="Décision sur la proposition" path="decision">
      <p class="kicker">Proposition n° {r.id}</p>
      <h1>Décision sur la proposition « {shorten(r.title, 80)} »</h1>
      <ErrorSummary errors={errors} labels={{ decision: "Décision", objectiveId: "Objectif", mergedIntoId: "Proposition", meetingId: "Séance", answer: "Réponse" }} />
      <Problem text={p.problem} />
      <Summary detail={p.detail} />
      {r.score != null ? (
        <p>
          Évaluation : <strong>{r.score} / 20</strong>
          {r.criteria.length ? ` – ${r.criteria.map(criterionLabel).join(" ; ")}` : " – aucun critère rempli"}.
        </p>
      ) : (
        <p class="hint">La proposition n'a pas encore été notée.</p>
      )}
      <Form action={`${base(p.territory)}/${r.id}/decision`} csrfToken={p.csrfToken}>
        <fieldset class={`field${errors.decision ? " field-error" : ""}`} id={fieldId("decision")} aria-describedby={errors.decision ? `${fieldId("decision")}-erreur` : undefined}>
          <legend>Décision du comité</legend>
          {errors.decision ? (
            <p class="error-message" id={`${fieldId("decision")}-erreur`}>
              <span class="visually-hidden">Erreur : </span>
              {errors.decision}
            </p>
          ) : null}
          {DECISIONS.map((d) => (
            <div class="field-radio">
              <input type="radio" id={`decision-${d}`} name="decision" value={d} checked={current === d} />
              <label for={`decision-${d}`}>{DECISION_LABELS[d]}</label>
            </div>
          ))}
        </fieldset>
        <SelectField
          name="objectiveId"
          label="Si elle est acceptée : objectif du plan où ajouter l'action"
          hint={`L'action n° ${p.nextActionNumber} est créée en brouillon sous cet objectif, par la décision du comité et l'avenant qui l'ajoute au plan (une nouvelle version du plan).`}
          options={p.objectives.map((o) => ({ value: String(o.id), label: o.label }))}
          placeholder="Choisissez un objectif"
          errors={errors}
          values={p.values}
        />
        <SelectField
          name="mergedIntoId"
          label="Si elle est regroupée : proposition qui la regroupe"
          options={p.mergeChoices.map((m) => ({ value: String(m.id), label: `n° ${m.id} – ${shorten(m.title, 90)}` }))}
          placeholder="Choisissez une proposition"
          errors={errors}
          values={p.values}
        />
        <SelectField
          name="meetingId"
          label="Séance du comité qui a décidé"
          hint="La décision est numérotée et datée du jour où vous l'enregistrez ; sans séance, elle est prise par procédure écrite."
          options={p.meetings.map((m) => ({ value: String(m.id), label: `${m.title} – ${formatDate(m.startsAt)}` }))}
          placeholder="Aucune : procédure écrite"
          errors={errors}
          values={p.values}
        />
        <TextArea name="answer" label="Réponse envoyée à l'auteur" hint="Publiée sur la page de la proposition et envoyée par courriel à son auteur." required rows={8} errors={errors} values={p.values} />
        <div class="form-actions">
          <button type="submit" class="button">
            Enregistrer la décision
          </button>
          <a href={`${base(p.territory)}/${r.id}`}>Annuler</a>
        </div>
      </Form>
    </ToolLayout>
  );
}

/** The back-office list of proposals: state, score, supports, for the staff. */
export function ManageProposalsPage(p: PublicProps & { items: ProposalListItem[]; status?: ProposalState; flash?: string }) {
  const b = base(p.territory);
  const counts = PROPOSAL_STATES.map((s) => [s, p.items.filter((i) => i.status === s).length] as const);
  const shown = p.status ? p.items.filter((i) => i.status === p.status) : p.items;
  return (
    <BackOfficeLayout actor={p.actor} territory={p.territory} title="Propositions d'actions" section="/propositions" flash={p.flash} crumbs={[{ label: "Propositions", href: `/t/${p.territory.slug}/gestion/propositions` }]}>
      <h1>Propositions d'actions</h1>
      <p class="lead">
        {counts
          .filter(([, n]) => n)
          .map(([s, n]) => `${PROPOSAL_STATE_LABELS[s]} : ${n}`)
          .join(" · ") || "Aucune proposition."}
      </p>
      <StateFilter action={`/t/${p.territory.slug}/gestion/propositions`} id="filtres-gestion-propositions" states={PROPOSAL_STATES} labels={PROPOSAL_STATE_LABELS} current={p.status} />
      {shown.length ? (
        <div class="table-scroll">
          <table class="table manage-table">
            <caption class="visually-hidden">Propositions d'actions{p.status ? ` : ${PROPOSAL_STATE_LABELS[p.status]}` : ""}</caption>
            <thead>
              <tr>
                <th scope="col">N°</th>
                <th scope="col">Proposition</th>
                <th scope="col">État</th>
                <th scope="col">Note</th>
                <th scope="col">Soutiens</th>
                <th scope="col">Déposée le</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((i) => (
                <tr>
                  <td>{i.id}</td>
                  <td>
                    <a href={`${b}/${i.id}`}>{i.title}</a>
                    {i.themeTitle ? <span class="hint"> – {i.themeTitle}</span> : null}
                    {i.hidden ? <span class="badge"> Masquée</span> : null}
                  </td>
                  <td>
                    <StateBadge status={i.status} />
                  </td>
                  <td>{i.score != null ? `${i.score} / 20` : hidden("non notée")}</td>
                  <td>{i.supports}</td>
                  <td>{formatDate(i.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState>Aucune proposition {p.status ? "dans cet état" : "pour l'instant"}.</EmptyState>
      )}
    </BackOfficeLayout>
  );
}

/** The page an unsubscribe link opens: one button, so that a link preview never unsubscribes anyone. */
export function UnsubscribePage(p: PublicProps & { csrfToken: string; token: string; done?: boolean; already?: boolean }) {
  return (
    <Layout title="Courriels sur les propositions" actor={p.actor} territory={p.territory} csrfToken={p.csrfToken}>
      <h1>Courriels sur les propositions</h1>
      {p.done || p.already ? (
        <p>
          {p.done ? "C'est fait : " : ""}vous ne recevez plus de courriels sur vos propositions d'actions dans ce territoire. Les réponses restent lisibles sur la page de
          chaque proposition.
        </p>
      ) : (
        <>
          <p>Vous recevez un courriel quand le comité de pilotage répond à l'une de vos propositions d'actions.</p>
          <Form action={`${base(p.territory)}/desabonnement/${p.token}`} csrfToken={p.csrfToken}>
            <button type="submit" class="button">
              Ne plus recevoir ces courriels
            </button>
          </Form>
        </>
      )}
      <p>
        <a href={base(p.territory)}>Voir les propositions</a>
      </p>
    </Layout>
  );
}
