/**
 * Load: admins browsing while the big syncs run, on the two tiers as deployed: one `next start` (the
 * production build) serving the pages and queueing work, and worker processes (`npm run worker`, the
 * embedded runner) running the syncs, on the same machine and database.
 *
 * Each phase gets its own fresh copy of the same database, holding two platforms:
 * - "browse": 100,000 courses, 50,000 learners, 500,000 statistics rows and `admins` admins, each
 *   signed in with a session of their own; half browse the courses table (title searches, filters,
 *   pages), half the learner statistics (views, filters, pages);
 * - "sync": a connector on the sandbox's bench org (100,000 contents, 500,000 enrollment records for
 *   its 50,000 learners), synced with no Coursera rate limit so that the sync is as heavy as it gets.
 *
 * Phases, in one run: the admins browsing with no sync (the pages' baseline), then the catalogue and
 * the statistics sync alone on one worker (the syncs' baseline); on the second copy, the same two
 * syncs on one worker while the admins browse; on the third, the syncs alone on two workers. Each
 * pair is a new customer's first syncs on a live multi-tenant database. Printed: the pages'
 * p50/p95 and errors in each phase with the p95 during the syncs as a ratio of the quiet one, and
 * each sync's duration under load and on two workers against alone on one. A failed request or a
 * sync that does not end SUCCEEDED with the same counts as alone fails the benchmark.
 *
 * Run alone with `npx tsx scripts/bench/load.ts [scale]` after `next build` (DATABASE_URL names a
 * server to create the throwaway databases on, else an embedded PGlite is used), or through
 * `npm run bench -- load`.
 */
import { randomBytes } from "node:crypto";
import { existsSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { benchOrgConfig } from "@/sandbox/data";
import { encryptSecret } from "@/lib/crypto/secrets";
import { provisionDatabase } from "@/lib/database/provision";
import { db, disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import type { SyncKind } from "@/lib/generated/prisma/enums";
import { requestSync } from "@/inngest/dispatch";
import { startDetached, stopGroup, waitForHttp } from "../run-command";
import { seedAdminBench, signIn } from "./admin-pages";
import { startBrowsing } from "./browsing";
import { insertBenchOrgLearners, startSandboxProcess } from "./bench-org";
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
const COURSE_PATHS = [
  "?q=python",
  "?q=data+science",
  "?q=leadership&type=COURSE",
  "?language=fr&level=BEGINNER",
  "?q=cloud&page=2",
  "?sort=title&dir=desc",
].map((q) => `/p/${BROWSE_PLATFORM}/courses${q}`);
const STATISTICS_PATHS = ["", "?view=courses", "?status=COMPLETED", "?page=3", "?q=learner12", "?view=courses&page=2"].map(
  (q) => `/p/${BROWSE_PLATFORM}/statistics${q}`,
);

/** Half the admins on the courses pages, half on the statistics pages. */
function browseGroups(cookies: string[]) {
  const half = Math.ceil(cookies.length / 2);
  return [
    { page: "courses table", paths: COURSE_PATHS, cookies: cookies.slice(0, half) },
    { page: "statistics page", paths: STATISTICS_PATHS, cookies: cookies.slice(half) },
  ];
}

/** Queues a sync as "Sync now" does and waits for the workers to finish it. */
async function syncAndWait(connectorId: string, kind: SyncKind) {
  const requested = await requestSync({ connectorId, kind, trigger: "MANUAL" });
  if (!requested.ok) throw new Error(requested.message);
  for (;;) {
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: requested.runId } });
    if (run.status !== "QUEUED" && run.status !== "RUNNING") {
      if (run.status !== "SUCCEEDED") throw new Error(`${kind} run ended ${run.status}: ${run.errorMessage ?? ""}`);
      // The run's own timestamps: the worker's pick-up delay (its poll) is not the sync's time.
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

/** A fresh database with both platforms, the web server and `workers` worker processes on it, and every admin signed in. */
async function prepare(o: Required<LoadBenchOptions>, sandboxUrl: string, serverUrl: string | undefined, workers = 1) {
  const database = await provisionDatabase({ serverUrl, fresh: true, freshPrefix: "connector_bench_load" });
  // This process reads and queues through lib/db too: point it at this database.
  process.env.DATABASE_URL = database.url;
  resetEnvCache();
  await disconnectDb();
  let server: ReturnType<typeof startDetached> | undefined;
  const workerProcesses: ReturnType<typeof startDetached>[] = [];
  const release = async () => {
    await Promise.all(workerProcesses.map((w) => stopGroup(w, 30_000)));
    await stopGroup(server);
    await disconnectDb();
    await database.release();
  };
  try {
    // The browse platform and its admins.
    const seeded = await seedAdminBench(database.url, {
      courses: o.courses,
      learners: o.learners,
      statsRows: o.enrollments,
      emailDomain: "browse.test",
    });
    await db.$executeRaw`
      INSERT INTO "User" ("id", "platformId", "email", "name", "role", "passwordHash", "createdAt", "updatedAt")
      SELECT 'bench-admin-' || n, ${BROWSE_PLATFORM}, 'admin' || n || '@browse.test', 'Admin ' || n, 'ADMIN',
             (SELECT "passwordHash" FROM "User" WHERE "email" = ${seeded.email}), now(), now()
      FROM generate_series(2, ${o.admins}::int) AS n`;
    const adminEmails = [seeded.email, ...Array.from({ length: o.admins - 1 }, (_, i) => `admin${i + 2}@browse.test`)];

    // The sync platform: the learners the bench org's records name, no course yet.
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
    await insertBenchOrgLearners(platform.id, o.learners);
    // As a live database would be: statistics and visibility map up to date (a new customer's
    // platform is then unknown to the planner, as it is in production).
    await db.$executeRawUnsafe("VACUUM ANALYZE");

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
      COURSERA_REQUESTS_PER_SECOND: "0",
      RUNNER_SCHEDULES: "0",
    };
    const log = openSync(path.join(tmpdir(), `bench-load-server-${process.pid}.log`), "a");
    server = startDetached(
      process.execPath,
      [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(o.port), "-H", "127.0.0.1"],
      env,
      log,
    );
    for (let i = 0; i < workers; i++) {
      workerProcesses.push(
        startDetached(
          process.execPath,
          ["--conditions=react-server", "--import", "tsx", path.join(ROOT, "inngest/worker.ts")],
          { ...env, WORKER_NAME: `bench-worker-${i + 1}` },
          log,
        ),
      );
    }
    await waitForHttp(`${base}/api/health`, 120_000);
    const cookies: string[] = [];
    for (const email of adminEmails) cookies.push(await signIn(base, email));
    // Warm-up: every page once (JIT, pools, the statistics aggregates' cache).
    for (const p of [...COURSE_PATHS, ...STATISTICS_PATHS]) {
      const r = await fetch(base + p, { headers: { cookie: cookies[0] } });
      if (r.status !== 200) throw new Error(`${p} answered ${r.status}`);
      await r.text();
    }
    return { base, cookies, connectorId: connector.id, release };
  } catch (error) {
    await release();
    throw error;
  }
}

export async function benchLoad(options: LoadBenchOptions = {}): Promise<BenchRow[]> {
  const o: Required<LoadBenchOptions> = {
    admins: 50,
    courses: 100_000,
    learners: 50_000,
    enrollments: 500_000,
    browseSeconds: 20,
    port: 3192,
    ...options,
  };
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("No production build in .next: run `npx next build` first.");

  // The server the throwaway databases are created on (else an embedded PGlite each time).
  const previousUrl = process.env.DATABASE_URL;
  const serverUrl = previousUrl || undefined;
  process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  const sandbox = await startSandboxProcess({ courses: o.courses, learners: o.learners, enrollments: o.enrollments });
  try {
    // ── A. The admins browsing with no sync, then the syncs alone ──────────────────────────────
    // Each pair of syncs is a new customer's first: on its own copy of the same starting database.
    let env = await prepare(o, sandbox.url, serverUrl);
    let quietPages, alone;
    try {
      const quiet = await startBrowsing(env.base, browseGroups(env.cookies));
      await new Promise((r) => setTimeout(r, o.browseSeconds * 1000));
      quietPages = await quiet.stop();
      alone = await syncBoth(env.connectorId);
    } finally {
      await env.release();
    }

    // ── B. The same syncs on one worker while the admins browse ───────────────────────────────
    env = await prepare(o, sandbox.url, serverUrl);
    let busyPages, loaded;
    try {
      const busy = await startBrowsing(env.base, browseGroups(env.cookies));
      try {
        loaded = await syncBoth(env.connectorId);
      } finally {
        busyPages = await busy.stop();
      }
    } finally {
      await env.release();
    }

    // ── C. The syncs alone on two workers (one sync runs on one worker at a time: little to gain on two cores) ──
    env = await prepare(o, sandbox.url, serverUrl, 2);
    let pair;
    try {
      pair = await syncBoth(env.connectorId);
    } finally {
      await env.release();
    }

    for (const [kind, other] of [
      ["catalogue", loaded],
      ["statistics", loaded],
      ["catalogue", pair],
      ["statistics", pair],
    ] as const) {
      const a = alone[kind].run;
      const b = other[kind].run;
      if (a.fetched !== b.fetched || a.created !== b.created || a.matched !== b.matched || a.updated !== b.updated) {
        throw new Error(
          `the ${kind} sync under load counted differently from alone (fetched ${b.fetched}/${a.fetched}, created ${b.created}/${a.created}, updated ${b.updated}/${a.updated})`,
        );
      }
    }

    const pageRow = (phase: string, r: (typeof quietPages)[number]): BenchRow => ({
      scenario: `${phase}: ${r.page}`,
      items: r.requests,
      wallMs: Math.round(r.seconds * 1000),
      rowsPerSec: r.requests / r.seconds,
      note: `p50 ${r.p50} ms, p95 ${r.p95} ms, ${Math.ceil(o.admins / 2)} signed-in admins; ${r.failures === 0 ? "no failed request" : `${r.failures} FAILED REQUESTS`}`,
    });
    const quietP95 = new Map(quietPages.map((r) => [r.page, r.p95]));
    const busyRow = (r: (typeof busyPages)[number]): BenchRow => {
      const row = pageRow(`${o.admins} admins during both syncs`, r);
      const ratio = r.p95 / (quietP95.get(r.page) ?? r.p95);
      return { ...row, note: `${row.note}; p95 ${ratio.toFixed(2)}× the p95 with no sync (target ≤ 1.5×)` };
    };
    const syncRow = (
      kind: "catalogue" | "statistics",
      phase: "alone, 1 worker" | "under load, 1 worker" | "alone, 2 workers",
    ): BenchRow => {
      const s = (phase === "alone, 1 worker" ? alone : phase === "under load, 1 worker" ? loaded : pair)[kind];
      const ratio = s.seconds / alone[kind].seconds;
      return {
        scenario: `${kind} sync, ${phase}`,
        items: s.run.fetched,
        wallMs: Math.round(s.seconds * 1000),
        rowsPerSec: s.run.fetched / s.seconds,
        note:
          phase === "alone, 1 worker"
            ? `${s.run.created || s.run.updated} rows written, ${s.run.pages} pages`
            : `${ratio.toFixed(2)}× its time alone on one worker, same counts${phase.startsWith("under") ? " (target ≤ 2×)" : ""}`,
      };
    };
    return [
      ...quietPages.map((r) => pageRow(`${o.admins} admins, no sync`, r)),
      ...busyPages.map(busyRow),
      syncRow("catalogue", "alone, 1 worker"),
      syncRow("catalogue", "under load, 1 worker"),
      syncRow("catalogue", "alone, 2 workers"),
      syncRow("statistics", "alone, 1 worker"),
      syncRow("statistics", "under load, 1 worker"),
      syncRow("statistics", "alone, 2 workers"),
    ];
  } finally {
    await sandbox.stop();
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
    resetEnvCache();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const scale = Number(process.argv[2] ?? 1);
  const rows = await benchLoad(
    scale === 1
      ? {}
      : {
          courses: Math.round(100_000 * scale),
          learners: Math.round(50_000 * scale),
          enrollments: Math.round(500_000 * scale),
          browseSeconds: 10,
        },
  );
  printTable(`Load: admins browsing while the catalogue and statistics syncs run (scale ${scale})`, rows);
  process.exit(rows.some((r) => r.note?.includes("FAILED")) ? 1 : 0);
}
