import { describe, expect, it } from "vitest";
import { breakdownEquation, countBreakdown, needsReviewHint, triggerLabel } from "./run-labels";

const zero = {
  fetched: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  restored: 0,
  invalid: 0,
  duplicates: 0,
  excluded: 0,
  matched: 0,
  unmatched: 0,
  retired: 0,
  heldRetirements: 0,
};

describe("triggerLabel", () => {
  it("names who or what started each run", () => {
    expect(triggerLabel({ trigger: "SCHEDULE", triggeredByName: null })).toBe("Daily schedule");
    expect(triggerLabel({ trigger: "MANUAL", triggeredByName: "Ada Admin" })).toBe("Sync now by Ada Admin");
    expect(triggerLabel({ trigger: "MANUAL", triggeredByName: null })).toBe("Sync now");
    expect(triggerLabel({ trigger: "CREDENTIALS", triggeredByName: "Ada Admin" })).toBe("Credentials saved by Ada Admin");
    expect(triggerLabel({ trigger: "RETRY", triggeredByName: null })).toBe("Retry");
    expect(triggerLabel({ trigger: "DEMO", triggeredByName: null })).toBe("Demo start (npm run dev)");
    expect(triggerLabel({ trigger: "SELECTION", triggeredByName: "Ada Admin" })).toBe("Import selection changed by Ada Admin");
  });
});

describe("countBreakdown", () => {
  it("a catalogue run's parts add up to what was fetched; retired and held sit beside the sum", () => {
    const b = countBreakdown({
      ...zero,
      kind: "CATALOGUE",
      fetched: 120,
      created: 10,
      updated: 5,
      restored: 1,
      unchanged: 100,
      duplicates: 3,
      invalid: 1,
      retired: 4,
      heldRetirements: 0,
    });
    expect(b.parts.reduce((s, p) => s + p.value, 0)).toBe(120);
    expect(b.unaccounted).toBe(0);
    expect(b.beside.map((p) => [p.key, p.value])).toEqual([
      ["retired", 4],
      ["heldRetirements", 0],
    ]);
    expect(breakdownEquation(b)).toBe("120 fetched = 10 new + 5 updated + 1 restored + 100 unchanged + 3 duplicates + 1 invalid");
    expect(b.parts.find((p) => p.key === "duplicates")?.explanation).toMatch(/came a second time/);
  });

  it("a catalogue run with an import selection: what it left out is a part of the sum", () => {
    const b = countBreakdown({ ...zero, kind: "CATALOGUE", fetched: 30, unchanged: 12, excluded: 18 });
    expect(b.unaccounted).toBe(0);
    expect(breakdownEquation(b)).toBe("30 fetched = 12 unchanged + 18 left out");
    expect(b.parts.find((p) => p.key === "excluded")?.explanation).toMatch(/import selection/);
  });

  it("a statistics run: updated + unchanged (refused regressions included) + unmatched + invalid", () => {
    const b = countBreakdown({
      ...zero,
      kind: "STATISTICS",
      fetched: 50,
      matched: 40,
      updated: 30,
      unchanged: 10,
      unmatched: 7,
      invalid: 3,
    });
    expect(b.unaccounted).toBe(0);
    expect(b.beside).toEqual([]);
    expect(breakdownEquation(b, (n) => n.toLocaleString("en-GB"))).toBe("50 fetched = 30 updated + 10 unchanged + 7 unmatched + 3 invalid");
    expect(b.parts.find((p) => p.key === "unchanged")?.explanation).toMatch(/progress never goes back/);
  });

  it("says so when the parts do not add up, instead of hiding the difference", () => {
    const b = countBreakdown({ ...zero, kind: "CATALOGUE", fetched: 12, created: 10 });
    expect(b.unaccounted).toBe(2);
    expect(breakdownEquation(b)).toBe("12 fetched = 10 new + 2 not accounted for");
    expect(breakdownEquation(countBreakdown({ ...zero, kind: "CATALOGUE" }))).toBe("0 fetched = 0");
  });
});

describe("needsReviewHint", () => {
  const run = { id: "r1", kind: "CATALOGUE" as const, status: "NEEDS_REVIEW" as const, heldRetirements: 7, unmatched: 0, excluded: 0 };

  it("a held mass drop points at the run page's decision, naming its buttons", () => {
    expect(needsReviewHint("p1", run)).toEqual({
      sentence: expect.stringMatching(/^7 courses vanished .*“Retire them” or “Keep them”/),
      href: "/p/p1/syncs/r1#held-retirements",
      linkLabel: "Decide on the run page",
    });
  });

  it("a drop the import selection causes says so", () => {
    expect(needsReviewHint("p1", { ...run, excluded: 40 })?.sentence).toMatch(
      /^7 courses would leave the catalogue at once \(the import selection leaves them out\); nothing is retired/,
    );
  });

  it("unmatched learners point at the inbox", () => {
    expect(needsReviewHint("p1", { ...run, kind: "STATISTICS", heldRetirements: 0, unmatched: 1 })).toMatchObject({
      sentence: expect.stringMatching(/^1 Coursera record could not be matched/),
      href: "/p/p1/unmatched",
    });
  });

  it("nothing for a run that needs no review; a superseded decision says nothing is left", () => {
    expect(needsReviewHint("p1", { ...run, status: "SUCCEEDED" })).toBeNull();
    expect(needsReviewHint("p1", { ...run, heldRetirements: 0 })?.sentence).toMatch(/nothing is left to decide/);
  });
});
