/**
 * The statistics page's filtered part (summary, charts, the per-learner or
 * per-course table) as the browser and the server both see it: its state's
 * keys in the URL, and what the first render and the JSON route
 * (GET /api/platforms/[platformId]/statistics) both hand to it. No server
 * import here: the page's client component reads it too. Dates are ISO strings,
 * as JSON carries them.
 */
import type { CompletionStatus } from "@/lib/generated/prisma/enums";

/** The URL keys that make the view's state (lib/statistics/params.ts statisticsParamsSchema). */
export const STATISTICS_VIEW_KEYS = ["view", "q", "course", "status", "page"] as const;

/**
 * The view's state as a query string, its keys always in one order and nothing
 * else: the server-rendered first view and the browser's query for the same URL
 * share one cache key.
 */
export function statisticsViewQuery(get: (key: string) => string | null | undefined): string {
  const out = new URLSearchParams();
  for (const key of STATISTICS_VIEW_KEYS) {
    const value = get(key);
    if (value) out.set(key, value);
  }
  return out.toString();
}

export interface StatisticsViewSummary {
  rows: number;
  completed: number;
  inProgress: number;
  notStarted: number;
  completionRate: number | null;
  averageProgress: number | null;
  averageScore: number | null;
  progressDistribution: { bucket: string; rows: number }[];
}

export interface StatisticsLearnerRow {
  id: string;
  userName: string;
  userEmail: string;
  courseId: string;
  courseTitle: string;
  status: CompletionStatus;
  progressPercent: number;
  scorePercent: number | null;
  timeSpentMinutes: number;
  lastActivityAt: string | null;
}

export interface StatisticsCourseRow {
  courseId: string;
  courseTitle: string;
  learners: number;
  completed: number;
  averageProgress: number | null;
  averageScore: number | null;
  lastActivityAt: string | null;
}

export interface StatisticsViewData {
  view: "learners" | "courses";
  page: number;
  pageSize: number;
  /** The course filter's title (null without one, or when it names no course of the platform). */
  courseName: string | null;
  summary: StatisticsViewSummary;
  /** The per-learner page (its total is `summary.rows`), or null in the per-course view. */
  learners: StatisticsLearnerRow[] | null;
  /** The per-course page, or null in the per-learner view. */
  courses: { total: number; rows: StatisticsCourseRow[] } | null;
}
