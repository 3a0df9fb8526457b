import "server-only";
import { inngest } from "@/inngest/client";
import { statisticsSyncRequested } from "@/inngest/events";
import {
  addCounts,
  failStatisticsRun,
  finishStatisticsRun,
  startStatisticsRun,
  syncStatisticsPages,
  zeroCounts,
} from "@/lib/statistics/sync";

/**
 * One statistics sync of one connector ("Sync now", the daily schedule, new
 * credentials): start → one step per two pages of Coursera's enrollment
 * reports (written concurrently, lib/sync/page-step.ts) → finish. Each page
 * step is memoised, so a retry resumes at the step that failed; a page already
 * written by the run is skipped (SyncRunPage) and a page's writes are
 * idempotent anyway (never-backwards merges), so even a page replayed after a
 * crash changes nothing twice. Step outputs stay tiny: the next offset and the
 * step's counts.
 */
export const statisticsSync = inngest.createFunction(
  {
    id: "statistics-sync",
    name: "Coursera statistics sync",
    triggers: [statisticsSyncRequested],
    concurrency: { limit: 1, key: "event.data.connectorId" },
    retries: 3,
    onFailure: async ({ event, error }) => {
      const original = (event.data as { event?: { data?: { runId?: string } } }).event;
      const runId = original?.data?.runId;
      if (runId) await failStatisticsRun(runId, error);
    },
  },
  async ({ event, step }) => {
    const { connectorId, runId } = event.data;
    const started = await step.run("start", () => startStatisticsRun(runId));
    if (!started) return { runId, skipped: true };

    let start: number | null = 0;
    let totals = zeroCounts();
    while (start !== null) {
      const offset: number = start;
      const page = await step.run(`page-${offset}`, () => syncStatisticsPages({ runId, connectorId, start: offset }));
      totals = addCounts(totals, page.counts);
      start = page.next;
    }

    const finished = await step.run("finish", () => finishStatisticsRun(runId));
    return { runId, status: finished.status, ...totals };
  },
);
