// Pure rules and French labels of members, invitations and territories (no I/O).
import { ROLES, type Role } from "../../core/db/schema.ts";

export { ROLES, type Role };

/** What an invitation grants: a role in a territory, or a funder's read access. */
export type InvitedRole = Role | "funder";

export const ROLE_LABELS: Record<InvitedRole, string> = {
  territory_admin: "Administrateur du territoire",
  agent: "Agent",
  committee_member: "Membre de comité",
  industrialist: "Industriel",
  funder: "Financeur (lecture seule)",
};

export const STATUS_LABELS: Record<"active" | "pending", string> = {
  active: "Actif",
  pending: "En attente de confirmation",
};

/** Days an invitation link stays valid. */
export const INVITATION_DAYS = 7;

/** Lowercase letters, digits and single hyphens: the territory's address under /t/. */
export const SLUG_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** SIRENs typed in a free field (spaces, commas, new lines between them); duplicates removed. */
export function parseSirens(raw: string | string[] | undefined): string[] {
  const parts = (Array.isArray(raw) ? raw : [raw ?? ""]).flatMap((s) => s.split(/[\s,;]+/));
  return [...new Set(parts.map((s) => s.replace(/\u00a0/g, "").trim()).filter(Boolean))];
}

/** The most frequent value of a list (ties: the first met), or null for an empty list. */
export function mostFrequent<T>(values: T[]): T | null {
  const counts = new Map<T, number>();
  let best: T | null = null;
  let bestCount = 0;
  for (const v of values) {
    const n = (counts.get(v) ?? 0) + 1;
    counts.set(v, n);
    if (n > bestCount) {
      best = v;
      bestCount = n;
    }
  }
  return best;
}
