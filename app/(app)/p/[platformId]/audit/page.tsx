import type { Metadata } from "next";
import Link from "next/link";
import { requirePlatformAccess } from "@/lib/auth/session";
import { getLastGroupMove } from "@/lib/connectors/queries";
import { UndoGroupMoveButton } from "../_components/undo-group-move";
import { listAuditEntries, parseAuditParams } from "@/lib/audit/queries";
import { formatDateTime } from "@/components/format";
import { Pagination } from "@/components/pagination";

export const metadata: Metadata = { title: "Audit log" };

const ACTION_LABEL: Record<string, string> = {
  "connector.enabled": "Enabled the connector",
  "connector.disabled": "Disabled the connector",
  "connector.sync_group_changed": "Moved the synchronized group",
  "connector.sync_group_move_undone": "Undid a move of the synchronized group",
  "credentials.replaced": "Replaced the Coursera credentials",
  "skills.changed": "Changed skills",
  "sync.started": "Started a sync",
  "catalogue.retirements-applied": "Applied held retirements",
  "catalogue.retirements-dismissed": "Dismissed held retirements",
  "statistics.identity-linked": "Linked a Coursera identity",
  "statistics.unmatched-dismissed": "Dismissed unmatched records",
  "connector.schedule_changed": "Changed the sync schedule",
  "credentials.shared_org_allowed": "Allowed a Coursera organisation shared with another platform",
  "account.unlocked": "Unlocked a sign-in",
};

/** What changed, in words; never a credential value (none is stored in the log). */
function describe(action: string, details: unknown): string {
  const d = (details ?? {}) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.join(", ") : "");
  switch (action) {
    case "connector.enabled":
      return d.groupName ? `Group: ${d.groupName}` : "";
    case "connector.sync_group_changed":
    case "connector.sync_group_move_undone": {
      const move = d.fromGroupName ? `${d.fromGroupName} → ${d.groupName}` : d.groupName ? `Group: ${d.groupName}` : "";
      if (typeof d.learnersLosing !== "number") return move;
      const n = (v: unknown) => (typeof v === "number" ? v : 0);
      return (
        `${move}; ${n(d.groupsGaining)} group(s) gained and ${n(d.groupsLosing)} lost the courses; ` +
        `${n(d.learnersLosing)} learner(s) lost access (${n(d.learnersLosingInProgress)} with a course in progress), ${n(d.learnersGaining)} gained it`
      );
    }
    case "credentials.replaced":
      return [
        d.first ? "first credentials" : null,
        d.orgIdChanged ? "organisation id" : null,
        d.clientIdChanged ? "client id" : null,
        d.secretChanged ? "client secret" : null,
      ]
        .filter(Boolean)
        .join(", ");
    case "skills.changed":
      return [
        d.added ? `added ${list(d.added)}` : null,
        d.removed ? `removed ${list(d.removed)}` : null,
        d.bulk ? `on ${Array.isArray(d.courseIds) ? d.courseIds.length : "?"} courses` : d.courseTitle ? `on “${d.courseTitle}”` : null,
      ]
        .filter(Boolean)
        .join(" ");
    case "sync.started":
      return `${String(d.kind ?? "").toLowerCase()} (${String(d.trigger ?? "").toLowerCase()})`;
    case "statistics.identity-linked":
      return `${d.identityKey} → ${d.userEmail}`;
    case "connector.schedule_changed": {
      const names: Record<string, string> = { timeZone: "time zone", catalogueTime: "catalogue time", statisticsTime: "statistics time" };
      return Object.entries(d)
        .map(([key, change]) => {
          const c = (change ?? {}) as { from?: unknown; to?: unknown };
          return `${names[key] ?? key}: ${String(c.from ?? "default")} → ${String(c.to ?? "default")}`;
        })
        .join("; ");
    }
    case "account.unlocked":
      return String(d.email ?? "");
    case "credentials.shared_org_allowed":
      return `organisation ${String(d.orgId ?? "")}`;
    default:
      return "";
  }
}

export default async function AuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ platformId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { platformId } = await params;
  const user = await requirePlatformAccess(platformId);
  const filters = parseAuditParams(await searchParams);
  const [log, lastMove] = await Promise.all([
    listAuditEntries(platformId, filters),
    user.role === "CSM" ? getLastGroupMove(platformId) : Promise.resolve(null),
  ]);
  // The last move of the synchronized group can be undone from its entry (customer success only, as on the connector page).
  const undoable = lastMove?.undoUntil ? lastMove.auditId : null;

  return (
    <main className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="mt-1 text-sm text-slate-600">Who did what, and when.</p>
      </header>
      <nav aria-label="Filter by action" className="flex flex-wrap gap-2 text-sm">
        <Link
          href={`/p/${platformId}/audit`}
          aria-current={!filters.action ? "page" : undefined}
          className={`rounded-md px-2 py-1 ${!filters.action ? "bg-brand-50 font-medium text-brand-800" : "text-slate-700 hover:bg-slate-100"}`}
        >
          All
        </Link>
        {log.actions.map((a) => (
          <Link
            key={a}
            href={`/p/${platformId}/audit?action=${encodeURIComponent(a)}`}
            aria-current={filters.action === a ? "page" : undefined}
            className={`rounded-md px-2 py-1 ${filters.action === a ? "bg-brand-50 font-medium text-brand-800" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {ACTION_LABEL[a] ?? a}
          </Link>
        ))}
      </nav>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-sm">
          <caption className="sr-only">Audit entries, newest first</caption>
          <thead className="bg-slate-50 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">
                When
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Who
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                What
              </th>
              <th scope="col" className="px-4 py-2 font-medium">
                Details
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {log.rows.length === 0 ? (
              <tr>
                <td colSpan={4} className="px-4 py-8 text-center text-slate-600">
                  Nothing recorded yet.
                </td>
              </tr>
            ) : (
              log.rows.map((e) => (
                <tr key={e.id}>
                  <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(e.createdAt)}</td>
                  <td className="px-4 py-2">{e.actorEmail ?? "System"}</td>
                  <td className="px-4 py-2">{ACTION_LABEL[e.action] ?? e.action}</td>
                  <td className="px-4 py-2 text-slate-700">
                    {describe(e.action, e.details)}
                    {e.id === undoable && (
                      <span className="mt-2 block">
                        <UndoGroupMoveButton platformId={platformId} auditId={e.id} />
                      </span>
                    )}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pagination page={log.page} pageSize={log.pageSize} total={log.total} label="entries" />
    </main>
  );
}
