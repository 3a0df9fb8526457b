import "server-only";
import { db } from "@/lib/db";
import type { CourseraPage } from "@/lib/coursera/client";
import type { CourseraEnrollment } from "@/lib/coursera/schema";
import { addRunProblems, addToRunCounters, claimRunPage, finishRun } from "@/lib/sync/runs";
import type { PagedSync } from "@/lib/sync/pipeline";
import { applyStats, type StatToApply } from "@/lib/statistics/apply";
import { identityKeyOf, loadCourseIds, loadUserMatcher } from "@/lib/statistics/matching";
import { refreshPlannerStatistics } from "@/lib/database/planner-statistics";
import { fixIncrementalWindow } from "@/lib/statistics/incremental";
import { reconcileStepProgress } from "@/lib/statistics/programs";
import { holdUnmatched, resolveMatchedHeld, type RecordToHold } from "@/lib/statistics/unmatched";

/**
 * The statistics sync, one page of Coursera's enrollment reports at a time,
 * as a configuration of the paged-sync pipeline (lib/sync/pipeline.ts). A
 * page costs a fixed number of queries
 * whatever its size: links, users, courses, stored stats, one write of the
 * rows that changed, one upsert of the records held for an admin, counters.
 */

export const STATISTICS_PAGE_SIZE = 1000;

export type PageCounts = {
  fetched: number;
  matched: number;
  updated: number;
  unchanged: number;
  unmatched: number;
  invalid: number;
};

export const zeroCounts = (): PageCounts => ({ fetched: 0, matched: 0, updated: 0, unchanged: 0, unmatched: 0, invalid: 0 });

/** Writes one fetched page: matching, statistics, held records, counters and problems, in one transaction. */
export async function processEnrollmentPage(input: {
  platformId: string;
  runId: string;
  /** `start`: the page's offset; a page already written by the run is not written or counted again. */
  page: Pick<CourseraPage<CourseraEnrollment>, "start" | "items" | "invalid" | "rawCount" | "total">;
  readAt?: Date;
}): Promise<PageCounts> {
  const { platformId, runId, page } = input;
  const readAt = input.readAt ?? new Date();
  const problems: { kind: "INVALID_RECORD"; itemId: string | null; message: string; detail?: unknown }[] = page.invalid.map((i) => ({
    kind: "INVALID_RECORD",
    itemId: i.id,
    message: `Enrollment record skipped: ${i.reason}`,
  }));

  const records: { record: CourseraEnrollment; identityKey: string }[] = [];
  for (const record of page.items) {
    const identityKey = identityKeyOf(record);
    if (identityKey) records.push({ record, identityKey });
    else {
      problems.push({
        kind: "INVALID_RECORD",
        itemId: record.recordId,
        message: "Enrollment record skipped: it names no learner (no externalId and no email).",
        detail: { contentId: record.contentId, contentName: record.contentName },
      });
    }
  }

  return db.$transaction(
    async (tx) => {
      if (!(await claimRunPage(tx, runId, page.start))) return zeroCounts();
      const [matcher, courses] = await Promise.all([
        loadUserMatcher(
          platformId,
          records.map((r) => r.record),
          tx,
        ),
        loadCourseIds(
          platformId,
          records.map((r) => r.record.contentId),
          tx,
        ),
      ]);
      const toApply: StatToApply[] = [];
      const matchedKeys: { identityKey: string; contentId: string; userId: string }[] = [];
      const toHold: RecordToHold[] = [];
      for (const { record, identityKey } of records) {
        const user = matcher.match(record);
        const courseId = courses.get(record.contentId);
        if (!user) toHold.push({ identityKey, reason: "NO_USER", record });
        else if (!courseId) toHold.push({ identityKey, reason: "NO_COURSE", record });
        else {
          toApply.push({ userId: user.userId, courseId, report: record, readAt });
          matchedKeys.push({ identityKey, contentId: record.contentId, userId: user.userId });
        }
      }

      const applied = await applyStats(tx, { platformId, runId, items: toApply });
      await holdUnmatched(tx, { platformId, runId, readAt, records: toHold });
      await resolveMatchedHeld(tx, { platformId, readAt, matched: matchedKeys });

      const updated = applied.written.filter(Boolean).length;
      const counts: PageCounts = {
        fetched: page.rawCount,
        matched: toApply.length,
        updated,
        unchanged: toApply.length - updated,
        unmatched: toHold.length,
        invalid: problems.length,
      };
      await addToRunCounters(runId, { ...counts, pages: 1, progressDone: page.rawCount }, page.total ?? undefined, tx);
      await addRunProblems(runId, problems, tx);
      return counts;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** The statistics sync's configuration of the paged-sync pipeline: Coursera's enrollment reports, page by page. */
export const statisticsSync: PagedSync<CourseraPage<CourseraEnrollment>, PageCounts, null> = {
  kind: "STATISTICS",
  noun: "statistics",
  keptOnFailure: "Statistics applied so far are kept",
  zeroCounts,
  // An INCREMENTAL run (the hourly sync, lib/statistics/incremental.ts) reads only the records
  // changed in its window and writes them with the same page writer; a FULL run reads them all.
  incremental: true,
  onStart: ({ runId }) => fixIncrementalWindow(runId),
  fetchPage: (client, start, scope) =>
    client.fetchEnrollmentsPage({
      start,
      limit: STATISTICS_PAGE_SIZE,
      changedSince: scope.mode === "INCREMENTAL" ? scope.changedSince : null,
    }),
  writePage: (run, page) => processEnrollmentPage({ platformId: run.platformId, runId: run.runId, page }),
  finish: async (runId) => (await finishStatisticsRun(runId)).status,
};

/**
 * Ends a complete run: on a FULL run, StepProgress reconciled with every
 * statistic (catches enrolments made after the statistics arrived: a sweep of
 * the platform, the daily reconciliation's work; an INCREMENTAL run already
 * moved the steps of the rows it wrote, in applyStats), then SUCCEEDED, or
 * NEEDS_REVIEW when records of this run wait in the unmatched inbox.
 */
async function finishStatisticsRun(runId: string): Promise<{ status: "SUCCEEDED" | "NEEDS_REVIEW"; openUnmatched: number }> {
  const run = await db.syncRun.findUniqueOrThrow({
    where: { id: runId },
    select: { platformId: true, updated: true, mode: true, changedSince: true },
  });
  const readEverything = run.mode === "FULL" || run.changedSince === null;
  if (run.mode === "FULL") await reconcileStepProgress({ platformId: run.platformId });
  // A windowed incremental run rewrites a small share of existing rows (a day of activity): the
  // planner's picture of the table holds, and autovacuum's pace suffices. ANALYZE would add a
  // fixed cost (a 30,000-row sample) however few rows it wrote.
  if (readEverything) await refreshPlannerStatistics("LearnerCourseStat", run.updated);
  const openUnmatched = await db.unmatchedLearnerRecord.count({
    where: { platformId: run.platformId, lastRunId: runId, resolvedAt: null },
  });
  if (openUnmatched > 0) {
    await addRunProblems(runId, [
      {
        kind: "WARNING",
        message:
          `${openUnmatched} Coursera record${openUnmatched === 1 ? "" : "s"} could not be matched to a learner or a course. ` +
          "They are kept in the unmatched learners inbox: link each identity to a user to apply its statistics.",
      },
    ]);
  }
  const status = openUnmatched > 0 ? "NEEDS_REVIEW" : "SUCCEEDED";
  await finishRun(runId, status);
  return { status, openUnmatched };
}
