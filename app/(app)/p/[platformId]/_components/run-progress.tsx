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
 * A run's live progress: polls the run's counters every second while it is
 * queued or running, stops when it ends, and then refreshes the server
 * components around it (history, course counts) without reloading the page.
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
  const router = useRouter();
  const { data, isError } = useQuery({
    queryKey: ["sync-run", platformId, runId],
    queryFn: () => fetchProgress(platformId, runId),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.final ? false : 1000),
  });
  const wasFinal = useRef(initial?.final ?? false);
  useEffect(() => {
    if (data?.final && !wasFinal.current) {
      wasFinal.current = true;
      // Deferred: a refresh asked for while the navigation to this page is still committing can be dropped.
      const t = setTimeout(() => router.refresh(), 50);
      return () => clearTimeout(t);
    }
  }, [data?.final, router]);

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
        {data.kind === "CATALOGUE"
          ? `${formatNumber(data.fetched)} fetched · ${formatNumber(data.created)} new · ${formatNumber(data.updated)} updated · ${formatNumber(data.unchanged)} unchanged · ${formatNumber(data.retired)} retired · ${formatNumber(data.invalid)} invalid`
          : `${formatNumber(data.fetched)} fetched · ${formatNumber(data.matched)} matched · ${formatNumber(data.updated)} updated · ${formatNumber(data.unmatched)} unmatched · ${formatNumber(data.invalid)} invalid`}
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
  const { data } = useQuery({
    queryKey: ["sync-run", platformId, runId],
    queryFn: () => fetchProgress(platformId, runId),
    initialData: initial,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.final ? false : 1000),
  });
  const status = data?.status ?? initial.status;
  return (
    <span data-testid="run-status" data-status={status} aria-live="polite">
      <SyncStatusBadge status={status} />
    </span>
  );
}
