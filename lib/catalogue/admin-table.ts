/**
 * The admin courses table as the browser and the server both see it: its
 * state's keys in the URL, and the page of rows the first render and the JSON
 * route (GET /api/platforms/[platformId]/courses) both hand to the table. No
 * server import here: the table's client component reads it too.
 */

import { canonicalQuery, type SearchParamsInput } from "@/lib/input/text";

/** The URL keys that make the table's state (lib/catalogue/queries.ts courseListParamsSchema). */
export const COURSE_TABLE_KEYS = ["q", "type", "status", "language", "level", "skill", "noSkills", "sort", "dir", "page", "size"] as const;

/** The table's state as a query string (canonicalQuery): one cache key for the first render and the browser. */
export function courseTableQuery(input: SearchParamsInput): string {
  return canonicalQuery(COURSE_TABLE_KEYS, input);
}

export interface CourseTableRow {
  id: string;
  title: string;
  contentType: string;
  language: string | null;
  level: string | null;
  retired: boolean;
  skills: { id: string; name: string }[];
}

export interface CourseTablePage {
  rows: CourseTableRow[];
  total: number;
  /** True when `total` is a lower bound ("1,000+"). */
  totalIsLowerBound: boolean;
  page: number;
  pageSize: number;
}
