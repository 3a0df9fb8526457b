import { authorize, deniedResponse } from "@/lib/auth/session";
import { rolesFor } from "@/lib/auth/permissions";
import { listFleet } from "@/lib/fleet/queries";
import { fleetParamsSchema } from "@/lib/fleet/schema";
import { parseSearchParams } from "@/lib/input/text";

export const dynamic = "force-dynamic";

/**
 * The fleet view's table (customer success only): a page of every platform's
 * connector health, filtered by trouble and platform name, sorted. Unreadable
 * parameters fall back to their defaults, one at a time.
 */
export async function GET(request: Request) {
  const access = await authorize(rolesFor("fleet.read"));
  if (!access.ok) return deniedResponse(access);
  const params = parseSearchParams(fleetParamsSchema, new URL(request.url).searchParams);
  return Response.json(await listFleet(params), { headers: { "cache-control": "no-store" } });
}
