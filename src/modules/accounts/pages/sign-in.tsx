import type { Actor } from "../../../core/authz/index.ts";
import type { FieldErrors, FormValues } from "../../../core/forms/index.ts";
import { ErrorSummary, Form, TextField } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";

export function SignInPage(props: { actor: Actor; csrfToken: string; errors?: FieldErrors; values?: FormValues; retour?: string; message?: string; oidcLabel?: string }) {
  const hasErrors = Boolean(props.errors && Object.keys(props.errors).length);
  const retourQuery = props.retour ? `?retour=${encodeURIComponent(props.retour)}` : "";
  return (
    <Layout title="Se connecter" actor={props.actor} hasErrors={hasErrors} csrfToken={props.csrfToken} currentPath="/connexion">
      <div class="narrow">
        <h1>Se connecter</h1>
        <p>L'espace de gestion est réservé aux équipes des territoires. Le site public reste consultable sans compte.</p>
        {props.errors ? <ErrorSummary errors={props.errors} /> : null}
        {props.message ? (
          <div class="notice notice-warning" role="alert">
            <p>{props.message}</p>
          </div>
        ) : null}
        <Form action="/connexion" csrfToken={props.csrfToken}>
          <input type="hidden" name="retour" value={props.retour ?? ""} />
          <TextField name="email" label="Adresse électronique" type="email" autocomplete="username" required errors={props.errors} values={props.values} hint="Par exemple : nom@exemple.fr" />
          <TextField name="password" label="Mot de passe" type="password" autocomplete="current-password" required errors={props.errors} />
          <div class="form-actions">
            <button type="submit" class="button">
              Se connecter
            </button>
            <a href="/mot-de-passe-oublie">Mot de passe oublié ?</a>
          </div>
        </Form>
        <h2>Autres façons de se connecter</h2>
        {props.oidcLabel ? (
          <p>
            <a class="button button-secondary" href={`/connexion/oidc${retourQuery}`}>
              Se connecter avec {props.oidcLabel}
            </a>
            {props.oidcLabel === "ProConnect" ? (
              <>
                {" "}
                <a href="https://www.proconnect.gouv.fr/" rel="noopener">
                  Qu'est-ce que ProConnect ?
                </a>
              </>
            ) : null}
          </p>
        ) : null}
        <p>
          <a href={`/connexion/lien${retourQuery}`}>Recevoir un lien de connexion par courriel</a> : sans mot de passe, valable 15 minutes dans ce navigateur.
        </p>
        <p>
          Industriel, vous souhaitez participer à la démarche de votre territoire ? <a href="/inscription">Créer un compte industriel</a>
        </p>
      </div>
    </Layout>
  );
}

export function FirstAdminPage(props: { actor: Actor; csrfToken: string; token: string; errors?: FieldErrors; values?: FormValues }) {
  const hasErrors = Boolean(props.errors && Object.keys(props.errors).length);
  return (
    <Layout title="Créer le premier compte administrateur" actor={props.actor} hasErrors={hasErrors} csrfToken={props.csrfToken}>
      <div class="narrow">
        <h1>Créer le premier compte administrateur</h1>
        <p>
          Ce compte administre la plateforme : il crée les territoires et les comptes de leurs équipes. Ce lien ne sert qu'une fois.
        </p>
        {props.errors ? <ErrorSummary errors={props.errors} /> : null}
        <Form action={`/installation/${props.token}`} csrfToken={props.csrfToken}>
          <TextField name="displayName" label="Nom et prénom" autocomplete="name" required errors={props.errors} values={props.values} />
          <TextField name="email" label="Adresse électronique" type="email" autocomplete="username" required errors={props.errors} values={props.values} />
          <TextField name="password" label="Mot de passe" type="password" autocomplete="new-password" required errors={props.errors} hint="12 caractères au moins. Une phrase de passe facile à retenir convient." />
          <TextField name="confirm" label="Confirmation du mot de passe" type="password" autocomplete="new-password" required errors={props.errors} />
          <button type="submit" class="button">
            Créer le compte
          </button>
        </Form>
      </div>
    </Layout>
  );
}
