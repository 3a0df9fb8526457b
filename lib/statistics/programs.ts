import "server-only";
import { db, Prisma } from "@/lib/db";
import type { CompletionStatus } from "@/lib/generated/prisma/enums";

/**
 * Program sessions and Coursera statistics.
 *
 * A Coursera step is STARTED once Coursera reports the learner started the
 * course (activity or any progress), which lets them continue to the next
 * step: Coursera courses take weeks and the platform cannot see inside them.
 * It is COMPLETED when Coursera reports completion, and only completed steps
 * count toward the session's progress. Native steps are unlocked past only
 * when COMPLETED (the platform tracks those itself). StepProgress never goes
 * down: PostgreSQL orders the StepStatus enum NOT_STARTED < STARTED < COMPLETED,
 * so GREATEST keeps the furthest status.
 */

export interface ChangedStat {
  userId: string;
  courseId: string;
  status: CompletionStatus;
  lastActivityAt: Date | null;
  completedAt: Date | null;
  reportedAt: Date | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * Upserts the StepProgress of every session step whose course is one of the
 * given (user, course) statistics, for sessions the user is enrolled in.
 * Returns the number of StepProgress rows created or moved forward.
 */
export async function upsertStepProgressFromStats(tx: Prisma.TransactionClient, platformId: string, stats: ChangedStat[]): Promise<number> {
  const started = stats.filter((s) => s.status !== "NOT_STARTED");
  if (started.length === 0) return 0;
  // Most platforms have no session with learners in it: one cheap probe spares the join below.
  const sessions = await tx.$queryRaw<{ one: number }[]>`
    SELECT 1 AS "one" FROM "Program" pr
    JOIN "ProgramSession" ss ON ss."programId" = pr."id"
    WHERE pr."platformId" = ${platformId} AND EXISTS (SELECT 1 FROM "SessionEnrollment" se WHERE se."sessionId" = ss."id")
    LIMIT 1`;
  if (sessions.length === 0) return 0;
  const payload = JSON.stringify(
    started.map((s) => ({
      userId: s.userId,
      courseId: s.courseId,
      status: s.status === "COMPLETED" ? "COMPLETED" : "STARTED",
      startedAt: iso(s.lastActivityAt ?? s.reportedAt),
      completedAt: s.status === "COMPLETED" ? iso(s.completedAt ?? s.reportedAt) : null,
    })),
  );
  return tx.$executeRaw`
    INSERT INTO "StepProgress" AS p ("sessionId", "stepId", "userId", "status", "startedAt", "completedAt", "updatedAt")
    SELECT se."sessionId", ps."id", se."userId", x."status"::"StepStatus",
           x."startedAt" AT TIME ZONE 'UTC', x."completedAt" AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${payload}::jsonb) AS x("userId" text, "courseId" text, "status" text, "startedAt" timestamptz, "completedAt" timestamptz)
    JOIN "ProgramStep" ps ON ps."courseId" = x."courseId"
    JOIN "ProgramSession" ss ON ss."programId" = ps."programId"
    JOIN "SessionEnrollment" se ON se."sessionId" = ss."id" AND se."userId" = x."userId"
    ON CONFLICT ("sessionId", "stepId", "userId") DO UPDATE SET
      "status" = GREATEST(p."status", EXCLUDED."status"),
      "startedAt" = COALESCE(p."startedAt", EXCLUDED."startedAt"),
      "completedAt" = COALESCE(p."completedAt", EXCLUDED."completedAt"),
      "updatedAt" = EXCLUDED."updatedAt"
    WHERE p."status" < EXCLUDED."status"
       OR (p."startedAt" IS NULL AND EXCLUDED."startedAt" IS NOT NULL)
       OR (p."completedAt" IS NULL AND EXCLUDED."completedAt" IS NOT NULL)`;
}

/**
 * Brings StepProgress up to date with every stored statistic, for a whole
 * platform or one user/session. The sync calls it once at the end of a run;
 * enrolling a learner in a session (or adding a Coursera step to a program)
 * should call it for that session, since statistics may predate the enrolment.
 * Writes nothing when everything already agrees.
 */
export async function reconcileStepProgress(
  filter: { platformId: string; userId?: string; sessionId?: string },
  tx: Prisma.TransactionClient = db,
): Promise<number> {
  const userFilter = filter.userId ? Prisma.sql`AND se."userId" = ${filter.userId}` : Prisma.empty;
  const sessionFilter = filter.sessionId ? Prisma.sql`AND se."sessionId" = ${filter.sessionId}` : Prisma.empty;
  return tx.$executeRaw`
    INSERT INTO "StepProgress" AS p ("sessionId", "stepId", "userId", "status", "startedAt", "completedAt", "updatedAt")
    SELECT se."sessionId", ps."id", se."userId",
           (CASE WHEN st."status" = 'COMPLETED' THEN 'COMPLETED' ELSE 'STARTED' END)::"StepStatus",
           COALESCE(st."lastActivityAt", st."reportedAt", st."updatedAt"),
           CASE WHEN st."status" = 'COMPLETED' THEN COALESCE(st."completedAt", st."reportedAt", st."updatedAt") END,
           now() AT TIME ZONE 'UTC'
    FROM "Program" pr
    JOIN "ProgramStep" ps ON ps."programId" = pr."id"
    JOIN "Course" c ON c."id" = ps."courseId" AND c."source" = 'COURSERA'
    JOIN "ProgramSession" ss ON ss."programId" = pr."id"
    JOIN "SessionEnrollment" se ON se."sessionId" = ss."id"
    JOIN "LearnerCourseStat" st ON st."userId" = se."userId" AND st."courseId" = ps."courseId" AND st."status" <> 'NOT_STARTED'
    WHERE pr."platformId" = ${filter.platformId} ${userFilter} ${sessionFilter}
    ON CONFLICT ("sessionId", "stepId", "userId") DO UPDATE SET
      "status" = GREATEST(p."status", EXCLUDED."status"),
      "startedAt" = COALESCE(p."startedAt", EXCLUDED."startedAt"),
      "completedAt" = COALESCE(p."completedAt", EXCLUDED."completedAt"),
      "updatedAt" = EXCLUDED."updatedAt"
    WHERE p."status" < EXCLUDED."status"
       OR (p."startedAt" IS NULL AND EXCLUDED."startedAt" IS NOT NULL)
       OR (p."completedAt" IS NULL AND EXCLUDED."completedAt" IS NOT NULL)`;
}
