import { describe, expect, it } from "vitest";
import { countByStatus, isPublic, moveInOrder, nextActionNumber, plural, statusLabel, STATUS_LABELS } from "./model.ts";

describe("nextActionNumber", () => {
  it("follows the highest number, gaps and archived numbers included (never reused)", () => {
    expect(nextActionNumber([])).toBe(1);
    expect(nextActionNumber([1, 2, 3])).toBe(4);
    expect(nextActionNumber([3, 1, 19, 7])).toBe(20);
    expect(nextActionNumber([1, 2, 5])).toBe(6);
  });
});

describe("moveInOrder", () => {
  const items = [{ id: 10 }, { id: 20 }, { id: 30 }];

  it("swaps an item with its neighbour and renumbers positions from 0", () => {
    expect(moveInOrder(items, 20, "up")).toEqual([
      { id: 20, position: 0 },
      { id: 10, position: 1 },
      { id: 30, position: 2 },
    ]);
    expect(moveInOrder(items, 20, "down")).toEqual([
      { id: 10, position: 0 },
      { id: 30, position: 1 },
      { id: 20, position: 2 },
    ]);
  });

  it("answers null when the item cannot move or is not in the list", () => {
    expect(moveInOrder(items, 10, "up")).toBeNull();
    expect(moveInOrder(items, 30, "down")).toBeNull();
    expect(moveInOrder(items, 99, "up")).toBeNull();
    expect(moveInOrder([], 1, "down")).toBeNull();
    expect(moveInOrder([{ id: 1 }], 1, "up")).toBeNull();
  });

  it("does not change the list it is given", () => {
    const copy = structuredClone(items);
    moveInOrder(items, 10, "down");
    expect(items).toEqual(copy);
  });
});

describe("countByStatus", () => {
  it("counts every status in the plan's order, zeros included, the unknown last and only when present", () => {
    const counts = countByStatus([{ status: "done" }, { status: "done" }, { status: "planned" }, { status: null }]);
    expect(counts.map((c) => [c.status, c.label, c.count])).toEqual([
      ["planned", "À venir", 1],
      ["in_progress", "En cours", 0],
      ["done", "Réalisée", 2],
      ["paused", "En pause", 0],
      ["abandoned", "Abandonnée", 0],
      [null, "Statut non renseigné", 1],
    ]);
    expect(countByStatus([{ status: "paused" }]).some((c) => c.status === null)).toBe(false);
    expect(countByStatus([]).every((c) => c.count === 0)).toBe(true);
  });

  it("counts the 19 reference actions as all unknown", () => {
    const counts = countByStatus(Array.from({ length: 19 }, () => ({ status: null })));
    expect(counts.at(-1)).toEqual({ status: null, label: "Statut non renseigné", count: 19 });
    expect(counts.reduce((s, c) => s + c.count, 0)).toBe(19);
  });
});

describe("labels and visibility", () => {
  it("labels statuses in French, and their absence", () => {
    expect(statusLabel(null)).toBe("Statut non renseigné");
    for (const [s, label] of Object.entries(STATUS_LABELS)) expect(statusLabel(s as keyof typeof STATUS_LABELS)).toBe(label);
  });

  it("publishes only published, live content", () => {
    expect(isPublic({ visibility: "published", archivedAt: null })).toBe(true);
    expect(isPublic({ visibility: "published", archivedAt: new Date() })).toBe(false);
    expect(isPublic({ visibility: "draft", archivedAt: null })).toBe(false);
    expect(isPublic({ visibility: "confidential", archivedAt: null })).toBe(false);
  });

  it("writes French plurals with French digit grouping", () => {
    expect(plural(0, "action", "actions")).toBe("0 action");
    expect(plural(1, "action", "actions")).toBe("1 action");
    expect(plural(19, "action", "actions")).toBe("19 actions");
    expect(plural(1234, "habitant", "habitants")).toBe("1\u202f234 habitants");
  });
});
