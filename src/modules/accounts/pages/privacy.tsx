import type { Actor } from "../../../core/authz/index.ts";
import type { FieldErrors, FormValues } from "../../../core/forms/index.ts";
import { CheckboxField, ErrorSummary, Form, TextField } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";

const hasErr = (e?: FieldErrors) => Boolean(e && Object.keys(e).length);

export function CloseAccountPage(p: { actor: Actor; csrfToken: string; errors?: FieldErrors; values?: FormValues }) {
  return (
    <Layout title="Fermer mon compte" actor={p.actor} hasErrors={hasErr(p.errors)} breadcrumbs={[{ label: "Mon compte", href: "/compte" }, { label: "Fermer mon compte", href: "" }]}>
      <div class="narrow">
        <h1>Fermer mon compte</h1>
        <p>Fermer votre compte :</p>
        <ul>
          <li>remplace votre nom et votre adresse électronique par un pseudonyme (« Compte supprimé n° … ») ;</li>
          <li>supprime vos rôles dans les territoires, vos accès de financeur et toutes vos sessions ;</li>
          <li>conserve l'historique des modifications que vous avez faites, sous ce pseudonyme, comme l'exige le suivi des décisions publiques.</li>
        </ul>
        <p>
          Avant de fermer votre compte, vous pouvez <a href="/compte/donnees.json">télécharger vos données</a>. Cette opération est définitive.
        </p>
        {p.errors ? <ErrorSummary errors={p.errors} /> : null}
        <Form action="/compte/fermer" csrfToken={p.csrfToken}>
          <TextField name="email" label="Recopiez votre adresse électronique pour confirmer" type="email" autocomplete="off" required errors={p.errors} values={p.values} />
          <CheckboxField name="confirm" label="Je comprends que la fermeture de mon compte est définitive." required errors={p.errors} values={p.values} />
          <button type="submit" class="button button-danger">
            Fermer définitivement mon compte
          </button>
        </Form>
      </div>
    </Layout>
  );
}

export function PlatformSettingsPage(p: { actor: Actor; csrfToken: string; errors?: FieldErrors; values?: FormValues }) {
  return (
    <Layout title="Paramètres de la plateforme" actor={p.actor} hasErrors={hasErr(p.errors)} breadcrumbs={[{ label: "Gestion", href: "/gestion" }, { label: "Paramètres", href: "" }]}>
      <h1>Paramètres de la plateforme</h1>
      <h2>Conservation des comptes inactifs</h2>
      <p>
        Les comptes sans connexion depuis cette durée sont fermés automatiquement (pseudonymisés), une fois par jour. Les administrateurs de la plateforme ne sont
        jamais concernés. Laissez vide pour conserver les comptes.
      </p>
      {p.errors ? <ErrorSummary errors={p.errors} /> : null}
      <Form action="/gestion/parametres" csrfToken={p.csrfToken}>
        <TextField name="inactiveMonths" label="Durée de conservation (en mois)" inputmode="numeric" errors={p.errors} values={p.values} hint="Entre 6 et 120 mois. La CNIL recommande de ne pas conserver indéfiniment les comptes inactifs." />
        <div class="form-actions">
          <button type="submit" class="button">
            Enregistrer
          </button>
        </div>
      </Form>
      <Form action="/gestion/parametres/retention" csrfToken={p.csrfToken}>
        <button type="submit" class="button button-secondary">
          Appliquer la règle maintenant
        </button>
      </Form>
    </Layout>
  );
}
