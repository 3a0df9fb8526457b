import { randomUUID } from "node:crypto";
import { NonRetriableError } from "inngest";
import { afterAll, describe, expect, it } from "vitest";
import { inngest } from "@/inngest/client";
import { InProcessRunner } from "@/inngest/runner";
import { db, disconnectDb } from "@/lib/db";

afterAll(() => disconnectDb());

// Each test registers functions with unique ids, so tests sharing the database never see each other's runs.
const uid = () => randomUUID().slice(0, 8);
const quiet = { backoffMs: () => 5, log: () => {} };

describe("InProcessRunner", () => {
  it("runs an event-triggered function and memoises steps across a retry", async () => {
    const id = `memo-${uid()}`;
    const executions: string[] = [];
    let failedOnce = false;
    const fn = inngest.createFunction({ id, triggers: [{ event: `test/${id}` }], retries: 2 }, async ({ event, step }) => {
      const a = await step.run("first", () => {
        executions.push("first");
        return { value: (event.data as { n: number }).n * 2 };
      });
      await step.run("second", () => {
        executions.push("second");
        if (!failedOnce) {
          failedOnce = true;
          throw new Error("transient");
        }
      });
      return a.value;
    });
    const runner = new InProcessRunner([fn], quiet);
    const [runId] = await runner.send({ name: `test/${id}`, data: { n: 21 } } as never);
    await runner.runUntilIdle();
    expect(executions).toEqual(["first", "second", "second"]); // "first" not re-run on the retry
    const run = await db.jobRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe("SUCCEEDED");
    expect(run.attempt).toBe(2);
    const first = await db.jobStep.findUniqueOrThrow({ where: { runId_stepKey: { runId, stepKey: "first" } } });
    expect(first.output).toEqual({ value: 42 });
  });

  it("gives up after the retries, marks the run failed and calls onFailure once", async () => {
    const id = `fail-${uid()}`;
    const failures: string[] = [];
    const fn = inngest.createFunction(
      {
        id,
        triggers: [{ event: `test/${id}` }],
        retries: 1,
        onFailure: async ({ error }) => {
          failures.push(error.message);
        },
      },
      async ({ step }) => step.run("always-fails", () => Promise.reject(new Error("Coursera is down"))),
    );
    const runner = new InProcessRunner([fn], quiet);
    const [runId] = await runner.send({ name: `test/${id}`, data: {} } as never);
    await runner.runUntilIdle();
    const run = await db.jobRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ status: "FAILED", attempt: 2, error: "Coursera is down" });
    expect(failures).toEqual(["Coursera is down"]);
  });

  it("does not retry a NonRetriableError", async () => {
    const id = `nonretry-${uid()}`;
    let attempts = 0;
    const fn = inngest.createFunction({ id, triggers: [{ event: `test/${id}` }], retries: 5 }, async () => {
      attempts++;
      throw new NonRetriableError("bad credentials");
    });
    const runner = new InProcessRunner([fn], quiet);
    await runner.send({ name: `test/${id}`, data: {} } as never);
    await runner.runUntilIdle();
    expect(attempts).toBe(1);
  });

  it("resumes a run left RUNNING by a dead process from its memoised steps", async () => {
    const id = `resume-${uid()}`;
    const executions: string[] = [];
    const fn = inngest.createFunction({ id, triggers: [{ event: `test/${id}` }] }, async ({ step }) => {
      await step.run("page-1", () => executions.push("page-1"));
      await step.run("page-2", () => executions.push("page-2"));
    });
    // Simulate a process that claimed the run, finished page 1, and died.
    const job = await db.jobRun.create({
      data: {
        functionId: id,
        eventName: `test/${id}`,
        eventData: {},
        status: "RUNNING",
        attempt: 1,
        lockedUntil: new Date(Date.now() - 1000),
      },
    });
    await db.jobStep.create({ data: { runId: job.id, stepKey: "page-1", output: 1 } });
    const runner = new InProcessRunner([fn], quiet);
    await runner.start({ schedules: false });
    await runner.stop();
    await runner.runUntilIdle();
    expect(executions).toEqual(["page-2"]);
    expect((await db.jobRun.findUniqueOrThrow({ where: { id: job.id } })).status).toBe("SUCCEEDED");
  });

  it("runs one at a time per concurrency key", async () => {
    const id = `conc-${uid()}`;
    let active = 0;
    let maxActive = 0;
    const fn = inngest.createFunction(
      { id, triggers: [{ event: `test/${id}` }], concurrency: { limit: 1, key: "event.data.connectorId" } },
      async ({ step }) => {
        await step.run("work", async () => {
          active++;
          maxActive = Math.max(maxActive, active);
          await new Promise((r) => setTimeout(r, 50));
          active--;
        });
      },
    );
    const runner = new InProcessRunner([fn], { ...quiet, workers: 3, pollMs: 20 });
    await runner.send([1, 2, 3].map(() => ({ name: `test/${id}`, data: { connectorId: "same" } })) as never);
    await runner.start({ schedules: false });
    while ((await db.jobRun.count({ where: { functionId: id, status: { not: "SUCCEEDED" } } })) > 0)
      await new Promise((r) => setTimeout(r, 50));
    await runner.stop();
    expect(maxActive).toBe(1);
  });

  it("fires a cron occurrence once, even when asked twice or by two runners", async () => {
    const id = `cron-${uid()}`;
    let runs = 0;
    const fn = inngest.createFunction({ id, triggers: [{ cron: "0 2 * * *" }] }, async () => {
      runs++;
    });
    const a = new InProcessRunner([fn], quiet);
    const b = new InProcessRunner([fn], quiet);
    // First sight of a schedule starts its clock without back-filling.
    expect(await a.fireDueSchedules(new Date("2026-11-28T10:00:00Z"))).toBe(0);
    expect(await a.fireDueSchedules(new Date("2026-11-29T01:59:00Z"))).toBe(0);
    const fired =
      (await a.fireDueSchedules(new Date("2026-11-29T02:00:30Z"))) + (await b.fireDueSchedules(new Date("2026-11-29T02:00:30Z")));
    expect(fired).toBe(1);
    // A process that was down at 02:00 catches up when it comes back, once.
    expect(await b.fireDueSchedules(new Date("2026-11-30T09:00:00Z"))).toBe(1);
    expect(await a.fireDueSchedules(new Date("2026-11-30T09:00:01Z"))).toBe(0);
    await a.runUntilIdle();
    expect(runs).toBe(2);
  });

  it("rejects an event whose data does not match the trigger's schema", async () => {
    const { catalogueSyncRequested } = await import("@/inngest/events");
    const fn = inngest.createFunction({ id: `schema-${uid()}`, triggers: [catalogueSyncRequested] }, async () => {});
    const runner = new InProcessRunner([fn], quiet);
    await expect(runner.send({ name: catalogueSyncRequested.name, data: { connectorId: "" } } as never)).rejects.toThrow(/Invalid/);
  });
});
