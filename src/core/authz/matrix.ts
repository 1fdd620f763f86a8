// The permission matrix: beside its policy, each module declares in `matrix.ts` what every role
// gets from each of its routes. test/permission-matrix.test.ts sends a real request for each row,
// in two territories, and fails on any difference or on a registered route without rows.

/**
 * The roles of a matrix row; a person may hold several roles, a row tests one at a time.
 * `limited_agent` is an agent limited to one intercommunalité (the first of the territory).
 */
export const MATRIX_ROLES = ["anonymous", "industrialist", "committee_member", "limited_agent", "agent", "territory_admin", "funder", "platform_admin"] as const;
export type MatrixRole = (typeof MATRIX_ROLES)[number];

/**
 * What a role gets from a route:
 * - `allow`: 2xx, or a 3xx that does not send to the sign-in page (a page that lists the plan shows
 *   everything, drafts included);
 * - `login`: 303 to /connexion (sign in first);
 * - `forbidden`: 403; `not_found`: 404;
 * - `filtered`: 200, published content only (no draft, no confidential item);
 * - `follow_up`: 200, the follow-up: confidential items shown, drafts not.
 */
export type Outcome = "allow" | "login" | "forbidden" | "not_found" | "filtered" | "follow_up";

export type RoleOutcomes = Readonly<Record<MatrixRole, Outcome>>;

/**
 * Route key `METHOD url` as registered (a second request of the same route adds `#variant`, e.g.
 * an unpublished record) → the outcome for each role.
 */
export type ModuleMatrix = Readonly<Record<string, RoleOutcomes>>;

/** Every role gets the same outcome. */
export function everyone(outcome: Outcome): RoleOutcomes {
  return Object.fromEntries(MATRIX_ROLES.map((r) => [r, outcome])) as Record<MatrixRole, Outcome>;
}

/** Only the named roles are allowed; the others are refused (`login` for anonymous pages, else `forbidden`). */
function onlyFor(kind: "page" | "post", allowed: MatrixRole[]): RoleOutcomes {
  return Object.fromEntries(
    MATRIX_ROLES.map((r) => [r, allowed.includes(r) ? "allow" : r === "anonymous" && kind === "page" ? "login" : "forbidden"]),
  ) as Record<MatrixRole, Outcome>;
}

const SIGNED_IN: MatrixRole[] = ["industrialist", "committee_member", "limited_agent", "agent", "territory_admin", "funder", "platform_admin"];
const STAFF: MatrixRole[] = ["limited_agent", "agent", "territory_admin", "platform_admin"];
const WHOLE_PLAN: MatrixRole[] = ["agent", "territory_admin", "platform_admin"];
const ADMINS: MatrixRole[] = ["territory_admin", "platform_admin"];

/** Public routes: everyone. */
export const PUBLIC: RoleOutcomes = everyone("allow");
/** Public pages that list the plan: everyone, published content only. */
export const PUBLISHED_ONLY: RoleOutcomes = everyone("filtered");
/** Any signed-in person (page: anonymous visitors are sent to sign in). */
export const SIGNED_IN_PAGE: RoleOutcomes = onlyFor("page", SIGNED_IN);
/** Any signed-in person (post or file: anonymous visitors get 403). */
export const SIGNED_IN_POST: RoleOutcomes = onlyFor("post", SIGNED_IN);
/** The territory's staff: agents (limited to an intercommunalité or not), territory admins, platform admins. */
export const STAFF_PAGE: RoleOutcomes = onlyFor("page", STAFF);
export const STAFF_POST: RoleOutcomes = onlyFor("post", STAFF);
/** The staff who edit the whole plan (not an agent limited to one intercommunalité). */
export const WHOLE_PLAN_PAGE: RoleOutcomes = onlyFor("page", WHOLE_PLAN);
export const WHOLE_PLAN_POST: RoleOutcomes = onlyFor("post", WHOLE_PLAN);
/** Territory admins and platform admins. */
export const TERRITORY_ADMIN_PAGE: RoleOutcomes = onlyFor("page", ADMINS);
export const TERRITORY_ADMIN_POST: RoleOutcomes = onlyFor("post", ADMINS);
/** The national team only. */
export const PLATFORM_ADMIN_PAGE: RoleOutcomes = onlyFor("page", ["platform_admin"]);
export const PLATFORM_ADMIN_POST: RoleOutcomes = onlyFor("post", ["platform_admin"]);
