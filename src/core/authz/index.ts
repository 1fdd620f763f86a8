import type { Role } from "../db/schema.ts";

/** Who is acting: anonymous, or a signed-in user with their roles per territory. */
export interface Actor {
  user?: { id: number; email: string; displayName: string; isPlatformAdmin: boolean };
  /** Active roles per territory (pending self-registrations are not roles yet). */
  memberships: { territoryId: number; role: Role; authorityId?: number | null }[];
  /** Territories whose follow-up the actor may read as a funder or signatory. */
  fundedTerritoryIds?: number[];
}

export const ANONYMOUS: Actor = { memberships: [] };

/** What a permission is checked against: the territory at least, and the record when there is one. */
export interface Scope {
  territoryId?: number;
  subject?: unknown;
}

export type Rule = (actor: Actor, scope: Scope) => boolean;

const rules = new Map<string, Rule>();

/** Declares a module's permissions (`module.resource.action`) and who holds them. */
export function definePolicy(policy: Record<string, Rule>): Record<string, Rule> {
  for (const [name, rule] of Object.entries(policy)) {
    if (!/^[a-z]+(\.[a-z_]+){2}$/.test(name)) throw new Error(`Nom de permission invalide : ${name}`);
    if (rules.has(name) && rules.get(name) !== rule) throw new Error(`Permission déclarée deux fois : ${name}`);
    rules.set(name, rule);
  }
  return policy;
}

/** True when the actor holds the permission in the scope. Unknown permissions are denied. */
export function can(actor: Actor, permission: string, scope: Scope = {}): boolean {
  const rule = rules.get(permission);
  if (!rule) return false;
  try {
    return rule(actor, scope) === true;
  } catch {
    return false;
  }
}

/** Every declared permission, for the permission matrix and the docs. */
export function declaredPermissions(): string[] {
  return [...rules.keys()].sort();
}

// Building blocks for policies.
export const isSignedIn = (a: Actor) => a.user !== undefined;
export const isPlatformAdmin = (a: Actor) => a.user?.isPlatformAdmin === true;
export const hasRole = (a: Actor, territoryId: number | undefined, ...roles: Role[]) =>
  territoryId !== undefined && a.memberships.some((m) => m.territoryId === territoryId && roles.includes(m.role));
/** Agents and territory admins of the scope's territory, or a platform admin. */
export const isTerritoryStaff: Rule = (a, s) => isPlatformAdmin(a) || hasRole(a, s.territoryId, "territory_admin", "agent");
export const isTerritoryAdmin: Rule = (a, s) => isPlatformAdmin(a) || hasRole(a, s.territoryId, "territory_admin");
/** A funder or signatory granted this territory (read-only). */
export const isFunderOf = (a: Actor, territoryId: number | undefined) => territoryId !== undefined && (a.fundedTerritoryIds ?? []).includes(territoryId);
/** Who reads the follow-up, confidential content included: staff, committee members, funders. */
export const canReadFollowUp: Rule = (a, s) => isTerritoryStaff(a, s) || hasRole(a, s.territoryId, "committee_member") || isFunderOf(a, s.territoryId);
