import type { ComponentChildren } from "preact";
import { useContext } from "preact/hooks";
import { RequestContext } from "./request-context.ts";
import type { Actor } from "../authz/index.ts";
import { assetUrl } from "./assets.ts";

export interface NavItem {
  label: string;
  href: string;
  current?: boolean;
}

export interface LayoutProps {
  title: string;
  actor: Actor;
  /** Territory whose portal this page belongs to. */
  territory?: { slug: string; name: string; kind: string };
  /** Prefix "Erreur – " to the title (form in its error state). */
  hasErrors?: boolean;
  breadcrumbs?: NavItem[];
  flash?: string;
  csrfToken?: string;
  currentPath?: string;
  /** Back-office pages get the back-office navigation. */
  backOffice?: NavItem[];
  description?: string;
  children: ComponentChildren;
}

const SITE = "Collines";

interface PublicNavEntry {
  /** French label of the link. */
  label: string;
  /** Path under `/t/{slug}` ("" for the territory's home). */
  path: string;
  /** Smaller comes first. */
  order: number;
}

const publicNav: PublicNavEntry[] = [
  { label: "Accueil", path: "", order: 0 },
  { label: "Plan d'actions", path: "/plan", order: 10 },
  { label: "Gouvernance", path: "/gouvernance", order: 20 },
  { label: "Contact", path: "/contact", order: 90 },
];

/** Declares a page of a territory's public navigation (modules call it on import, like policies). */
export function definePublicNav(entry: PublicNavEntry): void {
  if (publicNav.some((e) => e.path === entry.path)) return;
  publicNav.push(entry);
  publicNav.sort((a, b) => a.order - b.order);
}

function territoryNav(base: string): NavItem[] {
  return publicNav.map((e) => ({ label: e.label, href: `${base}${e.path}` }));
}

/** The page frame: skip link, header, navigation, main, footer. One `<h1>` comes from the page. */
export function Layout(props: LayoutProps) {
  const { territory, actor } = props;
  const request = useContext(RequestContext);
  const flash = props.flash ?? request.flash;
  const csrfToken = props.csrfToken ?? (actor.user ? request.csrfToken() : "");
  const title = `${props.hasErrors ? "Erreur – " : ""}${props.title} – ${territory ? `${territory.name} – ` : ""}${SITE}`;
  const t = territory ? `/t/${territory.slug}` : "";
  const nav: NavItem[] = territory ? territoryNav(t) : [{ label: "Territoires", href: "/" }];
  const path = props.currentPath ?? request.path;
  const legalBase = t || "";
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        {props.description ? <meta name="description" content={props.description} /> : null}
        <link rel="stylesheet" href={assetUrl("css/app.css")} />
        <link rel="icon" href={assetUrl("favicon.svg")} type="image/svg+xml" />
        <script src={assetUrl("js/app.js")} defer></script>
      </head>
      <body>
        <a class="skip-link" href="#contenu">
          Aller au contenu
        </a>
        <header class="site-header">
          <div class="container header-inner">
            <p class="brand">
              <a href="/">
                <span class="brand-name">{SITE}</span>
                <span class="brand-tagline">Territoires d'industrie</span>
              </a>
            </p>
            {territory ? (
              <p class="territory-name">
                <a href={t}>{territory.name}</a>
                {territory.kind === "demo" ? <span class="badge badge-demo">Démonstration – données fictives</span> : null}
              </p>
            ) : null}
            <div class="account">
              {actor.user ? (
                <>
                  <a href="/compte" class="account-name">
                    {actor.user.displayName}
                  </a>
                  <a href="/gestion">Gestion</a>
                  <form method="post" action="/deconnexion" class="inline-form">
                    <input type="hidden" name="_csrf" value={csrfToken} />
                    <button type="submit" class="link-button">
                      Se déconnecter
                    </button>
                  </form>
                </>
              ) : (
                <a href={`/connexion${path && path !== "/connexion" ? `?retour=${encodeURIComponent(path)}` : ""}`}>Se connecter</a>
              )}
            </div>
          </div>
          <nav class="main-nav" aria-label="Menu principal">
            <ul class="container">
              {nav.map((n) => (
                <li>
                  <a href={n.href} aria-current={isCurrent(path, n.href, t) ? "page" : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        {territory?.kind === "demo" ? (
          <p class="demo-banner" role="note">
            Ce territoire est fictif : il sert à présenter la plateforme. Ses données sont synthétiques.
          </p>
        ) : null}
        <div class="container page">
          {props.breadcrumbs?.length ? (
            <nav aria-label="Fil d'Ariane" class="breadcrumbs">
              <ol>
                {props.breadcrumbs.map((b, i) => (
                  <li>{i === props.breadcrumbs!.length - 1 ? <span aria-current="page">{b.label}</span> : <a href={b.href}>{b.label}</a>}</li>
                ))}
              </ol>
            </nav>
          ) : null}
          <div class={props.backOffice ? "with-sidebar" : undefined}>
            {props.backOffice ? (
              <nav class="sidebar" aria-label="Menu de gestion">
                <ul>
                  {props.backOffice.map((n) => (
                    <li>
                      <a href={n.href} aria-current={n.current ? "page" : undefined}>
                        {n.label}
                      </a>
                    </li>
                  ))}
                </ul>
              </nav>
            ) : null}
            <main id="contenu" tabIndex={-1}>
              {flash ? (
                <div class="notice notice-success" role="status">
                  <p>{flash}</p>
                </div>
              ) : null}
              {props.children}
            </main>
          </div>
        </div>
        <footer class="site-footer">
          <div class="container">
            <ul class="footer-links">
              <li>
                <a href={`${legalBase}/mentions-legales`}>Mentions légales</a>
              </li>
              <li>
                <a href={`${legalBase}/accessibilite`}>Accessibilité : partiellement conforme</a>
              </li>
              <li>
                <a href={`${legalBase}/donnees-personnelles`}>Données personnelles</a>
              </li>
              <li>
                <a href={`${legalBase}/plan-du-site`}>Plan du site</a>
              </li>
              <li>
                <a href="/api/openapi.json">Données ouvertes (API)</a>
              </li>
            </ul>
            <p class="footer-note">
              Collines, plateforme des Territoires d'industrie. Contours des communes : IGN Admin Express — Licence Ouverte.
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

function isCurrent(path: string, href: string, territoryBase: string): boolean {
  if (href === territoryBase || href === "/") return path === href;
  return path === href || path.startsWith(`${href}/`);
}
