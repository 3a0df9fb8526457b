"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useMemo, type MouseEvent, type ReactNode } from "react";
import { Badge } from "@/components/badge";
import { buttonClasses } from "@/components/button";
import { formatCount, formatMinutes, formatNumber } from "@/components/format";
import { LoadError } from "@/components/load-error";
import { LocalDateTime } from "@/components/local-date-time";
import { Pagination } from "@/components/pagination";
import { PercentBar } from "@/components/progress-bar";
import { UrlStateQueryContext, useUrlState } from "@/components/use-url-state";
import { statisticsViewQuery, type StatisticsViewData } from "@/lib/statistics/admin-view";
import { COMPLETION_STATUS, COMPLETION_STATUSES } from "@/lib/statistics/status";
import { StatisticsCharts } from "./statistics-charts";
import { StatisticsFilters } from "./statistics-filters";

const statisticsQueryKey = (platformId: string) => ["admin-statistics", platformId] as const;

async function fetchStatistics(platformId: string, query: string, signal: AbortSignal): Promise<StatisticsViewData> {
  const response = await fetch(`/api/platforms/${platformId}/statistics?${query}`, { cache: "no-store", signal });
  if (!response.ok) throw new Error(`statistics ${response.status}`);
  return response.json();
}

const pct = (v: number | null) => (v === null ? "—" : `${Math.round(v * 10) / 10}%`);

/** A plain click on a link that stays on this page: the URL changes in place and the view's query fetches, no page render. */
function inPlace(event: MouseEvent<HTMLAnchorElement>, go: () => void) {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  go();
}

/**
 * The statistics page below its title: the export, the filters, the summary,
 * the charts and the per-learner or per-course table, all following the URL.
 * The first view comes rendered with the page (`first`); every filter, view
 * and page after it comes from GET /api/platforms/[platformId]/statistics, the
 * view on screen staying until the next one arrives. The summary and charts
 * come along in that JSON: they follow the filters.
 */
export function StatisticsView({
  platformId,
  first,
  heading,
}: {
  platformId: string;
  first: { query: string; view: StatisticsViewData };
  heading: ReactNode;
}) {
  const value = useMemo(() => ({ queryKey: statisticsQueryKey(platformId) }), [platformId]);
  return (
    <UrlStateQueryContext value={value}>
      <StatisticsBody platformId={platformId} first={first} heading={heading} />
    </UrlStateQueryContext>
  );
}

function StatisticsBody({
  platformId,
  first,
  heading,
}: {
  platformId: string;
  first: { query: string; view: StatisticsViewData };
  heading: ReactNode;
}) {
  const searchParams = useSearchParams();
  const { setParams } = useUrlState();
  const query = statisticsViewQuery(searchParams);
  const statistics = useQuery({
    queryKey: [...statisticsQueryKey(platformId), query],
    queryFn: ({ signal }) => fetchStatistics(platformId, query, signal),
    initialData: query === first.query ? first.view : undefined,
    placeholderData: keepPreviousData,
  });
  const data = statistics.data ?? first.view;
  const { summary, learners, courses } = data;
  // The export is of every filtered row: the filters without the view and the page.
  const exportParams = new URLSearchParams(query);
  exportParams.delete("view");
  exportParams.delete("page");
  const exportQuery = exportParams.toString();
  const exportHref = `/api/platforms/${platformId}/statistics/export${exportQuery ? `?${exportQuery}` : ""}`;
  // With no filter, an empty table means no statistics at all (the line under the heading says why).
  const emptyMessage = exportQuery ? "No statistics match these filters." : "No statistics yet.";
  const href = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(query);
    next.delete("page");
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    const s = next.toString();
    return `/p/${platformId}/statistics${s ? `?${s}` : ""}`;
  };

  return (
    <>
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>{heading}</div>
        <a href={exportHref} className={buttonClasses("secondary")} download>
          Export CSV ({formatCount(summary.rows, "row")})
        </a>
      </header>

      <StatisticsFilters courseName={data.courseName} />
      {statistics.isError && <LoadError what="These statistics" onRetry={() => statistics.refetch()} />}

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

      {/* Empty axes say nothing: with no rows the table below says why instead. */}
      {summary.rows > 0 && (
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
      )}

      <nav aria-label="Statistics view" className="flex gap-2 text-sm">
        {(
          [
            ["learners", "Per learner"],
            ["courses", "Per course"],
          ] as const
        ).map(([view, label]) => (
          <Link
            key={view}
            href={href({ view: view === "learners" ? null : view })}
            prefetch={false}
            onClick={(e) => inPlace(e, () => setParams({ view: view === "learners" ? null : view }))}
            aria-current={data.view === view ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 ${data.view === view ? "bg-brand-50 font-medium text-brand-800" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {label}
          </Link>
        ))}
      </nav>

      {learners && (
        <section aria-label="Per learner" className="space-y-3">
          <StatusLegend />
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-sm">
              <caption className="sr-only">Statistics per learner and course, most recent activity first</caption>
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  {["Learner", "Course", "Status", "Progress", "Score", "Time spent", "Last activity"].map((h) => (
                    <th key={h} scope="col" className="px-4 py-2 font-medium">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {learners.length === 0 ? (
                  <tr>
                    <td colSpan={7} className="px-4 py-8 text-center text-slate-600">
                      {emptyMessage}
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
                        {/* Not prefetched: the rows change with every filter, and each visible link would ask the server for its page. */}
                        <Link href={`/p/${platformId}/courses/${r.courseId}`} prefetch={false} className="text-brand-700 hover:underline">
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
                      <td className="px-4 py-2 whitespace-nowrap">
                        <LocalDateTime value={r.lastActivityAt} />
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <Pagination page={data.page} pageSize={data.pageSize} total={summary.rows} label="rows" />
        </section>
      )}

      {courses && (
        <section aria-label="Per course" className="space-y-3">
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-sm">
              <caption className="sr-only">Statistics per course, most learners first</caption>
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  {["Course", "Learners", "Completion rate", "Average progress", "Average score", "Last activity"].map((h) => (
                    <th key={h} scope="col" className="px-4 py-2 font-medium">
                      {h}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {courses.rows.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="px-4 py-8 text-center text-slate-600">
                      {emptyMessage}
                    </td>
                  </tr>
                ) : (
                  courses.rows.map((r) => (
                    <tr key={r.courseId}>
                      <td className="px-4 py-2">
                        <Link
                          href={href({ view: null, course: r.courseId })}
                          prefetch={false}
                          onClick={(e) => inPlace(e, () => setParams({ view: null, course: r.courseId }))}
                          className="text-brand-700 hover:underline"
                        >
                          {r.courseTitle}
                        </Link>
                      </td>
                      <td className="px-4 py-2 tabular-nums">{formatNumber(r.learners)}</td>
                      <td className="px-4 py-2 tabular-nums">{pct((r.completed / Math.max(1, r.learners)) * 100)}</td>
                      <td className="px-4 py-2 tabular-nums">{pct(r.averageProgress)}</td>
                      <td className="px-4 py-2 tabular-nums">{pct(r.averageScore)}</td>
                      <td className="px-4 py-2 whitespace-nowrap">
                        <LocalDateTime value={r.lastActivityAt} />
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <Pagination page={data.page} pageSize={data.pageSize} total={courses.total} label="courses" />
        </section>
      )}
    </>
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
