// The back-office follow-up sheet of one action: people, schedule, milestones, money, indicators,
// notes, documents, links, completeness and history. Every form works without JavaScript; the one
// sent with errors is shown again with its values and an error summary.
import type { ComponentChildren } from "preact";
import { BackOfficeLayout } from "../../../core/ui/backoffice-layout.tsx";
import type { Actor } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import type { FormValues } from "../../../core/forms/index.ts";
import { EmptyState } from "../../../core/ui/components.tsx";
import { formatDate, formatDateTime } from "../../../core/i18n/format.ts";
import { RecordHistory, type AuditRow } from "../../audit/api.ts";
import { JOINT_MARK, STATUS_LABELS, statusLabel, VISIBILITY_LABELS, type ActionStatus, type Visibility } from "../model.ts";
import { COST_NATURE_LABELS, eurosInput, formatEuros, FUNDER_KIND_LABELS, LINK_KIND_LABELS, PRIORITY_LABELS, PROGRESS_MODE_LABELS } from "../followup-model.ts";
import type { ActionSheet } from "../queries/action-sheet.ts";
import { StatusBadge } from "./public.tsx";
import { BudgetTable, FinancingSummary, fileSize, IndicatorBlock, LatenessNotice, LinksList, MilestoneState, mimeLabel, ProgressBar, sheetFieldId, type SheetFormState } from "./sheet-parts.tsx";

export interface SheetChoices {
  pilots: { userId: number; name: string }[];
  indicators: { id: number; name: string; unit: string; local: boolean; levels: string[] }[];
  actions: { id: number; number: number; title: string }[];
  lead: string | null;
  partners: string[];
  maxUploadMb: number;
}

export interface SheetPageProps {
  actor: Actor;
  territory: TerritoryRow;
  csrfToken: string;
  flash?: string;
  sheet: ActionSheet;
  choices: SheetChoices;
  state?: SheetFormState;
  history: AuditRow[];
}

const VIS_OPTIONS = (["published", "confidential", "draft"] as Visibility[]).map((v) => ({ value: v, label: VISIBILITY_LABELS[v] }));

/** Field labels of every form of the sheet, for the error summary. */
export const SHEET_LABELS: Record<string, string> = {
  status: "Nouveau statut",
  comment: "Commentaire",
  pilotUserIds: "Pilotes",
  referentElu: "Élu référent",
  priority: "Priorité",
  tags: "Mots-clés",
  startDate: "Début",
  plannedEndDate: "Fin prévue",
  progressMode: "Mode de calcul de l’avancement",
  progressManual: "Avancement (%)",
  name: "Nom",
  dueDate: "Échéance",
  doneDate: "Réalisé le",
  visibility: "Visibilité",
  year: "Année",
  nature: "Nature",
  amount: "Montant (€)",
  label: "Libellé",
  funderKind: "Type de financeur",
  funderName: "Financeur",
  requested: "Demandé (€)",
  granted: "Accordé (€)",
  paid: "Versé (€)",
  body: "Note",
  title: "Titre du document",
  file: "Fichier",
  toActionId: "Action liée",
  kind: "Nature du lien",
  indicatorId: "Indicateur",
  geoLevel: "Échelle",
  unit: "Unité",
  baselineValue: "Valeur de référence",
  baselineDate: "Date de la valeur de référence",
  targetDate: "Date de la cible",
  value: "Valeur",
  period: "Date de la mesure",
  source: "Source",
  op: "Opération",
};

/** One form of the sheet: its id (for field ids), action URL, CSRF token, current values and errors. */
interface FormCtx {
  key: string;
  values: FormValues;
  errors: Record<string, string>;
}

function formCtx(state: SheetFormState | undefined, key: string, defaults: FormValues): FormCtx {
  return state?.form === key ? { key, values: state.values, errors: state.errors } : { key, values: defaults, errors: {} };
}

const val = (f: FormCtx, name: string) => {
  const v = f.values[name];
  return Array.isArray(v) ? (v[0] ?? "") : (v ?? "");
};

function Frame(p: { f: FormCtx; name: string; label: string; hint?: string; required?: boolean; children: ComponentChildren }) {
  const id = sheetFieldId(p.f.key, p.name);
  const error = p.f.errors[p.name];
  return (
    <div class={`field${error ? " field-error" : ""}`}>
      <label for={id}>
        {p.label}
        {p.required ? null : <span class="optional"> (facultatif)</span>}
      </label>
      {p.hint ? (
        <p class="hint" id={`${id}-aide`}>
          {p.hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message" id={`${id}-erreur`}>
          <span class="visually-hidden">Erreur : </span>
          {error}
        </p>
      ) : null}
      {p.children}
    </div>
  );
}

const describedBy = (f: FormCtx, name: string, hint?: string) => {
  const id = sheetFieldId(f.key, name);
  const ids = [hint ? `${id}-aide` : "", f.errors[name] ? `${id}-erreur` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
};

function Input(p: { f: FormCtx; name: string; label: string; hint?: string; required?: boolean; type?: string; inputmode?: string; maxLength?: number; autocomplete?: string }) {
  return (
    <Frame {...p}>
      <input
        id={sheetFieldId(p.f.key, p.name)}
        name={p.name}
        type={(p.type ?? "text") as "text"}
        value={val(p.f, p.name)}
        required={p.required}
        inputMode={p.inputmode as never}
        maxLength={p.maxLength}
        autocomplete={p.autocomplete ?? "off"}
        aria-invalid={p.f.errors[p.name] ? "true" : undefined}
        aria-describedby={describedBy(p.f, p.name, p.hint)}
      />
    </Frame>
  );
}

function Area(p: { f: FormCtx; name: string; label: string; hint?: string; required?: boolean; rows?: number }) {
  return (
    <Frame {...p}>
      <textarea
        id={sheetFieldId(p.f.key, p.name)}
        name={p.name}
        rows={p.rows ?? 4}
        required={p.required}
        aria-invalid={p.f.errors[p.name] ? "true" : undefined}
        aria-describedby={describedBy(p.f, p.name, p.hint)}
      >
        {val(p.f, p.name)}
      </textarea>
    </Frame>
  );
}

function Select(p: { f: FormCtx; name: string; label: string; hint?: string; required?: boolean; options: { value: string; label: string }[]; placeholder?: string }) {
  const current = val(p.f, p.name);
  return (
    <Frame {...p}>
      <select id={sheetFieldId(p.f.key, p.name)} name={p.name} required={p.required} aria-invalid={p.f.errors[p.name] ? "true" : undefined} aria-describedby={describedBy(p.f, p.name, p.hint)}>
        {p.placeholder !== undefined ? <option value="">{p.placeholder}</option> : null}
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === current}>
            {o.label}
          </option>
        ))}
      </select>
    </Frame>
  );
}

function SheetForm(p: { action: string; csrfToken: string; children: ComponentChildren; multipart?: boolean; class?: string; label?: string }) {
  return (
    <form method="post" action={p.action} class={p.class ?? "sheet-form"} noValidate enctype={p.multipart ? "multipart/form-data" : undefined} aria-label={p.label}>
      <input type="hidden" name="_csrf" value={p.csrfToken} />
      {p.children}
    </form>
  );
}

function Submit({ label, op, variant, accessible }: { label: string; op?: string; variant?: string; accessible?: string }) {
  return (
    <button type="submit" class={`button${variant ? ` button-${variant}` : ""}${op && op !== "enregistrer" ? " button-small" : ""}`} name={op ? "op" : undefined} value={op} aria-label={accessible}>
      {label}
    </button>
  );
}

/** The error summary of the sheet's form in error, linking to its fields. */
function SheetErrors({ state }: { state?: SheetFormState }) {
  if (!state || !Object.keys(state.errors).length) return null;
  const entries = Object.entries(state.errors);
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} data-module="error-summary">
      <h2 id="error-summary-title">Le formulaire contient {entries.length === 1 ? "une erreur" : `${entries.length} erreurs`}</h2>
      <ul>
        {entries.map(([field, message]) => (
          <li>
            <a href={`#${sheetFieldId(state.form, field)}`}>{SHEET_LABELS[field] ? `${SHEET_LABELS[field]} : ${message}` : message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

const visBadge = (v: Visibility) => (v === "published" ? <span class="badge badge-info">Publié</span> : <span class={`badge badge-${v}`}>{VISIBILITY_LABELS[v]}</span>);

export function SheetPage(p: SheetPageProps) {
  const s = p.sheet;
  const a = s.action;
  const t = p.territory;
  const gestion = `/t/${t.slug}/gestion`;
  const url = `${gestion}/actions/${a.id}/suivi`;
  const title = `Suivi de l’action ${a.number}`;
  const hasErrors = Boolean(p.state && Object.keys(p.state.errors).length);
  const csrf = p.csrfToken;

  const fStatus = formCtx(p.state, "statut", { status: a.status ?? "" });
  const fPeople = formCtx(p.state, "personnes", {
    pilotUserIds: s.pilots.map((x) => String(x.userId)),
    referentElu: a.referentElu ?? "",
    priority: a.priority,
    tags: a.tags.join(", "),
  });
  const fSchedule = formCtx(p.state, "calendrier", {
    startDate: a.startDate ?? "",
    plannedEndDate: a.plannedEndDate ?? "",
    progressMode: a.progressMode,
    progressManual: a.progressManual === null ? "" : String(a.progressManual),
  });
  const fMilestone = formCtx(p.state, "jalon-nouveau", { visibility: "published" });
  const fBudget = formCtx(p.state, "budget-nouveau", { year: String(Number(s.today.slice(0, 4))), nature: "investment" });
  const fFinancing = formCtx(p.state, "financement-nouveau", { funderKind: "region" });
  const fNote = formCtx(p.state, "note-nouvelle", { visibility: "confidential" });
  const fDocument = formCtx(p.state, "document-nouveau", { visibility: "confidential" });
  const fLink = formCtx(p.state, "lien-nouveau", { kind: "related" });
  const fIndicator = formCtx(p.state, "indicateur-lier", { geoLevel: "territory", visibility: "published" });
  const fNewIndicator = formCtx(p.state, "indicateur-nouveau", { visibility: "published", decimals: "0", direction: "up" });

  return (
    <BackOfficeLayout
      actor={p.actor}
      territory={t}
      title={`${title} : ${a.title}`}
      section=""
      currentPath={url}
      crumbs={[
        { label: "Plan d'actions", href: gestion },
        { label: `Action ${a.number}`, href: `${gestion}/actions/${a.id}` },
        { label: "Suivi", href: "" },
      ]}
      csrfToken={csrf}
      flash={p.flash}
      hasErrors={hasErrors}
    >
      <h1>
        {title} <span class="sheet-subtitle">{a.title}</span>
      </h1>
      <p>
        <a href={`${gestion}/actions/${a.id}`}>Modifier la fiche (titre, description, porteur, partenaires, visibilité)</a> ·{" "}
        <a href={`/t/${t.slug}/actions/${a.id}`}>Voir la page de l’action</a>
      </p>
      {a.archivedAt ? <p class="notice notice-warning">Cette action est archivée : elle n’apparaît pas sur le site public.</p> : null}
      {a.visibility !== "published" ? (
        <p class="notice notice-info">
          L’action est {a.visibility === "draft" ? "un brouillon" : "confidentielle"} : rien de sa fiche n’apparaît sur le site public, quelle que soit la visibilité de chaque élément.
        </p>
      ) : null}
      <SheetErrors state={p.state} />

      <section aria-labelledby="completude" class="card completeness">
        <h2 id="completude">Complétude de la fiche : {s.completeness.percent} %</h2>
        {s.completeness.missing.length ? (
          <>
            <p>Il manque :</p>
            <ul>
              {s.completeness.missing.map((m) => (
                <li>
                  <a href={m.section === "fiche" ? `${gestion}/actions/${a.id}` : `#${m.section}`}>{m.label}</a>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>La fiche est complète.</p>
        )}
      </section>

      <nav aria-label="Sections de la fiche de suivi" class="sheet-toc">
        <ul>
          {[
            ["statut", "Statut et avancement"],
            ["personnes", "Personnes"],
            ["calendrier", "Calendrier"],
            ["jalons", "Jalons"],
            ["budget", "Coût prévisionnel"],
            ["financement", "Financement"],
            ["indicateurs", "Indicateurs"],
            ["notes", "Notes de suivi"],
            ["documents", "Documents"],
            ["liens", "Actions liées"],
            ["historique", "Historique"],
          ].map(([id, label]) => (
            <li>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>

      <section aria-labelledby="statut">
        <h2 id="statut">Statut et avancement</h2>
        <p>
          Statut actuel : <StatusBadge status={a.status} />
        </p>
        <ProgressBar sheet={s} id="avancement" />
        <LatenessNotice sheet={s} />
        <SheetForm action={`${url}/statut`} csrfToken={csrf} label="Changer le statut">
          <div class="grid-2">
            <Select
              f={fStatus}
              name="status"
              label={SHEET_LABELS.status}
              hint="« Non renseigné » quand le statut n’est pas connu."
              placeholder="Non renseigné"
              options={(Object.keys(STATUS_LABELS) as ActionStatus[]).map((x) => ({ value: x, label: STATUS_LABELS[x] }))}
            />
            <Area f={fStatus} name="comment" label="Commentaire" hint="Pourquoi le statut change : gardé dans l’historique des statuts." rows={2} />
          </div>
          <Submit label="Changer le statut" />
        </SheetForm>
        <h3>Historique des statuts</h3>
        {s.statusChanges.length ? (
          <div class="table-scroll">
            <table class="table">
              <caption class="visually-hidden">Changements de statut, du plus récent au plus ancien</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Changement</th>
                  <th scope="col">Par</th>
                  <th scope="col">Commentaire</th>
                </tr>
              </thead>
              <tbody>
                {s.statusChanges.map((c) => (
                  <tr>
                    <th scope="row">{formatDateTime(c.at)}</th>
                    <td>
                      {statusLabel(c.fromStatus as ActionStatus | null)} → {statusLabel(c.toStatus as ActionStatus | null)}
                    </td>
                    <td>{c.author ?? "—"}</td>
                    <td>{c.comment ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <EmptyState>Aucun changement de statut n’est encore enregistré.</EmptyState>
        )}
      </section>

      <section aria-labelledby="personnes">
        <h2 id="personnes">Personnes</h2>
        <dl class="facts">
          <dt>Collectivité porteuse</dt>
          <dd>{p.choices.lead ?? "Non renseignée"}</dd>
          <dt>Partenaires</dt>
          <dd>{p.choices.partners.length ? p.choices.partners.join(", ") : "Aucun"}</dd>
          <dt>Partenariat {JOINT_MARK}</dt>
          <dd>{a.joint ? "Oui" : "Non"}</dd>
        </dl>
        <p class="hint">
          Le porteur, les partenaires (intercommunalités, services de l’État, Région, CCI, entreprises…) et la marque {JOINT_MARK} se modifient sur{" "}
          <a href={`${gestion}/actions/${a.id}`}>la fiche de l’action</a>.
        </p>
        <SheetForm action={`${url}/personnes`} csrfToken={csrf} label="Personnes de l’action">
          <fieldset class={`field${fPeople.errors.pilotUserIds ? " field-error" : ""}`} id={sheetFieldId("personnes", "pilotUserIds")} tabIndex={-1}>
            <legend>
              Pilotes <span class="optional">(facultatif)</span>
            </legend>
            <p class="hint">Les agents du territoire chargés de l’action ; ils reçoivent le récapitulatif hebdomadaire de ses jalons.</p>
            {fPeople.errors.pilotUserIds ? <p class="error-message">{fPeople.errors.pilotUserIds}</p> : null}
            {p.choices.pilots.length ? (
              p.choices.pilots.map((u) => {
                const checked = ([] as string[]).concat(fPeople.values.pilotUserIds ?? []).includes(String(u.userId));
                const id = `${sheetFieldId("personnes", "pilote")}-${u.userId}`;
                return (
                  <div class="field-checkbox">
                    <input type="checkbox" id={id} name="pilotUserIds" value={String(u.userId)} checked={checked} />
                    <label for={id}>{u.name}</label>
                  </div>
                );
              })
            ) : (
              <EmptyState>Le territoire n’a encore aucun agent : invitez-en depuis la page des membres.</EmptyState>
            )}
          </fieldset>
          <div class="grid-2">
            <Input f={fPeople} name="referentElu" label={SHEET_LABELS.referentElu} hint="Le nom de l’élu, tel que le comité le connaît." maxLength={200} />
            <Select f={fPeople} name="priority" label={SHEET_LABELS.priority} required options={(["high", "normal", "low"] as const).map((x) => ({ value: x, label: PRIORITY_LABELS[x] }))} />
          </div>
          <Input f={fPeople} name="tags" label={SHEET_LABELS.tags} hint="Séparés par des virgules, par exemple : emploi, foncier." maxLength={1000} />
          <Submit label="Enregistrer les personnes" />
        </SheetForm>
      </section>

      <section aria-labelledby="calendrier">
        <h2 id="calendrier">Calendrier</h2>
        <SheetForm action={`${url}/calendrier`} csrfToken={csrf} label="Calendrier et avancement">
          <div class="grid-2">
            <Input f={fSchedule} name="startDate" label={SHEET_LABELS.startDate} type="date" hint="Format AAAA-MM-JJ." />
            <Input f={fSchedule} name="plannedEndDate" label={SHEET_LABELS.plannedEndDate} type="date" hint="Format AAAA-MM-JJ." />
          </div>
          <div class="grid-2">
            <Select
              f={fSchedule}
              name="progressMode"
              label={SHEET_LABELS.progressMode}
              required
              hint="Calculé : la part des jalons réalisés. Saisi : le pourcentage que vous indiquez."
              options={[
                { value: "milestones", label: `Calculé (${PROGRESS_MODE_LABELS.milestones})` },
                { value: "manual", label: `Saisi (${PROGRESS_MODE_LABELS.manual})` },
              ]}
            />
            <Input f={fSchedule} name="progressManual" label={SHEET_LABELS.progressManual} inputmode="numeric" maxLength={3} hint="Un nombre de 0 à 100, utilisé quand l’avancement est saisi." />
          </div>
          <Submit label="Enregistrer le calendrier" />
        </SheetForm>
      </section>

      <section aria-labelledby="jalons">
        <h2 id="jalons">Jalons</h2>
        {s.milestones.length ? (
          <ol class="sheet-items">
            {s.milestones.map((m, i) => {
              const f = formCtx(p.state, `jalon-${m.id}`, { name: m.name, dueDate: m.dueDate ?? "", doneDate: m.doneDate ?? "", visibility: m.visibility });
              return (
                <li id={`jalon-${m.id}`}>
                  <SheetForm action={`${url}/jalons/${m.id}`} csrfToken={csrf} label={`Jalon : ${m.name}`}>
                    <p class="sheet-item-title">
                      <strong>{m.name}</strong> — <MilestoneState m={m} today={s.today} /> {visBadge(m.visibility)}
                    </p>
                    <div class="grid-4">
                      <Input f={f} name="name" label={SHEET_LABELS.name} required maxLength={300} />
                      <Input f={f} name="dueDate" label={SHEET_LABELS.dueDate} type="date" />
                      <Input f={f} name="doneDate" label={SHEET_LABELS.doneDate} type="date" />
                      <Select f={f} name="visibility" label={SHEET_LABELS.visibility} required options={VIS_OPTIONS} />
                    </div>
                    <div class="row-actions">
                      <Submit label="Enregistrer" op="enregistrer" accessible={`Enregistrer le jalon ${m.name}`} />
                      {!m.doneDate ? <Submit label="Marquer réalisé aujourd’hui" op="fait" variant="secondary" accessible={`Marquer réalisé aujourd’hui le jalon ${m.name}`} /> : null}
                      {i > 0 ? <Submit label="Monter" op="monter" variant="secondary" accessible={`Monter le jalon ${m.name}`} /> : null}
                      {i < s.milestones.length - 1 ? <Submit label="Descendre" op="descendre" variant="secondary" accessible={`Descendre le jalon ${m.name}`} /> : null}
                      <Submit label="Supprimer" op="supprimer" variant="danger" accessible={`Supprimer le jalon ${m.name}`} />
                    </div>
                  </SheetForm>
                </li>
              );
            })}
          </ol>
        ) : (
          <EmptyState>Aucun jalon : ajoutez les étapes de l’action, l’avancement se calcule à partir d’elles.</EmptyState>
        )}
        <h3>Ajouter un jalon</h3>
        <SheetForm action={`${url}/jalons`} csrfToken={csrf} label="Ajouter un jalon">
          <div class="grid-4">
            <Input f={fMilestone} name="name" label={SHEET_LABELS.name} required maxLength={300} />
            <Input f={fMilestone} name="dueDate" label={SHEET_LABELS.dueDate} type="date" />
            <Input f={fMilestone} name="doneDate" label={SHEET_LABELS.doneDate} type="date" />
            <Select f={fMilestone} name="visibility" label={SHEET_LABELS.visibility} required options={VIS_OPTIONS} />
          </div>
          <Submit label="Ajouter le jalon" />
        </SheetForm>
      </section>

      <section aria-labelledby="budget">
        <h2 id="budget">Coût prévisionnel</h2>
        <BudgetTable sheet={s}>
          {(l) => (
            <SheetForm action={`${url}/budget/${l.id}`} csrfToken={csrf} class="inline-form">
              <Submit label="Supprimer" op="supprimer" variant="danger" accessible={`Supprimer la ligne ${l.year} ${COST_NATURE_LABELS[l.nature]}`} />
            </SheetForm>
          )}
        </BudgetTable>
        <h3>Ajouter ou remplacer une ligne</h3>
        <SheetForm action={`${url}/budget`} csrfToken={csrf} label="Ligne de coût prévisionnel">
          <div class="grid-4">
            <Input f={fBudget} name="year" label={SHEET_LABELS.year} required inputmode="numeric" maxLength={4} />
            <Select f={fBudget} name="nature" label={SHEET_LABELS.nature} required options={(["investment", "operating"] as const).map((x) => ({ value: x, label: COST_NATURE_LABELS[x] }))} />
            <Input f={fBudget} name="amount" label={SHEET_LABELS.amount} required inputmode="decimal" hint="Par exemple 12 500,50." maxLength={30} />
            <Input f={fBudget} name="label" label={SHEET_LABELS.label} maxLength={200} />
          </div>
          <p class="hint">Une ligne existe par année et par nature : en saisir une autre pour la même année et la même nature la remplace.</p>
          <Submit label="Enregistrer la ligne" />
        </SheetForm>
      </section>

      <section aria-labelledby="financement">
        <h2 id="financement">Plan de financement</h2>
        <FinancingSummary sheet={s} />
        {s.financing.length ? (
          <ol class="sheet-items">
            {s.financing.map((l) => {
              const f = formCtx(p.state, `financement-${l.id}`, {
                funderKind: l.funderKind,
                funderName: l.funderName,
                requested: eurosInput(l.requestedCents),
                granted: eurosInput(l.grantedCents),
                paid: eurosInput(l.paidCents),
                comment: l.comment ?? "",
              });
              return (
                <li id={`financement-${l.id}`}>
                  <SheetForm action={`${url}/financement/${l.id}`} csrfToken={csrf} label={`Financement : ${l.funderName}`}>
                    <p class="sheet-item-title">
                      <strong>{l.funderName}</strong> ({FUNDER_KIND_LABELS[l.funderKind]}) — accordé {formatEuros(l.grantedCents)}, versé {formatEuros(l.paidCents)}
                    </p>
                    <FinancingFields f={f} />
                    <div class="row-actions">
                      <Submit label="Enregistrer" op="enregistrer" accessible={`Enregistrer le financement ${l.funderName}`} />
                      <Submit label="Supprimer" op="supprimer" variant="danger" accessible={`Supprimer le financement ${l.funderName}`} />
                    </div>
                  </SheetForm>
                </li>
              );
            })}
          </ol>
        ) : null}
        <h3>Ajouter un financement</h3>
        <SheetForm action={`${url}/financement`} csrfToken={csrf} label="Ajouter un financement">
          <FinancingFields f={fFinancing} />
          <Submit label="Ajouter le financement" />
        </SheetForm>
      </section>

      <section aria-labelledby="indicateurs">
        <h2 id="indicateurs">Indicateurs</h2>
        {s.indicators.length ? (
          s.indicators.map((ind) => {
            const fb = formCtx(p.state, `indicateur-${ind.id}`, { baselineValue: ind.baselineValue === null ? "" : String(ind.baselineValue).replace(".", ","), baselineDate: ind.baselineDate ?? "", visibility: ind.visibility });
            const ft = formCtx(p.state, `cible-${ind.id}`, {});
            const fv = formCtx(p.state, `valeur-${ind.id}`, { period: s.today });
            const writable = ind.local;
            return (
              <IndicatorBlock ind={ind} today={s.today}>
                <p>
                  {visBadge(ind.visibility)} Série lue : {ind.own ? "propre à l’action" : ind.geoLevel === "territory" ? "le territoire" : ind.geoLevel === "action" ? "l’action" : `${ind.geoLevel} ${ind.geoCode}`} (code {ind.code}).
                </p>
                <details class="sheet-details">
                  <summary>Modifier la référence, ajouter une cible{writable ? " ou une valeur" : ""}</summary>
                  <SheetForm action={`${url}/indicateurs/${ind.id}`} csrfToken={csrf} label={`Référence de l’indicateur ${ind.name}`}>
                    <input type="hidden" name="op" value="reference" />
                    <div class="grid-4">
                      <Input f={fb} name="baselineValue" label={SHEET_LABELS.baselineValue} inputmode="decimal" maxLength={30} />
                      <Input f={fb} name="baselineDate" label={SHEET_LABELS.baselineDate} type="date" />
                      <Select f={fb} name="visibility" label={SHEET_LABELS.visibility} required options={VIS_OPTIONS} />
                    </div>
                    <Submit label="Enregistrer la référence" />
                  </SheetForm>
                  <SheetForm action={`${url}/indicateurs/${ind.id}`} csrfToken={csrf} label={`Cible de l’indicateur ${ind.name}`}>
                    <input type="hidden" name="op" value="cible" />
                    <div class="grid-4">
                      <Input f={ft} name="targetDate" label={SHEET_LABELS.targetDate} type="date" required />
                      <Input f={ft} name="value" label={`Cible (${ind.unit})`} inputmode="decimal" required maxLength={30} />
                    </div>
                    <Submit label="Enregistrer la cible" />
                  </SheetForm>
                  {writable ? (
                    <SheetForm action={`${url}/indicateurs/${ind.id}`} csrfToken={csrf} label={`Valeur mesurée de l’indicateur ${ind.name}`}>
                      <input type="hidden" name="op" value="valeur" />
                      <div class="grid-4">
                        <Input f={fv} name="period" label={SHEET_LABELS.period} type="date" required />
                        <Input f={fv} name="value" label={`Valeur mesurée (${ind.unit})`} inputmode="decimal" required maxLength={30} />
                        <Input f={fv} name="source" label={SHEET_LABELS.source} maxLength={300} />
                        <Input f={fv} name="comment" label="Commentaire" maxLength={1000} />
                      </div>
                      <p class="hint">La valeur est enregistrée comme une observation de l’indicateur : l’observatoire l’affiche aussi.</p>
                      <Submit label="Enregistrer la valeur" />
                    </SheetForm>
                  ) : (
                    <p class="hint">Les valeurs de cet indicateur national viennent de l’observatoire.</p>
                  )}
                </details>
                {ind.targets.length ? (
                  <ul class="inline-list">
                    {ind.targets.map((tg) => (
                      <li>
                        <SheetForm action={`${url}/indicateurs/${ind.id}`} csrfToken={csrf} class="inline-form">
                          <input type="hidden" name="targetId" value={String(tg.id)} />
                          <Submit label={`Retirer la cible du ${formatDate(tg.targetDate)}`} op="retirer-cible" variant="secondary" />
                        </SheetForm>
                      </li>
                    ))}
                  </ul>
                ) : null}
                <SheetForm action={`${url}/indicateurs/${ind.id}`} csrfToken={csrf} class="inline-form">
                  <Submit label="Ne plus suivre cet indicateur" op="supprimer" variant="danger" accessible={`Ne plus suivre l’indicateur ${ind.name}`} />
                </SheetForm>
              </IndicatorBlock>
            );
          })
        ) : (
          <EmptyState>Aucun indicateur n’est suivi pour cette action.</EmptyState>
        )}
        <h3>Suivre un indicateur du catalogue</h3>
        {p.choices.indicators.length ? (
          <SheetForm action={`${url}/indicateurs`} csrfToken={csrf} label="Suivre un indicateur du catalogue">
            <Select
              f={fIndicator}
              name="indicatorId"
              label={SHEET_LABELS.indicatorId}
              required
              placeholder="Choisissez un indicateur"
              options={p.choices.indicators.map((i) => ({ value: String(i.id), label: `${i.name} (${i.unit})${i.local ? " — indicateur local" : ""}` }))}
            />
            <div class="grid-4">
              <Select
                f={fIndicator}
                name="geoLevel"
                label={SHEET_LABELS.geoLevel}
                required
                hint="La série lue : celle du territoire, ou celle propre à l’action."
                options={[
                  { value: "territory", label: "Le territoire" },
                  { value: "action", label: "L’action" },
                ]}
              />
              <Input f={fIndicator} name="baselineValue" label={SHEET_LABELS.baselineValue} inputmode="decimal" maxLength={30} />
              <Input f={fIndicator} name="baselineDate" label={SHEET_LABELS.baselineDate} type="date" />
              <Select f={fIndicator} name="visibility" label={SHEET_LABELS.visibility} required options={VIS_OPTIONS} />
            </div>
            <Submit label="Suivre cet indicateur" />
          </SheetForm>
        ) : (
          <EmptyState>Le catalogue des indicateurs est vide : créez un indicateur propre à l’action ci-dessous.</EmptyState>
        )}
        <h3>Créer un indicateur propre à l’action</h3>
        <SheetForm action={`${url}/indicateurs/nouveau`} csrfToken={csrf} label="Créer un indicateur propre à l’action">
          <div class="grid-2">
            <Input f={fNewIndicator} name="name" label="Nom de l’indicateur" required maxLength={200} />
            <Input f={fNewIndicator} name="unit" label={SHEET_LABELS.unit} required hint="Par exemple : entreprises, emplois, m², %." maxLength={40} />
          </div>
          <div class="grid-4">
            <Input f={fNewIndicator} name="baselineValue" label={SHEET_LABELS.baselineValue} inputmode="decimal" maxLength={30} />
            <Input f={fNewIndicator} name="baselineDate" label={SHEET_LABELS.baselineDate} type="date" />
            <Select
              f={fNewIndicator}
              name="direction"
              label="Sens souhaité"
              required
              options={[
                { value: "up", label: "À la hausse" },
                { value: "down", label: "À la baisse" },
                { value: "neutral", label: "Ni l’un ni l’autre" },
              ]}
            />
            <Select f={fNewIndicator} name="visibility" label={SHEET_LABELS.visibility} required options={VIS_OPTIONS} />
          </div>
          <input type="hidden" name="decimals" value="2" />
          <Submit label="Créer et suivre l’indicateur" />
        </SheetForm>
      </section>

      <section aria-labelledby="notes">
        <h2 id="notes">Notes de suivi</h2>
        <SheetForm action={`${url}/notes`} csrfToken={csrf} label="Ajouter une note de suivi">
          <Area f={fNote} name="body" label={SHEET_LABELS.body} required rows={4} hint="Datée et signée automatiquement. 5 000 caractères au plus." />
          <Select f={fNote} name="visibility" label={SHEET_LABELS.visibility} required options={VIS_OPTIONS} hint="Confidentielle : lue par l’équipe, les comités et les financeurs. Publiée : aussi sur le site public." />
          <Submit label="Ajouter la note" />
        </SheetForm>
        {s.notes.length ? (
          <ol class="notes-list">
            {s.notes.map((n) => (
              <li id={`note-${n.id}`}>
                <p class="note-meta">
                  {formatDateTime(n.at)} — {n.author ?? "Compte supprimé"} {visBadge(n.visibility)}
                </p>
                <p class="note-body">{n.body}</p>
                <SheetForm action={`${url}/notes/${n.id}`} csrfToken={csrf} class="inline-form">
                  {n.visibility !== "published" ? <Submit label="Publier" op="publier" variant="secondary" accessible={`Publier la note du ${formatDateTime(n.at)}`} /> : null}
                  {n.visibility !== "confidential" ? <Submit label="Rendre confidentielle" op="confidentielle" variant="secondary" accessible={`Rendre confidentielle la note du ${formatDateTime(n.at)}`} /> : null}
                  <Submit label="Supprimer" op="supprimer" variant="danger" accessible={`Supprimer la note du ${formatDateTime(n.at)}`} />
                </SheetForm>
              </li>
            ))}
          </ol>
        ) : (
          <EmptyState>Aucune note de suivi.</EmptyState>
        )}
      </section>

      <section aria-labelledby="documents">
        <h2 id="documents">Documents</h2>
        {s.documents.length ? (
          <ul class="documents-list">
            {s.documents.map((d) => (
              <li id={`document-${d.id}`}>
                <a href={`/t/${t.slug}/actions/${a.id}/documents/${d.id}`}>{d.title}</a> ({mimeLabel(d.mime)}, {fileSize(d.size)}) — {formatDateTime(d.at)}, {d.author ?? "compte supprimé"} {visBadge(d.visibility)}
                <SheetForm action={`${url}/documents/${d.id}`} csrfToken={csrf} class="inline-form">
                  {d.visibility !== "published" ? <Submit label="Publier" op="publier" variant="secondary" accessible={`Publier le document ${d.title}`} /> : null}
                  {d.visibility !== "confidential" ? <Submit label="Rendre confidentiel" op="confidentiel" variant="secondary" accessible={`Rendre confidentiel le document ${d.title}`} /> : null}
                  <Submit label="Supprimer" op="supprimer" variant="danger" accessible={`Supprimer le document ${d.title}`} />
                </SheetForm>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Aucun document.</EmptyState>
        )}
        <h3>Ajouter un document</h3>
        <SheetForm action={`${url}/documents`} csrfToken={csrf} multipart label="Ajouter un document">
          <Input f={fDocument} name="title" label={SHEET_LABELS.title} required maxLength={200} />
          <Frame f={fDocument} name="file" label={SHEET_LABELS.file} required hint={`PDF, Word, Excel, OpenDocument, PNG, JPEG ou CSV, ${p.choices.maxUploadMb} Mo au plus.`}>
            <input
              id={sheetFieldId(fDocument.key, "file")}
              name="file"
              type="file"
              accept=".pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.jpeg,.csv"
              aria-invalid={fDocument.errors.file ? "true" : undefined}
              aria-describedby={describedBy(fDocument, "file", "x")}
            />
          </Frame>
          <Select f={fDocument} name="visibility" label={SHEET_LABELS.visibility} required options={VIS_OPTIONS} />
          <Submit label="Ajouter le document" />
        </SheetForm>
      </section>

      <section aria-labelledby="liens">
        <h2 id="liens">Actions liées</h2>
        <LinksList sheet={s} base={`/t/${t.slug}`}>
          {(l) => (
            <SheetForm action={`${url}/liens/${l.id}`} csrfToken={csrf} class="inline-form">
              <Submit label="Retirer" op="supprimer" variant="secondary" accessible={`Retirer le lien avec l’action ${l.other.number}`} />
            </SheetForm>
          )}
        </LinksList>
        <SheetForm action={`${url}/liens`} csrfToken={csrf} label="Lier une action">
          <div class="grid-2">
            <Select f={fLink} name="kind" label={SHEET_LABELS.kind} required options={(["related", "depends_on", "follows"] as const).map((k) => ({ value: k, label: `Cette action : ${LINK_KIND_LABELS[k].toLowerCase()}` }))} />
            <Select
              f={fLink}
              name="toActionId"
              label={SHEET_LABELS.toActionId}
              required
              placeholder="Choisissez une action"
              options={p.choices.actions.filter((x) => x.id !== a.id).map((x) => ({ value: String(x.id), label: `${x.number}. ${x.title}` }))}
            />
          </div>
          <Submit label="Lier l’action" />
        </SheetForm>
      </section>

      <RecordHistory rows={p.history} />
    </BackOfficeLayout>
  );
}

function FinancingFields({ f }: { f: FormCtx }) {
  return (
    <>
      <div class="grid-2">
        <Select f={f} name="funderKind" label={SHEET_LABELS.funderKind} required options={(Object.keys(FUNDER_KIND_LABELS) as (keyof typeof FUNDER_KIND_LABELS)[]).map((k) => ({ value: k, label: FUNDER_KIND_LABELS[k] }))} />
        <Input f={f} name="funderName" label={SHEET_LABELS.funderName} required hint="Par exemple : DETR, Impulsion Industrie, FEDER, entreprise X." maxLength={200} />
      </div>
      <div class="grid-4">
        <Input f={f} name="requested" label={SHEET_LABELS.requested} inputmode="decimal" maxLength={30} />
        <Input f={f} name="granted" label={SHEET_LABELS.granted} inputmode="decimal" maxLength={30} />
        <Input f={f} name="paid" label={SHEET_LABELS.paid} inputmode="decimal" maxLength={30} />
        <Input f={f} name="comment" label="Commentaire" maxLength={1000} />
      </div>
    </>
  );
}
