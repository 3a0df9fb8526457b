import "server-only";
import { defineFunction } from "@/inngest/define";
import { EVENTS, type SyncEvent } from "@/inngest/events";
import { INNGEST_LIMITS, jsonBytes } from "@/inngest/limits";
import type { SyncKind } from "@/lib/generated/prisma/enums";
import { env } from "@/lib/env";
import { openScheduledRuns, type OpenedRun } from "@/lib/sync/runs";
import { connectorsDue, connectorsDueIncremental } from "@/lib/sync/schedule";

/**
 * The daily schedules (and the hourly incremental statistics sync, below), as
 * a fan-out that stays within Inngest's limits for any fleet: every few
 * minutes one step opens a run for each connector whose schedule came due
 * (lib/sync/schedule.ts: one rule, a stable per-connector offset spreading the
 * default hour) in two statements, and the new runs'
 * events are sent in as few sendEvent steps as the event-size limit allows.
 * The tick's own time decides what is due, so a retried attempt decides
 * exactly what the first one did; a connector already syncing gets no second
 * run (the one-active-run index); each event's id is its run's, so a retried
 * send starts nothing twice.
 */
export const SCHEDULE_FAN_OUT_CRON = "*/5 * * * *";

/** Events per sendEvent step: far below the per-request payload Inngest accepts, whatever the ids' lengths. */
const EVENTS_PER_SEND = 500;

function defineSyncSchedule(id: string, name: string, event: SyncEvent["name"], openDueRuns: (tickAt: Date) => Promise<OpenedRun[]>) {
  return defineFunction<Record<string, unknown>>({
    id,
    name,
    trigger: { cron: SCHEDULE_FAN_OUT_CRON },
    retries: 2,
    handler: async ({ event: tick, step }) => {
      const tickAt = typeof tick.ts === "number" ? tick.ts : Date.now();
      const opened = await step.run("open-due-runs", () => openDueRuns(new Date(tickAt)));
      const events: SyncEvent[] = opened
        .filter((r) => !r.alreadyRunning)
        .map((r) => ({ name: event, id: `run-${r.runId}`, data: { connectorId: r.connectorId, runId: r.runId, orgId: r.orgId } }));
      for (let i = 0; i < events.length; i += EVENTS_PER_SEND) {
        const batch = events.slice(i, i + EVENTS_PER_SEND);
        if (batch.some((e) => jsonBytes(e) > INNGEST_LIMITS.eventBytes))
          throw new Error("A scheduled sync event exceeds Inngest's event size limit.");
        await step.sendEvent(`start-runs-${i / EVENTS_PER_SEND}`, batch);
      }
      return { opened: opened.length, started: events.length, alreadyRunning: opened.length - events.length };
    },
  });
}

/** The daily runs of `kind` (FULL), at each connector's local time. */
const dailyRunsDue = (kind: SyncKind) => async (tickAt: Date) =>
  openScheduledRuns(
    (await connectorsDue(kind, tickAt)).map((c) => c.id),
    kind,
  );

export const catalogueSchedule = defineSyncSchedule(
  "catalogue-schedule",
  "Coursera catalogue: daily schedule",
  EVENTS.catalogueSyncRequested.name,
  dailyRunsDue("CATALOGUE"),
);
export const statisticsSchedule = defineSyncSchedule(
  "statistics-schedule",
  "Coursera statistics: daily schedule",
  EVENTS.statisticsSyncRequested.name,
  dailyRunsDue("STATISTICS"),
);

/**
 * The incremental statistics sync (lib/statistics/incremental.ts), every
 * STATISTICS_INCREMENTAL_EVERY_MINUTES (60 by default) per connector, on the
 * same tick and fan-out as the daily schedules: its runs are INCREMENTAL runs
 * of the same statistics function, so the same concurrency keys, leases,
 * retries and continuations apply.
 */
export const statisticsIncrementalSchedule = defineSyncSchedule(
  "statistics-incremental-schedule",
  "Coursera statistics: hourly incremental sync",
  EVENTS.statisticsSyncRequested.name,
  async (tickAt) =>
    openScheduledRuns(
      (await connectorsDueIncremental(tickAt, env().STATISTICS_INCREMENTAL_EVERY_MINUTES)).map((c) => c.id),
      "STATISTICS",
      "INCREMENTAL",
    ),
);
