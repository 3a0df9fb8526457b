import "server-only";
import { db } from "@/lib/db";
import { recordRunEvent } from "@/lib/sync/runs";

/**
 * The incremental statistics sync's window. An INCREMENTAL run asks Coursera only for the records
 * with activity or a completion after `changedSince` (lib/coursera/client.ts sends it as
 * `lastActivityAfter` and `completedAtAfter`), and writes them through the same page writer as the
 * daily full sync (lib/statistics/sync.ts): same matching, same unmatched inbox, same
 * never-backwards rules. The daily full sync stays the reconciliation: it reads every record.
 *
 * The window starts where the last successful statistics run (full or incremental) started, minus
 * REPORT_LAG_OVERLAP_MS: Coursera's reports lag live activity by up to a day, so a record can
 * appear in the report up to 24 hours after its `lastActivityAt`; a window starting at the last
 * run itself would miss an activity that happened before that run but was reported after it.
 */

/**
 * 26 hours: the reports' lag of up to 24 hours (docs/coursera-api.md), plus 2 hours for the clocks
 * of Coursera and of our workers, and for a report refresh that lands while a run is reading. The
 * cost is re-reading about a day of changes each hour, which the rules make harmless: a record
 * already applied is compared and not written again. New enrolments without activity (reported up
 * to two days late, and with no `lastActivityAt` to filter on) are the full sync's to bring.
 */
export const REPORT_LAG_OVERLAP_MS = 26 * 3_600_000;

/** Where an incremental run's window starts, given its connector's last successful statistics run (null: read everything). */
export async function incrementalWindowStart(connectorId: string, excludingRunId: string): Promise<Date | null> {
  const last = await db.syncRun.findFirst({
    where: {
      connectorId,
      kind: "STATISTICS",
      status: { in: ["SUCCEEDED", "NEEDS_REVIEW"] },
      finishedAt: { not: null },
      id: { not: excludingRunId },
    },
    orderBy: { finishedAt: "desc" },
    select: { startedAt: true, queuedAt: true },
  });
  if (!last) return null;
  return new Date((last.startedAt ?? last.queuedAt).getTime() - REPORT_LAG_OVERLAP_MS);
}

/**
 * Fixes an INCREMENTAL run's window when it starts (the statistics sync's onStart), once: every
 * page step of the run, retries and continuations included, reads the same window. A FULL run is
 * left as it is. The run's timeline says what was asked.
 */
export async function fixIncrementalWindow(runId: string): Promise<void> {
  const run = await db.syncRun.findUnique({ where: { id: runId }, select: { mode: true, changedSince: true, connectorId: true } });
  if (!run || run.mode !== "INCREMENTAL" || run.changedSince) return;
  const since = await incrementalWindowStart(run.connectorId, runId);
  if (!since) {
    await recordRunEvent(
      runId,
      "STARTED",
      "Incremental: no earlier successful statistics sync to count from, so the whole report is read.",
    );
    return;
  }
  const { count } = await db.syncRun.updateMany({ where: { id: runId, changedSince: null }, data: { changedSince: since } });
  if (count === 1) {
    await recordRunEvent(
      runId,
      "STARTED",
      `Incremental: only records with activity or a completion after ${since.toISOString()} (the last successful sync's start, ` +
        `less ${REPORT_LAG_OVERLAP_MS / 3_600_000} hours for Coursera's report lag).`,
    );
  }
}
