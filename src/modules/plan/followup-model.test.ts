import { describe, expect, it } from "vitest";
import {
  actionLateness,
  actionProgress,
  budgetTotals,
  completeness,
  currentTarget,
  eurosInput,
  financingTotals,
  formatEuros,
  isMilestoneLate,
  milestoneDaysLate,
  milestoneDoneLateBy,
  parisToday,
  parseEuros,
  parseTags,
  progressFromMilestones,
  timeline,
} from "./followup-model.ts";

describe("parisToday", () => {
  it("uses the Paris calendar day, not UTC's", () => {
    // 23:30 UTC on 31 December is already 1 January in Paris (UTC+1 in winter).
    expect(parisToday(new Date("2025-12-31T23:30:00Z"))).toBe("2026-01-01");
    // 22:30 UTC on 30 June is 00:30 on 1 July in Paris (UTC+2 in summer).
    expect(parisToday(new Date("2026-06-30T22:30:00Z"))).toBe("2026-07-01");
    expect(parisToday(new Date("2026-06-30T21:30:00Z"))).toBe("2026-06-30");
  });
});

describe("progress", () => {
  const ms = [
    { dueDate: "2026-01-10", doneDate: "2026-01-09" },
    { dueDate: "2026-03-10", doneDate: null },
    { dueDate: null, doneDate: null },
  ];
  it("derives the share of milestones done, null without milestones", () => {
    expect(progressFromMilestones(ms)).toBe(33);
    expect(progressFromMilestones([])).toBeNull();
    expect(progressFromMilestones([{ dueDate: null, doneDate: "2026-01-01" }])).toBe(100);
  });
  it("uses the entered figure in manual mode and says which", () => {
    expect(actionProgress({ progressMode: "manual", progressManual: 45, status: "in_progress", milestones: ms })).toMatchObject({ percent: 45, mode: "manual" });
    expect(actionProgress({ progressMode: "milestones", progressManual: 45, status: "in_progress", milestones: ms })).toMatchObject({ percent: 33, mode: "milestones" });
    expect(actionProgress({ progressMode: "manual", progressManual: null, status: "planned", milestones: [] }).percent).toBeNull();
    expect(actionProgress({ progressMode: "milestones", progressManual: null, status: "done", milestones: [] }).percent).toBe(100);
    expect(actionProgress({ progressMode: "manual", progressManual: 140, status: null, milestones: [] }).percent).toBe(100);
  });
});

describe("lateness", () => {
  const today = "2026-11-27";
  it("marks undone milestones past due, counting days", () => {
    expect(isMilestoneLate({ dueDate: "2026-11-26", doneDate: null }, today)).toBe(true);
    expect(isMilestoneLate({ dueDate: "2026-11-27", doneDate: null }, today)).toBe(false);
    expect(isMilestoneLate({ dueDate: "2026-01-01", doneDate: "2026-02-01" }, today)).toBe(false);
    expect(isMilestoneLate({ dueDate: null, doneDate: null }, today)).toBe(false);
    expect(milestoneDaysLate({ dueDate: "2026-10-28", doneDate: null }, today)).toBe(30);
    expect(milestoneDoneLateBy({ dueDate: "2026-01-01", doneDate: "2026-01-11" })).toBe(10);
    expect(milestoneDoneLateBy({ dueDate: "2026-01-11", doneDate: "2026-01-01" })).toBe(0);
  });
  it("marks an open action past its planned end, not a done or abandoned one", () => {
    const milestones = [{ dueDate: "2026-11-01", doneDate: null }];
    expect(actionLateness({ status: "in_progress", plannedEndDate: "2026-11-17", milestones }, today)).toEqual({ overdue: true, daysOverdue: 10, lateMilestones: 1, late: true });
    expect(actionLateness({ status: "done", plannedEndDate: "2026-11-17", milestones }, today).late).toBe(false);
    expect(actionLateness({ status: "abandoned", plannedEndDate: "2026-11-17", milestones }, today).late).toBe(false);
    expect(actionLateness({ status: null, plannedEndDate: null, milestones: [] }, today)).toEqual({ overdue: false, daysOverdue: 0, lateMilestones: 0, late: false });
    expect(actionLateness({ status: "planned", plannedEndDate: "2027-01-01", milestones }, today)).toMatchObject({ overdue: false, lateMilestones: 1, late: true });
  });
});

describe("budget and financing", () => {
  it("totals the planned cost by year and nature", () => {
    const t = budgetTotals([
      { year: 2027, nature: "operating", amountCents: 500_00 },
      { year: 2026, nature: "investment", amountCents: 10_000_00 },
      { year: 2026, nature: "operating", amountCents: 2_000_50 },
    ]);
    expect(t.byYear).toEqual([
      { year: 2026, investment: 10_000_00, operating: 2_000_50, total: 12_000_50 },
      { year: 2027, investment: 0, operating: 500_00, total: 500_00 },
    ]);
    expect(t.byNature).toEqual({ investment: 10_000_00, operating: 2_500_50 });
    expect(t.total).toBe(12_500_50);
    expect(budgetTotals([]).total).toBe(0);
  });
  it("totals financing by funder kind and computes the gaps", () => {
    const f = financingTotals(
      [
        { funderKind: "region", requestedCents: 3000_00, grantedCents: 2000_00, paidCents: 500_00 },
        { funderKind: "etat", requestedCents: 5000_00, grantedCents: 5000_00, paidCents: 5000_00 },
        { funderKind: "etat", requestedCents: 1000_00, grantedCents: 0, paidCents: 0 },
      ],
      10_000_00,
    );
    expect(f.byKind.map((k) => [k.kind, k.requested, k.granted, k.paid])).toEqual([
      ["etat", 6000_00, 5000_00, 5000_00],
      ["region", 3000_00, 2000_00, 500_00],
    ]);
    expect(f.total).toEqual({ requested: 9000_00, granted: 7000_00, paid: 5500_00 });
    expect(f.gaps).toEqual({ costMinusGranted: 3000_00, requestedMinusGranted: 2000_00, grantedMinusPaid: 1500_00, coveragePercent: 70 });
    expect(financingTotals([], 0).gaps.coveragePercent).toBeNull();
  });
});

describe("euros", () => {
  it("parses French amounts into cents", () => {
    expect(parseEuros("12 500,50")).toBe(1_250_050);
    expect(parseEuros("12\u202f500,5 €")).toBe(1_250_050);
    expect(parseEuros("12500.50")).toBe(1_250_050);
    expect(parseEuros("12.500,50")).toBe(1_250_050);
    expect(parseEuros("0")).toBe(0);
    expect(parseEuros("7")).toBe(700);
  });
  it("refuses anything else", () => {
    for (const bad of ["", "abc", "-5", "1,234", "1,2,3", "12,5.0", "1e5", "12 500,505"]) expect(parseEuros(bad), bad).toBeNull();
  });
  it("formats and re-shows amounts", () => {
    expect(formatEuros(1_250_050)).toBe("12\u202f500,50\u00a0€");
    expect(formatEuros(1_250_000)).toBe("12\u202f500\u00a0€");
    expect(formatEuros(null)).toBe("—");
    expect(eurosInput(1_250_050)).toBe("12500,50");
    expect(eurosInput(1_250_000)).toBe("12500");
    expect(eurosInput(null)).toBe("");
  });
});

describe("completeness", () => {
  it("lists what is missing on the sheet", () => {
    const c = completeness({ pilots: 1, referentElu: " ", leadAuthorityId: 3, status: "planned", startDate: "2026-01-01", plannedEndDate: null, milestones: 2, budgetLines: 0, financingLines: 1, indicators: 0, description: "Texte" });
    expect(c.missing.map((m) => m.key)).toEqual(["referent", "dates", "budget", "indicator"]);
    expect(c.percent).toBe(60);
    expect(c.items).toHaveLength(10);
  });
});

describe("misc", () => {
  it("orders a timeline newest first", () => {
    const t = timeline([
      { at: "2026-01-01", kind: "milestone", title: "a", detail: null },
      { at: "2026-03-01T10:00:00.000Z", kind: "status", title: "b", detail: null },
      { at: "2026-02-01", kind: "note", title: "c", detail: null },
    ]);
    expect(t.map((e) => e.title)).toEqual(["b", "c", "a"]);
  });
  it("finds the target in force", () => {
    const targets = [{ targetDate: "2027-12-31", value: 20 }, { targetDate: "2026-12-31", value: 10 }];
    expect(currentTarget(targets, "2026-06-01")?.value).toBe(10);
    expect(currentTarget(targets, "2027-06-01")?.value).toBe(20);
    expect(currentTarget(targets, "2030-01-01")?.value).toBe(20);
    expect(currentTarget([], "2030-01-01")).toBeNull();
  });
  it("cleans tags", () => {
    expect(parseTags(" Emploi, emploi ; Foncier,, ")).toEqual(["Emploi", "Foncier"]);
  });
});
