import "server-only";
import { db, Prisma } from "@/lib/db";
import { containsPattern } from "@/lib/sql/like";
import type { CompletionStatus } from "@/lib/generated/prisma/enums";
import { STATS_PAGE_SIZE, type StatisticsParams } from "@/lib/statistics/params";
import { scheduleOf } from "@/lib/sync/schedule";
import type { StatisticsViewData, StatisticsViewSummary } from "@/lib/statistics/admin-view";

/**
 * The admin's learner statistics: per learner and per course, with the
 * completion and progress distribution of exactly what the filters select,
 * and the same rows for the CSV export (lib/statistics/csv.ts).
 *
 * Aggregates scan every selected row (500,000 is a normal platform), so they
 * are cached per platform and filters, keyed by the platform's latest
 * statistics write: a sync or a link invalidates them at once, and nothing
 * else changes them.
 */

/** The WHERE of every statistics read; `s` is LearnerCourseStat, `u` its User (joined when `q` filters on the learner). */
function filterSql(platformId: string, p: Pick<StatisticsParams, "q" | "course" | "status">): { join: Prisma.Sql; where: Prisma.Sql } {
  const parts: Prisma.Sql[] = [Prisma.sql`s."platformId" = ${platformId}`];
  if (p.course) parts.push(Prisma.sql`s."courseId" = ${p.course}`);
  if (p.status) parts.push(Prisma.sql`s."status" = ${p.status}::"CompletionStatus"`);
  if (p.q) {
    const like = containsPattern(p.q);
    parts.push(Prisma.sql`(u."name" ILIKE ${like} OR u."email" ILIKE ${like})`);
  }
  return {
    join: p.q ? Prisma.sql`JOIN "User" u ON u."id" = s."userId"` : Prisma.empty,
    where: Prisma.join(parts, " AND "),
  };
}

// ─── Cache ──────────────────────────────────────────────────────────────

const CACHE_MAX_ENTRIES = 500;
const CACHE_TTL_MS = 10 * 60_000;
const cache = new Map<string, { at: number; value: unknown }>();

/** The platform's latest statistics write: an index lookup on (platformId, updatedAt). */
async function statsVersion(platformId: string): Promise<string> {
  const rows = await db.$queryRaw<
    { v: Date | null }[]
  >`SELECT max("updatedAt") AS v FROM "LearnerCourseStat" WHERE "platformId" = ${platformId}`;
  return rows[0]?.v?.toISOString() ?? "none";
}

async function cached<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.value as T;
  const value = await compute();
  if (cache.size >= CACHE_MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { at: Date.now(), value });
  return value;
}

// ─── Summary ────────────────────────────────────────────────────────────

export const PROGRESS_BUCKETS = [
  { label: "0%", sql: Prisma.sql`s."progressPercent" <= 0` },
  { label: "1–24%", sql: Prisma.sql`s."progressPercent" > 0 AND s."progressPercent" < 25` },
  { label: "25–49%", sql: Prisma.sql`s."progressPercent" >= 25 AND s."progressPercent" < 50` },
  { label: "50–74%", sql: Prisma.sql`s."progressPercent" >= 50 AND s."progressPercent" < 75` },
  { label: "75–99%", sql: Prisma.sql`s."progressPercent" >= 75 AND s."progressPercent" < 100` },
  { label: "100%", sql: Prisma.sql`s."progressPercent" >= 100` },
] as const;

/** The page's summary (StatisticsViewSummary), plus the total time spent, which the page does not show. */
export type StatisticsSummary = StatisticsViewSummary & { totalMinutes: number };

export async function getStatisticsSummary(platformId: string, params: StatisticsParams): Promise<StatisticsSummary> {
  const version = await statsVersion(platformId);
  const key = JSON.stringify(["summary", platformId, version, params.q ?? "", params.course ?? "", params.status ?? ""]);
  return cached(key, async () => {
    const { join, where } = filterSql(platformId, params);
    const bucketCols = Prisma.join(
      PROGRESS_BUCKETS.map((b, i) => Prisma.sql`count(*) FILTER (WHERE ${b.sql})::int AS ${Prisma.raw(`"b${i}"`)}`),
      ", ",
    );
    const [row] = await db.$queryRaw<Record<string, number | null>[]>`
      SELECT count(*)::int AS "rows",
             count(*) FILTER (WHERE s."status" = 'COMPLETED')::int AS "completed",
             count(*) FILTER (WHERE s."status" = 'IN_PROGRESS')::int AS "inProgress",
             count(*) FILTER (WHERE s."status" = 'NOT_STARTED')::int AS "notStarted",
             avg(s."progressPercent")::float8 AS "averageProgress",
             avg(s."scorePercent")::float8 AS "averageScore",
             coalesce(sum(s."timeSpentMinutes"), 0)::float8 AS "totalMinutes",
             ${bucketCols}
        FROM "LearnerCourseStat" s ${join}
       WHERE ${where}`;
    const rows = Number(row?.rows ?? 0);
    const completed = Number(row?.completed ?? 0);
    return {
      rows,
      completed,
      inProgress: Number(row?.inProgress ?? 0),
      notStarted: Number(row?.notStarted ?? 0),
      completionRate: rows ? completed / rows : null,
      averageProgress: row?.averageProgress ?? null,
      averageScore: row?.averageScore ?? null,
      totalMinutes: Number(row?.totalMinutes ?? 0),
      progressDistribution: PROGRESS_BUCKETS.map((b, i) => ({ bucket: b.label, rows: Number(row?.[`b${i}`] ?? 0) })),
    };
  });
}

// ─── Per learner ────────────────────────────────────────────────────────

export interface LearnerStatRow {
  id: string;
  userId: string;
  userName: string;
  userEmail: string;
  courseId: string;
  courseTitle: string;
  courseraContentId: string | null;
  status: CompletionStatus;
  progressPercent: number;
  scorePercent: number | null;
  lastActivityAt: Date | null;
  timeSpentMinutes: number;
  enrolledAt: Date | null;
  completedAt: Date | null;
  reportedAt: Date | null;
}

const learnerRowColumns = Prisma.sql`
  s."id", s."userId", uu."name" AS "userName", uu."email" AS "userEmail", s."courseId", c."title" AS "courseTitle",
  c."courseraContentId", s."status"::text AS "status", s."progressPercent", s."scorePercent", s."lastActivityAt",
  s."timeSpentMinutes", s."enrolledAt", s."completedAt", s."reportedAt"`;

/** A page of learner × course rows, most recent activity first. Its total is the summary's `rows`. */
export async function listLearnerStats(platformId: string, params: StatisticsParams): Promise<LearnerStatRow[]> {
  const { join, where } = filterSql(platformId, params);
  return db.$queryRaw<LearnerStatRow[]>`
    SELECT ${learnerRowColumns}
      FROM "LearnerCourseStat" s ${join}
      JOIN "User" uu ON uu."id" = s."userId"
      JOIN "Course" c ON c."id" = s."courseId"
     WHERE ${where}
     ORDER BY s."lastActivityAt" DESC NULLS LAST, s."id" DESC
     LIMIT ${STATS_PAGE_SIZE} OFFSET ${(params.page - 1) * STATS_PAGE_SIZE}`;
}

/**
 * Every selected row, in batches (keyset on id), for the CSV export: the same
 * filters as the page, no paging, never the whole set in memory.
 */
export async function* iterateLearnerStats(
  platformId: string,
  params: StatisticsParams,
  batchSize = 2000,
): AsyncGenerator<LearnerStatRow[]> {
  const { join, where } = filterSql(platformId, params);
  let after = "";
  for (;;) {
    const rows = await db.$queryRaw<LearnerStatRow[]>`
      SELECT ${learnerRowColumns}
        FROM "LearnerCourseStat" s ${join}
        JOIN "User" uu ON uu."id" = s."userId"
        JOIN "Course" c ON c."id" = s."courseId"
       WHERE ${where} AND s."id" > ${after}
       ORDER BY s."id"
       LIMIT ${batchSize}`;
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1].id;
  }
}

// ─── Per course ─────────────────────────────────────────────────────────

export interface CourseStatRow {
  courseId: string;
  courseTitle: string;
  learners: number;
  completed: number;
  inProgress: number;
  averageProgress: number | null;
  averageScore: number | null;
  lastActivityAt: Date | null;
}

export async function listCourseStats(platformId: string, params: StatisticsParams): Promise<{ total: number; rows: CourseStatRow[] }> {
  const version = await statsVersion(platformId);
  const key = JSON.stringify(["courses", platformId, version, params.q ?? "", params.course ?? "", params.status ?? "", params.page]);
  return cached(key, async () => {
    const { join, where } = filterSql(platformId, params);
    const [rows, totals] = await Promise.all([
      db.$queryRaw<CourseStatRow[]>`
        SELECT g."courseId", c."title" AS "courseTitle", g."learners", g."completed", g."inProgress", g."averageProgress", g."averageScore", g."lastActivityAt"
          FROM (
            SELECT s."courseId", count(*)::int AS "learners",
                   count(*) FILTER (WHERE s."status" = 'COMPLETED')::int AS "completed",
                   count(*) FILTER (WHERE s."status" = 'IN_PROGRESS')::int AS "inProgress",
                   avg(s."progressPercent")::float8 AS "averageProgress",
                   avg(s."scorePercent")::float8 AS "averageScore",
                   max(s."lastActivityAt") AS "lastActivityAt"
              FROM "LearnerCourseStat" s ${join}
             WHERE ${where}
             GROUP BY s."courseId"
          ) g
          JOIN "Course" c ON c."id" = g."courseId"
         ORDER BY g."learners" DESC, c."title", g."courseId"
         LIMIT ${STATS_PAGE_SIZE} OFFSET ${(params.page - 1) * STATS_PAGE_SIZE}`,
      db.$queryRaw<{ n: number }[]>`SELECT count(DISTINCT s."courseId")::int AS n FROM "LearnerCourseStat" s ${join} WHERE ${where}`,
    ]);
    return { total: Number(totals[0]?.n ?? 0), rows };
  });
}

/** Courses that have statistics, for the course filter (title only). */
export async function getStatisticsCourseName(platformId: string, courseId: string): Promise<string | null> {
  const course = await db.course.findFirst({ where: { id: courseId, platformId }, select: { title: true } });
  return course?.title ?? null;
}

const successfulStatisticsRun = {
  kind: "STATISTICS",
  status: { in: ["SUCCEEDED", "NEEDS_REVIEW"] },
  finishedAt: { not: null },
} satisfies Prisma.SyncRunWhereInput;
const freshnessRunSelect = { mode: true, queuedAt: true, startedAt: true, finishedAt: true } as const;

/**
 * How fresh the statistics are, for the statistics page: the last successful statistics run (full
 * or incremental), when it read Coursera's report and when it finished, and the last full one, in
 * the connector's time zone (the schedules' zone: its own, else its platform's). Null without a
 * connector. Two probes of the partial index of successful runs.
 */
export async function getStatisticsFreshness(platformId: string) {
  const connector = await db.courseraConnector.findUnique({
    where: { platformId },
    select: { id: true, timeZone: true, catalogueTime: true, statisticsTime: true, platform: { select: { timeZone: true } } },
  });
  if (!connector) return null;
  const [last, lastFull] = await Promise.all([
    db.syncRun.findFirst({
      where: { connectorId: connector.id, ...successfulStatisticsRun },
      orderBy: { finishedAt: "desc" },
      select: freshnessRunSelect,
    }),
    db.syncRun.findFirst({
      where: { connectorId: connector.id, mode: "FULL", ...successfulStatisticsRun },
      orderBy: { finishedAt: "desc" },
      select: freshnessRunSelect,
    }),
  ]);
  const toRun = (r: typeof last) =>
    r && r.finishedAt ? { mode: r.mode, reportReadAt: r.startedAt ?? r.queuedAt, finishedAt: r.finishedAt } : null;
  return { timeZone: scheduleOf(connector, "STATISTICS").timeZone, last: toRun(last), lastFull: toRun(lastFull) };
}

export type StatisticsFreshness = NonNullable<Awaited<ReturnType<typeof getStatisticsFreshness>>>;

// ─── The page's filtered view ───────────────────────────────────────────

const isoOrNull = (d: Date | null) => d?.toISOString() ?? null;

/**
 * What the statistics page shows for its filters, with only what it shows: its
 * first render and its JSON route (GET /api/platforms/[platformId]/statistics)
 * send the same. The summary comes along: its KPIs and charts follow the filters.
 */
export async function getStatisticsView(platformId: string, params: StatisticsParams): Promise<StatisticsViewData> {
  const [summary, courseName, learners, courses] = await Promise.all([
    getStatisticsSummary(platformId, params),
    params.course ? getStatisticsCourseName(platformId, params.course) : null,
    params.view === "learners" ? listLearnerStats(platformId, params) : null,
    params.view === "courses" ? listCourseStats(platformId, params) : null,
  ]);
  return {
    view: params.view,
    page: params.page,
    pageSize: STATS_PAGE_SIZE,
    courseName,
    summary: {
      rows: summary.rows,
      completed: summary.completed,
      inProgress: summary.inProgress,
      notStarted: summary.notStarted,
      completionRate: summary.completionRate,
      averageProgress: summary.averageProgress,
      averageScore: summary.averageScore,
      progressDistribution: summary.progressDistribution,
    },
    learners:
      learners?.map((r) => ({
        id: r.id,
        userName: r.userName,
        userEmail: r.userEmail,
        courseId: r.courseId,
        courseTitle: r.courseTitle,
        status: r.status,
        progressPercent: r.progressPercent,
        scorePercent: r.scorePercent,
        timeSpentMinutes: r.timeSpentMinutes,
        lastActivityAt: isoOrNull(r.lastActivityAt),
      })) ?? null,
    courses: courses
      ? {
          total: courses.total,
          rows: courses.rows.map((r) => ({
            courseId: r.courseId,
            courseTitle: r.courseTitle,
            learners: r.learners,
            completed: r.completed,
            averageProgress: r.averageProgress,
            averageScore: r.averageScore,
            lastActivityAt: isoOrNull(r.lastActivityAt),
          })),
        }
      : null,
  };
}
