import type { Metadata } from "next";
import { requirePlatformAccess } from "@/lib/auth/session";
import { getLastGroupMove } from "@/lib/connectors/queries";
import { UndoGroupMoveButton } from "../_components/undo-group-move";
import { listAuditEntries, parseAuditParams, SYSTEM_ACTOR, type AuditParams } from "@/lib/audit/queries";
import { AuditFilters } from "./_components/audit-filters";
import { buttonClasses } from "@/components/button";
import { formatCount, formatZonedDateTime } from "@/components/format";
import { auditActionLabel, describeAuditEntry } from "@/lib/audit/describe";
import { Pagination } from "@/components/pagination";

export const metadata: Metadata = { title: "Audit log" };

/** The export carries the page's filters, not its page number. */
function exportQuery(p: AuditParams): string {
  const out = new URLSearchParams();
  for (const key of ["action", "actor", "q", "from", "to"] as const) if (p[key]) out.set(key, p[key]);
  const s = out.toString();
  return s ? `?${s}` : "";
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
  const filtered = Boolean(filters.action || filters.actor || filters.q || filters.from || filters.to);
  // The last move of the synchronized group can be undone from its entry (customer success only, as on the connector page).
  const undoable = lastMove?.undoUntil ? lastMove.auditId : null;

  return (
    <main className="space-y-6">
      <header className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Audit log</h1>
          <p className="mt-1 text-sm text-slate-600">Who did what, and when; refused attempts too.</p>
        </div>
        <a href={`/api/platforms/${platformId}/audit/export${exportQuery(filters)}`} className={buttonClasses("secondary")} download>
          Export CSV ({formatCount(log.total, "entry", "entries")})
        </a>
      </header>
      <AuditFilters
        timeZone={log.timeZone}
        actions={log.actions.map((a) => ({ value: a, label: auditActionLabel(a) }))}
        actors={log.actors.map((a) => ({ value: a, label: a === SYSTEM_ACTOR ? "System" : a }))}
      />
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
                  {filtered ? "No entry matches these filters." : "Nothing recorded yet."}
                </td>
              </tr>
            ) : (
              log.rows.map((e) => (
                <tr key={e.id}>
                  <td className="px-4 py-2 whitespace-nowrap">{formatZonedDateTime(e.createdAt, log.timeZone)}</td>
                  <td className="px-4 py-2">{e.actorEmail ?? "System"}</td>
                  <td className="px-4 py-2">{auditActionLabel(e.action)}</td>
                  <td className="px-4 py-2 text-slate-700">
                    {describeAuditEntry(e.action, e.details)}
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
