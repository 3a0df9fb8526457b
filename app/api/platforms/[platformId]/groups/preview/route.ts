import { z } from "zod";
import { authorize, deniedResponse } from "@/lib/auth/session";
import { previewReceivingGroups } from "@/lib/catalogue/visibility";
import { rolesFor } from "@/lib/auth/permissions";

export const dynamic = "force-dynamic";

const querySchema = z.object({ groupId: z.string().trim().min(1).max(64) });

/** The groups that would receive the Coursera courses if `groupId` were the synchronized group (connector setup preview). */
export async function GET(request: Request, { params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  const access = await authorize(rolesFor("connector.syncGroup"), platformId);
  if (!access.ok) return deniedResponse(access);
  const query = querySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return Response.json({ error: "INVALID_INPUT", message: "Choose a group." }, { status: 400 });
  // The group is looked up with the platform in the query itself: another platform's group id previews nothing.
  const groups = await previewReceivingGroups(platformId, query.data.groupId);
  if (groups.length === 0) return Response.json({ error: "NOT_FOUND", message: "No such group on this platform." }, { status: 404 });
  return Response.json({ groups });
}
