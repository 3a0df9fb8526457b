/**
 * The statistics sync at scale: 500,000 Coursera enrollment records for a platform with 50,000
 * learners and 100,000 Coursera courses, served by the local sandbox (bench org) and synced through
 * the real Inngest function run by the in-process runner, on a fresh database. Scenarios: the first
 * sync, an unchanged re-sync (must write no statistics row), the hourly incremental sync with 1% of
 * the records changed since the last sync, a full re-sync with as many changed, and the naive way (one
 * Prisma upsert per record) on a subset, as the baseline. Targets: ≥ 20× the naive way, 0 rows
 * written on the unchanged re-sync, the incremental sync writes exactly the changed records in
 * ≤ 5% of the full sync's time, peak RSS growth < 300 MB.
 *
 * Run alone with `npx tsx --expose-gc scripts/bench/statistics.ts [scale]` (scale 0.1: a tenth of every
 * size; DATABASE_URL names a server to create the throwaway database on, else an embedded PGlite is
 * used), or through `npm run bench`.
 */
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { statisticsSyncFunction } from "@/inngest/functions/sync";
import { EmbeddedRunner } from "@/inngest/runner";
import { setCourseraClientOverrides, courseraClientForConnector } from "@/lib/connectors/coursera-client";
import { createMemoryTokenCache } from "@/lib/coursera/client";
import { SandboxOrg, benchOrgConfig } from "@/sandbox/data";
import { encryptSecret } from "@/lib/crypto/secrets";
import { provisionDatabase } from "@/lib/database/provision";
import { db, disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { identityKeyOf, loadCourseIds, loadUserMatcher } from "@/lib/statistics/matching";
import { statusOf } from "@/lib/statistics/rules";
import { requestSync } from "@/inngest/dispatch";
import { STATISTICS_PAGE_SIZE } from "@/lib/statistics/sync";
import { incrementalWindowStart } from "@/lib/statistics/incremental";
import { openScheduledRuns } from "@/lib/sync/runs";
import { insertBenchOrgLearners, prerenderListing, startSandboxProcess } from "./bench-org";
import { measure } from "./measure";
import { printTable, type BenchRow } from "./table";

export interface StatisticsBenchOptions {
  learners?: number;
  courses?: number;
  enrollments?: number;
  /** Records synced the naive way, for the baseline rate. */
  naiveSample?: number;
}

export async function benchStatistics(options: StatisticsBenchOptions = {}): Promise<BenchRow[]> {
  const learners = options.learners ?? 50_000;
  const courses = options.courses ?? 100_000;
  const enrollments = options.enrollments ?? 500_000;
  const naiveSample = Math.min(options.naiveSample ?? 5_000, enrollments);

  // A throwaway database; the process is pointed at it for the duration of the benchmark.
  const database = await provisionDatabase({
    serverUrl: process.env.DATABASE_URL || undefined,
    fresh: true,
    freshPrefix: "connector_bench_stats",
  });
  const previousUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = database.url;
  process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  resetEnvCache();
  await disconnectDb();

  const org = benchOrgConfig({ catalogueSize: courses, learners, enrollments });
  const sandbox = await startSandboxProcess({ courses, learners, enrollments }, { cachePages: true });
  // No rate limit: the benchmark measures the pipeline, not Coursera's politeness budget.
  setCourseraClientOverrides({ baseUrl: sandbox.url, requestsPerSecond: 0, tokenCache: createMemoryTokenCache() });

  try {
    // ── Seed: learners and courses, bulk-inserted ────────────────────────────────────────────
    const platform = await db.platform.create({ data: { name: "Bench platform", slug: `bench-${randomBytes(3).toString("hex")}` } });
    const connector = await db.courseraConnector.create({
      data: {
        platformId: platform.id,
        enabled: true,
        enabledAt: new Date(),
        orgId: org.orgId,
        clientId: org.clientId,
        clientSecretEncrypted: encryptSecret(org.clientSecret),
      },
    });
    await insertBenchOrgLearners(platform.id, learners);
    // The sandbox derives its data from the org's seed alone, so the same ids are computed here.
    const generator = new SandboxOrg(org);
    const contentIds = Array.from({ length: courses }, (_, i) => generator.contentIdAt(i));
    await db.$executeRaw`
      INSERT INTO "Course" ("id", "platformId", "source", "courseraContentId", "title", "createdAt", "updatedAt")
      SELECT 'bench-course-' || i, ${platform.id}, 'COURSERA', c, 'Bench course ' || i, now(), now()
      FROM unnest(${contentIds}::text[]) WITH ORDINALITY AS t(c, i)`;
    await db.$executeRawUnsafe(`ANALYZE "User"`);
    await db.$executeRawUnsafe(`ANALYZE "Course"`);
    // Every page rendered by the sandbox before anything is timed (Coursera's cost is not ours).
    const reader = courseraClientForConnector(connector);
    await prerenderListing((start) => reader.fetchEnrollmentsPage({ start, limit: STATISTICS_PAGE_SIZE }));

    // ── Baseline: the naive way, one Prisma upsert per record, on a subset ───────────────────
    // Users and courses are resolved in bulk (as in the real sync), so only the write path differs:
    // the ratio is a lower bound of what per-record lookups would cost.
    const naive = await measure(async () => {
      const client = courseraClientForConnector(connector);
      let written = 0;
      for (let start: number | null = 0; start !== null && start < naiveSample;) {
        const page = await client.fetchEnrollmentsPage({ start, limit: Math.min(1000, naiveSample - start) });
        const items = page.items.filter((r) => identityKeyOf(r));
        const matcher = await loadUserMatcher(platform.id, items);
        const courseIds = await loadCourseIds(
          platform.id,
          items.map((r) => r.contentId),
        );
        for (const r of items) {
          const user = matcher.match(r);
          const courseId = courseIds.get(r.contentId);
          if (!user || !courseId) continue;
          const values = {
            status: statusOf({ completed: r.isCompleted, progressPercent: r.progressPercent, lastActivityAt: r.lastActivityAt }),
            progressPercent: r.progressPercent,
            scorePercent: r.scorePercent,
            lastActivityAt: r.lastActivityAt,
            timeSpentMinutes: r.timeSpentMinutes ?? 0,
            enrolledAt: r.enrolledAt,
            completedAt: r.completedAt,
            reportedAt: new Date(),
          };
          await db.learnerCourseStat.upsert({
            where: { userId_courseId: { userId: user.userId, courseId } },
            create: { platformId: platform.id, userId: user.userId, courseId, ...values },
            update: values,
          });
          written++;
        }
        start = page.next !== null && page.next < naiveSample ? page.next : null;
      }
      return { written };
    });
    // The real first sync starts from an empty table, like the naive run did.
    await db.learnerCourseStat.deleteMany({ where: { platformId: platform.id } });

    // ── The real sync, through the Inngest function ──────────────────────────────────────────
    const runner = new EmbeddedRunner([statisticsSyncFunction], { log: () => {} });
    const runSync = async () => {
      const requested = await requestSync({ connectorId: connector.id, kind: "STATISTICS", trigger: "MANUAL" });
      if (!requested.ok) throw new Error(requested.message);
      await runner.runUntilIdle(3_600_000);
      const run = await db.syncRun.findUniqueOrThrow({ where: { id: requested.runId } });
      if (run.status !== "SUCCEEDED") throw new Error(`statistics run ended ${run.status}: ${run.errorMessage ?? ""}`);
      return { run };
    };

    const first = await measure(runSync);
    const statRows = await db.learnerCourseStat.count({ where: { platformId: platform.id } });

    const resyncStartedAt = new Date();
    const resync = await measure(runSync);
    const rowsTouched = await db.learnerCourseStat.count({
      where: { platformId: platform.id, OR: [{ updatedAt: { gte: resyncStartedAt } }, { lastRunId: resync.value.run.id }] },
    });

    // ── The hourly incremental sync, 1% of the records changed since the last sync ─────────────
    // Coursera's side changes 1% of its records (activity an hour ago); the incremental run's
    // window is known before it starts (the last success's start less the lag overlap), so its
    // pages are rendered untimed, like the full listing's.
    const touch = async (offset: number) => {
      const res = await fetch(`${sandbox.url}/__control/orgs/${encodeURIComponent(org.orgId)}/enrollments/touch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ every: 100, offset, at: Date.now() - 3_600_000 }),
      });
      if (!res.ok) throw new Error(`the sandbox refused to change records: ${res.status}`);
      return ((await res.json()) as { touched: number }).touched;
    };
    const changed = await touch(0);
    const changedSince = await incrementalWindowStart(connector.id, "");
    await prerenderListing((start) => reader.fetchEnrollmentsPage({ start, limit: STATISTICS_PAGE_SIZE, changedSince }));
    const incrementalStartedAt = new Date();
    const incremental = await measure(async () => {
      const [opened] = await openScheduledRuns([connector.id], "STATISTICS", "INCREMENTAL");
      await runner.send({
        name: "coursera/statistics.sync-requested",
        id: `run-${opened.runId}`,
        data: { connectorId: connector.id, runId: opened.runId, orgId: org.orgId },
      });
      await runner.runUntilIdle(3_600_000);
      const run = await db.syncRun.findUniqueOrThrow({ where: { id: opened.runId } });
      if (run.status !== "SUCCEEDED") throw new Error(`incremental statistics run ended ${run.status}: ${run.errorMessage ?? ""}`);
      return { run };
    });
    const incrementalRows = await db.learnerCourseStat.count({
      where: { platformId: platform.id, updatedAt: { gte: incrementalStartedAt } },
    });

    // The full sync it is compared with: the same share changed (another 1%), the whole listing read.
    const changedAgain = await touch(50);
    await prerenderListing((start) => reader.fetchEnrollmentsPage({ start, limit: STATISTICS_PAGE_SIZE }));
    const fullChangedStartedAt = new Date();
    const fullChanged = await measure(runSync);
    const fullChangedRows = await db.learnerCourseStat.count({
      where: { platformId: platform.id, updatedAt: { gte: fullChangedStartedAt } },
    });
    const incrementalShare = incremental.wallMs / fullChanged.wallMs;

    const naiveRate = naive.value.written / (naive.wallMs / 1000);
    const firstRate = first.value.run.fetched / (first.wallMs / 1000);
    const resyncRate = resync.value.run.fetched / (resync.wallMs / 1000);
    const speedup = firstRate / naiveRate;
    const peakRss = Math.max(first.peakRssMb, resync.peakRssMb, incremental.peakRssMb, fullChanged.peakRssMb);
    const verdict = (ok: boolean) => (ok ? "target met" : "TARGET MISSED");

    return [
      {
        scenario: "statistics: first sync",
        items: first.value.run.fetched,
        wallMs: Math.round(first.wallMs),
        rowsPerSec: firstRate,
        peakRssMb: first.peakRssMb,
        note: `${first.value.run.matched} matched, ${first.value.run.updated} written (${statRows} rows), ${first.value.run.pages} pages; ${speedup.toFixed(1)}× naive (≥ 20×: ${verdict(speedup >= 20)}); RSS < 300 MB: ${verdict(peakRss < 300)}; heap retained after GC ${first.retainedMb} MB`,
      },
      {
        scenario: "statistics: unchanged re-sync",
        items: resync.value.run.fetched,
        wallMs: Math.round(resync.wallMs),
        rowsPerSec: resyncRate,
        peakRssMb: resync.peakRssMb,
        note: `${rowsTouched} statistics rows written, run counted ${resync.value.run.updated} updated / ${resync.value.run.unchanged} unchanged (0 written: ${verdict(rowsTouched === 0 && resync.value.run.updated === 0)})`,
      },
      {
        scenario: "statistics: incremental sync, 1% changed since the last sync",
        items: incremental.value.run.fetched,
        wallMs: Math.round(incremental.wallMs),
        rowsPerSec: incremental.value.run.fetched / (incremental.wallMs / 1000),
        peakRssMb: incremental.peakRssMb,
        note: `${changed} records changed on Coursera, ${incrementalRows} statistics rows written (exactly them: ${verdict(incrementalRows === changed && incremental.value.run.fetched === changed)}); ${(incrementalShare * 100).toFixed(1)}% of the full sync's time below (≤ 5%: ${verdict(incrementalShare <= 0.05)})`,
      },
      {
        scenario: "statistics: full re-sync, 1% changed since the last sync",
        items: fullChanged.value.run.fetched,
        wallMs: Math.round(fullChanged.wallMs),
        rowsPerSec: fullChanged.value.run.fetched / (fullChanged.wallMs / 1000),
        peakRssMb: fullChanged.peakRssMb,
        note: `${changedAgain} records changed on Coursera, ${fullChangedRows} statistics rows written`,
      },
      {
        scenario: `statistics: naive, one Prisma upsert per record (${naiveSample.toLocaleString("en")} subset)`,
        items: naive.value.written,
        wallMs: Math.round(naive.wallMs),
        rowsPerSec: naiveRate,
        peakRssMb: naive.peakRssMb,
        note: `extrapolated to ${enrollments.toLocaleString("en")} records: ${Math.round(enrollments / naiveRate)} s`,
      },
    ];
  } finally {
    setCourseraClientOverrides({});
    await sandbox.stop();
    await disconnectDb();
    await database.release();
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
    resetEnvCache();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const scale = Number(process.argv[2] ?? 1);
  const rows = await benchStatistics(
    scale === 1
      ? {}
      : { learners: Math.round(50_000 * scale), courses: Math.round(100_000 * scale), enrollments: Math.round(500_000 * scale) },
  );
  const sizes = (n: number) => Math.round(n * scale).toLocaleString("en");
  printTable(`Learner statistics sync (${sizes(500_000)} records, ${sizes(50_000)} learners, ${sizes(100_000)} courses)`, rows);
  if (typeof (globalThis as { gc?: unknown }).gc !== "function") console.log("(no --expose-gc: memory growth includes garbage)");
  process.exit(rows.some((r) => r.note?.includes("TARGET MISSED")) ? 1 : 0);
}
