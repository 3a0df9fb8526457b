import "server-only";
import { db } from "@/lib/db";

/**
 * What the connector page shows. The secret itself is never selected: only
 * whether one is set and its last four characters.
 */
export async function getConnectorSettings(platformId: string) {
  const connector = await db.courseraConnector.findUnique({
    where: { platformId },
    select: {
      id: true,
      enabled: true,
      enabledAt: true,
      syncGroupId: true,
      orgId: true,
      clientId: true,
      clientSecretLast4: true,
      credentialsUpdatedAt: true,
      syncGroup: { select: { id: true, name: true } },
    },
  });
  if (!connector) return null;
  return { ...connector, secretSet: connector.clientSecretLast4 !== null };
}

/**
 * The other platforms connected to a Coursera organisation (org ids compared
 * case-insensitively: a different spelling is not a different organisation).
 */
export async function otherPlatformsUsingOrg(
  orgId: string,
  platformId: string,
  tx: Pick<typeof db, "$queryRaw"> = db,
): Promise<{ platformId: string; platformName: string }[]> {
  return tx.$queryRaw<{ platformId: string; platformName: string }[]>`
    SELECT c."platformId", p."name" AS "platformName"
      FROM "CourseraConnector" c JOIN "Platform" p ON p."id" = c."platformId"
     WHERE lower(c."orgId") = lower(${orgId}) AND c."platformId" <> ${platformId}
     ORDER BY p."name"`;
}

/**
 * Whether a platform may use a Coursera organisation: no other platform is
 * connected to it, or a CSM allowed this platform to share it, or this
 * platform already holds it and was set up before the others that hold it
 * without an allowance (a second connection saved before the check existed
 * neither syncs nor can be saved again; the first keeps working).
 */
export async function mayUseOrg(platformId: string, orgId: string, tx: Pick<typeof db, "$queryRaw"> = db): Promise<boolean> {
  const rows = await tx.$queryRaw<{ platformId: string; holds: boolean; allowed: boolean }[]>`
    SELECT c."platformId",
           lower(c."orgId") = lower(${orgId}) AS "holds",
           c."sharedOrgAllowedFor" IS NOT NULL AND lower(c."sharedOrgAllowedFor") = lower(${orgId}) AS "allowed"
      FROM "CourseraConnector" c
     WHERE lower(c."orgId") = lower(${orgId}) OR c."platformId" = ${platformId}
     ORDER BY c."createdAt" ASC, c."id" ASC`;
  const own = rows.find((r) => r.platformId === platformId);
  if (own?.allowed) return true;
  const holders = rows.filter((r) => r.holds && !r.allowed);
  const others = holders.filter((r) => r.platformId !== platformId);
  if (others.length === 0) return true;
  return own?.holds === true && holders[0].platformId === platformId;
}
