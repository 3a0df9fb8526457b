import "server-only";
import { sendEvent } from "@/inngest/send";
import type { AlertsCheck, SyncEvent } from "@/inngest/events";
import { recordCredentialsCheck } from "@/lib/alerts/mutations";
import { failUndispatchedRun, openSyncRun, QUEUE_UNAVAILABLE_MESSAGE, type SyncStarter } from "@/lib/sync/runs";

const EVENT_BY_KIND = {
  CATALOGUE: "coursera/catalogue.sync-requested",
  STATISTICS: "coursera/statistics.sync-requested",
} as const satisfies Record<string, SyncEvent["name"]>;

/**
 * Every sync starts here ("Sync now", new credentials, the schedules, the demo):
 * the run is opened in the database first, then its event is sent. A run
 * already queued or running for the connector is returned as it is, and a run
 * the job engine would not take is closed FAILED with a message a person can act on.
 */
export const requestSync: SyncStarter = async (request) => {
  const opened = await openSyncRun(request);
  if (!opened.ok || opened.alreadyRunning) return opened;
  try {
    await sendEvent({ name: EVENT_BY_KIND[request.kind], data: { connectorId: request.connectorId, runId: opened.runId } });
  } catch (error) {
    await failUndispatchedRun(opened.runId);
    console.error("sendEvent failed", (error as Error).message);
    return { ok: false, code: "QUEUE_UNAVAILABLE", message: QUEUE_UNAVAILABLE_MESSAGE };
  }
  return opened;
};

/**
 * Asks the alerts function to look at a platform or connector now (after a
 * held decision, an inbox resolution, credentials checked, the connector
 * switched on or off). Never fails the request: if the queue is down, the
 * alerts sweep (every five minutes) reconciles anyway.
 */
export async function requestAlertCheck(scope: AlertsCheck): Promise<void> {
  try {
    await sendEvent({ name: "alerts/check-requested", data: scope });
  } catch (error) {
    console.error("alerts: sendEvent failed", (error as Error).message);
  }
}

/** Hands the verdict of a credentials test or save to the alerts (a refusal opens one, an acceptance closes it). */
export async function reportCredentialsCheck(platformId: string, outcome: { ok: true } | { ok: false; code: string }): Promise<void> {
  if (await recordCredentialsCheck(platformId, outcome)) await requestAlertCheck({ platformId });
}
