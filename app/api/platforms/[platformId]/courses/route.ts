import { authorize, deniedResponse } from "@/lib/auth/session";
import { rolesFor } from "@/lib/auth/permissions";
import { listAdminCoursesTable, parseCourseListParams } from "@/lib/catalogue/queries";

export const dynamic = "force-dynamic";

/**
 * A page of the admin courses table (search, filters, sort, page: the page's
 * own URL parameters), for the table's searches and clicks after its first,
 * server-rendered page. Unreadable parameters fall back to their defaults, one
 * at a time, as on the page.
 */
export async function GET(request: Request, { params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  const access = await authorize(rolesFor("read"), platformId);
  if (!access.ok) return deniedResponse(access);
  const query = parseCourseListParams(new URL(request.url).searchParams);
  return Response.json(await listAdminCoursesTable(platformId, query), { headers: { "cache-control": "no-store" } });
}
