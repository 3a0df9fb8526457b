import "server-only";
import { db } from "@/lib/db";
import { seesCourseraSql } from "@/lib/learning/visibility";

/**
 * Whether the learner is offered the platform's Coursera courses, and if not
 * why: a learner outside every receiving group would otherwise wonder why
 * colleagues find Coursera courses and they do not.
 */
export type CourseraOffer = { kind: "none" } | { kind: "offered" } | { kind: "not-in-receiving-group"; groupName: string };

export async function courseraOfferFor(userId: string, platformId: string): Promise<CourseraOffer> {
  const [row] = await db.$queryRaw<{ groupName: string | null; sees: boolean; hasCourses: boolean }[]>`
    SELECT g."name" AS "groupName", ${seesCourseraSql(userId, platformId)} AS sees,
           EXISTS (SELECT 1 FROM "Course" c WHERE c."platformId" = ${platformId} AND c."source" = 'COURSERA' AND c."retiredAt" IS NULL) AS "hasCourses"
      FROM "CourseraConnector" cc JOIN "Group" g ON g."id" = cc."syncGroupId"
     WHERE cc."platformId" = ${platformId} AND cc."enabled" = true`;
  if (!row?.groupName || !row.hasCourses) return { kind: "none" };
  return row.sees ? { kind: "offered" } : { kind: "not-in-receiving-group", groupName: row.groupName };
}
