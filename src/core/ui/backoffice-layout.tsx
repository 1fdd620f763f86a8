import type { ComponentChildren } from "preact";
import type { Actor } from "../authz/index.ts";
import { backOfficeNav } from "./backoffice.ts";
import { Layout, type NavItem } from "./layout.tsx";

/** The frame of a territory's back-office page: side navigation of its section, breadcrumbs from "Gestion". */
export function BackOfficeLayout(p: {
  actor: Actor;
  territory: { id: number; slug: string; name: string; kind: string };
  title: string;
  /** Path of the section under `/t/{slug}/gestion` ("" for the plan), marked current in the navigation. */
  section: string;
  crumbs: NavItem[];
  csrfToken?: string;
  flash?: string;
  hasErrors?: boolean;
  /** Defaults to the section's path. */
  currentPath?: string;
  children: ComponentChildren;
}) {
  return (
    <Layout
      title={p.title}
      actor={p.actor}
      territory={p.territory}
      csrfToken={p.csrfToken}
      flash={p.flash}
      hasErrors={p.hasErrors}
      currentPath={p.currentPath ?? `/t/${p.territory.slug}/gestion${p.section}`}
      backOffice={backOfficeNav(p.actor, p.territory, p.section)}
      breadcrumbs={[{ label: "Gestion", href: "/gestion" }, ...p.crumbs]}
    >
      {p.children}
    </Layout>
  );
}
