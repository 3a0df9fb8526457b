import { authorize, deniedResponse } from "@/lib/auth/session";
import { rolesFor } from "@/lib/auth/permissions";
import { countUnreadNotifications } from "@/lib/alerts/queries";

export const dynamic = "force-dynamic";

/** The bell's count: the signed-in admin's or CSM's unread notifications (their own, whatever the query says). */
export async function GET() {
  const access = await authorize(rolesFor("alerts.own"));
  if (!access.ok) return deniedResponse(access);
  return Response.json({ unread: await countUnreadNotifications(access.user.id) }, { headers: { "cache-control": "no-store" } });
}
