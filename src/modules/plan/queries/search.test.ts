import { describe, expect, it } from "vitest";
import { excerptParts, MARK_END, MARK_START } from "./search.ts";

describe("excerptParts", () => {
  it("splits an excerpt into text and marked parts, dropping stray markers", () => {
    expect(excerptParts(`Une ${MARK_START}réunion${MARK_END} publique à ${MARK_START}Vire${MARK_END}`)).toEqual([
      { text: "Une ", mark: false },
      { text: "réunion", mark: true },
      { text: " publique à ", mark: false },
      { text: "Vire", mark: true },
    ]);
    expect(excerptParts(`<b>${MARK_END}x`)).toEqual([{ text: "<b>x", mark: false }]);
    expect(excerptParts("")).toEqual([]);
  });
});
