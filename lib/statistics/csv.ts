import "server-only";
import type { LearnerStatRow } from "@/lib/statistics/queries";

/** The statistics export: one line per learner × course, in the order the page shows its columns. */

export const CSV_HEADER = [
  "Learner",
  "Email",
  "Course",
  "Coursera content id",
  "Status",
  "Progress %",
  "Score %",
  "Last activity (UTC)",
  "Time spent (min)",
  "Enrolled (UTC)",
  "Completed (UTC)",
  "Reported by Coursera (UTC)",
];

/**
 * One CSV field: quoted when needed, and a leading = + - @ (or tab/CR) made
 * inert, so a learner named "=HYPERLINK(…)" cannot run in a spreadsheet.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: (string | number | null | undefined)[]): string {
  return values.map(csvField).join(",") + "\r\n";
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

export function learnerStatCsvLine(r: LearnerStatRow): string {
  return csvLine([
    r.userName,
    r.userEmail,
    r.courseTitle,
    r.courseraContentId,
    r.status,
    Math.round(r.progressPercent * 10) / 10,
    r.scorePercent === null ? null : Math.round(r.scorePercent * 10) / 10,
    iso(r.lastActivityAt),
    r.timeSpentMinutes,
    iso(r.enrolledAt),
    iso(r.completedAt),
    iso(r.reportedAt),
  ]);
}
