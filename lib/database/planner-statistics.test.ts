import { afterAll, describe, expect, it } from "vitest";
import { refreshPlannerStatistics } from "@/lib/database/planner-statistics";
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
