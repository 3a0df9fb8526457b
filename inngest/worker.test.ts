import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startWorker, stopAll, waitFor, type WorkerProcess } from "@/inngest/worker-process.fixtures";
import { encryptSecret } from "@/lib/crypto/secrets";
import { provisionDatabase, type ProvisionedDatabase } from "@/lib/database/provision";
import { db, disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { startCourseraSandbox, type CourseraSandbox } from "@/sandbox/server";

/**
 * The worker tier with real processes: `inngest/worker.ts` started as
 * `npm run worker` starts it, killed, paused, stopped, and run two at a time,
 * against PostgreSQL and the Coursera sandbox over HTTP. A short lease
 * (RUNNER_LEASE_MS 3 s) so a dead worker's job is taken over in seconds.
 *
 * These workers claim any queued job of the product's functions, so they get a
 * database of their own: the other test files' runs never reach them. They
 * need a PostgreSQL server (CI has one): the embedded PGlite is one database
 * behind one socket, and pausing a process there would stall every other
 * connection with it.
 */
const onServer = process.env.TEST_DATABASE_EMBEDDED !== "1";
const LEASE_MS = 3_000;
const SIZE = 3_000;
const PAGE = 50;

let database: ProvisionedDatabase;
let sandbox: CourseraSandbox;
let workerEnv: NodeJS.ProcessEnv;
let workers: WorkerProcess[] = [];
const uid = () => randomUUID().slice(0, 8);

beforeAll(async () => {
  if (!onServer) return;
  const server = new URL(process.env.DATABASE_URL!);
  server.pathname = "/postgres";
  database = await provisionDatabase({ serverUrl: server.toString(), fresh: true, freshPrefix: "connector_workers" });
  process.env.DATABASE_URL = database.url;
  resetEnvCache();
  await disconnectDb();
  sandbox = await startCourseraSandbox({ port: 0, includeDemoOrg: false });
  sandbox.control.setMaxPageSize(PAGE);
  workerEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    COURSERA_API_BASE_URL: sandbox.url,
    COURSERA_REQUESTS_PER_SECOND: "0",
    RUNNER_LEASE_MS: String(LEASE_MS),
    RUNNER_SCHEDULES: "0",
    // Two pages a step: a run is many steps, so a signal lands in the middle of one.
    SYNC_STEP_MAX_PAGES: "2",
    WORKER_SHUTDOWN_GRACE_MS: "20000",
  };
}, 120_000);

afterEach(async () => {
  await stopAll(workers);
  workers = [];
});

afterAll(async () => {
  if (!onServer) return;
  await disconnectDb();
  await sandbox?.close();
  await database?.release();
});

function worker(name: string, env: Record<string, string> = {}): WorkerProcess {
  const w = startWorker(`${name}-${uid()}`, { ...workerEnv, ...env });
  workers.push(w);
  return w;
}

const LEARNERS = 20;

/** A Coursera org (the same seed for all, so the same data), and a platform wired to it whose learners all exist. */
async function catalogueWorld(size = SIZE, enrollments = 0) {
  const tag = uid();
  const orgId = `workers-${tag}`;
  sandbox.control.addOrg({
    orgId,
    clientId: `client-${tag}`,
    clientSecret: `secret-${tag}`,
    seed: 42,
    catalogueSize: size,
    programs: 2,
    learners: { count: LEARNERS, emailPattern: `learner{n}@${tag}.test` },
    enrollmentCount: enrollments,
  });
  const platform = await db.platform.create({ data: { name: `Workers ${tag}`, slug: `workers-${tag}` } });
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
  for (let n = 1; n <= LEARNERS; n++) {
    await db.user.create({ data: { platformId: platform.id, email: `learner${n}@${tag}.test`, name: `Learner ${n}`, role: "LEARNER" } });
  }
  return { tag, orgId, platformId: platform.id, connectorId: connector.id };
}

/** Queues a run the way the product does (inngest/dispatch.ts) — into this file's own database. */
async function queue(connectorId: string, kind: "CATALOGUE" | "STATISTICS") {
  const { requestSync } = await import("@/inngest/dispatch");
  const result = await requestSync({ connectorId, kind, trigger: "MANUAL" });
  if (!result.ok) throw new Error(result.message);
  return result.runId;
}

const run = (runId: string) => db.syncRun.findUniqueOrThrow({ where: { id: runId }, include: { events: { orderBy: { at: "asc" } } } });
const jobOf = (runId: string) => db.jobRun.findFirstOrThrow({ where: { eventData: { path: ["runId"], equals: runId } } });
/**
 * The job once its worker has recorded the outcome. The run's own status is written in the
 * function's last step and the job's a moment later, when the function returns, so a test that
 * saw the run finish waits for the job too rather than reading it in between.
 */
async function settledJobOf(runId: string) {
  await waitFor(async () => !["QUEUED", "RUNNING"].includes((await jobOf(runId)).status), 30_000, "the job to be settled");
  return jobOf(runId);
}
const progressOf = async (runId: string) => (await db.syncRun.findUniqueOrThrow({ where: { id: runId } })).progressDone;
const finished = async (runId: string) => ["SUCCEEDED", "NEEDS_REVIEW", "FAILED"].includes((await run(runId)).status);

async function expectExactCatalogue(runId: string, platformId: string, size = SIZE) {
  const r = await run(runId);
  expect(r).toMatchObject({
    status: "SUCCEEDED",
    fetched: size,
    created: size,
    pages: size / PAGE,
    updated: 0,
    retired: 0,
    errorCode: null,
  });
  expect(await db.course.count({ where: { platformId } })).toBe(size);
  const [{ distinct }] = await db.$queryRaw<{ distinct: number }[]>`
    SELECT count(DISTINCT "courseraContentId")::int AS "distinct" FROM "Course" WHERE "platformId" = ${platformId}`;
  expect(distinct).toBe(size);
  expect(await db.syncRunPage.count({ where: { runId } })).toBe(0);
  expect(await db.catalogueSeenItem.count({ where: { runId } })).toBe(0);
  return r;
}

describe.skipIf(!onServer)("worker processes", () => {
  it("a worker killed mid-sync and restarted at once: the restarted worker takes the run over at once and completes it exactly", async () => {
    const w = await catalogueWorld();
    const first = worker("first");
    const runId = await queue(w.connectorId, "CATALOGUE");
    await waitFor(async () => (await progressOf(runId)) >= 600, 60_000, "the sync to be under way");
    first.signal("SIGKILL");
    await first.exited;
    expect((await run(runId)).status).toBe("RUNNING");

    // Restarted at once, well within the dead worker's lease: it sees its predecessor's process is gone.
    const restarted = worker("restarted");
    await restarted.waitForOutput(`taking over 1 job(s) of ${first.name}`, 30_000);
    await waitFor(() => finished(runId), 90_000, "the run to finish");
    const r = await expectExactCatalogue(runId, w.platformId);
    expect(r.workerId).toContain(restarted.name);
    expect(await settledJobOf(runId)).toMatchObject({ status: "SUCCEEDED", attempt: 2 });
    const kinds = r.events.map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["STARTED", "INTERRUPTED", "RESUMED"]));
    expect(r.events.find((e) => e.kind === "INTERRUPTED")!.message).toContain(`${first.name}`);
    expect(restarted.output()).toMatch(/took over job/);
  }, 180_000);

  it("two workers, one killed: the other takes the run over without any restart", async () => {
    const w = await catalogueWorld();
    const a = worker("a");
    const b = worker("b");
    await Promise.all([a.waitForOutput("running background functions"), b.waitForOutput("running background functions")]);
    const runId = await queue(w.connectorId, "CATALOGUE");
    await waitFor(async () => (await progressOf(runId)) >= 600, 60_000, "the sync to be under way");
    const owner = (await jobOf(runId)).lockedBy!;
    const [victim, survivor] = owner.startsWith(a.name) ? [a, b] : [b, a];
    victim.signal("SIGKILL");
    await waitFor(() => finished(runId), 90_000, "the run to finish");
    const r = await expectExactCatalogue(runId, w.platformId);
    expect(r.workerId).toContain(survivor.name);
    expect(await settledJobOf(runId)).toMatchObject({ status: "SUCCEEDED", attempt: 2 });
  }, 180_000);

  it("a worker paused past its lease: another takes over; resumed, the paused one writes nothing more", async () => {
    const w = await catalogueWorld();
    const paused = worker("paused");
    const runId = await queue(w.connectorId, "CATALOGUE");
    await waitFor(async () => (await progressOf(runId)) >= 600, 60_000, "the sync to be under way");
    paused.signal("SIGSTOP");
    const live = worker("live");
    // The live worker takes the run over once the lease has expired (and PostgreSQL has ended any
    // transaction the paused worker left open), and finishes it.
    await waitFor(() => finished(runId), 120_000, "the run to finish on the live worker");
    paused.signal("SIGCONT");
    await paused.waitForOutput(/another worker (now owns|took it over)|lost job/, 30_000);
    const r = await expectExactCatalogue(runId, w.platformId);
    expect(r.workerId).toContain(live.name);
    const job = await settledJobOf(runId);
    expect(job).toMatchObject({ status: "SUCCEEDED", attempt: 2, lockedBy: null });
    // Nothing the late owner did afterwards changed the result.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await expectExactCatalogue(runId, w.platformId);
    expect(await db.jobRun.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ status: "SUCCEEDED", attempt: 2 });
  }, 240_000);

  it("SIGTERM drains: the worker finishes its step, hands the run back and exits; a new worker completes it exactly", async () => {
    const w = await catalogueWorld();
    const leaving = worker("leaving");
    const runId = await queue(w.connectorId, "CATALOGUE");
    await waitFor(async () => (await progressOf(runId)) >= 600, 60_000, "the sync to be under way");
    leaving.signal("SIGTERM");
    const exit = await leaving.exited;
    expect(exit.code).toBe(0);
    expect(leaving.output()).toMatch(/released job .* for another worker/);
    // Handed back, not failed: queued again with no attempt counted.
    expect(await jobOf(runId)).toMatchObject({ status: "QUEUED", attempt: 0, lockedBy: null });
    const worker2 = await db.worker.findFirstOrThrow({ where: { id: { startsWith: leaving.name } } });
    expect(worker2.stoppedAt).not.toBeNull();

    const next = worker("next");
    await waitFor(() => finished(runId), 90_000, "the run to finish");
    const r = await expectExactCatalogue(runId, w.platformId);
    expect(r.workerId).toContain(next.name);
    expect(r.events.find((e) => e.kind === "INTERRUPTED")!.message).toMatch(/was shut down/);
  }, 180_000);

  it("two workers share the queue: catalogue and statistics syncs of several connectors end with one worker's counts, no page fetched twice", async () => {
    const size = 400;
    const worlds = [];
    for (let i = 0; i < 4; i++) worlds.push(await catalogueWorld(size, 300));
    const counts = async (runIds: string[]) =>
      Promise.all(
        runIds.map(async (id) => {
          const r = await run(id);
          return {
            status: r.status,
            pages: r.pages,
            fetched: r.fetched,
            created: r.created,
            updated: r.updated,
            matched: r.matched,
            unmatched: r.unmatched,
          };
        }),
      );

    // One worker: two connectors' catalogue then statistics syncs.
    const solo = worker("solo");
    const soloRuns: string[] = [];
    for (const w of worlds.slice(0, 2)) soloRuns.push(await queue(w.connectorId, "CATALOGUE"));
    await waitFor(async () => (await Promise.all(soloRuns.map(finished))).every(Boolean), 90_000, "the solo runs");
    for (const w of worlds.slice(0, 2)) soloRuns.push(await queue(w.connectorId, "STATISTICS"));
    await waitFor(async () => (await Promise.all(soloRuns.map(finished))).every(Boolean), 90_000, "the solo runs");
    solo.signal("SIGTERM");
    await solo.exited;

    // Two workers, the other two connectors, the same work.
    const requestsBefore = sandbox.control.stats().requests;
    worker("pair-a");
    worker("pair-b");
    const pairRuns: string[] = [];
    for (const w of worlds.slice(2)) pairRuns.push(await queue(w.connectorId, "CATALOGUE"));
    await waitFor(async () => (await Promise.all(pairRuns.map(finished))).every(Boolean), 90_000, "the pair's runs");
    for (const w of worlds.slice(2)) pairRuns.push(await queue(w.connectorId, "STATISTICS"));
    await waitFor(async () => (await Promise.all(pairRuns.map(finished))).every(Boolean), 90_000, "the pair's runs");

    expect(await counts(pairRuns)).toEqual(await counts(soloRuns));
    const pairCounts = await counts(pairRuns);
    expect(pairCounts.every((c) => c.status === "SUCCEEDED")).toBe(true);
    expect(pairCounts.slice(2).every((c) => c.fetched === 300 && c.matched === 300)).toBe(true);
    // Each catalogue page was read once: no step ran on both workers.
    const requests = sandbox.control.stats().requests;
    expect(requests.contents - requestsBefore.contents).toBe(2 * (size / PAGE));
    // Every step ran on one of the two workers.
    const ran = await Promise.all(pairRuns.map(run));
    expect(ran.every((r) => /^pair-[ab]-/.test(r.workerId ?? ""))).toBe(true);
  }, 300_000);

  it("a worker that cannot start says why in one line and exits non-zero", async () => {
    const noDb = worker("no-db", { DATABASE_URL: "" });
    expect((await noDb.exited).code).toBe(1);
    expect(noDb.output().trim()).toMatch(/^worker: DATABASE_URL is not set/);
    expect(noDb.output().trim().split("\n")).toHaveLength(1);

    const wrongDb = worker("wrong-db", { DATABASE_URL: "postgresql://postgres@127.0.0.1:9/nowhere" });
    expect((await wrongDb.exited).code).toBe(1);
    expect(wrongDb.output().trim()).toMatch(/^worker: cannot reach the database in DATABASE_URL \(127\.0\.0\.1:9\)/);
    expect(wrongDb.output().trim().split("\n")).toHaveLength(1);

    const noInngest = worker("no-inngest", {
      INNGEST_EVENT_KEY: "test-key",
      INNGEST_SIGNING_KEY: "signkey-test-00",
      INNGEST_BASE_URL: "http://127.0.0.1:9",
    });
    expect((await noInngest.exited).code).toBe(1);
    expect(noInngest.output().trim()).toMatch(/^worker: cannot connect to Inngest \(http:\/\/127\.0\.0\.1:9\)/);
  }, 120_000);
});
