import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { StatisticsViewData } from "@/lib/statistics/admin-view";

/**
 * GET /api/platforms/[platformId]/statistics, what the statistics page fetches
 * after its first view: the caller's role and platform are checked as on the
 * page, and the filters, the view and paging happen on the server, the summary
 * following the filters. The one mock is next-auth's getServerSession (the
 * caller of each test); the route and the database are real.
 */

const session = vi.hoisted(() => ({ current: null as null | { user: { id: string } } }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => session.current }));

let w: { platformId: string; admin: string; otherAdmin: string; learner: string; csm: string; alpha: string; beta: string };

beforeAll(async () => {
  const { db } = await import("@/lib/db");
  const tag = randomUUID().slice(0, 8);
  const platform = await db.platform.create({ data: { name: `Statistics route ${tag}`, slug: `statistics-route-${tag}` } });
  const other = await db.platform.create({ data: { name: `Statistics route other ${tag}`, slug: `statistics-route-o-${tag}` } });
  const course = async (platformId: string, title: string) =>
    (await db.course.create({ data: { platformId, source: "COURSERA", courseraContentId: `${title}-${tag}`, title } })).id;
  const alpha = await course(platform.id, "Alpha");
  const beta = await course(platform.id, "Beta");
  const user = async (role: "ADMIN" | "LEARNER" | "CSM", platformId: string | null, name: string) =>
    (await db.user.create({ data: { email: `${name}-${tag}@statistics-route.test`, name, role, platformId } })).id;
  // 30 learners on Alpha (every third completed, the others in progress, activity one day apart), 2 of them also on Beta.
  const learners: string[] = [];
  for (let i = 0; i < 30; i++) learners.push(await user("LEARNER", platform.id, `learner${String(i).padStart(2, "0")}`));
  await db.learnerCourseStat.createMany({
    data: [
      ...learners.map((userId, i) => ({
        platformId: platform.id,
        userId,
        courseId: alpha,
        status: i % 3 === 0 ? ("COMPLETED" as const) : ("IN_PROGRESS" as const),
        progressPercent: i % 3 === 0 ? 100 : 50,
        lastActivityAt: new Date(Date.UTC(2026, 0, 1 + i)),
      })),
      ...learners
        .slice(0, 2)
        .map((userId) => ({ platformId: platform.id, userId, courseId: beta, status: "NOT_STARTED" as const, progressPercent: 0 })),
    ],
  });
  // Another platform's learner on its own course: never in this platform's view.
  const stranger = await user("LEARNER", other.id, "stranger");
  await db.learnerCourseStat.create({
    data: {
      platformId: other.id,
      userId: stranger,
      courseId: await course(other.id, "Elsewhere"),
      status: "COMPLETED",
      progressPercent: 100,
    },
  });
  w = {
    platformId: platform.id,
    admin: await user("ADMIN", platform.id, "admin"),
    otherAdmin: await user("ADMIN", other.id, "other-admin"),
    learner: learners[0],
    csm: await user("CSM", null, "csm"),
    alpha,
    beta,
  };
});

afterAll(async () => (await import("@/lib/db")).disconnectDb());

async function get(caller: string | null, query: string, platformId = w.platformId): Promise<Response> {
  session.current = caller ? { user: { id: caller } } : null;
  const route = await import("@/app/api/platforms/[platformId]/statistics/route");
  return route.GET(new Request(`http://localhost/api/platforms/${platformId}/statistics?${query}`), {
    params: Promise.resolve({ platformId }),
  });
}

async function view(query: string, caller = w.admin): Promise<StatisticsViewData> {
  const response = await get(caller, query);
  expect(response.status).toBe(200);
  return response.json();
}

describe("GET /api/platforms/[platformId]/statistics", () => {
  it("refuses the signed out, learners and another platform's admin, with no rows", async () => {
    expect((await get(null, "")).status).toBe(401);
    const learner = await get(w.learner, "");
    expect(learner.status).toBe(403);
    expect(await learner.json()).toEqual({ error: "FORBIDDEN", message: "You do not have access to this." });
    expect((await get(w.otherAdmin, "status=COMPLETED")).status).toBe(403);
    expect((await get(w.admin, "", "../../etc")).status).toBe(403);
  });

  it("gives the platform's admin their platform's rows and summary only (and a CSM any platform's)", async () => {
    const first = await view("");
    expect(first).toMatchObject({ view: "learners", page: 1, pageSize: 25, courseName: null, courses: null });
    expect(first.summary).toMatchObject({ rows: 32, completed: 10, inProgress: 20, notStarted: 2 });
    expect(first.learners).toHaveLength(25);
    // Most recent activity first, dates as ISO strings.
    expect(first.learners![0]).toMatchObject({ userName: "learner29", courseTitle: "Alpha", lastActivityAt: "2026-01-30T00:00:00.000Z" });
    expect(first.learners!.some((r) => r.courseTitle === "Elsewhere")).toBe(false);
    expect((await view("", w.csm)).summary.rows).toBe(32);
  });

  it("filters, switches view and pages on the server, the summary following the filters", async () => {
    const completed = await view("status=COMPLETED");
    expect(completed.summary).toMatchObject({ rows: 10, completed: 10, completionRate: 1 });
    expect(completed.learners!.every((r) => r.status === "COMPLETED")).toBe(true);
    const second = await view("page=2");
    expect(second.page).toBe(2);
    expect(second.learners).toHaveLength(7);
    const searched = await view("q=learner01");
    expect(searched.learners!.map((r) => r.courseTitle).sort()).toEqual(["Alpha", "Beta"]);
    const courses = await view("view=courses");
    expect(courses).toMatchObject({ view: "courses", learners: null });
    expect(courses.courses).toMatchObject({ total: 2 });
    expect(courses.courses!.rows.map((r) => [r.courseTitle, r.learners, r.completed])).toEqual([
      ["Alpha", 30, 10],
      ["Beta", 2, 0],
    ]);
    const beta = await view(`course=${w.beta}`);
    expect(beta).toMatchObject({ courseName: "Beta", summary: { rows: 2, notStarted: 2 } });
    // A bad value falls back to its default, the other filters kept.
    expect((await view("view=nope&status=COMPLETED&page=x")).summary.rows).toBe(10);
  });
});
