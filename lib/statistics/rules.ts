import "server-only";
import type { CompletionStatus } from "@/lib/generated/prisma/enums";
import type { CourseraEnrollment } from "@/lib/coursera/schema";

/**
 * The rules that keep a learner's statistics from going backwards by accident.
 * Coursera's reports lag and are rounded, so an older or rounded-down report
 * can arrive after a newer one; none of them may undo what is already known:
 *   - progress and time spent only grow (max),
 *   - a completion is never undone, and its date, once known, is kept,
 *   - last activity is the latest one seen,
 *   - the score is the newest non-null one (a report older than what is stored
 *     does not replace a known score),
 *   - the enrolment date, once known, is kept.
 * The same rules are applied again in SQL by the upsert (lib/statistics/apply.ts)
 * so that two writers racing on a row cannot break them either.
 */

/** The stored statistics of one learner on one course. */
export interface StatValues {
  status: CompletionStatus;
  progressPercent: number;
  scorePercent: number | null;
  lastActivityAt: Date | null;
  timeSpentMinutes: number;
  enrolledAt: Date | null;
  completedAt: Date | null;
}

/** What one Coursera record says, reduced to the fields the rules need. */
export type StatReport = Pick<
  CourseraEnrollment,
  "isCompleted" | "completedAt" | "lastActivityAt" | "progressPercent" | "scorePercent" | "timeSpentMinutes" | "enrolledAt"
>;

/** Completed when Coursera says so; started when there was activity or any progress (early progress rounds to 0). */
export function statusOf(input: { completed: boolean; progressPercent: number; lastActivityAt: Date | null }): CompletionStatus {
  if (input.completed) return "COMPLETED";
  if ((input.lastActivityAt && input.lastActivityAt.getTime() > 0) || input.progressPercent > 0) return "IN_PROGRESS";
  return "NOT_STARTED";
}

const STATUS_RANK: Record<CompletionStatus, number> = { NOT_STARTED: 0, IN_PROGRESS: 1, COMPLETED: 2 };

const time = (d: Date | null) => (d ? d.getTime() : null);

function laterOf(a: Date | null, b: Date | null): Date | null {
  if (!a) return b;
  if (!b) return a;
  return b.getTime() > a.getTime() ? b : a;
}

/** Merges one report into what is stored (null: nothing yet). Pure; never moves a value backwards. */
export function mergeStat(stored: StatValues | null, report: StatReport): StatValues {
  const reportActivity = report.lastActivityAt && report.lastActivityAt.getTime() > 0 ? report.lastActivityAt : null;
  const completed = stored?.status === "COMPLETED" || report.isCompleted;
  const progressPercent = Math.max(stored?.progressPercent ?? 0, report.progressPercent);
  const lastActivityAt = laterOf(stored?.lastActivityAt ?? null, reportActivity);
  const storedActivity = time(stored?.lastActivityAt ?? null);
  const reportIsNotOlder = storedActivity === null || reportActivity === null || reportActivity.getTime() >= storedActivity;
  const scorePercent =
    report.scorePercent !== null && reportIsNotOlder ? report.scorePercent : (stored?.scorePercent ?? report.scorePercent);
  const status = statusOf({ completed, progressPercent, lastActivityAt });
  return {
    // Never below what is stored, whatever wrote it (PostgreSQL orders the enum the same way: GREATEST in SQL).
    status: stored && STATUS_RANK[stored.status] > STATUS_RANK[status] ? stored.status : status,
    progressPercent,
    scorePercent,
    lastActivityAt,
    timeSpentMinutes: Math.max(stored?.timeSpentMinutes ?? 0, Math.round(report.timeSpentMinutes ?? 0)),
    enrolledAt: stored?.enrolledAt ?? report.enrolledAt,
    completedAt: stored?.completedAt ?? (report.isCompleted ? report.completedAt : null),
  };
}

export function sameStat(a: StatValues, b: StatValues): boolean {
  return (
    a.status === b.status &&
    a.progressPercent === b.progressPercent &&
    a.scorePercent === b.scorePercent &&
    time(a.lastActivityAt) === time(b.lastActivityAt) &&
    a.timeSpentMinutes === b.timeSpentMinutes &&
    time(a.enrolledAt) === time(b.enrolledAt) &&
    time(a.completedAt) === time(b.completedAt)
  );
}
