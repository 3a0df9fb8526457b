import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requirePlatformAccess } from "@/lib/auth/session";
import { isRowId } from "@/lib/input/text";
import { getSyncRun, getSyncRunProgress, runDurationMs } from "@/lib/sync/queries";
import { workerLabel } from "@/lib/sync/worker-identity";
import { Badge, SyncStatusBadge } from "@/components/badge";
import { formatCount, formatDateTime, formatDuration, formatNumber, syncRunName } from "@/components/format";
import { LiveRunStatus, RunProgress } from "../../_components/run-progress";
import { breakdownEquation, countBreakdown, triggerLabel } from "../../_components/run-labels";
import { HeldRetirements } from "../_components/held-retirements";

export const metadata: Metadata = { title: "Sync run" };

const PROBLEM_TONE = { ERROR: "danger", INVALID_RECORD: "warning", WARNING: "info" } as const;
const PROBLEM_LABEL = { ERROR: "Error", INVALID_RECORD: "Invalid record", WARNING: "Warning" } as const;
const EVENT_TONE = { STARTED: "info", RETRYING: "warning", INTERRUPTED: "warning", RESUMED: "info", CONTINUED: "neutral" } as const;
const EVENT_LABEL = {
  STARTED: "Started",
  RETRYING: "Retrying",
  INTERRUPTED: "Interrupted",
  RESUMED: "Resumed",
  CONTINUED: "Continued",
} as const;

export default async function SyncRunPage({ params }: { params: Promise<{ platformId: string; runId: string }> }) {
  const { platformId, runId } = await params;
  await requirePlatformAccess(platformId);
  if (!isRowId(runId)) notFound();
  const run = await getSyncRun(platformId, runId);
  if (!run) notFound();
  const live = run.status === "QUEUED" || run.status === "RUNNING" ? await getSyncRunProgress(platformId, runId) : null;

  const breakdown = countBreakdown(run);

  return (
    <main className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link href={`/p/${platformId}/syncs`} className="text-brand-700 underline">
          Sync history
        </Link>
      </nav>
      <header>
        <h1 className="text-2xl font-semibold">
          {syncRunName(run)} of {formatDateTime(run.startedAt ?? run.queuedAt)}
        </h1>
        {run.mode === "DRY_RUN" && (
          <p className="mt-2 rounded-md bg-sky-50 p-3 text-sm text-sky-900" data-testid="dry-run-summary">
            A dry run: Coursera&apos;s whole listing was read and compared with the catalogue, and nothing was written.{" "}
            {run.status === "SUCCEEDED" &&
              `A catalogue sync now would add ${formatNumber(run.created)}, update ${formatNumber(run.updated)}, restore ${formatNumber(run.restored)} and retire ${formatNumber(run.retired)} course${run.retired === 1 ? "" : "s"}, and leave ${formatNumber(run.unchanged)} unchanged.`}
          </p>
        )}
        {run.kind === "STATISTICS" && (
          <p className="mt-1 text-sm text-slate-600" data-testid="run-mode">
            {run.mode === "FULL"
              ? "Full: the whole of Coursera's report, the daily reconciliation."
              : run.changedSince
                ? `Incremental: only the records with activity or a completion after ${formatDateTime(run.changedSince)} (the last successful sync's start, less Coursera's report lag).`
                : "Incremental, with no earlier successful sync to count from: the whole report was read."}
          </p>
        )}
        <p className="mt-2 flex flex-wrap items-center gap-3 text-sm text-slate-700">
          {live ? (
            <LiveRunStatus platformId={platformId} runId={run.id} initial={live} />
          ) : (
            <span data-testid="run-status" data-status={run.status}>
              <SyncStatusBadge status={run.status} />
            </span>
          )}
          <span data-testid="run-trigger">Started by: {triggerLabel(run)}</span>
          {run.finishedAt && <span>Duration: {formatDuration(runDurationMs(run))}</span>}
          {run.workerId && <span data-testid="run-worker">Worker: {workerLabel(run.workerId)}</span>}
        </p>
      </header>

      {live && (
        <section aria-label="Progress" className="rounded-lg border border-brand-100 bg-white p-5">
          <RunProgress platformId={platformId} runId={run.id} initial={live} />
        </section>
      )}

      {run.errorMessage && (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {run.errorMessage}
        </p>
      )}

      {run.kind === "CATALOGUE" && run.status === "NEEDS_REVIEW" && run.heldRetirements > 0 && (
        <HeldRetirements platformId={platformId} runId={run.id} held={run.heldRetirements} bySelection={run.excluded > 0} />
      )}

      {!live && (
        <section aria-labelledby="counts-heading" className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="counts-heading" className="font-medium">
            Counts
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            What became of each of the {formatCount(breakdown.fetched, "item")} Coursera sent, over {formatCount(run.pages, "page")}:
          </p>
          <p className="mt-2 font-medium tabular-nums" data-testid="counts-equation">
            {breakdownEquation(breakdown, formatNumber)}
          </p>
          <dl className="mt-3 space-y-2 text-sm" data-testid="counts-breakdown">
            {[...breakdown.parts, ...(breakdown.unaccounted !== 0 ? [unaccountedPart(breakdown.unaccounted)] : [])].map((part) => (
              <div key={part.key} className="grid grid-cols-[6rem_1fr] items-baseline gap-x-3" data-key={part.key}>
                <dt className="text-right text-lg font-semibold tabular-nums">{formatNumber(part.value)}</dt>
                <dd>
                  <span className="font-medium">{part.label}</span>
                  {part.explanation && part.value > 0 && <span className="block text-slate-600">{part.explanation}</span>}
                </dd>
              </div>
            ))}
          </dl>
          {breakdown.beside.some((part) => part.value > 0) && (
            <>
              <p className="mt-4 text-sm text-slate-600">Courses that were not in Coursera&apos;s listing (not part of the sum):</p>
              <dl className="mt-2 space-y-2 text-sm" data-testid="counts-beside">
                {breakdown.beside
                  .filter((part) => part.value > 0)
                  .map((part) => (
                    <div key={part.key} className="grid grid-cols-[6rem_1fr] items-baseline gap-x-3">
                      <dt className="text-right text-lg font-semibold tabular-nums">{formatNumber(part.value)}</dt>
                      <dd>
                        <span className="font-medium">{part.label}</span>
                        {part.explanation && <span className="block text-slate-600">{part.explanation}</span>}
                      </dd>
                    </div>
                  ))}
              </dl>
            </>
          )}
        </section>
      )}

      {run.events.length > 1 && (
        <section aria-labelledby="timeline-heading" className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="timeline-heading" className="font-medium">
            Timeline
          </h2>
          <ol className="mt-3 space-y-2 text-sm" data-testid="run-timeline">
            {run.events.map((e) => (
              <li key={e.id} className="flex flex-wrap gap-x-3" data-kind={e.kind}>
                <span className="whitespace-nowrap text-slate-600">{formatDateTime(e.at)}</span>
                <Badge tone={EVENT_TONE[e.kind]}>{EVENT_LABEL[e.kind]}</Badge>
                <span>{e.message}</span>
              </li>
            ))}
          </ol>
        </section>
      )}

      <section aria-labelledby="problems-heading" className="space-y-3">
        <h2 id="problems-heading" className="font-medium">
          Errors and problems ({formatNumber(run.problems.length)}
          {run.invalid > run.problems.length ? ` shown of ${formatNumber(run.invalid)} invalid records` : ""})
        </h2>
        {run.problems.length === 0 ? (
          <p className="text-sm text-slate-600">No problem was recorded for this run.</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-sm">
              <caption className="sr-only">Problems recorded during this run</caption>
              <thead className="bg-slate-50 text-left text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Kind
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Item
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Problem
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    When
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {run.problems.map((p) => (
                  <tr key={p.id}>
                    <td className="px-4 py-2">
                      <Badge tone={PROBLEM_TONE[p.kind]}>{PROBLEM_LABEL[p.kind]}</Badge>
                    </td>
                    <td className="px-4 py-2 font-mono text-xs">{p.itemId ?? "—"}</td>
                    <td className="px-4 py-2">{p.message}</td>
                    <td className="px-4 py-2 whitespace-nowrap text-slate-600">{formatDateTime(p.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </main>
  );
}

/** Shown only when a run's counters do not add up (a page written twice before its record, a course inserted meanwhile). */
function unaccountedPart(value: number) {
  return {
    key: "unaccounted",
    label: "not accounted for",
    value,
    explanation: "Items whose outcome this run did not record; the next sync reads them again.",
  };
}
