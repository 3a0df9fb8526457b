import "server-only";
import { db, Prisma } from "@/lib/db";
import type { ContentType, CourseSource, StepStatus } from "@/lib/generated/prisma/enums";
import { mergeStepStatus, sessionPercent, withUnlockState } from "@/lib/learning/unlock";
import { asPartners, type Partner } from "@/lib/learning/partners";
import type { LearnerStat } from "@/lib/learning/course-queries";
import { accessibleSql } from "@/lib/learning/visibility";

/** The learner's program sessions and their steps. Visibility: lib/learning/visibility.ts. */

export interface LearnerStep {
  stepId: string;
  position: number;
  courseId: string;
  title: string;
  source: CourseSource;
  contentType: ContentType;
  durationMinutes: number | null;
  partners: Partner[];
  /** Whether the learner may open the step's course (a retired Coursera course, or one outside their groups, cannot be). */
  available: boolean;
  hasLaunchUrl: boolean;
  status: StepStatus;
  startedAt: Date | null;
  completedAt: Date | null;
  stat: Pick<LearnerStat, "status" | "progressPercent" | "lastActivityAt" | "reportedAt"> | null;
  unlocked: boolean;
}

export interface LearnerSession {
  id: string;
  name: string;
  programName: string;
  programDescription: string;
  startsAt: Date | null;
  endsAt: Date | null;
  steps: LearnerStep[];
  completedSteps: number;
  totalSteps: number;
  percent: number;
}

/** A session the learner is enrolled in, on their platform, with each step's state; null otherwise. */
export async function getLearnerSession(userId: string, platformId: string, sessionId: string): Promise<LearnerSession | null> {
  const session = await db.programSession.findFirst({
    where: { id: sessionId, program: { platformId }, enrollments: { some: { userId } } },
    select: {
      id: true,
      name: true,
      startsAt: true,
      endsAt: true,
      program: {
        select: {
          name: true,
          description: true,
          steps: {
            orderBy: { position: "asc" },
            select: {
              id: true,
              position: true,
              course: {
                select: { id: true, title: true, source: true, contentType: true, durationMinutes: true, partners: true, launchUrl: true },
              },
            },
          },
        },
      },
    },
  });
  if (!session) return null;
  const steps = session.program.steps;
  const courseIds = [...new Set(steps.map((s) => s.course.id))];
  const [progress, stats, accessible] = await Promise.all([
    db.stepProgress.findMany({ where: { sessionId, userId }, select: { stepId: true, status: true, startedAt: true, completedAt: true } }),
    db.learnerCourseStat.findMany({
      where: { userId, courseId: { in: courseIds } },
      select: { courseId: true, status: true, progressPercent: true, lastActivityAt: true, completedAt: true, reportedAt: true },
    }),
    courseIds.length
      ? db.$queryRaw<
          { id: string }[]
        >`SELECT c."id" FROM "Course" c WHERE c."id" IN (${Prisma.join(courseIds)}) AND ${accessibleSql(userId, platformId)}`
      : Promise.resolve([]),
  ]);
  const progressByStep = new Map(progress.map((p) => [p.stepId, p]));
  const statByCourse = new Map(stats.map((s) => [s.courseId, s]));
  const accessibleIds = new Set(accessible.map((r) => r.id));

  const merged = steps.map((step) => {
    const recorded = progressByStep.get(step.id);
    const stat = step.course.source === "COURSERA" ? (statByCourse.get(step.course.id) ?? null) : null;
    const status = mergeStepStatus(recorded?.status, stat?.status);
    return {
      stepId: step.id,
      position: step.position,
      courseId: step.course.id,
      title: step.course.title,
      source: step.course.source,
      contentType: step.course.contentType,
      durationMinutes: step.course.durationMinutes,
      partners: asPartners(step.course.partners),
      available: accessibleIds.has(step.course.id),
      hasLaunchUrl: Boolean(step.course.launchUrl),
      status,
      startedAt: recorded?.startedAt ?? (status !== "NOT_STARTED" ? (stat?.lastActivityAt ?? null) : null),
      completedAt: recorded?.completedAt ?? (status === "COMPLETED" ? (stat?.completedAt ?? null) : null),
      stat: stat
        ? { status: stat.status, progressPercent: stat.progressPercent, lastActivityAt: stat.lastActivityAt, reportedAt: stat.reportedAt }
        : null,
    };
  });
  const withLocks = withUnlockState(merged);
  const { completed, total, percent } = sessionPercent(withLocks);
  return {
    id: session.id,
    name: session.name,
    programName: session.program.name,
    programDescription: session.program.description,
    startsAt: session.startsAt,
    endsAt: session.endsAt,
    steps: withLocks,
    completedSteps: completed,
    totalSteps: total,
    percent,
  };
}

export interface LearnerSessionSummary {
  id: string;
  name: string;
  programName: string;
  startsAt: Date | null;
  endsAt: Date | null;
  completedSteps: number;
  totalSteps: number;
  percent: number;
}

/** The sessions the learner is enrolled in, most recent first, with their progress. */
export async function listLearnerSessions(userId: string, platformId: string): Promise<LearnerSessionSummary[]> {
  const sessions = await db.programSession.findMany({
    where: { program: { platformId }, enrollments: { some: { userId } } },
    orderBy: [{ startsAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
    select: {
      id: true,
      name: true,
      startsAt: true,
      endsAt: true,
      program: { select: { name: true, steps: { select: { id: true, courseId: true, course: { select: { source: true } } } } } },
      progress: { where: { userId }, select: { stepId: true, status: true } },
    },
  });
  const courseIds = [
    ...new Set(sessions.flatMap((s) => s.program.steps.filter((p) => p.course.source === "COURSERA").map((p) => p.courseId))),
  ];
  const stats = courseIds.length
    ? await db.learnerCourseStat.findMany({ where: { userId, courseId: { in: courseIds } }, select: { courseId: true, status: true } })
    : [];
  const statByCourse = new Map(stats.map((s) => [s.courseId, s.status]));
  return sessions.map((s) => {
    const recorded = new Map(s.progress.map((p) => [p.stepId, p.status]));
    const steps = s.program.steps.map((step) => ({
      status: mergeStepStatus(recorded.get(step.id), step.course.source === "COURSERA" ? statByCourse.get(step.courseId) : null),
    }));
    const { completed, total, percent } = sessionPercent(steps);
    return {
      id: s.id,
      name: s.name,
      programName: s.program.name,
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      completedSteps: completed,
      totalSteps: total,
      percent,
    };
  });
}
