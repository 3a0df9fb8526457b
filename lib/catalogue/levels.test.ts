import { describe, expect, it } from "vitest";
import { courseLevelRank, sortLevels } from "@/lib/catalogue/levels";

describe("course level order", () => {
  it("reads beginner → intermediate → advanced → mixed, whatever the case, then other values, then none", () => {
    expect(sortLevels(["MIXED", "advanced", "Expert", "BEGINNER", "Intermediate", "Acrobatic"])).toEqual([
      "BEGINNER",
      "Intermediate",
      "advanced",
      "MIXED",
      "Acrobatic",
      "Expert",
    ]);
  });

  it("ranks no level after every value", () => {
    expect(courseLevelRank(null)).toBeGreaterThan(courseLevelRank("Zzz"));
    expect(courseLevelRank("  ")).toBe(courseLevelRank(undefined));
    expect(courseLevelRank(" beginner ")).toBe(0);
  });
});
