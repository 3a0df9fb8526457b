import type { Metadata } from "next";
import { requirePlatformAccess } from "@/lib/auth/session";
import { listUnmatchedIdentities } from "@/lib/statistics/unmatched-queries";
import { getStatisticsFreshness } from "@/lib/statistics/queries";
import Link from "next/link";
import { Badge } from "@/components/badge";
import { formatDateTime, formatNumber } from "@/components/format";
import { Pagination } from "@/components/pagination";
import { IdentityActions } from "./_components/link-identity";

export const metadata: Metadata = { title: "Unmatched learners" };

export default async function UnmatchedPage({
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
  const [inbox, freshness] = await Promise.all([listUnmatchedIdentities(platformId, { page }), getStatisticsFreshness(platformId)]);
  // An empty inbox before any statistics sync says nothing about matching yet.
  const neverSynced = !freshness?.last;

  return (
    <main className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Unmatched learners</h1>
        <p className="mt-1 text-sm text-slate-600">
          Coursera records that matched no user of the platform (or no course yet): {formatNumber(inbox.records)} record
          {inbox.records === 1 ? "" : "s"} from {formatNumber(inbox.identities)} identit{inbox.identities === 1 ? "y" : "ies"}. Link an
          identity to a user and its statistics are applied at once and in every future sync.
        </p>
      </header>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-sm">
          <caption className="sr-only">Unmatched Coursera identities</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">
                Coursera learner
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Why
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Courses
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Last seen
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {inbox.rows.length === 0 ? (
              <tr>
                <td colSpan={5} className="px-4 py-8 text-center text-slate-600">
                  {neverSynced ? (
                    <>
                      No statistics sync has succeeded yet: the Coursera learners who match no user appear here after the first one.{" "}
                      <Link href={`/p/${platformId}/syncs`} className="font-medium text-brand-700 underline">
                        Sync history
                      </Link>{" "}
                      runs one now.
                    </>
                  ) : (
                    "Nothing to resolve: every Coursera record matched a user."
                  )}
                </td>
              </tr>
            ) : (
              inbox.rows.map((r) => {
                const label = r.fullName ?? r.email ?? r.externalId ?? r.identityKey;
                return (
                  <tr key={r.identityKey}>
                    <td className="px-4 py-2">
                      <span className="block font-medium">{label}</span>
                      <span className="block text-xs text-slate-600">
                        {[r.email, r.externalId && `id ${r.externalId}`].filter(Boolean).join(" · ")}
                      </span>
                    </td>
                    <td className="px-4 py-2">
                      <span className="flex flex-wrap gap-1">
                        {r.reasons.map((reason) => (
                          <Badge key={reason} tone={reason === "NO_USER" ? "warning" : "neutral"}>
                            {reason === "NO_USER" ? "No such user" : "Course not synced yet"}
                          </Badge>
                        ))}
                      </span>
                    </td>
                    <td className="px-4 py-2">
                      {formatNumber(r.records)}: {r.contents.join(", ")}
                      {r.records > r.contents.length ? "…" : ""}
                    </td>
                    <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(r.lastSeenAt)}</td>
                    <td className="px-4 py-2">
                      <IdentityActions
                        platformId={platformId}
                        identityKey={r.identityKey}
                        label={label}
                        suggestion={r.fullName?.split(" ")[0] ?? r.email?.split("@")[0] ?? ""}
                      />
                    </td>
                  </tr>
                );
              })
            )}
          </tbody>
        </table>
      </div>
      <Pagination page={inbox.page} pageSize={inbox.pageSize} total={inbox.identities} label="identities" />
    </main>
  );
}
