import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { listPlatformsWithConnectorState, type PlatformRow } from "@/lib/platforms/queries";
import { Badge, SyncStatusBadge, type BadgeTone } from "@/components/badge";
import { formatDateTime, formatNumber } from "@/components/format";
import { LockedAccounts } from "@/components/locked-accounts";
import { listLockedAccounts } from "@/lib/auth/queries";
import { unlockStaffAccountAction } from "./actions";

export const metadata: Metadata = { title: "Platforms" };

/** One word for the connector's state, worst first: what a CSM scans the list for. */
function health(p: PlatformRow): { label: string; tone: BadgeTone } {
  if (!p.connector?.enabled) return { label: "Off", tone: "neutral" };
  if (!p.connector.clientSecretLast4) return { label: "No credentials", tone: "warning" };
  const runs = [p.lastCatalogueRun, p.lastStatisticsRun];
  if (runs.some((r) => r?.status === "FAILED")) return { label: "Failing", tone: "danger" };
  if (runs.some((r) => r?.status === "NEEDS_REVIEW")) return { label: "Needs review", tone: "warning" };
  if (!p.lastCatalogueRun) return { label: "Never synced", tone: "warning" };
  return { label: "Healthy", tone: "success" };
}

export default async function PlatformsPage() {
  await requireRole("CSM");
  const [platforms, lockedStaff] = await Promise.all([listPlatformsWithConnectorState(), listLockedAccounts(null)]);
  return (
    <main className="mx-auto max-w-7xl px-4 py-8">
      <h1 className="text-2xl font-semibold">Customer platforms</h1>
      <p className="mt-1 text-sm text-slate-600">The Coursera connector of every customer at a glance.</p>
      <div className="mt-6 overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-sm">
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">
                Platform
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Connector
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Health
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Synchronized group
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Coursera courses
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Last catalogue sync
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Last statistics sync
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {platforms.map((p) => (
              <tr key={p.id}>
                <td className="px-4 py-2">
                  <Link href={`/p/${p.id}`} className="font-medium text-brand-700 hover:underline">
                    {p.name}
                  </Link>
                </td>
                <td className="px-4 py-2">{p.connector?.enabled ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>} </td>
                <td className="px-4 py-2">
                  <Badge tone={health(p).tone}>{health(p).label}</Badge>
                  {(p.lastCatalogueRun?.errorMessage || p.lastStatisticsRun?.errorMessage) && (
                    <span className="mt-1 block max-w-xs text-xs text-red-700">
                      {p.lastCatalogueRun?.errorMessage ?? p.lastStatisticsRun?.errorMessage}
                    </span>
                  )}
                </td>
                <td className="px-4 py-2">{p.connector?.syncGroup?.name ?? "—"}</td>
                <td className="px-4 py-2 tabular-nums">{formatNumber(p.courseraCourses)}</td>
                <td className="px-4 py-2">
                  {p.lastCatalogueRun ? (
                    <span className="flex items-center gap-2">
                      <SyncStatusBadge status={p.lastCatalogueRun.status} /> {formatDateTime(p.lastCatalogueRun.queuedAt)}
                    </span>
                  ) : (
                    "Never"
                  )}
                </td>
                <td className="px-4 py-2">
                  {p.lastStatisticsRun ? (
                    <span className="flex items-center gap-2">
                      <SyncStatusBadge status={p.lastStatisticsRun.status} /> {formatDateTime(p.lastStatisticsRun.queuedAt)}
                    </span>
                  ) : (
                    "Never"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section aria-labelledby="locked-staff-heading" className="mt-8 rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="locked-staff-heading" className="font-medium">
          Locked staff sign-ins
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Customer success accounts paused after repeated wrong passwords. A platform&apos;s own users are unlocked on its overview page.
        </p>
        <LockedAccounts accounts={lockedStaff} unlock={unlockStaffAccountAction} />
      </section>
    </main>
  );
}
