import { describe, expect, it } from "vitest";
import { answerRefusal, closeRefusal, fillTimeRefusal, identityLeaks, publishRefusal, stateAfterAssign } from "./model.ts";

describe("questions' rules", () => {
  it("answers once, never a closed question", () => {
    expect(answerRefusal("new")).toBeNull();
    expect(answerRefusal("assigned")).toBeNull();
    expect(answerRefusal("answered")).toContain("déjà été envoyée");
    expect(answerRefusal("closed")).toContain("close");
    expect(closeRefusal("closed")).not.toBeNull();
    expect(stateAfterAssign("new")).toBe("assigned");
    expect(stateAfterAssign("answered")).toBe("answered");
  });
  it("publishes only answered questions", () => {
    expect(publishRefusal({ status: "assigned", answer: null })).toContain("Répondez d'abord");
    expect(publishRefusal({ status: "answered", answer: "Oui." })).toBeNull();
  });
  it("finds the asker's identity in a text meant for the FAQ", () => {
    const asker = { name: "Élodie Marchand", email: "e.marchand@fonderie.fr", companyName: "Fonderie du Noireau" };
    expect(identityLeaks("Comment adhérer au groupement ?", asker)).toEqual([]);
    expect(identityLeaks("Mme elodie marchand demande…", asker)).toEqual(["son nom"]);
    expect(identityLeaks("Pour Marchand : oui", asker)).toEqual(["son nom"]);
    expect(identityLeaks("écrire à e.marchand@fonderie.fr", asker)).toContain("son adresse électronique");
    expect(identityLeaks("La FONDERIE DU NOIREAU peut-elle…", asker)).toEqual(["son entreprise"]);
  });
  it("refuses forms sent too fast or without their stamp", () => {
    const now = 1_800_000_000_000;
    expect(fillTimeRefusal(undefined, now)).not.toBeNull();
    expect(fillTimeRefusal("abc", now)).not.toBeNull();
    expect(fillTimeRefusal(String(now - 1000), now)).toContain("très vite");
    expect(fillTimeRefusal(String(now - 10_000), now)).toBeNull();
    expect(fillTimeRefusal(String(now + 3_600_000), now)).not.toBeNull();
  });
});
