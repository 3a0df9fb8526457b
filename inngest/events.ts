import "server-only";
import { eventType } from "inngest";
import { z } from "zod";

/**
 * Every event the product sends. The run row is created before the event is
 * sent (lib/sync/runs.ts), so events only carry ids.
 */
export const syncRequestSchema = z.object({ connectorId: z.string().min(1), runId: z.string().min(1) });
export type SyncRequest = z.infer<typeof syncRequestSchema>;

export const catalogueSyncRequested = eventType("coursera/catalogue.sync-requested", { schema: syncRequestSchema });
export const statisticsSyncRequested = eventType("coursera/statistics.sync-requested", { schema: syncRequestSchema });

export type AppEvent =
  { name: "coursera/catalogue.sync-requested"; data: SyncRequest } | { name: "coursera/statistics.sync-requested"; data: SyncRequest };
