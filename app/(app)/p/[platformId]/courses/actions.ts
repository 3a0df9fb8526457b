"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { acceptCourseraSkill, attachSkill, bulkChangeSkills, detachSkill } from "@/lib/skills/mutations";
import type { BulkSkillsInput } from "@/lib/skills/schema";
import { gated, type ActionFailure } from "@/lib/auth/gate";

// Shapes only: the domain validates values with lib/skills/schema.ts (shared with the forms).
const id = z.string().max(64);
const name = z.string().max(200);

function revalidateCourses(platformId: string, courseId?: string) {
  revalidatePath(`/p/${platformId}/courses`);
  if (courseId) revalidatePath(`/p/${platformId}/courses/${courseId}`);
}

export async function attachSkillAction(
  platformId: string,
  input: { courseId: string; name: string },
): Promise<{ ok: true; added: boolean; skill: { id: string; name: string } } | ActionFailure> {
  return gated("skills.change", platformId, async (ctx) => {
    const shape = z.object({ courseId: id, name }).safeParse(input);
    if (!shape.success) return { ok: false, code: "INVALID_INPUT", message: "Enter a skill name." };
    const result = await attachSkill({ platformId: ctx.platformId, ...shape.data, actor: ctx.actor });
    if (result.ok) revalidateCourses(ctx.platformId, shape.data.courseId);
    return result;
  });
}

export async function acceptSuggestionAction(
  platformId: string,
  input: { courseId: string; name: string },
): Promise<{ ok: true; added: boolean } | ActionFailure> {
  return gated("skills.change", platformId, async (ctx) => {
    const shape = z.object({ courseId: id, name }).safeParse(input);
    if (!shape.success) return { ok: false, code: "INVALID_INPUT", message: "Choose a suggestion." };
    const result = await acceptCourseraSkill({ platformId: ctx.platformId, ...shape.data, actor: ctx.actor });
    if (result.ok) revalidateCourses(ctx.platformId, shape.data.courseId);
    return result.ok ? { ok: true, added: result.added } : result;
  });
}

export async function detachSkillAction(
  platformId: string,
  input: { courseId: string; skillId: string },
): Promise<{ ok: true; removed: boolean } | ActionFailure> {
  return gated("skills.change", platformId, async (ctx) => {
    const shape = z.object({ courseId: id, skillId: id }).safeParse(input);
    if (!shape.success) return { ok: false, code: "INVALID_INPUT", message: "Choose a skill." };
    const result = await detachSkill({ platformId: ctx.platformId, ...shape.data, actor: ctx.actor });
    if (result.ok) revalidateCourses(ctx.platformId, shape.data.courseId);
    return result;
  });
}

export async function bulkSkillsAction(
  platformId: string,
  input: BulkSkillsInput,
): Promise<{ ok: true; courses: number; links: number } | ActionFailure> {
  return gated("skills.change", platformId, async (ctx) => {
    const shape = z
      .object({ courseIds: z.array(id).max(1000), names: z.array(name).max(100), mode: z.enum(["attach", "detach"]) })
      .safeParse(input);
    if (!shape.success) return { ok: false, code: "INVALID_INPUT", message: "Select courses and enter skills." };
    const result = await bulkChangeSkills({ platformId: ctx.platformId, actor: ctx.actor, ...shape.data });
    if (result.ok) revalidateCourses(ctx.platformId);
    return result;
  });
}
