import "server-only";
import { NonRetriableError } from "inngest";
import { db } from "@/lib/db";
import { courseraClientForConnector } from "@/lib/connectors/coursera-client";
import type { CourseraPage } from "@/lib/coursera/client";
import { CourseraError } from "@/lib/coursera/errors";
import type { CourseraEnrollment } from "@/lib/coursera/schema";
import { addRunProblems, addToRunCounters, claimRunPage, finishRun, markRunStarted } from "@/lib/sync/runs";
import { applyStats, type StatToApply } from "@/lib/statistics/apply";
import { identityKeyOf, loadCourseIds, loadUserMatcher } from "@/lib/statistics/matching";
import { refreshPlannerStatistics } from "@/lib/database/planner-statistics";
import { reconcileStepProgress } from "@/lib/statistics/programs";
import { runPageStep } from "@/lib/sync/page-step";
import { dropReadAhead } from "@/lib/sync/read-ahead";
import { holdUnmatched, resolveMatchedHeld, type RecordToHold } from "@/lib/statistics/unmatched";

/**
 * The statistics sync, one page of Coursera's enrollment reports at a time.
 * inngest/functions/statistics-sync.ts runs two pages per step; the
 * benchmark calls the same functions. A page costs a fixed number of queries
 * whatever its size: links, users, courses, stored stats, one write of the
 * rows that changed, one upsert of the records held for an admin, counters.
 */

export const STATISTICS_PAGE_SIZE = 1000;

export interface PageCounts {
  fetched: number;
  matched: number;
  updated: number;
  unchanged: number;
  unmatched: number;
  invalid: number;
}

export const zeroCounts = (): PageCounts => ({ fetched: 0, matched: 0, updated: 0, unchanged: 0, unmatched: 0, invalid: 0 });

export function addCounts(a: PageCounts, b: PageCounts): PageCounts {
  return {
    fetched: a.fetched + b.fetched,
    matched: a.matched + b.matched,
    updated: a.updated + b.updated,
    unchanged: a.unchanged + b.unchanged,
    unmatched: a.unmatched + b.unmatched,
    invalid: a.invalid + b.invalid,
  };
}

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

async function loadRunContext(runId: string, connectorId: string) {
  const run = await db.syncRun.findUnique({
    where: { id: runId },
    select: { id: true, status: true, kind: true, platformId: true, connectorId: true, errorCode: true },
  });
  if (!run || run.kind !== "STATISTICS" || run.connectorId !== connectorId) {
    throw new NonRetriableError(`Statistics run ${runId} of connector ${connectorId} does not exist.`);
  }
  const connector = await db.courseraConnector.findUnique({
    where: { id: connectorId },
    select: { enabled: true, orgId: true, clientId: true, clientSecretEncrypted: true },
  });
  if (!connector?.enabled)
    return stop(runId, "CONNECTOR_DISABLED", "The Coursera connector was disabled while the statistics sync was running.");
  if (!connector.orgId || !connector.clientId || !connector.clientSecretEncrypted) {
    return stop(runId, "CONNECTOR_NOT_READY", "The Coursera credentials were removed while the statistics sync was running.");
  }
  return { run, connector };
}

/** Ends the run for a reason no retry can fix, keeping that reason for the history. */
async function stop(runId: string, code: string, message: string): Promise<never> {
  await rememberRunError(runId, { code, message });
  throw new NonRetriableError(message);
}

/**
 * Fetches and writes the enrollment pages of one step, from `start`
 * (lib/sync/page-step.ts: two pages, written concurrently). A Coursera failure
 * that a later try could fix (UNAVAILABLE, MALFORMED_RESPONSE) is rethrown so
 * the step is retried; one that needs a person (bad credentials, no API
 * access, unknown org) ends the run at once. Either way the run keeps the
 * person-readable reason, which onFailure turns into the run's error.
 */
export async function syncStatisticsPages(input: {
  runId: string;
  connectorId: string;
  start: number;
  limit?: number;
}): Promise<{ next: number | null; counts: PageCounts }> {
  const { run, connector } = await loadRunContext(input.runId, input.connectorId);
  if (run.status !== "RUNNING" && run.status !== "QUEUED") return { next: null, counts: zeroCounts() };
  const client = courseraClientForConnector(connector);
  const limit = input.limit ?? STATISTICS_PAGE_SIZE;
  let step: { next: number | null; counts: PageCounts[] };
  try {
    step = await runPageStep({
      runId: input.runId,
      start: input.start,
      fetch: (start) => client.fetchEnrollmentsPage({ start, limit }),
      write: (page) => processEnrollmentPage({ platformId: run.platformId, runId: input.runId, page }),
    });
  } catch (error) {
    if (!(error instanceof CourseraError)) throw error;
    await rememberRunError(input.runId, { code: error.code, message: error.message });
    if (!error.retryable) throw new NonRetriableError(error.message, { cause: error });
    throw error;
  }
  // A failure remembered by an earlier attempt is over once pages come through.
  if (run.errorCode) await db.syncRun.updateMany({ where: { id: input.runId }, data: { errorCode: null, errorMessage: null } });
  return { next: step.next, counts: step.counts.reduce(addCounts, zeroCounts()) };
}

/** QUEUED → RUNNING; false when the run is already over (nothing to do). */
export function startStatisticsRun(runId: string): Promise<boolean> {
  return markRunStarted(runId);
}

/**
 * Ends a complete run: StepProgress reconciled with every statistic (cheap,
 * and catches enrolments made after the statistics arrived), then SUCCEEDED,
 * or NEEDS_REVIEW when records of this run wait in the unmatched inbox.
 */
export async function finishStatisticsRun(runId: string): Promise<{ status: "SUCCEEDED" | "NEEDS_REVIEW"; openUnmatched: number }> {
  dropReadAhead(`${runId}:`);
  const run = await db.syncRun.findUniqueOrThrow({ where: { id: runId }, select: { platformId: true, updated: true } });
  await reconcileStepProgress({ platformId: run.platformId });
  await refreshPlannerStatistics("LearnerCourseStat", run.updated);
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

/** Marks the run FAILED with the reason kept by the failing step (else a generic, person-readable one). */
export async function failStatisticsRun(runId: string, error: { name?: string; message?: string } | undefined): Promise<void> {
  dropReadAhead(`${runId}:`);
  const run = await db.syncRun.findUnique({ where: { id: runId }, select: { errorCode: true, errorMessage: true } });
  if (!run) return;
  if (run.errorCode && run.errorMessage) {
    await finishRun(runId, "FAILED", { code: run.errorCode, message: run.errorMessage });
    return;
  }
  // Not a Coursera failure (the database, a bug): its raw text is logged, never shown.
  console.error(`statistics sync ${runId} failed: ${error?.name ?? "Error"}: ${error?.message ?? "unknown"}`);
  await finishRun(runId, "FAILED", {
    code: "INTERNAL",
    message: "The statistics sync stopped on an unexpected error. Statistics applied so far are kept; the next run will try again.",
  });
}

/** Keeps the latest failure on a running run: the history shows why it is retrying, and onFailure reuses it. */
async function rememberRunError(runId: string, error: { code: string; message: string }): Promise<void> {
  await db.syncRun.updateMany({
    where: { id: runId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { errorCode: error.code, errorMessage: error.message, heartbeatAt: new Date() },
  });
}
