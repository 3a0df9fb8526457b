import "server-only";
import type { LearnerStatRow } from "@/lib/statistics/queries";
import { COMPLETION_STATUS } from "@/lib/statistics/status";
import { csvDateTime, csvLine } from "@/lib/csv";

/**
 * The statistics export: one line per learner × course, with the page's columns in the page's order
 * (Learner, Course, Status, Progress, Score, Time spent, Last activity; the learner's email and the
 * course's Coursera id right after what they identify), then the dates the page does not show.
 * Written for a spreadsheet: statuses in words, numbers as plain numbers with their unit in the
 * header (so they sum and sort), dates and times in UTC as "2027-01-05 14:03:00", a form spreadsheet
 * programs read as a date.
 */
export const CSV_HEADER = [
  "Learner",
  "Email",
  "Course",
  "Coursera content id",
  "Status",
  "Progress (%)",
  "Score (%)",
  "Time spent (minutes)",
  "Last activity (UTC)",
  "Enrolled (UTC)",
  "Completed (UTC)",
  "Reported by Coursera (UTC)",
];

const oneDecimal = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

export function learnerStatCsvLine(r: LearnerStatRow): string {
  return csvLine([
    r.userName,
    r.userEmail,
    r.courseTitle,
    r.courseraContentId,
    COMPLETION_STATUS[r.status].label,
    oneDecimal(r.progressPercent),
    oneDecimal(r.scorePercent),
    r.timeSpentMinutes,
    csvDateTime(r.lastActivityAt),
    csvDateTime(r.enrolledAt),
    csvDateTime(r.completedAt),
    csvDateTime(r.reportedAt),
  ]);
}
