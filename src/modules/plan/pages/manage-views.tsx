import { BackOfficeLayout } from "../../../core/ui/backoffice-layout.tsx";
import type { ComponentChildren } from "preact";
import { can, type Actor } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import type { FieldErrors, FormValues } from "../../../core/forms/index.ts";
import { ActionButton, CheckboxField, EmptyState, ErrorSummary, fieldId, Form, SelectField, TextArea, TextField } from "../../../core/ui/components.tsx";
import type { NavItem } from "../../../core/ui/layout.tsx";
import { RecordHistory, type AuditRow } from "../../audit/api.ts";
import { formatDateTime } from "../../../core/i18n/format.ts";
import { actionSubject, JOINT_MARK, plural, STATUS_LABELS, VISIBILITY_LABELS, type ActionStatus, type Visibility } from "../model.ts";
import { VISIBILITIES } from "../schema.ts";
import type { ActionNode, ObjectiveNode, ThemeNode } from "../queries/plan-tree.ts";
import { shorten } from "../commands/errors.ts";
import { StatusBadge } from "./public.tsx";

/** What every back-office page of the plan receives. */
export interface BackOfficeProps {
  actor: Actor;
  territory: TerritoryRow;
  csrfToken: string;
  flash?: string;
}

const gestion = (t: TerritoryRow) => `/t/${t.slug}/gestion`;

/** The back-office frame of the plan's pages: side navigation, breadcrumbs, error state. */
function PlanShell(p: BackOfficeProps & { title: string; hasErrors?: boolean; crumbs?: NavItem[]; path: string; children: ComponentChildren }) {
  return <BackOfficeLayout {...p} section="" currentPath={p.path} crumbs={[{ label: "Plan d'actions", href: gestion(p.territory) }, ...(p.crumbs ?? [])]} />;
}

export function VisibilityBadge({ visibility }: { visibility: Visibility }) {
  if (visibility === "published") return <span class="badge badge-info">{VISIBILITY_LABELS.published}</span>;
  return <span class={`badge badge-${visibility}`}>{VISIBILITY_LABELS[visibility]}</span>;
}

function ArchivedBadge({ at, feminine }: { at: Date | null; feminine?: boolean }) {
  return at ? <span class="badge">{feminine ? "Archivée" : "Archivé"} le {formatDateTime(at)}</span> : null;
}

const hidden = (text: string) => <span class="visually-hidden"> {text}</span>;

/** Buttons to move a live item within its parent (only those that can move). */
function MoveButtons(p: { base: string; path: string; index: number; count: number; label: string; csrfToken: string }) {
  return (
    <>
      {p.index > 0 ? <ActionButton action={`${p.base}/${p.path}/monter`} csrfToken={p.csrfToken} label="Monter" accessibleLabel={`Monter ${p.label}`} /> : null}
      {p.index < p.count - 1 ? <ActionButton action={`${p.base}/${p.path}/descendre`} csrfToken={p.csrfToken} label="Descendre" accessibleLabel={`Descendre ${p.label}`} /> : null}
    </>
  );
}

const live = <T extends { archivedAt: Date | null }>(items: T[]) => items.filter((i) => !i.archivedAt);

/** Counts of the live plan, by visibility. */
function summary(tree: ThemeNode[]) {
  const themes = live(tree);
  const objectives = themes.flatMap((t) => live(t.objectives));
  const actions = objectives.flatMap((o) => live(o.actions));
  const drafts = actions.filter((a) => a.visibility === "draft").length;
  const confidential = actions.filter((a) => a.visibility === "confidential").length;
  return { themes: themes.length, objectives: objectives.length, actions: actions.length, drafts, confidential };
}

/** Archived items, each listed once under its nearest live ancestor. */
function archivedItems(tree: ThemeNode[]) {
  const themes = tree.filter((t) => t.archivedAt);
  const objectives = live(tree).flatMap((t) => t.objectives.filter((o) => o.archivedAt).map((o) => ({ ...o, theme: t })));
  const actions = live(tree).flatMap((t) => live(t.objectives).flatMap((o) => o.actions.filter((a) => a.archivedAt).map((a) => ({ ...a, theme: t, objective: o }))));
  return { themes, objectives, actions, total: themes.length + objectives.length + actions.length };
}

/** What the person may change in the tree: every link and button is shown only when it would be allowed. */
interface TreePermissions {
  theme: boolean;
  objective: boolean;
  /** Adding actions (a limited agent adds those its intercommunalité leads). */
  addAction: boolean;
  action(a: ActionNode): boolean;
}

function treePermissions(actor: Actor, territoryId: number): TreePermissions {
  return {
    theme: can(actor, "plan.theme.update", { territoryId }),
    objective: can(actor, "plan.objective.update", { territoryId }),
    addAction: can(actor, "plan.action.update", { territoryId }),
    action: (a) => can(actor, "plan.action.edit", { territoryId, subject: actionSubject(a) }),
  };
}

/** The back-office home: the whole plan as a tree with drafts and confidential items, and its archives. */
export function ManageHomePage(p: BackOfficeProps & { tree: ThemeNode[]; showArchives: boolean; problem?: string; limitedTo?: { id: number; name: string } }) {
  const base = gestion(p.territory);
  const counts = summary(p.tree);
  const archived = archivedItems(p.tree);
  const themes = live(p.tree);
  const may = treePermissions(p.actor, p.territory.id);
  return (
    <PlanShell {...p} title="Plan d'actions – gestion" path={base} crumbs={[]}>
      <h1>Gestion du plan d'actions</h1>
      {p.problem ? (
        <div class="notice notice-warning" role="alert">
          <p>{p.problem}</p>
        </div>
      ) : null}
      <p class="lead">
        {plural(counts.themes, "thématique", "thématiques")}, {plural(counts.objectives, "objectif", "objectifs")} et {plural(counts.actions, "action", "actions")}
        {counts.drafts || counts.confidential
          ? ` (dont ${[counts.drafts ? plural(counts.drafts, "brouillon", "brouillons") : "", counts.confidential ? plural(counts.confidential, "confidentielle", "confidentielles") : ""].filter(Boolean).join(" et ")})`
          : ""}
        .
      </p>
      {p.limitedTo ? (
        <div class="notice notice-info">
          <p>
            Vous modifiez les actions portées par {p.limitedTo.name} et les actions en partenariat {JOINT_MARK} dont elle est partenaire. Les thématiques, les
            objectifs et les autres actions sont en lecture seule pour vous.
          </p>
        </div>
      ) : null}
      <p class="hint">
        Seuls les éléments « Publié » apparaissent sur le site public, et seulement si leur objectif et leur thématique sont publiés eux aussi. Un élément
        confidentiel n'est visible que de l'équipe du territoire, des membres de ses comités et de ses financeurs ; un brouillon, de l'équipe seulement.
      </p>
      <p class="form-actions">
        {may.theme ? (
          <a class="button" href={`${base}/thematiques/nouvelle`}>
            Ajouter une thématique
          </a>
        ) : null}
        <a href={`/t/${p.territory.slug}/plan`}>Voir le plan sur le site public</a>
        <a href={`/t/${p.territory.slug}/suivi`}>Voir le suivi du plan</a>
      </p>
      {themes.length ? (
        <ul class="tree">
          {themes.map((t, ti) => (
            <ThemeBranch theme={t} index={ti} count={themes.length} base={base} csrfToken={p.csrfToken} may={may} />
          ))}
        </ul>
      ) : (
        <EmptyState>Le plan ne contient encore aucune thématique. Commencez par en ajouter une : elle regroupera des objectifs, puis des actions.</EmptyState>
      )}
      <section aria-labelledby="archives">
        <h2 id="archives">Éléments archivés</h2>
        {!p.showArchives ? (
          <p>
            {archived.total ? (
              <a href={`${base}?archives=1#archives`}>Afficher les éléments archivés ({archived.total})</a>
            ) : (
              "Aucun élément n'est archivé."
            )}
          </p>
        ) : archived.total ? (
          <>
            <p>
              Un élément archivé n'apparaît plus sur le site public ; ce qu'il contient est conservé et revient avec lui quand il est restauré.{" "}
              <a href={base}>Masquer les éléments archivés</a>
            </p>
            <ArchivedList base={base} csrfToken={p.csrfToken} archived={archived} may={may} />
          </>
        ) : (
          <EmptyState>Aucun élément n'est archivé.</EmptyState>
        )}
      </section>
    </PlanShell>
  );
}

function ThemeBranch(p: { theme: ThemeNode; index: number; count: number; base: string; csrfToken: string; may: TreePermissions }) {
  const t = p.theme;
  const objectives = live(t.objectives);
  const label = `la thématique ${t.code}`;
  return (
    <li id={`theme-${t.id}`}>
      <div class="tree-row">
        <div>
          <span class="kicker">Thématique{t.title === t.code ? "" : ` ${t.code}`}</span>
          <h2 class="h4">{t.title}</h2> <VisibilityBadge visibility={t.visibility} />
        </div>
        {p.may.theme ? (
          <RowActions base={p.base} path={`thematiques/${t.id}`} index={p.index} count={p.count} label={label} csrfToken={p.csrfToken} />
        ) : null}
      </div>
      <ul>
        {objectives.map((o, oi) => (
          <ObjectiveBranch objective={o} index={oi} count={objectives.length} base={p.base} csrfToken={p.csrfToken} may={p.may} />
        ))}
        {p.may.objective ? (
          <li class="tree-row">
            <a href={`${p.base}/objectifs/nouveau?theme=${t.id}`}>
              Ajouter un objectif{hidden(`à ${label}`)}
            </a>
          </li>
        ) : null}
      </ul>
    </li>
  );
}

/** Modifier and restore controls of an archived item. */
function RestoreActions(p: { base: string; path: string; label: string; csrfToken: string }) {
  return (
    <div class="row-actions">
      <a href={`${p.base}/${p.path}`}>
        Modifier{hidden(p.label)}
      </a>
      <ActionButton action={`${p.base}/${p.path}/restaurer`} csrfToken={p.csrfToken} label="Restaurer" accessibleLabel={`Restaurer ${p.label}`} />
    </div>
  );
}

/** Modifier, move and archive controls of one item of the back-office tree. */
function RowActions(p: { base: string; path: string; index: number; count: number; label: string; csrfToken: string }) {
  return (
    <div class="row-actions">
      <a href={`${p.base}/${p.path}`}>
        Modifier{hidden(p.label)}
      </a>
      <MoveButtons base={p.base} path={p.path} index={p.index} count={p.count} label={p.label} csrfToken={p.csrfToken} />
      <ActionButton action={`${p.base}/${p.path}/archiver`} csrfToken={p.csrfToken} label="Archiver" accessibleLabel={`Archiver ${p.label}`} />
    </div>
  );
}

function ObjectiveBranch(p: { objective: ObjectiveNode; index: number; count: number; base: string; csrfToken: string; may: TreePermissions }) {
  const o = p.objective;
  const actions = live(o.actions);
  const label = `l'objectif « ${shorten(o.title)} »`;
  return (
    <li id={`objectif-${o.id}`}>
      <div class="tree-row">
        <div>
          <span class="kicker">Objectif</span>
          <h3 class="h4">{o.title}</h3> <VisibilityBadge visibility={o.visibility} />
        </div>
        {p.may.objective ? (
          <RowActions base={p.base} path={`objectifs/${o.id}`} index={p.index} count={p.count} label={label} csrfToken={p.csrfToken} />
        ) : null}
      </div>
      <ul>
        {actions.map((a, ai) => (
          <ActionLeaf action={a} index={ai} count={actions.length} base={p.base} csrfToken={p.csrfToken} editable={p.may.action(a)} />
        ))}
        {p.may.addAction ? (
          <li class="tree-row">
            <a href={`${p.base}/actions/nouvelle?objectif=${o.id}`}>
              Ajouter une action{hidden(`à ${label}`)}
            </a>
          </li>
        ) : null}
      </ul>
    </li>
  );
}

function ActionLeaf(p: { action: ActionNode; index: number; count: number; base: string; csrfToken: string; editable: boolean }) {
  const a = p.action;
  const label = `l'action ${a.number}`;
  return (
    <li id={`action-${a.id}`} class="tree-row">
      <div>
        <span class="action-number">Action {a.number}</span> {a.title}{" "}
        {a.joint ? (
          <span class="joint-mark" title="En partenariat">
            <span aria-hidden="true">{JOINT_MARK}</span>
            <span class="visually-hidden">(en partenariat)</span>
          </span>
        ) : null}{" "}
        <VisibilityBadge visibility={a.visibility} /> <StatusBadge status={a.status} />
      </div>
      {p.editable ? (
        <div class="row-actions">
          <a href={`${p.base}/actions/${a.id}`}>
            Modifier{hidden(label)}
          </a>
          <a href={`${p.base}/actions/${a.id}/suivi`}>
            Suivi{hidden(label)}
          </a>
          <MoveButtons base={p.base} path={`actions/${a.id}`} index={p.index} count={p.count} label={label} csrfToken={p.csrfToken} />
          <ActionButton action={`${p.base}/actions/${a.id}/archiver`} csrfToken={p.csrfToken} label="Archiver" accessibleLabel={`Archiver ${label}`} />
        </div>
      ) : (
        <div class="row-actions">
          <a href={`${p.base.replace(/\/gestion$/, "")}/actions/${a.id}`}>
            Voir la fiche{hidden(label)}
          </a>
        </div>
      )}
    </li>
  );
}

function ArchivedList(p: { base: string; csrfToken: string; archived: ReturnType<typeof archivedItems>; may: TreePermissions }) {
  const { themes, objectives, actions } = p.archived;
  const count = (t: ThemeNode) => {
    const n = t.objectives.length;
    const m = t.objectives.reduce((s, o) => s + o.actions.length, 0);
    return `contient ${plural(n, "objectif", "objectifs")} et ${plural(m, "action", "actions")}`;
  };
  return (
    <>
      {themes.length ? (
        <>
          <h3>Thématiques archivées</h3>
          <ul class="tree">
            {themes.map((t) => (
              <li class="tree-row archived" id={`theme-${t.id}`}>
                <div>
                  <strong>{t.code}</strong> – {t.title} <ArchivedBadge at={t.archivedAt} feminine /> <span class="hint">({count(t)})</span>
                </div>
                {p.may.theme ? (
                  <RestoreActions base={p.base} path={`thematiques/${t.id}`} label={`la thématique ${t.code}`} csrfToken={p.csrfToken} />
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {objectives.length ? (
        <>
          <h3>Objectifs archivés</h3>
          <ul class="tree">
            {objectives.map((o) => (
              <li class="tree-row archived" id={`objectif-${o.id}`}>
                <div>
                  {o.title} <span class="hint">(thématique {o.theme.code}, {plural(o.actions.length, "action", "actions")})</span> <ArchivedBadge at={o.archivedAt} />
                </div>
                {p.may.objective ? (
                  <RestoreActions base={p.base} path={`objectifs/${o.id}`} label={`l'objectif « ${shorten(o.title)} »`} csrfToken={p.csrfToken} />
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {actions.length ? (
        <>
          <h3>Actions archivées</h3>
          <ul class="tree">
            {actions.map((a) => (
              <li class="tree-row archived" id={`action-${a.id}`}>
                <div>
                  <span class="action-number">Action {a.number}</span> {a.title} <span class="hint">(objectif « {shorten(a.objective.title)} »)</span> <ArchivedBadge at={a.archivedAt} feminine />
                </div>
                {p.may.action(a) ? (
                  <RestoreActions base={p.base} path={`actions/${a.id}`} label={`l'action ${a.number}`} csrfToken={p.csrfToken} />
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

const visibilityOptions = VISIBILITIES.map((v) => ({ value: v, label: VISIBILITY_LABELS[v] }));
const VISIBILITY_HINT =
  "Publié : visible de tous sur le site public et l'API ouverte. Brouillon : en préparation, visible de l'équipe seulement. Confidentiel : réservé à l'équipe du territoire, aux membres de ses comités et à ses financeurs, en lecture seule.";

interface FormPageProps extends BackOfficeProps {
  errors?: FieldErrors;
  values: FormValues;
  /** Set when editing an existing record. */
  existing?: { id: number; archivedAt: Date | null };
  /** The record's history (edit pages). */
  history?: AuditRow[];
}

/** Archive or restore, below an edit form (forms cannot be nested). */
function ArchiveBox(p: { action: string; archived: boolean; csrfToken: string; label: string }) {
  return (
    <section class="card" aria-labelledby="archivage">
      <h2 id="archivage" class="h4">
        {p.archived ? "Restaurer" : "Archiver"}
      </h2>
      <p>
        {p.archived
          ? "Restaurer remet cet élément dans le plan, à sa place, avec ce qu'il contient."
          : "Archiver retire cet élément du site public sans rien effacer, ni lui ni ce qu'il contient ; vous pourrez le restaurer depuis la liste des éléments archivés."}
      </p>
      <ActionButton
        action={`${p.action}/${p.archived ? "restaurer" : "archiver"}`}
        csrfToken={p.csrfToken}
        label={p.archived ? "Restaurer" : "Archiver"}
        accessibleLabel={`${p.archived ? "Restaurer" : "Archiver"} ${p.label}`}
      />
    </section>
  );
}

const THEME_LABELS = { code: "Code", title: "Titre", description: "Description", visibility: "Visibilité" };

/** Create or edit a theme. */
export function ThemeFormPage(p: FormPageProps) {
  const base = gestion(p.territory);
  const hasErrors = Boolean(p.errors && Object.keys(p.errors).length);
  const action = p.existing ? `${base}/thematiques/${p.existing.id}` : `${base}/thematiques/nouvelle`;
  const title = p.existing ? "Modifier la thématique" : "Ajouter une thématique";
  return (
    <PlanShell {...p} title={title} hasErrors={hasErrors} path={action} crumbs={[{ label: title, href: "" }]}>
      <h1>{title}</h1>
      {p.existing?.archivedAt ? <p class="notice notice-warning">Cette thématique est archivée : elle n'apparaît pas sur le site public.</p> : null}
      <ErrorSummary errors={p.errors ?? {}} labels={THEME_LABELS} />
      <Form action={action} csrfToken={p.csrfToken} class="narrow">
        <TextField
          name="code"
          label={THEME_LABELS.code}
          hint="Un mot court en majuscules, sans accent, qui identifie la thématique dans le plan et ses adresses (lettres, chiffres, tirets), par exemple ATTIRER."
          required
          maxLength={30}
          autocomplete="off"
          errors={p.errors}
          values={p.values}
        />
        <TextField name="title" label={THEME_LABELS.title} required maxLength={200} errors={p.errors} values={p.values} />
        <TextArea name="description" label={THEME_LABELS.description} rows={4} errors={p.errors} values={p.values} />
        <SelectField name="visibility" label={THEME_LABELS.visibility} hint={VISIBILITY_HINT} required options={visibilityOptions} errors={p.errors} values={p.values} />
        <div class="form-actions">
          <button type="submit" class="button">
            Enregistrer la thématique
          </button>
          <a href={p.existing ? `${base}#theme-${p.existing.id}` : base}>Annuler</a>
        </div>
      </Form>
      {p.existing ? <ArchiveBox action={action} archived={Boolean(p.existing.archivedAt)} csrfToken={p.csrfToken} label="cette thématique" /> : null}
      {p.history ? <RecordHistory rows={p.history} /> : null}
    </PlanShell>
  );
}

const OBJECTIVE_LABELS = { themeId: "Thématique", title: "Titre", description: "Description", visibility: "Visibilité" };

/** Create or edit an objective. */
export function ObjectiveFormPage(p: FormPageProps & { themes: { id: number; code: string; title: string }[] }) {
  const base = gestion(p.territory);
  const hasErrors = Boolean(p.errors && Object.keys(p.errors).length);
  const action = p.existing ? `${base}/objectifs/${p.existing.id}` : `${base}/objectifs/nouveau`;
  const title = p.existing ? "Modifier l'objectif" : "Ajouter un objectif";
  return (
    <PlanShell {...p} title={title} hasErrors={hasErrors} path={action} crumbs={[{ label: title, href: "" }]}>
      <h1>{title}</h1>
      {p.existing?.archivedAt ? <p class="notice notice-warning">Cet objectif est archivé : il n'apparaît pas sur le site public.</p> : null}
      {!p.themes.length ? (
        <EmptyState>
          Un objectif se range dans une thématique, et le plan n'en contient encore aucune. <a href={`${base}/thematiques/nouvelle`}>Ajoutez d'abord une thématique</a>.
        </EmptyState>
      ) : (
        <>
          <ErrorSummary errors={p.errors ?? {}} labels={OBJECTIVE_LABELS} />
          <Form action={action} csrfToken={p.csrfToken} class="narrow">
            <SelectField
              name="themeId"
              label={OBJECTIVE_LABELS.themeId}
              hint={p.existing ? "Changer de thématique place l'objectif en dernier dans la nouvelle." : undefined}
              required
              placeholder="Choisissez une thématique"
              options={p.themes.map((t) => ({ value: String(t.id), label: t.code === t.title ? t.code : `${t.code} – ${t.title}` }))}
              errors={p.errors}
              values={p.values}
            />
            <TextField name="title" label={OBJECTIVE_LABELS.title} required maxLength={300} errors={p.errors} values={p.values} />
            <TextArea name="description" label={OBJECTIVE_LABELS.description} rows={4} errors={p.errors} values={p.values} />
            <SelectField name="visibility" label={OBJECTIVE_LABELS.visibility} hint={VISIBILITY_HINT} required options={visibilityOptions} errors={p.errors} values={p.values} />
            <div class="form-actions">
              <button type="submit" class="button">
                Enregistrer l'objectif
              </button>
              <a href={p.existing ? `${base}#objectif-${p.existing.id}` : base}>Annuler</a>
            </div>
          </Form>
        </>
      )}
      {p.existing ? <ArchiveBox action={action} archived={Boolean(p.existing.archivedAt)} csrfToken={p.csrfToken} label="cet objectif" /> : null}
      {p.history ? <RecordHistory rows={p.history} /> : null}
    </PlanShell>
  );
}

export const ACTION_LABELS = {
  objectiveId: "Objectif",
  number: "Numéro",
  title: "Titre",
  description: "Description",
  status: "Statut",
  visibility: "Visibilité",
  leadAuthorityId: "Porteur",
  joint: "Partenariat",
  partnerAuthorityIds: "Intercommunalités partenaires",
  otherPartners: "Autres partenaires",
  communeCode: "Commune",
};

export interface ActionFormData {
  objectives: { id: number; label: string }[];
  authorities: { id: number; name: string }[];
  communes: { code: string; name: string }[];
  number?: number;
  /** The agent edits only the actions of this intercommunalité (and the joint ones it is partner of). */
  limitedTo?: { id: number; name: string };
}

/** The partner authorities as checkboxes; the first one carries the field id the error summary links to. */
function PartnerCheckboxes(p: { authorities: { id: number; name: string }[]; errors?: FieldErrors; values: FormValues }) {
  const name = "partnerAuthorityIds";
  const raw = p.values[name];
  const checked = new Set(Array.isArray(raw) ? raw : raw ? [raw] : []);
  const error = p.errors?.[name];
  const hintId = `${fieldId(name)}-aide`;
  return (
    <fieldset class={error ? "field-error" : undefined} aria-describedby={error ? `${hintId} ${fieldId(name)}-erreur` : hintId}>
      <legend>
        {ACTION_LABELS.partnerAuthorityIds} <span class="optional">(facultatif)</span>
      </legend>
      <p class="hint" id={hintId}>
        Les intercommunalités du territoire associées à l'action, autres que son porteur.
      </p>
      {error ? (
        <p class="error-message" id={`${fieldId(name)}-erreur`}>
          <span class="visually-hidden">Erreur : </span>
          {error}
        </p>
      ) : null}
      {p.authorities.map((a, i) => {
        const id = i === 0 ? fieldId(name) : `${fieldId(name)}-${a.id}`;
        return (
          <div class="field field-checkbox">
            <input id={id} type="checkbox" name={name} value={String(a.id)} checked={checked.has(String(a.id))} />
            <label for={id}>{a.name}</label>
          </div>
        );
      })}
    </fieldset>
  );
}

/** Create or edit an action. */
export function ActionFormPage(p: FormPageProps & { data: ActionFormData; publicUrl?: string }) {
  const base = gestion(p.territory);
  const hasErrors = Boolean(p.errors && Object.keys(p.errors).length);
  const action = p.existing ? `${base}/actions/${p.existing.id}` : `${base}/actions/nouvelle`;
  const title = p.existing ? `Modifier l'action ${p.data.number ?? ""}`.trim() : "Ajouter une action";
  const d = p.data;
  return (
    <PlanShell {...p} title={title} hasErrors={hasErrors} path={action} crumbs={[{ label: title, href: "" }]}>
      <h1>{title}</h1>
      {p.existing?.archivedAt ? <p class="notice notice-warning">Cette action est archivée : elle n'apparaît pas sur le site public.</p> : null}
      {p.publicUrl ? (
        <p>
          <a href={p.publicUrl}>Voir la fiche de l'action</a>
          {p.existing ? (
            <>
              {" · "}
              <a href={`${base}/actions/${p.existing.id}/suivi`}>Suivi de l’action (pilotes, jalons, budget, indicateurs, notes, documents)</a>
            </>
          ) : null}
        </p>
      ) : null}
      {!d.objectives.length ? (
        <EmptyState>
          Une action se range dans un objectif, et le plan n'en contient encore aucun. <a href={`${base}/objectifs/nouveau`}>Ajoutez d'abord un objectif</a>.
        </EmptyState>
      ) : (
        <>
          <ErrorSummary errors={p.errors ?? {}} labels={ACTION_LABELS} />
          <Form action={action} csrfToken={p.csrfToken}>
            <SelectField
              name="objectiveId"
              label={ACTION_LABELS.objectiveId}
              hint={p.existing ? "Changer d'objectif place l'action en dernier dans le nouvel objectif." : undefined}
              required
              placeholder="Choisissez un objectif"
              options={d.objectives.map((o) => ({ value: String(o.id), label: o.label }))}
              errors={p.errors}
              values={p.values}
            />
            <TextField
              name="number"
              label={ACTION_LABELS.number}
              hint="Un nombre entier de 1 à 999, propre à cette action dans le plan : un numéro n'est jamais réutilisé, même après archivage."
              required
              inputmode="numeric"
              maxLength={3}
              autocomplete="off"
              errors={p.errors}
              values={p.values}
            />
            <TextField name="title" label={ACTION_LABELS.title} hint="300 caractères au plus." required maxLength={300} errors={p.errors} values={p.values} />
            <TextArea
              name="description"
              label={ACTION_LABELS.description}
              hint="Le contenu de la fiche action : 10 000 caractères au plus. Laissez une ligne vide entre deux paragraphes."
              rows={8}
              errors={p.errors}
              values={p.values}
            />
            <div class="grid-2">
              <SelectField
                name="status"
                label={ACTION_LABELS.status}
                placeholder="Non renseigné"
                options={(Object.keys(STATUS_LABELS) as ActionStatus[]).map((s) => ({ value: s, label: STATUS_LABELS[s] }))}
                errors={p.errors}
                values={p.values}
              />
              <SelectField name="visibility" label={ACTION_LABELS.visibility} hint={VISIBILITY_HINT} required options={visibilityOptions} errors={p.errors} values={p.values} />
            </div>
            <TextArea
              name="statusComment"
              label="Commentaire sur le changement de statut"
              hint="Si vous changez le statut : pourquoi. Il est gardé dans l’historique des statuts de l’action."
              rows={2}
              errors={p.errors}
              values={p.values}
            />
            <SelectField
              name="leadAuthorityId"
              label={ACTION_LABELS.leadAuthorityId}
              hint={
                !d.limitedTo
                  ? "L'intercommunalité qui porte l'action."
                  : p.existing
                    ? `L'intercommunalité qui porte l'action. ${d.limitedTo.name} doit en rester le porteur ou, pour une action en partenariat ${JOINT_MARK}, une partenaire : sinon l'action vous serait retirée.`
                    : `Vous ajoutez des actions portées par ${d.limitedTo.name}.`
              }
              required={Boolean(d.limitedTo && !p.existing)}
              placeholder={d.limitedTo && !p.existing ? undefined : "Non renseigné"}
              options={(d.limitedTo && !p.existing ? [d.limitedTo] : d.authorities).map((a) => ({ value: String(a.id), label: a.name }))}
              errors={p.errors}
              values={p.values}
            />
            <CheckboxField
              name="joint"
              label={`Action en partenariat ${JOINT_MARK}`}
              hint="Cochez si la conception ou la mise en œuvre de l'action sont conduites avec l'autre intercommunalité du territoire."
              errors={p.errors}
              values={p.values}
            />
            {d.authorities.length ? <PartnerCheckboxes authorities={d.authorities} errors={p.errors} values={p.values} /> : null}
            <TextArea
              name="otherPartners"
              label="Autres partenaires (un par ligne)"
              hint="Entreprises, chambres consulaires, associations… Une ligne par partenaire."
              rows={4}
              errors={p.errors}
              values={p.values}
            />
            <SelectField
              name="communeCode"
              label={ACTION_LABELS.communeCode}
              hint="La commune où l'action se déroule, si elle est localisée."
              placeholder="Aucune commune en particulier"
              options={d.communes.map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }))}
              errors={p.errors}
              values={p.values}
            />
            <div class="form-actions">
              <button type="submit" class="button">
                Enregistrer l'action
              </button>
              <a href={p.existing ? `${base}#action-${p.existing.id}` : base}>Annuler</a>
            </div>
          </Form>
        </>
      )}
      {p.existing ? <ArchiveBox action={action} archived={Boolean(p.existing.archivedAt)} csrfToken={p.csrfToken} label="cette action" /> : null}
      {p.history ? <RecordHistory rows={p.history} /> : null}
    </PlanShell>
  );
}
