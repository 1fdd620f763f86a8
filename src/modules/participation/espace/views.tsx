// Mon espace, the interest form and the unsubscribe pages.
import type { Actor } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import type { FieldErrors, FormValues } from "../../../core/forms/index.ts";
import { CheckboxField, EmptyState, ErrorSummary, Form, SelectField, TextArea, TextField } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { Paragraphs } from "../../../core/ui/text.tsx";
import { formatDate } from "../../../core/i18n/format.ts";
import { PROPOSAL_STATE_LABELS, type ProposalState } from "../proposals/model.ts";
import { QUESTION_STATE_LABELS, type QuestionState } from "../questions/model.ts";
import { DAY_LABELS, FORMAT_LABELS, FORMATS, FREQUENCIES, FREQUENCY_LABELS, REGISTRATION_STATUS_LABELS, type RegistrationStatus } from "../workshops/model.ts";
import { whenText } from "../workshops/mails.ts";
import { CheckboxGroup } from "../workshops/manage-views.tsx";
import type { CompanyLink } from "./company.ts";

export interface EspaceData {
  company: CompanyLink | null;
  /** The person may act in the territory (an active role); false while a self-registration is pending. */
  member: boolean;
  pending: boolean;
  /** The person holds (or asked for) the industrialist role: their company matters here. */
  industrialist: boolean;
  registrations: { id: number; status: RegistrationStatus; position?: number; workshop: { id: number; title: string; startsAt: Date; endsAt: Date; status: string } }[];
  companyRegistrations: { displayName: string; status: string; workshopId: number; title: string; startsAt: Date }[];
  proposals: { id: number; title: string; status: string; createdAt: Date; answer: string | null }[];
  questions: { id: number; subject: string; status: string; answer: string | null; answeredAt: Date | null; createdAt: Date }[];
  interests: { themeTitle: string; days: number[]; frequency: string | null; format: string | null }[];
  preferences: { workshopEmails: boolean; proposalEmails: boolean; monthlyDigest: boolean };
}

const PREF_LABELS: Record<string, string> = {
  workshopEmails: "Rappels et invitations aux ateliers",
  proposalEmails: "Nouvelles de mes propositions d'actions",
  monthlyDigest: "Lettre mensuelle des nouveautés du territoire",
  siret: "Numéro SIRET",
};

const on = (b: boolean) => (b ? "on" : undefined);

/** The page of a signed-in participant: company, registrations, proposals, questions, preferences. */
export function EspacePage(p: { actor: Actor; territory: TerritoryRow; csrfToken: string; flash?: string; data: EspaceData; errors?: FieldErrors; values?: FormValues }) {
  const base = `/t/${p.territory.slug}`;
  const d = p.data;
  const errors = p.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  const prefValues: FormValues = p.values ?? { workshopEmails: on(d.preferences.workshopEmails), proposalEmails: on(d.preferences.proposalEmails), monthlyDigest: on(d.preferences.monthlyDigest) };
  return (
    <Layout title="Mon espace" actor={p.actor} territory={p.territory} flash={p.flash} hasErrors={hasErrors} breadcrumbs={[{ label: "Accueil", href: base }, { label: "Mon espace", href: `${base}/mon-espace` }]}>
      <h1>Mon espace</h1>
      <ErrorSummary errors={errors} labels={PREF_LABELS} />
      {d.pending ? (
        <div class="notice notice-info">
          <p>Votre demande de participation au territoire attend la confirmation de l'équipe du territoire. Vous pourrez ensuite vous inscrire aux ateliers.</p>
        </div>
      ) : null}
      {!d.member && !d.pending ? (
        <div class="notice notice-info">
          <p>
            Vous ne participez pas encore à ce territoire. <a href={`${base}/inscription`}>Demandez à participer</a> pour vous inscrire aux ateliers.
          </p>
        </div>
      ) : null}

      {d.industrialist || d.company ? (
      <section aria-labelledby="entreprise">
        <h2 id="entreprise">Mon entreprise</h2>
        {d.company?.status === "confirmed" ? (
          <p class="espace-company">
            <strong>{d.company.name}</strong> <span class="hint">(SIREN {d.company.siren})</span>
          </p>
        ) : d.company?.status === "pending" ? (
          <p>
            Votre rattachement à <strong>{d.company.name}</strong> attend la confirmation de l'équipe du territoire.
          </p>
        ) : (
          <>
            <p>Aucune entreprise n'est rattachée à votre compte dans ce territoire.</p>
            {d.member ? (
              <Form action={`${base}/mon-espace/entreprise`} csrfToken={p.csrfToken}>
                <TextField name="siret" label={PREF_LABELS.siret} hint="Les 14 chiffres de votre établissement, par exemple 123 456 789 00012. L'équipe du territoire confirme le rattachement." inputmode="numeric" values={p.values} errors={errors} required />
                <div class="form-actions">
                  <button type="submit" class="button button-secondary">
                    Demander le rattachement
                  </button>
                </div>
              </Form>
            ) : null}
          </>
        )}
      </section>
      ) : null}

      <section aria-labelledby="mes-ateliers">
        <h2 id="mes-ateliers">Mes inscriptions aux ateliers</h2>
        {d.registrations.length ? (
          <ul class="espace-list">
            {d.registrations.map((r) => (
              <li>
                <a href={`${base}/ateliers/${r.workshop.id}`}>{r.workshop.title}</a> – {whenText(r.workshop)}
                <br />
                <span class={`badge registration-${r.status}`}>
                  {r.workshop.status === "cancelled" ? "Atelier annulé" : REGISTRATION_STATUS_LABELS[r.status]}
                  {r.status === "waitlisted" && r.position ? ` (position ${r.position})` : ""}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>
            Vous n'êtes inscrit à aucun atelier. <a href={`${base}/ateliers`}>Voir les ateliers</a>.
          </EmptyState>
        )}
      </section>

      {d.company?.status === "confirmed" ? (
        <section aria-labelledby="mon-entreprise-ateliers">
          <h2 id="mon-entreprise-ateliers">Les autres inscriptions de {d.company.name}</h2>
          {d.companyRegistrations.length ? (
            <ul class="espace-list">
              {d.companyRegistrations.map((r) => (
                <li>
                  {r.displayName} – <a href={`${base}/ateliers/${r.workshopId}`}>{r.title}</a>, {formatDate(r.startsAt)} ({REGISTRATION_STATUS_LABELS[r.status as RegistrationStatus]})
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState>Personne d'autre de votre entreprise n'est inscrit à un atelier.</EmptyState>
          )}
        </section>
      ) : null}

      <section aria-labelledby="souhaits">
        <h2 id="souhaits">Je souhaite participer</h2>
        {d.interests.length ? (
          <ul class="espace-list">
            {d.interests.map((i) => (
              <li>
                {i.themeTitle} : {i.days.length ? i.days.map((x) => DAY_LABELS[x]).join(", ") : "tous les jours"}
                {i.frequency ? `, ${FREQUENCY_LABELS[i.frequency as keyof typeof FREQUENCY_LABELS]}` : ""}
                {i.format ? `, ${FORMAT_LABELS[i.format as keyof typeof FORMAT_LABELS]}` : ""}
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Vous n'avez pas encore indiqué les thématiques qui vous intéressent.</EmptyState>
        )}
        {d.member ? (
          <p>
            <a href={`${base}/participer`}>{d.interests.length ? "Modifier mes thématiques et disponibilités" : "Indiquer mes thématiques et disponibilités"}</a>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="mes-propositions">
        <h2 id="mes-propositions">Mes propositions d'actions</h2>
        {d.proposals.length ? (
          <ul class="espace-list">
            {d.proposals.map((x) => (
              <li>
                <a href={`${base}/propositions/${x.id}`}>{x.title}</a> – déposée le {formatDate(x.createdAt)} – <span class="badge">{PROPOSAL_STATE_LABELS[x.status as ProposalState] ?? x.status}</span>
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Vous n'avez pas encore proposé d'action.</EmptyState>
        )}
      </section>

      <section aria-labelledby="mes-questions">
        <h2 id="mes-questions">Mes questions</h2>
        {d.questions.length ? (
          <ul class="espace-list">
            {d.questions.map((q) => (
              <li>
                <strong>{q.subject}</strong> – posée le {formatDate(q.createdAt)} – <span class="badge">{QUESTION_STATE_LABELS[q.status as QuestionState] ?? q.status}</span>
                {q.answer ? (
                  <div class="espace-answer">
                    <p class="hint">Réponse{q.answeredAt ? ` du ${formatDate(q.answeredAt)}` : ""} :</p>
                    <Paragraphs text={q.answer} />
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Vous n'avez pas posé de question.</EmptyState>
        )}
      </section>

      <section aria-labelledby="preferences">
        <h2 id="preferences">Mes courriels</h2>
        <p>Les courriels sur vos propres inscriptions (confirmation, liste d'attente, annulation) vous sont toujours envoyés. Choisissez les autres :</p>
        <Form action={`${base}/mon-espace/preferences`} csrfToken={p.csrfToken}>
          <CheckboxField name="workshopEmails" label={PREF_LABELS.workshopEmails} hint="Le rappel la veille d'un atelier, les invitations de l'équipe." values={prefValues} errors={errors} />
          <CheckboxField name="proposalEmails" label={PREF_LABELS.proposalEmails} values={prefValues} errors={errors} />
          <CheckboxField name="monthlyDigest" label={PREF_LABELS.monthlyDigest} hint="Une fois par mois : les nouveaux ateliers, les décisions des comités, les nouvelles réponses de la foire aux questions." values={prefValues} errors={errors} />
          <div class="form-actions">
            <button type="submit" class="button">
              Enregistrer mes préférences
            </button>
          </div>
        </Form>
      </section>
    </Layout>
  );
}

const INTEREST_LABELS: Record<string, string> = { themeIds: "Thématiques", days: "Jours", frequency: "Fréquence", format: "Format", comment: "Précisions" };

/** "Je souhaite participer": themes and availability. */
export function InterestPage(p: { actor: Actor; territory: TerritoryRow; csrfToken: string; themes: { id: number; code: string; title: string }[]; values: FormValues; errors?: FieldErrors }) {
  const base = `/t/${p.territory.slug}`;
  const errors = p.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  return (
    <Layout
      title="Je souhaite participer"
      actor={p.actor}
      territory={p.territory}
      hasErrors={hasErrors}
      breadcrumbs={[
        { label: "Accueil", href: base },
        { label: "Ateliers", href: `${base}/ateliers` },
        { label: "Je souhaite participer", href: `${base}/participer` },
      ]}
    >
      <h1>Je souhaite participer</h1>
      <ErrorSummary errors={errors} labels={INTEREST_LABELS} />
      <p class="lead">Dites-nous ce qui vous intéresse et quand vous êtes disponible : l'équipe du territoire vous invitera aux ateliers qui vous correspondent.</p>
      <Form action={`${base}/participer`} csrfToken={p.csrfToken}>
        <CheckboxGroup name="themeIds" legend={INTEREST_LABELS.themeIds} hint="Décochez une thématique pour ne plus être invité à ses ateliers." options={p.themes.map((t) => ({ value: String(t.id), label: `${t.code} – ${t.title}` }))} values={p.values} errors={errors} optional={false} />
        <CheckboxGroup name="days" legend={INTEREST_LABELS.days} hint="Aucun jour coché : tous les jours de la semaine vous conviennent." options={[1, 2, 3, 4, 5].map((d) => ({ value: String(d), label: DAY_LABELS[d] }))} values={p.values} errors={errors} />
        <SelectField name="frequency" label={INTEREST_LABELS.frequency} options={FREQUENCIES.map((f) => ({ value: f, label: FREQUENCY_LABELS[f] }))} placeholder="Peu importe" values={p.values} errors={errors} />
        <SelectField name="format" label={INTEREST_LABELS.format} options={FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] }))} placeholder="Peu importe" values={p.values} errors={errors} />
        <TextArea name="comment" label={INTEREST_LABELS.comment} hint="Par exemple : plutôt le matin, pas pendant les congés d'été." values={p.values} errors={errors} rows={3} />
        <div class="form-actions">
          <button type="submit" class="button">
            Enregistrer
          </button>
        </div>
      </Form>
    </Layout>
  );
}

/** One click from an e-mail: the confirmation page, then its result; no sign-in needed. */
export function UnsubscribePage(p: { actor: Actor; territory: TerritoryRow; csrfToken: string; token: string; done?: boolean; already?: boolean }) {
  const base = `/t/${p.territory.slug}`;
  return (
    <Layout title="Se désabonner des courriels" actor={p.actor} territory={p.territory} breadcrumbs={[{ label: "Accueil", href: base }, { label: "Se désabonner", href: `${base}/desabonnement/${p.token}` }]}>
      <h1>Se désabonner des courriels</h1>
      {p.done ? (
        <div class="notice notice-success" role="status">
          <p>C'est fait : vous ne recevrez plus de rappel, d'invitation, de nouvelles de vos propositions ni de lettre mensuelle de {p.territory.name}.</p>
        </div>
      ) : p.already ? (
        <p>Vous ne recevez déjà plus ces courriels de {p.territory.name}.</p>
      ) : (
        <>
          <p>
            Vous ne recevrez plus les rappels et invitations aux ateliers, les nouvelles de vos propositions ni la lettre mensuelle de {p.territory.name}. Les courriels sur vos
            propres inscriptions (confirmation, annulation) restent envoyés.
          </p>
          <Form action={`${base}/desabonnement/${p.token}`} csrfToken={p.csrfToken}>
            <button type="submit" class="button">
              Confirmer le désabonnement
            </button>
          </Form>
        </>
      )}
      <p>
        Vous pouvez choisir plus finement dans <a href={`${base}/mon-espace#preferences`}>Mon espace</a> (connexion nécessaire).
      </p>
    </Layout>
  );
}
