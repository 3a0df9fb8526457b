import "server-only";
import { defineFunction, type StepTools } from "@/inngest/define";
import { EVENTS, type AlertsCheck } from "@/inngest/events";
import { deliverAlertEmails, type DeliveryResult } from "@/lib/alerts/delivery";
import { reconcileAlerts, type AlertScope, type ReconcileResult } from "@/lib/alerts/reconcile";

/**
 * Alerts, sent by background functions only (the web tier queues a check and
 * returns). Two functions, the same shape:
 *
 *   reconcile (one step, set-based, any fleet size) → deliver emails in
 *   batches (one step each, at most DELIVERY_STEPS_PER_RUN) → if emails are
 *   still due, a continuation event, so no run nears Inngest's step limit.
 *
 * - alerts-check: on an event, for the platform or connector that changed (a
 *   run ended, credentials were checked, a review was decided); none named is a
 *   delivery continuation;
 * - alerts-sweep: every five minutes, the whole fleet — staleness only appears
 *   with time, and anything a lost event missed is caught here.
 * Each step is idempotent (reconciling twice changes nothing; an email is
 * claimed under a lease and marked once sent), so Inngest's retries are safe.
 * Failed sends are retried per email with a growing delay (lib/alerts/delivery.ts).
 */

export const ALERTS_SWEEP_CRON = "*/5 * * * *";
export const DELIVERY_STEPS_PER_RUN = 20;
export const EMAILS_PER_STEP = 50;

async function reconcileThenDeliver(step: StepTools, scope: AlertScope | null, now: Date, continuationId: string) {
  const reconciled: ReconcileResult | null = scope ? await step.run("reconcile", () => reconcileAlerts(scope, now)) : null;
  const totals: Omit<DeliveryResult, "more"> = { claimed: 0, sent: 0, logged: 0, skipped: 0, retrying: 0, failed: 0 };
  for (let i = 0; i < DELIVERY_STEPS_PER_RUN; i++) {
    const batch = await step.run(`deliver-${i}`, () => deliverAlertEmails({ limit: EMAILS_PER_STEP }));
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += batch[key];
    if (!batch.more) return { ...reconciled, ...totals, continued: false };
  }
  await step.sendEvent("continue-delivery", { name: EVENTS.alertsCheckRequested.name, id: continuationId, data: {} });
  return { ...reconciled, ...totals, continued: true };
}

export const alertsCheckFunction = defineFunction<AlertsCheck>({
  id: "alerts-check",
  name: "Alerts: reconcile a connector and send",
  trigger: { event: EVENTS.alertsCheckRequested },
  retries: 3,
  handler: async ({ event, step, runId }) => {
    const now = new Date(typeof event.ts === "number" ? event.ts : Date.now());
    const scope: AlertScope | null = event.data.connectorId
      ? { connectorId: event.data.connectorId }
      : event.data.platformId
        ? { platformId: event.data.platformId }
        : null;
    return reconcileThenDeliver(step, scope, now, `alerts-delivery-after-${runId}`);
  },
});

export const alertsSweepFunction = defineFunction<Record<string, unknown>>({
  id: "alerts-sweep",
  name: "Alerts: sweep every connector and send",
  trigger: { cron: ALERTS_SWEEP_CRON },
  retries: 2,
  handler: async ({ event, step, runId }) => {
    // The tick's own time decides what is stale, so a retried attempt decides what the first did.
    const now = new Date(typeof event.ts === "number" ? event.ts : Date.now());
    return reconcileThenDeliver(step, "all", now, `alerts-delivery-after-${runId}`);
  },
});
