import { authorize, deniedResponse } from "@/lib/auth/session";
import { searchSkills } from "@/lib/skills/queries";
import { rolesFor } from "@/lib/auth/permissions";
import { searchParamText } from "@/lib/input/text";

export const dynamic = "force-dynamic";

/** The platform's skills matching the typed text (the skills editor's typeahead). */
export async function GET(request: Request, { params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  const access = await authorize(rolesFor("skills.change"), platformId);
  if (!access.ok) return deniedResponse(access);
  const q = searchParamText(request.url, "q", 100);
  return Response.json({ skills: await searchSkills(platformId, q) });
}
