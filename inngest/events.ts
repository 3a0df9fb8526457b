import "server-only";
import { z } from "zod";

/**
 * Every event the product sends. The run row is created before the event is
 * sent (lib/sync/runs.ts), so events only carry ids — and, for a sync that
 * continues in a fresh job run, where its listing resumes.
 */
export const syncRequestSchema = z.object({
  connectorId: z.string().min(1).max(64),
  runId: z.string().min(1).max(64),
  /** The Coursera organisation: one sync at a time per organisation, across every worker. */
  orgId: z.string().min(1).max(200).optional(),
  /** A continuation: the listing's offset to resume from … */
  start: z.number().int().min(0).optional(),
  /** … and which part of the run this job run is (0 for the first). */
  segment: z.number().int().min(0).max(10_000).optional(),
});
export type SyncRequest = z.infer<typeof syncRequestSchema>;

/**
 * Something changed that may open or close alerts (a run ended, credentials
 * were checked, a held decision was taken): the alerts function reconciles the
 * platform or connector named, then delivers due emails. Neither named: only
 * the delivery (its continuation).
 */
export const alertsCheckSchema = z.object({
  platformId: z.string().min(1).max(64).optional(),
  connectorId: z.string().min(1).max(64).optional(),
});
export type AlertsCheck = z.infer<typeof alertsCheckSchema>;

export const EVENTS = {
  catalogueSyncRequested: { name: "coursera/catalogue.sync-requested", schema: syncRequestSchema },
  statisticsSyncRequested: { name: "coursera/statistics.sync-requested", schema: syncRequestSchema },
  alertsCheckRequested: { name: "alerts/check-requested", schema: alertsCheckSchema },
} as const;

export type AppEventName = (typeof EVENTS)[keyof typeof EVENTS]["name"];
export type SyncEventName = (typeof EVENTS)["catalogueSyncRequested" | "statisticsSyncRequested"]["name"];

/** An event as sent: `id`, when given, makes a second send of the same event start nothing (as on Inngest, for 24 hours). */
export type SyncEvent = { name: SyncEventName; data: SyncRequest; id?: string };
export type AlertsEvent = { name: (typeof EVENTS)["alertsCheckRequested"]["name"]; data: AlertsCheck; id?: string };
export type AppEvent = SyncEvent | AlertsEvent;
