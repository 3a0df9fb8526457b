import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { defineFunction, type DefinedFunction } from "@/inngest/define";
import type { SyncRequest } from "@/inngest/events";
import { catalogueSyncFunction, statisticsSyncFunction } from "@/inngest/functions/sync";
import { resetSyncSandbox, startSyncSandbox, stopSyncSandbox } from "@/inngest/functions/sync-sandbox.fixtures";
import { EmbeddedRunner } from "@/inngest/runner";
import type { RawElement } from "@/sandbox/data";
import type { CourseraSandbox, FaultSpec } from "@/sandbox/server";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { requireEnv } from "@/lib/env";

/**
 * Fault drills: every failure of the Coursera contract's table, injected in the
 * middle of a catalogue sync and of a statistics sync (after two pages), plus
 * the database connection dropped mid-run and the process killed mid-run.
 *
 * The drills run the real handlers and failure handlers of catalogue-sync and
 * statistics-sync, but registered under their own function ids and queued
 * straight to this file's runners (not through requestSync's global runner):
 * the runner claims any queued job of a function id it knows, so jobs queued
 * as "catalogue-sync" could be claimed by catalogue-sync.test.ts's runner,
 * running in parallel against its own sandbox, and the other way round.
 */

/** Hook called before each step of a drill function; may throw or hang to simulate a crash. */
let beforeStep: (stepId: string) => Promise<void> = async () => {};

/** The same function under another id, with beforeStep called before each of its steps. */
function drillCopy(fn: DefinedFunction<SyncRequest>, id: string): DefinedFunction<SyncRequest> {
  return defineFunction<SyncRequest>({
    ...fn.definition,
    id,
    handler: (ctx) =>
      fn.definition.handler({
        ...ctx,
        step: {
          ...ctx.step,
          run: async (stepId, work) => {
            await beforeStep(stepId);
            return ctx.step.run(stepId, work);
          },
        },
      }),
  });
}

const CATALOGUE_FN = "fault-drill-catalogue-sync";
const STATISTICS_FN = "fault-drill-statistics-sync";
const catalogueDrill = drillCopy(catalogueSyncFunction, CATALOGUE_FN);
const statisticsDrill = drillCopy(statisticsSyncFunction, STATISTICS_FN);
const quiet = { backoffMs: () => 5, log: () => {} };
const runner = new EmbeddedRunner([catalogueDrill, statisticsDrill], quiet);

let sandbox: CourseraSandbox;
/** Every backoff wait the Coursera client asked for (it never really sleeps here). */
const waits: number[] = [];
const uid = () => randomUUID().slice(0, 8);
const SIZE = 100;
const PAGE = 20;

beforeAll(async () => {
  sandbox = await startSyncSandbox({
    maxAttempts: 3,
    // Short, so the timeout drill costs a second, not thirty.
    timeoutMs: 1_000,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
});

afterEach(() => {
  beforeStep = async () => {};
  resetSyncSandbox(sandbox);
});
afterAll(() => stopSyncSandbox(sandbox));

interface World {
  tag: string;
  orgId: string;
  platformId: string;
  connectorId: string;
  contentIds: string[];
  courseIds: string[];
}

/** A sandbox org, a platform wired to it, and (for statistics) its users and courses. */
async function world(kind: "CATALOGUE" | "STATISTICS"): Promise<World> {
  const tag = uid();
  const orgId = `drill-${tag}`;
  const learners = 10;
  const catalogueSize = kind === "CATALOGUE" ? SIZE : 20;
  sandbox.control.addOrg({
    orgId,
    clientId: `client-${tag}`,
    clientSecret: `secret-${tag}`,
    catalogueSize,
    programs: 1,
    learners: { count: learners, emailPattern: `learner{n}@${tag}.test` },
    enrollmentCount: kind === "STATISTICS" ? SIZE : 0,
  });
  const platform = await db.platform.create({ data: { name: `Drill ${tag}`, slug: `drill-${tag}` } });
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
      massRetirementThreshold: 0.9,
    },
  });
  const contentIds = Array.from({ length: catalogueSize }, (_, i) => sandbox.control.contentIdAt(orgId, i));
  const courseIds: string[] = [];
  if (kind === "STATISTICS") {
    for (let n = 1; n <= learners; n++) {
      await db.user.create({ data: { platformId: platform.id, email: `learner${n}@${tag}.test`, name: `Learner ${n}`, role: "LEARNER" } });
    }
    for (const [i, contentId] of contentIds.entries()) {
      const course = await db.course.create({
        data: { platformId: platform.id, source: "COURSERA", courseraContentId: contentId, title: `Course ${i}` },
      });
      courseIds.push(course.id);
    }
  }
  return { tag, orgId, platformId: platform.id, connectorId: connector.id, contentIds, courseIds };
}

/** One run of the drill function, queued as requestSync would queue it, then drained. */
async function queueRun(w: World, kind: "CATALOGUE" | "STATISTICS") {
  const run = await db.syncRun.create({
    data: { platformId: w.platformId, connectorId: w.connectorId, kind, trigger: "MANUAL" },
    select: { id: true },
  });
  const name = kind === "CATALOGUE" ? "coursera/catalogue.sync-requested" : "coursera/statistics.sync-requested";
  await runner.send({ name, data: { connectorId: w.connectorId, runId: run.id } });
  return run.id;
}

async function sync(w: World, kind: "CATALOGUE" | "STATISTICS") {
  const runId = await queueRun(w, kind);
  await runner.runUntilIdle();
  return syncRun(runId);
}

const syncRun = (runId: string) => db.syncRun.findUniqueOrThrow({ where: { id: runId }, include: { problems: true } });
const jobOf = (fn: string, runId: string) =>
  db.jobRun.findFirstOrThrow({ where: { functionId: fn, eventData: { path: ["runId"], equals: runId } }, include: { steps: true } });

async function courseState(w: World) {
  const rows = await db.course.findMany({
    where: { platformId: w.platformId },
    select: { courseraContentId: true, title: true, retiredAt: true },
  });
  const dupes = await db.course.groupBy({
    by: ["courseraContentId"],
    where: { platformId: w.platformId },
    _count: { _all: true },
    having: { courseraContentId: { _count: { gt: 1 } } },
  });
  return { rows, dupes: dupes.length, retired: rows.filter((r) => r.retiredAt !== null).length };
}

async function statState(w: World) {
  const rows = await db.learnerCourseStat.findMany({ where: { platformId: w.platformId } });
  const dupes = await db.learnerCourseStat.groupBy({
    by: ["userId", "courseId"],
    where: { platformId: w.platformId },
    _count: { _all: true },
    having: { userId: { _count: { gt: 1 } } },
  });
  return { rows, dupes: dupes.length, byKey: new Map(rows.map((r) => [`${r.userId}:${r.courseId}`, r])) };
}

interface Drill {
  name: string;
  /** Faults injected once two pages of the listing have come through. */
  faults: (endpoint: "contents" | "enrollmentReports") => FaultSpec[];
  outcome: "recovered" | "stopped";
  errorCode?: string;
  message?: RegExp;
  /** A malformed element: one record skipped and reported. */
  invalid?: number;
  check?: () => void;
}

const mid = { afterRequests: 2 } as const;
const DRILLS: Drill[] = [
  { name: "429 without Retry-After", faults: (e) => [{ endpoint: e, kind: "rate-limit", ...mid, times: 2 }], outcome: "recovered" },
  {
    name: "429 with Retry-After (honoured)",
    faults: (e) => [{ endpoint: e, kind: "rate-limit-retry-after", retryAfterSeconds: 2, ...mid, times: 1 }],
    outcome: "recovered",
    check: () => expect(waits).toContain(2_000),
  },
  { name: "500", faults: (e) => [{ endpoint: e, kind: "server-error-500", ...mid, times: 2 }], outcome: "recovered" },
  { name: "503", faults: (e) => [{ endpoint: e, kind: "server-error-503", ...mid, times: 2 }], outcome: "recovered" },
  { name: "timeout", faults: (e) => [{ endpoint: e, kind: "timeout", delayMs: 1_500, ...mid, times: 1 }], outcome: "recovered" },
  { name: "reset connection", faults: (e) => [{ endpoint: e, kind: "reset", ...mid, times: 2 }], outcome: "recovered" },
  { name: "malformed JSON page", faults: (e) => [{ endpoint: e, kind: "malformed-json", ...mid, times: 2 }], outcome: "recovered" },
  { name: "truncated page", faults: (e) => [{ endpoint: e, kind: "truncated-page", ...mid, times: 2 }], outcome: "recovered" },
  // Beyond the client's attempts: Inngest's retry resumes at the failed page.
  {
    name: "503 beyond the client's attempts",
    faults: (e) => [{ endpoint: e, kind: "server-error-503", ...mid, times: 4 }],
    outcome: "recovered",
  },
  {
    name: "malformed element",
    faults: (e) => [{ endpoint: e, kind: "malformed-element", ...mid, times: 1 }],
    outcome: "recovered",
    invalid: 1,
  },
  {
    name: "401 mid-listing (token expired)",
    faults: (e) => [{ endpoint: e, kind: "expire-token", ...mid, times: 1 }],
    outcome: "recovered",
  },
  {
    name: "401 mid-listing (token revoked once)",
    faults: (e) => [{ endpoint: e, kind: "unauthorized-401", ...mid, times: 1 }],
    outcome: "recovered",
  },
  {
    name: "401 on token (credentials revoked mid-run)",
    faults: (e) => [
      { endpoint: e, kind: "expire-token", ...mid, times: 1 },
      { endpoint: "token", kind: "unauthorized-401", times: "always" },
    ],
    outcome: "stopped",
    errorCode: "BAD_CREDENTIALS",
    message: /^Coursera rejected the client ID or client secret/,
  },
  {
    name: "401 again with a fresh token",
    faults: (e) => [{ endpoint: e, kind: "unauthorized-401", ...mid, times: "always" }],
    outcome: "stopped",
    errorCode: "BAD_CREDENTIALS",
    message: /^Coursera rejected the client ID or client secret/,
  },
  {
    name: "403",
    faults: (e) => [{ endpoint: e, kind: "forbidden-403", ...mid, times: "always" }],
    outcome: "stopped",
    errorCode: "API_ACCESS_DISABLED",
    message: /^API access is not enabled for this Coursera organisation/,
  },
  {
    name: "404",
    faults: (e) => [{ endpoint: e, kind: "not-found-404", ...mid, times: "always" }],
    outcome: "stopped",
    errorCode: "UNKNOWN_ORG",
    message: /^Coursera does not know the organisation ID/,
  },
  {
    name: "500 that persists",
    faults: (e) => [{ endpoint: e, kind: "server-error-500", ...mid, times: "always" }],
    outcome: "stopped",
    errorCode: "UNAVAILABLE",
    message: /^Coursera did not answer properly after 3 attempts \(last problem: HTTP 500\)/,
  },
  {
    name: "malformed page that persists",
    faults: (e) => [{ endpoint: e, kind: "malformed-json", ...mid, times: "always" }],
    outcome: "stopped",
    errorCode: "MALFORMED_RESPONSE",
    message: /^Coursera kept sending an unreadable answer after 3 attempts/,
  },
];

/** No raw exception text or internals in what an admin reads. */
function expectPersonReadable(message: string | null) {
  expect(message).toBeTruthy();
  expect(message).not.toMatch(/\bat .*\.(ts|js):\d+|TypeError|SyntaxError|ECONNRESET|fetch failed|Unexpected token|secret-/);
}

describe("catalogue sync fault drills", () => {
  it.each(DRILLS)("$name in the middle of the listing", async (drill) => {
    const w = await world("CATALOGUE");
    sandbox.control.setMaxPageSize(PAGE);
    expect(await sync(w, "CATALOGUE")).toMatchObject({ status: "SUCCEEDED", created: SIZE });

    // Coursera renamed a course on the last page: a complete run must bring it.
    const last = sandbox.control.org(w.orgId).findContent(w.contentIds[90], sandbox.url)!;
    sandbox.control.upsertContent(w.orgId, { ...last, name: `Renamed ${w.tag}` });
    waits.length = 0;
    for (const fault of drill.faults("contents")) sandbox.control.injectFault(fault);

    const run = await sync(w, "CATALOGUE");
    const state = await courseState(w);
    expect(state.rows).toHaveLength(SIZE);
    expect(state.dupes).toBe(0);
    expect(state.retired).toBe(0);
    expect(run.retired).toBe(0);
    expect(run.heldRetirements).toBe(0);
    expect(run.created).toBe(0);
    expect(await db.catalogueSeenItem.count({ where: { runId: run.id } })).toBe(0);

    if (drill.outcome === "recovered") {
      expect(run).toMatchObject({
        status: "SUCCEEDED",
        errorCode: null,
        errorMessage: null,
        pages: SIZE / PAGE,
        fetched: SIZE,
        invalid: drill.invalid ?? 0,
      });
      expect(run.updated + run.unchanged).toBe(SIZE - (drill.invalid ?? 0));
      expect(run.updated).toBe(1);
      expect(state.rows.find((r) => r.courseraContentId === w.contentIds[90])?.title).toBe(`Renamed ${w.tag}`);
      expect(run.problems.filter((p) => p.kind === "INVALID_RECORD")).toHaveLength(drill.invalid ?? 0);
      drill.check?.();
    } else {
      expect(run).toMatchObject({ status: "FAILED", errorCode: drill.errorCode, pages: 2, fetched: 2 * PAGE, updated: 0 });
      expect(run.errorMessage).toMatch(drill.message!);
      expectPersonReadable(run.errorMessage);
      expect(run.finishedAt).not.toBeNull();
      // The rename on the page never read is not applied, and nothing else moved.
      expect(state.rows.find((r) => r.courseraContentId === w.contentIds[90])?.title).not.toBe(`Renamed ${w.tag}`);
      const job = await jobOf(CATALOGUE_FN, run.id);
      expect(job.status).toBe("FAILED");
      // Credentials, access and org problems are not retried; transient ones use Inngest's retries.
      expect(job.attempt).toBe(["UNAVAILABLE", "MALFORMED_RESPONSE"].includes(drill.errorCode!) ? 4 : 1);
      // Once Coursera behaves, the next run completes.
      sandbox.control.clearFaults();
      expect(await sync(w, "CATALOGUE")).toMatchObject({ status: "SUCCEEDED", updated: 1, retired: 0, fetched: SIZE });
    }
  });
});

describe("statistics sync fault drills", () => {
  it.each(DRILLS)("$name in the middle of the reports", async (drill) => {
    const w = await world("STATISTICS");
    sandbox.control.setMaxPageSize(PAGE);
    expect(await sync(w, "STATISTICS")).toMatchObject({ status: "SUCCEEDED", fetched: SIZE, matched: SIZE });
    const before = await statState(w);
    expect(before.rows).toHaveLength(SIZE);

    // A learner made progress on a record of the last page.
    const org = sandbox.control.org(w.orgId);
    const lastPage = org.enrollmentsPage(80, 20).elements as RawElement[];
    const moving = lastPage.find((r) => !r.isCompleted && Number(r.overallProgress) < 90)!;
    expect(moving).toBeTruthy();
    const newProgress = Number(moving.overallProgress) + 7;
    sandbox.control.setEnrollment(w.orgId, { ...moving, overallProgress: newProgress, lastActivityAt: Date.now() });
    const movingUser = await db.user.findFirstOrThrow({ where: { platformId: w.platformId, email: String(moving.email) } });
    const movingKey = `${movingUser.id}:${w.courseIds[w.contentIds.indexOf(String(moving.contentId))]}`;
    waits.length = 0;
    for (const fault of drill.faults("enrollmentReports")) sandbox.control.injectFault(fault);

    const run = await sync(w, "STATISTICS");
    const after = await statState(w);
    expect(after.rows).toHaveLength(SIZE);
    expect(after.dupes).toBe(0);
    // Never lost, never regressed.
    for (const [key, old] of before.byKey) {
      const now = after.byKey.get(key);
      expect(now).toBeDefined();
      expect(now!.progressPercent).toBeGreaterThanOrEqual(old.progressPercent);
      if (old.status === "COMPLETED") expect(now!.status).toBe("COMPLETED");
    }

    if (drill.outcome === "recovered") {
      expect(run).toMatchObject({
        status: "SUCCEEDED",
        errorCode: null,
        errorMessage: null,
        pages: SIZE / PAGE,
        fetched: SIZE,
        invalid: drill.invalid ?? 0,
      });
      expect(run.matched).toBe(SIZE - (drill.invalid ?? 0));
      expect(run.updated).toBe(1);
      expect(after.byKey.get(movingKey)?.progressPercent).toBe(newProgress);
      expect(run.problems.filter((p) => p.kind === "INVALID_RECORD")).toHaveLength(drill.invalid ?? 0);
      drill.check?.();
    } else {
      expect(run).toMatchObject({ status: "FAILED", errorCode: drill.errorCode, pages: 2, fetched: 2 * PAGE, updated: 0 });
      expect(run.errorMessage).toMatch(drill.message!);
      expectPersonReadable(run.errorMessage);
      expect(after.byKey.get(movingKey)?.progressPercent).toBe(before.byKey.get(movingKey)?.progressPercent);
      const job = await jobOf(STATISTICS_FN, run.id);
      expect(job.status).toBe("FAILED");
      sandbox.control.clearFaults();
      expect(await sync(w, "STATISTICS")).toMatchObject({ status: "SUCCEEDED", updated: 1, fetched: SIZE });
    }
  });
});

/** This process's pool connections: enough concurrent sleepers to hold every one of them. */
async function ownBackendPids(): Promise<number[]> {
  const rows = await Promise.all(
    Array.from({ length: 12 }, () => db.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid, pg_sleep(0.05)::text AS slept`),
  );
  return [...new Set(rows.map((r) => Number(r[0].pid)))];
}

describe("infrastructure drills", () => {
  // pg_terminate_backend needs a PostgreSQL server: the embedded PGlite serves every connection from
  // one backend, which the drill cannot kill without killing the database. CI runs them on a server.
  it.skipIf(process.env.TEST_DATABASE_EMBEDDED === "1").each(["CATALOGUE", "STATISTICS"] as const)(
    "%s: the database connection dropped mid-run: the run completes, nothing duplicated",
    async (kind) => {
      const w = await world(kind);
      sandbox.control.setMaxPageSize(PAGE);
      const stepBefore = `page-${2 * PAGE}`;
      let dropped = 0;
      beforeStep = async (stepId) => {
        if (stepId !== stepBefore || dropped > 0) return;
        const pids = await ownBackendPids();
        const admin = new pg.Client({ connectionString: requireEnv("DATABASE_URL") });
        await admin.connect();
        try {
          // Only this process's connections: other test files share the database.
          const { rows } = await admin.query<{ ok: boolean }>(
            "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE pid = ANY($1::int[])",
            [pids],
          );
          dropped = rows.filter((r) => r.ok).length;
        } finally {
          await admin.end();
        }
      };

      const run = await sync(w, kind);
      expect(dropped).toBeGreaterThan(0);
      // The pool either reconnects transparently or the page step fails once and the runner retries it.
      expect((await jobOf(kind === "CATALOGUE" ? CATALOGUE_FN : STATISTICS_FN, run.id)).attempt).toBeLessThanOrEqual(2);
      expect(run).toMatchObject({ status: "SUCCEEDED", pages: SIZE / PAGE, fetched: SIZE, errorCode: null });
      if (kind === "CATALOGUE") {
        const state = await courseState(w);
        expect(run.created).toBe(SIZE);
        expect(state).toMatchObject({ dupes: 0, retired: 0 });
        expect(state.rows).toHaveLength(SIZE);
      } else {
        const state = await statState(w);
        expect(run.matched).toBe(SIZE);
        expect(state.dupes).toBe(0);
        expect(state.rows).toHaveLength(SIZE);
      }
      // A later run finds nothing to do.
      beforeStep = async () => {};
      const again = await sync(w, kind);
      expect(again).toMatchObject({ status: "SUCCEEDED", fetched: SIZE, updated: 0, unchanged: SIZE });
    },
  );

  it.each(["CATALOGUE", "STATISTICS"] as const)(
    "%s: the process killed mid-run: the run resumes from its memoised pages and a later run completes",
    async (kind) => {
      const fnId = kind === "CATALOGUE" ? CATALOGUE_FN : STATISTICS_FN;
      const w = await world(kind);
      sandbox.control.setMaxPageSize(PAGE);
      const contentsBefore = sandbox.control.stats().requests;
      const requestsOf = () =>
        kind === "CATALOGUE" ? sandbox.control.stats().requests.contents : sandbox.control.stats().requests.enrollmentReports;
      const before = kind === "CATALOGUE" ? contentsBefore.contents : contentsBefore.enrollmentReports;

      // The "process" dies as its second step is about to read the third page (a step writes two
      // pages): it never comes back.
      let reached!: () => void;
      const died = new Promise<void>((resolve) => (reached = resolve));
      beforeStep = async (stepId) => {
        if (stepId === `page-${2 * PAGE}`) {
          reached();
          await new Promise<never>(() => {});
        }
      };
      const runId = await queueRun(w, kind);
      const dead = new EmbeddedRunner([catalogueDrill, statisticsDrill], quiet);
      void dead.runUntilIdle().catch(() => {});
      await died;
      beforeStep = async () => {};

      const job = await jobOf(fnId, runId);
      expect(job.status).toBe("RUNNING");
      expect(job.steps.map((s) => s.stepKey).sort()).toEqual(["page-0", "start"]);
      expect(await syncRun(runId)).toMatchObject({ status: "RUNNING", pages: 2, fetched: 2 * PAGE });
      // Its lock runs out (no heartbeat from a dead process).
      await db.jobRun.update({ where: { id: job.id }, data: { lockedUntil: new Date(Date.now() - 1_000) } });

      // Any live runner takes the abandoned run over, which resumes at the third page.
      const restarted = new EmbeddedRunner([catalogueDrill, statisticsDrill], quiet);
      await restarted.runUntilIdle();

      const resumed = await syncRun(runId);
      expect(resumed).toMatchObject({ status: "SUCCEEDED", pages: SIZE / PAGE, fetched: SIZE, errorCode: null });
      expect(requestsOf() - before).toBe(SIZE / PAGE);
      expect(await jobOf(fnId, runId)).toMatchObject({ status: "SUCCEEDED", attempt: 2 });
      if (kind === "CATALOGUE") {
        const state = await courseState(w);
        expect(resumed.created).toBe(SIZE);
        expect(state.rows).toHaveLength(SIZE);
        expect(state).toMatchObject({ dupes: 0, retired: 0 });
      } else {
        const state = await statState(w);
        expect(resumed.matched).toBe(SIZE);
        expect(state.rows).toHaveLength(SIZE);
        expect(state.dupes).toBe(0);
      }

      const later = await sync(w, kind);
      expect(later).toMatchObject({ status: "SUCCEEDED", fetched: SIZE, updated: 0, unchanged: SIZE });
      const history = await db.syncRun.findMany({ where: { connectorId: w.connectorId }, orderBy: { queuedAt: "asc" } });
      expect(history.map((r) => r.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
      expect(history.every((r) => r.finishedAt !== null && r.startedAt !== null)).toBe(true);
    },
  );
});
