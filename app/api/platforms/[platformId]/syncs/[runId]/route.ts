import { authorize, deniedResponse } from "@/lib/auth/session";
import { getSyncRunProgress } from "@/lib/sync/queries";
import { rolesFor } from "@/lib/auth/permissions";
import { isRowId } from "@/lib/input/text";

export const dynamic = "force-dynamic";

/** A run's live counters, polled by the progress bar while it runs. */
export async function GET(_request: Request, { params }: { params: Promise<{ platformId: string; runId: string }> }) {
  const { platformId, runId } = await params;
  const access = await authorize(rolesFor("read"), platformId);
  if (!access.ok) return deniedResponse(access);
  if (!isRowId(runId)) return Response.json({ error: "NOT_FOUND", message: "No such sync run." }, { status: 404 });
  const run = await getSyncRunProgress(platformId, runId);
  if (!run) return Response.json({ error: "NOT_FOUND", message: "No such sync run." }, { status: 404 });
  return Response.json(run, { headers: { "Cache-Control": "no-store" } });
}
