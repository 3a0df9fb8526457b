import type { Metadata } from "next";
import Link from "next/link";
import { requirePlatformAccess } from "@/lib/auth/session";
import { STATS_PAGE_SIZE, parseStatisticsParams, type StatisticsParams } from "@/lib/statistics/params";
import {
  getStatisticsCourseName,
  getStatisticsFreshness,
  getStatisticsSummary,
  listCourseStats,
  listLearnerStats,
} from "@/lib/statistics/queries";
import { Badge } from "@/components/badge";
import { buttonClasses } from "@/components/button";
import { formatDateTime, formatMinutes, formatNumber } from "@/components/format";
import { Pagination } from "@/components/pagination";
import { PercentBar } from "@/components/progress-bar";
import { COMPLETION_STATUS, COMPLETION_STATUSES } from "@/lib/statistics/status";
import { StatisticsFilters } from "./_components/statistics-filters";
import { StatisticsCharts } from "./_components/statistics-charts";
import { StatisticsFreshnessLine } from "./_components/statistics-freshness";

export const metadata: Metadata = { title: "Learner statistics" };

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 10) / 10}%`);

function query(p: StatisticsParams, changes: Partial<Record<keyof StatisticsParams, string | null>>): string {
  const out = new URLSearchParams();
  const merged: Record<string, string | number | undefined | null> = {
    view: p.view === "learners" ? undefined : p.view,
    q: p.q,
    course: p.course,
    status: p.status,
    ...changes,
  };
  for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== null && v !== "") out.set(k, String(v));
  const s = out.toString();
  return s ? `?${s}` : "";
}

export default async function StatisticsPage({
  params,
  searchParams,
}: {
  params: Promise<{ platformId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { platformId } = await params;
  await requirePlatformAccess(platformId);
  const filters = parseStatisticsParams(await searchParams);
  const [summary, courseName, freshness] = await Promise.all([
    getStatisticsSummary(platformId, filters),
    filters.course ? getStatisticsCourseName(platformId, filters.course) : null,
    getStatisticsFreshness(platformId),
  ]);
  const learners = filters.view === "learners" ? await listLearnerStats(platformId, filters) : null;
  const courses = filters.view === "courses" ? await listCourseStats(platformId, filters) : null;
  const exportHref = `/api/platforms/${platformId}/statistics/export${query(filters, { view: null, page: null })}`;

  return (
    // A column whose charts move below the tables on a phone, so that the table is on the first screen
    // (only the picture moves: the document order, and so reading and tab order, stay as written).
    <main className="flex flex-col gap-4 sm:gap-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Learner statistics</h1>
          <p className="mt-1 text-sm text-slate-600">Completion, progress, score and time spent, as last reported by Coursera.</p>
          <StatisticsFreshnessLine freshness={freshness} />
        </div>
        <a href={exportHref} className={buttonClasses("secondary")} download>
          Export CSV ({formatNumber(summary.rows)} rows)
        </a>
      </header>

      <StatisticsFilters courseName={courseName} />

      <section aria-label="Summary" className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {[
          ["Enrollments", formatNumber(summary.rows)],
          ["Completion rate", summary.completionRate === null ? "—" : pct(summary.completionRate * 100)],
          ["Average progress", pct(summary.averageProgress)],
          ["Average score", pct(summary.averageScore)],
        ].map(([label, value]) => (
          <div key={label} className="rounded-lg border border-slate-200 bg-white p-3 sm:p-4">
            <p className="text-sm text-slate-600">{label}</p>
            <p className="mt-1 text-xl font-semibold tabular-nums sm:text-2xl">{value}</p>
          </div>
        ))}
      </section>

      <div className="order-last md:order-none">
        <StatisticsCharts
          status={[
            { label: "Completed", rows: summary.completed },
            { label: "In progress", rows: summary.inProgress },
            { label: "Not started", rows: summary.notStarted },
          ]}
          distribution={summary.progressDistribution}
        />
      </div>

      <nav aria-label="Statistics view" className="flex gap-2 text-sm">
        <Link
          href={`/p/${platformId}/statistics${query(filters, { view: null, page: null })}`}
          aria-current={filters.view === "learners" ? "page" : undefined}
          className={`rounded-md px-3 py-1.5 ${filters.view === "learners" ? "bg-brand-50 font-medium text-brand-800" : "text-slate-700 hover:bg-slate-100"}`}
        >
          Per learner
        </Link>
        <Link
          href={`/p/${platformId}/statistics${query(filters, { view: "courses", page: null })}`}
          aria-current={filters.view === "courses" ? "page" : undefined}
          className={`rounded-md px-3 py-1.5 ${filters.view === "courses" ? "bg-brand-50 font-medium text-brand-800" : "text-slate-700 hover:bg-slate-100"}`}
        >
          Per course
        </Link>
      </nav>

      {learners && (
        <section aria-label="Per learner" className="space-y-3">
          <StatusLegend />
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-sm">
              <caption className="sr-only">Statistics per learner and course, most recent activity first</caption>
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Learner
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Course
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Progress
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Score
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Time spent
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Last activity
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {learners.length === 0 ? (
                  <tr>
                    <td colSpan={7} className="px-4 py-8 text-center text-slate-600">
                      No statistics match these filters.
                    </td>
                  </tr>
                ) : (
                  learners.map((r) => (
                    <tr key={r.id}>
                      <td className="px-4 py-2">
                        <span className="block font-medium">{r.userName}</span>
                        <span className="block text-xs text-slate-600">{r.userEmail}</span>
                      </td>
                      <td className="px-4 py-2">
                        <Link href={`/p/${platformId}/courses/${r.courseId}`} className="text-brand-700 hover:underline">
                          {r.courseTitle}
                        </Link>
                      </td>
                      <td className="px-4 py-2">
                        <Badge tone={COMPLETION_STATUS[r.status].tone}>{COMPLETION_STATUS[r.status].label}</Badge>
                      </td>
                      <td className="px-4 py-2">
                        <PercentBar percent={r.progressPercent} tone={COMPLETION_STATUS[r.status].tone} label="Progress" />
                      </td>
                      <td className="px-4 py-2 tabular-nums">{pct(r.scorePercent)}</td>
                      <td className="px-4 py-2 whitespace-nowrap tabular-nums">{formatMinutes(r.timeSpentMinutes)}</td>
                      <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(r.lastActivityAt)}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <Pagination page={filters.page} pageSize={STATS_PAGE_SIZE} total={summary.rows} label="rows" />
        </section>
      )}

      {courses && (
        <section aria-label="Per course" className="space-y-3">
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-sm">
              <caption className="sr-only">Statistics per course, most learners first</caption>
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Course
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Learners
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Completion rate
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Average progress
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Average score
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Last activity
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {courses.rows.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="px-4 py-8 text-center text-slate-600">
                      No statistics match these filters.
                    </td>
                  </tr>
                ) : (
                  courses.rows.map((r) => (
                    <tr key={r.courseId}>
                      <td className="px-4 py-2">
                        <Link
                          href={`/p/${platformId}/statistics${query(filters, { view: null, course: r.courseId, page: null })}`}
                          className="text-brand-700 hover:underline"
                        >
                          {r.courseTitle}
                        </Link>
                      </td>
                      <td className="px-4 py-2 tabular-nums">{formatNumber(r.learners)}</td>
                      <td className="px-4 py-2 tabular-nums">{pct((r.completed / Math.max(1, r.learners)) * 100)}</td>
                      <td className="px-4 py-2 tabular-nums">{pct(r.averageProgress)}</td>
                      <td className="px-4 py-2 tabular-nums">{pct(r.averageScore)}</td>
                      <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(r.lastActivityAt)}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <Pagination page={filters.page} pageSize={STATS_PAGE_SIZE} total={courses.total} label="courses" />
        </section>
      )}
    </main>
  );
}

/** What the status colours mean; the badges carry the words too, so colour is never the only signal. */
function StatusLegend() {
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm text-slate-700">
      <h2 id="status-legend" className="font-medium text-slate-800">
        Colour key
      </h2>
      <ul aria-labelledby="status-legend" className="flex flex-wrap gap-x-4 gap-y-2">
        {COMPLETION_STATUSES.map((status) => (
          <li key={status} className="flex items-center gap-2">
            <Badge tone={COMPLETION_STATUS[status].tone}>{COMPLETION_STATUS[status].label}</Badge>
            {/* On a phone the key is one line of words; the meanings are for wider screens (and screen readers). */}
            <span className="sr-only sm:not-sr-only">{COMPLETION_STATUS[status].meaning}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
