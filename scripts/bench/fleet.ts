/**
 * Fleet: 1,000 customers, each an enabled connector on its own Coursera organisation (catalogues of
 * 300–699 items, 600–1,399 enrollment records, 40 learners; Coursera serving 250 items a page), all
 * due on the same daily tick. The two tiers as deployed — `next start` for the pages, worker
 * processes (`npm run worker`, the embedded runner) for the syncs — on one fresh database, first with
 * one worker, then (on another fresh database) with two.
 *
 * The catalogue schedule's tick opens and sends all 1,000 catalogue syncs; once they are over, the
 * statistics schedule's tick does the same. Reported, per configuration: the time for the whole
 * fleet to finish; the longest a connector waited between its run being queued and started; the
 * most Coursera requests any organisation received within one second (the sandbox measures it;
 * limit COURSERA_REQUESTS_PER_SECOND); the most steps and the largest state of any job run against
 * Inngest's limits; the database's size; and the p95 of a CSM's pages (the platforms list and a
 * connector's sync history) sampled during the fleet run next to the idle p95.
 *
 * Fails when a run does not end SUCCEEDED with the sandbox's counts, when a job run passes one of
 * Inngest's limits, or when an organisation received more requests in a second than allowed.
 *
 * Run alone with `npx tsx --conditions=react-server scripts/bench/fleet.ts` after `next build`
 * (DATABASE_URL names a server for the throwaway databases), or `npm run bench -- fleet`.
 */
import { randomBytes } from "node:crypto";
import { existsSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as jobs from "@/inngest/runner-store";
import { INNGEST_LIMITS } from "@/inngest/limits";
import { hashPassword } from "@/lib/auth/password";
import { encryptSecret } from "@/lib/crypto/secrets";
import { provisionDatabase } from "@/lib/database/provision";
import { db, disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import type { SyncKind } from "@/lib/generated/prisma/enums";
import type { OrgConfig } from "@/sandbox/data";
import type { SandboxStats } from "@/sandbox/server";
import { startDetached, stopGroup, waitForHttp } from "../run-command";
import { PASSWORD, signIn } from "./admin-pages";
import { startSandboxCli } from "./bench-org";
import { startBrowsing } from "./browsing";
import { printTable, type BenchRow } from "./table";

export interface FleetBenchOptions {
  connectors?: number;
  learners?: number;
  pageSize?: number;
  requestsPerSecond?: number;
  /** Jobs each worker runs at once. */
  concurrencyPerWorker?: number;
  workerCounts?: number[];
  port?: number;
}

const ROOT = process.cwd();
const CSM_EMAIL = "csm@fleet.test";

const catalogueSize = (i: number) => 300 + ((i * 37) % 400);
const enrollmentCount = (i: number) => 600 + ((i * 53) % 800);

function fleetOrg(i: number, learners: number): OrgConfig {
  return {
    orgId: `fleet-org-${i}`,
    clientId: `fleet-client-${i}`,
    clientSecret: `fleet-secret-${i}`,
    seed: 1_000 + i,
    catalogueSize: catalogueSize(i),
    programs: 2,
    learners: { count: learners, emailPattern: `learner{n}@fleet-${i}.test` },
    enrollmentCount: enrollmentCount(i),
  };
}

async function control(sandboxUrl: string, route: string, init: RequestInit = {}) {
  const response = await fetch(`${sandboxUrl}/__control/${route}`, { ...init, headers: { "content-type": "application/json" } });
  if (!response.ok) throw new Error(`sandbox ${route}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function addOrgs(sandboxUrl: string, o: Required<FleetBenchOptions>): Promise<void> {
  await control(sandboxUrl, "reset", { method: "POST" });
  for (let i = 0; i < o.connectors; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, o.connectors - i) }, (_, k) =>
        control(sandboxUrl, "orgs", { method: "POST", body: JSON.stringify(fleetOrg(i + k, o.learners)) }),
      ),
    );
  }
}

/** Platforms, groups, connectors due an hour ago (on a daily schedule), their learners, and a CSM. */
async function seedFleet(o: Required<FleetBenchOptions>): Promise<void> {
  const due = new Date(Date.now() - 60 * 60_000);
  const time = `${String(due.getUTCHours()).padStart(2, "0")}:${String(due.getUTCMinutes()).padStart(2, "0")}`;
  const enabledAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
  await db.$executeRaw`
    INSERT INTO "Platform" ("id", "name", "slug", "createdAt", "updatedAt")
    SELECT 'fleet-p-' || i, 'Fleet customer ' || i, 'fleet-' || i, now(), now() FROM generate_series(0, ${o.connectors - 1}::int) AS i`;
  await db.$executeRaw`
    INSERT INTO "Group" ("id", "platformId", "name", "isPublic", "createdAt", "updatedAt")
    SELECT 'fleet-g-' || i, 'fleet-p-' || i, 'Everyone', true, now(), now() FROM generate_series(0, ${o.connectors - 1}::int) AS i`;
  const connectors = Array.from({ length: o.connectors }, (_, i) => ({
    id: `fleet-c-${i}`,
    platformId: `fleet-p-${i}`,
    enabled: true,
    enabledAt: new Date(enabledAt),
    syncGroupId: `fleet-g-${i}`,
    orgId: `fleet-org-${i}`,
    clientId: `fleet-client-${i}`,
    clientSecretEncrypted: encryptSecret(`fleet-secret-${i}`),
    clientSecretLast4: "et-" + String(i).slice(-1),
    timeZone: "UTC",
    catalogueTime: time,
    statisticsTime: time,
  }));
  await db.courseraConnector.createMany({ data: connectors });
  await db.$executeRaw`
    INSERT INTO "User" ("id", "platformId", "email", "name", "role", "createdAt", "updatedAt")
    SELECT 'fleet-u-' || i || '-' || n, 'fleet-p-' || i, 'learner' || n || '@fleet-' || i || '.test', 'Learner ' || n, 'LEARNER', now(), now()
      FROM generate_series(0, ${o.connectors - 1}::int) AS i, generate_series(1, ${o.learners}::int) AS n`;
  await db.user.create({ data: { email: CSM_EMAIL, name: "Fleet CSM", role: "CSM", passwordHash: await hashPassword(PASSWORD) } });
  await db.$executeRawUnsafe("VACUUM ANALYZE");
}

/** Queues one tick of a schedule function, as the cron would. */
async function tick(kind: SyncKind): Promise<Date> {
  const at = new Date();
  await jobs.enqueueJobs([
    {
      functionId: kind === "CATALOGUE" ? "catalogue-schedule" : "statistics-schedule",
      eventName: "inngest/scheduled.timer",
      eventData: { cron: "*/5 * * * *" },
      eventId: `bench-${kind}-${at.toISOString()}`,
      concurrencyKeys: [],
      maxAttempts: 3,
    },
  ]);
  return at;
}

async function waitForFleet(kind: SyncKind, connectors: number): Promise<void> {
  for (;;) {
    const [{ done, total }] = await db.$queryRaw<{ done: number; total: number }[]>`
      SELECT count(*) FILTER (WHERE "status" NOT IN ('QUEUED', 'RUNNING'))::int AS "done", count(*)::int AS "total"
        FROM "SyncRun" WHERE "kind" = ${kind}::"SyncKind" AND "trigger" = 'SCHEDULE'`;
    if (total === connectors && done === connectors) return;
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

interface FleetFigures {
  seconds: number;
  longestWaitSeconds: number;
  wrong: string[];
  maxSteps: number;
  maxStateBytes: number;
}

async function figures(kind: SyncKind, tickAt: Date): Promise<FleetFigures> {
  const runs = await db.syncRun.findMany({
    where: { kind, trigger: "SCHEDULE" },
    select: {
      id: true,
      connectorId: true,
      status: true,
      queuedAt: true,
      startedAt: true,
      finishedAt: true,
      created: true,
      fetched: true,
      matched: true,
    },
  });
  const wrong: string[] = [];
  for (const r of runs) {
    const i = Number(r.connectorId.replace("fleet-c-", ""));
    const expected = kind === "CATALOGUE" ? { created: catalogueSize(i) } : { fetched: enrollmentCount(i), matched: enrollmentCount(i) };
    const ok = r.status === "SUCCEEDED" && Object.entries(expected).every(([k, v]) => r[k as keyof typeof r] === v);
    if (!ok)
      wrong.push(
        `${r.connectorId}: ${r.status} ${JSON.stringify({ created: r.created, fetched: r.fetched, matched: r.matched })} expected ${JSON.stringify(expected)}`,
      );
  }
  const finished = Math.max(...runs.map((r) => r.finishedAt!.getTime()));
  const [limits] = await db.$queryRaw<{ maxSteps: number; maxState: number }[]>`
    SELECT max(s."steps")::int AS "maxSteps", max(s."bytes")::int AS "maxState" FROM (
      SELECT j."id", count(st."stepKey") AS "steps",
             octet_length(j."eventData"::text) + coalesce(sum(octet_length(st."output"::text)), 0) AS "bytes"
        FROM "JobRun" j LEFT JOIN "JobStep" st ON st."runId" = j."id"
       WHERE j."functionId" IN (${kind === "CATALOGUE" ? "catalogue-sync" : "statistics-sync"}, ${kind === "CATALOGUE" ? "catalogue-schedule" : "statistics-schedule"})
       GROUP BY j."id") s`;
  return {
    seconds: (finished - tickAt.getTime()) / 1000,
    longestWaitSeconds: Math.max(...runs.map((r) => (r.startedAt!.getTime() - r.queuedAt.getTime()) / 1000)),
    wrong,
    maxSteps: limits.maxSteps,
    maxStateBytes: limits.maxState,
  };
}

async function runFleet(o: Required<FleetBenchOptions>, workers: number, sandboxUrl: string, serverUrl: string | undefined) {
  await addOrgs(sandboxUrl, o);
  const database = await provisionDatabase({ serverUrl, fresh: true, freshPrefix: "connector_bench_fleet" });
  process.env.DATABASE_URL = database.url;
  resetEnvCache();
  await disconnectDb();
  const processes: ReturnType<typeof startDetached>[] = [];
  try {
    await seedFleet(o);
    const base = `http://127.0.0.1:${o.port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: database.url,
      NEXTAUTH_URL: base,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      ENCRYPTION_KEY: process.env.ENCRYPTION_KEY,
      COURSERA_API_BASE_URL: sandboxUrl,
      COURSERA_REQUESTS_PER_SECOND: String(o.requestsPerSecond),
      RUNNER_SCHEDULES: "0",
      RUNNER_CONCURRENCY: String(o.concurrencyPerWorker),
    };
    const log = openSync(path.join(tmpdir(), `bench-fleet-${process.pid}.log`), "a");
    processes.push(
      startDetached(
        process.execPath,
        [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(o.port), "-H", "127.0.0.1"],
        env,
        log,
      ),
    );
    for (let i = 0; i < workers; i++) {
      processes.push(
        startDetached(
          process.execPath,
          ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "inngest/worker.ts")],
          { ...env, WORKER_NAME: `fleet-worker-${i + 1}` },
          log,
        ),
      );
    }
    await waitForHttp(`${base}/api/health`, 120_000);

    // A CSM's pages: the fleet's platforms list and one customer's sync history, with 4 sessions.
    const cookies = await Promise.all(Array.from({ length: 4 }, () => signIn(base, CSM_EMAIL)));
    const groups = [{ page: "CSM pages", paths: ["/platforms", "/p/fleet-p-0/syncs", "/p/fleet-p-1/syncs"], cookies }];
    for (const p of groups[0].paths) await (await fetch(base + p, { headers: { cookie: cookies[0] } })).text();
    const idle = await startBrowsing(base, groups);
    await new Promise((r) => setTimeout(r, 15_000));
    const [idlePages] = await idle.stop();

    const busy = await startBrowsing(base, groups);
    const catalogueTick = await tick("CATALOGUE");
    await waitForFleet("CATALOGUE", o.connectors);
    const statisticsTick = await tick("STATISTICS");
    await waitForFleet("STATISTICS", o.connectors);
    const [busyPages] = await busy.stop();

    const catalogue = await figures("CATALOGUE", catalogueTick);
    const statistics = await figures("STATISTICS", statisticsTick);
    const stats = (await control(sandboxUrl, "stats")) as SandboxStats;
    const peakPerOrg = Math.max(...Object.values(stats.peakRequestsPerSecondByOrg));
    const requests = Object.values(stats.requestsByOrg).reduce((a, b) => a + b, 0);
    const [{ size }] = await db.$queryRaw<{ size: bigint }[]>`SELECT pg_database_size(current_database()) AS "size"`;
    return { catalogue, statistics, idlePages, busyPages, peakPerOrg, requests, databaseMb: Number(size) / 1024 / 1024 };
  } finally {
    await Promise.all(processes.map((p) => stopGroup(p, 30_000)));
    await disconnectDb();
    await database.release();
  }
}

export async function benchFleet(options: FleetBenchOptions = {}): Promise<BenchRow[]> {
  const o: Required<FleetBenchOptions> = {
    connectors: 1_000,
    learners: 40,
    pageSize: 250,
    requestsPerSecond: 10,
    concurrencyPerWorker: 8,
    workerCounts: [1, 2],
    port: 3193,
    ...options,
  };
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("No production build in .next: run `npx next build` first.");
  const serverUrl = process.env.DATABASE_URL || undefined;
  process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  const sandbox = await startSandboxCli(["--max-page-size", String(o.pageSize)]);
  const rows: BenchRow[] = [];
  const problems: string[] = [];
  try {
    for (const workers of o.workerCounts) {
      const r = await runFleet(o, workers, sandbox.url, serverUrl);
      const label = `${workers} worker${workers === 1 ? "" : "s"}`;
      for (const [kind, f] of [
        ["catalogue", r.catalogue],
        ["statistics", r.statistics],
      ] as const) {
        problems.push(...f.wrong.slice(0, 5).map((w) => `${label}, ${kind}: ${w}`));
        if (f.maxSteps > INNGEST_LIMITS.stepsPerRun || f.maxStateBytes > INNGEST_LIMITS.runStateBytes)
          problems.push(`${label}, ${kind}: a job run passed Inngest's limits`);
        rows.push({
          scenario: `${kind} fleet, ${label}`,
          items: o.connectors,
          wallMs: Math.round(f.seconds * 1000),
          rowsPerSec: o.connectors / f.seconds,
          note:
            `${f.wrong.length === 0 ? "all SUCCEEDED with the sandbox's counts" : `${f.wrong.length} WRONG`}; longest wait before start ${f.longestWaitSeconds.toFixed(1)} s; ` +
            `max ${f.maxSteps} steps/run (limit 1,000), max run state ${(f.maxStateBytes / 1024).toFixed(1)} KB (limit 32 MB)`,
        });
      }
      if (r.peakPerOrg > o.requestsPerSecond)
        problems.push(`${label}: an organisation received ${r.peakPerOrg} requests in one second (limit ${o.requestsPerSecond})`);
      rows.push({
        scenario: `Coursera, ${label}`,
        items: r.requests,
        wallMs: Math.round((r.catalogue.seconds + r.statistics.seconds) * 1000),
        rowsPerSec: r.requests / (r.catalogue.seconds + r.statistics.seconds),
        note: `peak ${r.peakPerOrg} requests/s for one organisation (limit ${o.requestsPerSecond}); database ${r.databaseMb.toFixed(0)} MB after both fleets`,
      });
      rows.push({
        scenario: `CSM pages, ${label}`,
        items: r.busyPages.requests,
        wallMs: Math.round(r.busyPages.seconds * 1000),
        rowsPerSec: r.busyPages.requests / r.busyPages.seconds,
        note: `p95 ${r.busyPages.p95} ms during the fleet vs ${r.idlePages.p95} ms idle (${(r.busyPages.p95 / r.idlePages.p95).toFixed(2)}×); ${r.busyPages.failures + r.idlePages.failures} failed requests`,
      });
    }
  } finally {
    await sandbox.stop();
  }
  if (problems.length > 0) throw new Error(`the fleet benchmark failed its targets:\n${problems.join("\n")}`);
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const connectors = Number(process.argv[2] ?? 1_000);
  benchFleet({ connectors })
    .then((rows) => printTable(`Fleet: ${connectors} connectors due on one tick`, rows))
    .then(() => process.exit(0))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
