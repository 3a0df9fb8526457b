import { authorize, deniedResponse } from "@/lib/auth/session";
import { rolesFor } from "@/lib/auth/permissions";
import { newestSyncRunIds } from "@/lib/sync/queries";

export const dynamic = "force-dynamic";

/**
 * The ids of the history's first page (`?kind=CATALOGUE|STATISTICS` as the
 * page filters it), newest first: the open history polls them to show a run
 * started elsewhere (the schedule, another admin) without a reload.
 */
export async function GET(request: Request, { params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  const access = await authorize(rolesFor("read"), platformId);
  if (!access.ok) return deniedResponse(access);
  const kind = new URL(request.url).searchParams.get("kind");
  if (kind !== null && kind !== "CATALOGUE" && kind !== "STATISTICS")
    return Response.json({ error: "INVALID_INPUT", message: "The kind of run is CATALOGUE or STATISTICS." }, { status: 400 });
  const runIds = await newestSyncRunIds(platformId, { kind: kind ?? undefined });
  return Response.json({ runIds }, { headers: { "Cache-Control": "no-store" } });
}
