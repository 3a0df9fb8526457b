import { z } from "zod";
import { authorize, deniedResponse } from "@/lib/auth/session";
import { rolesFor } from "@/lib/auth/permissions";
import { computeGroupMoveImpact } from "@/lib/connectors/queries";
import { undoImpact } from "@/lib/connectors/mutations";
import { parseSearchParams, rowIdSchema } from "@/lib/input/text";

export const dynamic = "force-dynamic";

const querySchema = z.object({ groupId: rowIdSchema().optional(), undo: rowIdSchema().optional() });

/**
 * What a move of the synchronized group would change, for the confirmation
 * dialog: `groupId` (moving there) or `undo` (undoing the move of that audit
 * entry). The same permission as the move itself.
 */
export async function GET(request: Request, { params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  const access = await authorize(rolesFor("connector.syncGroup"), platformId);
  if (!access.ok) return deniedResponse(access);
  const { groupId, undo } = parseSearchParams(querySchema, new URL(request.url).searchParams);
  if (undo) {
    const result = await undoImpact(platformId, undo);
    if (!result.ok) return Response.json({ error: result.code, message: result.message }, { status: 409 });
    return Response.json({ impact: result.impact });
  }
  if (!groupId) return Response.json({ error: "INVALID_INPUT", message: "Choose a group." }, { status: 400 });
  const impact = await computeGroupMoveImpact(platformId, groupId);
  if (!impact) return Response.json({ error: "NOT_FOUND", message: "No such group on this platform." }, { status: 404 });
  return Response.json({ impact });
}
