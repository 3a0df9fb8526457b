import { authorize, deniedResponse } from "@/lib/auth/session";
import { searchPlatformUsers } from "@/lib/statistics/unmatched-queries";
import { rolesFor } from "@/lib/auth/permissions";
import { searchParamText } from "@/lib/input/text";

export const dynamic = "force-dynamic";

/** The platform's users matching a search, for linking an unmatched Coursera identity. */
export async function GET(request: Request, { params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  const access = await authorize(rolesFor("unmatched.link"), platformId);
  if (!access.ok) return deniedResponse(access);
  const q = searchParamText(request.url, "q", 100);
  return Response.json({ users: await searchPlatformUsers(platformId, q) });
}
