import { randomUUID } from "node:crypto";
import { NonRetriableError } from "inngest";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineFunction, type FunctionContext, type FunctionDefinition } from "@/inngest/define";
import { EmbeddedRunner } from "@/inngest/runner";
import * as store from "@/inngest/runner-store";
import { db, disconnectDb } from "@/lib/db";
import { assertWriteAllowed } from "@/lib/database/write-guard";

afterAll(() => disconnectDb());

// Each test registers functions with unique ids, so tests sharing the database never see each other's runs.
const uid = () => randomUUID().slice(0, 8);
const quiet = { backoffMs: () => 5, log: () => {} };
const anyData = z.record(z.string(), z.unknown());

function testFunction(
  id: string,
  handler: (ctx: FunctionContext<Record<string, unknown>>) => Promise<unknown>,
  options: Partial<FunctionDefinition<Record<string, unknown>>> = {},
) {
  return defineFunction<Record<string, unknown>>({
    id,
    name: id,
    trigger: { event: { name: `test/${id}`, schema: anyData } },
    retries: 3,
    handler,
    ...options,
  });
}
const send = (runner: EmbeddedRunner, id: string, data: Record<string, unknown> = {}, eventId?: string) =>
  runner.send({ name: `test/${id}`, data, ...(eventId ? { id: eventId } : {}) } as never);

describe("EmbeddedRunner", () => {
  it("runs an event-triggered function and memoises steps across a retry", async () => {
    const id = `memo-${uid()}`;
    const executions: string[] = [];
    let failedOnce = false;
    const fn = testFunction(
      id,
      async ({ event, step }) => {
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
      },
      { retries: 2 },
    );
    const runner = new EmbeddedRunner([fn as never], quiet);
    const [runId] = await send(runner, id, { n: 21 });
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
    const fn = testFunction(id, async ({ step }) => step.run("always-fails", () => Promise.reject(new Error("Coursera is down"))), {
      retries: 1,
      onFailure: async ({ error }) => {
        failures.push(error.message);
      },
    });
    const runner = new EmbeddedRunner([fn as never], quiet);
    const [runId] = await send(runner, id);
    await runner.runUntilIdle();
    const run = await db.jobRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ status: "FAILED", attempt: 2, error: "Coursera is down" });
    expect(failures).toEqual(["Coursera is down"]);
  });

  it("does not retry a NonRetriableError", async () => {
    const id = `nonretry-${uid()}`;
    let attempts = 0;
    const fn = testFunction(
      id,
      async () => {
        attempts++;
        throw new NonRetriableError("bad credentials");
      },
      { retries: 5 },
    );
    const runner = new EmbeddedRunner([fn as never], quiet);
    await send(runner, id);
    await runner.runUntilIdle();
    expect(attempts).toBe(1);
  });

  it("starts one run per event id, as Inngest does for a resent event", async () => {
    const id = `dedupe-${uid()}`;
    let runs = 0;
    const fn = testFunction(id, async () => {
      runs++;
    });
    const runner = new EmbeddedRunner([fn as never], quiet);
    expect(await send(runner, id, {}, "same-id")).toHaveLength(1);
    expect(await send(runner, id, {}, "same-id")).toHaveLength(0);
    await send(runner, id, {}, "other-id");
    await runner.runUntilIdle();
    expect(runs).toBe(2);
  });

  it("takes over a run whose worker stopped renewing its lease, counts the attempt, and refuses the old worker's late writes", async () => {
    const id = `takeover-${uid()}`;
    const executions: string[] = [];
    const handedOver: { previousWorker: string | null; reason: string }[] = [];
    const fn = testFunction(
      id,
      async ({ step }) => {
        await step.run("page-1", () => executions.push("page-1"));
        await step.run("page-2", () => executions.push("page-2"));
      },
      {
        onHandedOver: async ({ previousWorker, reason }) => {
          handedOver.push({ previousWorker, reason });
        },
      },
    );
    const stalled = new EmbeddedRunner([fn as never], { ...quiet, workerId: `stalled-${id}`, leaseMs: 60_000 });
    const [jobId] = await send(stalled, id);
    // The stalled worker claims the run and finishes page 1, then stops answering (no heartbeat).
    const claimed = await store.claimNextJob([id], stalled.workerId, 60_000);
    expect(claimed?.id).toBe(jobId);
    await store.saveStep(jobId, stalled.workerId, "page-1", 1);
    await db.jobRun.update({ where: { id: jobId }, data: { lockedUntil: new Date(Date.now() - 1) } });

    // Another live worker takes it over without any restart, and resumes at page 2.
    const live = new EmbeddedRunner([fn as never], { ...quiet, workerId: `live-${id}` });
    await live.runUntilIdle();
    expect(executions).toEqual(["page-2"]);
    const job = await db.jobRun.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ status: "SUCCEEDED", attempt: 2, lockedBy: null });
    expect(handedOver).toEqual([{ previousWorker: `stalled-${id}`, reason: "lease-expired" }]);

    // The stalled worker wakes up: its step output, its status and its guarded writes are all refused.
    await expect(store.saveStep(jobId, stalled.workerId, "page-2", "late")).rejects.toThrow(/no longer owns/);
    expect(await store.markSucceeded(jobId, stalled.workerId)).toBe(false);
    await expect(db.$transaction((tx) => store.assertLeaseHeld(tx, jobId, stalled.workerId))).rejects.toThrow(/no longer owns/);
    expect((await db.jobStep.findUniqueOrThrow({ where: { runId_stepKey: { runId: jobId, stepKey: "page-2" } } })).output).toBe(1);
  });

  it("guards the domain's writes with the lease of the step that makes them", async () => {
    const id = `guard-${uid()}`;
    const outcomes: string[] = [];
    const fn = testFunction(id, async ({ step }) => {
      await step.run("write", async () => {
        // While it owns the job, a guarded write goes through.
        await db.$transaction((tx) => assertWriteAllowed(tx));
        outcomes.push("owned write allowed");
        // Another worker takes the job over in the middle of the step.
        await db.jobRun.updateMany({ where: { functionId: id }, data: { lockedBy: "someone-else" } });
        await db.$transaction((tx) => assertWriteAllowed(tx)).catch((error: Error) => outcomes.push(error.name));
      });
    });
    const runner = new EmbeddedRunner([fn as never], { ...quiet, workerId: `guard-${id}` });
    await send(runner, id);
    await runner.runUntilIdle(1_000).catch(() => {});
    expect(outcomes).toEqual(["owned write allowed", "LeaseLostError"]);
  });

  it("a job whose worker stopped answering on its last attempt fails, with onFailure", async () => {
    const id = `lastattempt-${uid()}`;
    const failures: string[] = [];
    const fn = testFunction(id, async () => {}, { retries: 0, onFailure: async ({ error }) => void failures.push(error.message) });
    const runner = new EmbeddedRunner([fn as never], quiet);
    const [jobId] = await send(runner, id);
    await store.claimNextJob([id], "gone-worker", 60_000);
    await db.jobRun.update({ where: { id: jobId }, data: { lockedUntil: new Date(Date.now() - 1) } });
    await runner.runUntilIdle();
    expect(await db.jobRun.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: "FAILED", attempt: 2 });
    expect(failures[0]).toMatch(/stopped answering during its last attempt/);
  });

  it("fails a run the way Inngest would at 1,000 steps, naming the limit", async () => {
    const id = `steps-${uid()}`;
    const failures: string[] = [];
    const fn = testFunction(
      id,
      async ({ step }) => {
        for (let i = 0; i < 1_001; i++) await step.run(`s-${i}`, () => i);
      },
      { onFailure: async ({ error }) => void failures.push(error.message) },
    );
    const runner = new EmbeddedRunner([fn as never], quiet);
    const [jobId] = await send(runner, id);
    await runner.runUntilIdle();
    const job = await db.jobRun.findUniqueOrThrow({ where: { id: jobId }, include: { _count: { select: { steps: true } } } });
    expect(job).toMatchObject({ status: "FAILED", attempt: 1 });
    expect(job._count.steps).toBe(1_000);
    expect(failures[0]).toMatch(/limit of 1,000 steps per run/);
  }, 300_000);

  it("fails a step that returns more than 4 MB, and refuses an event over 256 KB", async () => {
    const id = `bytes-${uid()}`;
    const fn = testFunction(id, async ({ step }) => step.run("huge", () => "x".repeat(4 * 1024 * 1024 + 1)));
    const runner = new EmbeddedRunner([fn as never], quiet);
    const [jobId] = await send(runner, id);
    await runner.runUntilIdle();
    expect(await db.jobRun.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: "FAILED", attempt: 1 });
    expect((await db.jobRun.findUniqueOrThrow({ where: { id: jobId } })).error).toMatch(/over Inngest's limit of 4 MB per step/);
    await expect(send(runner, id, { blob: "x".repeat(256 * 1024) })).rejects.toThrow(/limit of 256 KB per event/);
  }, 300_000);

  it("fails a run whose state passes 32 MB", async () => {
    const id = `state-${uid()}`;
    const fn = testFunction(id, async ({ step }) => {
      for (let i = 0; i < 9; i++) await step.run(`chunk-${i}`, () => "y".repeat(3.9 * 1024 * 1024));
    });
    const runner = new EmbeddedRunner([fn as never], quiet);
    const [jobId] = await send(runner, id);
    await runner.runUntilIdle();
    const job = await db.jobRun.findUniqueOrThrow({ where: { id: jobId }, include: { _count: { select: { steps: true } } } });
    expect(job.status).toBe("FAILED");
    expect(job.error).toMatch(/limit of 32 MB of state per run/);
    expect(job._count.steps).toBe(8);
  }, 300_000);

  it("runs one at a time per concurrency key, including a key shared across functions", async () => {
    const id = `conc-${uid()}`;
    let active = 0;
    let maxActive = 0;
    const work = async ({ step }: FunctionContext<Record<string, unknown>>) => {
      await step.run("work", async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((r) => setTimeout(r, 50));
        active--;
      });
    };
    const concurrency: FunctionDefinition["concurrency"] = [{ limit: 1, key: `"org-" + event.data.orgId`, scope: "env" }];
    const a = testFunction(`${id}-a`, work, { concurrency });
    const b = testFunction(`${id}-b`, work, { concurrency });
    const runner = new EmbeddedRunner([a, b] as never, { ...quiet, concurrency: 4, pollMs: 20 });
    for (let i = 0; i < 2; i++) {
      await send(runner, `${id}-a`, { orgId: "same" });
      await send(runner, `${id}-b`, { orgId: "same" });
    }
    await runner.start({ schedules: false });
    while ((await db.jobRun.count({ where: { functionId: { in: [`${id}-a`, `${id}-b`] }, status: { not: "SUCCEEDED" } } })) > 0)
      await new Promise((r) => setTimeout(r, 50));
    await runner.stop();
    expect(maxActive).toBe(1);
  });

  it("drains on stop: the step in progress finishes, the job goes back to the queue, and another worker resumes it", async () => {
    const id = `drain-${uid()}`;
    const executions: string[] = [];
    let releaseStep!: () => void;
    const stepStarted = new Promise<void>((resolve) => (releaseStep = resolve));
    let finishStep!: () => void;
    const fn = testFunction(id, async ({ step }) => {
      await step.run("page-1", async () => {
        executions.push("page-1");
        releaseStep();
        await new Promise<void>((resolve) => (finishStep = resolve));
      });
      await step.run("page-2", () => executions.push("page-2"));
    });
    const first = new EmbeddedRunner([fn as never], { ...quiet, workerId: `first-${id}`, pollMs: 20 });
    const [jobId] = await send(first, id);
    await first.start({ schedules: false });
    await stepStarted;
    const stopping = first.stop({ graceMs: 10_000 });
    finishStep();
    await stopping;
    // page-1 was kept, page-2 not started; the job is queued again, its attempt not counted.
    expect(await db.jobRun.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: "QUEUED", attempt: 0, lockedBy: null });
    expect(executions).toEqual(["page-1"]);

    const second = new EmbeddedRunner([fn as never], { ...quiet, workerId: `second-${id}` });
    await second.runUntilIdle();
    expect(executions).toEqual(["page-1", "page-2"]);
    expect(await db.jobRun.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ status: "SUCCEEDED", attempt: 1 });
    expect(await db.worker.findUniqueOrThrow({ where: { id: `first-${id}` } })).toMatchObject({ running: [] });
  });

  it("fires a cron occurrence once, even when asked twice or by two runners", async () => {
    const id = `cron-${uid()}`;
    let runs = 0;
    const fn = defineFunction({
      id,
      name: id,
      trigger: { cron: "0 2 * * *" },
      retries: 0,
      handler: async () => {
        runs++;
      },
    });
    const a = new EmbeddedRunner([fn as never], quiet);
    const b = new EmbeddedRunner([fn as never], quiet);
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
    const { EVENTS } = await import("@/inngest/events");
    const fn = defineFunction({
      id: `schema-${uid()}`,
      name: "schema",
      trigger: { event: EVENTS.catalogueSyncRequested },
      retries: 0,
      handler: async () => {},
    });
    const runner = new EmbeddedRunner([fn as never], quiet);
    await expect(runner.send({ name: EVENTS.catalogueSyncRequested.name, data: { connectorId: "" } } as never)).rejects.toThrow(/Invalid/);
  });
});
