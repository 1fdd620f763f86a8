import { describe, expect, it } from "vitest";
import { achievement, actionFigures, addDays, indicatorStatuses, keyFigures, lateMilestones, moneySummary, mondayOf, progressByTheme, statusByTheme, type DashAction, type DashboardData } from "./model.ts";
import { mergeTerritories } from "./charts.ts";

const action = (id: number, themeId: number, over: Partial<DashAction> = {}): DashAction => ({
  id,
  number: id,
  title: `Action ${id}`,
  description: null,
  status: "in_progress",
  visibility: "published",
  joint: false,
  themeId,
  themeTitle: `Thème ${themeId}`,
  objectiveTitle: "Objectif",
  lead: null,
  partners: [],
  referentElu: null,
  pilots: [],
  startDate: null,
  plannedEndDate: null,
  progressMode: "milestones",
  progressManual: null,
  priority: "normal",
  tags: [],
  ...over,
});

const data: DashboardData = {
  territory: { id: 1, slug: "t", name: "T" },
  today: "2026-06-15",
  themes: [
    { id: 10, title: "Thème 10" },
    { id: 20, title: "Thème 20" },
  ],
  actions: [
    action(1, 10),
    action(2, 10, { status: "done" }),
    action(3, 20, { status: null, progressMode: "manual", progressManual: 30 }),
    action(4, 20, { status: "abandoned" }),
  ],
  milestones: [
    { id: 1, actionId: 1, name: "Étude", dueDate: "2026-01-10", doneDate: "2026-01-05", position: 0 },
    { id: 2, actionId: 1, name: "Travaux", dueDate: "2026-06-01", doneDate: null, position: 1 },
    { id: 3, actionId: 1, name: "Inauguration", dueDate: "2027-01-01", doneDate: null, position: 2 },
    // Late, but the action is abandoned: not counted.
    { id: 4, actionId: 4, name: "Oubliée", dueDate: "2025-01-01", doneDate: null, position: 0 },
  ],
  budget: [
    { actionId: 1, year: 2026, nature: "investment", amountCents: 10_000_000 },
    { actionId: 3, year: 2027, nature: "operating", amountCents: 2_000_000 },
  ],
  financing: [
    { actionId: 1, funderKind: "etat", funderName: "DETR", requestedCents: 5_000_000, grantedCents: 4_000_000, paidCents: 1_000_000, comment: null },
    { actionId: 3, funderKind: "region", funderName: "Impulsion", requestedCents: 3_000_000, grantedCents: 2_000_000, paidCents: 0, comment: null },
  ],
  indicators: [
    { id: 1, actionId: 1, name: "Emplois", unit: "emplois", decimals: 0, baselineValue: 10, baselineDate: "2019-01-01", targets: [{ targetDate: "2025-12-31", value: 20 }, { targetDate: "2028-12-31", value: 30 }], latest: { period: "2026-01-01", value: 20 } },
  ],
  notes: [],
};

describe("reports computations", () => {
  it("counts actions by status and theme, the unknown status in its own column", () => {
    const s = statusByTheme(data);
    expect(s.columns.map((c) => c.label)).toEqual(["À venir", "En cours", "Réalisée", "En pause", "Abandonnée", "Statut non renseigné"]);
    expect(s.counts).toEqual([
      [0, 1, 1, 0, 0, 0],
      [0, 0, 0, 0, 1, 1],
    ]);
  });

  it("averages the known progress by theme (milestones, manual, done = 100 %)", () => {
    const p = progressByTheme(data);
    // Action 1: 1 of 3 milestones → 33 %; action 2: done → 100 %.
    expect(p[0]).toMatchObject({ actions: 2, measured: 2, average: 66.5, done: 1, late: 1 });
    // Action 3: manual 30 %; action 4: no milestone done of 1 → 0 %.
    expect(p[1]).toMatchObject({ actions: 2, measured: 2, average: 15, done: 0, late: 0 });
  });

  it("lists late milestones of running actions, the oldest delay first", () => {
    expect(lateMilestones(data)).toEqual([{ actionId: 1, actionNumber: 1, actionTitle: "Action 1", theme: "Thème 10", milestone: "Travaux", dueDate: "2026-06-01", daysLate: 14 }]);
  });

  it("sums money by funder kind against the planned cost", () => {
    const m = moneySummary(data);
    expect(m.byKind.map((k) => [k.kind, k.requested, k.granted, k.paid])).toEqual([
      ["etat", 5_000_000, 4_000_000, 1_000_000],
      ["region", 3_000_000, 2_000_000, 0],
    ]);
    expect(m).toMatchObject({ plannedCost: 12_000_000, requested: 8_000_000, granted: 6_000_000, paid: 1_000_000, notCovered: 6_000_000, coverage: 50 });
    const f = actionFigures(data);
    expect(f[0]).toMatchObject({ plannedCost: 10_000_000, granted: 4_000_000, progress: 33, late: true, lateMilestones: 1 });
  });

  it("measures indicators from the baseline to the target in force", () => {
    expect(indicatorStatuses(data)[0]).toMatchObject({ baseline: 10, latest: 20, target: 30, targetDate: "2028-12-31", achievement: 50 });
    expect(achievement(null, 5, 10)).toBe(50);
    expect(achievement(10, 10, 10)).toBe(100);
    expect(achievement(10, null, 20)).toBeNull();
    expect(achievement(100, 80, 50)).toBe(40);
  });

  it("gives the key figures, and compares territories as rows", () => {
    expect(keyFigures(data)).toMatchObject({ actions: 4, done: 1, inProgress: 1, late: 1, lateMilestones: 1, averageProgress: 40.8 });
    const merged = mergeTerritories([data, { ...data, territory: { id: 2, slug: "u", name: "U" }, actions: data.actions.map((a) => ({ ...a, id: a.id + 100 })), milestones: [], budget: [], financing: [], indicators: [] }], data.today);
    expect(statusByTheme(merged).themes).toEqual(["T", "U"]);
    expect(statusByTheme(merged).counts.map((r) => r.reduce((a, b) => a + b, 0))).toEqual([4, 4]);
  });

  it("does calendar arithmetic on Paris dates", () => {
    expect(mondayOf("2026-11-29")).toBe("2026-11-23");
    expect(addDays("2026-12-25", 14)).toBe("2027-01-08");
  });
});
