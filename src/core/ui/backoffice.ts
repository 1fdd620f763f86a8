import { can, type Actor } from "../authz/index.ts";
import type { NavItem } from "./layout.tsx";

// The back-office side navigation of a territory is assembled from what each module declares on
// import (like policies), so core knows no module and modules need not import each other's pages.

interface BackOfficeEntry {
  /** French label of the navigation link. */
  label: string;
  /** Path under `/t/{slug}/gestion` ("" for the back-office home). */
  path: string;
  /** Shown only to who holds this permission in the territory. */
  permission: string;
  /** Smaller comes first. */
  order: number;
}

const entries: BackOfficeEntry[] = [];

/** Declares a back-office page of a territory, shown in the side navigation to who may use it. */
export function defineBackOfficeNav(entry: BackOfficeEntry): void {
  if (entries.some((e) => e.path === entry.path)) return;
  entries.push(entry);
  entries.sort((a, b) => a.order - b.order);
}

/** The side navigation of a territory's back-office for this actor, `current` being the path of the page's section. */
export function backOfficeNav(actor: Actor, territory: { id: number; slug: string }, current: string): NavItem[] {
  const base = `/t/${territory.slug}/gestion`;
  const items: NavItem[] = entries
    .filter((e) => can(actor, e.permission, { territoryId: territory.id }))
    .map((e) => ({ label: e.label, href: `${base}${e.path}`, current: e.path === current }));
  items.push({ label: "Voir le site public", href: `/t/${territory.slug}` });
  return items;
}
