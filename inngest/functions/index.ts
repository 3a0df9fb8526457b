import "server-only";
import type { DefinedFunction } from "@/inngest/define";
import { alertsCheckFunction, alertsSweepFunction } from "@/inngest/functions/alerts";
import { catalogueSchedule, statisticsIncrementalSchedule, statisticsSchedule } from "@/inngest/functions/sync-schedule";
import { catalogueSyncFunction, statisticsSyncFunction } from "@/inngest/functions/sync";

/**
 * Every background function, served to Inngest (app/api/inngest, or a worker
 * connected with inngest/connect) and run by the embedded runner when no
 * Inngest server is configured.
 */
export const functions: DefinedFunction<unknown>[] = [
  catalogueSyncFunction,
  catalogueSchedule,
  statisticsSyncFunction,
  statisticsSchedule,
  statisticsIncrementalSchedule,
  alertsCheckFunction as DefinedFunction<unknown>,
  alertsSweepFunction as DefinedFunction<unknown>,
];
