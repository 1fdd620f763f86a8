import { describe, expect, it } from "vitest";
import { toCsv } from "./csv.ts";

describe("toCsv", () => {
  it("writes UTF-8 with a BOM, `;` separators and CRLF line ends", () => {
    const csv = toCsv(["Numéro", "Action"], [[1, "Première"], [2, "Deuxième"]]);
    expect(csv).toBe("\uFEFFNuméro;Action\r\n1;Première\r\n2;Deuxième\r\n");
    expect(Buffer.from(csv, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it("quotes cells holding separators, quotes or line breaks", () => {
    expect(toCsv(["a"], [["x;y"], ['dit "bonjour"'], ["deux\nlignes"], ["a\r\nb"]])).toBe('\uFEFFa\r\n"x;y"\r\n"dit ""bonjour"""\r\n"deux\nlignes"\r\n"a\r\nb"\r\n');
  });

  it("writes booleans as oui/non and empty values as empty cells", () => {
    expect(toCsv(["a", "b", "c", "d"], [[true, false, null, undefined]])).toBe("\uFEFFa;b;c;d\r\noui;non;;\r\n");
  });

  it("neutralises cells a spreadsheet would run as formulas", () => {
    const cells = ["=HYPERLINK(\"http://evil\")", "+33 1 23", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"];
    const csv = toCsv(["x"], cells.map((c) => [c]));
    const lines = csv.slice(1).split("\r\n");
    expect(lines[1]).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(lines[2]).toBe("'+33 1 23");
    expect(lines[3]).toBe("'-2+3");
    expect(lines[4]).toBe("'@SUM(A1)");
    expect(lines[5]).toBe("'\tcmd");
    // Every data cell starts with the apostrophe, quoted or not.
    for (const l of lines.slice(1, 6)) expect(l.replace(/^"/, "").startsWith("'")).toBe(true);
    // Plain text and numbers are untouched.
    expect(toCsv(["x"], [["Action 1"], [-5]])).toBe("\uFEFFx\r\nAction 1\r\n'-5\r\n");
  });
});
