import "server-only";
import { db } from "@/lib/db";
import { createHash } from "node:crypto";

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
      importProgramIds: true,
      importContentTypes: true,
      importLanguages: true,
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

/** A group the move's summary names: its id and name (the page shows its path from its own tree). */
export interface ImpactGroup {
  id: string;
  name: string;
}

/**
 * What moving the synchronized group to `toGroupId` changes, computed before
 * the move (the confirmation dialog) and again when it is confirmed:
 * - the groups that gain and lose the Coursera courses (the receiving set of a
 *   group is itself and its public subgroups, through public groups only — the
 *   rule of lib/catalogue/visibility.ts);
 * - the learners who lose access (a member of a group that receives the courses
 *   now and of none that receives them after), and how many of them have a
 *   Coursera course in progress (started, not completed);
 * - the learners who gain access.
 * `fingerprint` names this exact impact: the move is refused when the impact
 * confirmed is not the impact of the moment (the tree or memberships changed).
 */
export interface GroupMoveImpact {
  fromGroup: ImpactGroup | null;
  toGroup: ImpactGroup;
  /** Whether the connector is enabled: a disabled connector shows the courses nowhere, before or after. */
  enabled: boolean;
  gaining: ImpactGroup[];
  losing: ImpactGroup[];
  learnersLosing: number;
  learnersLosingInProgress: number;
  learnersGaining: number;
  fingerprint: string;
}

interface ImpactRow {
  fromGroup: ImpactGroup | null;
  toGroup: ImpactGroup | null;
  enabled: boolean | null;
  gaining: ImpactGroup[] | null;
  losing: ImpactGroup[] | null;
  learnersLosing: number;
  learnersLosingInProgress: number;
  learnersGaining: number;
}

/**
 * One statement: both receiving sets walked from the live tree, their
 * difference, and the learners on either side counted through the memberships
 * (primary key on groupId) and their statistics (unique on userId). `toGroupId`
 * is looked up with the platform in the query itself, so another platform's
 * group is "not found" (null).
 */
export async function computeGroupMoveImpact(
  platformId: string,
  toGroupId: string,
  tx: Pick<typeof db, "$queryRaw"> = db,
): Promise<GroupMoveImpact | null> {
  const [row] = await tx.$queryRaw<ImpactRow[]>`
    WITH RECURSIVE
    connector AS (
      SELECT c."syncGroupId", c."enabled" FROM "CourseraConnector" c WHERE c."platformId" = ${platformId}
    ),
    old_r AS (
      SELECT g."id" FROM "Group" g JOIN connector c ON c."syncGroupId" = g."id" AND c."enabled"
       WHERE g."platformId" = ${platformId}
      UNION
      SELECT child."id" FROM "Group" child JOIN old_r parent ON child."parentId" = parent."id" WHERE child."isPublic"
    ),
    new_r AS (
      SELECT g."id" FROM "Group" g JOIN connector c ON c."enabled"
       WHERE g."id" = ${toGroupId} AND g."platformId" = ${platformId}
      UNION
      SELECT child."id" FROM "Group" child JOIN new_r parent ON child."parentId" = parent."id" WHERE child."isPublic"
    ),
    old_learners AS (
      SELECT DISTINCT m."userId" AS "id" FROM "GroupMembership" m JOIN old_r r ON r."id" = m."groupId"
        JOIN "User" u ON u."id" = m."userId" AND u."role" = 'LEARNER'
    ),
    new_learners AS (
      SELECT DISTINCT m."userId" AS "id" FROM "GroupMembership" m JOIN new_r r ON r."id" = m."groupId"
        JOIN "User" u ON u."id" = m."userId" AND u."role" = 'LEARNER'
    ),
    losers AS (SELECT "id" FROM old_learners EXCEPT SELECT "id" FROM new_learners)
    SELECT
      (SELECT json_build_object('id', g."id", 'name', g."name") FROM "Group" g JOIN connector c ON c."syncGroupId" = g."id") AS "fromGroup",
      (SELECT json_build_object('id', g."id", 'name', g."name") FROM "Group" g
        WHERE g."id" = ${toGroupId} AND g."platformId" = ${platformId}) AS "toGroup",
      (SELECT c."enabled" FROM connector c) AS "enabled",
      (SELECT json_agg(json_build_object('id', g."id", 'name', g."name") ORDER BY g."name", g."id") FROM "Group" g
        WHERE g."id" IN (SELECT "id" FROM new_r EXCEPT SELECT "id" FROM old_r)) AS "gaining",
      (SELECT json_agg(json_build_object('id', g."id", 'name', g."name") ORDER BY g."name", g."id") FROM "Group" g
        WHERE g."id" IN (SELECT "id" FROM old_r EXCEPT SELECT "id" FROM new_r)) AS "losing",
      (SELECT count(*)::int FROM losers) AS "learnersLosing",
      (SELECT count(*)::int FROM losers l
        WHERE EXISTS (SELECT 1 FROM "LearnerCourseStat" s JOIN "Course" co ON co."id" = s."courseId" AND co."source" = 'COURSERA'
                       WHERE s."userId" = l."id" AND s."platformId" = ${platformId} AND s."status" <> 'COMPLETED'
                         AND (s."status" = 'IN_PROGRESS' OR (s."progressPercent" > 0 AND s."progressPercent" < 100)))) AS "learnersLosingInProgress",
      (SELECT count(*)::int FROM (SELECT "id" FROM new_learners EXCEPT SELECT "id" FROM old_learners) x) AS "learnersGaining"`;
  if (!row?.toGroup) return null;
  const impact = {
    fromGroup: row.fromGroup,
    toGroup: row.toGroup,
    enabled: row.enabled === true,
    gaining: row.gaining ?? [],
    losing: row.losing ?? [],
    learnersLosing: row.learnersLosing,
    learnersLosingInProgress: row.learnersLosingInProgress,
    learnersGaining: row.learnersGaining,
  };
  return { ...impact, fingerprint: impactFingerprint(impact) };
}

function impactFingerprint(impact: Omit<GroupMoveImpact, "fingerprint">): string {
  const ids = (groups: ImpactGroup[]) => groups.map((g) => g.id).sort();
  const canonical = JSON.stringify([
    impact.fromGroup?.id ?? null,
    impact.toGroup.id,
    impact.enabled,
    ids(impact.gaining),
    ids(impact.losing),
    impact.learnersLosing,
    impact.learnersLosingInProgress,
    impact.learnersGaining,
  ]);
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 32);
}

/** How long the last move of the synchronized group can be undone in one click (after that, move it back through the picker). */
export const GROUP_MOVE_UNDO_HOURS = 24;
export const GROUP_MOVE_ACTIONS = { moved: "connector.sync_group_changed", undone: "connector.sync_group_move_undone" } as const;

export interface LastGroupMove {
  auditId: string;
  at: Date;
  actorEmail: string | null;
  fromGroup: ImpactGroup | null;
  toGroup: ImpactGroup;
  /** Until when the undo is offered; null when it is not (see `reason`). */
  undoUntil: Date | null;
  reason: string | null;
}

/**
 * The platform's last move of the synchronized group and whether it can be
 * undone: it is the latest move (no move and no undo since), it is less than
 * GROUP_MOVE_UNDO_HOURS old, the connector is enabled and still on the group
 * it moved to, and the group it left still exists. Null when the platform never
 * moved its group (or its last change was an undo).
 */
export async function getLastGroupMove(
  platformId: string,
  now = new Date(),
  tx: Pick<typeof db, "auditLog" | "courseraConnector" | "group"> = db,
): Promise<LastGroupMove | null> {
  const last = await tx.auditLog.findFirst({
    where: { platformId, action: { in: [GROUP_MOVE_ACTIONS.moved, GROUP_MOVE_ACTIONS.undone] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, action: true, createdAt: true, actorEmail: true, targetId: true, details: true },
  });
  if (!last || last.action !== GROUP_MOVE_ACTIONS.moved || !last.targetId) return null;
  const details = (last.details ?? {}) as { fromGroupId?: unknown };
  const fromGroupId = typeof details.fromGroupId === "string" ? details.fromGroupId : null;
  const [connector, groups] = await Promise.all([
    tx.courseraConnector.findUnique({ where: { platformId }, select: { enabled: true, syncGroupId: true } }),
    tx.group.findMany({
      where: { platformId, id: { in: [last.targetId, ...(fromGroupId ? [fromGroupId] : [])] } },
      select: { id: true, name: true },
    }),
  ]);
  const named = new Map(groups.map((g) => [g.id, g]));
  const detailName = (key: string) => {
    const value = (last.details as Record<string, unknown> | null)?.[key];
    return typeof value === "string" ? value : "a deleted group";
  };
  const toGroup = named.get(last.targetId) ?? { id: last.targetId, name: detailName("groupName") };
  const fromGroup = fromGroupId ? (named.get(fromGroupId) ?? { id: fromGroupId, name: detailName("fromGroupName") }) : null;
  const undoUntil = new Date(last.createdAt.getTime() + GROUP_MOVE_UNDO_HOURS * 3_600_000);
  let reason: string | null = null;
  if (now >= undoUntil) reason = `Moves can be undone for ${GROUP_MOVE_UNDO_HOURS} hours; move the group back with the picker instead.`;
  else if (!connector?.enabled) reason = "The connector is disabled.";
  else if (connector.syncGroupId !== last.targetId) reason = "The synchronized group has changed since.";
  else if (!fromGroup || !named.has(fromGroup.id)) reason = "The previous group no longer exists.";
  return {
    auditId: last.id,
    at: last.createdAt,
    actorEmail: last.actorEmail,
    fromGroup,
    toGroup,
    undoUntil: reason ? null : undoUntil,
    reason,
  };
}
