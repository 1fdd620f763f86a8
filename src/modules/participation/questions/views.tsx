import type { Actor } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import type { FieldErrors, FormValues } from "../../../core/forms/index.ts";
import { ActionButton, CheckboxField, EmptyState, ErrorSummary, Form, SelectField, TextArea, TextField } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { BackOfficeLayout } from "../../../core/ui/backoffice-layout.tsx";
import { Paragraphs } from "../../../core/ui/text.tsx";
import { formatDate, formatDateTime } from "../../../core/i18n/format.ts";
import { RecordHistory, type AuditRow } from "../../audit/api.ts";
import { QUESTION_STATE_LABELS, QUESTION_STATES, type QuestionState } from "./model.ts";
import { themeName } from "../proposals/views.tsx";
import type { FaqEntry, InboxItem, loadQuestion } from "./commands.ts";
import { StateFilter } from "../state-filter.tsx";

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

export function QuestionStateBadge({ status }: { status: QuestionState }) {
  return <span class={`question-state question-state-${status}`}>{QUESTION_STATE_LABELS[status]}</span>;
}

const FORM_LABELS: Record<string, string> = {
  name: "Nom",
  email: "Adresse électronique",
  companyName: "Entreprise",
  subject: "Objet",
  themeId: "Thématique",
  body: "Message",
  consent: "Données personnelles",
  envoi: "Envoi",
};

/** The public form « Vous avez des questions sur la démarche ? ». */
export function QuestionFormPage(p: {
  actor: Actor;
  territory: TerritoryRow;
  csrfToken: string;
  themes: { id: number; title: string; code: string }[];
  startedAt: number;
  errors?: FieldErrors;
  values?: FormValues;
  /** A refusal that is not about one field (too many questions…). */
  problem?: string;
  faqCount: number;
}) {
  const t = `/t/${p.territory.slug}`;
  const errors = p.errors ?? {};
  return (
    <Layout
      title="Vous avez des questions sur la démarche ?"
      actor={p.actor}
      territory={p.territory}
      csrfToken={p.csrfToken}
      hasErrors={Object.keys(errors).length > 0 || Boolean(p.problem)}
      breadcrumbs={[{ label: p.territory.name, href: t }, { label: "Questions", href: `${t}/questions` }]}
    >
      <h1>Vous avez des questions sur la démarche ?</h1>
      <ErrorSummary errors={errors} labels={FORM_LABELS} />
      {p.problem ? (
        <div class="notice notice-warning" role="alert">
          <p>{p.problem}</p>
        </div>
      ) : null}
      <p class="lead">
        Le service de développement économique vous répond par courriel. Entreprises, salariés, habitants : toute question sur le programme {p.territory.name} est la
        bienvenue.
      </p>
      {p.faqCount ? (
        <p>
          Avant d'écrire, consultez peut-être les <a href={`${t}/faq`}>{plural(p.faqCount, "réponse déjà publiée", "réponses déjà publiées")}</a>.
        </p>
      ) : null}
      <Form action={`${t}/questions`} csrfToken={p.csrfToken}>
        <input type="hidden" name="debut" value={String(p.startedAt)} />
        <TextField name="name" label="Votre nom" required autocomplete="name" errors={errors} values={p.values} maxLength={120} />
        <TextField name="email" label="Votre adresse électronique" hint="La réponse vous sera envoyée à cette adresse." type="email" required autocomplete="email" errors={errors} values={p.values} maxLength={254} />
        <TextField name="companyName" label="Votre entreprise" autocomplete="organization" errors={errors} values={p.values} maxLength={200} />
        <TextField name="subject" label="Objet de votre question" required errors={errors} values={p.values} maxLength={200} />
        <SelectField name="themeId" label="Thématique" options={p.themes.map((x) => ({ value: String(x.id), label: themeName(x) }))} placeholder="Je ne sais pas" errors={errors} values={p.values} />
        <TextArea name="body" label="Votre message" required rows={8} errors={errors} values={p.values} />
        <div class="question-trap" aria-hidden="true">
          <label for="champ-site">Ne remplissez pas ce champ : il sert à repérer les envois automatiques.</label>
          <input type="text" id="champ-site" name="site" tabIndex={-1} autocomplete="off" value="" />
        </div>
        <div class="notice notice-info">
          <p>
            <strong>Vos données personnelles.</strong> Votre nom, votre adresse électronique et votre entreprise servent uniquement à vous répondre ; seuls les agents du
            territoire les lisent. Ils sont effacés trois ans après la réponse (ou après l'envoi, sans réponse). Si votre question intéresse d'autres personnes, elle pourra être publiée dans la
            foire aux questions, reformulée et sans rien qui permette de vous reconnaître. Vous pouvez demander l'accès à vos données ou leur effacement :{" "}
            <a href={`${t}/donnees-personnelles`}>en savoir plus</a>.
          </p>
        </div>
        <CheckboxField name="consent" label="J'ai lu ces informations et j'accepte que mes données servent à me répondre." errors={errors} values={p.values} />
        <div class="form-actions" id="champ-envoi">
          <button type="submit" class="button">
            Envoyer ma question
          </button>
        </div>
      </Form>
    </Layout>
  );
}

/** The public FAQ: the reworded questions and their answers, by theme; never who asked. */
export function FaqPage(p: { actor: Actor; territory: TerritoryRow; entries: FaqEntry[] }) {
  const t = `/t/${p.territory.slug}`;
  const groups: { title: string; entries: FaqEntry[] }[] = [];
  for (const e of p.entries) {
    const title = e.themeTitle ? themeName({ code: e.themeCode ?? "", title: e.themeTitle }) : "Questions générales";
    const g = groups.find((x) => x.title === title);
    if (g) g.entries.push(e);
    else groups.push({ title, entries: [e] });
  }
  return (
    <Layout title="Questions fréquentes" actor={p.actor} territory={p.territory} breadcrumbs={[{ label: p.territory.name, href: t }, { label: "Questions fréquentes", href: `${t}/faq` }]}>
      <h1>Questions fréquentes</h1>
      <p class="lead">Les réponses du service de développement économique aux questions qui intéressent le plus de monde.</p>
      <p>
        <a class="button" href={`${t}/questions`}>
          Poser une question
        </a>
      </p>
      {groups.length ? (
        groups.map((g, i) => (
          <section aria-labelledby={`faq-groupe-${i}`} class="faq-group">
            <h2 id={`faq-groupe-${i}`}>{g.title}</h2>
            {g.entries.map((e) => (
              <article class="faq-entry" id={`question-${e.id}`}>
                <h3>{e.question}</h3>
                <Paragraphs text={e.answer} />
                <p class="hint">Publiée le {formatDate(e.publishedAt)}</p>
              </article>
            ))}
          </section>
        ))
      ) : (
        <EmptyState>Aucune question n'a encore été publiée. Posez la vôtre : le service vous répondra par courriel.</EmptyState>
      )}
    </Layout>
  );
}

const inbox = (t: TerritoryRow) => `/t/${t.slug}/gestion/questions`;

/** The service's inbox. */
export function InboxPage(p: { actor: Actor; territory: TerritoryRow; items: InboxItem[]; status?: QuestionState; counts: Record<QuestionState, number>; flash?: string }) {
  return (
    <BackOfficeLayout actor={p.actor} territory={p.territory} title="Questions reçues" section="/questions" flash={p.flash} crumbs={[{ label: "Questions", href: inbox(p.territory) }]}>
      <h1>Questions reçues</h1>
      <p class="lead">
        {QUESTION_STATES.map((s) => `${QUESTION_STATE_LABELS[s]} : ${p.counts[s]}`).join(" · ")} ·{" "}
        <a href={`/t/${p.territory.slug}/faq`}>voir la FAQ publique</a>
      </p>
      <StateFilter action={inbox(p.territory)} id="filtres-questions" states={QUESTION_STATES} labels={QUESTION_STATE_LABELS} current={p.status} />
      {p.items.length ? (
        <div class="table-scroll">
          <table class="table manage-table">
            <caption class="visually-hidden">Questions reçues{p.status ? ` : ${QUESTION_STATE_LABELS[p.status]}` : ""}</caption>
            <thead>
              <tr>
                <th scope="col">Reçue le</th>
                <th scope="col">Objet</th>
                <th scope="col">De</th>
                <th scope="col">État</th>
                <th scope="col">Attribuée à</th>
              </tr>
            </thead>
            <tbody>
              {p.items.map((q) => (
                <tr>
                  <td>{formatDateTime(q.createdAt)}</td>
                  <td>
                    <a href={`${inbox(p.territory)}/${q.id}`}>{q.subject}</a>
                    {q.themeTitle ? <span class="hint"> – {q.themeTitle}</span> : null}
                    {q.inFaq ? <span class="badge badge-info">Dans la FAQ</span> : null}
                  </td>
                  <td>
                    {q.name}
                    {q.companyName ? <span class="hint"> ({q.companyName})</span> : null}
                  </td>
                  <td>
                    <QuestionStateBadge status={q.status} />
                  </td>
                  <td>{q.assigneeName ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <EmptyState>{p.status ? "Aucune question dans cet état." : "Aucune question reçue pour l'instant."}</EmptyState>
      )}
    </BackOfficeLayout>
  );
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadQuestion>>>;

/** One question of the inbox: assignment, answer, FAQ publication, closing, history. */
export function QuestionManagePage(p: {
  actor: Actor;
  territory: TerritoryRow;
  csrfToken: string;
  flash?: string;
  q: Loaded;
  staff: { id: number; name: string }[];
  history: AuditRow[];
  errors?: FieldErrors;
  values?: FormValues;
  problem?: string;
}) {
  const q = p.q.row;
  const b = `${inbox(p.territory)}/${q.id}`;
  const errors = p.errors ?? {};
  const closed = q.status === "closed";
  return (
    <BackOfficeLayout
      actor={p.actor}
      territory={p.territory}
      title={`Question : ${q.subject}`}
      section="/questions"
      currentPath={b}
      flash={p.flash}
      csrfToken={p.csrfToken}
      hasErrors={Object.keys(errors).length > 0 || Boolean(p.problem)}
      crumbs={[
        { label: "Questions", href: inbox(p.territory) },
        { label: q.subject, href: b },
      ]}
    >
      <p class="kicker">Question n° {q.id}</p>
      <h1>{q.subject}</h1>
      <ErrorSummary errors={errors} labels={{ assigneeId: "Attribution", answer: "Réponse", faqQuestion: "Question publiée" }} />
      {p.problem ? (
        <div class="notice notice-warning" role="alert">
          <p>{p.problem}</p>
        </div>
      ) : null}
      <p class="action-meta">
        <QuestionStateBadge status={q.status} /> · reçue le {formatDateTime(q.createdAt)}
        {p.q.theme ? ` · ${themeName(p.q.theme)}` : ""}
        {p.q.assigneeName ? ` · attribuée à ${p.q.assigneeName}` : ""}
      </p>
      <dl class="facts">
        <dt>De</dt>
        <dd>
          {q.name} – <a href={`mailto:${q.email}`}>{q.email}</a>
          {q.companyName ? ` – ${q.companyName}` : ""}
        </dd>
      </dl>
      <section aria-labelledby="message">
        <h2 id="message">Message</h2>
        <Paragraphs text={q.body} />
      </section>

      {!closed ? (
        <section aria-labelledby="attribution">
          <h2 id="attribution">Attribution</h2>
          <Form action={`${b}/attribution`} csrfToken={p.csrfToken}>
            <SelectField
              name="assigneeId"
              label="Agent chargé de répondre"
              options={p.staff.map((s) => ({ value: String(s.id), label: s.name }))}
              placeholder="Choisissez un agent"
              required
              errors={errors}
              values={{ assigneeId: q.assigneeId ? String(q.assigneeId) : "", ...(p.values ?? {}) }}
            />
            <div class="form-actions">
              <button type="submit" class="button button-secondary">
                Attribuer
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="reponse">
        <h2 id="reponse">Réponse</h2>
        {q.answer ? (
          <>
            <p class="hint">
              Envoyée le {formatDateTime(q.answeredAt)}
              {p.q.answeredByName ? ` par ${p.q.answeredByName}` : ""} à {q.email}.
            </p>
            <Paragraphs text={q.answer} />
          </>
        ) : closed ? (
          <p>Question close sans réponse.</p>
        ) : (
          <Form action={`${b}/reponse`} csrfToken={p.csrfToken}>
            <TextArea
              name="answer"
              label="Votre réponse"
              hint={`Elle est envoyée par courriel à ${q.email}, précédée de « Bonjour ${q.name}, ». Écrivez-la sans formule de politesse ni nom, pour pouvoir la publier dans la FAQ.`}
              required
              rows={10}
              errors={errors}
              values={p.values}
            />
            <div class="form-actions">
              <button type="submit" class="button">
                Envoyer la réponse
              </button>
            </div>
          </Form>
        )}
      </section>

      {q.answer ? (
        <section aria-labelledby="faq">
          <h2 id="faq">Foire aux questions</h2>
          {q.faqPublishedAt ? (
            <p>
              Publiée dans la <a href={`/t/${p.territory.slug}/faq#question-${q.id}`}>FAQ</a> depuis le {formatDate(q.faqPublishedAt)}.
            </p>
          ) : (
            <p>La question n'est pas publiée. Reformulez-la pour qu'on ne puisse pas reconnaître la personne : seule cette formulation et la réponse seront publiques.</p>
          )}
          <Form action={`${b}/faq`} csrfToken={p.csrfToken}>
            <TextArea
              name="faqQuestion"
              label="Question telle qu'elle sera publiée"
              hint="Sans nom, adresse ni entreprise."
              required
              rows={3}
              errors={errors}
              values={{ faqQuestion: q.faqQuestion ?? q.subject, ...(p.values ?? {}) }}
            />
            <div class="form-actions">
              <button type="submit" class="button button-secondary">
                {q.faqPublishedAt ? "Mettre à jour la FAQ" : "Publier dans la FAQ"}
              </button>
            </div>
          </Form>
          {q.faqPublishedAt ? <ActionButton action={`${b}/faq/retrait`} csrfToken={p.csrfToken} label="Retirer de la FAQ" variant="danger" /> : null}
        </section>
      ) : null}

      {!closed ? (
        <section aria-labelledby="cloture">
          <h2 id="cloture">Clôture</h2>
          <p>Close une question traitée, ou restée sans suite (envoi abusif, hors sujet).</p>
          <ActionButton action={`${b}/cloture`} csrfToken={p.csrfToken} label="Clore la question" />
        </section>
      ) : null}
      <RecordHistory rows={p.history} />
    </BackOfficeLayout>
  );
}
