import "server-only";
import { mayUseOrg, otherPlatformsUsingOrg } from "@/lib/connectors/queries";

/**
 * A Coursera organisation belongs to one platform (issue 14 #10): its
 * learners' names, emails and progress come with it. Saving or testing an org
 * id another platform uses is refused unless a CSM deliberately allows this
 * platform to share it (lib/connectors/mutations.ts saveCredentials); a sync of
 * a second connection that predates the check is refused by the client
 * (lib/connectors/coursera-client.ts).
 */

export type OrgInUse = { ok: false; code: "ORG_IN_USE"; message: string; fieldErrors: Record<string, string>; canAllowSharedOrg: boolean };

/** What an admin reads when the org id is another platform's (the other customer is never named to them). */
export const ORG_IN_USE_MESSAGE =
  "This Coursera organisation is already connected to another platform. An organisation's learners and progress belong to one platform: check the organisation id, or ask customer success if this platform must share it.";

/**
 * Refuses an organisation another platform uses, unless this platform may use
 * it (lib/connectors/queries.ts mayUseOrg). A CSM is told which platform, and
 * that they may allow the second connection deliberately.
 */
export async function checkOrgAvailable(input: {
  platformId: string;
  orgId: string;
  canAllowSharedOrg: boolean;
}): Promise<{ ok: true; sharedWith: { platformId: string; platformName: string }[] } | OrgInUse> {
  const others = await otherPlatformsUsingOrg(input.orgId, input.platformId);
  if (others.length === 0 || (await mayUseOrg(input.platformId, input.orgId))) return { ok: true, sharedWith: others };
  const message = input.canAllowSharedOrg
    ? `This Coursera organisation is already connected to ${others.map((o) => o.platformName).join(", ")}. Check the organisation id, or tick "Connect anyway" if this platform deliberately shares it.`
    : ORG_IN_USE_MESSAGE;
  return { ok: false, code: "ORG_IN_USE", message, fieldErrors: { orgId: message }, canAllowSharedOrg: input.canAllowSharedOrg };
}
