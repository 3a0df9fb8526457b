import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * A search longer than its limit (200 characters) is cut to the limit; it
 * never resets the page's other filters (issue 14 #9: the statistics CSV then
 * exported every row of the platform). The same for any one bad parameter:
 * it falls back to its own default, the others stay.
 */

const session = vi.hoisted(() => ({ current: null as null | { user: { id: string } } }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => session.current }));

const LONG = `ada ${"x".repeat(300)}`;
let w: { platformId: string; courseA: string; courseB: string };

beforeAll(async () => {
  const { db } = await import("@/lib/db");
  const tag = randomUUID().slice(0, 8);
  const platform = await db.platform.create({ data: { name: `Filters ${tag}`, slug: `filters-${tag}` } });
  const course = (n: string) =>
    db.course.create({ data: { platformId: platform.id, source: "COURSERA", courseraContentId: `${n}-${tag}`, title: `Course ${n}` } });
  const [a, b] = [await course("a"), await course("b")];
  const statuses = ["COMPLETED", "IN_PROGRESS", "NOT_STARTED"] as const;
  for (let i = 0; i < 6; i++) {
    const user = await db.user.create({
      data: { email: `learner${i}-${tag}@filters.test`, name: `Learner ${i}`, role: "LEARNER", platformId: platform.id },
    });
    for (const c of [a, b]) {
      await db.learnerCourseStat.create({ data: { platformId: platform.id, userId: user.id, courseId: c.id, status: statuses[i % 3] } });
    }
  }
  const admin = await db.user.create({
    data: { email: `admin-${tag}@filters.test`, name: "Admin", role: "ADMIN", platformId: platform.id },
  });
  session.current = { user: { id: admin.id } };
  w = { platformId: platform.id, courseA: a.id, courseB: b.id };
});

afterAll(async () => {
  await (await import("@/lib/db")).disconnectDb();
});

async function csvRows(query: string): Promise<string[]> {
  const route = await import("@/app/api/platforms/[platformId]/statistics/export/route");
  const res = await route.GET(new Request(`http://localhost/?${query}`), { params: Promise.resolve({ platformId: w.platformId }) });
  expect(res.status).toBe(200);
  return (await res.text()).trim().split("\n").slice(1);
}

describe("an oversized search keeps the other filters", () => {
  it("statistics: the filters of the page survive a 300-character search", async () => {
    const { parseStatisticsParams } = await import("@/lib/statistics/params");
    const p = parseStatisticsParams({ q: LONG, status: "COMPLETED", course: w.courseA, view: "courses", page: "3" });
    expect(p).toMatchObject({ status: "COMPLETED", course: w.courseA, view: "courses", page: 3 });
    expect(p.q).toBe(LONG.slice(0, 200));
  });

  it("the statistics CSV exports only the filtered rows, never every row", async () => {
    expect(await csvRows(`status=COMPLETED&course=${w.courseA}`)).toHaveLength(2);
    // The 200 first characters of the search match no learner: nothing, not the platform's 12 rows.
    expect(await csvRows(`status=COMPLETED&course=${w.courseA}&q=${encodeURIComponent(LONG)}`)).toHaveLength(0);
    // A filter that names nothing selects nothing; it is not dropped.
    expect(await csvRows(`course=${"c".repeat(100)}`)).toHaveLength(0);
    expect(await csvRows(`course=${encodeURIComponent("\0")}&status=COMPLETED`)).toHaveLength(4);
  });

  it("courses: type, status, sort and page survive a 300-character search", async () => {
    const { parseCourseListParams } = await import("@/lib/catalogue/queries");
    const p = parseCourseListParams({ q: LONG, type: "COURSE", status: "retired", sort: "updated", dir: "desc", page: "2", size: "50" });
    expect(p).toMatchObject({ type: "COURSE", status: "retired", sort: "updated", dir: "desc", page: 2, size: 50 });
    expect(p.q).toBe(LONG.slice(0, 200));
    // One bad value falls back alone.
    expect(parseCourseListParams({ type: "NOPE", sort: "updated", language: "x".repeat(300) })).toMatchObject({
      sort: "updated",
      language: "x".repeat(256),
    });
  });

  it("audit: a bad page keeps the action filter", async () => {
    const { parseAuditParams } = await import("@/lib/audit/queries");
    expect(parseAuditParams({ action: "credentials", page: "x".repeat(300) })).toEqual({ action: "credentials", page: 1 });
  });
});
