import "server-only";
import { db, Prisma } from "@/lib/db";
import { recordAudit } from "@/lib/audit/mutations";
import { isRowId } from "@/lib/input/text";
import {
  attachSkillSchema,
  bulkSkillsSchema,
  detachSkillSchema,
  skillKey,
  uniqueSkillNames,
  type BulkSkillsInput,
} from "@/lib/skills/schema";
import type { Actor, Failure as Failure_ } from "@/lib/result";

/**
 * Skills admins attach to courses. Syncs never touch CourseSkill rows, so what
 * is written here survives every re-sync. Callers (server actions) have
 * checked the role and platform; course ids from the browser are checked
 * against the platform here.
 */

type Failure = Failure_<"INVALID_INPUT" | "COURSE_NOT_FOUND" | "SKILL_NOT_FOUND" | "NOT_A_SUGGESTION">;

/**
 * The platform's skills for these names, created when missing. Race-safe: two
 * admins adding "Python" at once both end up with the one row.
 */
export async function ensureSkills(
  platformId: string,
  names: string[],
  tx: Prisma.TransactionClient = db,
): Promise<{ id: string; name: string }[]> {
  const unique = uniqueSkillNames(names);
  if (unique.length === 0) return [];
  await tx.skill.createMany({ data: unique.map((name) => ({ platformId, name, nameKey: skillKey(name) })), skipDuplicates: true });
  const keys = unique.map(skillKey);
  const rows = await tx.skill.findMany({ where: { platformId, nameKey: { in: keys } }, select: { id: true, name: true, nameKey: true } });
  const byKey = new Map(rows.map((r) => [r.nameKey, r]));
  return keys.map((k) => byKey.get(k)!).map(({ id, name }) => ({ id, name }));
}

function invalid(error: { issues: { path: PropertyKey[]; message: string }[] }): Failure {
  const first = error.issues[0];
  return {
    ok: false,
    code: "INVALID_INPUT",
    message: first?.message ?? "Check the input.",
    fieldErrors: first ? { [String(first.path[0] ?? "form")]: first.message } : undefined,
  };
}

/** Attaches a skill by name (an existing one of the library, or a new one created inline). */
export async function attachSkill(input: {
  platformId: string;
  courseId: string;
  name: string;
  actor: Actor;
}): Promise<{ ok: true; skill: { id: string; name: string }; added: boolean } | Failure> {
  const parsed = attachSkillSchema.safeParse({ courseId: input.courseId, name: input.name });
  if (!parsed.success) return invalid(parsed.error);
  const course = await db.course.findFirst({
    where: { id: parsed.data.courseId, platformId: input.platformId },
    select: { id: true, title: true },
  });
  if (!course) return { ok: false, code: "COURSE_NOT_FOUND", message: "This course is not in this platform." };
  return db.$transaction(async (tx) => {
    const [skill] = await ensureSkills(input.platformId, [parsed.data.name], tx);
    const { count } = await tx.courseSkill.createMany({
      data: [{ courseId: course.id, skillId: skill.id, addedById: input.actor.id }],
      skipDuplicates: true,
    });
    if (count > 0) {
      await recordAudit(
        {
          platformId: input.platformId,
          actor: input.actor,
          action: "skills.changed",
          targetType: "Course",
          targetId: course.id,
          details: { added: [skill.name], courseTitle: course.title },
        },
        tx,
      );
    }
    return { ok: true as const, skill, added: count > 0 };
  });
}

/** Accepts one of Coursera's own skills for the course as an admin skill. */
export async function acceptCourseraSkill(input: { platformId: string; courseId: string; name: string; actor: Actor }) {
  const course = !isRowId(input.courseId)
    ? null
    : await db.course.findFirst({
        where: { id: input.courseId, platformId: input.platformId },
        select: { courseraSkills: true },
      });
  if (!course) return { ok: false as const, code: "COURSE_NOT_FOUND" as const, message: "This course is not in this platform." };
  const offered = Array.isArray(course.courseraSkills) ? (course.courseraSkills as { name?: unknown }[]) : [];
  if (!offered.some((s) => typeof s?.name === "string" && skillKey(s.name) === skillKey(input.name))) {
    return { ok: false as const, code: "NOT_A_SUGGESTION" as const, message: "Coursera does not suggest this skill for this course." };
  }
  return attachSkill(input);
}

export async function detachSkill(input: {
  platformId: string;
  courseId: string;
  skillId: string;
  actor: Actor;
}): Promise<{ ok: true; removed: boolean } | Failure> {
  const parsed = detachSkillSchema.safeParse({ courseId: input.courseId, skillId: input.skillId });
  if (!parsed.success) return invalid(parsed.error);
  // Both ids are checked against the platform in the delete itself.
  const link = await db.courseSkill.findFirst({
    where: {
      courseId: parsed.data.courseId,
      skillId: parsed.data.skillId,
      course: { platformId: input.platformId },
      skill: { platformId: input.platformId },
    },
    select: { courseId: true, skill: { select: { name: true } }, course: { select: { title: true } } },
  });
  if (!link) return { ok: true, removed: false };
  await db.$transaction(async (tx) => {
    await tx.courseSkill.deleteMany({ where: { courseId: link.courseId, skillId: parsed.data.skillId } });
    await recordAudit(
      {
        platformId: input.platformId,
        actor: input.actor,
        action: "skills.changed",
        targetType: "Course",
        targetId: link.courseId,
        details: { removed: [link.skill.name], courseTitle: link.course.title },
      },
      tx,
    );
  });
  return { ok: true, removed: true };
}

/**
 * Attaches or detaches skills on a selection of courses at once. Every course
 * id must be the platform's, or nothing happens: a selection that mixes in a
 * foreign id is a forged request, not a partial success.
 */
export async function bulkChangeSkills(
  input: { platformId: string; actor: Actor } & BulkSkillsInput,
): Promise<{ ok: true; courses: number; links: number } | Failure> {
  const parsed = bulkSkillsSchema.safeParse({ courseIds: input.courseIds, names: input.names, mode: input.mode });
  if (!parsed.success) return invalid(parsed.error);
  const courseIds = [...new Set(parsed.data.courseIds)];
  const owned = await db.course.findMany({ where: { platformId: input.platformId, id: { in: courseIds } }, select: { id: true } });
  if (owned.length !== courseIds.length)
    return { ok: false, code: "COURSE_NOT_FOUND", message: "Some selected courses are not in this platform." };

  return db.$transaction(async (tx) => {
    let links: number;
    let skills: { id: string; name: string }[];
    if (parsed.data.mode === "attach") {
      skills = await ensureSkills(input.platformId, parsed.data.names, tx);
      const data = courseIds.flatMap((courseId) => skills.map((s) => ({ courseId, skillId: s.id, addedById: input.actor.id })));
      links = (await tx.courseSkill.createMany({ data, skipDuplicates: true })).count;
    } else {
      skills = await tx.skill.findMany({
        where: { platformId: input.platformId, nameKey: { in: parsed.data.names.map(skillKey) } },
        select: { id: true, name: true },
      });
      links = skills.length
        ? (await tx.courseSkill.deleteMany({ where: { courseId: { in: courseIds }, skillId: { in: skills.map((s) => s.id) } } })).count
        : 0;
    }
    if (links > 0) {
      await recordAudit(
        {
          platformId: input.platformId,
          actor: input.actor,
          action: "skills.changed",
          targetType: "Course",
          details: { bulk: true, courseIds, [parsed.data.mode === "attach" ? "added" : "removed"]: skills.map((s) => s.name), links },
        },
        tx,
      );
    }
    return { ok: true as const, courses: courseIds.length, links };
  });
}
