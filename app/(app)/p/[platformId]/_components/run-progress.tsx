"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { SyncStatusBadge } from "@/components/badge";
import { formatDuration, formatNumber, syncRunName } from "@/components/format";
import { ProgressBar } from "@/components/progress-bar";
import type { SyncRunProgress } from "@/lib/sync/queries";

export async function fetchProgress(platformId: string, runId: string): Promise<SyncRunProgress> {
  const response = await fetch(`/api/platforms/${platformId}/syncs/${runId}`, { cache: "no-store" });
  if (!response.ok) throw new Error(`progress ${response.status}`);
  return response.json();
}

/**
 * A run's live counters: polls them every second while the run is queued or
 * running and stops when it ends. Every view of one run (progress bar, status
 * badge, history row, connector box) shares the one query. With
 * `refreshWhenFinal`, the moment the run ends the server components around
 * it (history, course counts, Sync now) are refreshed without a reload.
 */
export function useLiveRun(platformId: string, runId: string, initial?: SyncRunProgress, refreshWhenFinal = false) {
  const router = useRouter();
  const query = useQuery({
    queryKey: ["sync-run", platformId, runId],
    queryFn: () => fetchProgress(platformId, runId),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.final ? false : 1000),
  });
  const final = query.data?.final ?? false;
  const wasFinal = useRef(initial?.final ?? false);
  useEffect(() => {
    if (refreshWhenFinal && final && !wasFinal.current) {
      wasFinal.current = true;
      // Deferred: a refresh asked for while the navigation to this page is still committing can be dropped.
      const t = setTimeout(() => router.refresh(), 50);
      return () => clearTimeout(t);
    }
  }, [final, refreshWhenFinal, router]);
  return query;
}

/** "120 fetched · 10 new …": the counters a running run has so far. */
export function liveCounts(data: SyncRunProgress): string {
  return data.kind === "CATALOGUE"
    ? `${formatNumber(data.fetched)} fetched · ${formatNumber(data.created)} new · ${formatNumber(data.updated)} updated · ${formatNumber(data.unchanged)} unchanged · ${formatNumber(data.retired)} retired · ${formatNumber(data.invalid)} invalid`
    : `${formatNumber(data.fetched)} fetched · ${formatNumber(data.matched)} matched · ${formatNumber(data.updated)} updated · ${formatNumber(data.unmatched)} unmatched · ${formatNumber(data.invalid)} invalid`;
}

/**
 * A run's live progress: its status, bar and counters while it runs; when it
 * ends, the page around it refreshes (history, course counts) without a reload.
 */
export function RunProgress({
  platformId,
  runId,
  initial,
  showLink = false,
  compact = false,
}: {
  platformId: string;
  runId: string;
  initial?: SyncRunProgress;
  showLink?: boolean;
  compact?: boolean;
}) {
  const { data, isError } = useLiveRun(platformId, runId, initial, true);

  if (!data)
    return (
      <p className="text-sm text-slate-600">{isError ? "The progress of this sync cannot be read right now." : "Loading progress…"}</p>
    );
  const kind = syncRunName(data);
  const done = data.progressDone || data.fetched;
  return (
    <div className="space-y-2" data-testid="run-progress" data-status={data.status}>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-medium">{kind}</span>
        <span aria-live="polite" aria-atomic="true">
          <SyncStatusBadge status={data.status} />
        </span>
        <span className="text-slate-600">{formatDuration(data.durationMs)}</span>
        {showLink && (
          <Link href={`/p/${platformId}/syncs/${runId}`} className="text-brand-700 underline">
            View run details
          </Link>
        )}
      </div>
      {!data.final && <ProgressBar value={done} max={data.progressTotal} label={`${kind} progress`} />}
      <p className="text-sm text-slate-700" data-testid="run-counts">
        {liveCounts(data)}
        {data.progressTotal !== null && !data.final && ` · ${formatNumber(done)} of ${formatNumber(data.progressTotal)}`}
      </p>
      {!compact && data.errorMessage && (
        <p role="alert" className="text-sm text-red-700">
          {data.errorMessage}
        </p>
      )}
    </div>
  );
}

/**
 * The run's status badge, live: shares the progress query (one poll for both),
 * so the page header turns final the moment the run ends.
 */
export function LiveRunStatus({ platformId, runId, initial }: { platformId: string; runId: string; initial: SyncRunProgress }) {
  const { data } = useLiveRun(platformId, runId, initial);
  const status = data?.status ?? initial.status;
  return (
    <span data-testid="run-status" data-status={status} aria-live="polite">
      <SyncStatusBadge status={status} />
    </span>
  );
}

/**
 * The status, duration and counts cells of a history row whose run is queued
 * or running: live, with its progress bar. When the run ends the page
 * refreshes and the row is rendered as a finished one.
 */
export function LiveRunCells({ platformId, runId, initial }: { platformId: string; runId: string; initial: SyncRunProgress }) {
  const { data = initial } = useLiveRun(platformId, runId, initial, true);
  const done = data.progressDone || data.fetched;
  const kind = data.kind === "CATALOGUE" ? "Catalogue sync" : "Statistics sync";
  return (
    <>
      <td className="px-4 py-2">
        <span aria-live="polite" data-testid="row-status" data-status={data.status}>
          <SyncStatusBadge status={data.status} />
        </span>
      </td>
      <td className="px-4 py-2 tabular-nums">{data.final ? formatDuration(data.durationMs) : "—"}</td>
      <td className="min-w-56 px-4 py-2 text-slate-700">
        {!data.final && <ProgressBar value={done} max={data.progressTotal} label={`${kind} progress`} />}
        <span className="mt-1 block" data-testid="run-counts">
          {liveCounts(data)}
          {data.progressTotal !== null && !data.final && ` · ${formatNumber(done)} of ${formatNumber(data.progressTotal)}`}
        </span>
        {data.errorMessage && <span className="block text-red-700">{data.errorMessage}</span>}
      </td>
    </>
  );
}

const ENDED_HEADING = { SUCCEEDED: "finished", NEEDS_REVIEW: "finished and needs review", FAILED: "failed" } as const;

/**
 * The connector page's box for the catalogue run the server found active.
 * Its heading reads the live status, not the server's: the run may end before
 * the page's refresh lands (or the refresh may be dropped, or the page come
 * back from the browser's history), and the box must not say "in progress"
 * under a finished run's badge.
 */
export function ActiveRunBox({ platformId, runId, initial }: { platformId: string; runId: string; initial: SyncRunProgress }) {
  const { data = initial } = useLiveRun(platformId, runId, initial);
  const kind = data.kind === "CATALOGUE" ? "Catalogue sync" : "Statistics sync";
  const heading = data.final ? `${kind} ${ENDED_HEADING[data.status as keyof typeof ENDED_HEADING]}` : `${kind} in progress`;
  return (
    <div className="mt-6 rounded-md border border-brand-100 bg-brand-50 p-4" data-testid="active-run-box">
      <h3 className="mb-2 text-sm font-medium">{heading}</h3>
      <RunProgress platformId={platformId} runId={runId} initial={initial} showLink />
    </div>
  );
}
