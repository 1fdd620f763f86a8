import type { Actor } from "../../../core/authz/index.ts";
import type { FieldErrors, FormValues } from "../../../core/forms/index.ts";
import { CheckboxField, ErrorSummary, Form, TextField } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";

const hasErr = (e?: FieldErrors) => Boolean(e && Object.keys(e).length);

type TerritoryView = { slug: string; name: string; kind: string };

/** Asks for a sign-in link by e-mail; after sending, the same answer whether or not the account exists. */
export function MagicLinkRequestPage(p: { actor: Actor; csrfToken: string; errors?: FieldErrors; values?: FormValues; retour?: string; sent?: boolean; minutes: number; message?: string }) {
  return (
    <Layout title="Recevoir un lien de connexion" actor={p.actor} hasErrors={hasErr(p.errors)} csrfToken={p.csrfToken} breadcrumbs={[{ label: "Se connecter", href: "/connexion" }, { label: "Lien de connexion", href: "" }]}>
      <div class="narrow">
        <h1>Recevoir un lien de connexion</h1>
        {p.sent ? (
          <div class="notice notice-success" role="status">
            <p>
              Si un compte existe pour cette adresse, un message vient de lui être envoyé avec un lien de connexion. Le lien est valable {p.minutes} minutes, ne sert
              qu'une fois et ne fonctionne que dans ce navigateur : ouvrez-le ici. Si rien n'arrive, vérifiez vos courriers indésirables ou réessayez dans 15 minutes.
            </p>
          </div>
        ) : (
          <p>
            Pas besoin de mot de passe : indiquez l'adresse électronique de votre compte, nous vous enverrons un lien pour vous connecter. Ouvrez-le dans ce même
            navigateur.
          </p>
        )}
        {p.message ? (
          <div class="notice notice-warning" role="alert">
            <p>{p.message}</p>
          </div>
        ) : null}
        {p.errors ? <ErrorSummary errors={p.errors} /> : null}
        <Form action="/connexion/lien" csrfToken={p.csrfToken}>
          <input type="hidden" name="retour" value={p.retour ?? ""} />
          <TextField name="email" label="Adresse électronique" type="email" autocomplete="username" required errors={p.errors} values={p.values} hint="Par exemple : nom@exemple.fr" />
          <div class="form-actions">
            <button type="submit" class="button">
              {p.sent ? "Renvoyer un lien" : "Recevoir le lien"}
            </button>
            <a href="/connexion">Se connecter avec un mot de passe</a>
          </div>
        </Form>
      </div>
    </Layout>
  );
}

/** The page a link opens: one button, so that mail scanners fetching the link do not use it up. */
export function LinkConfirmPage(p: { actor: Actor; csrfToken: string; action: string; title: string; intro: string; button: string; territory?: TerritoryView }) {
  return (
    <Layout title={p.title} actor={p.actor} csrfToken={p.csrfToken} territory={p.territory}>
      <div class="narrow">
        <h1>{p.title}</h1>
        <p>{p.intro}</p>
        <Form action={p.action} csrfToken={p.csrfToken}>
          <button type="submit" class="button">
            {p.button}
          </button>
        </Form>
      </div>
    </Layout>
  );
}

/** A link opened in another browser than the one that asked for it (or after its cookie was cleared). */
export function OtherBrowserPage(p: { actor: Actor; retryHref: string; retryLabel: string; territory?: TerritoryView }) {
  return (
    <Layout title="Ouvrez le lien dans le même navigateur" actor={p.actor} territory={p.territory}>
      <div class="narrow">
        <h1>Ouvrez le lien dans le même navigateur</h1>
        <p>
          Pour votre sécurité, ce lien ne fonctionne que dans le navigateur où vous l'avez demandé. Il a sans doute été ouvert dans un autre navigateur, une autre
          application (celle de votre messagerie, par exemple) ou après l'effacement des cookies.
        </p>
        <p>Deux solutions :</p>
        <ul>
          <li>copiez le lien reçu par courriel et collez-le dans la barre d'adresse du navigateur où vous l'avez demandé ;</li>
          <li>
            ou demandez un nouveau lien depuis ce navigateur-ci : <a href={p.retryHref}>{p.retryLabel}</a>.
          </li>
        </ul>
      </div>
    </Layout>
  );
}

/** A link that has expired or already served. */
export function InvalidLinkPage(p: { actor: Actor; detail: string; retryHref: string; retryLabel: string; territory?: TerritoryView }) {
  return (
    <Layout title="Ce lien n'est plus valable" actor={p.actor} territory={p.territory}>
      <div class="narrow">
        <h1>Ce lien n'est plus valable</h1>
        <p>{p.detail}</p>
        <p>
          <a href={p.retryHref}>{p.retryLabel}</a>
        </p>
      </div>
    </Layout>
  );
}

/** Self sign-up of an industrialist in one territory. */
export function SignupPage(p: { actor: Actor; csrfToken: string; territory: TerritoryView; errors?: FieldErrors; values?: FormValues; sent?: boolean; minutes: number; message?: string }) {
  const base = `/t/${p.territory.slug}`;
  return (
    <Layout
      title="Créer un compte industriel"
      actor={p.actor}
      territory={p.territory}
      hasErrors={hasErr(p.errors)}
      csrfToken={p.csrfToken}
      breadcrumbs={[
        { label: "Accueil", href: base },
        { label: "Contact", href: `${base}/contact` },
        { label: "Créer un compte industriel", href: "" },
      ]}
    >
      <div class="narrow">
        <h1>Créer un compte industriel</h1>
        {p.sent ? (
          <div class="notice notice-success" role="status">
            <p>
              Merci. Un message vient d'être envoyé à l'adresse indiquée avec un lien pour confirmer votre demande. Il est valable {p.minutes} minutes, ne sert
              qu'une fois et ne fonctionne que dans ce navigateur : ouvrez-le ici.
            </p>
          </div>
        ) : (
          <>
            <p>
              Vous dirigez ou représentez une entreprise industrielle du territoire {p.territory.name} et souhaitez participer à la démarche Territoire d'industrie
              (ateliers, projets, services) ? Créez votre compte : pas de mot de passe, vous vous connecterez par un lien reçu par courriel.
            </p>
            <p>
              Votre demande sera examinée par l'équipe du territoire. D'ici là, votre compte ne donne accès qu'à vos propres informations.
            </p>
          </>
        )}
        {p.message ? (
          <div class="notice notice-warning" role="alert">
            <p>{p.message}</p>
          </div>
        ) : null}
        {p.errors ? <ErrorSummary errors={p.errors} /> : null}
        {p.sent ? null : (
          <Form action={`${base}/inscription`} csrfToken={p.csrfToken}>
            <TextField name="email" label="Adresse électronique professionnelle" type="email" autocomplete="email" required errors={p.errors} values={p.values} hint="Par exemple : nom@entreprise.fr" />
            <TextField name="displayName" label="Nom et prénom" autocomplete="name" required errors={p.errors} values={p.values} />
            <TextField name="company" label="Entreprise" autocomplete="organization" required errors={p.errors} values={p.values} />
            <TextField
              name="siret"
              label="Numéro SIRET de l'établissement"
              inputmode="numeric"
              errors={p.errors}
              values={p.values}
              hint="14 chiffres, sur votre extrait Kbis ou sur annuaire-entreprises.data.gouv.fr."
            />
            <CheckboxField
              name="consent"
              label="J'accepte d'être contacté par l'équipe du Territoire d'industrie au sujet de la démarche"
              required
              errors={p.errors}
              values={p.values}
              hint="Vos coordonnées ne servent qu'à cela ; vous pouvez fermer votre compte à tout moment depuis la page « Mon compte »."
            />
            <button type="submit" class="button">
              Recevoir le lien de confirmation
            </button>
          </Form>
        )}
      </div>
    </Layout>
  );
}

/** Where to sign up when the person came from the sign-in page: one link per territory. */
export function SignupTerritoriesPage(p: { actor: Actor; territories: TerritoryView[] }) {
  return (
    <Layout title="Créer un compte industriel" actor={p.actor} breadcrumbs={[{ label: "Se connecter", href: "/connexion" }, { label: "Créer un compte industriel", href: "" }]}>
      <div class="narrow">
        <h1>Créer un compte industriel</h1>
        <p>Choisissez le Territoire d'industrie où se trouve votre entreprise.</p>
        <ul>
          {p.territories.map((t) => (
            <li>
              <a href={`/t/${t.slug}/inscription`}>{t.name}</a>
            </li>
          ))}
        </ul>
      </div>
    </Layout>
  );
}
