import "server-only";
import { NonRetriableError } from "inngest";
import { inngest } from "@/inngest/client";
import { catalogueSyncRequested } from "@/inngest/events";
import { completeCatalogueListing } from "@/lib/catalogue/mutations";
import {
  ConnectorNotReadyError,
  UNEXPECTED_FAILURE_MESSAGE,
  addPageCounts,
  failCatalogueRun,
  finishCatalogueRun,
  noteRunFailure,
  readNotedFailure,
  startCatalogueRun,
  syncCataloguePages,
  zeroPageCounts,
} from "@/lib/catalogue/sync";
import { isCourseraError } from "@/lib/coursera/errors";

/**
 * One catalogue sync of one connector (the schedule, "Sync now", credentials
 * saved): start → one step per two pages of Coursera's catalogue (written
 * concurrently, lib/sync/page-step.ts) → retire what a complete listing
 * lacked (or hold a mass drop) → finish.
 *
 * Every page step is memoised, so a retry resumes at the step that failed; the
 * pages already written stay written and the run's seen-ids already hold them.
 * Retirement is its own step after the loop, so a listing that never reaches
 * its end (Coursera down for longer than the retries) retires nothing: the
 * failure handler closes the run FAILED with Coursera's own explanation.
 */
export const catalogueSync = inngest.createFunction(
  {
    id: "catalogue-sync",
    name: "Coursera catalogue sync",
    triggers: [catalogueSyncRequested],
    concurrency: { limit: 1, key: "event.data.connectorId" },
    retries: 3,
    onFailure: async ({ event, error }) => {
      const original = (event.data as { event?: { data?: { runId?: string } } }).event;
      const runId = original?.data?.runId;
      if (runId) await failCatalogueRun(runId, await failureReason(runId, error));
    },
  },
  async ({ event, step }) => {
    const { connectorId, runId } = event.data;
    const started = await step.run("start", () => startCatalogueRun(runId));
    if (!started.started) {
      if (started.reason === "CONNECTOR_NOT_READY") {
        await step.run("not-ready", () => failCatalogueRun(runId, { code: started.reason, message: started.message }));
      }
      return { runId, skipped: started.reason };
    }

    let start: number | null = 0;
    let totals = zeroPageCounts();
    while (start !== null) {
      const offset: number = start;
      const page = await step.run(`page-${offset}`, () =>
        classifyFailures(runId, () => syncCataloguePages({ runId, connectorId, start: offset })),
      );
      totals = addPageCounts(totals, page.counts);
      start = page.next;
    }

    const outcome = await step.run("retire", () => completeCatalogueListing(runId));
    const status = await step.run("finish", () => finishCatalogueRun(runId, outcome));
    return { runId, status, ...totals, ...outcome };
  },
);

/**
 * Coursera failures that waiting cannot fix (bad credentials, no API access,
 * unknown org) and a connector disabled mid-run stop the run at once instead of
 * being retried; transient ones are retried by Inngest from the failed page.
 * Either way the reason is noted on the run first.
 */
async function classifyFailures<T>(runId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isCourseraError(error)) {
      await noteRunFailure(runId, { code: error.code, message: error.message });
      if (!error.retryable) throw new NonRetriableError(error.message, { cause: error });
    } else if (error instanceof ConnectorNotReadyError) {
      await noteRunFailure(runId, { code: error.code, message: error.message });
      throw new NonRetriableError(error.message, { cause: error });
    }
    throw error;
  }
}

/** What the admin reads on a failed run: Coursera's explanation when there is one, never raw exception text. */
async function failureReason(runId: string, error: unknown): Promise<{ code: string; message: string }> {
  const e = error as { name?: string; code?: string; message?: string; cause?: unknown };
  const coursera = isCourseraError(e) ? e : isCourseraError(e?.cause) ? e.cause : null;
  if (coursera) return { code: coursera.code, message: coursera.message };
  const noted = await readNotedFailure(runId);
  if (noted) return noted;
  console.error(`catalogue sync ${runId} failed:`, e?.message ?? error);
  return { code: "UNEXPECTED", message: UNEXPECTED_FAILURE_MESSAGE };
}
