import { authorize, deniedResponse } from "@/lib/auth/session";
import { getPlatformOverview } from "@/lib/platforms/queries";

export const dynamic = "force-dynamic";

/** The platform overview as JSON, for admins of that platform and CSMs. */
export async function GET(_request: Request, { params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  const access = await authorize(["ADMIN", "CSM"], platformId);
  if (!access.ok) return deniedResponse(access);
  const overview = await getPlatformOverview(platformId);
  if (!overview) return Response.json({ error: "NOT_FOUND", message: "No such platform." }, { status: 404 });
  return Response.json(overview);
}
