import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getAdminCourse, getCourseFacets, listAdminCourses, parseCourseListParams } from "@/lib/catalogue/queries";
import { db, disconnectDb } from "@/lib/db";
import type { ContentType } from "@/lib/generated/prisma/enums";

/** The admin course table: filters, sort and paging happen in the database; nothing leaks across platforms. */

const uid = () => randomUUID().slice(0, 8);
let platformId: string;
let otherPlatformId: string;
let pythonSkillId: string;
let otherSkillId: string;

const TYPES: ContentType[] = ["COURSE", "SPECIALIZATION", "GUIDED_PROJECT"];

beforeAll(async () => {
  const tag = uid();
  platformId = (await db.platform.create({ data: { name: `Cat q ${tag}`, slug: `catq-${tag}` } })).id;
  otherPlatformId = (await db.platform.create({ data: { name: `Cat q other ${tag}`, slug: `catq-o-${tag}` } })).id;
  // 60 courses: titles "Course 00".."Course 59", types and languages cycling, every 10th retired.
  await db.course.createMany({
    data: Array.from({ length: 60 }, (_, i) => ({
      platformId,
      source: "COURSERA" as const,
      courseraContentId: `c-${tag}-${i}`,
      title: `Course ${String(i).padStart(2, "0")}${i % 7 === 0 ? " Python" : ""}`,
      contentType: TYPES[i % 3],
      language: i % 2 === 0 ? "en" : "fr",
      level: i % 4 === 0 ? "BEGINNER" : "ADVANCED",
      retiredAt: i % 10 === 9 ? new Date() : null,
    })),
  });
  await db.course.createMany({
    data: [
      { platformId, source: "COURSERA", courseraContentId: `pct-${tag}`, title: "100% Data Science_Basics" },
      { platformId, source: "COURSERA", courseraContentId: `pct2-${tag}`, title: "1000 Data ScienceXBasics" },
      { platformId, source: "NATIVE", title: "Native Python course" },
      { platformId: otherPlatformId, source: "COURSERA", courseraContentId: `o-${tag}`, title: "Course 00 Python elsewhere" },
    ],
  });
  pythonSkillId = (await db.skill.create({ data: { platformId, name: "Python", nameKey: "python" } })).id;
  otherSkillId = (await db.skill.create({ data: { platformId: otherPlatformId, name: "Python", nameKey: "python" } })).id;
  const tagged = await db.course.findMany({
    where: { platformId, title: { in: ["Course 01", "Course 02"] } },
    select: { id: true, title: true },
  });
  await db.courseSkill.createMany({ data: tagged.map((c) => ({ courseId: c.id, skillId: pythonSkillId })) });
  // Course 01 also has a skill named before Python: a row lists its skills by name.
  const analysis = await db.skill.create({ data: { platformId, name: "Data analysis", nameKey: "data analysis" } });
  await db.courseSkill.create({ data: { courseId: tagged.find((c) => c.title === "Course 01")!.id, skillId: analysis.id } });
  const foreign = await db.course.findFirstOrThrow({ where: { platformId: otherPlatformId } });
  await db.courseSkill.create({ data: { courseId: foreign.id, skillId: otherSkillId } });
});

afterAll(async () => {
  await disconnectDb();
});

const list = (sp: Record<string, string>) => listAdminCourses(platformId, parseCourseListParams(sp));

describe("listAdminCourses", () => {
  it("lists the platform's active Coursera courses by title, 25 a page, with the total", async () => {
    const page = await list({});
    expect(page.total).toBe(56); // 60 - 6 retired + 2 "Data Science" ones; native and other-platform courses excluded
    expect(page.rows).toHaveLength(25);
    expect(page.rows[0].title).toBe("100% Data Science_Basics");
    expect(page.rows.every((r) => r.retiredAt === null)).toBe(true);
  });

  it("pages without overlap or gaps, whatever the sort", async () => {
    for (const sort of ["title", "type", "language", "level", "updated"]) {
      const seen = new Set<string>();
      for (let p = 1; p <= 3; p++) for (const r of (await list({ sort, dir: "desc", page: String(p) })).rows) seen.add(r.id);
      expect(seen.size, sort).toBe(56);
    }
  });

  it("searches titles case-insensitively, and treats % and _ literally", async () => {
    expect((await list({ q: "python" })).rows.map((r) => r.title)).toEqual([
      "Course 00 Python",
      "Course 07 Python",
      "Course 14 Python",
      "Course 21 Python",
      "Course 28 Python",
      "Course 35 Python",
      "Course 42 Python",
      "Course 56 Python",
    ]);
    expect((await list({ q: "100%" })).rows.map((r) => r.title)).toEqual(["100% Data Science_Basics"]);
    expect((await list({ q: "science_b" })).rows.map((r) => r.title)).toEqual(["100% Data Science_Basics"]);
    expect((await list({ q: "PyThOn" })).total).toBe(8);
  });

  it("finds a title by any case of its letters, accented ones included, and by its new words once renamed", async () => {
    const tag = uid();
    const pid = (await db.platform.create({ data: { name: `Cat accents ${tag}`, slug: `catacc-${tag}` } })).id;
    const course = await db.course.create({
      data: { platformId: pid, source: "COURSERA", courseraContentId: `acc-${tag}`, title: "École de la Donnée Über Alles" },
    });
    const titles = async (q: string) => (await listAdminCourses(pid, parseCourseListParams({ q }))).rows.map((r) => r.title);
    for (const q of ["école", "ÉCOLE", "donnée über", "DONNÉE ÜBER"]) expect(await titles(q), q).toEqual(["École de la Donnée Über Alles"]);
    expect(await titles("ecole")).toEqual([]); // accents are letters, not decoration
    // The sync rewrites titles (only it may: see lib/catalogue/sync.ts); the search key follows.
    await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT set_config('app.catalogue_sync', 'on', true)`;
      await tx.course.update({ where: { id: course.id }, data: { title: "Statistique Avancée" } });
    });
    expect(await titles("AVANCÉE")).toEqual(["Statistique Avancée"]);
    expect(await titles("école")).toEqual([]);
  });

  it("sorts levels in reading order (beginner → intermediate → advanced → mixed → others), not alphabetically, none last", async () => {
    const tag = uid();
    const pid = (await db.platform.create({ data: { name: `Cat levels ${tag}`, slug: `catlvl-${tag}` } })).id;
    const levels = ["ADVANCED", "MIXED", null, "beginner", "Expert", "INTERMEDIATE", "BEGINNER", "advanced"];
    await db.course.createMany({
      data: levels.map((level, i) => ({
        platformId: pid,
        source: "COURSERA" as const,
        courseraContentId: `lvl-${tag}-${i}`,
        title: `L${i}`,
        level,
      })),
    });
    const sorted = async (dir: string) =>
      (await listAdminCourses(pid, parseCourseListParams({ sort: "level", dir }))).rows.map((r) => r.level?.toLowerCase() ?? null);
    expect(await sorted("asc")).toEqual(["beginner", "beginner", "intermediate", "advanced", "advanced", "mixed", "expert", null]);
    expect(await sorted("desc")).toEqual(["expert", "mixed", "advanced", "advanced", "intermediate", "beginner", "beginner", null]);
    // The level filter offers the same order.
    expect((await getCourseFacets(pid)).levels).toEqual([
      "beginner",
      "BEGINNER",
      "INTERMEDIATE",
      "advanced",
      "ADVANCED",
      "MIXED",
      "Expert",
    ]);
  });

  it("filters by type, language, level, status, skill and no skills, combined", async () => {
    const types = await list({ type: "SPECIALIZATION", size: "100" });
    expect(types.rows.every((r) => r.contentType === "SPECIALIZATION")).toBe(true);
    expect(types.total).toBe(18); // i % 3 === 1 among 60 is 20, minus retired ones (19, 49)

    const fr = await list({ language: "fr", level: "ADVANCED", size: "100" });
    expect(fr.rows.every((r) => r.language === "fr" && r.level === "ADVANCED")).toBe(true);
    expect(fr.total).toBe(24);

    const retired = await list({ status: "retired" });
    expect(retired.rows.map((r) => r.title)).toEqual(["Course 09", "Course 19", "Course 29", "Course 39", "Course 49 Python", "Course 59"]);
    expect((await list({ status: "all" })).total).toBe(62);

    const skilled = await list({ skill: pythonSkillId });
    expect(skilled.rows.map((r) => [r.title, r.skills.map((s) => s.name)])).toEqual([
      ["Course 01", ["Data analysis", "Python"]],
      ["Course 02", ["Python"]],
    ]);
    expect((await list({ noSkills: "1" })).total).toBe(54);
    // Another platform's skill id matches nothing here.
    expect((await list({ skill: otherSkillId })).total).toBe(0);
  });

  it("falls back to defaults on nonsense in the URL", async () => {
    const p = parseCourseListParams({ sort: "password", dir: "sideways", page: "-3", size: "1000000", type: "NOPE", status: "deleted" });
    expect(p).toMatchObject({ sort: "title", dir: "asc", page: 1, size: 25, type: undefined, status: "active" });
  });
});

describe("getAdminCourse", () => {
  it("returns a course of the platform only", async () => {
    const own = await db.course.findFirstOrThrow({ where: { platformId, title: "Course 01" } });
    const foreign = await db.course.findFirstOrThrow({ where: { platformId: otherPlatformId } });
    expect((await getAdminCourse(platformId, own.id))?.skills.map((s) => s.name)).toEqual(["Data analysis", "Python"]);
    expect(await getAdminCourse(platformId, foreign.id)).toBeNull();
  });

  it("offers Coursera's skills not attached yet as suggestions", async () => {
    const course = await db.course.findFirstOrThrow({ where: { platformId, title: "Course 02" } });
    await db.course.update({
      where: { id: course.id },
      data: { courseraSkills: [{ id: "s1", name: "python " }, { id: "s2", name: "Data Analysis" }, { bogus: true }] },
    });
    const detail = await getAdminCourse(platformId, course.id);
    expect(detail?.skillSuggestions).toEqual(["Data Analysis"]);
  });
});

describe("search counts", () => {
  it("counts a search up to the cap and says when it stopped", async () => {
    const { SEARCH_COUNT_CAP } = await import("@/lib/catalogue/queries");
    const tag = uid();
    const pid = (await db.platform.create({ data: { name: `Cap ${tag}`, slug: `cap-${tag}` } })).id;
    await db.course.createMany({
      data: Array.from({ length: SEARCH_COUNT_CAP + 5 }, (_, i) => ({
        platformId: pid,
        source: "COURSERA" as const,
        courseraContentId: `cap-${tag}-${i}`,
        title: `Common word ${i}`,
      })),
    });
    const searched = await listAdminCourses(pid, parseCourseListParams({ q: "common" }));
    expect(searched).toMatchObject({ total: SEARCH_COUNT_CAP, totalIsLowerBound: true });
    const all = await listAdminCourses(pid, parseCourseListParams({}));
    expect(all).toMatchObject({ total: SEARCH_COUNT_CAP + 5, totalIsLowerBound: false });
    expect(await listAdminCourses(pid, parseCourseListParams({ q: "word 100" }))).toMatchObject({ total: 6, totalIsLowerBound: false });
    // A filter is counted the same way, from the current page on: the next page is always known to exist.
    expect(await listAdminCourses(pid, parseCourseListParams({ type: "COURSE" }))).toMatchObject({
      total: SEARCH_COUNT_CAP,
      totalIsLowerBound: true,
    });
    const page40 = await listAdminCourses(pid, parseCourseListParams({ type: "COURSE", page: "40" }));
    expect(page40).toMatchObject({ total: SEARCH_COUNT_CAP + 5, totalIsLowerBound: false });
    expect(page40.rows).toHaveLength(25);
    expect((await listAdminCourses(pid, parseCourseListParams({ type: "COURSE", page: "41" }))).rows).toHaveLength(5);
  });
});
