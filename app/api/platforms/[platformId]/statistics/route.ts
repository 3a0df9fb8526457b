import { authorize, deniedResponse } from "@/lib/auth/session";
import { rolesFor } from "@/lib/auth/permissions";
import { parseStatisticsParams } from "@/lib/statistics/params";
import { getStatisticsView } from "@/lib/statistics/queries";

export const dynamic = "force-dynamic";

/**
 * The statistics page's filtered view (summary, charts' data, a page of the
 * per-learner or per-course table: the page's own URL parameters), for its
 * filters and paging after the first, server-rendered view. Unreadable
 * parameters fall back to their defaults, one at a time, as on the page.
 */
export async function GET(request: Request, { params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  const access = await authorize(rolesFor("read"), platformId);
  if (!access.ok) return deniedResponse(access);
  const query = parseStatisticsParams(new URL(request.url).searchParams);
  return Response.json(await getStatisticsView(platformId, query), { headers: { "cache-control": "no-store" } });
}
