import { db } from "@/lib/db";

/** Below this many rows written by a run, autovacuum's own pace is good enough. */
const MIN_ROWS_WRITTEN = 1_000;

/**
 * Refreshes PostgreSQL's planner statistics of a table a sync has just bulk-written. Until
 * autovacuum gets to it (minutes later), the planner still sees the table as it was: right after a
 * first catalogue sync the platform "has no courses", and the statistics sync that usually follows
 * looked its courses up through an index that scans every course of the platform per key (measured:
 * 25,000 records took 11.6 s instead of ~2 s). ANALYZE reads a fixed sample (30,000 rows), a fraction
 * of a second whatever the table's size. A failure (say, a role that may not ANALYZE) only costs
 * speed, so it is logged and the run goes on.
 */
export async function refreshPlannerStatistics(table: "Course" | "LearnerCourseStat", rowsWritten: number): Promise<void> {
  if (rowsWritten < MIN_ROWS_WRITTEN) return;
  try {
    await db.$executeRawUnsafe(`ANALYZE "${table}"`);
  } catch (error) {
    console.warn(`ANALYZE "${table}" failed, planner statistics stay stale until autovacuum: ${(error as Error).message}`);
  }
}
