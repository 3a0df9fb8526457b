import { notFound } from "next/navigation";
import { requirePlatformAccess } from "@/lib/auth/session";
import { getPlatformOverview } from "@/lib/platforms/queries";
import { getScheduleSettings } from "@/lib/schedules/queries";
import { listOpenIncidents } from "@/lib/alerts/queries";
import Link from "next/link";
import { Badge, SyncStatusBadge } from "@/components/badge";
import { formatDateTime, formatNumber } from "@/components/format";
import { NextSyncs } from "./_components/next-syncs";
import { LockedAccounts } from "@/components/locked-accounts";
import { listLockedAccounts } from "@/lib/auth/queries";
import { unlockAccountAction } from "./actions";
import { needsReviewHint } from "./_components/run-labels";

export default async function PlatformOverviewPage({ params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  await requirePlatformAccess(platformId);
  const [overview, schedule, alerts, locked] = await Promise.all([
    getPlatformOverview(platformId),
    getScheduleSettings(platformId),
    listOpenIncidents(platformId),
    listLockedAccounts(platformId),
  ]);
  if (!overview) notFound();
  const connector = overview.connector;
  return (
    <main className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">{overview.name}</h1>
        <p className="mt-1 text-sm text-slate-600">Coursera connector overview</p>
      </header>
      <section aria-labelledby="connector-heading" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="connector-heading" className="font-medium">
          Connector
        </h2>
        <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-3">
          <div>
            <dt className="text-slate-600">Status</dt>
            <dd>{connector?.enabled ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Synchronized group</dt>
            <dd>{connector?.syncGroup?.name ?? "Not chosen"}</dd>
          </div>
          <div>
            <dt className="text-slate-600">Credentials</dt>
            <dd>
              {connector?.clientSecretLast4
                ? `Org ${connector.orgId} · client ${connector.clientId} · secret set (…${connector.clientSecretLast4})`
                : "Not entered"}
            </dd>
          </div>
        </dl>
        {schedule && connector?.enabled && connector.clientSecretLast4 && (
          <div className="mt-4 border-t border-slate-100 pt-4">
            <NextSyncs next={schedule.next} />
          </div>
        )}
      </section>
      {alerts.length > 0 && (
        <section aria-labelledby="alerts-heading" className="rounded-lg border border-red-200 bg-red-50 p-5">
          <h2 id="alerts-heading" className="font-medium text-red-900">
            Open alerts
          </h2>
          <ul className="mt-2 space-y-2 text-sm">
            {alerts.map((a) => (
              <li key={a.id} data-testid="open-alert">
                <span className="font-medium">{a.title}</span> <span className="text-slate-600">since {formatDateTime(a.openedAt)}</span>
                <p className="text-slate-800">{a.summary}</p>
                <Link href={a.path} className="text-brand-700 underline">
                  See what happened and what to do
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-label="Counts" className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {[
          ["Coursera courses", overview.courseraCourses],
          ["Retired courses", overview.retiredCourses],
          ["Learners", overview.learners],
          ["Unmatched Coursera records", overview.openUnmatched],
        ].map(([label, value]) => (
          <div key={label} className="rounded-lg border border-slate-200 bg-white p-4">
            <p className="text-sm text-slate-600">{label}</p>
            <p className="mt-1 text-2xl font-semibold tabular-nums">{formatNumber(value as number)}</p>
          </div>
        ))}
      </section>
      <section aria-labelledby="locked-heading" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="locked-heading" className="font-medium">
          Locked sign-ins
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          After repeated wrong passwords an account pauses sign-in for a while, longer with each failure. Unlock it once you know the person
          is the one trying.
        </p>
        <LockedAccounts accounts={locked} unlock={unlockAccountAction.bind(null, platformId)} />
      </section>
      <section aria-labelledby="runs-heading" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="runs-heading" className="font-medium">
          Recent syncs
        </h2>
        {overview.recentRuns.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No sync has run yet.</p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-100 text-sm">
            {overview.recentRuns.map((run) => {
              const review = needsReviewHint(platformId, run);
              return (
                <li key={run.id} className="py-2" data-testid="recent-run" data-status={run.status}>
                  <div className="flex flex-wrap items-center gap-3">
                    <SyncStatusBadge status={run.status} />
                    <Link href={`/p/${platformId}/syncs/${run.id}`} className="font-medium text-brand-700 underline">
                      {run.kind === "CATALOGUE" ? "Catalogue" : "Statistics"}
                    </Link>
                    <span className="text-slate-600">{formatDateTime(run.queuedAt)}</span>
                    {run.errorMessage && <span className="text-red-700">{run.errorMessage}</span>}
                  </div>
                  {review && (
                    <p className="mt-1 text-slate-800" data-testid="review-hint">
                      {review.sentence}{" "}
                      <Link href={review.href} className="text-brand-700 underline">
                        {review.linkLabel}
                      </Link>
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </main>
  );
}
