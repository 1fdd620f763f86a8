import { can, isPlatformAdmin, type Actor } from "../../../core/authz/index.ts";
import { EmptyState } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";

type TerritoryItem = { id: number; slug: string; name: string; kind: string };

export function PlatformHome(props: { actor: Actor; csrfToken: string; flash?: string; territories: TerritoryItem[]; funded?: TerritoryItem[] }) {
  const funded = props.funded ?? [];
  const readsFollowUp = (t: TerritoryItem) => can(props.actor, "plan.followup.read", { territoryId: t.id });
  const follows = isPlatformAdmin(props.actor) || [...props.territories, ...funded].some(readsFollowUp);
  return (
    <Layout title="Gestion" actor={props.actor} csrfToken={props.csrfToken} flash={props.flash} currentPath="/gestion">
      <h1>Gestion</h1>
      <p>Bonjour {props.actor.user?.displayName}.</p>
      {isPlatformAdmin(props.actor) ? (
        <p class="form-actions">
          <a class="button" href="/gestion/territoires/nouveau">
            Créer un territoire
          </a>
          <a href="/gestion/financeurs">Accès des financeurs et signataires</a>
          <a href="/gestion/parametres">Paramètres de la plateforme</a>
        </p>
      ) : null}
      {follows ? (
        <p>
          <a href="/gestion/suivi">Suivi des territoires : leurs plans d'actions côte à côte</a>
        </p>
      ) : null}
      {follows ? (
        <p>
          <a href="/gestion/tableau-de-bord">Tableau de bord des territoires suivis</a>
        </p>
      ) : null}
      {funded.length && !props.territories.length ? null : <h2>Vos territoires</h2>}
      {funded.length && !props.territories.length ? null : props.territories.length ? (
        <ul class="card-list">
          {props.territories.map((t) => (
            <li class="card">
              <h3>
                <a href={can(props.actor, "plan.plan.manage", { territoryId: t.id }) ? `/t/${t.slug}/gestion` : `/t/${t.slug}`}>{t.name}</a>
              </h3>
              {readsFollowUp(t) ? (
                <p>
                  <a href={`/t/${t.slug}/suivi`}>Suivi du plan d'actions</a> · <a href={`/t/${t.slug}/gestion/tableau-de-bord`}>Tableau de bord</a>
                </p>
              ) : null}
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
      {funded.length ? (
        <>
          <h2>Territoires que vous suivez (lecture seule)</h2>
          <ul class="card-list">
            {funded.map((t) => (
              <li class="card">
                <h3>
                  <a href={`/t/${t.slug}`}>{t.name}</a>
                </h3>
                <p>
                  <a href={`/t/${t.slug}/suivi`}>Suivi du plan d'actions</a> · <a href={`/t/${t.slug}/gestion/tableau-de-bord`}>Tableau de bord</a>
                </p>
                <p>
                  <a href={`/t/${t.slug}/plan`}>Plan d'actions du territoire</a>
                </p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}
