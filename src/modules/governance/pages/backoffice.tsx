import type { Actor } from "../../../core/authz/index.ts";
import type { FieldErrors, FormValues } from "../../../core/forms/index.ts";
import { ActionButton, CheckboxField, EmptyState, ErrorSummary, fieldId, Form, SelectField, TextArea, TextField } from "../../../core/ui/components.tsx";
import { BackOfficeLayout } from "../../../core/ui/backoffice-layout.tsx";
import { parisDateAndTime } from "../../../core/formats/ics.ts";
import { AGENDA_KIND_LABELS, ATTENDANCE_LABELS, BODY_KIND_LABELS, BODY_KINDS, frenchDate, MEETING_STATUS_LABELS, meetingWhen, SIDES, STATUS_TEXT } from "../model.ts";
import type { AgendaSuggestion, BodyWithMembers } from "../data.ts";
import type { agendaItems, amendmentChanges, amendments, decisions, meetingInvitees, meetings } from "../schema.ts";
import type { governanceBodies, governanceMembers } from "../../territories/api.ts";
import { RecordHistory, type AuditRow } from "../../audit/api.ts";

type Territory = { id: number; slug: string; name: string; kind: string };
export interface Shell {
  actor: Actor;
  territory: Territory;
  csrfToken: string;
  flash?: string;
}
type Meeting = typeof meetings.$inferSelect;
type Decision = typeof decisions.$inferSelect;
type Option = { value: string; label: string };

const SECTION = "/gouvernance";
export const gbase = (t: { slug: string }) => `/t/${t.slug}/gestion/gouvernance`;
const hidden = (s: string) => <span class="visually-hidden"> {s}</span>;

function Frame(p: Shell & { title: string; crumbs?: { label: string; href: string }[]; errors?: FieldErrors; children: preact.ComponentChildren }) {
  return (
    <BackOfficeLayout
      actor={p.actor}
      territory={p.territory}
      title={p.title}
      section={SECTION}
      csrfToken={p.csrfToken}
      flash={p.flash}
      hasErrors={!!p.errors && Object.keys(p.errors).length > 0}
      crumbs={[{ label: p.territory.name, href: `/t/${p.territory.slug}/gestion` }, { label: "Gouvernance", href: gbase(p.territory) }, ...(p.crumbs ?? []), { label: p.title, href: "" }]}
    >
      {p.children}
    </BackOfficeLayout>
  );
}

// ----- home -----

export function GovernanceHomePage(
  p: Shell & {
    bodies: BodyWithMembers[];
    meetings: { meeting: Meeting; bodyName: string }[];
    decisions: { decision: Decision; meetingTitle: string | null }[];
    versions: number;
  },
) {
  const b = gbase(p.territory);
  return (
    <BackOfficeLayout actor={p.actor} territory={p.territory} title="Gouvernance" section={SECTION} csrfToken={p.csrfToken} flash={p.flash} crumbs={[{ label: p.territory.name, href: `/t/${p.territory.slug}/gestion` }, { label: "Gouvernance", href: "" }]}>
      <h1>Gouvernance</h1>
      <p>Instances et leurs membres, réunions (ordre du jour, invitations, compte rendu), décisions et avenants au plan d'actions.</p>
      <section aria-labelledby="instances">
        <h2 id="instances">Instances</h2>
        {p.bodies.length ? (
          <table class="table manage-table">
            <caption class="visually-hidden">Instances de gouvernance du territoire</caption>
            <thead>
              <tr>
                <th scope="col">Instance</th>
                <th scope="col">Type</th>
                <th scope="col">Membres nommés</th>
              </tr>
            </thead>
            <tbody>
              {p.bodies.map((x) => (
                <tr>
                  <td>
                    <a href={`${b}/instances/${x.id}`}>{x.name}</a>
                  </td>
                  <td>{BODY_KIND_LABELS[x.kind]}</td>
                  <td>{x.members.length ? x.members.length : x.composition ? `Composition : ${x.composition}` : "Aucun"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <EmptyState>Aucune instance n'est encore enregistrée.</EmptyState>
        )}
        <p>
          <a class="button button-secondary" href={`${b}/instances/nouvelle`}>
            Ajouter une instance
          </a>
        </p>
      </section>
      <section aria-labelledby="reunions">
        <h2 id="reunions">Réunions</h2>
        {p.meetings.length ? (
          <table class="table manage-table">
            <caption class="visually-hidden">Réunions des instances, de la plus récente à la plus ancienne</caption>
            <thead>
              <tr>
                <th scope="col">Réunion</th>
                <th scope="col">Instance</th>
                <th scope="col">Date</th>
                <th scope="col">État</th>
              </tr>
            </thead>
            <tbody>
              {p.meetings.map((m) => (
                <tr>
                  <td>
                    <a href={`${b}/reunions/${m.meeting.id}`}>{m.meeting.title}</a>
                  </td>
                  <td>{m.bodyName}</td>
                  <td>{meetingWhen(m.meeting.startsAt, m.meeting.endsAt)}</td>
                  <td>
                    <span class="badge">{MEETING_STATUS_LABELS[m.meeting.status]}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <EmptyState>Aucune réunion n'est encore programmée.</EmptyState>
        )}
        <p>
          <a class="button" href={`${b}/reunions/nouvelle`}>
            Programmer une réunion
          </a>
        </p>
      </section>
      <section aria-labelledby="decisions">
        <h2 id="decisions">Décisions</h2>
        {p.decisions.length ? (
          <ul>
            {p.decisions.map((d) => (
              <li>
                <a href={`${b}/decisions/${d.decision.id}`}>
                  Décision n° {d.decision.number} du {frenchDate(d.decision.decidedOn)} : {d.decision.title}
                </a>
                {d.meetingTitle ? ` (${d.meetingTitle})` : ""}
              </li>
            ))}
          </ul>
        ) : (
          <EmptyState>Aucune décision n'est encore enregistrée : elles s'enregistrent depuis la page d'une réunion.</EmptyState>
        )}
      </section>
      <section aria-labelledby="versions">
        <h2 id="versions">Versions du plan</h2>
        <p>
          {p.versions ? `${p.versions} version${p.versions > 1 ? "s" : ""} enregistrée${p.versions > 1 ? "s" : ""}. ` : "Aucune version enregistrée. "}
          <a href={`/t/${p.territory.slug}/plan/versions`}>Voir les versions du plan et les comparer</a>
        </p>
      </section>
    </BackOfficeLayout>
  );
}

// ----- bodies and members -----

const kindOptions: Option[] = BODY_KINDS.map((k) => ({ value: k, label: BODY_KIND_LABELS[k] }));
const sideOptions: Option[] = SIDES.map((s) => ({ value: s, label: s }));

export const BODY_LABELS = { kind: "Type", name: "Nom", composition: "Composition", role: "Rôle" };
export const MEMBER_LABELS = { memberName: "Nom", memberRole: "Fonction", side: "Collège", email: "Adresse électronique", userId: "Compte lié", isChair: "Co-président" };

export function BodyFormPage(
  p: Shell & {
    body?: typeof governanceBodies.$inferSelect;
    members: (typeof governanceMembers.$inferSelect)[];
    values: FormValues;
    errors?: FieldErrors;
    memberValues?: FormValues;
    memberErrors?: FieldErrors;
    accounts: Option[];
    history?: AuditRow[];
  },
) {
  const b = gbase(p.territory);
  const title = p.body ? `Instance : ${p.body.name}` : "Nouvelle instance";
  const allErrors = { ...(p.errors ?? {}), ...(p.memberErrors ?? {}) };
  return (
    <Frame {...p} title={title} errors={allErrors}>
      <h1>{title}</h1>
      <ErrorSummary errors={p.errors ?? {}} labels={BODY_LABELS} />
      <Form action={p.body ? `${b}/instances/${p.body.id}` : `${b}/instances/nouvelle`} csrfToken={p.csrfToken}>
        <SelectField name="kind" label="Type d'instance" options={kindOptions} values={p.values} errors={p.errors} required />
        <TextField name="name" label="Nom" values={p.values} errors={p.errors} required maxLength={200} />
        <TextArea name="composition" label="Composition" hint="Par exemple « 5 élus et 5 industriels », tel que le donne la source." values={p.values} errors={p.errors} rows={2} />
        <TextArea name="role" label="Rôle" values={p.values} errors={p.errors} rows={3} />
        <div class="form-actions">
          <button type="submit" class="button">
            Enregistrer l'instance
          </button>
          <a href={b}>Retour à la gouvernance</a>
        </div>
      </Form>
      {p.body ? (
        <>
          <section aria-labelledby="membres">
            <h2 id="membres">Membres</h2>
            {p.members.length ? (
              <table class="table manage-table">
                <caption class="visually-hidden">Membres de l'instance</caption>
                <thead>
                  <tr>
                    <th scope="col">Nom</th>
                    <th scope="col">Fonction</th>
                    <th scope="col">Collège</th>
                    <th scope="col">Courriel</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {p.members.map((m) => (
                    <tr>
                      <td>
                        {m.name}
                        {m.isChair ? (
                          <>
                            {" "}
                            <span class="badge badge-info">co-président</span>
                          </>
                        ) : null}
                      </td>
                      <td>{m.role ?? ""}</td>
                      <td>{m.side}</td>
                      <td>{m.email ?? "Non renseigné"}</td>
                      <td>
                        <div class="row-actions">
                          <a class="button button-secondary button-small" href={`${b}/membres/${m.id}`}>
                            Modifier{hidden(m.name)}
                          </a>
                          <ActionButton action={`${b}/membres/${m.id}/retirer`} csrfToken={p.csrfToken} label="Retirer" accessibleLabel={`Retirer ${m.name} de l'instance`} variant="danger" />
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <EmptyState>Aucun membre nommé.{p.body.composition ? ` Composition connue : ${p.body.composition}.` : ""}</EmptyState>
            )}
          </section>
          <section aria-labelledby="ajouter-membre">
            <h2 id="ajouter-membre">Ajouter un membre</h2>
            <ErrorSummary errors={p.memberErrors ?? {}} labels={MEMBER_LABELS} />
            <Form action={`${b}/instances/${p.body.id}/membres`} csrfToken={p.csrfToken}>
              <MemberFields values={p.memberValues ?? { side: "élu" }} errors={p.memberErrors} accounts={p.accounts} />
              <div class="form-actions">
                <button type="submit" class="button">
                  Ajouter le membre
                </button>
              </div>
            </Form>
          </section>
          <section aria-labelledby="supprimer-instance">
            <h2 id="supprimer-instance">Supprimer l'instance</h2>
            <p>Possible tant que l'instance n'a eu aucune réunion ; ses membres sont supprimés avec elle.</p>
            <ActionButton action={`${b}/instances/${p.body.id}/supprimer`} csrfToken={p.csrfToken} label="Supprimer l'instance" accessibleLabel={`Supprimer l'instance ${p.body.name}`} variant="danger" />
          </section>
          {p.history ? <RecordHistory rows={p.history} /> : null}
        </>
      ) : null}
    </Frame>
  );
}

function MemberFields(p: { values: FormValues; errors?: FieldErrors; accounts: Option[] }) {
  return (
    <>
      <TextField name="memberName" label="Nom" values={p.values} errors={p.errors} required maxLength={200} />
      <TextField name="memberRole" label="Fonction" hint="Par exemple « Président de Flers Agglo »." values={p.values} errors={p.errors} maxLength={300} />
      <SelectField name="side" label="Collège" options={sideOptions} values={p.values} errors={p.errors} required />
      <CheckboxField name="isChair" label="Co-préside l'instance" values={p.values} errors={p.errors} />
      <TextField name="email" label="Adresse électronique" type="email" autocomplete="off" hint="Pour recevoir les invitations aux réunions." values={p.values} errors={p.errors} maxLength={254} />
      <SelectField name="userId" label="Compte lié" options={p.accounts} placeholder="Aucun" values={p.values} errors={p.errors} />
    </>
  );
}

export function MemberFormPage(p: Shell & { body: { id: number; name: string }; member: { id: number; name: string }; values: FormValues; errors?: FieldErrors; accounts: Option[] }) {
  const b = gbase(p.territory);
  const title = `Membre : ${p.member.name}`;
  return (
    <Frame {...p} title={title} errors={p.errors} crumbs={[{ label: p.body.name, href: `${b}/instances/${p.body.id}` }]}>
      <h1>{title}</h1>
      <ErrorSummary errors={p.errors ?? {}} labels={MEMBER_LABELS} />
      <Form action={`${b}/membres/${p.member.id}`} csrfToken={p.csrfToken}>
        <MemberFields values={p.values} errors={p.errors} accounts={p.accounts} />
        <div class="form-actions">
          <button type="submit" class="button">
            Enregistrer
          </button>
          <a href={`${b}/instances/${p.body.id}`}>Retour à l'instance</a>
        </div>
      </Form>
    </Frame>
  );
}

// ----- meetings -----

export const MEETING_LABELS = { bodyId: "Instance", title: "Intitulé", date: "Date", start: "Début", end: "Fin", place: "Lieu", videoUrl: "Lien de visioconférence", extraEmails: "Autres invités" };

function MeetingFields(p: { values: FormValues; errors?: FieldErrors; bodies?: Option[] }) {
  return (
    <>
      {p.bodies ? <SelectField name="bodyId" label="Instance" options={p.bodies} placeholder="Choisir une instance" values={p.values} errors={p.errors} required /> : null}
      <TextField name="title" label="Intitulé" values={p.values} errors={p.errors} required maxLength={200} />
      <TextField name="date" label="Date" type="date" hint="Heure de Paris." values={p.values} errors={p.errors} required />
      <TextField name="start" label="Début" type="time" hint="Par exemple 14:00." values={p.values} errors={p.errors} required />
      <TextField name="end" label="Fin" type="time" hint="Par exemple 16:00." values={p.values} errors={p.errors} required />
      <TextField name="place" label="Lieu" values={p.values} errors={p.errors} maxLength={300} />
      <TextField name="videoUrl" label="Lien de visioconférence" type="url" hint="Adresse commençant par https://" values={p.values} errors={p.errors} maxLength={500} />
    </>
  );
}

export function MeetingNewPage(p: Shell & { bodies: Option[]; values: FormValues; errors?: FieldErrors }) {
  const b = gbase(p.territory);
  return (
    <Frame {...p} title="Programmer une réunion" errors={p.errors}>
      <h1>Programmer une réunion</h1>
      {p.bodies.length ? (
        <>
          <ErrorSummary errors={p.errors ?? {}} labels={MEETING_LABELS} />
          <Form action={`${b}/reunions/nouvelle`} csrfToken={p.csrfToken}>
            <MeetingFields values={p.values} errors={p.errors} bodies={p.bodies} />
            <TextArea
              name="extraEmails"
              label="Autres invités"
              hint="Les membres de l'instance qui ont une adresse sont invités ; ajoutez d'autres adresses, séparées par des virgules ou des retours à la ligne."
              values={p.values}
              errors={p.errors}
              rows={3}
            />
            <div class="form-actions">
              <button type="submit" class="button">
                Programmer la réunion
              </button>
              <a href={b}>Annuler</a>
            </div>
          </Form>
        </>
      ) : (
        <EmptyState>
          Ajoutez d'abord une instance : <a href={`${b}/instances/nouvelle`}>nouvelle instance</a>.
        </EmptyState>
      )}
    </Frame>
  );
}

export function meetingValues(m: Meeting): FormValues {
  const s = parisDateAndTime(m.startsAt);
  const e = parisDateAndTime(m.endsAt);
  return { title: m.title, date: s.date, start: s.time, end: e.time, place: m.place ?? "", videoUrl: m.videoUrl ?? "" };
}

export interface MeetingPageData {
  meeting: Meeting;
  bodyName: string;
  agenda: (typeof agendaItems.$inferSelect)[];
  suggestions: AgendaSuggestion[];
  invitees: (typeof meetingInvitees.$inferSelect)[];
  decisions: Decision[];
  actions: Option[];
}

export const DECISION_LABELS = { decisionTitle: "Objet", decisionBody: "Texte", decidedOn: "Date", actionIds: "Actions concernées", freeTitle: "Autre point", minutes: "Compte rendu", inviteeEmail: "Adresse", inviteeName: "Nom" };

export function MeetingManagePage(
  p: Shell &
    MeetingPageData & {
      values: FormValues;
      errors?: FieldErrors;
      /** Which form the errors belong to. */
      errorForm?: "details" | "agenda" | "minutes" | "decision" | "invitee";
      history?: AuditRow[];
    },
) {
  const b = gbase(p.territory);
  const m = p.meeting;
  const url = `${b}/reunions/${m.id}`;
  const errs = (form: string) => (p.errorForm === form ? p.errors : undefined);
  const vals = (form: string, fallback: FormValues) => (p.errorForm === form ? p.values : fallback);
  const planned = m.status === "planned";
  const notInvited = p.invitees.filter((i) => i.email && !i.invitedAt).length;
  const invited = p.invitees.some((i) => i.invitedAt);
  const today = parisDateAndTime(m.startsAt).date;
  return (
    <Frame {...p} title={m.title} errors={p.errors}>
      <h1>{m.title}</h1>
      <dl class="facts">
        <dt>Instance</dt>
        <dd>{p.bodyName}</dd>
        <dt>Date</dt>
        <dd>{meetingWhen(m.startsAt, m.endsAt)}</dd>
        <dt>Lieu</dt>
        <dd>{m.place ?? "Non renseigné"}</dd>
        <dt>Visioconférence</dt>
        <dd>{m.videoUrl ? <a href={m.videoUrl}>{m.videoUrl}</a> : "Aucune"}</dd>
        <dt>État</dt>
        <dd>
          <span class="badge">{MEETING_STATUS_LABELS[m.status]}</span>
        </dd>
      </dl>
      <p class="row-actions">
        <a href={`/t/${p.territory.slug}/gouvernance/reunions/${m.id}`}>Page publique de la réunion</a>
        {" · "}
        <a href={`/t/${p.territory.slug}/gouvernance/reunions/${m.id}/invitation.ics`} download>
          Télécharger l'invitation (.ics)
        </a>
      </p>

      {planned ? (
        <section aria-labelledby="modifier">
          <h2 id="modifier">Date, lieu et intitulé</h2>
          <p>{invited ? "Les personnes déjà invitées recevront une invitation mise à jour." : "Aucune invitation n'est encore partie."}</p>
          <ErrorSummary errors={errs("details") ?? {}} labels={MEETING_LABELS} />
          <Form action={url} csrfToken={p.csrfToken}>
            <MeetingFields values={vals("details", meetingValues(m))} errors={errs("details")} />
            <div class="form-actions">
              <button type="submit" class="button">
                Enregistrer les modifications
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="ordre-du-jour">
        <h2 id="ordre-du-jour">Ordre du jour</h2>
        {p.agenda.length ? (
          <ol class="gov-agenda">
            {p.agenda.map((item, i) => (
              <li>
                <span class="kicker">{AGENDA_KIND_LABELS[item.kind]}</span>
                {item.title}
                {planned ? (
                  <div class="row-actions">
                    {i > 0 ? <ActionButton action={`${b}/points/${item.id}/monter`} csrfToken={p.csrfToken} label="Monter" accessibleLabel={`Monter le point ${i + 1}`} /> : null}
                    {i < p.agenda.length - 1 ? <ActionButton action={`${b}/points/${item.id}/descendre`} csrfToken={p.csrfToken} label="Descendre" accessibleLabel={`Descendre le point ${i + 1}`} /> : null}
                    <ActionButton action={`${b}/points/${item.id}/retirer`} csrfToken={p.csrfToken} label="Retirer" accessibleLabel={`Retirer le point ${i + 1}`} variant="danger" />
                  </div>
                ) : null}
              </li>
            ))}
          </ol>
        ) : (
          <EmptyState>L'ordre du jour est vide.</EmptyState>
        )}
        {planned ? (
          <>
            <h3>Compléter l'ordre du jour</h3>
            <ErrorSummary errors={errs("agenda") ?? {}} labels={DECISION_LABELS} />
            <Form action={`${url}/ordre-du-jour`} csrfToken={p.csrfToken}>
              {p.suggestions.length ? (
                <fieldset class="gov-suggestions">
                  <legend>Points proposés d'après le suivi (jalons en retard, changements de statut depuis la dernière réunion, propositions d'industriels, avenants en préparation)</legend>
                  {p.suggestions.map((s, i) => (
                    <div class="field field-checkbox">
                      <input id={`suggestion-${i}`} type="checkbox" name="suggestions" value={s.key} />
                      <label for={`suggestion-${i}`}>
                        <span class="kicker">{AGENDA_KIND_LABELS[s.kind]}</span>
                        {s.title}
                      </label>
                    </div>
                  ))}
                </fieldset>
              ) : (
                <EmptyState>Aucun point à proposer d'après le suivi : pas de jalon en retard, de changement de statut, de proposition ouverte ni d'avenant en préparation.</EmptyState>
              )}
              <TextField name="freeTitle" label="Autre point" values={vals("agenda", {})} errors={errs("agenda")} maxLength={300} />
              <div class="form-actions">
                <button type="submit" class="button">
                  Ajouter à l'ordre du jour
                </button>
              </div>
            </Form>
          </>
        ) : null}
      </section>

      <section aria-labelledby="invites">
        <h2 id="invites">Invités</h2>
        {p.invitees.length ? (
          <table class="table manage-table">
            <caption class="visually-hidden">Personnes invitées à la réunion</caption>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Courriel</th>
                <th scope="col">Invitation</th>
                <th scope="col">Présence</th>
              </tr>
            </thead>
            <tbody>
              {p.invitees.map((i) => (
                <tr>
                  <td>{i.name}</td>
                  <td>{i.email ?? "Pas d'adresse"}</td>
                  <td>{i.invitedAt ? "Envoyée" : i.email ? "À envoyer" : "Impossible sans adresse"}</td>
                  <td>{i.attendance ? ATTENDANCE_LABELS[i.attendance] : "Non renseignée"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <EmptyState>Personne n'est encore invité.</EmptyState>
        )}
        {planned ? (
          <>
            <h3>Inviter une autre personne</h3>
            <ErrorSummary errors={errs("invitee") ?? {}} labels={DECISION_LABELS} />
            <Form action={`${url}/invites`} csrfToken={p.csrfToken}>
              <TextField name="inviteeName" label="Nom" values={vals("invitee", {})} errors={errs("invitee")} required maxLength={200} />
              <TextField name="inviteeEmail" label="Adresse" type="email" autocomplete="off" values={vals("invitee", {})} errors={errs("invitee")} required maxLength={254} />
              <div class="form-actions">
                <button type="submit" class="button button-secondary">
                  Ajouter l'invité
                </button>
              </div>
            </Form>
            <div class="form-actions">
              <ActionButton
                action={`${url}/invitations`}
                csrfToken={p.csrfToken}
                label={notInvited ? `Envoyer les invitations (${notInvited})` : "Envoyer les invitations"}
                accessibleLabel="Envoyer les invitations par courriel avec le fichier .ics"
                variant="primary"
              />
              <ActionButton action={`${url}/annuler`} csrfToken={p.csrfToken} label="Annuler la réunion" accessibleLabel="Annuler la réunion et prévenir les invités" variant="danger" />
            </div>
          </>
        ) : null}
      </section>

      {m.status !== "cancelled" ? (
        <section aria-labelledby="compte-rendu">
          <h2 id="compte-rendu">Présences et compte rendu</h2>
          <ErrorSummary errors={errs("minutes") ?? {}} labels={DECISION_LABELS} />
          <Form action={`${url}/compte-rendu`} csrfToken={p.csrfToken}>
            {p.invitees.map((i) => (
              <fieldset class="gov-attendance">
                <legend>{i.name}</legend>
                {(["present", "excused", "absent"] as const).map((a) => (
                  <span class="gov-radio">
                    <input type="radio" id={`presence-${i.id}-${a}`} name={`presence-${i.id}`} value={a} checked={i.attendance === a} />
                    <label for={`presence-${i.id}-${a}`}>{ATTENDANCE_LABELS[a]}</label>
                  </span>
                ))}
              </fieldset>
            ))}
            <TextArea name="minutes" label="Compte rendu" hint="Lu par les membres des comités, les financeurs et l'équipe du territoire ; pas publié sur le portail." values={vals("minutes", { minutes: m.minutes ?? "" })} errors={errs("minutes")} rows={8} />
            <div class="form-actions">
              <button type="submit" class="button">
                {m.status === "held" ? "Enregistrer le compte rendu" : "Enregistrer : la réunion s'est tenue"}
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      {m.status !== "cancelled" ? (
        <section aria-labelledby="decisions-reunion">
          <h2 id="decisions-reunion">Décisions</h2>
          {p.decisions.length ? (
            <ul>
              {p.decisions.map((d) => (
                <li>
                  <a href={`${b}/decisions/${d.id}`}>
                    Décision n° {d.number} : {d.title}
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <EmptyState>Aucune décision enregistrée pour cette réunion.</EmptyState>
          )}
          <h3>Enregistrer une décision</h3>
          <ErrorSummary errors={errs("decision") ?? {}} labels={DECISION_LABELS} />
          <Form action={`${url}/decisions`} csrfToken={p.csrfToken}>
            <TextField name="decisionTitle" label="Objet" values={vals("decision", {})} errors={errs("decision")} required maxLength={300} />
            <TextArea name="decisionBody" label="Texte" values={vals("decision", {})} errors={errs("decision")} rows={4} />
            <TextField name="decidedOn" label="Date" type="date" values={vals("decision", { decidedOn: today })} errors={errs("decision")} required />
            <div class={`field${errs("decision")?.actionIds ? " field-error" : ""}`}>
              <label for={fieldId("actionIds")}>
                Actions concernées<span class="optional"> (facultatif)</span>
              </label>
              <p class="hint" id={`${fieldId("actionIds")}-aide`}>
                Maintenez Ctrl (ou Cmd) pour en choisir plusieurs. La décision sera affichée sur la fiche de ces actions.
              </p>
              {errs("decision")?.actionIds ? <p class="error-message">{errs("decision")!.actionIds}</p> : null}
              <select id={fieldId("actionIds")} name="actionIds" multiple size={8} aria-describedby={`${fieldId("actionIds")}-aide`}>
                {p.actions.map((a) => (
                  <option value={a.value} selected={[vals("decision", {}).actionIds ?? []].flat().includes(a.value)}>
                    {a.label}
                  </option>
                ))}
              </select>
            </div>
            <div class="form-actions">
              <button type="submit" class="button">
                Enregistrer la décision
              </button>
            </div>
          </Form>
        </section>
      ) : null}
      {p.history ? <RecordHistory rows={p.history} /> : null}
    </Frame>
  );
}

// ----- decisions and amendments -----

export const CHANGE_LABELS = {
  objectiveId: "Objectif",
  title: "Titre",
  description: "Description",
  leadAuthorityId: "Porteur",
  joint: "Partenariat",
  visibility: "Visibilité",
  actionId: "Action",
  status: "Statut",
  amendmentTitle: "Intitulé de l'avenant",
  changeActionId: "Action",
  changeTitle: "Nouveau titre",
  changeDescription: "Nouvelle description",
  changeObjectiveId: "Nouvel objectif",
  changeStatus: "Nouveau statut",
  changeLeadAuthorityId: "Nouveau porteur",
  changeJoint: "Partenariat ◆",
  withdrawActionId: "Action à retirer",
};

export function DecisionPage(
  p: Shell & {
    decision: Decision;
    meeting?: { id: number; title: string };
    linked: { actionId: number; number: number; title: string }[];
    amendment?: typeof amendments.$inferSelect;
    changes: (typeof amendmentChanges.$inferSelect)[];
    objectives: Option[];
    authorities: Option[];
    actions: Option[];
    actionLabels: Map<number, string>;
    values: FormValues;
    errors?: FieldErrors;
    errorForm?: "amendment" | "add" | "change" | "withdraw";
    problem?: string;
    history?: AuditRow[];
  },
) {
  const b = gbase(p.territory);
  const d = p.decision;
  const title = `Décision n° ${d.number}`;
  const errs = (form: string) => (p.errorForm === form ? p.errors : undefined);
  const vals = (form: string, fallback: FormValues = {}) => (p.errorForm === form ? p.values : fallback);
  const a = p.amendment;
  const draft = a?.status === "draft";
  const describe = (c: (typeof amendmentChanges.$inferSelect)) => {
    const payload = c.payload as Record<string, unknown>;
    if (c.kind === "add") return `Ajout de l'action « ${String(payload.title)} »${payload.visibility === "draft" ? " (brouillon)" : ""}`;
    const label = c.actionId ? (p.actionLabels.get(c.actionId) ?? `action ${c.actionId}`) : "action";
    if (c.kind === "withdraw") return `Retrait de ${label}`;
    const fields = Object.entries(payload)
      .map(([k, v]) => {
        const name = CHANGE_LABELS[k as keyof typeof CHANGE_LABELS] ?? k;
        if (k === "status") return `${name} : ${v ? (STATUS_TEXT[String(v)] ?? String(v)) : "non renseigné"}`;
        if (k === "joint") return `${name} : ${v ? "oui" : "non"}`;
        if (k === "objectiveId") return `${name} : ${p.objectives.find((o) => o.value === String(v))?.label ?? String(v)}`;
        if (k === "leadAuthorityId") return `${name} : ${v == null ? "aucun" : (p.authorities.find((o) => o.value === String(v))?.label ?? String(v))}`;
        return `${name} : « ${String(v ?? "")} »`;
      })
      .join(" ; ");
    return `Modification de ${label} – ${fields}`;
  };
  return (
    <Frame {...p} title={title} errors={p.errors ?? (p.problem ? { _form: p.problem } : undefined)} crumbs={p.meeting ? [{ label: p.meeting.title, href: `${b}/reunions/${p.meeting.id}` }] : []}>
      <h1>{title}</h1>
      {p.problem ? (
        <div class="error-summary" role="alert">
          <h2>Rien n'a été appliqué</h2>
          <p>{p.problem}</p>
        </div>
      ) : null}
      <dl class="facts">
        <dt>Objet</dt>
        <dd>{d.title}</dd>
        <dt>Date</dt>
        <dd>{frenchDate(d.decidedOn)}</dd>
        {p.meeting ? (
          <>
            <dt>Réunion</dt>
            <dd>
              <a href={`${b}/reunions/${p.meeting.id}`}>{p.meeting.title}</a>
            </dd>
          </>
        ) : null}
        {d.body ? (
          <>
            <dt>Texte</dt>
            <dd>{d.body}</dd>
          </>
        ) : null}
        <dt>Actions concernées</dt>
        <dd>{p.linked.length ? p.linked.map((l) => `Action ${l.number} – ${l.title}`).join(" ; ") : "Aucune"}</dd>
      </dl>

      <section aria-labelledby="avenant">
        <h2 id="avenant">{a ? `Avenant n° ${a.number} : ${a.title}` : "Avenant"}</h2>
        {!a ? (
          <>
            <p>Si la décision modifie le plan d'actions (ajout, modification ou retrait d'actions), préparez l'avenant qui la met en œuvre.</p>
            <ErrorSummary errors={errs("amendment") ?? {}} labels={CHANGE_LABELS} />
            <Form action={`${b}/decisions/${d.id}/avenant`} csrfToken={p.csrfToken}>
              <TextField name="amendmentTitle" label="Intitulé de l'avenant" values={vals("amendment", { amendmentTitle: d.title })} errors={errs("amendment")} required maxLength={300} />
              <div class="form-actions">
                <button type="submit" class="button">
                  Préparer l'avenant
                </button>
              </div>
            </Form>
          </>
        ) : (
          <>
            <p>
              <span class="badge">{draft ? "En préparation" : "Appliqué"}</span>
              {a.appliedAt ? ` le ${frenchDate(parisDateAndTime(a.appliedAt).date)}` : ""}
            </p>
            {p.changes.length ? (
              <ol>
                {p.changes.map((c) => (
                  <li>
                    {describe(c)}
                    {draft ? (
                      <>
                        {" "}
                        <ActionButton action={`${b}/changements/${c.id}/retirer`} csrfToken={p.csrfToken} label="Retirer" accessibleLabel={`Retirer le changement : ${describe(c)}`} variant="danger" />
                      </>
                    ) : null}
                  </li>
                ))}
              </ol>
            ) : (
              <EmptyState>L'avenant ne contient encore aucun changement.</EmptyState>
            )}
            {draft ? (
              <>
                <ActionButton action={`${b}/avenants/${a.id}/appliquer`} csrfToken={p.csrfToken} label="Appliquer l'avenant au plan" accessibleLabel="Appliquer l'avenant au plan : crée la version suivante du plan" variant="primary" />
                <h3 id="ajout">Ajouter une action</h3>
                <ErrorSummary errors={errs("add") ?? {}} labels={CHANGE_LABELS} />
                <Form action={`${b}/avenants/${a.id}/ajout`} csrfToken={p.csrfToken}>
                  <SelectField name="objectiveId" label="Objectif" options={p.objectives} placeholder="Choisir un objectif" values={vals("add")} errors={errs("add")} required />
                  <TextField name="title" label="Titre" values={vals("add")} errors={errs("add")} required maxLength={300} />
                  <TextArea name="description" label="Description" values={vals("add")} errors={errs("add")} rows={3} />
                  <SelectField name="leadAuthorityId" label="Porteur" options={p.authorities} placeholder="Aucun" values={vals("add")} errors={errs("add")} />
                  <CheckboxField name="joint" label="Action en partenariat ◆" values={vals("add")} errors={errs("add")} />
                  <SelectField
                    name="visibility"
                    label="Visibilité"
                    options={[
                      { value: "draft", label: "Brouillon (non publié)" },
                      { value: "published", label: "Publiée" },
                    ]}
                    values={vals("add", { visibility: "published" })}
                    errors={errs("add")}
                    required
                  />
                  <div class="form-actions">
                    <button type="submit" class="button button-secondary">
                      Ajouter ce changement
                    </button>
                  </div>
                </Form>
                <h3 id="modification">Modifier une action</h3>
                <p>Ne remplissez que ce qui change.</p>
                <ErrorSummary errors={errs("change") ?? {}} labels={CHANGE_LABELS} />
                <Form action={`${b}/avenants/${a.id}/modification`} csrfToken={p.csrfToken}>
                  <SelectField name="changeActionId" label="Action" options={p.actions} placeholder="Choisir une action" values={vals("change")} errors={errs("change")} required />
                  <TextField name="changeTitle" label="Nouveau titre" values={vals("change")} errors={errs("change")} maxLength={300} />
                  <TextArea name="changeDescription" label="Nouvelle description" values={vals("change")} errors={errs("change")} rows={3} />
                  <SelectField name="changeObjectiveId" label="Nouvel objectif" options={p.objectives} placeholder="Inchangé" values={vals("change")} errors={errs("change")} />
                  <SelectField
                    name="changeStatus"
                    label="Nouveau statut"
                    options={[...Object.entries(STATUS_TEXT).map(([value, label]) => ({ value, label })), { value: "aucun", label: "Non renseigné" }]}
                    placeholder="Inchangé"
                    values={vals("change")}
                    errors={errs("change")}
                  />
                  <SelectField name="changeLeadAuthorityId" label="Nouveau porteur" options={[...p.authorities, { value: "aucun", label: "Aucun porteur" }]} placeholder="Inchangé" values={vals("change")} errors={errs("change")} />
                  <SelectField
                    name="changeJoint"
                    label="Partenariat ◆"
                    options={[
                      { value: "oui", label: "Oui" },
                      { value: "non", label: "Non" },
                    ]}
                    placeholder="Inchangé"
                    values={vals("change")}
                    errors={errs("change")}
                  />
                  <div class="form-actions">
                    <button type="submit" class="button button-secondary">
                      Ajouter ce changement
                    </button>
                  </div>
                </Form>
                <h3 id="retrait">Retirer une action</h3>
                <p>L'action quitte le plan en vigueur ; elle reste dans les versions précédentes.</p>
                <ErrorSummary errors={errs("withdraw") ?? {}} labels={CHANGE_LABELS} />
                <Form action={`${b}/avenants/${a.id}/retrait`} csrfToken={p.csrfToken}>
                  <SelectField name="withdrawActionId" label="Action à retirer" options={p.actions} placeholder="Choisir une action" values={vals("withdraw")} errors={errs("withdraw")} required />
                  <div class="form-actions">
                    <button type="submit" class="button button-secondary">
                      Ajouter ce changement
                    </button>
                  </div>
                </Form>
              </>
            ) : (
              <p>
                <a href={`/t/${p.territory.slug}/plan/versions`}>Voir les versions du plan</a>
              </p>
            )}
          </>
        )}
      </section>
      {p.history ? <RecordHistory rows={p.history} /> : null}
    </Frame>
  );
}
