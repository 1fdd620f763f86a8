import type { Actor } from "../../../core/authz/index.ts";
import { Layout } from "../../../core/ui/layout.tsx";

/** A single sign-on that did not succeed: what happened, in French, and how to go on. */
export function OidcErrorPage(p: { actor: Actor; label: string; detail: string; retry?: boolean }) {
  const title = `La connexion avec ${p.label} n'a pas abouti`;
  return (
    <Layout title={title} actor={p.actor} breadcrumbs={[{ label: "Se connecter", href: "/connexion" }, { label: p.label, href: "" }]}>
      <div class="narrow">
        <h1>{title}</h1>
        <p>{p.detail}</p>
        <ul>
          {p.retry === false ? null : (
            <li>
              <a href="/connexion/oidc">Réessayer avec {p.label}</a>
            </li>
          )}
          <li>
            <a href="/connexion/lien">Recevoir un lien de connexion par courriel</a>
          </li>
          <li>
            <a href="/connexion">Se connecter avec un mot de passe</a>
          </li>
        </ul>
      </div>
    </Layout>
  );
}
