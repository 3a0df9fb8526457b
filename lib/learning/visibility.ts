import "server-only";
import { Prisma } from "@/lib/db";
import { visibleGroupIdsSql } from "@/lib/catalogue/visibility";

/**
 * What a learner sees. Every query takes the learner's id and platform and
 * decides visibility in SQL, so a course or session of another platform, or
 * one the learner may not see, is simply not found.
 *
 * Visibility:
 *  - Coursera courses: to members of the groups that receive them (the
 *    connector's synchronized group and its public subgroups, only while the
 *    connector is enabled: lib/catalogue/visibility.ts). Enrolment in a session
 *    does not widen this: Coursera grants access by the synchronized group.
 *  - Native courses: placed (CourseGroup) in one of the learner's groups or in
 *    a group they inherit from (a public group inherits its parent's catalogue,
 *    a private one does not); or a step of a session the learner is enrolled in.
 *  - Retired courses: nowhere.
 */

/** The learner's groups and the ancestors whose catalogue they inherit through public groups. */
export function catalogueGroupIdsSql(userId: string, platformId: string): Prisma.Sql {
  return Prisma.sql`
    WITH RECURSIVE inherited AS (
      SELECT g."id", g."parentId", g."isPublic" FROM "GroupMembership" m
        JOIN "Group" g ON g."id" = m."groupId"
       WHERE m."userId" = ${userId} AND g."platformId" = ${platformId}
      UNION
      SELECT parent."id", parent."parentId", parent."isPublic" FROM "Group" parent
        JOIN inherited child ON parent."id" = child."parentId"
       WHERE child."isPublic" = true
    )
    SELECT "id" FROM inherited`;
}

/** Whether the learner belongs to a group that receives Coursera courses: evaluated once per query. */
export function seesCourseraSql(userId: string, platformId: string): Prisma.Sql {
  return Prisma.sql`EXISTS (
    SELECT 1 FROM "GroupMembership" vm
     WHERE vm."userId" = ${userId} AND vm."groupId" IN (${visibleGroupIdsSql(platformId)}))`;
}

/** Condition on the course aliased `c`: it is in the learner's catalogue. */
export function inCatalogueSql(userId: string, platformId: string): Prisma.Sql {
  return Prisma.sql`(
    c."platformId" = ${platformId} AND c."retiredAt" IS NULL AND (
      (c."source" = 'COURSERA' AND ${seesCourseraSql(userId, platformId)})
      OR (c."source" = 'NATIVE' AND EXISTS (
        SELECT 1 FROM "CourseGroup" cg
         WHERE cg."courseId" = c."id" AND cg."groupId" IN (${catalogueGroupIdsSql(userId, platformId)})))
    ))`;
}

/**
 * The learner's catalogue scope computed once, as CTEs, for a statement that
 * tests many courses in several branches (the search's tiers): whether they see
 * Coursera courses, and the native courses placed in their groups. Use with
 * inCatalogueScopeSql.
 */
export function catalogueScopeCtes(userId: string, platformId: string): Prisma.Sql {
  return Prisma.sql`
    catalogue_coursera AS MATERIALIZED (SELECT ${seesCourseraSql(userId, platformId)} AS sees),
    catalogue_native AS MATERIALIZED (
      SELECT DISTINCT cg."courseId" FROM "CourseGroup" cg WHERE cg."groupId" IN (${catalogueGroupIdsSql(userId, platformId)}))`;
}

/** Condition on the course aliased `c`, inside a statement WITH catalogueScopeCtes: the same as inCatalogueSql. */
export function inCatalogueScopeSql(platformId: string): Prisma.Sql {
  return Prisma.sql`(
    c."platformId" = ${platformId} AND c."retiredAt" IS NULL AND (
      (c."source" = 'COURSERA' AND (SELECT sees FROM catalogue_coursera))
      OR (c."source" = 'NATIVE' AND c."id" IN (SELECT "courseId" FROM catalogue_native))
    ))`;
}

/** Condition on the course aliased `c`: the learner may open it (catalogue, or a native step of their session). */
export function accessibleSql(userId: string, platformId: string): Prisma.Sql {
  return Prisma.sql`(
    ${inCatalogueSql(userId, platformId)}
    OR (c."platformId" = ${platformId} AND c."retiredAt" IS NULL AND c."source" = 'NATIVE' AND EXISTS (
      SELECT 1 FROM "ProgramStep" ps
        JOIN "Program" pr ON pr."id" = ps."programId" AND pr."platformId" = ${platformId}
        JOIN "ProgramSession" ss ON ss."programId" = pr."id"
        JOIN "SessionEnrollment" se ON se."sessionId" = ss."id" AND se."userId" = ${userId}
       WHERE ps."courseId" = c."id"))
  )`;
}
