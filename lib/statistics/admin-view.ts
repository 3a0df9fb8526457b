/**
 * The statistics page's filtered part (summary, charts, the per-learner or
 * per-course table) as the browser and the server both see it: its state's
 * keys in the URL, and what the first render and the JSON route
 * (GET /api/platforms/[platformId]/statistics) both hand to it. No server
 * import here: the page's client component reads it too. Dates are ISO strings,
 * as JSON carries them.
 */
import type { CompletionStatus } from "@/lib/generated/prisma/enums";
import { canonicalQuery, type SearchParamsInput } from "@/lib/input/text";

/** The URL keys that make the view's state (lib/statistics/params.ts statisticsParamsSchema). */
export const STATISTICS_VIEW_KEYS = ["view", "q", "course", "status", "page"] as const;

/** The view's state as a query string (canonicalQuery): one cache key for the first render and the browser. */
export function statisticsViewQuery(input: SearchParamsInput): string {
  return canonicalQuery(STATISTICS_VIEW_KEYS, input);
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
