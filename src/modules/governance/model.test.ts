import { describe, expect, it } from "vitest";
import { STATUS_LABELS } from "../plan/api.ts";
import { attributeChanges, diffSnapshots, frenchDate, isEmptyDiff, meetingWhen, nextNumber, parseEmails, STATUS_TEXT, visibleSnapshot, type PlanSnapshot, type SnapshotAction } from "./model.ts";

const action = (id: number, over: Partial<SnapshotAction> = {}): SnapshotAction => ({
  id,
  number: id,
  title: `Action ${id}`,
  description: null,
  status: null,
  visibility: "published",
  objectiveId: 10,
  lead: "IVN",
  joint: false,
  ...over,
});

const snap = (actions: SnapshotAction[]): PlanSnapshot => ({
  themes: [{ id: 1, code: "ATTIRER", title: "Attirer", visibility: "published" }],
  objectives: [
    { id: 10, themeId: 1, title: "Objectif A", visibility: "published" },
    { id: 11, themeId: 1, title: "Objectif B", visibility: "published" },
  ],
  actions,
});

describe("diffSnapshots", () => {
  it("lists added, withdrawn and changed actions field by field", () => {
    const v1 = snap([action(1), action(2), action(3)]);
    const v2 = snap([action(1, { title: "Nouveau titre", objectiveId: 11, status: "in_progress" }), action(3), action(4)]);
    const d = diffSnapshots(v1, v2);
    expect(d.added.map((a) => a.id)).toEqual([4]);
    expect(d.withdrawn.map((a) => a.id)).toEqual([2]);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]!.fields).toEqual([
      { field: "title", label: "Titre", before: "Action 1", after: "Nouveau titre" },
      { field: "objective", label: "Objectif", before: "Objectif A", after: "Objectif B" },
      { field: "status", label: "Statut", before: "Non renseigné", after: "En cours" },
    ]);
    expect(isEmptyDiff(d)).toBe(false);
    expect(isEmptyDiff(diffSnapshots(v1, v1))).toBe(true);
  });

  it("a draft that gets published appears as added for the public, not for the staff", () => {
    const v1 = snap([action(1), action(2, { visibility: "draft" })]);
    const v2 = snap([action(1), action(2, { visibility: "published" })]);
    expect(diffSnapshots(visibleSnapshot(v1, "public"), visibleSnapshot(v2, "public")).added.map((a) => a.id)).toEqual([2]);
    expect(isEmptyDiff(diffSnapshots(visibleSnapshot(v1, "staff"), visibleSnapshot(v2, "staff")))).toBe(true);
  });
});

describe("visibleSnapshot", () => {
  it("keeps published for the public, confidential for follow-up readers, drafts for the staff", () => {
    const s = snap([action(1), action(2, { visibility: "confidential" }), action(3, { visibility: "draft" })]);
    expect(visibleSnapshot(s, "public").actions.map((a) => a.id)).toEqual([1]);
    expect(visibleSnapshot(s, "followup").actions.map((a) => a.id)).toEqual([1, 2]);
    expect(visibleSnapshot(s, "staff").actions.map((a) => a.id)).toEqual([1, 2, 3]);
    const hiddenObjective: PlanSnapshot = { ...s, objectives: s.objectives.map((o) => ({ ...o, visibility: "draft" as const })) };
    expect(visibleSnapshot(hiddenObjective, "public").actions).toEqual([]);
  });
});

describe("attributeChanges", () => {
  it("names the versions that touched each action within the range", () => {
    const versions = [
      { number: 1, snapshot: snap([action(1), action(2)]) },
      { number: 2, snapshot: snap([action(1), action(2), action(3)]) },
      { number: 3, snapshot: snap([action(1, { title: "Changé" }), action(3)]) },
    ];
    const m = attributeChanges(versions, 1, 3);
    expect(m.get(3)!.map((v) => v.number)).toEqual([2]);
    expect(m.get(2)!.map((v) => v.number)).toEqual([3]);
    expect(m.get(1)!.map((v) => v.number)).toEqual([3]);
    expect(attributeChanges(versions, 1, 2).get(1)).toBeUndefined();
  });

  it("credits a version's decision only with the actions its amendment names, not the follow-up done meanwhile", () => {
    const versions = [
      { number: 1, snapshot: snap([action(1), action(2)]) },
      // The amendment changed action 2's title; action 1's title was changed on its sheet meanwhile.
      { number: 2, snapshot: snap([action(1, { title: "Suivi" }), action(2, { title: "Avenant" })]), touched: new Set([2]) },
    ];
    const m = attributeChanges(versions, 1, 2);
    expect(m.get(2)!.map((v) => v.number)).toEqual([2]);
    expect(m.get(1)).toBeUndefined();
  });
});

describe("numbering and helpers", () => {
  it("next number is one after the highest, 1 for the first", () => {
    expect(nextNumber([])).toBe(1);
    expect(nextNumber([1, 3, 2])).toBe(4);
  });
  it("parses e-mail lists and reports the invalid ones", () => {
    expect(parseEmails("a@exemple.fr; B@Exemple.fr, a@exemple.fr\nnot-an-email")).toEqual({ emails: ["a@exemple.fr", "b@exemple.fr"], invalid: ["not-an-email"] });
  });
  it("writes dates and times in French, Paris time", () => {
    expect(meetingWhen(new Date("2026-03-30T12:00:00Z"), new Date("2026-03-30T14:00:00Z"))).toBe("lundi 30 mars 2026, 14 h 00 – 16 h 00");
    expect(frenchDate("2019-04-30")).toBe("30 avril 2019");
  });
});

describe("action status labels", () => {
  it("are the plan's own labels (a planned action is « À venir » everywhere)", () => {
    expect(STATUS_TEXT).toEqual(STATUS_LABELS);
  });
});
