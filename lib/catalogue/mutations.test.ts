import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { courseRowFromContent } from "@/lib/catalogue/mapping";
import { isCourseraLockViolation, updateCourseDetails } from "@/lib/catalogue/mutations";
import { writeCataloguePage } from "@/lib/catalogue/sync";
import type { CourseraContent } from "@/lib/coursera/schema";
import { db, disconnectDb } from "@/lib/db";

/**
 * Title and description of a Coursera course are Coursera's: the product's
 * mutation refuses to change them, and so does the database for any other
 * writer, while the catalogue sync (the one writer allowed) still can.
 * Courses are written by the sync's own page writer; no job runs here.
 */

afterAll(() => disconnectDb());
const uid = () => randomUUID().slice(0, 8);

function content(id: string, title: string): CourseraContent {
  return {
    contentId: id,
    contentType: "COURSE",
    title,
    description: `About ${title}`,
    slug: id.toLowerCase(),
    language: "en",
    subtitleLanguages: ["en", "fr"],
    level: "BEGINNER",
    durationMinutes: 90,
    imageUrl: null,
    partners: [{ name: "Yale University", logoUrl: null }],
    instructors: [],
    programIds: ["prog-1"],
    launchUrl: `https://www.coursera.org/programs/acme?productId=${id}`,
    skills: [{ id: "python", name: "Python" }],
    domains: [],
    courseraUpdatedAt: new Date("2025-06-01T10:00:00.000Z"),
  };
}

async function setup() {
  const tag = uid();
  const platform = await db.platform.create({ data: { name: `Lock ${tag}`, slug: `lock-${tag}` } });
  const admin = await db.user.create({ data: { platformId: platform.id, email: `admin@lock-${tag}.test`, name: "Admin", role: "ADMIN" } });
  const connector = await db.courseraConnector.create({ data: { platformId: platform.id, enabled: true } });
  const newRun = () =>
    db.syncRun.create({
      data: { platformId: platform.id, connectorId: connector.id, kind: "CATALOGUE", trigger: "MANUAL", status: "RUNNING" },
    });
  const run = await newRun();
  await writeCataloguePage({
    runId: run.id,
    start: 0,
    platformId: platform.id,
    items: [content(`C-${tag}`, "Machine Learning")],
    invalid: [],
    rawCount: 1,
    total: 1,
  });
  // One active run per connector and kind: close this one as the run would.
  await db.syncRun.update({ where: { id: run.id }, data: { status: "SUCCEEDED" } });
  const course = await db.course.findFirstOrThrow({ where: { platformId: platform.id } });
  return { tag, platformId: platform.id, actor: { id: admin.id, email: admin.email }, course, newRun };
}

describe("Coursera-owned course details", () => {
  it("the product's mutation refuses to change a Coursera course's title or description", async () => {
    const { platformId, actor, course } = await setup();
    const result = await updateCourseDetails({ platformId, courseId: course.id, changes: { title: "My better title" }, actor });
    expect(result).toMatchObject({ ok: false, code: "LOCKED_BY_COURSERA" });
    expect(await updateCourseDetails({ platformId, courseId: course.id, changes: { description: "Ours" }, actor })).toMatchObject({
      ok: false,
      code: "LOCKED_BY_COURSERA",
    });
    expect(await db.course.findUniqueOrThrow({ where: { id: course.id } })).toMatchObject({
      title: "Machine Learning",
      description: "About Machine Learning",
    });
    // Another platform's course id is simply not found.
    expect(await updateCourseDetails({ platformId: "elsewhere", courseId: course.id, changes: { title: "x" }, actor })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
  });

  it("the database refuses the change from any other writer: Prisma, raw SQL, or turning the course native first", async () => {
    const { course } = await setup();
    const viaPrisma = await db.course.update({ where: { id: course.id }, data: { title: "Sneaky" } }).catch((e: unknown) => e);
    expect(isCourseraLockViolation(viaPrisma)).toBe(true);
    const viaSql = await db.$executeRaw`UPDATE "Course" SET "description" = 'Sneaky' WHERE "id" = ${course.id}`.catch((e: unknown) => e);
    expect(isCourseraLockViolation(viaSql)).toBe(true);
    const unlock = await db.course.update({ where: { id: course.id }, data: { source: "NATIVE" } }).catch((e: unknown) => e);
    expect(isCourseraLockViolation(unlock)).toBe(true);
    expect(await db.course.findUniqueOrThrow({ where: { id: course.id } })).toMatchObject({
      title: "Machine Learning",
      description: "About Machine Learning",
      source: "COURSERA",
    });
    // Columns that are not Coursera's stay writable (e.g. retirement by an admin's decision).
    await db.course.update({ where: { id: course.id }, data: { retiredAt: new Date() } });
  });

  it("the catalogue sync still updates them when Coursera changes them", async () => {
    const { tag, platformId, course, newRun } = await setup();
    const next = await newRun();
    const counts = await writeCataloguePage({
      runId: next.id,
      start: 0,
      platformId,
      items: [{ ...content(`C-${tag}`, "Machine Learning, 2nd edition"), description: "Revised by Coursera" }],
      invalid: [],
      rawCount: 1,
      total: 1,
    });
    expect(counts).toMatchObject({ updated: 1, created: 0, unchanged: 0 });
    expect(await db.course.findUniqueOrThrow({ where: { id: course.id } })).toMatchObject({
      title: "Machine Learning, 2nd edition",
      description: "Revised by Coursera",
    });
    // The sync's permission ended with its transaction.
    const after = await db.course.update({ where: { id: course.id }, data: { title: "Sneaky" } }).catch((e: unknown) => e);
    expect(isCourseraLockViolation(after)).toBe(true);
  });

  it("native courses stay editable", async () => {
    const { platformId, actor } = await setup();
    const native = await db.course.create({ data: { platformId, source: "NATIVE", title: "Onboarding" } });
    expect(
      await updateCourseDetails({ platformId, courseId: native.id, changes: { title: "Onboarding 2026", description: "Welcome" }, actor }),
    ).toEqual({ ok: true });
    expect(await db.course.findUniqueOrThrow({ where: { id: native.id } })).toMatchObject({
      title: "Onboarding 2026",
      description: "Welcome",
    });
    expect(await db.auditLog.count({ where: { platformId, action: "course.details-updated", targetId: native.id } })).toBe(1);
  });
});

describe("catalogue page writer", () => {
  it("maps and stores every Coursera field, and skips ids already seen by the run", async () => {
    const { tag, platformId, newRun } = await setup();
    const run = await newRun();
    const a = content(`A-${tag}`, "Statistics");
    const b = content(`B-${tag}`, "Finance");
    const first = await writeCataloguePage({
      runId: run.id,
      start: 0,
      platformId,
      items: [a, b, a],
      invalid: [{ id: null, reason: "element is not an object" }],
      rawCount: 4,
      total: 10,
    });
    expect(first).toMatchObject({ pages: 1, fetched: 4, created: 2, duplicates: 1, invalid: 1 });
    // Coursera's pages shifted: b comes again on the next page, with different data. First occurrence wins.
    const second = await writeCataloguePage({
      runId: run.id,
      start: 4,
      platformId,
      items: [{ ...b, title: "Shifted" }],
      invalid: [],
      rawCount: 1,
      total: 10,
    });
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 0, duplicates: 1 });
    const stored = await db.course.findUniqueOrThrow({
      where: { platformId_courseraContentId: { platformId, courseraContentId: b.contentId } },
    });
    expect(stored).toMatchObject({
      title: "Finance",
      contentType: "COURSE",
      language: "en",
      subtitleLanguages: ["en", "fr"],
      level: "BEGINNER",
      durationMinutes: 90,
      programIds: ["prog-1"],
      launchUrl: b.launchUrl,
      partners: [{ name: "Yale University", logoUrl: null }],
      courseraSkills: [{ id: "python", name: "Python" }],
      contentHash: courseRowFromContent(b).row.contentHash,
    });
    expect(stored.courseraUpdatedAt?.toISOString()).toBe("2025-06-01T10:00:00.000Z");
    const runRow = await db.syncRun.findUniqueOrThrow({ where: { id: run.id }, include: { problems: true } });
    expect(runRow).toMatchObject({ pages: 2, fetched: 5, created: 2, invalid: 1, progressDone: 5, progressTotal: 10 });
    expect(runRow.problems).toHaveLength(1);
    expect(runRow.problems[0]).toMatchObject({ kind: "INVALID_RECORD", itemId: null });
  });

  it("a page replayed after its commit (its step result lost) is neither written nor counted again", async () => {
    const { tag, platformId, newRun } = await setup();
    const run = await newRun();
    const page = {
      runId: run.id,
      start: 0,
      platformId,
      items: [content(`R-${tag}`, "Replayed")],
      invalid: [{ id: null, reason: "element is not an object" }],
      rawCount: 2,
      total: 2,
    };
    expect(await writeCataloguePage(page)).toMatchObject({ pages: 1, fetched: 2, created: 1, invalid: 1 });
    expect(await writeCataloguePage(page)).toMatchObject({ pages: 0, fetched: 0, created: 0, invalid: 0 });
    const runRow = await db.syncRun.findUniqueOrThrow({ where: { id: run.id }, include: { problems: true } });
    expect(runRow).toMatchObject({ pages: 1, fetched: 2, created: 1, invalid: 1, progressDone: 2 });
    expect(runRow.problems).toHaveLength(1);
    expect(await db.course.count({ where: { platformId, courseraContentId: `R-${tag}` } })).toBe(1);
  });
});
