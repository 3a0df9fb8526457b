import "server-only";
import { NonRetriableError } from "inngest";
import { defineFunction, type FunctionContext } from "@/inngest/define";
import { EVENTS, type SyncRequest } from "@/inngest/events";
import { catalogueSync } from "@/lib/catalogue/sync";
import { statisticsSync } from "@/lib/statistics/sync";
import { syncBudget } from "@/lib/sync/budget";
import { SyncStepError, isSyncStepError } from "@/lib/sync/errors";
import {
  addCounts,
  completeSyncRun,
  failSyncRun,
  finishSyncRun,
  noteContinuation,
  startSyncRun,
  syncPages,
  type AnyPagedSync,
  type Counts,
} from "@/lib/sync/pipeline";
import { recordRunEvent } from "@/lib/sync/runs";
import { workerLabel } from "@/lib/sync/worker-identity";

/**
 * One sync of one connector (the schedule, "Sync now", credentials saved), for
 * either pipeline configuration (lib/sync/pipeline.ts):
 *
 *   start → page steps, each as many pages as its budget allows → complete → finish
 *
 * Every step is memoised, so a retry resumes at the step that failed; pages a
 * failed step already wrote are skipped (SyncRunPage). A run stays within
 * Inngest's limits at any listing size: after `pageStepsPerRun` page steps it
 * sends a continuation event carrying the next offset and ends; the next job
 * run (same sync run, same history and live progress) picks up there. Work that
 * needs the complete listing (retirement) runs only in the part that reaches
 * the listing's end. One run at a time per connector, and per Coursera
 * organisation across every worker, so the organisation's request budget
 * (COURSERA_REQUESTS_PER_SECOND, kept per process) holds across the fleet.
 */
function defineSyncFunction(options: {
  id: string;
  name: string;
  event: (typeof EVENTS)["catalogueSyncRequested" | "statisticsSyncRequested"];
  sync: AnyPagedSync;
}) {
  const { sync, event: trigger } = options;
  return defineFunction<SyncRequest>({
    id: options.id,
    name: options.name,
    trigger: { event: trigger },
    retries: 3,
    concurrency: [
      { limit: 1, key: "event.data.connectorId" },
      { limit: 1, key: '"coursera-org-" + event.data.orgId', scope: "env" },
    ],
    onFailure: async ({ event, error }) => {
      const runId = event.data.event?.data?.runId;
      if (!runId) return;
      await failSyncRun(sync, runId, error);
      // A failed run may open an alert (lib/alerts/reconcile.ts); if this send fails, the alerts sweep finds it.
      // Imported here: inngest/send.ts imports the functions list, which imports this module.
      const { sendEvent } = await import("@/inngest/send");
      await sendEvent(alertsCheck(event.data.event.data.connectorId, runId)).catch((e) =>
        console.error("alerts: sendEvent failed", (e as Error).message),
      );
    },
    onHandedOver: async ({ event, previousWorker, reason }) => {
      const message =
        reason === "released"
          ? `${workerLabel(previousWorker)} was shut down mid-run and handed the run back; another worker resumes it from its last saved page.`
          : `${workerLabel(previousWorker)} stopped answering (its lease expired); another worker resumes the run from its last saved page.`;
      await recordRunEvent(event.data.runId, "INTERRUPTED", message);
    },
    handler: (ctx) => runSync(sync, trigger.name, ctx),
  });
}

async function runSync(sync: AnyPagedSync, eventName: string, { event, step }: FunctionContext<SyncRequest>) {
  const { connectorId, runId, orgId } = event.data;
  const segment = event.data.segment ?? 0;
  if (segment === 0) {
    const started = await step.run("start", () => startSyncRun(sync, runId));
    if (!started.started) {
      if (started.reason === "CONNECTOR_NOT_READY") {
        await step.run("not-ready", () => failSyncRun(sync, runId, new SyncStepError(started.reason, started.message, false)));
        await step.sendEvent("check-alerts", alertsCheck(connectorId, runId));
      }
      return { runId, skipped: started.reason };
    }
  } else {
    await step.run("continue", () => noteContinuation(runId, segment, event.data.start ?? 0));
  }

  let start: number | null = event.data.start ?? 0;
  let totals: Counts = sync.zeroCounts();
  const { pageStepsPerRun } = syncBudget();
  for (let steps = 0; start !== null; steps++) {
    if (steps >= pageStepsPerRun) {
      const next = { connectorId, runId, orgId, start, segment: segment + 1 };
      await step.sendEvent("continue-run", { name: eventName as never, id: `run-${runId}-part-${segment + 1}`, data: next });
      return { runId, continuedFrom: start, part: segment + 1, ...totals };
    }
    const offset: number = start;
    const page = await step.run(`page-${offset}`, () => forTheEngine(() => syncPages(sync, { runId, connectorId, start: offset })));
    totals = addCounts(totals, page.counts);
    start = page.next;
  }

  const outcome = sync.complete ? await step.run(sync.complete.stepId, () => completeSyncRun(sync, runId)) : null;
  const status = await step.run("finish", () => finishSyncRun(sync, runId, outcome));
  // The run's end may open an alert (a review) or close one (a recovery): inngest/functions/alerts.ts.
  await step.sendEvent("check-alerts", alertsCheck(connectorId, runId));
  return { runId, status, ...totals, ...(outcome ?? {}) };
}

/** The alerts' look at the connector once a run ended; one per run (its id), however often it is sent. */
function alertsCheck(connectorId: string, runId: string) {
  return { name: EVENTS.alertsCheckRequested.name, id: `alerts-${runId}`, data: { connectorId } };
}

/** The domain's failures that no retry can fix become Inngest's NonRetriableError; the others are retried. */
async function forTheEngine<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isSyncStepError(error) && !error.retryable) throw new NonRetriableError(error.message, { cause: error });
    throw error;
  }
}

export const catalogueSyncFunction = defineSyncFunction({
  id: "catalogue-sync",
  name: "Coursera catalogue sync",
  event: EVENTS.catalogueSyncRequested,
  sync: catalogueSync as AnyPagedSync,
});

export const statisticsSyncFunction = defineSyncFunction({
  id: "statistics-sync",
  name: "Coursera statistics sync",
  event: EVENTS.statisticsSyncRequested,
  sync: statisticsSync as AnyPagedSync,
});
