import { z } from "zod";
import { ROW_ID } from "@/lib/input/text";

/**
 * Skill names as admins type them. "Python", " python " and "PYTHON" are one
 * skill: the key (Skill.nameKey, unique per platform) is the name trimmed,
 * single-spaced and lower-cased; the first spelling entered is kept for display.
 */
export const SKILL_NAME_MAX = 60;

export function normaliseSkillName(name: string): string {
  return name.normalize("NFC").trim().replace(/\s+/g, " ");
}

export function skillKey(name: string): string {
  return normaliseSkillName(name).toLocaleLowerCase("en");
}

export const skillNameSchema = z
  .string()
  .transform(normaliseSkillName)
  .pipe(
    z
      .string()
      .min(1, "Enter a skill name.")
      .max(SKILL_NAME_MAX, `A skill name is at most ${SKILL_NAME_MAX} characters.`)
      // Letters of any script (with their combining marks: Devanagari, Arabic vowels…), digits, and the punctuation real skill names use (C++, C#, Node.js, R&D, UI/UX, "Writing (technical)").
      .regex(
        /^[\p{L}\p{N}][\p{L}\p{M}\p{N} +#./&'()\-:,]*$/u,
        "A skill name starts with a letter or digit and uses letters, digits, spaces and + # . / & ' ( ) - : , only.",
      ),
  );

// Messages of their own: zod's defaults ("Too small: expected string…") are not for admins.
const id = z.string().trim().min(1, "Choose a course or a skill.").regex(ROW_ID, "This course or skill does not exist.");

export const attachSkillSchema = z.object({ courseId: id, name: skillNameSchema });
export const detachSkillSchema = z.object({ courseId: id, skillId: id });

/** Bulk: at most one table page of courses (100) × a handful of skills at a time. */
export const bulkSkillsSchema = z.object({
  courseIds: z.array(id).min(1, "Select at least one course.").max(100, "Select at most 100 courses at a time."),
  names: z.array(skillNameSchema).min(1, "Enter at least one skill.").max(20, "At most 20 skills at a time."),
  mode: z.enum(["attach", "detach"]),
});

export type BulkSkillsInput = z.input<typeof bulkSkillsSchema>;

/** De-duplicates names by key, keeping the first spelling. */
export function uniqueSkillNames(names: string[]): string[] {
  const seen = new Map<string, string>();
  for (const n of names) {
    const name = normaliseSkillName(n);
    const key = skillKey(name);
    if (name && !seen.has(key)) seen.set(key, name);
  }
  return [...seen.values()];
}
