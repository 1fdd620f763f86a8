// Back-office pages of the workshops: the list, the form (create / edit), registrations and
// attendance, who to invite, cancellation, history.
import type { ComponentChildren } from "preact";
import type { Actor } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import type { FieldErrors, FormValues } from "../../../core/forms/index.ts";
import { BackOfficeLayout } from "../../../core/ui/backoffice-layout.tsx";
import { ActionButton, EmptyState, ErrorSummary, fieldId, Form, SelectField, TextArea, TextField } from "../../../core/ui/components.tsx";
import { formatDateTime } from "../../../core/i18n/format.ts";
import { RecordHistory, type AuditRow } from "../../audit/api.ts";
import { DAY_LABELS, FORMAT_LABELS, FREQUENCY_LABELS, REGISTRATION_STATUS_LABELS, seatsLabel, WORKSHOP_STATUS_LABELS } from "./model.ts";
import { whenText } from "./mails.ts";
import type { Candidate, RegistrationItem, WorkshopDetail, WorkshopListItem } from "./queries.ts";
import { fileFacts, WorkshopStatusBadge, type DocumentItem } from "./views.tsx";

interface ShellProps {
  actor: Actor;
  territory: TerritoryRow;
  csrfToken: string;
  flash?: string;
  hasErrors?: boolean;
  title: string;
  crumbs?: { label: string; href: string }[];
  children: ComponentChildren;
}

const gestion = (t: { slug: string }) => `/t/${t.slug}/gestion/ateliers`;

function Shell(p: ShellProps) {
  return (
    <BackOfficeLayout
      actor={p.actor}
      territory={p.territory}
      csrfToken={p.csrfToken}
      flash={p.flash}
      hasErrors={p.hasErrors}
      title={p.title}
      section="/ateliers"
      crumbs={[{ label: "Ateliers", href: gestion(p.territory) }, ...(p.crumbs ?? [])]}
    >
      {p.children}
    </BackOfficeLayout>
  );
}

/** Every workshop of the territory, drafts included, with its seats. */
export function ManageWorkshopsPage(p: { actor: Actor; territory: TerritoryRow; csrfToken: string; flash?: string; workshops: WorkshopListItem[] }) {
  const base = gestion(p.territory);
  return (
    <Shell {...p} title="Ateliers">
      <h1>Ateliers thématiques</h1>
      <p>
        <a class="button" href={`${base}/nouveau`}>
          Programmer un atelier
        </a>
      </p>
      {p.workshops.length ? (
        <div class="table-scroll">
          <table class="table manage-table">
            <caption class="visually-hidden">Ateliers du territoire, du plus ancien au plus récent</caption>
            <thead>
              <tr>
                <th scope="col">Atelier</th>
                <th scope="col">Date</th>
                <th scope="col">État</th>
                <th scope="col">Inscrits</th>
                <th scope="col">Liste d'attente</th>
              </tr>
            </thead>
            <tbody>
              {p.workshops.map((w) => (
                <tr>
                  <td>
                    <a href={`${base}/${w.id}`}>{w.title}</a>
                    {w.themeTitle ? <span class="hint"> – {w.themeTitle}</span> : null}
                  </td>
                  <td>{whenText(w)}</td>
                  <td>{WORKSHOP_STATUS_LABELS[w.status]}</td>
                  <td>
                    {w.confirmed} / {w.capacity}
                  </td>
                  <td>{w.waitlisted}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState>Aucun atelier n'est encore programmé.</EmptyState>
      )}
    </Shell>
  );
}

/** Checkboxes of a multiple choice; the first carries the field id the error summary links to. */
export function CheckboxGroup(p: { name: string; legend: string; hint?: string; options: { value: string; label: string }[]; values?: FormValues; errors?: FieldErrors; optional?: boolean }) {
  const raw = p.values?.[p.name];
  const checked = new Set(Array.isArray(raw) ? raw : raw ? [raw] : []);
  const error = p.errors?.[p.name];
  const hintId = `${fieldId(p.name)}-aide`;
  const described = [p.hint ? hintId : "", error ? `${fieldId(p.name)}-erreur` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset class={`checkbox-group${error ? " field-error" : ""}`} aria-describedby={described}>
      <legend>
        {p.legend}
        {p.optional === false ? null : <span class="optional"> (facultatif)</span>}
      </legend>
      {p.hint ? (
        <p class="hint" id={hintId}>
          {p.hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message" id={`${fieldId(p.name)}-erreur`}>
          <span class="visually-hidden">Erreur : </span>
          {error}
        </p>
      ) : null}
      {p.options.map((o, i) => {
        const id = i === 0 ? fieldId(p.name) : `${fieldId(p.name)}-${o.value}`;
        return (
          <div class="field field-checkbox">
            <input id={id} type="checkbox" name={p.name} value={o.value} checked={checked.has(o.value)} />
            <label for={id}>{o.label}</label>
          </div>
        );
      })}
    </fieldset>
  );
}

const LABELS: Record<string, string> = {
  title: "Titre",
  file: "Fichier",
  documentTitle: "Titre du document",
  themeId: "Thématique",
  description: "Description",
  date: "Date",
  startTime: "Heure de début",
  endTime: "Heure de fin",
  place: "Lieu",
  videoUrl: "Lien de visioconférence",
  capacity: "Nombre de places",
  registrationOpensAt: "Ouverture des inscriptions",
  registrationClosesAt: "Clôture des inscriptions",
  status: "État",
  minutes: "Compte rendu",
  actionIds: "Actions du plan",
  attended: "Présences",
  userIds: "Personnes à inviter",
};

export interface WorkshopFormProps {
  actor: Actor;
  territory: TerritoryRow;
  csrfToken: string;
  flash?: string;
  values: FormValues;
  errors?: FieldErrors;
  themes: { id: number; code: string; title: string }[];
  actions: { id: number; number: number; title: string }[];
  /** The workshop being edited (absent: a new one). */
  existing?: WorkshopDetail;
  registrations?: RegistrationItem[];
  candidates?: Candidate[];
  /** When each candidate was last invited to this workshop. */
  invitedAt?: Map<number, Date>;
  history?: AuditRow[];
  documents?: DocumentItem[];
  conflict?: string;
}

function WorkshopFields(p: WorkshopFormProps) {
  const v = p.values;
  const e = p.errors ?? {};
  return (
    <>
      <TextField name="title" label={LABELS.title} values={v} errors={e} required maxLength={200} />
      <SelectField name="themeId" label={LABELS.themeId} options={p.themes.map((t) => ({ value: String(t.id), label: `${t.code} – ${t.title}` }))} placeholder="Aucune" values={v} errors={e} />
      <TextArea name="description" label={LABELS.description} hint="Ce que l'atelier va traiter, pour qui, ce qu'il faut préparer." values={v} errors={e} rows={5} />
      <fieldset>
        <legend>Date et horaires (heure de Paris)</legend>
        <TextField name="date" type="date" label={LABELS.date} values={v} errors={e} required />
        <TextField name="startTime" type="time" label={LABELS.startTime} hint="Par exemple 09:30." values={v} errors={e} required />
        <TextField name="endTime" type="time" label={LABELS.endTime} values={v} errors={e} required />
      </fieldset>
      <TextField name="place" label={LABELS.place} hint="Adresse ou salle. Indiquez un lieu, un lien de visioconférence, ou les deux." values={v} errors={e} maxLength={300} />
      <TextField name="videoUrl" type="url" label={LABELS.videoUrl} hint="Donné aux seules personnes inscrites." values={v} errors={e} maxLength={500} />
      <TextField name="capacity" label={LABELS.capacity} inputmode="numeric" values={v} errors={e} required />
      <TextField name="registrationOpensAt" type="datetime-local" label={LABELS.registrationOpensAt} hint="Vide : dès la publication." values={v} errors={e} />
      <TextField name="registrationClosesAt" type="datetime-local" label={LABELS.registrationClosesAt} hint="Vide : jusqu'au début de l'atelier." values={v} errors={e} />
      <SelectField
        name="status"
        label={LABELS.status}
        hint="Un brouillon n'est visible que de l'équipe ; un atelier publié est ouvert aux inscriptions."
        options={[
          { value: "draft", label: "Brouillon" },
          { value: "published", label: "Publié" },
          { value: "held", label: "Tenu (l'atelier a eu lieu)" },
        ]}
        values={v}
        errors={e}
        required
      />
      {p.actions.length ? (
        <CheckboxGroup name="actionIds" legend={LABELS.actionIds} hint="Les actions que l'atelier nourrit ; elles sont montrées sur sa page publique quand elles sont publiées." options={p.actions.map((a) => ({ value: String(a.id), label: `${a.number}. ${a.title}` }))} values={v} errors={e} />
      ) : null}
      <TextArea name="minutes" label={LABELS.minutes} hint="Après l'atelier : ce qui s'est dit et ce qui a été décidé. Publié sur la page de l'atelier." values={v} errors={e} rows={8} />
    </>
  );
}

/** Programme a new workshop. */
export function NewWorkshopPage(p: WorkshopFormProps) {
  const hasErrors = Boolean(p.errors && Object.keys(p.errors).length);
  return (
    <Shell {...p} hasErrors={hasErrors} title="Programmer un atelier" crumbs={[{ label: "Programmer un atelier", href: `${gestion(p.territory)}/nouveau` }]}>
      <h1>Programmer un atelier</h1>
      <ErrorSummary errors={p.errors ?? {}} labels={LABELS} />
      <Form action={`${gestion(p.territory)}/nouveau`} csrfToken={p.csrfToken}>
        <WorkshopFields {...p} />
        <div class="form-actions">
          <button type="submit" class="button">
            Enregistrer l'atelier
          </button>
        </div>
      </Form>
    </Shell>
  );
}

function Registrations(p: WorkshopFormProps & { existing: WorkshopDetail }) {
  const base = `${gestion(p.territory)}/${p.existing.id}`;
  const regs = p.registrations ?? [];
  const confirmed = regs.filter((r) => r.status === "confirmed");
  const others = regs.filter((r) => r.status !== "confirmed");
  const canMark = p.existing.status === "published" || p.existing.status === "held";
  return (
    <section aria-labelledby="inscrits">
      <h2 id="inscrits">Inscriptions</h2>
      <p>
        {p.existing.confirmed} / {p.existing.capacity} places prises – {seatsLabel(p.existing.capacity, p.existing.confirmed)}
        {p.existing.waitlisted ? `, ${p.existing.waitlisted} sur liste d'attente` : ""}.
      </p>
      {confirmed.length ? (
        <Form action={`${base}/presences`} csrfToken={p.csrfToken}>
          <table class="table manage-table">
            <caption>Personnes inscrites{canMark ? " : cochez celles qui étaient présentes" : ""}</caption>
            <thead>
              <tr>
                <th scope="col">Personne</th>
                <th scope="col">Entreprise</th>
                <th scope="col">Inscrite le</th>
                <th scope="col">Présente</th>
              </tr>
            </thead>
            <tbody>
              {confirmed.map((r, i) => (
                <tr>
                  <td>
                    {r.displayName}
                    <br />
                    <span class="hint">{r.email}</span>
                  </td>
                  <td>{r.companyName ?? "–"}</td>
                  <td>{formatDateTime(r.createdAt)}</td>
                  <td>
                    {canMark ? (
                      <>
                        <input id={i === 0 ? fieldId("attended") : `${fieldId("attended")}-${r.id}`} type="checkbox" name="attended" value={String(r.id)} checked={r.attended === true} />
                        <label for={i === 0 ? fieldId("attended") : `${fieldId("attended")}-${r.id}`}>
                          <span class="visually-hidden">{r.displayName} </span>présente
                        </label>
                      </>
                    ) : r.attended === null ? (
                      "–"
                    ) : r.attended ? (
                      "oui"
                    ) : (
                      "non"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {canMark ? (
            <div class="form-actions">
              <button type="submit" class="button button-secondary">
                Enregistrer les présences
              </button>
            </div>
          ) : null}
        </Form>
      ) : (
        <EmptyState>Personne n'a encore de place confirmée.</EmptyState>
      )}
      {others.length ? (
        <table class="table manage-table">
          <caption>Liste d'attente et désistements</caption>
          <thead>
            <tr>
              <th scope="col">Personne</th>
              <th scope="col">Entreprise</th>
              <th scope="col">État</th>
            </tr>
          </thead>
          <tbody>
            {others.map((r) => (
              <tr>
                <td>
                  {r.displayName}
                  <br />
                  <span class="hint">{r.email}</span>
                </td>
                <td>{r.companyName ?? "–"}</td>
                <td>{r.status === "waitlisted" ? `Liste d'attente, position ${others.filter((o) => o.status === "waitlisted").indexOf(r) + 1}` : REGISTRATION_STATUS_LABELS[r.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

const daysText = (days: number[]) => (days.length ? days.map((d) => DAY_LABELS[d] ?? "").join(", ") : "tous les jours");

function Invitations(p: WorkshopFormProps & { existing: WorkshopDetail }) {
  const base = `${gestion(p.territory)}/${p.existing.id}`;
  const candidates = p.candidates ?? [];
  if (p.existing.status !== "published") return null;
  return (
    <section aria-labelledby="inviter">
      <h2 id="inviter">Qui inviter ?</h2>
      {p.existing.themeId === null ? (
        <EmptyState>Choisissez la thématique de l'atelier pour voir les personnes qui souhaitent participer à ses ateliers.</EmptyState>
      ) : candidates.length ? (
        <Form action={`${base}/inviter`} csrfToken={p.csrfToken}>
          <p class="hint">
            Les participants qui ont déclaré leur intérêt pour cette thématique, disponibles ce jour-là et dans ce format, et pas encore inscrits. Ils reçoivent un courriel avec
            le lien de l'atelier et le fichier .ics.
          </p>
          <table class="table manage-table">
            <caption class="visually-hidden">Personnes à inviter</caption>
            <thead>
              <tr>
                <th scope="col">Inviter</th>
                <th scope="col">Personne</th>
                <th scope="col">Disponibilités</th>
                <th scope="col">Déjà invitée</th>
              </tr>
            </thead>
            <tbody>
              {candidates.map((c, i) => {
                const id = i === 0 ? fieldId("userIds") : `${fieldId("userIds")}-${c.userId}`;
                const invited = p.invitedAt?.get(c.userId);
                return (
                  <tr>
                    <td>
                      {c.optedOut ? (
                        <span class="hint">Ne reçoit plus de courriel d'atelier</span>
                      ) : (
                        <>
                          <input id={id} type="checkbox" name="userIds" value={String(c.userId)} checked={!invited} />
                          <label for={id}>
                            <span class="visually-hidden">Inviter {c.displayName}</span>
                          </label>
                        </>
                      )}
                    </td>
                    <td>
                      {c.displayName}
                      <br />
                      <span class="hint">{c.email}</span>
                    </td>
                    <td>
                      {daysText(c.days)}
                      {c.frequency ? `, ${FREQUENCY_LABELS[c.frequency as keyof typeof FREQUENCY_LABELS]}` : ""}
                      {c.format ? `, ${FORMAT_LABELS[c.format as keyof typeof FORMAT_LABELS]}` : ""}
                      {c.comment ? <span class="hint"> – {c.comment}</span> : null}
                    </td>
                    <td>{invited ? formatDateTime(invited) : "non"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <div class="form-actions">
            <button type="submit" class="button">
              Inviter les personnes cochées
            </button>
          </div>
        </Form>
      ) : (
        <EmptyState>Personne d'autre n'a déclaré d'intérêt pour cette thématique avec des disponibilités qui conviennent.</EmptyState>
      )}
    </section>
  );
}

function Documents(p: WorkshopFormProps & { existing: WorkshopDetail }) {
  const base = `${gestion(p.territory)}/${p.existing.id}`;
  const docs = p.documents ?? [];
  const e = p.errors ?? {};
  return (
    <section aria-labelledby="documents">
      <h2 id="documents">Documents de l'atelier</h2>
      {docs.length ? (
        <ul>
          {docs.map((d) => (
            <li>
              <a href={`/t/${p.territory.slug}/ateliers/${p.existing.id}/documents/${d.id}`}>{d.title}</a> <span class="hint">({fileFacts(d)})</span>{" "}
              <ActionButton action={`${base}/documents/${d.id}/supprimer`} csrfToken={p.csrfToken} label="Retirer" accessibleLabel={`Retirer le document ${d.title}`} variant="danger" />
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState>Aucun document pour l'instant : compte rendu, présentation, liste de présence…</EmptyState>
      )}
      {p.existing.status !== "cancelled" ? (
        <form method="post" action={`${base}/documents`} encType="multipart/form-data" noValidate aria-label="Ajouter un document">
          <input type="hidden" name="_csrf" value={p.csrfToken} />
          <input type="hidden" name="section" value="documents" />
          <TextField name="documentTitle" label="Titre du document" values={p.values.section === "documents" ? p.values : {}} errors={e} required maxLength={200} />
          <div class={`field${e.file ? " field-error" : ""}`}>
            <label for={fieldId("file")}>Fichier</label>
            <p class="hint" id={`${fieldId("file")}-aide`}>
              PDF, Word, Excel, OpenDocument, image ou CSV. Publié sur la page de l'atelier.
            </p>
            {e.file ? (
              <p class="error-message" id={`${fieldId("file")}-erreur`}>
                <span class="visually-hidden">Erreur : </span>
                {e.file}
              </p>
            ) : null}
            <input id={fieldId("file")} name="file" type="file" aria-describedby={`${fieldId("file")}-aide${e.file ? ` ${fieldId("file")}-erreur` : ""}`} />
          </div>
          <div class="form-actions">
            <button type="submit" class="button button-secondary">
              Ajouter le document
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

/** A workshop's back-office page: its form, registrations and attendance, invitations, cancellation, history. */
export function EditWorkshopPage(p: WorkshopFormProps & { existing: WorkshopDetail }) {
  const w = p.existing;
  const base = `${gestion(p.territory)}/${w.id}`;
  const hasErrors = Boolean(p.errors && Object.keys(p.errors).length);
  const editable = w.status !== "cancelled";
  return (
    <Shell {...p} hasErrors={hasErrors} title={w.title} crumbs={[{ label: w.title, href: base }]}>
      <h1>
        {w.title} <WorkshopStatusBadge status={w.status} />
      </h1>
      <p>
        {whenText(w)}
        {w.status !== "draft" ? (
          <>
            {" "}
            – <a href={`/t/${p.territory.slug}/ateliers/${w.id}`}>voir la page publique</a>
          </>
        ) : null}
      </p>
      {p.conflict ? (
        <div class="notice notice-warning" role="alert">
          <p>{p.conflict}</p>
        </div>
      ) : null}
      <ErrorSummary errors={p.errors ?? {}} labels={LABELS} />
      {w.status !== "draft" ? <Registrations {...p} existing={w} /> : null}
      <Invitations {...p} existing={w} />
      {editable ? (
        <section aria-labelledby="modifier">
          <h2 id="modifier">Modifier l'atelier</h2>
          <p class="hint">Si la date, l'heure ou le lieu changent, les personnes inscrites reçoivent une invitation mise à jour pour leur agenda.</p>
          <Form action={base} csrfToken={p.csrfToken}>
            <WorkshopFields {...p} />
            <div class="form-actions">
              <button type="submit" class="button">
                Enregistrer les modifications
              </button>
            </div>
          </Form>
        </section>
      ) : null}
      <Documents {...p} existing={w} />
      {w.status === "published" || w.status === "draft" ? (
        <section aria-labelledby="annuler">
          <h2 id="annuler">Annuler l'atelier</h2>
          <p>Les personnes inscrites et sur liste d'attente reçoivent un courriel ; l'annulation retire l'atelier de leur agenda.</p>
          <ActionButton action={`${base}/annuler`} csrfToken={p.csrfToken} label="Annuler l'atelier" accessibleLabel={`Annuler l'atelier ${w.title}`} variant="danger" />
        </section>
      ) : null}
      <RecordHistory rows={p.history ?? []} />
    </Shell>
  );
}
