import { authorize, deniedResponse } from "@/lib/auth/session";
import { csvResponse } from "@/lib/csv";
import { CSV_HEADER, learnerStatCsvLine } from "@/lib/statistics/csv";
import { parseStatisticsParams } from "@/lib/statistics/params";
import { iterateLearnerStats } from "@/lib/statistics/queries";
import { rolesFor } from "@/lib/auth/permissions";

export const dynamic = "force-dynamic";

/**
 * CSV of exactly the rows the statistics page's filters select (no paging),
 * streamed in batches so a platform's 500,000 rows never sit in memory.
 */
export async function GET(request: Request, { params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  const access = await authorize(rolesFor("read"), platformId);
  if (!access.ok) return deniedResponse(access);
  const filters = parseStatisticsParams(new URL(request.url).searchParams);
  return csvResponse({
    batches: iterateLearnerStats(platformId, filters),
    header: CSV_HEADER,
    line: learnerStatCsvLine,
    name: "learner-statistics",
    what: "statistics",
  });
}
