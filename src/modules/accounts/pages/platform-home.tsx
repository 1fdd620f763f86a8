import type { Actor } from "../../../core/authz/index.ts";
import { EmptyState } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";

export function PlatformHome(props: { actor: Actor; csrfToken: string; flash?: string; territories: { id: number; slug: string; name: string; kind: string }[] }) {
  return (
    <Layout title="Gestion" actor={props.actor} csrfToken={props.csrfToken} flash={props.flash} currentPath="/gestion">
      <h1>Gestion</h1>
      <p>Bonjour {props.actor.user?.displayName}.</p>
      <h2>Vos territoires</h2>
      {props.territories.length ? (
        <ul class="card-list">
          {props.territories.map((t) => (
            <li class="card">
              <h3>
                <a href={`/t/${t.slug}/gestion`}>{t.name}</a>
              </h3>
              <p>
                <a href={`/t/${t.slug}`}>Voir le site public du territoire</a>
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState>
          Aucun territoire ne vous est encore confié. Demandez à l'administrateur de votre territoire de vous donner un rôle.
        </EmptyState>
      )}
    </Layout>
  );
}
