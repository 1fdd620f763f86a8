import type { Actor } from "../../../core/authz/index.ts";
import type { FieldErrors, FormValues } from "../../../core/forms/index.ts";
import { ActionButton, EmptyState, ErrorSummary, Form, TextField } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import { formatDateTime } from "../../../core/i18n/format.ts";
import type { OutboxEntry } from "../../../core/mail/index.ts";

const hasErr = (e?: FieldErrors) => Boolean(e && Object.keys(e).length);

export function ForgotPasswordPage(p: { actor: Actor; csrfToken: string; errors?: FieldErrors; values?: FormValues; sent?: boolean }) {
  return (
    <Layout title="Mot de passe oublié" actor={p.actor} hasErrors={hasErr(p.errors)} breadcrumbs={[{ label: "Se connecter", href: "/connexion" }, { label: "Mot de passe oublié", href: "" }]}>
      <div class="narrow">
        <h1>Mot de passe oublié</h1>
        {p.sent ? (
          <div class="notice notice-success" role="status">
            <p>
              Si un compte existe pour cette adresse, un message vient de lui être envoyé avec un lien pour choisir un nouveau mot de passe. Le lien est valable 30
              minutes et ne sert qu'une fois.
            </p>
          </div>
        ) : (
          <p>Indiquez l'adresse électronique de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.</p>
        )}
        {p.errors ? <ErrorSummary errors={p.errors} /> : null}
        <Form action="/mot-de-passe-oublie" csrfToken={p.csrfToken}>
          <TextField name="email" label="Adresse électronique" type="email" autocomplete="username" required errors={p.errors} values={p.values} />
          <button type="submit" class="button">
            Recevoir le lien
          </button>
        </Form>
      </div>
    </Layout>
  );
}

export function ResetPasswordPage(p: { actor: Actor; csrfToken: string; token: string; errors?: FieldErrors }) {
  return (
    <Layout title="Choisir un nouveau mot de passe" actor={p.actor} hasErrors={hasErr(p.errors)}>
      <div class="narrow">
        <h1>Choisir un nouveau mot de passe</h1>
        <p>Après ce changement, toutes vos sessions ouvertes seront fermées.</p>
        {p.errors ? <ErrorSummary errors={p.errors} /> : null}
        <Form action={`/mot-de-passe/${p.token}`} csrfToken={p.csrfToken}>
          <TextField name="password" label="Nouveau mot de passe" type="password" autocomplete="new-password" required errors={p.errors} hint="12 caractères au moins." />
          <TextField name="confirm" label="Confirmation du mot de passe" type="password" autocomplete="new-password" required errors={p.errors} />
          <button type="submit" class="button">
            Enregistrer le mot de passe
          </button>
        </Form>
      </div>
    </Layout>
  );
}

export interface SessionView {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  userAgent: string | null;
  current: boolean;
}

export function AccountPage(p: { actor: Actor; csrfToken: string; sessions: SessionView[]; email: string; displayName: string }) {
  return (
    <Layout title="Mon compte" actor={p.actor} breadcrumbs={[{ label: "Gestion", href: "/gestion" }, { label: "Mon compte", href: "" }]}>
      <h1>Mon compte</h1>
      <dl class="facts">
        <dt>Nom</dt>
        <dd>{p.displayName}</dd>
        <dt>Adresse électronique</dt>
        <dd>{p.email}</dd>
      </dl>
      <h2>Sessions ouvertes</h2>
      <p>Chaque navigateur où vous êtes connecté. Fermez celles que vous ne reconnaissez pas.</p>
      {p.sessions.length ? (
        <table class="table">
          <caption class="visually-hidden">Sessions ouvertes</caption>
          <thead>
            <tr>
              <th scope="col">Navigateur</th>
              <th scope="col">Ouverte le</th>
              <th scope="col">Dernière activité</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {p.sessions.map((s) => (
              <tr>
                <td>
                  {s.userAgent ?? "Navigateur inconnu"}
                  {s.current ? <strong> (cette session)</strong> : null}
                </td>
                <td>{formatDateTime(s.createdAt)}</td>
                <td>{formatDateTime(s.lastSeenAt)}</td>
                <td>
                  <ActionButton action={`/compte/sessions/${s.id}/fermer`} csrfToken={p.csrfToken} label="Fermer" accessibleLabel={`Fermer la session ouverte le ${formatDateTime(s.createdAt)}`} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <EmptyState>Aucune session ouverte.</EmptyState>
      )}
      <ActionButton action="/compte/sessions/fermer-tout" csrfToken={p.csrfToken} label="Se déconnecter partout" variant="danger" />
      <h2>Vos courriels</h2>
      <ul>
        <li>
          <a href="/compte/resume-hebdomadaire">Résumé hebdomadaire des actions que vous pilotez</a>
        </li>
      </ul>
      <h2>Vos données personnelles</h2>
      <ul>
        <li>
          <a href="/compte/donnees.json">Télécharger mes données (JSON)</a>
        </li>
        <li>
          <a href="/compte/fermer">Fermer mon compte</a>
        </li>
      </ul>
    </Layout>
  );
}

export function OutboxPage(p: { actor: Actor; messages: OutboxEntry[] }) {
  return (
    <Layout title="Courriels envoyés (développement)" actor={p.actor}>
      <h1>Courriels envoyés</h1>
      <p>
        Aucun serveur SMTP n'est configuré (variable SMTP_URL) : les courriels sont écrits dans le dossier outbox du répertoire de données et listés ici. Cette
        page n'existe pas en production.
      </p>
      {p.messages.length ? (
        p.messages.map((m) => (
          <article class="card">
            <h2 class="h4">{m.subject}</h2>
            <p class="hint">
              À {m.to} — {formatDateTime(new Date(m.date))}
            </p>
            <pre class="mail-text">{m.text}</pre>
          </article>
        ))
      ) : (
        <EmptyState>Aucun courriel envoyé pour l'instant.</EmptyState>
      )}
    </Layout>
  );
}
