import { type AnyPagedSync, completeSyncRun, failSyncRun, finishSyncRun, startSyncRun, syncPages } from "@/lib/sync/pipeline";

/**
 * Runs an opened sync run to its end in this process, step by step in the
 * order the job (inngest/functions/sync.ts) takes them, without a job engine:
 * for tests whose subject is what a sync writes, not how it is scheduled.
 * A failure marks the run FAILED as the engine's failure handler would, then
 * rethrows so the test sees it.
 */
export async function runSyncInThisProcess(sync: AnyPagedSync, input: { runId: string; connectorId: string }) {
  const started = await startSyncRun(sync, input.runId);
  if (!started.started) throw new Error(started.message);
  try {
    for (let start: number | null = 0; start !== null;) {
      start = (await syncPages(sync, { ...input, start })).next;
    }
    const outcome = await completeSyncRun(sync, input.runId);
    return await finishSyncRun(sync, input.runId, outcome);
  } catch (error) {
    await failSyncRun(sync, input.runId, error);
    throw error;
  }
}
