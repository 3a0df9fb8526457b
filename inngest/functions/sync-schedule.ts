import "server-only";
import { inngest } from "@/inngest/client";
import { connectorsDueForCatalogue } from "@/lib/catalogue/schedule";
import { connectorsDueForStatistics } from "@/lib/statistics/schedule";
import { openSyncRun } from "@/lib/sync/runs";
import type { SyncKind } from "@/lib/generated/prisma/enums";

/**
 * The daily schedules: every quarter of an hour, each enabled connector whose
 * own schedule came due gets a run opened, then all the new runs' events are
 * sent in one step. The tick's own time decides what is due, so a retried
 * attempt decides exactly what the first one did; a connector already syncing
 * gets no second run (the one-active-run index), and each event carries its
 * run's id as its id, so a retried send starts nothing twice.
 */
export const SCHEDULE_FAN_OUT_CRON = "*/15 * * * *";

const SCHEDULES = {
  CATALOGUE: {
    id: "catalogue-schedule",
    name: "Coursera catalogue: daily schedule",
    due: connectorsDueForCatalogue,
    event: "coursera/catalogue.sync-requested",
  },
  STATISTICS: {
    id: "statistics-schedule",
    name: "Coursera statistics: daily schedule",
    due: connectorsDueForStatistics,
    event: "coursera/statistics.sync-requested",
  },
} as const;

function defineSyncSchedule(kind: SyncKind) {
  const schedule = SCHEDULES[kind];
  return inngest.createFunction(
    { id: schedule.id, name: schedule.name, triggers: [{ cron: SCHEDULE_FAN_OUT_CRON }], retries: 2 },
    async ({ event, step }) => {
      const tickAt = typeof event.ts === "number" ? event.ts : Date.now();
      const requested = await step.run("open-due-runs", async () => {
        const due = await schedule.due(new Date(tickAt));
        const opened = [];
        for (const connector of due) {
          const result = await openSyncRun({ connectorId: connector.id, kind, trigger: "SCHEDULE" });
          opened.push(
            result.ok
              ? { connectorId: connector.id, runId: result.runId, alreadyRunning: result.alreadyRunning }
              : { connectorId: connector.id, runId: null, alreadyRunning: false, problem: result.message },
          );
        }
        return opened;
      });
      const toStart = requested.filter((r): r is typeof r & { runId: string } => r.runId !== null && !r.alreadyRunning);
      if (toStart.length > 0) {
        await step.sendEvent(
          "start-runs",
          toStart.map((r) => ({ name: schedule.event, id: `run-${r.runId}`, data: { connectorId: r.connectorId, runId: r.runId } })),
        );
      }
      return { requested };
    },
  );
}

export const catalogueSchedule = defineSyncSchedule("CATALOGUE");
export const statisticsSchedule = defineSyncSchedule("STATISTICS");
