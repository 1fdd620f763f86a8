import type { ComponentChildren } from "preact";
import { can, type Actor } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import type { FieldErrors, FormValues } from "../../../core/forms/index.ts";
import { formatSiret } from "../../../core/formats/identifiers.ts";
import { formatDate, formatDateTime, formatNumber } from "../../../core/i18n/format.ts";
import { BackOfficeLayout } from "../../../core/ui/backoffice-layout.tsx";
import { ActionButton, CheckboxField, EmptyState, ErrorSummary, Form, SelectField, TextArea, TextField } from "../../../core/ui/components.tsx";
import type { NavItem } from "../../../core/ui/layout.tsx";
import { RecordHistory, type AuditRow } from "../../audit/api.ts";
import {
  companyDisplayName,
  CONSENT_SOURCES,
  establishmentDisplayAddress,
  establishmentDisplayName,
  LEGAL_CATEGORIES,
  LINK_STATUS_LABELS,
  LINK_VIA_LABELS,
  NAF,
  nafLabel,
  RESTRICTED,
  sectionLabel,
  WORKFORCE_BANDS,
  WORKFORCE_ORDER,
  workforceLabel,
} from "../model.ts";
import { COUNT_CAP, type CompanyListRow, type CompanyPageData, type PendingLink, type SearchFilters } from "../queries/companies.ts";
import type { importRuns } from "../../observatory/api.ts";

export interface PageProps {
  actor: Actor;
  territory: TerritoryRow;
  csrfToken: string;
  flash?: string;
}

export const companiesBase = (t: { slug: string }) => `/t/${t.slug}/gestion/entreprises`;

function Shell(p: PageProps & { title: string; crumbs?: NavItem[]; hasErrors?: boolean; children: ComponentChildren }) {
  return (
    <BackOfficeLayout
      actor={p.actor}
      territory={p.territory}
      csrfToken={p.csrfToken}
      flash={p.flash}
      title={p.hasErrors ? `Erreur – ${p.title}` : p.title}
      hasErrors={p.hasErrors}
      section="/entreprises"
      crumbs={[{ label: "Entreprises", href: companiesBase(p.territory) }, ...(p.crumbs ?? [])]}
    >
      {p.children}
    </BackOfficeLayout>
  );
}

const ACTIVITY_OPTIONS = [
  { value: "", label: "Toutes les activités" },
  { value: "industrie", label: "Industrie (sections B à E)" },
  ...NAF.sections.map((s) => ({ value: s.code, label: `${s.code} – ${s.label}` })),
];

function query(f: SearchFilters, page?: number): string {
  const s = new URLSearchParams();
  if (f.q) s.set("q", f.q);
  if (f.activite) s.set("activite", f.activite);
  if (page && page > 1) s.set("page", String(page));
  const str = s.toString();
  return str ? `?${str}` : "";
}

/** The list and search of the territory's companies. */
export function CompaniesListPage(
  p: PageProps & { rows: CompanyListRow[]; total: number; filters: SearchFilters; pageSize: number; counts: { total: number; industry: number }; canEdit: boolean; pending: PendingLink[] },
) {
  const base = companiesBase(p.territory);
  const page = p.filters.page ?? 1;
  const capped = p.total > COUNT_CAP;
  const pages = capped ? page + (p.rows.length === p.pageSize ? 1 : 0) : Math.max(1, Math.ceil(p.total / p.pageSize));
  const searching = Boolean(p.filters.q || p.filters.activite);
  return (
    <Shell {...p} title="Entreprises du territoire" crumbs={[]}>
      <h1>Entreprises du territoire</h1>
      <p class="lead">
        {formatNumber(p.counts.total)} {p.counts.total > 1 ? "entreprises" : "entreprise"}, dont {formatNumber(p.counts.industry)} avec un établissement industriel actif (sections
        B à E de la NAF), présentées en premier.
      </p>
      <p class="actions-row">
        {p.canEdit ? (
          <a class="button" href={`${base}/nouvelle`}>
            Ajouter une entreprise
          </a>
        ) : null}{" "}
        <a href={`${base}/imports`}>Imports Sirene</a>
      </p>
      {p.pending.length ? (
        <section class="notice notice-warning" aria-labelledby="rattachements">
          <h2 id="rattachements" class="h4">
            Rattachements à confirmer
          </h2>
          <ul>
            {p.pending.map((l) => (
              <li>
                {l.displayName} ({l.email}) demande à agir pour <a href={`${base}/${l.companyId}#comptes`}>{companyDisplayName({ name: l.companyName, diffusion: l.diffusion, naturalPerson: l.naturalPerson })}</a>, le{" "}
                {formatDate(l.createdAt)}.
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <form method="get" action={base} class="filters" aria-labelledby="recherche-entreprises" role="search">
        <h2 id="recherche-entreprises" class="h4">
          Rechercher
        </h2>
        <div class="filters-fields">
          <div class="field">
            <label for="f-q">Nom, SIREN ou SIRET, activité, commune</label>
            <input id="f-q" name="q" type="search" value={p.filters.q ?? ""} maxLength={200} />
          </div>
          <div class="field">
            <label for="f-activite">Activité</label>
            <select id="f-activite" name="activite">
              {ACTIVITY_OPTIONS.map((o) => (
                <option value={o.value} selected={(p.filters.activite ?? "") === o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </div>
          <div class="filters-actions">
            <button type="submit" class="button">
              Rechercher
            </button>
          </div>
        </div>
      </form>
      <p role="status">
        {searching ? (capped ? `Plus de ${formatNumber(COUNT_CAP)} résultats : précisez la recherche.` : `${formatNumber(p.total)} ${p.total > 1 ? "résultats" : "résultat"}.`) : null}{" "}
        <a href={`${base}/export.csv${query({ ...p.filters, page: undefined })}`}>Exporter {searching ? "ces résultats" : "la liste"} en CSV (établissements)</a>
      </p>
      {p.rows.length ? (
        <table class="table companies-table">
          <caption class="visually-hidden">Entreprises, l'industrie d'abord</caption>
          <thead>
            <tr>
              <th scope="col">Entreprise</th>
              <th scope="col">SIREN</th>
              <th scope="col">Activité</th>
              <th scope="col">Établissements actifs</th>
              <th scope="col">Communes</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((c) => (
              <tr>
                <td>
                  <a href={`${base}/${c.id}`}>{companyDisplayName(c)}</a>
                  {c.industry ? <span class="badge badge-industry"> Industrie</span> : null}
                  {c.coBuilder ? <span class="badge"> Co-construction du plan</span> : null}
                </td>
                <td class="nowrap">{formatSiret(c.siren)}</td>
                <td>{c.nafCode ? `${c.nafCode} – ${nafLabel(c.nafCode) ?? "code hors nomenclature"}` : "Non renseignée"}</td>
                <td>{formatNumber(c.activeEstablishments)}</td>
                <td>{c.communes ?? "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <EmptyState>
          {searching
            ? "Aucune entreprise ne correspond à cette recherche. Vérifiez l'orthographe ou cherchez par numéro SIRET."
            : "Aucune entreprise n'est encore enregistrée : importez le stock Sirene ou ajoutez une entreprise."}
        </EmptyState>
      )}
      {pages > 1 ? (
        <nav aria-label="Pagination des entreprises" class="pagination">
          {page > 1 ? <a href={`${base}${query(p.filters, page - 1)}`}>Page précédente</a> : null}
          <span>{capped ? `Page ${page}` : `Page ${page} sur ${pages}`}</span>
          {page < pages ? <a href={`${base}${query(p.filters, page + 1)}`}>Page suivante</a> : null}
        </nav>
      ) : null}
    </Shell>
  );
}

const LEGAL_OPTIONS = Object.entries(LEGAL_CATEGORIES).map(([code, label]) => ({ value: code, label: `${code} – ${label}` }));
const BAND_OPTIONS = WORKFORCE_ORDER.map((code) => ({ value: code, label: `${code} – ${WORKFORCE_BANDS[code]}` }));
const CONSENT_OPTIONS = Object.entries(CONSENT_SOURCES).map(([value, label]) => ({ value, label }));

const COMPANY_LABELS = { siren: "Numéro SIREN", name: "Nom", legalForm: "Forme juridique", nafCode: "Code NAF", notes: "Notes" };

/** Create or edit a company. */
export function CompanyFormPage(p: PageProps & { company?: { id: number; name: string; siren: string; source: string }; errors?: FieldErrors; values?: FormValues }) {
  const base = companiesBase(p.territory);
  const editing = p.company !== undefined;
  const title = editing ? `Modifier ${p.company!.name}` : "Ajouter une entreprise";
  const hasErrors = Boolean(p.errors && Object.keys(p.errors).length);
  return (
    <Shell {...p} title={title} hasErrors={hasErrors} crumbs={editing ? [{ label: p.company!.name, href: `${base}/${p.company!.id}` }, { label: "Modifier", href: "" }] : [{ label: "Ajouter", href: "" }]}>
      <h1>{title}</h1>
      {p.errors ? <ErrorSummary errors={p.errors} labels={COMPANY_LABELS} /> : null}
      {editing && p.company!.source === "sirene" ? (
        <div class="notice notice-info">
          <p>Cette entreprise vient du répertoire Sirene : le prochain import remplacera son nom, sa forme juridique et son activité par ceux de l'INSEE.</p>
        </div>
      ) : null}
      <Form action={editing ? `${base}/${p.company!.id}/modifier` : `${base}/nouvelle`} csrfToken={p.csrfToken}>
        {editing ? (
          <p>
            SIREN : <strong>{formatSiret(p.company!.siren)}</strong>
          </p>
        ) : (
          <TextField name="siren" label="Numéro SIREN" hint="9 chiffres, sur l'extrait Kbis ou sur annuaire-entreprises.data.gouv.fr." required inputmode="numeric" errors={p.errors} values={p.values} />
        )}
        <TextField name="name" label="Nom" required errors={p.errors} values={p.values} maxLength={200} />
        <SelectField name="legalForm" label="Forme juridique" placeholder="Non renseignée" options={LEGAL_OPTIONS} errors={p.errors} values={p.values} />
        <TextField name="nafCode" label="Code NAF" hint="Nomenclature NAF rév. 2, par exemple 25.62B (mécanique industrielle)." errors={p.errors} values={p.values} maxLength={7} />
        <CheckboxField name="coBuilder" label="A participé à la co-construction du plan d'actions" errors={p.errors} values={p.values} />
        <TextArea name="notes" label="Notes" errors={p.errors} values={p.values} />
        <button type="submit" class="button">
          {editing ? "Enregistrer" : "Ajouter l'entreprise"}
        </button>
      </Form>
    </Shell>
  );
}

const ESTABLISHMENT_LABELS = { siret: "Numéro SIRET", name: "Nom", nafCode: "Code NAF", workforceBand: "Tranche d'effectifs", address: "Adresse", postcode: "Code postal", communeCode: "Code INSEE de la commune" };
const CONTACT_LABELS = { name: "Nom", role: "Fonction", email: "Adresse électronique", phone: "Téléphone", consentDate: "Date de l'accord", consentSource: "Comment l'accord a été recueilli" };

/** The contact fields (add form and edit page). */
function ContactFields(p: { errors?: FieldErrors; values?: FormValues }) {
  return (
    <>
      <TextField name="name" label="Nom" required errors={p.errors} values={p.values} maxLength={200} />
      <TextField name="role" label="Fonction" errors={p.errors} values={p.values} maxLength={200} />
      <TextField name="email" label="Adresse électronique" type="email" autocomplete="off" errors={p.errors} values={p.values} maxLength={254} />
      <TextField name="phone" label="Téléphone" type="tel" autocomplete="off" errors={p.errors} values={p.values} maxLength={30} />
      <fieldset class="fieldset">
        <legend>Accord pour être contacté</legend>
        <CheckboxField name="consent" label="La personne a accepté d'être contactée par le service" errors={p.errors} values={p.values} />
        <TextField name="consentDate" label="Date de l'accord" type="date" hint="Au format AAAA-MM-JJ." errors={p.errors} values={p.values} />
        <SelectField name="consentSource" label="Comment l'accord a été recueilli" placeholder="Choisir" options={CONSENT_OPTIONS} errors={p.errors} values={p.values} />
      </fieldset>
    </>
  );
}

/** Everything the platform knows of a company. */
export function CompanyPage(
  p: PageProps & {
    data: CompanyPageData;
    history: AuditRow[];
    form?: "establishment" | "contact";
    errors?: FieldErrors;
    values?: FormValues;
  },
) {
  const { company, establishments, contacts, links } = p.data;
  const base = `${companiesBase(p.territory)}/${company.id}`;
  const name = companyDisplayName(company);
  const canEdit = can(p.actor, "companies.company.edit", { territoryId: p.territory.id });
  const hasErrors = Boolean(p.errors && Object.keys(p.errors).length);
  const restricted = company.diffusion === "P";
  return (
    <Shell {...p} title={name} hasErrors={hasErrors} crumbs={[{ label: name, href: "" }]}>
      <h1>{name}</h1>
      {restricted ? (
        <div class="notice notice-warning">
          <p>
            Diffusion restreinte au répertoire Sirene : les données personnelles de cette unité (nom d'une personne physique, adresses) ne sont ni affichées ni
            exportées.
          </p>
        </div>
      ) : null}
      <dl class="summary-list">
        <div>
          <dt>SIREN</dt>
          <dd>{formatSiret(company.siren)}</dd>
        </div>
        <div>
          <dt>Forme juridique</dt>
          <dd>{company.legalForm ? `${company.legalFormLabel ?? "Catégorie inconnue"} (${company.legalForm})` : "Non renseignée"}</dd>
        </div>
        <div>
          <dt>Activité principale</dt>
          <dd>{company.nafCode ? `${company.nafCode} – ${nafLabel(company.nafCode) ?? "code hors nomenclature NAF rév. 2"}` : "Non renseignée"}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>{company.source === "sirene" ? "Répertoire Sirene de l'INSEE" : "Saisie par le service"}</dd>
        </div>
        <div>
          <dt>Co-construction du plan</dt>
          <dd>{company.coBuilder ? "Oui" : "Non"}</dd>
        </div>
        {company.notes ? (
          <div>
            <dt>Notes</dt>
            <dd class="prewrap">{company.notes}</dd>
          </div>
        ) : null}
      </dl>
      {canEdit ? (
        <p>
          <a href={`${base}/modifier`}>Modifier l'entreprise</a>
        </p>
      ) : null}

      <section aria-labelledby="etablissements">
        <h2 id="etablissements">Établissements</h2>
        {establishments.length ? (
          <table class="table companies-table">
            <caption class="visually-hidden">Établissements de l'entreprise, les actifs d'abord</caption>
            <thead>
              <tr>
                <th scope="col">SIRET</th>
                <th scope="col">Activité</th>
                <th scope="col">Effectif</th>
                <th scope="col">Adresse</th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {establishments.map((e) => {
                const label = establishmentDisplayName(e, company.diffusion);
                return (
                  <tr>
                    <td class="nowrap">
                      {formatSiret(e.siret)}
                      {e.headOffice ? <span class="badge"> Siège</span> : null}
                      {label ? <div class="hint">{label}</div> : null}
                    </td>
                    <td>
                      {e.nafCode ? `${e.nafCode} – ${nafLabel(e.nafCode) ?? "code hors nomenclature"}` : "Non renseignée"}
                      {e.nafSection ? <div class="hint">Section {e.nafSection} : {sectionLabel(e.nafSection)}</div> : null}
                    </td>
                    <td>{workforceLabel(e.workforceBand) ?? "Non renseigné"}</td>
                    <td>
                      {establishmentDisplayAddress(e, company.diffusion) ?? "–"}
                      <div>
                        {e.postcode ?? ""} {e.communeName ?? e.communeCode ?? ""}
                      </div>
                    </td>
                    <td>
                      {e.active ? "Actif" : "Fermé"}
                      {canEdit ? (
                        <div>
                          <ActionButton
                            action={`${base}/etablissements/${e.id}/${e.active ? "fermer" : "rouvrir"}`}
                            csrfToken={p.csrfToken}
                            label={e.active ? "Marquer fermé" : "Marquer actif"}
                            accessibleLabel={`${e.active ? "Marquer fermé" : "Marquer actif"} l'établissement ${formatSiret(e.siret)}`}
                          />
                        </div>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <EmptyState>Aucun établissement n'est connu dans le territoire.</EmptyState>
        )}
        {canEdit ? (
          <details class="disclosure" open={p.form === "establishment"}>
            <summary>Ajouter un établissement</summary>
            {p.form === "establishment" && p.errors ? <ErrorSummary errors={p.errors} labels={ESTABLISHMENT_LABELS} /> : null}
            <Form action={`${base}/etablissements`} csrfToken={p.csrfToken}>
              <TextField name="siret" label="Numéro SIRET" hint={`14 chiffres, commençant par le SIREN ${formatSiret(company.siren)}.`} required inputmode="numeric" {...formState(p, "establishment")} />
              <TextField name="name" label="Nom (enseigne)" maxLength={200} {...formState(p, "establishment")} />
              <TextField name="nafCode" label="Code NAF" hint="Par exemple 25.62B." maxLength={7} {...formState(p, "establishment")} />
              <SelectField name="workforceBand" label="Tranche d'effectifs" placeholder="Non renseignée" options={BAND_OPTIONS} {...formState(p, "establishment")} />
              <TextField name="address" label="Adresse" maxLength={300} {...formState(p, "establishment")} />
              <TextField name="postcode" label="Code postal" inputmode="numeric" maxLength={5} {...formState(p, "establishment")} />
              <TextField name="communeCode" label="Code INSEE de la commune" hint="5 caractères, par exemple 61169 pour Flers." required maxLength={5} {...formState(p, "establishment")} />
              <CheckboxField name="headOffice" label="Siège de l'entreprise" {...formState(p, "establishment")} />
              <button type="submit" class="button">
                Ajouter l'établissement
              </button>
            </Form>
          </details>
        ) : null}
      </section>

      <section aria-labelledby="contacts">
        <h2 id="contacts">Contacts</h2>
        {contacts.length ? (
          <ul class="contact-list">
            {contacts.map((c) => (
              <li id={`contact-${c.id}`}>
                <p>
                  <strong>{c.name}</strong>
                  {c.role ? `, ${c.role}` : ""}
                </p>
                <p>
                  {c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : null}
                  {c.email && c.phone ? " – " : null}
                  {c.phone ?? null}
                </p>
                <p class="hint">
                  {c.consentAt
                    ? `Accord pour être contacté le ${formatDate(c.consentAt)} (${CONSENT_SOURCES[c.consentSource ?? ""] ?? c.consentSource ?? "moyen non précisé"}).`
                    : "Aucun accord pour être contacté n'est enregistré."}
                </p>
                {canEdit ? (
                  <p>
                    <a href={`${base}/contacts/${c.id}/modifier`} aria-label={`Modifier le contact ${c.name}`}>
                      Modifier
                    </a>{" "}
                    <ActionButton action={`${base}/contacts/${c.id}/supprimer`} csrfToken={p.csrfToken} label="Supprimer" accessibleLabel={`Supprimer le contact ${c.name}`} />
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Aucun contact n'est enregistré.</EmptyState>
        )}
        {canEdit ? (
          <details class="disclosure" open={p.form === "contact"}>
            <summary>Ajouter un contact</summary>
            {p.form === "contact" && p.errors ? <ErrorSummary errors={p.errors} labels={CONTACT_LABELS} /> : null}
            <Form action={`${base}/contacts`} csrfToken={p.csrfToken}>
              <ContactFields {...formState(p, "contact")} />
              <button type="submit" class="button">
                Ajouter le contact
              </button>
            </Form>
          </details>
        ) : null}
      </section>

      <section aria-labelledby="comptes">
        <h2 id="comptes">Comptes rattachés</h2>
        {links.length ? (
          <table class="table">
            <caption class="visually-hidden">Comptes de la plateforme qui agissent pour l'entreprise</caption>
            <thead>
              <tr>
                <th scope="col">Personne</th>
                <th scope="col">Rattachement</th>
                <th scope="col">État</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {links.map((l) => (
                <tr>
                  <td>
                    {l.displayName}
                    <div class="hint">{l.email}</div>
                  </td>
                  <td>
                    {LINK_VIA_LABELS[l.via]}, le {formatDate(l.createdAt)}
                  </td>
                  <td>{LINK_STATUS_LABELS[l.status]}</td>
                  <td>
                    {canEdit && l.status === "pending" ? (
                      <ActionButton action={`${base}/comptes/${l.id}/confirmer`} csrfToken={p.csrfToken} label="Confirmer" accessibleLabel={`Confirmer le rattachement de ${l.displayName}`} variant="primary" />
                    ) : null}{" "}
                    {canEdit ? (
                      <ActionButton
                        action={`${base}/comptes/${l.id}/retirer`}
                        csrfToken={p.csrfToken}
                        label={l.status === "pending" ? "Refuser" : "Retirer"}
                        accessibleLabel={`${l.status === "pending" ? "Refuser" : "Retirer"} le rattachement de ${l.displayName}`}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <EmptyState>Aucun compte n'est rattaché à cette entreprise.</EmptyState>
        )}
      </section>

      <section aria-labelledby="participation">
        <h2 id="participation">Participation</h2>
        <h3>Inscriptions aux ateliers</h3>
        {p.data.registrations.length ? (
          <ul>
            {p.data.registrations.map((r) => (
              <li>
                {r.title}, le {formatDateTime(r.startsAt)} – {r.userName} ({REGISTRATION_LABELS[r.status] ?? r.status}
                {r.attended === true ? ", présent" : r.attended === false ? ", absent" : ""})
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Aucune inscription à un atelier.</EmptyState>
        )}
        <h3>Propositions d'actions</h3>
        {p.data.proposals.length ? (
          <ul>
            {p.data.proposals.map((r) => (
              <li>
                {r.title} – déposée le {formatDate(r.createdAt)} ({PROPOSAL_LABELS[r.status] ?? r.status})
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Aucune proposition d'action.</EmptyState>
        )}
        <h3>Questions</h3>
        {p.data.questions.length ? (
          <ul>
            {p.data.questions.map((r) => (
              <li>
                {r.subject} – {r.name}, le {formatDate(r.createdAt)} ({QUESTION_LABELS[r.status] ?? r.status})
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Aucune question posée par les comptes rattachés.</EmptyState>
        )}
      </section>

      <RecordHistory rows={p.history} />
    </Shell>
  );
}

const REGISTRATION_LABELS: Record<string, string> = { registered: "inscrit", confirmed: "inscrit", waitlisted: "en liste d'attente", cancelled: "annulée" };
const PROPOSAL_LABELS: Record<string, string> = { submitted: "déposée", under_review: "en cours d'examen", accepted: "retenue", rejected: "non retenue", merged: "fusionnée" };
const QUESTION_LABELS: Record<string, string> = { new: "nouvelle", assigned: "attribuée", in_progress: "en cours", answered: "répondue", closed: "close" };

function formState(p: { form?: string; errors?: FieldErrors; values?: FormValues }, form: string) {
  return p.form === form ? { errors: p.errors, values: p.values } : {};
}

/** Edit one contact. */
export function ContactEditPage(p: PageProps & { company: { id: number; name: string; diffusion: string; naturalPerson: boolean }; contactId: number; errors?: FieldErrors; values: FormValues }) {
  const base = `${companiesBase(p.territory)}/${p.company.id}`;
  const name = companyDisplayName(p.company);
  const hasErrors = Boolean(p.errors && Object.keys(p.errors).length);
  return (
    <Shell {...p} title={`Modifier un contact – ${name}`} hasErrors={hasErrors} crumbs={[{ label: name, href: base }, { label: "Modifier un contact", href: "" }]}>
      <h1>Modifier un contact de {name}</h1>
      {p.errors ? <ErrorSummary errors={p.errors} labels={CONTACT_LABELS} /> : null}
      <Form action={`${base}/contacts/${p.contactId}/modifier`} csrfToken={p.csrfToken}>
        <ContactFields errors={p.errors} values={p.values} />
        <button type="submit" class="button">
          Enregistrer
        </button>
      </Form>
    </Shell>
  );
}

/** The Sirene import runs and how to run one. */
export function ImportsPage(p: PageProps & { runs: (typeof importRuns.$inferSelect)[] }) {
  return (
    <Shell {...p} title="Imports Sirene" crumbs={[{ label: "Imports Sirene", href: "" }]}>
      <h1>Imports Sirene</h1>
      <p>
        Les entreprises et établissements du territoire viennent du stock Sirene de l'INSEE (fichiers StockEtablissement et StockUniteLegale, publiés chaque mois
        sur data.gouv.fr, Licence Ouverte). Seuls les établissements des communes du territoire sont gardés ; un nouvel import met à jour les fiches sans
        doublon et marque fermés les établissements que l'INSEE dit fermés.
      </p>
      <p>Un administrateur du serveur lance l'import (les fichiers pèsent plusieurs gigaoctets) :</p>
      <pre class="code">
        collines entreprises import --territory {p.territory.slug} --etablissements StockEtablissement_utf8.zip --unites-legales StockUniteLegale_utf8.zip
      </pre>
      <h2>Derniers imports</h2>
      {p.runs.length ? (
        <ul class="import-runs">
          {p.runs.map((r) => (
            <li>
              <p>
                <strong>{formatDateTime(r.startedAt)}</strong> – {r.status === "done" ? "terminé" : r.status === "failed" ? "échoué" : "en cours"} ({r.fileName})
              </p>
              <p>
                {formatNumber(r.rowsRead)} lignes lues, {formatNumber(r.rowsKept)} gardées, {formatNumber(r.rowsRejected)} rejetées.
              </p>
              {r.message ? <p class="prewrap">{r.message}</p> : null}
              {r.rejections.length ? (
                <details>
                  <summary>Lignes rejetées ({formatNumber(r.rejections.length)}{r.rowsRejected > r.rejections.length ? ` premières sur ${formatNumber(r.rowsRejected)}` : ""})</summary>
                  <ul>
                    {r.rejections.map((x) => (
                      <li>{x}</li>
                    ))}
                  </ul>
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState>Aucun import n'a encore été fait pour ce territoire.</EmptyState>
      )}
    </Shell>
  );
}

export { RESTRICTED };
