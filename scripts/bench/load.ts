/**
 * Load: admins browsing while the big syncs run, all inside one `next start` (the production build)
 * as in production without an Inngest server: the syncs run in the server's in-process runner, on the
 * same event loop and database as the pages.
 *
 * One fresh database holds two platforms:
 * - "browse": 100,000 courses, 50,000 learners, 500,000 statistics rows and `admins` admins, each
 *   signed in with a session of their own; half browse the courses table (title searches, filters,
 *   pages), half the learner statistics (views, filters, pages);
 * - "sync": a connector on the sandbox's bench org (100,000 contents, 500,000 enrollment records for
 *   its 50,000 learners), synced with no Coursera rate limit so that the sync is as heavy as it gets.
 *
 * Phases, in one run: the admins browsing with no sync (the pages' baseline); the catalogue then the
 * statistics sync alone (the syncs' baseline); the sync platform emptied again; the same two syncs
 * while the admins browse. Printed: the pages' p50/p95 and errors in each phase, and each sync's
 * duration under load against alone. A failed request or a sync that does not end SUCCEEDED with the
 * same counts as alone fails the benchmark.
 *
 * Run alone with `npx tsx scripts/bench/load.ts [scale]` after `next build` (DATABASE_URL names a
 * server to create the throwaway database on, else an embedded PGlite is used), or through
 * `npm run bench -- load`.
 */
import { randomBytes } from "node:crypto";
import { existsSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import autocannon, { type Request } from "autocannon";
import { benchOrgConfig } from "@/lib/coursera/sandbox/data";
import { encryptSecret } from "@/lib/crypto/secrets";
import { provisionDatabase } from "@/lib/database/provision";
import { db, disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import type { SyncKind } from "@/lib/generated/prisma/enums";
import { requestSync } from "@/lib/sync/runs";
import { startDetached, stopGroup, waitForHttp } from "../run-command";
import { seedAdminBench, signIn } from "./admin-pages";
import { startSandboxProcess } from "./sandbox-process";
import { printTable, type BenchRow } from "./table";

export interface LoadBenchOptions {
  admins?: number;
  courses?: number;
  learners?: number;
  enrollments?: number;
  /** Length of the browsing-only phase. */
  browseSeconds?: number;
  port?: number;
}

const ROOT = process.cwd();
const BROWSE_PLATFORM = "bench-platform";

/** What the admins look at, cycled through by each connection. */
const COURSE_PATHS = ["?q=python", "?q=data+science", "?q=leadership&type=COURSE", "?language=fr&level=BEGINNER", "?q=cloud&page=2", "?sort=title&dir=desc"].map(
  (q) => `/p/${BROWSE_PLATFORM}/courses${q}`,
);
const STATISTICS_PATHS = ["", "?view=courses", "?status=COMPLETED", "?page=3", "?q=learner12", "?view=courses&page=2"].map((q) => `/p/${BROWSE_PLATFORM}/statistics${q}`);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface Traffic {
  stop(): Promise<{ page: string; requests: number; seconds: number; p50: number; p95: number; failures: number }[]>;
}

/**
 * Half the sessions on the courses pages, half on the statistics pages, each connection keeping the
 * session of one admin; runs until stopped.
 */
function startBrowsing(base: string, cookies: string[]): Traffic {
  const half = Math.ceil(cookies.length / 2);
  const groups = [
    { page: "courses table", paths: COURSE_PATHS, cookies: cookies.slice(0, half) },
    { page: "statistics page", paths: STATISTICS_PATHS, cookies: cookies.slice(half) },
  ].filter((g) => g.cookies.length > 0);
  const started = performance.now();
  const running = groups.map((group) => {
    const latencies: number[] = [];
    let failures = 0;
    let nextSession = 0;
    const withSession = (request: Request, context: Record<string, unknown>): Request => {
      context.cookie ??= group.cookies[nextSession++ % group.cookies.length];
      return { ...request, headers: { ...request.headers, cookie: context.cookie as string } };
    };
    const instance = autocannon({
      url: base,
      connections: group.cookies.length,
      duration: 3600,
      timeout: 30,
      requests: group.paths.map((p) => ({ method: "GET", path: p, setupRequest: withSession })),
    });
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode !== 200) failures++;
      latencies.push(responseTime);
    });
    return { group, instance, latencies, failures: () => failures };
  });
  return {
    async stop() {
      const results = await Promise.all(
        running.map(async (r) => {
          r.instance.stop();
          const result = await r.instance;
          const sorted = [...r.latencies].sort((a, b) => a - b);
          return {
            page: r.group.page,
            requests: sorted.length,
            seconds: (performance.now() - started) / 1000,
            p50: Math.round(percentile(sorted, 50)),
            p95: Math.round(percentile(sorted, 95)),
            failures: r.failures() + result.errors + result.timeouts,
          };
        }),
      );
      return results;
    },
  };
}

/** Queues a sync as "Sync now" does and waits for the server's runner to finish it. */
async function syncAndWait(connectorId: string, kind: SyncKind) {
  const requested = await requestSync({ connectorId, kind, trigger: "MANUAL" });
  if (!requested.ok) throw new Error(requested.message);
  for (;;) {
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: requested.runId } });
    if (run.status !== "QUEUED" && run.status !== "RUNNING") {
      if (run.status !== "SUCCEEDED") throw new Error(`${kind} run ended ${run.status}: ${run.errorMessage ?? ""}`);
      // The server's own timestamps: the runner's pick-up delay (its poll) is not the sync's time.
      return { run, seconds: (run.finishedAt!.getTime() - run.startedAt!.getTime()) / 1000 };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function syncBoth(connectorId: string) {
  const catalogue = await syncAndWait(connectorId, "CATALOGUE");
  const statistics = await syncAndWait(connectorId, "STATISTICS");
  return { catalogue, statistics };
}

export async function benchLoad(options: LoadBenchOptions = {}): Promise<BenchRow[]> {
  const o = { admins: 50, courses: 100_000, learners: 50_000, enrollments: 500_000, browseSeconds: 20, port: 3192, ...options };
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("No production build in .next: run `npx next build` first.");

  const database = await provisionDatabase({ serverUrl: process.env.DATABASE_URL || undefined, fresh: true, freshPrefix: "connector_bench_load" });
  const previousUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = database.url;
  process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  resetEnvCache();
  await disconnectDb();

  let sandbox: Awaited<ReturnType<typeof startSandboxProcess>> | undefined;
  let server: ReturnType<typeof startDetached> | undefined;
  try {
    // ── The browse platform and its admins ─────────────────────────────────────────────────────
    const seeded = await seedAdminBench(database.url, { courses: o.courses, learners: o.learners, statsRows: o.enrollments, emailDomain: "browse.test" });
    await db.$executeRaw`
      INSERT INTO "User" ("id", "platformId", "email", "name", "role", "passwordHash", "createdAt", "updatedAt")
      SELECT 'bench-admin-' || n, ${BROWSE_PLATFORM}, 'admin' || n || '@browse.test', 'Admin ' || n, 'ADMIN',
             (SELECT "passwordHash" FROM "User" WHERE "email" = ${seeded.email}), now(), now()
      FROM generate_series(2, ${o.admins}::int) AS n`;
    const adminEmails = [seeded.email, ...Array.from({ length: o.admins - 1 }, (_, i) => `admin${i + 2}@browse.test`)];

    // ── The sync platform: learners the bench org's records name (half by externalId) ──────────
    const org = benchOrgConfig({ catalogueSize: o.courses, learners: o.learners, enrollments: o.enrollments });
    const platform = await db.platform.create({ data: { name: "Sync platform", slug: `sync-${randomBytes(3).toString("hex")}` } });
    const group = await db.group.create({ data: { platformId: platform.id, name: "Everyone" } });
    const connector = await db.courseraConnector.create({
      data: {
        platformId: platform.id,
        enabled: true,
        enabledAt: new Date(),
        syncGroupId: group.id,
        orgId: org.orgId,
        clientId: org.clientId,
        clientSecretEncrypted: encryptSecret(org.clientSecret),
        clientSecretLast4: org.clientSecret.slice(-4),
      },
    });
    await db.$executeRaw`
      INSERT INTO "User" ("id", "platformId", "email", "name", "role", "externalId", "createdAt", "updatedAt")
      SELECT 'sync-user-' || n, ${platform.id}, 'learner' || n || '@bench.test', 'Learner ' || n, 'LEARNER',
             CASE WHEN n % 2 = 0 THEN 'LEARNER' || n || '@BENCH.TEST' END, now(), now()
      FROM generate_series(1, ${o.learners}::int) AS n`;
    await db.$executeRawUnsafe("VACUUM ANALYZE");

    // ── The sandbox and the server ─────────────────────────────────────────────────────────────
    sandbox = await startSandboxProcess({ courses: o.courses, learners: o.learners, enrollments: o.enrollments });
    const base = `http://127.0.0.1:${o.port}`;
    server = startDetached(
      process.execPath,
      [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(o.port), "-H", "127.0.0.1"],
      {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: database.url,
        NEXTAUTH_URL: base,
        NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
        ENCRYPTION_KEY: process.env.ENCRYPTION_KEY,
        COURSERA_API_BASE_URL: sandbox.url,
        COURSERA_REQUESTS_PER_SECOND: "0",
        RUNNER_SCHEDULES: "0",
      },
      openSync(path.join(tmpdir(), `bench-load-${process.pid}.log`), "w"),
    );
    await waitForHttp(`${base}/api/health`, 120_000);
    const cookies: string[] = [];
    for (const email of adminEmails) cookies.push(await signIn(base, email));
    // Warm-up: every page once (JIT, pools, the statistics aggregates' cache).
    for (const p of [...COURSE_PATHS, ...STATISTICS_PATHS]) {
      const r = await fetch(base + p, { headers: { cookie: cookies[0] } });
      if (r.status !== 200) throw new Error(`${p} answered ${r.status}`);
      await r.text();
    }

    // ── 1. Browsing, no sync ───────────────────────────────────────────────────────────────────
    const quiet = startBrowsing(base, cookies);
    await new Promise((r) => setTimeout(r, o.browseSeconds * 1000));
    const quietPages = await quiet.stop();

    // ── 2. The syncs alone ─────────────────────────────────────────────────────────────────────
    const alone = await syncBoth(connector.id);

    // Back to an empty sync platform, so that the second pair is a first sync again.
    await db.$executeRaw`DELETE FROM "LearnerCourseStat" WHERE "platformId" = ${platform.id}`;
    await db.$executeRaw`DELETE FROM "UnmatchedLearnerRecord" WHERE "platformId" = ${platform.id}`;
    await db.$executeRaw`DELETE FROM "Course" WHERE "platformId" = ${platform.id}`;
    await db.$executeRawUnsafe("VACUUM ANALYZE");

    // ── 3. The same syncs while the admins browse ──────────────────────────────────────────────
    const busy = startBrowsing(base, cookies);
    const loaded = await syncBoth(connector.id);
    const busyPages = await busy.stop();

    for (const kind of ["catalogue", "statistics"] as const) {
      const a = alone[kind].run;
      const b = loaded[kind].run;
      if (a.fetched !== b.fetched || a.created !== b.created || a.matched !== b.matched || a.updated !== b.updated) {
        throw new Error(`the ${kind} sync under load counted differently from alone (fetched ${b.fetched}/${a.fetched}, created ${b.created}/${a.created}, updated ${b.updated}/${a.updated})`);
      }
    }

    const pageRow = (phase: string, r: (typeof quietPages)[number]): BenchRow => ({
      scenario: `${phase}: ${r.page}`,
      items: r.requests,
      wallMs: Math.round(r.seconds * 1000),
      rowsPerSec: r.requests / r.seconds,
      note: `p50 ${r.p50} ms, p95 ${r.p95} ms, ${Math.ceil(o.admins / 2)} signed-in admins; ${r.failures === 0 ? "no failed request" : `${r.failures} FAILED REQUESTS`}`,
    });
    const syncRow = (kind: "catalogue" | "statistics", phase: "alone" | "under load"): BenchRow => {
      const s = (phase === "alone" ? alone : loaded)[kind];
      const ratio = loaded[kind].seconds / alone[kind].seconds;
      return {
        scenario: `${kind} sync, ${phase}`,
        items: s.run.fetched,
        wallMs: Math.round(s.seconds * 1000),
        rowsPerSec: s.run.fetched / s.seconds,
        note: phase === "alone" ? `${s.run.created || s.run.updated} rows written, ${s.run.pages} pages` : `${ratio.toFixed(2)}× its time alone, same counts`,
      };
    };
    return [
      ...quietPages.map((r) => pageRow(`${o.admins} admins, no sync`, r)),
      ...busyPages.map((r) => pageRow(`${o.admins} admins during both syncs`, r)),
      syncRow("catalogue", "alone"),
      syncRow("catalogue", "under load"),
      syncRow("statistics", "alone"),
      syncRow("statistics", "under load"),
    ];
  } finally {
    await stopGroup(server);
    await sandbox?.stop();
    await disconnectDb();
    await database.release();
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
    resetEnvCache();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const scale = Number(process.argv[2] ?? 1);
  const rows = await benchLoad(
    scale === 1 ? {} : { courses: Math.round(100_000 * scale), learners: Math.round(50_000 * scale), enrollments: Math.round(500_000 * scale), browseSeconds: 10 },
  );
  printTable(`Load: admins browsing while the catalogue and statistics syncs run (scale ${scale})`, rows);
  process.exit(rows.some((r) => r.note?.includes("FAILED")) ? 1 : 0);
}
