import "server-only";
import { db } from "@/lib/db";
import type { CompletionStatus, ContentType, CourseSource } from "@/lib/generated/prisma/enums";
import { asPartners, type Partner } from "@/lib/learning/partners";
import { accessibleSql } from "@/lib/learning/visibility";

/** One course as a learner sees it, and the check before START. Visibility: lib/learning/visibility.ts. */

export interface LearnerStat {
  status: CompletionStatus;
  progressPercent: number;
  scorePercent: number | null;
  lastActivityAt: Date | null;
  timeSpentMinutes: number;
  completedAt: Date | null;
  reportedAt: Date | null;
}

export interface LearnerCourse {
  id: string;
  title: string;
  description: string;
  source: CourseSource;
  contentType: ContentType;
  language: string | null;
  subtitleLanguages: string[];
  level: string | null;
  durationMinutes: number | null;
  imageUrl: string | null;
  hasLaunchUrl: boolean;
  partners: Partner[];
  instructors: { name: string; title?: string | null }[];
  /** Skills an admin attached to the course. */
  skills: { id: string; name: string }[];
  /** Coursera's numbers for this learner, once a statistics sync brought them. */
  stat: LearnerStat | null;
  /** The learner's own last START: their intent, not Coursera's progress. */
  lastLaunchedAt: Date | null;
}

/** A course the learner may open, or null (unknown, another platform's, retired, or not visible to them). */
export async function getLearnerCourse(userId: string, platformId: string, courseId: string): Promise<LearnerCourse | null> {
  const visible = await db.$queryRaw<{ id: string }[]>`
    SELECT c."id" FROM "Course" c WHERE c."id" = ${courseId} AND ${accessibleSql(userId, platformId)}`;
  if (visible.length === 0) return null;
  const course = await db.course.findUnique({
    where: { id: courseId },
    select: {
      id: true,
      title: true,
      description: true,
      source: true,
      contentType: true,
      language: true,
      subtitleLanguages: true,
      level: true,
      durationMinutes: true,
      imageUrl: true,
      launchUrl: true,
      partners: true,
      instructors: true,
      skills: { select: { skill: { select: { id: true, name: true } } }, orderBy: { skill: { nameKey: "asc" } } },
      stats: {
        where: { userId },
        select: {
          status: true,
          progressPercent: true,
          scorePercent: true,
          lastActivityAt: true,
          timeSpentMinutes: true,
          completedAt: true,
          reportedAt: true,
        },
      },
      launches: { where: { userId }, orderBy: { launchedAt: "desc" }, take: 1, select: { launchedAt: true } },
    },
  });
  if (!course) return null;
  const instructors = Array.isArray(course.instructors)
    ? (course.instructors as unknown[]).filter(
        (i): i is { name: string; title?: string | null } => typeof (i as { name?: unknown })?.name === "string",
      )
    : [];
  return {
    id: course.id,
    title: course.title,
    description: course.description,
    source: course.source,
    contentType: course.contentType,
    language: course.language,
    subtitleLanguages: course.subtitleLanguages,
    level: course.level,
    durationMinutes: course.durationMinutes,
    imageUrl: course.imageUrl,
    hasLaunchUrl: Boolean(course.launchUrl),
    partners: asPartners(course.partners),
    instructors,
    skills: course.skills.map((s) => s.skill),
    stat: course.stats[0] ?? null,
    lastLaunchedAt: course.launches[0]?.launchedAt ?? null,
  };
}

/** The launch URL of a course the learner may open, or null. */
export async function findLaunchableCourse(
  userId: string,
  platformId: string,
  courseId: string,
): Promise<{ id: string; source: CourseSource; launchUrl: string | null } | null> {
  const rows = await db.$queryRaw<{ id: string; source: CourseSource; launchUrl: string | null }[]>`
    SELECT c."id", c."source", c."launchUrl" FROM "Course" c WHERE c."id" = ${courseId} AND ${accessibleSql(userId, platformId)}`;
  return rows[0] ?? null;
}
