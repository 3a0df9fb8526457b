import "server-only";
import { db } from "@/lib/db";
import { findLaunchableCourse } from "@/lib/learning/course-queries";
import { getLearnerSession } from "@/lib/learning/session-queries";
import { isAllowedCourseraUrl } from "@/lib/coursera/urls";
import { env } from "@/lib/env";

export type StartCourseResult =
  | { ok: true; launchUrl: string; launchId: string; stepsStarted: number }
  | { ok: false; code: "NOT_FOUND" | "NO_LAUNCH_URL"; message: string };

/**
 * A learner pressed START on a course. Records their intent (a CourseLaunch:
 * never shown as Coursera's progress) and returns the program-scoped launch
 * URL where Coursera grants access. Started from a session the learner is
 * enrolled in, where the course is an unlocked step, it also marks that step
 * STARTED (which lets them continue to the next step), never moving a step
 * back. A course the learner may not open is NOT_FOUND, whatever the reason.
 */
export async function startCourse(input: {
  userId: string;
  platformId: string;
  courseId: string;
  sessionId?: string | null;
}): Promise<StartCourseResult> {
  const { userId, platformId, courseId } = input;
  const course = await findLaunchableCourse(userId, platformId, courseId);
  if (!course) return { ok: false, code: "NOT_FOUND", message: "This course is not available to you." };
  // Checked again here, whatever the sync stored: START only ever sends a learner to Coursera.
  if (course.source !== "COURSERA" || !isAllowedCourseraUrl(course.launchUrl, "launch", env().COURSERA_ALLOWED_LINK_ORIGINS)) {
    return { ok: false, code: "NO_LAUNCH_URL", message: "This course has no Coursera launch link yet." };
  }
  const launchUrl = course.launchUrl;

  // The session only counts when the learner is enrolled and the course is one of its open steps.
  const session = input.sessionId ? await getLearnerSession(userId, platformId, input.sessionId) : null;
  const stepIds = session?.steps.filter((s) => s.courseId === courseId && s.unlocked).map((s) => s.stepId) ?? [];

  return db.$transaction(async (tx) => {
    const launch = await tx.courseLaunch.create({
      data: { userId, courseId, sessionId: session?.id ?? null },
      select: { id: true },
    });
    let stepsStarted = 0;
    for (const stepId of stepIds) {
      // Insert STARTED, or move NOT_STARTED to STARTED; a STARTED or COMPLETED step is left alone.
      stepsStarted += await tx.$executeRaw`
        INSERT INTO "StepProgress" AS p ("sessionId", "stepId", "userId", "status", "startedAt", "updatedAt")
        VALUES (${session!.id}, ${stepId}, ${userId}, 'STARTED', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
        ON CONFLICT ("sessionId", "stepId", "userId") DO UPDATE SET
          "status" = 'STARTED',
          "startedAt" = COALESCE(p."startedAt", EXCLUDED."startedAt"),
          "updatedAt" = EXCLUDED."updatedAt"
        WHERE p."status" = 'NOT_STARTED'`;
    }
    return { ok: true as const, launchUrl, launchId: launch.id, stepsStarted };
  });
}
