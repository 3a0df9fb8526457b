import { inngest } from "@/inngest/client";
import { connectorsDueForCatalogue } from "@/lib/catalogue/schedule";
import { requestSync } from "@/lib/sync/runs";

/**
 * Fans the catalogue sync out to every enabled connector whose own schedule
 * (CourseraConnector.catalogueSchedule, cron in UTC, daily by default) came
 * due. Ticks every quarter of an hour so any schedule is honoured within 15
 * minutes; a connector already syncing gets no second run (requestSync and the
 * one-active-run index).
 */
export const CATALOGUE_FAN_OUT_CRON = "*/15 * * * *";

export const catalogueSchedule = inngest.createFunction(
  { id: "catalogue-schedule", name: "Coursera catalogue: daily schedule", triggers: [{ cron: CATALOGUE_FAN_OUT_CRON }], retries: 2 },
  async ({ event, step }) => {
    // The tick's own time, not the clock when this attempt runs: a retried
    // attempt decides exactly what the first one would have.
    const tickAt = typeof event.ts === "number" ? event.ts : Date.now();
    const due = await step.run("find-due-connectors", async () => (await connectorsDueForCatalogue(new Date(tickAt))).map((c) => c.id));
    const requested: { connectorId: string; runId: string | null; alreadyRunning: boolean; problem?: string }[] = [];
    for (const connectorId of due) {
      const result = await step.run(`request-${connectorId}`, () => requestSync({ connectorId, kind: "CATALOGUE", trigger: "SCHEDULE" }));
      requested.push(
        result.ok
          ? { connectorId, runId: result.runId, alreadyRunning: result.alreadyRunning }
          : { connectorId, runId: null, alreadyRunning: false, problem: result.message },
      );
    }
    return { requested };
  },
);
