import { inngest } from "@/inngest/client";
import { connectorsDueForStatistics } from "@/lib/statistics/schedule";
import { requestSync } from "@/lib/sync/runs";

/**
 * Fans the statistics sync out to every enabled connector whose own schedule
 * (CourseraConnector.statisticsSchedule, cron in UTC, daily by default) came
 * due. Runs every quarter of an hour so any schedule is honoured within 15
 * minutes; a connector already syncing gets no second run (requestSync).
 */
export const STATISTICS_FAN_OUT_CRON = "*/15 * * * *";

export const statisticsSchedule = inngest.createFunction(
  { id: "statistics-schedule", name: "Coursera statistics: daily schedule", triggers: [{ cron: STATISTICS_FAN_OUT_CRON }], retries: 2 },
  async ({ step }) => {
    const due = await step.run("find-due-connectors", async () => (await connectorsDueForStatistics(new Date())).map((c) => c.id));
    const requested: { connectorId: string; runId: string | null; alreadyRunning: boolean; problem?: string }[] = [];
    for (const connectorId of due) {
      const result = await step.run(`request-${connectorId}`, () => requestSync({ connectorId, kind: "STATISTICS", trigger: "SCHEDULE" }));
      requested.push(
        result.ok
          ? { connectorId, runId: result.runId, alreadyRunning: result.alreadyRunning }
          : { connectorId, runId: null, alreadyRunning: false, problem: result.message },
      );
    }
    return { requested };
  },
);
