import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { defineFunction, type DefinedFunction } from "@/inngest/define";
import type { SyncEvent as AppEvent, SyncRequest } from "@/inngest/events";
import { INNGEST_LIMITS, jsonBytes } from "@/inngest/limits";
import { catalogueSchedule, statisticsSchedule } from "@/inngest/functions/sync-schedule";
import { catalogueSyncFunction, statisticsSyncFunction } from "@/inngest/functions/sync";
import { resetSyncSandbox, startSyncSandbox, stopSyncSandbox } from "@/inngest/functions/sync-sandbox.fixtures";
import { EmbeddedRunner } from "@/inngest/runner";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { setSyncBudgetOverride } from "@/lib/sync/budget";
import { openSyncRun } from "@/lib/sync/runs";
import type { CourseraSandbox } from "@/sandbox/server";

/**
 * The syncs at sizes where Inngest's limits bite, on both engines:
 * - the embedded runner, which enforces Inngest's limits, for a listing of
 *   more than 1,000 pages (a run continues in fresh job runs instead of
 *   passing 1,000 steps);
 * - the SDK's own executor (@inngest/test), for a catalogue and a statistics
 *   sync that need continuations and for both schedules, with final counts
 *   equal to the embedded runner's on the same data;
 * - a schedule tick for 1,200 due connectors, in a handful of steps.
 *
 * Functions run here under their own ids (as in the fault drills): a runner
 * claims any queued job of a function id it knows, and catalogue-sync.test.ts
 * runs the real ids at the same time.
 */

let sandbox: CourseraSandbox;
const uid = () => randomUUID().slice(0, 8);

function copyOf(fn: DefinedFunction<SyncRequest>, id: string): DefinedFunction<SyncRequest> {
  return defineFunction<SyncRequest>({ ...fn.definition, id });
}
const catalogueCopy = copyOf(catalogueSyncFunction as DefinedFunction<SyncRequest>, "fidelity-catalogue-sync");
const statisticsCopy = copyOf(statisticsSyncFunction as DefinedFunction<SyncRequest>, "fidelity-statistics-sync");
const runner = new EmbeddedRunner([catalogueCopy, statisticsCopy] as DefinedFunction<unknown>[], { backoffMs: () => 5, log: () => {} });

beforeAll(async () => {
  sandbox = await startSyncSandbox();
});
afterEach(() => {
  resetSyncSandbox(sandbox);
  setSyncBudgetOverride({ step: { maxPages: 2, maxMs: 60_000 } });
});
afterAll(() => stopSyncSandbox(sandbox));

/** A Coursera org (same seed, so the same data for the same sizes) and a platform whose learners all exist. */
async function world(options: { catalogue: number; learners?: number; enrollments?: number }) {
  const tag = uid();
  const orgId = `fidelity-${tag}`;
  const learners = options.learners ?? 0;
  sandbox.control.addOrg({
    orgId,
    clientId: `client-${tag}`,
    clientSecret: `secret-${tag}`,
    seed: 7,
    catalogueSize: options.catalogue,
    learners: { count: Math.max(1, learners), emailPattern: `learner{n}@${tag}.test` },
    enrollmentCount: options.enrollments ?? 0,
  });
  const platform = await db.platform.create({ data: { name: `Fidelity ${tag}`, slug: `fidelity-${tag}` } });
  const group = await db.group.create({ data: { platformId: platform.id, name: "Everyone" } });
  const connector = await db.courseraConnector.create({
    data: {
      platformId: platform.id,
      enabled: true,
      enabledAt: new Date(),
      syncGroupId: group.id,
      orgId,
      clientId: `client-${tag}`,
      clientSecretEncrypted: encryptSecret(`secret-${tag}`),
      clientSecretLast4: tag.slice(-4),
    },
  });
  await db.user.createMany({
    data: Array.from({ length: learners }, (_, i) => ({
      platformId: platform.id,
      email: `learner${i + 1}@${tag}.test`,
      name: `Learner ${i + 1}`,
      role: "LEARNER" as const,
    })),
  });
  return { tag, orgId, platformId: platform.id, connectorId: connector.id };
}

async function open(connectorId: string, kind: "CATALOGUE" | "STATISTICS"): Promise<SyncRequest> {
  const opened = await openSyncRun({ connectorId, kind, trigger: "MANUAL" });
  if (!opened.ok) throw new Error(opened.message);
  return { connectorId, runId: opened.runId, orgId: opened.orgId };
}

const counters = async (runId: string) => {
  const r = await db.syncRun.findUniqueOrThrow({ where: { id: runId } });
  return {
    status: r.status,
    pages: r.pages,
    fetched: r.fetched,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    retired: r.retired,
    matched: r.matched,
    unmatched: r.unmatched,
    invalid: r.invalid,
  };
};

/**
 * Runs a function under the SDK's own executor until it ends, then the runs its
 * sendEvent steps start (its continuations), each as a fresh SDK execution, as
 * Inngest would. Returns each execution's step count and state size.
 */
async function runUnderSdk(fn: DefinedFunction<unknown>, first: { name: string; data: unknown; ts?: number }, sendStepIds: string[]) {
  const executions: { steps: number; stateBytes: number; events: AppEvent[] }[] = [];
  const queue: { name: string; data: unknown; ts?: number }[] = [first];
  while (queue.length > 0) {
    const event = queue.shift()!;
    const engine = new InngestTestEngine({
      function: fn.sdk,
      events: [event as never],
      // A sync's last step asks the alerts to look (its event is the alerts function's, not run here).
      steps: [...sendStepIds, "check-alerts"].map((id) => ({ id, handler: () => ({ ids: [] }) })),
    });
    const { ctx, state } = await engine.execute();
    const sent = vi.mocked(ctx.step.sendEvent).mock.calls.flatMap((call) => [call[1]].flat() as AppEvent[]);
    const outputs = await Promise.all(Object.values(state).map((p) => p.catch(() => null)));
    executions.push({
      steps: Object.keys(state).length,
      stateBytes: jsonBytes(event) + outputs.reduce<number>((sum, o) => sum + jsonBytes(o), 0),
      events: sent,
    });
    // A sync's continuation is the same event: run it next. A schedule's events start syncs, not run here.
    for (const e of sent) if (e.name === first.name) queue.push(e);
  }
  return executions;
}

describe("engine fidelity", () => {
  it("a listing of more than 1,000 pages continues in fresh job runs, none over Inngest's limits, and retires only at the end", async () => {
    const size = 1_200;
    const w = await world({ catalogue: size });
    sandbox.control.setMaxPageSize(1);
    // One page a step: 1,200 page steps, more than one job run may hold.
    setSyncBudgetOverride({ step: { maxPages: 1, maxMs: 60_000 }, pageStepsPerRun: 500 });
    const request = await open(w.connectorId, "CATALOGUE");
    await runner.send({ name: "coursera/catalogue.sync-requested", data: request });
    await runner.runUntilIdle(600_000);

    expect(await counters(request.runId)).toMatchObject({ status: "SUCCEEDED", pages: size, fetched: size, created: size, retired: 0 });
    expect(await db.course.count({ where: { platformId: w.platformId } })).toBe(size);
    const jobs = await db.jobRun.findMany({
      where: { functionId: "fidelity-catalogue-sync", eventData: { path: ["runId"], equals: request.runId } },
      include: { steps: true },
      orderBy: { createdAt: "asc" },
    });
    expect(jobs.map((j) => j.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "SUCCEEDED"]);
    for (const job of jobs) {
      expect(job.steps.length).toBeLessThanOrEqual(INNGEST_LIMITS.stepsPerRun);
      const state = jsonBytes(job.eventData) + job.steps.reduce((sum, s) => sum + jsonBytes(s.output), 0);
      expect(state).toBeLessThan(INNGEST_LIMITS.runStateBytes / 100);
    }
    // Retirement ran once, in the part that reached the end of the listing.
    expect(jobs.map((j) => j.steps.some((s) => s.stepKey === "retire"))).toEqual([false, false, true]);
    expect((jobs[1].eventData as SyncRequest).segment).toBe(1);
    const events = await db.syncRunEvent.findMany({ where: { runId: request.runId }, orderBy: { at: "asc" } });
    expect(events.filter((e) => e.kind === "CONTINUED")).toHaveLength(2);

    // Without continuing, the same run fails as it would on Inngest: the runner enforces the limit,
    // and a run stopped part-way retires nothing.
    const again = await world({ catalogue: size });
    setSyncBudgetOverride({ step: { maxPages: 1, maxMs: 60_000 }, pageStepsPerRun: 100_000 });
    sandbox.control.setMaxPageSize(1);
    const limited = await open(again.connectorId, "CATALOGUE");
    await runner.send({ name: "coursera/catalogue.sync-requested", data: limited });
    await runner.runUntilIdle(600_000);
    expect(await counters(limited.runId)).toMatchObject({ status: "FAILED", retired: 0 });
    const limitedJob = await db.jobRun.findFirstOrThrow({ where: { eventData: { path: ["runId"], equals: limited.runId } } });
    expect(limitedJob).toMatchObject({ status: "FAILED", attempt: 1 });
    expect(limitedJob.error).toMatch(/limit of 1,000 steps per run/);
  }, 900_000);

  it("under the SDK's own executor, a catalogue then a statistics sync needing continuations end with the embedded runner's counts", async () => {
    // 50 a page, one page a step, three page steps a job run: each sync takes several job runs.
    const budget = { step: { maxPages: 1, maxMs: 60_000 }, pageStepsPerRun: 3 };
    const sizes = { catalogue: 600, learners: 30, enrollments: 700 };
    const embedded = await world(sizes);
    const sdk = await world(sizes);
    sandbox.control.setMaxPageSize(50);
    setSyncBudgetOverride(budget);

    const embeddedCatalogue = await open(embedded.connectorId, "CATALOGUE");
    await runner.send({ name: "coursera/catalogue.sync-requested", data: embeddedCatalogue });
    await runner.runUntilIdle(300_000);
    const embeddedStatistics = await open(embedded.connectorId, "STATISTICS");
    await runner.send({ name: "coursera/statistics.sync-requested", data: embeddedStatistics });
    await runner.runUntilIdle(300_000);

    const sdkCatalogue = await open(sdk.connectorId, "CATALOGUE");
    const catalogueExecutions = await runUnderSdk(
      catalogueCopy as DefinedFunction<unknown>,
      { name: "coursera/catalogue.sync-requested", data: sdkCatalogue },
      ["continue-run"],
    );
    const sdkStatistics = await open(sdk.connectorId, "STATISTICS");
    const statisticsExecutions = await runUnderSdk(
      statisticsCopy as DefinedFunction<unknown>,
      { name: "coursera/statistics.sync-requested", data: sdkStatistics },
      ["continue-run"],
    );

    expect(catalogueExecutions.length).toBeGreaterThan(1);
    expect(statisticsExecutions.length).toBeGreaterThan(1);
    for (const e of [...catalogueExecutions, ...statisticsExecutions]) {
      expect(e.steps).toBeLessThanOrEqual(INNGEST_LIMITS.stepsPerRun);
      expect(e.stateBytes).toBeLessThan(INNGEST_LIMITS.runStateBytes);
    }
    expect(await counters(sdkCatalogue.runId)).toEqual(await counters(embeddedCatalogue.runId));
    expect(await counters(sdkStatistics.runId)).toEqual(await counters(embeddedStatistics.runId));
    expect(await counters(sdkCatalogue.runId)).toMatchObject({ status: "SUCCEEDED", created: sizes.catalogue });
    expect(await counters(sdkStatistics.runId)).toMatchObject({
      status: "SUCCEEDED",
      fetched: sizes.enrollments,
      matched: sizes.enrollments,
    });
  }, 600_000);

  it("both schedules under the SDK's executor: a tick of 1,200 due connectors opens every run in one step and sends them in three", async () => {
    const tick = Date.UTC(2020, 0, 1, 0, 0, 0);
    const tag = uid();
    const count = 1_200;
    // Enabled before the tick's day, never synced: due at the tick (see lib/sync/schedule.ts).
    await db.platform.createMany({
      data: Array.from({ length: count }, (_, i) => ({ id: `fleet-${tag}-${i}`, name: `Fleet ${tag} ${i}`, slug: `fleet-${tag}-${i}` })),
    });
    await db.courseraConnector.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        id: `fleet-connector-${tag}-${i}`,
        platformId: `fleet-${tag}-${i}`,
        enabled: true,
        enabledAt: new Date("2019-12-30T00:00:00Z"),
        orgId: `fleet-org-${tag}-${i}`,
        clientId: "client",
        clientSecretEncrypted: encryptSecret("secret"),
        clientSecretLast4: "cret",
      })),
    });
    const mine = (e: AppEvent) => e.data.connectorId.startsWith(`fleet-connector-${tag}-`);

    for (const [schedule, name] of [
      [catalogueSchedule, "coursera/catalogue.sync-requested"],
      [statisticsSchedule, "coursera/statistics.sync-requested"],
    ] as const) {
      const [execution] = await runUnderSdk(
        schedule as DefinedFunction<unknown>,
        { name: "inngest/scheduled.timer", data: { cron: "*/5 * * * *" }, ts: tick },
        ["start-runs-0", "start-runs-1", "start-runs-2", "start-runs-3", "start-runs-4"],
      );
      const sent = execution.events.filter(mine);
      expect(sent).toHaveLength(count);
      expect(new Set(sent.map((e) => e.id)).size).toBe(count);
      expect(
        sent.every(
          (e) =>
            e.name === name && e.id === `run-${e.data.runId}` && e.data.orgId === `fleet-org-${tag}-${e.data.connectorId.split("-").pop()}`,
        ),
      ).toBe(true);
      expect(execution.steps).toBeLessThanOrEqual(1 + Math.ceil(execution.events.length / 500));
      expect(execution.stateBytes).toBeLessThan(INNGEST_LIMITS.runStateBytes);
      expect(Math.max(...execution.events.map(jsonBytes))).toBeLessThan(INNGEST_LIMITS.eventBytes);
    }
    const opened = await db.syncRun.groupBy({
      by: ["kind"],
      where: { connectorId: { startsWith: `fleet-connector-${tag}-` }, status: "QUEUED", trigger: "SCHEDULE" },
      _count: true,
    });
    expect(opened.map((o) => [o.kind, o._count]).sort()).toEqual([
      ["CATALOGUE", count],
      ["STATISTICS", count],
    ]);

    // The same tick again (a retry, or the next tick while they still wait): nothing new is started.
    const [repeat] = await runUnderSdk(
      catalogueSchedule as DefinedFunction<unknown>,
      { name: "inngest/scheduled.timer", data: { cron: "*/5 * * * *" }, ts: tick },
      ["start-runs-0", "start-runs-1", "start-runs-2"],
    );
    expect(repeat.events.filter(mine)).toHaveLength(0);
    await db.syncRun.deleteMany({ where: { connectorId: { startsWith: `fleet-connector-${tag}-` } } });
    await db.courseraConnector.updateMany({ where: { id: { startsWith: `fleet-connector-${tag}-` } }, data: { enabled: false } });
  }, 300_000);
});
