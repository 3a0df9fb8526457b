import { authorize, deniedResponse } from "@/lib/auth/session";
import { rolesFor } from "@/lib/auth/permissions";
import { csvResponse } from "@/lib/csv";
import { AUDIT_CSV_HEADER, auditCsvLine } from "@/lib/audit/csv";
import { getAuditTimeZone, iterateAuditEntries, parseAuditParams } from "@/lib/audit/queries";

export const dynamic = "force-dynamic";

/** CSV of exactly the entries the audit page's filters select (no paging), streamed in batches. */
export async function GET(request: Request, { params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  const access = await authorize(rolesFor("read"), platformId);
  if (!access.ok) return deniedResponse(access);
  const filters = parseAuditParams(new URL(request.url).searchParams);
  const timeZone = await getAuditTimeZone(platformId);
  return csvResponse({
    batches: iterateAuditEntries(platformId, filters, timeZone),
    header: AUDIT_CSV_HEADER,
    line: auditCsvLine,
    name: "audit-log",
    what: "audit",
  });
}
