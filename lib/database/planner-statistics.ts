import "server-only";
import { db } from "@/lib/db";

type SyncedTable = "Course" | "LearnerCourseStat";

/**
 * The columns the syncs' per-key lookups are planned on. While a run is still growing a table only
 * these are analyzed: the text and search columns (titles, descriptions, the tsvector) are what
 * makes ANALYZE of "Course" cost half a second, and nothing the sync runs depends on them. The
 * run's final refresh analyzes every column, for the admin and learner pages.
 */
const LOOKUP_COLUMNS: Record<SyncedTable, string[]> = {
  Course: ["platformId", "source", "courseraContentId"],
  LearnerCourseStat: ["platformId", "userId", "courseId"],
};

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
export async function refreshPlannerStatistics(table: SyncedTable, rowsWritten: number): Promise<void> {
  if (rowsWritten >= MIN_ROWS_WRITTEN) await analyze(table);
}

/**
 * For a run that creates rows as it goes (a platform's first catalogue sync grows it from nothing
 * to 100,000 courses): statistics refreshed each time the run's created rows cross 2,000, 8,000,
 * 32,000, 128,000… Without it, the page lookups planned for an empty platform scan the platform's
 * courses by another index, and the 100,000-item first sync of a new customer on a shared database
 * took 4 minutes instead of 30 seconds.
 */
export async function refreshPlannerStatisticsAsTableGrows(table: SyncedTable, createdBefore: number, createdAfter: number): Promise<void> {
  for (let threshold = 2_000; threshold <= createdAfter; threshold *= 4) {
    if (createdBefore < threshold) return analyze(table, LOOKUP_COLUMNS[table]);
  }
}

async function analyze(table: SyncedTable, columns?: string[]): Promise<void> {
  const columnList = columns ? ` (${columns.map((c) => `"${c}"`).join(", ")})` : "";
  try {
    await db.$executeRawUnsafe(`ANALYZE "${table}"${columnList}`);
  } catch (error) {
    console.warn(`ANALYZE "${table}" failed, planner statistics stay stale until autovacuum: ${(error as Error).message}`);
  }
}
