import "server-only";
import { db, Prisma } from "@/lib/db";

/**
 * Where Coursera courses are visible: the connector's synchronized group and
 * every public group below it, at any depth, reached through public groups only
 * (a private group keeps its whole subtree out). Computed at query time from
 * the live tree, so a public subgroup created later gets the courses at once,
 * making a group private removes them, and moving the synchronized group moves
 * them. A disabled connector shows them nowhere; nothing is deleted.
 */

/** SQL for the ids of the groups that receive a platform's Coursera courses. */
export function visibleGroupIdsSql(platformId: string): Prisma.Sql {
  return Prisma.sql`
    WITH RECURSIVE receiving AS (
      SELECT g."id" FROM "Group" g
        JOIN "CourseraConnector" c ON c."syncGroupId" = g."id"
       WHERE c."platformId" = ${platformId} AND c."enabled" = true
      UNION
      SELECT child."id" FROM "Group" child
        JOIN receiving parent ON child."parentId" = parent."id"
       WHERE child."isPublic" = true
    )
    SELECT "id" FROM receiving`;
}

export async function listReceivingGroupIds(platformId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>(visibleGroupIdsSql(platformId));
  return rows.map((r) => r.id);
}

/** Whether a learner belongs to at least one group that receives the platform's Coursera courses. */
export async function userSeesCourseraCourses(userId: string, platformId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ visible: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM "GroupMembership" m
       WHERE m."userId" = ${userId} AND m."groupId" IN (${visibleGroupIdsSql(platformId)})
    ) AS visible`;
  return rows[0]?.visible ?? false;
}

/**
 * Preview for the connector setup page: the groups that would receive the
 * courses if `syncGroupId` were chosen (whatever the connector has now).
 */
export async function previewReceivingGroups(
  platformId: string,
  syncGroupId: string,
): Promise<{ id: string; name: string; depth: number }[]> {
  return db.$queryRaw<{ id: string; name: string; depth: number }[]>`
    WITH RECURSIVE receiving AS (
      SELECT g."id", g."name", 0 AS depth FROM "Group" g WHERE g."id" = ${syncGroupId} AND g."platformId" = ${platformId}
      UNION ALL
      SELECT child."id", child."name", parent.depth + 1 FROM "Group" child
        JOIN receiving parent ON child."parentId" = parent."id"
       WHERE child."isPublic" = true
    )
    SELECT "id", "name", depth FROM receiving ORDER BY depth, "name"`;
}
