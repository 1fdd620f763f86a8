import { describe, expect, it } from "vitest";
import { evaluationRefusal, formatEuros, mergeTargetRefusal, PROPOSAL_STATES, transitionRefusal, type ProposalState } from "./model.ts";

describe("proposal transitions", () => {
  it("allows exactly submitted → under_review → accepted / rejected / merged", () => {
    const allowed: string[] = [];
    for (const from of PROPOSAL_STATES) for (const to of PROPOSAL_STATES) if (transitionRefusal(from, to) === null) allowed.push(`${from}→${to}`);
    expect(allowed.sort()).toEqual(["submitted→under_review", "under_review→accepted", "under_review→merged", "under_review→rejected"]);
  });
  it("explains each refusal in French", () => {
    expect(transitionRefusal("rejected", "accepted")).toContain("n'a pas été retenue");
    expect(transitionRefusal("submitted", "accepted")).toContain("Mettez d'abord");
    expect(transitionRefusal("accepted", "rejected")).toContain("déjà été acceptée");
  });
  it("lets the evaluation be written only while under review", () => {
    const ok = PROPOSAL_STATES.filter((s: ProposalState) => evaluationRefusal(s) === null);
    expect(ok).toEqual(["under_review"]);
  });
  it("merges only into another live proposal", () => {
    expect(mergeTargetRefusal(1, undefined)).not.toBeNull();
    expect(mergeTargetRefusal(1, { id: 1, status: "submitted" })).toContain("elle-même");
    expect(mergeTargetRefusal(1, { id: 2, status: "rejected" })).not.toBeNull();
    expect(mergeTargetRefusal(1, { id: 2, status: "accepted" })).toBeNull();
  });
  it("formats budgets in euros the French way", () => {
    expect(formatEuros(15000).replace(/\s/g, " ")).toBe("15 000 €");
    expect(formatEuros(null)).toBe("Non précisé");
  });
});
