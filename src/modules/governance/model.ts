// Pure rules of the governance module: plan snapshots and their comparison, numbering, labels.

export type Visibility = "draft" | "published" | "confidential";

/** One action as it stood in a version of the plan. */
export interface SnapshotAction {
  id: number;
  number: number;
  title: string;
  description: string | null;
  status: string | null;
  visibility: Visibility;
  objectiveId: number;
  lead: string | null;
  joint: boolean;
}

/** The plan as it stood: its themes, objectives and actions (withdrawn and archived ones left out). */
export interface PlanSnapshot {
  themes: { id: number; code: string; title: string; visibility: Visibility }[];
  objectives: { id: number; themeId: number; title: string; visibility: Visibility }[];
  actions: SnapshotAction[];
}

/** Who reads a snapshot: the public (published only) or follow-up readers (no drafts) or the staff (everything). */
export type ReadLevel = "public" | "followup" | "staff";

const visibleAt = (level: ReadLevel, v: Visibility) => level === "staff" || v === "published" || (level === "followup" && v === "confidential");

/** The part of a snapshot a reader may see: an action shows only when its theme and objective show too. */
export function visibleSnapshot(s: PlanSnapshot, level: ReadLevel): PlanSnapshot {
  const themes = s.themes.filter((t) => visibleAt(level, t.visibility));
  const themeIds = new Set(themes.map((t) => t.id));
  const objectives = s.objectives.filter((o) => themeIds.has(o.themeId) && visibleAt(level, o.visibility));
  const objectiveIds = new Set(objectives.map((o) => o.id));
  return { themes, objectives, actions: s.actions.filter((a) => objectiveIds.has(a.objectiveId) && visibleAt(level, a.visibility)) };
}

/** The fields compared between two versions, with their French labels. */
export const COMPARED_FIELDS = [
  ["title", "Titre"],
  ["description", "Description"],
  ["objective", "Objectif"],
  ["status", "Statut"],
  ["lead", "Porteur"],
  ["joint", "Partenariat ◆"],
] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number][0];

export interface FieldChange {
  field: ComparedField;
  label: string;
  before: string;
  after: string;
}

export interface PlanDiff {
  added: SnapshotAction[];
  withdrawn: SnapshotAction[];
  changed: { before: SnapshotAction; after: SnapshotAction; fields: FieldChange[] }[];
}

export const STATUS_TEXT: Record<string, string> = {
  planned: "À venir",
  in_progress: "En cours",
  done: "Réalisée",
  paused: "En pause",
  abandoned: "Abandonnée",
};

function fieldText(s: PlanSnapshot, a: SnapshotAction, field: ComparedField): string {
  switch (field) {
    case "title":
      return a.title;
    case "description":
      return a.description ?? "";
    case "objective":
      return s.objectives.find((o) => o.id === a.objectiveId)?.title ?? `Objectif ${a.objectiveId}`;
    case "status":
      return a.status ? (STATUS_TEXT[a.status] ?? a.status) : "Non renseigné";
    case "lead":
      return a.lead ?? "Non renseigné";
    case "joint":
      return a.joint ? "Oui" : "Non";
  }
}

/** What changed from one snapshot to another: actions added, withdrawn, and changed field by field. */
export function diffSnapshots(from: PlanSnapshot, to: PlanSnapshot): PlanDiff {
  const before = new Map(from.actions.map((a) => [a.id, a]));
  const after = new Map(to.actions.map((a) => [a.id, a]));
  const byNumber = (x: SnapshotAction, y: SnapshotAction) => x.number - y.number || x.id - y.id;
  const added = to.actions.filter((a) => !before.has(a.id)).sort(byNumber);
  const withdrawn = from.actions.filter((a) => !after.has(a.id)).sort(byNumber);
  const changed: PlanDiff["changed"] = [];
  for (const a of [...to.actions].sort(byNumber)) {
    const b = before.get(a.id);
    if (!b) continue;
    const fields: FieldChange[] = [];
    for (const [field, label] of COMPARED_FIELDS) {
      const x = fieldText(from, b, field);
      const y = fieldText(to, a, field);
      if (x !== y) fields.push({ field, label, before: x, after: y });
    }
    if (fields.length) changed.push({ before: b, after: a, fields });
  }
  return { added, withdrawn, changed };
}

/** True when nothing changed. */
export function isEmptyDiff(d: PlanDiff): boolean {
  return !d.added.length && !d.withdrawn.length && !d.changed.length;
}

/**
 * Which steps touched each action between version `from` and `to`: the diff of each consecutive
 * pair of versions, so the comparison can name the decision that authorised each change.
 */
export function attributeChanges<V extends { number: number; snapshot: PlanSnapshot; touched?: ReadonlySet<number> }>(versions: V[], from: number, to: number): Map<number, V[]> {
  const out = new Map<number, V[]>();
  const sorted = [...versions].sort((a, b) => a.number - b.number);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.number <= from || cur.number > to) continue;
    const d = diffSnapshots(prev.snapshot, cur.snapshot);
    for (const a of [...d.added, ...d.withdrawn, ...d.changed.map((c) => c.after)]) {
      // A version credits its decision only with the actions its amendment names: the day-to-day
      // follow-up (a status changed on the sheet, an import) shows in the snapshot, not in the decision.
      if (cur.touched && !cur.touched.has(a.id)) continue;
      out.set(a.id, [...(out.get(a.id) ?? []), cur]);
    }
  }
  return out;
}

/** The next number of a per-territory sequence (decisions, amendments, versions): 1 for the first. */
export function nextNumber(existing: number[]): number {
  return existing.reduce((m, n) => Math.max(m, n), 0) + 1;
}

export const BODY_KINDS = ["project_committee", "chair_pair", "steering_committee", "working_group"] as const;
export const BODY_KIND_LABELS: Record<(typeof BODY_KINDS)[number], string> = {
  project_committee: "Comité de projet",
  chair_pair: "Binôme élu–industriel",
  steering_committee: "Comité de pilotage",
  working_group: "Groupe de réflexion",
};
export const SIDES = ["élu", "industriel", "État", "Région", "agent", "autre"] as const;
export const MEETING_STATUS_LABELS = { planned: "Prévue", held: "Tenue", cancelled: "Annulée" } as const;
export const ATTENDANCE_LABELS = { present: "Présent", excused: "Excusé", absent: "Absent" } as const;
export const AGENDA_KIND_LABELS = {
  action_review: "Point sur une action",
  late_milestones: "Jalon en retard",
  status_change: "Changement de statut",
  proposal: "Proposition d'industriel",
  amendment: "Avenant",
  other: "Autre point",
} as const;

/** Parses a list of e-mail addresses separated by commas, semicolons, spaces or new lines. */
export function parseEmails(text: string): { emails: string[]; invalid: string[] } {
  const parts = text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const ok = /^[^\s@<>()"]+@[^\s@<>()"]+\.[^\s@<>()"]+$/;
  const emails: string[] = [];
  const invalid: string[] = [];
  for (const p of parts) {
    if (ok.test(p) && p.length <= 254) {
      if (!emails.includes(p.toLowerCase())) emails.push(p.toLowerCase());
    } else invalid.push(p);
  }
  return { emails, invalid };
}

const dateFmt = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", weekday: "long", day: "numeric", month: "long", year: "numeric" });
const timeFmt = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit" });
const dayFmt = new Intl.DateTimeFormat("fr-FR", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" });

/** "lundi 30 mars 2026, 14 h 00 – 16 h 00" (Europe/Paris). */
export function meetingWhen(start: Date, end: Date): string {
  const t = (d: Date) => timeFmt.format(d).replace(":", " h ");
  return `${dateFmt.format(start)}, ${t(start)} – ${t(end)}`;
}

/** "30 avril 2019" from "2019-04-30". */
export function frenchDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  return dayFmt.format(new Date(Date.UTC(y!, m! - 1, d!)));
}
