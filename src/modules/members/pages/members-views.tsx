import { BackOfficeLayout } from "../../../core/ui/backoffice-layout.tsx";
import type { ComponentChildren } from "preact";
import type { Actor } from "../../../core/authz/index.ts";
import { can } from "../../../core/authz/index.ts";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import type { FieldErrors, FormValues } from "../../../core/forms/index.ts";
import { ActionButton, EmptyState, ErrorSummary, Form, SelectField, TextField } from "../../../core/ui/components.tsx";
import { formatDate } from "../../../core/i18n/format.ts";
import { ROLE_LABELS, ROLES, STATUS_LABELS, INVITATION_DAYS } from "../model.ts";
import type { InvitationRow, MemberRow } from "../queries/members.ts";

export interface MembersPageProps {
  actor: Actor;
  territory: TerritoryRow;
  csrfToken: string;
  flash?: string;
  members: MemberRow[];
  invitations: InvitationRow[];
  authorities: { id: number; name: string }[];
  errors?: FieldErrors;
  values?: FormValues;
}

const hidden = (text: string) => <span class="visually-hidden"> {text}</span>;
const roleOptions = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

function Shell(p: { actor: Actor; territory: TerritoryRow; csrfToken: string; flash?: string; hasErrors?: boolean; children: ComponentChildren }) {
  return <BackOfficeLayout {...p} title="Membres" section="/membres" crumbs={[{ label: "Membres", href: `/t/${p.territory.slug}/gestion/membres` }]} />;
}

/** The members of a territory: roles, pending registrations, invitations; forms for those who may use them. */
export function MembersPage(p: MembersPageProps) {
  const base = `/t/${p.territory.slug}/gestion/membres`;
  const manage = can(p.actor, "members.member.manage", { territoryId: p.territory.id });
  const confirm = can(p.actor, "members.pending.confirm", { territoryId: p.territory.id });
  const active = p.members.filter((m) => m.status === "active");
  const pending = p.members.filter((m) => m.status === "pending");
  const errors = p.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  const authorityOptions = p.authorities.map((a) => ({ value: String(a.id), label: a.name }));
  return (
    <Shell {...p} hasErrors={hasErrors}>
      <h1>Membres du territoire</h1>
      <ErrorSummary errors={errors} />
      <p class="lead">
        {active.length === 0 ? "Aucun membre" : active.length === 1 ? "1 rôle attribué" : `${active.length} rôles attribués`}
        {pending.length ? `, ${pending.length} inscription${pending.length > 1 ? "s" : ""} en attente` : ""}.
      </p>

      <section aria-labelledby="en-attente">
        <h2 id="en-attente">Inscriptions en attente</h2>
        {pending.length ? (
          <>
            <p class="hint">Ces personnes se sont inscrites elles-mêmes : elles n'ont aucun droit tant qu'un agent ne les a pas confirmées.</p>
            <table class="table manage-table">
              <caption class="visually-hidden">Inscriptions en attente de confirmation</caption>
              <thead>
                <tr>
                  <th scope="col">Personne</th>
                  <th scope="col">Rôle demandé</th>
                  <th scope="col">Inscrite le</th>
                  <th scope="col">Décision</th>
                </tr>
              </thead>
              <tbody>
                {pending.map((m) => (
                  <tr id={`membre-${m.id}`}>
                    <td>
                      {m.displayName}
                      <br />
                      <span class="hint">{m.email}</span>
                      {m.siret ? <span class="hint"> – SIRET {m.siret}</span> : null}
                    </td>
                    <td>{ROLE_LABELS[m.role]}</td>
                    <td>{formatDate(m.since)}</td>
                    <td>
                      {confirm ? (
                        <div class="row-actions">
                          <ActionButton action={`${base}/${m.id}/confirmer`} csrfToken={p.csrfToken} label="Confirmer" accessibleLabel={`Confirmer l'inscription de ${m.displayName}`} variant="primary" />
                          <ActionButton action={`${base}/${m.id}/refuser`} csrfToken={p.csrfToken} label="Refuser" accessibleLabel={`Refuser l'inscription de ${m.displayName}`} variant="danger" />
                        </div>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <EmptyState>Aucune inscription n'attend de confirmation.</EmptyState>
        )}
      </section>

      <section aria-labelledby="roles">
        <h2 id="roles">Rôles attribués</h2>
        {active.length ? (
          <table class="table manage-table">
            <caption class="visually-hidden">Membres du territoire et leurs rôles</caption>
            <thead>
              <tr>
                <th scope="col">Personne</th>
                <th scope="col">Rôle</th>
                <th scope="col">Intercommunalité</th>
                <th scope="col">Statut</th>
                {manage ? <th scope="col">Modifier</th> : null}
              </tr>
            </thead>
            <tbody>
              {active.map((m) => {
                const roleField = `role-${m.id}`;
                const authField = `authority-${m.id}`;
                const values: FormValues = { [roleField]: p.values?.[roleField] ?? m.role, [authField]: p.values?.[authField] ?? (m.authorityId ? String(m.authorityId) : "") };
                return (
                  <tr id={`membre-${m.id}`}>
                    <td>
                      {m.displayName}
                      <br />
                      <span class="hint">{m.email}</span>
                    </td>
                    <td>{ROLE_LABELS[m.role]}</td>
                    <td>{m.role === "agent" ? (m.authorityName ?? "Tout le territoire") : "–"}</td>
                    <td>{STATUS_LABELS[m.status]}</td>
                    {manage ? (
                      <td>
                        <Form action={`${base}/${m.id}/modifier`} csrfToken={p.csrfToken}>
                          <SelectField name={roleField} label={`Rôle de ${m.displayName}`} options={roleOptions} values={values} errors={errors} required />
                          {p.authorities.length ? (
                            <SelectField
                              name={authField}
                              label="Limité à l'intercommunalité (agents)"
                              options={authorityOptions}
                              placeholder="Aucune : tout le territoire"
                              values={values}
                              errors={errors}
                            />
                          ) : null}
                          <button type="submit" class="button button-small">
                            Enregistrer{hidden(`le rôle de ${m.displayName}`)}
                          </button>
                        </Form>
                        <ActionButton action={`${base}/${m.id}/retirer`} csrfToken={p.csrfToken} label="Retirer ce rôle" accessibleLabel={`Retirer le rôle ${ROLE_LABELS[m.role]} de ${m.displayName}`} variant="danger" />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <EmptyState>Personne n'a encore de rôle dans ce territoire. {manage ? "Invitez une première personne ci-dessous." : ""}</EmptyState>
        )}
      </section>

      {manage ? (
        <>
          <section aria-labelledby="invitations">
            <h2 id="invitations">Invitations en cours</h2>
            {p.invitations.length ? (
              <table class="table manage-table">
                <caption class="visually-hidden">Invitations envoyées et pas encore acceptées</caption>
                <thead>
                  <tr>
                    <th scope="col">Adresse</th>
                    <th scope="col">Rôle</th>
                    <th scope="col">Valable jusqu'au</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {p.invitations.map((i) => (
                    <tr>
                      <td>{i.email}</td>
                      <td>
                        {ROLE_LABELS[i.role]}
                        {i.authorityId ? ` – ${p.authorities.find((a) => a.id === i.authorityId)?.name ?? ""}` : ""}
                      </td>
                      <td>{i.expired ? <span class="badge">Expirée le {formatDate(i.expiresAt)}</span> : formatDate(i.expiresAt)}</td>
                      <td>
                        <div class="row-actions">
                          <ActionButton action={`${base}/invitations/${i.id}/renvoyer`} csrfToken={p.csrfToken} label="Renvoyer" accessibleLabel={`Renvoyer l'invitation de ${i.email}`} />
                          <ActionButton action={`${base}/invitations/${i.id}/annuler`} csrfToken={p.csrfToken} label="Annuler" accessibleLabel={`Annuler l'invitation de ${i.email}`} variant="danger" />
                        </div>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <EmptyState>Aucune invitation en attente de réponse.</EmptyState>
            )}
          </section>

          <section aria-labelledby="inviter">
            <h2 id="inviter">Inviter une personne</h2>
            <p>
              La personne reçoit un lien par courriel, valable {INVITATION_DAYS} jours et une seule fois. Si elle a déjà un compte, elle se connecte pour accepter ;
              sinon elle crée son compte.
            </p>
            <Form action={`${base}/invitations`} csrfToken={p.csrfToken}>
              <TextField name="email" label="Adresse électronique" type="email" autocomplete="off" values={p.values} errors={errors} required />
              <SelectField name="role" label="Rôle" options={roleOptions} values={p.values ?? { role: "agent" }} errors={errors} required />
              {p.authorities.length ? (
                <SelectField
                  name="authorityId"
                  label="Intercommunalité de l'agent"
                  hint="Un agent limité à une intercommunalité ne modifie que ses actions (et les actions ◆ menées en partenariat). Sans effet pour les autres rôles."
                  options={authorityOptions}
                  placeholder="Aucune : tout le territoire"
                  values={p.values}
                  errors={errors}
                />
              ) : null}
              <p class="form-actions">
                <button type="submit" class="button">
                  Envoyer l'invitation
                </button>
              </p>
            </Form>
          </section>
        </>
      ) : null}
    </Shell>
  );
}

