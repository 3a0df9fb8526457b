import type { Metadata } from "next";
import Link from "next/link";
import { requirePlatformAccess } from "@/lib/auth/session";
import { getConnectorSettings } from "@/lib/connectors/queries";
import { getScheduleSettings } from "@/lib/schedules/queries";
import { getActiveRuns, getSyncChartSeries, isFinal, listSyncRuns, progressOf, runDurationMs, type SyncRunRow } from "@/lib/sync/queries";
import { SyncStatusBadge } from "@/components/badge";
import { formatDuration, formatNumber } from "@/components/format";
import { LocalDateTime } from "@/components/local-date-time";
import { Pagination } from "@/components/pagination";
import { LiveRunCells } from "../_components/run-progress";
import { triggerLabel } from "../_components/run-labels";
import { NewRunsWatcher } from "./_components/new-runs-watcher";
import { SyncNowButton } from "./_components/sync-now";
import { SyncCharts } from "./_components/sync-charts";

export const metadata: Metadata = { title: "Sync history" };

/** The runs the charts show: enough for months of daily syncs, still one small query. */
const CHARTED_RUNS = 200;

function counts(run: SyncRunRow): string {
  if (run.kind === "CATALOGUE") {
    return [
      `${formatNumber(run.fetched)} fetched`,
      `${formatNumber(run.created)} new`,
      `${formatNumber(run.updated)} updated`,
      `${formatNumber(run.retired)} retired`,
      run.restored ? `${formatNumber(run.restored)} restored` : null,
      run.duplicates ? `${formatNumber(run.duplicates)} duplicates` : null,
      run.invalid ? `${formatNumber(run.invalid)} invalid` : null,
      run.heldRetirements ? `${formatNumber(run.heldRetirements)} held` : null,
    ]
      .filter(Boolean)
      .join(" · ");
  }
  return [
    `${formatNumber(run.fetched)} fetched`,
    `${formatNumber(run.matched)} matched`,
    `${formatNumber(run.unmatched)} unmatched`,
    run.invalid ? `${formatNumber(run.invalid)} invalid` : null,
  ]
    .filter(Boolean)
    .join(" · ");
}

export default async function SyncHistoryPage({
  params,
  searchParams,
}: {
  params: Promise<{ platformId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { platformId } = await params;
  await requirePlatformAccess(platformId);
  const sp = await searchParams;
  const page = Math.max(1, Number(Array.isArray(sp.page) ? sp.page[0] : sp.page) || 1);
  const kindParam = Array.isArray(sp.kind) ? sp.kind[0] : sp.kind;
  const kind = kindParam === "CATALOGUE" || kindParam === "STATISTICS" ? kindParam : undefined;

  const [connector, history, active, catalogueSeries, statisticsSeries, schedule] = await Promise.all([
    getConnectorSettings(platformId),
    listSyncRuns(platformId, { page, kind }),
    getActiveRuns(platformId),
    getSyncChartSeries(platformId, "CATALOGUE", CHARTED_RUNS),
    getSyncChartSeries(platformId, "STATISTICS", CHARTED_RUNS),
    getScheduleSettings(platformId),
  ]);
  const ready = Boolean(connector?.enabled && connector.secretSet);

  return (
    // A column whose charts move below the runs on a phone, so that the runs are on the first screen
    // (only the picture moves: the document order, and so reading and tab order, stay as written).
    <main className="flex flex-col gap-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Sync history</h1>
          <p className="mt-1 text-sm text-slate-600">
            Every catalogue and statistics sync, newest first. Statistics sync fully once a day and incrementally (only what changed) in
            between.
          </p>
        </div>
        <div className="flex flex-wrap gap-3">
          <SyncNowButton platformId={platformId} kind="CATALOGUE" running={Boolean(active.CATALOGUE)} ready={ready} />
          <SyncNowButton platformId={platformId} kind="STATISTICS" running={Boolean(active.STATISTICS)} ready={ready} />
          <SyncNowButton platformId={platformId} kind="CATALOGUE" dryRun running={Boolean(active.CATALOGUE)} ready={ready} />
        </div>
      </header>
      {!ready && (
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900">
          Syncs start once the connector is enabled and has credentials.{" "}
          <Link href={`/p/${platformId}/connector`} className="underline">
            Connector setup
          </Link>
        </p>
      )}

      <div className="order-last md:order-none">
        <SyncCharts
          catalogue={catalogueSeries}
          statistics={statisticsSeries}
          timeZone={schedule?.next.CATALOGUE.schedule.timeZone ?? "UTC"}
        />
      </div>

      <section aria-labelledby="runs-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="runs-heading" className="font-medium">
            Runs
          </h2>
          <nav aria-label="Filter runs by kind" className="flex gap-2 text-sm">
            {[
              { label: "All", value: undefined },
              { label: "Catalogue", value: "CATALOGUE" },
              { label: "Statistics", value: "STATISTICS" },
            ].map((f) => (
              <Link
                key={f.label}
                href={f.value ? `/p/${platformId}/syncs?kind=${f.value}` : `/p/${platformId}/syncs`}
                aria-current={kind === f.value ? "page" : undefined}
                className={`rounded-md px-2 py-1 ${kind === f.value ? "bg-brand-50 font-medium text-brand-800" : "text-slate-700 hover:bg-slate-100"}`}
              >
                {f.label}
              </Link>
            ))}
          </nav>
        </div>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-sm">
            <caption className="sr-only">Sync runs, newest first</caption>
            <thead className="bg-slate-50 text-left text-slate-600">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  {/* The charts read in the connector's zone (its schedule's clock), this column in the viewer's: say which. */}
                  Started <span className="font-normal">(your time)</span>
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Kind
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Started by
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Status
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Duration
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Counts
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {history.runs.length === 0 ? (
                <tr>
                  <td colSpan={6} className="px-4 py-8 text-center text-slate-600">
                    No sync has run yet.
                  </td>
                </tr>
              ) : (
                history.runs.map((run) => (
                  <tr key={run.id} data-testid="run-row" data-run-id={run.id} data-kind={run.kind}>
                    <td className="px-4 py-2 whitespace-nowrap">
                      <Link href={`/p/${platformId}/syncs/${run.id}`} className="text-brand-700 underline">
                        <LocalDateTime value={run.startedAt ?? run.queuedAt} />
                      </Link>
                    </td>
                    <td className="px-4 py-2" data-mode={run.mode}>
                      {run.kind === "CATALOGUE" ? "Catalogue" : "Statistics"}
                      {run.kind === "STATISTICS" && (
                        <span className="block text-xs text-slate-600">{run.mode === "FULL" ? "Full" : "Incremental"}</span>
                      )}
                    </td>
                    <td className="px-4 py-2" data-testid="run-trigger">
                      {triggerLabel(run)}
                    </td>
                    {isFinal(run.status) ? (
                      <>
                        <td className="px-4 py-2">
                          <span data-testid="row-status" data-status={run.status}>
                            <SyncStatusBadge status={run.status} />
                          </span>
                        </td>
                        <td className="px-4 py-2 tabular-nums">{run.finishedAt ? formatDuration(runDurationMs(run)) : "—"}</td>
                        <td className="px-4 py-2 text-slate-700">
                          {counts(run)}
                          {run.errorMessage && <span className="block text-red-700">{run.errorMessage}</span>}
                        </td>
                      </>
                    ) : (
                      // Queued or running: its status, bar and counters follow the run without a reload.
                      <LiveRunCells platformId={platformId} runId={run.id} initial={progressOf(run)} />
                    )}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        </div>
        <Pagination page={history.page} pageSize={history.pageSize} total={history.total} label="runs" />
        {/* Later pages stay put: new runs would shift their rows under the reader. */}
        {page === 1 && <NewRunsWatcher platformId={platformId} kind={kind} shownRunIds={history.runs.map((run) => run.id)} />}
      </section>
    </main>
  );
}
