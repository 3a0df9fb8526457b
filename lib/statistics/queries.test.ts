import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { learnerStatCsvLine } from "@/lib/statistics/csv";
import { csvField } from "@/lib/csv";
import { parseStatisticsParams } from "@/lib/statistics/params";
import { getStatisticsSummary, iterateLearnerStats, listCourseStats, listLearnerStats } from "@/lib/statistics/queries";
import { listUnmatchedIdentities } from "@/lib/statistics/unmatched-queries";

/** The admin's statistics reads: filters, aggregates (and their cache), paging, CSV. */

const uid = () => randomUUID().slice(0, 8);
let platformId: string;
let courseA: string;
let courseB: string;
let ada: string;

beforeAll(async () => {
  const tag = uid();
  platformId = (await db.platform.create({ data: { name: `Stats ${tag}`, slug: `stats-${tag}` } })).id;
  const other = (await db.platform.create({ data: { name: `Stats o ${tag}`, slug: `stats-o-${tag}` } })).id;
  courseA = (await db.course.create({ data: { platformId, source: "COURSERA", courseraContentId: `a-${tag}`, title: "Alpha" } })).id;
  courseB = (await db.course.create({ data: { platformId, source: "COURSERA", courseraContentId: `b-${tag}`, title: "Beta" } })).id;
  const users = [];
  for (const [i, name] of ["Ada Lovelace", "Grace Hopper", "=HYPERLINK(evil)", "Linus"].entries()) {
    users.push((await db.user.create({ data: { platformId, email: `u${i}-${tag}@stats.test`, name, role: "LEARNER" } })).id);
  }
  ada = users[0];
  const day = (d: number) => new Date(Date.UTC(2027, 0, d));
  // progress: 0, 10, 30, 60, 80, 100, 100 spread over A and B
  const rows: [string, string, "NOT_STARTED" | "IN_PROGRESS" | "COMPLETED", number, number | null, number][] = [
    [users[0], courseA, "COMPLETED", 100, 90, 1],
    [users[1], courseA, "IN_PROGRESS", 60, null, 5],
    [users[2], courseA, "NOT_STARTED", 0, null, 2],
    [users[3], courseA, "IN_PROGRESS", 10, null, 3],
    [users[0], courseB, "IN_PROGRESS", 30, 70, 4],
    [users[1], courseB, "COMPLETED", 100, 80, 6],
    [users[3], courseB, "IN_PROGRESS", 80, null, 7],
  ];
  await db.learnerCourseStat.createMany({
    data: rows.map(([userId, courseId, status, progressPercent, scorePercent, d]) => ({
      platformId,
      userId,
      courseId,
      status,
      progressPercent,
      scorePercent,
      lastActivityAt: day(d),
      timeSpentMinutes: 10,
    })),
  });
  // Another platform's rows never count here.
  const stranger = await db.user.create({
    data: { platformId: other, email: `x-${tag}@stats.test`, name: "Ada Elsewhere", role: "LEARNER" },
  });
  const foreign = await db.course.create({
    data: { platformId: other, source: "COURSERA", courseraContentId: `f-${tag}`, title: "Foreign" },
  });
  await db.learnerCourseStat.create({
    data: { platformId: other, userId: stranger.id, courseId: foreign.id, status: "COMPLETED", progressPercent: 100 },
  });
  await db.unmatchedLearnerRecord.createMany({
    data: [
      {
        platformId,
        identityKey: "ghost@acme.test",
        email: "ghost@acme.test",
        contentId: `a-${tag}`,
        contentName: "Alpha",
        reason: "NO_USER",
        record: {},
      },
      {
        platformId,
        identityKey: "ghost@acme.test",
        email: "ghost@acme.test",
        contentId: `b-${tag}`,
        contentName: "Beta",
        reason: "NO_USER",
        record: {},
      },
      {
        platformId,
        identityKey: "gone@acme.test",
        email: "gone@acme.test",
        contentId: `a-${tag}`,
        reason: "NO_USER",
        record: {},
        resolvedAt: new Date(),
      },
    ],
  });
});

afterAll(async () => {
  await disconnectDb();
});

const params = (sp: Record<string, string> = {}) => parseStatisticsParams(sp);

describe("getStatisticsSummary", () => {
  it("counts statuses, completion rate and the progress distribution of the platform's rows", async () => {
    const s = await getStatisticsSummary(platformId, params());
    expect(s).toMatchObject({ rows: 7, completed: 2, inProgress: 4, notStarted: 1, totalMinutes: 70 });
    expect(s.completionRate).toBeCloseTo(2 / 7);
    expect(s.averageScore).toBeCloseTo(80);
    expect(s.progressDistribution).toEqual([
      { bucket: "0%", rows: 1 },
      { bucket: "1–24%", rows: 1 },
      { bucket: "25–49%", rows: 1 },
      { bucket: "50–74%", rows: 1 },
      { bucket: "75–99%", rows: 1 },
      { bucket: "100%", rows: 2 },
    ]);
  });

  it("applies the filters: course, status, learner search", async () => {
    expect((await getStatisticsSummary(platformId, params({ course: courseB }))).rows).toBe(3);
    expect((await getStatisticsSummary(platformId, params({ status: "COMPLETED" }))).rows).toBe(2);
    expect((await getStatisticsSummary(platformId, params({ q: "ada" }))).rows).toBe(2);
    expect((await getStatisticsSummary(platformId, params({ q: "ada", course: courseA }))).completionRate).toBe(1);
  });

  it("sees a statistics write at once (the cache is keyed by the latest write)", async () => {
    const before = await getStatisticsSummary(platformId, params({ course: courseB }));
    const row = await db.learnerCourseStat.findFirstOrThrow({ where: { userId: ada, courseId: courseB } });
    await db.learnerCourseStat.update({ where: { id: row.id }, data: { status: "COMPLETED", progressPercent: 100 } });
    const after = await getStatisticsSummary(platformId, params({ course: courseB }));
    expect(after.completed).toBe(before.completed + 1);
    await db.learnerCourseStat.update({ where: { id: row.id }, data: { status: "IN_PROGRESS", progressPercent: 30 } });
    expect((await getStatisticsSummary(platformId, params({ course: courseB }))).completed).toBe(before.completed);
  });
});

describe("per learner and per course", () => {
  it("lists learner rows by latest activity, filtered", async () => {
    const rows = await listLearnerStats(platformId, params());
    expect(rows.map((r) => `${r.userName}/${r.courseTitle}`)).toEqual([
      "Linus/Beta",
      "Grace Hopper/Beta",
      "Grace Hopper/Alpha",
      "Ada Lovelace/Beta",
      "Linus/Alpha",
      "=HYPERLINK(evil)/Alpha",
      "Ada Lovelace/Alpha",
    ]);
    expect((await listLearnerStats(platformId, params({ status: "NOT_STARTED" }))).map((r) => r.userName)).toEqual(["=HYPERLINK(evil)"]);
  });

  it("aggregates per course, most learners first", async () => {
    const { total, rows } = await listCourseStats(platformId, params({ view: "courses" }));
    expect(total).toBe(2);
    expect(rows.map((r) => [r.courseTitle, r.learners, r.completed])).toEqual([
      ["Alpha", 4, 1],
      ["Beta", 3, 1],
    ]);
  });
});

describe("CSV export", () => {
  it("yields exactly the filtered rows, in batches", async () => {
    const all: string[] = [];
    for await (const batch of iterateLearnerStats(platformId, params(), 3)) {
      expect(batch.length).toBeLessThanOrEqual(3);
      all.push(...batch.map((r) => r.id));
    }
    expect(new Set(all).size).toBe(7);
    let filtered = 0;
    for await (const batch of iterateLearnerStats(platformId, params({ course: courseA, status: "IN_PROGRESS" }))) filtered += batch.length;
    expect(filtered).toBe(2);
  });

  it("quotes fields and defuses spreadsheet formulas", async () => {
    expect(csvField('Say "hi", then go')).toBe('"Say ""hi"", then go"');
    expect(csvField("=HYPERLINK(evil)")).toBe("'=HYPERLINK(evil)");
    expect(csvField("+1")).toBe("'+1");
    expect(csvField(-5)).toBe("-5");
    expect(csvField(null)).toBe("");
    const [row] = await listLearnerStats(platformId, params({ status: "NOT_STARTED" }));
    expect(learnerStatCsvLine(row)).toMatch(/^'=HYPERLINK\(evil\),u2-/);
  });
});

describe("listUnmatchedIdentities", () => {
  it("groups open records by identity", async () => {
    const inbox = await listUnmatchedIdentities(platformId);
    expect(inbox).toMatchObject({ identities: 1, records: 2 });
    expect(inbox.rows[0]).toMatchObject({ identityKey: "ghost@acme.test", records: 2, reasons: ["NO_USER"] });
    expect([...inbox.rows[0].contents].sort()).toEqual(["Alpha", "Beta"]);
  });
});
