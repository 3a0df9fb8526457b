import { afterAll, describe, expect, it } from "vitest";
import { refreshPlannerStatistics, refreshPlannerStatisticsAsTableGrows } from "@/lib/database/planner-statistics";
import { db, disconnectDb } from "@/lib/db";

afterAll(() => disconnectDb());

/** How many times "Course" was analyzed by hand (each read is its own transaction, so it sees the latest). */
async function courseAnalyzeCount(): Promise<number> {
  const [{ n }] = await db.$queryRaw<{ n: number }[]>`SELECT analyze_count::int AS n FROM pg_stat_user_tables WHERE relname = 'Course'`;
  return n;
}

describe("refreshPlannerStatistics", () => {
  it("analyzes the table after a bulk write, and leaves small runs to autovacuum", async () => {
    const before = await courseAnalyzeCount();
    await refreshPlannerStatistics("Course", 999);
    expect(await courseAnalyzeCount()).toBe(before);
    await refreshPlannerStatistics("Course", 1_000);
    expect(await courseAnalyzeCount()).toBe(before + 1);
  });
});

describe("refreshPlannerStatisticsAsTableGrows", () => {
  it("analyzes once each time a run's created rows cross 2,000, 8,000, 32,000…", async () => {
    const crossings: [number, number, number][] = [
      // before, after, analyzes expected
      [0, 1_999, 0],
      [1_999, 2_000, 1],
      [2_000, 7_999, 0],
      [7_000, 9_000, 1],
      [100, 40_000, 1],
      [32_000, 127_999, 0],
    ];
    for (const [before, after, expected] of crossings) {
      const start = await courseAnalyzeCount();
      await refreshPlannerStatisticsAsTableGrows("Course", before, after);
      expect(await courseAnalyzeCount(), `${before} → ${after}`).toBe(start + expected);
    }
  });
});
