import { z } from "zod";
import { authorize, deniedResponse } from "@/lib/auth/session";
import { previewReceivingGroups } from "@/lib/catalogue/visibility";
import { rolesFor } from "@/lib/auth/permissions";
import { parseSearchParams, rowIdSchema } from "@/lib/input/text";

export const dynamic = "force-dynamic";

const querySchema = z.object({ groupId: rowIdSchema().optional() });

/** The groups that would receive the Coursera courses if `groupId` were the synchronized group (connector setup preview). */
export async function GET(request: Request, { params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  const access = await authorize(rolesFor("connector.syncGroup"), platformId);
  if (!access.ok) return deniedResponse(access);
  const { groupId } = parseSearchParams(querySchema, new URL(request.url).searchParams);
  if (!groupId) return Response.json({ error: "INVALID_INPUT", message: "Choose a group." }, { status: 400 });
  // The group is looked up with the platform in the query itself: another platform's group id previews nothing.
  const groups = await previewReceivingGroups(platformId, groupId);
  if (groups.length === 0) return Response.json({ error: "NOT_FOUND", message: "No such group on this platform." }, { status: 404 });
  return Response.json({ groups });
}
