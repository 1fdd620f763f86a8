import type { Actor } from "../../../core/authz/index.ts";
import { EmptyState } from "../../../core/ui/components.tsx";
import { Layout } from "../../../core/ui/layout.tsx";
import type { TerritoryRow } from "../../../core/http/territory.ts";
import type { loadContacts, loadGovernance, listTerritories } from "../queries/territory.ts";
import type { ThemeNode } from "../../plan/api.ts";
import { Paragraphs } from "../../../core/ui/text.tsx";

type Governance = Awaited<ReturnType<typeof loadGovernance>>;

const BODY_KIND_LABELS: Record<string, string> = {
  project_committee: "Comité de projet",
  chair_pair: "Binôme élu–industriel",
  steering_committee: "Comité de pilotage",
  working_group: "Groupe de réflexion",
};

/** The governance page: bodies, their chairs and members, or their composition when no name is known. */
export function GovernancePage(p: { actor: Actor; territory: TerritoryRow; bodies: Governance; activity?: preact.ComponentChildren }) {
  const base = `/t/${p.territory.slug}`;
  return (
    <Layout title="Gouvernance" actor={p.actor} territory={p.territory} currentPath={`${base}/gouvernance`} breadcrumbs={[{ label: "Accueil", href: base }, { label: "Gouvernance", href: "" }]}>
      <h1>Gouvernance</h1>
      <p>Élus et industriels pilotent ensemble le Territoire d'industrie.</p>
      {p.bodies.length ? (
        p.bodies.map((b) => (
          <section class="card" aria-labelledby={`instance-${b.id}`}>
            <p class="kicker">{BODY_KIND_LABELS[b.kind] ?? b.kind}</p>
            <h2 id={`instance-${b.id}`}>{b.name}</h2>
            {b.authority ? <p>Échelle : {b.authority.name}</p> : null}
            {b.composition ? <p>Composition : {b.composition}.</p> : null}
            {b.role ? <p>Rôle : {b.role}.</p> : null}
            {b.members.length ? (
              <ul class="people">
                {b.members.map((m) => (
                  <li>
                    <strong>{m.name}</strong>
                    {m.role ? `, ${m.role}` : ""} <span class="badge">{m.side}</span>
                    {m.isChair && b.kind !== "chair_pair" ? <span class="badge badge-info">co-président</span> : null}
                  </li>
                ))}
              </ul>
            ) : (
              <EmptyState>Les noms des membres ne sont pas publiés.</EmptyState>
            )}
          </section>
        ))
      ) : (
        <EmptyState>La gouvernance de ce territoire n'est pas encore renseignée.</EmptyState>
      )}
      {p.activity}
    </Layout>
  );
}

/** The contact page: the economic-development service(s). */
export function ContactPage(p: { actor: Actor; territory: TerritoryRow; contacts: Awaited<ReturnType<typeof loadContacts>> }) {
  const base = `/t/${p.territory.slug}`;
  return (
    <Layout title="Contact" actor={p.actor} territory={p.territory} currentPath={`${base}/contact`} breadcrumbs={[{ label: "Accueil", href: base }, { label: "Contact", href: "" }]}>
      <h1>Contact</h1>
      <p>
        Une question sur la démarche Territoire d'industrie ou le programme d'actions ? Industriel, vous souhaitez participer aux ateliers thématiques, dans la
        limite de vos disponibilités ? Écrivez ou téléphonez au service développement économique.
      </p>
      <p>
        <a href={`${base}/inscription`}>Créer un compte industriel</a> pour participer à la démarche.
      </p>
      {p.contacts.length ? (
        p.contacts.map((c) => (
          <address class="card">
            <h2>{c.service}</h2>
            <dl class="facts">
              <dt>Téléphone</dt>
              <dd>{c.phone ? <a href={`tel:${c.phone.replace(/\s/g, "")}`}>{c.phone}</a> : "Non renseigné"}</dd>
              <dt>Courriel</dt>
              <dd>{c.email ? <a href={`mailto:${c.email}`}>{c.email}</a> : "Non renseigné"}</dd>
              {c.address ? (
                <>
                  <dt>Adresse</dt>
                  <dd>{c.address}</dd>
                </>
              ) : null}
            </dl>
          </address>
        ))
      ) : (
        <EmptyState>Les coordonnées du service ne sont pas encore renseignées.</EmptyState>
      )}
    </Layout>
  );
}

/** A stored page (presentation, legal pages) shown as paragraphs. */
export function ContentPage(p: { actor: Actor; territory?: TerritoryRow; title: string; body: string; path: string; children?: preact.ComponentChildren }) {
  const base = p.territory ? `/t/${p.territory.slug}` : "/";
  return (
    <Layout title={p.title} actor={p.actor} territory={p.territory} currentPath={p.path} breadcrumbs={[{ label: "Accueil", href: base }, { label: p.title, href: "" }]}>
      <h1>{p.title}</h1>
      <Paragraphs text={p.body} />
      {p.children}
    </Layout>
  );
}

/** The site map of a territory's portal. */
export function SiteMapPage(p: { actor: Actor; territory: TerritoryRow; plan: ThemeNode[] }) {
  const base = `/t/${p.territory.slug}`;
  return (
    <Layout title="Plan du site" actor={p.actor} territory={p.territory} currentPath={`${base}/plan-du-site`} breadcrumbs={[{ label: "Accueil", href: base }, { label: "Plan du site", href: "" }]}>
      <h1>Plan du site</h1>
      <ul class="sitemap">
        <li>
          <a href={base}>Accueil</a>
        </li>
        <li>
          <a href={`${base}/plan`}>Plan d'actions</a>
          <ul>
            {p.plan.map((th) => (
              <li>
                {th.title}
                <ul>
                  {th.objectives.flatMap((o) =>
                    o.actions.map((a) => (
                      <li>
                        <a href={`${base}/actions/${a.id}`}>
                          Action {a.number} : {a.title}
                        </a>
                      </li>
                    )),
                  )}
                </ul>
              </li>
            ))}
          </ul>
        </li>
        <li>
          <a href={`${base}/gouvernance`}>Gouvernance</a>
        </li>
        <li>
          <a href={`${base}/contact`}>Contact</a>
        </li>
        <li>
          <a href={`${base}/mentions-legales`}>Mentions légales</a>
        </li>
        <li>
          <a href={`${base}/accessibilite`}>Déclaration d'accessibilité</a>
        </li>
        <li>
          <a href={`${base}/donnees-personnelles`}>Données personnelles</a>
        </li>
        <li>
          <a href={`${base}/plan.csv`}>Plan d'actions au format CSV</a>
        </li>
        <li>
          <a href="/">Tous les territoires</a>
        </li>
        <li>
          <a href="/connexion">Se connecter</a>
        </li>
      </ul>
    </Layout>
  );
}

/** The platform's home: every territory it hosts. */
export function TerritoriesIndex(p: { actor: Actor; territories: Awaited<ReturnType<typeof listTerritories>>; csrfToken?: string }) {
  return (
    <Layout title="Territoires d'industrie" actor={p.actor} currentPath="/" csrfToken={p.csrfToken}>
      <h1>Les Territoires d'industrie sur Collines</h1>
      <p class="lead">
        Collines est la plateforme sur laquelle les Territoires d'industrie conduisent leur programme : le plan d'actions signé avec l'État et la Région, son
        suivi par les comités et la participation des industriels.
      </p>
      {p.territories.length ? (
        <ul class="card-list">
          {p.territories.map((t) => (
            <li class="card">
              <h2>
                <a href={`/t/${t.slug}`}>{t.name}</a>
              </h2>
              {t.kind === "demo" ? <p class="badge badge-demo">Démonstration – données fictives</p> : null}
              <p>{t.authorities.map((a) => a.name).join(" et ")}</p>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState>Aucun territoire n'est encore publié sur cette plateforme.</EmptyState>
      )}
    </Layout>
  );
}

export const PLATFORM_PAGE_TITLES = {
  "mentions-legales": "Mentions légales",
  accessibilite: "Déclaration d'accessibilité",
  "donnees-personnelles": "Données personnelles",
  "plan-du-site": "Plan du site",
} as const;

const PLATFORM_INTRO: Record<keyof typeof PLATFORM_PAGE_TITLES, string> = {
  "mentions-legales":
    "Cette plateforme héberge les sites de plusieurs Territoires d'industrie. Chaque territoire publie ses propres mentions légales : choisissez le vôtre ci-dessous.",
  accessibilite:
    "Cette plateforme est partiellement conforme au RGAA 4.1 : aucun audit indépendant n'a encore été réalisé. Chaque page publique et chaque formulaire sont contrôlés automatiquement avec axe-core, fonctionnent sans JavaScript et au clavier. La déclaration de chaque territoire donne son contact et les voies de recours.",
  "donnees-personnelles":
    "Le site public ne dépose aucun cookie de mesure d'audience. Les seuls cookies sont strictement nécessaires (session des personnes connectées, protection des formulaires, message après une action). Chaque territoire détaille les données qu'il traite et comment exercer vos droits.",
  "plan-du-site": "Les pages de la plateforme et de chaque territoire.",
};

/** A platform-wide page (legal pages, site map) that leads to each territory's own. */
export function PlatformInfoPage(p: { actor: Actor; path: keyof typeof PLATFORM_PAGE_TITLES; title: string; territories: Awaited<ReturnType<typeof listTerritories>>; csrfToken?: string }) {
  return (
    <Layout title={p.title} actor={p.actor} currentPath={`/${p.path}`} csrfToken={p.csrfToken} breadcrumbs={[{ label: "Accueil", href: "/" }, { label: p.title, href: "" }]}>
      <h1>{p.title}</h1>
      <p>{PLATFORM_INTRO[p.path]}</p>
      {p.path === "plan-du-site" ? (
        <ul class="sitemap">
          <li>
            <a href="/">Les territoires</a>
          </li>
          <li>
            <a href="/connexion">Se connecter</a>
          </li>
          <li>
            <a href="/api/openapi.json">API ouverte (description OpenAPI)</a>
          </li>
        </ul>
      ) : null}
      {p.territories.length ? (
        <ul>
          {p.territories.map((t) => (
            <li>
              <a href={`/t/${t.slug}/${p.path}`}>
                {PLATFORM_PAGE_TITLES[p.path]} — {t.name}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <EmptyState>Aucun territoire n'est encore publié.</EmptyState>
      )}
    </Layout>
  );
}
