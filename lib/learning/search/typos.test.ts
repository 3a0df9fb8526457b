import { describe, expect, it } from "vitest";
import { allowedTypos, corrections, typoDistance } from "./typos";
import { expandedTsquery, literalTsquery } from "./tsquery";

describe("typo distance", () => {
  it("counts a wrong, missing, extra or swapped letter as one mistake", () => {
    expect(typoDistance("python", "python")).toBe(0);
    expect(typoDistance("pythan", "python")).toBe(1); // wrong
    expect(typoDistance("pyton", "python")).toBe(1); // missing
    expect(typoDistance("pythonn", "python")).toBe(1); // extra
    expect(typoDistance("pyhton", "python")).toBe(1); // swapped
    expect(typoDistance("machin", "machine")).toBe(1);
    expect(typoDistance("lerning", "learning")).toBe(1);
    expect(typoDistance("managment", "management")).toBe(1);
    expect(typoDistance("statisitcs", "statistics")).toBe(1);
  });

  it("counts two mistakes as two, and stops counting past the limit", () => {
    expect(typoDistance("kubrenetse", "kubernetes")).toBe(2);
    expect(typoDistance("negociatoin", "negotiation")).toBe(2);
    expect(typoDistance("python", "marketing", 2)).toBe(3);
    expect(typoDistance("a", "abcdef", 1)).toBe(2);
  });

  it("compares letters, not UTF-16 units", () => {
    expect(typoDistance("écolé", "école")).toBe(1);
    expect(typoDistance("日本語学習", "日本語学")).toBe(1);
  });
});

describe("mistakes forgiven", () => {
  it("none under five letters, one from five, two from ten", () => {
    expect(allowedTypos("data")).toBe(0);
    expect(allowedTypos("cloud")).toBe(1);
    expect(allowedTypos("marketing")).toBe(1);
    expect(allowedTypos("kubernetes")).toBe(2);
  });

  it("keeps only candidates within reach, closest first", () => {
    expect(corrections("pyhton", ["python", "pylon", "photon", "pyhton"]).map((c) => c.word)).toEqual(["python"]);
    expect(corrections("desing", ["design", "desire", "dosing", "resign"]).map((c) => c.word)).toEqual(["design", "dosing"]);
    expect(corrections("data", ["date", "dota"])).toEqual([]);
    expect(corrections("kubrenetse", ["kubernetes", "kubernete"]).map((c) => c.word)).toEqual(["kubernetes", "kubernete"]);
  });
});

describe("tsquery text", () => {
  const words = [
    { lexeme: "machin", corrections: ["machine"], prefix: false },
    { lexeme: "lear", corrections: [], prefix: true },
  ];

  it("requires every word, the last as a prefix, and corrections as alternatives", () => {
    expect(literalTsquery(words)).toBe("'machin' & 'lear':*");
    expect(expandedTsquery(words)).toBe("('machin' | 'machine') & 'lear':*");
  });

  it("quotes what could break the syntax", () => {
    expect(literalTsquery([{ lexeme: "o'neil\\", corrections: [], prefix: false }])).toBe("'o''neil\\\\'");
  });
});
