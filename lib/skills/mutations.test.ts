import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { acceptCourseraSkill, attachSkill, bulkChangeSkills, detachSkill } from "@/lib/skills/mutations";
import { searchSkills } from "@/lib/skills/queries";
import { skillKey, skillNameSchema, uniqueSkillNames } from "@/lib/skills/schema";

/** Skills admins attach: validation, case-insensitive de-duplication, platform scoping, bulk. */

const uid = () => randomUUID().slice(0, 8);

afterAll(async () => {
  await disconnectDb();
});

async function world(courses = 3) {
  const tag = uid();
  const platform = await db.platform.create({ data: { name: `Skills ${tag}`, slug: `skills-${tag}` } });
  const admin = await db.user.create({
    data: { platformId: platform.id, email: `admin-${tag}@skills.test`, name: "Admin", role: "ADMIN" },
  });
  const ids: string[] = [];
  for (let i = 0; i < courses; i++) {
    const c = await db.course.create({
      data: {
        platformId: platform.id,
        source: "COURSERA",
        courseraContentId: `${tag}-${i}`,
        title: `Course ${i}`,
        courseraSkills: [{ id: "k1", name: "Machine Learning" }],
      },
    });
    ids.push(c.id);
  }
  return { platformId: platform.id, actor: { id: admin.id, email: admin.email }, courseIds: ids };
}

const skillsOf = async (courseId: string) =>
  (await db.courseSkill.findMany({ where: { courseId }, select: { skill: { select: { name: true } } } })).map((s) => s.skill.name).sort();

describe("skill names", () => {
  it("are trimmed, single-spaced and compared case-insensitively", () => {
    expect(skillNameSchema.parse("  Machine   learning ")).toBe("Machine learning");
    expect(skillKey(" PYTHON ")).toBe(skillKey("python"));
    expect(uniqueSkillNames(["Python", " python ", "PYTHON", "C++", "c++ "])).toEqual(["Python", "C++"]);
  });

  it("accept real names and refuse empty, overlong and markup", () => {
    for (const ok of ["C#", "Node.js", "UI/UX", "R&D", "Écriture (technique)", "数据分析"])
      expect(skillNameSchema.safeParse(ok).success, ok).toBe(true);
    for (const bad of ["", "   ", "x".repeat(61), "<script>", "-dash first", "a;b"])
      expect(skillNameSchema.safeParse(bad).success, bad).toBe(false);
  });
});

describe("attachSkill / detachSkill", () => {
  it("creates a skill once whatever the spelling, and keeps the first spelling", async () => {
    const w = await world();
    expect(await attachSkill({ platformId: w.platformId, courseId: w.courseIds[0], name: "Python", actor: w.actor })).toMatchObject({
      ok: true,
      added: true,
    });
    expect(await attachSkill({ platformId: w.platformId, courseId: w.courseIds[0], name: "  PYTHON ", actor: w.actor })).toMatchObject({
      ok: true,
      added: false,
    });
    expect(await attachSkill({ platformId: w.platformId, courseId: w.courseIds[1], name: "python", actor: w.actor })).toMatchObject({
      ok: true,
      added: true,
      skill: { name: "Python" },
    });
    expect(await db.skill.count({ where: { platformId: w.platformId } })).toBe(1);
    expect(await skillsOf(w.courseIds[1])).toEqual(["Python"]);
    const audits = await db.auditLog.findMany({ where: { platformId: w.platformId, action: "skills.changed" } });
    expect(audits).toHaveLength(2);
  });

  it("creates one skill when two admins add the same new name at once", async () => {
    const w = await world();
    const results = await Promise.all(
      w.courseIds.map((courseId, i) =>
        attachSkill({ platformId: w.platformId, courseId, name: i % 2 ? "Kubernetes" : "kubernetes", actor: w.actor }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await db.skill.count({ where: { platformId: w.platformId } })).toBe(1);
  });

  it("refuses invalid names and courses of another platform", async () => {
    const w = await world();
    const other = await world();
    expect(await attachSkill({ platformId: w.platformId, courseId: w.courseIds[0], name: " ", actor: w.actor })).toMatchObject({
      ok: false,
      code: "INVALID_INPUT",
    });
    expect(await attachSkill({ platformId: w.platformId, courseId: other.courseIds[0], name: "Go", actor: w.actor })).toMatchObject({
      ok: false,
      code: "COURSE_NOT_FOUND",
    });
    expect(await db.skill.count({ where: { platformId: { in: [w.platformId, other.platformId] } } })).toBe(0);
  });

  it("detaches only within the platform", async () => {
    const w = await world();
    const other = await world();
    const attached = await attachSkill({ platformId: other.platformId, courseId: other.courseIds[0], name: "Rust", actor: other.actor });
    const skillId = attached.ok ? attached.skill.id : "";
    expect(await detachSkill({ platformId: w.platformId, courseId: other.courseIds[0], skillId, actor: w.actor })).toEqual({
      ok: true,
      removed: false,
    });
    expect(await skillsOf(other.courseIds[0])).toEqual(["Rust"]);
    expect(await detachSkill({ platformId: other.platformId, courseId: other.courseIds[0], skillId, actor: other.actor })).toEqual({
      ok: true,
      removed: true,
    });
    expect(await skillsOf(other.courseIds[0])).toEqual([]);
  });

  it("accepts Coursera's own skills as suggestions, and nothing else through that door", async () => {
    const w = await world();
    expect(
      await acceptCourseraSkill({ platformId: w.platformId, courseId: w.courseIds[0], name: "machine learning", actor: w.actor }),
    ).toMatchObject({ ok: true });
    expect(
      await acceptCourseraSkill({ platformId: w.platformId, courseId: w.courseIds[0], name: "Cooking", actor: w.actor }),
    ).toMatchObject({ ok: false, code: "NOT_A_SUGGESTION" });
    expect(await skillsOf(w.courseIds[0])).toEqual(["machine learning"]);
  });
});

describe("bulkChangeSkills", () => {
  it("attaches several skills to several courses, idempotently, then detaches them", async () => {
    const w = await world(3);
    const first = await bulkChangeSkills({
      platformId: w.platformId,
      actor: w.actor,
      courseIds: w.courseIds,
      names: ["SQL", "sql", "Statistics"],
      mode: "attach",
    });
    expect(first).toEqual({ ok: true, courses: 3, links: 6 });
    expect(
      await bulkChangeSkills({ platformId: w.platformId, actor: w.actor, courseIds: w.courseIds, names: ["SQL"], mode: "attach" }),
    ).toEqual({ ok: true, courses: 3, links: 0 });
    for (const id of w.courseIds) expect(await skillsOf(id)).toEqual(["SQL", "Statistics"]);
    expect(
      await bulkChangeSkills({
        platformId: w.platformId,
        actor: w.actor,
        courseIds: w.courseIds.slice(0, 2),
        names: ["STATISTICS"],
        mode: "detach",
      }),
    ).toEqual({ ok: true, courses: 2, links: 2 });
    expect(await skillsOf(w.courseIds[0])).toEqual(["SQL"]);
    expect(await skillsOf(w.courseIds[2])).toEqual(["SQL", "Statistics"]);
  });

  it("does nothing at all when the selection mixes in another platform's course", async () => {
    const w = await world(2);
    const other = await world(1);
    const result = await bulkChangeSkills({
      platformId: w.platformId,
      actor: w.actor,
      courseIds: [...w.courseIds, other.courseIds[0]],
      names: ["Go"],
      mode: "attach",
    });
    expect(result).toMatchObject({ ok: false, code: "COURSE_NOT_FOUND" });
    expect(await db.courseSkill.count({ where: { courseId: { in: [...w.courseIds, ...other.courseIds] } } })).toBe(0);
    expect(
      await bulkChangeSkills({ platformId: w.platformId, actor: w.actor, courseIds: [], names: ["Go"], mode: "attach" }),
    ).toMatchObject({ ok: false, code: "INVALID_INPUT" });
  });
});

describe("searchSkills", () => {
  it("finds the platform's skills by any part of the name, prefix matches first", async () => {
    const w = await world(1);
    const other = await world(1);
    await bulkChangeSkills({
      platformId: w.platformId,
      actor: w.actor,
      courseIds: w.courseIds,
      names: ["Data Science", "Big Data", "Databases"],
      mode: "attach",
    });
    await bulkChangeSkills({
      platformId: other.platformId,
      actor: other.actor,
      courseIds: other.courseIds,
      names: ["Data Mining"],
      mode: "attach",
    });
    expect((await searchSkills(w.platformId, "DATA")).map((s) => s.name)).toEqual(["Data Science", "Databases", "Big Data"]);
    expect(await searchSkills(w.platformId, "%")).toEqual([]);
  });
});
