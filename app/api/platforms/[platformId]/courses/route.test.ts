import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CourseTablePage } from "@/lib/catalogue/admin-table";

/**
 * GET /api/platforms/[platformId]/courses, what the admin courses table fetches
 * after its first page: the caller's role and platform are checked as on the
 * page, and the search, filters, sort and paging happen on the server. The one
 * mock is next-auth's getServerSession (the caller of each test); the route and
 * the database are real.
 */

const session = vi.hoisted(() => ({ current: null as null | { user: { id: string } } }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => session.current }));

let w: { platformId: string; otherPlatformId: string; admin: string; otherAdmin: string; learner: string; csm: string; skillId: string };

beforeAll(async () => {
  const { db } = await import("@/lib/db");
  const tag = randomUUID().slice(0, 8);
  const platform = await db.platform.create({ data: { name: `Courses route ${tag}`, slug: `courses-route-${tag}` } });
  const other = await db.platform.create({ data: { name: `Courses route other ${tag}`, slug: `courses-route-o-${tag}` } });
  // 30 courses "Course 00".."Course 29": every third a specialization, even ones in French, every tenth retired.
  await db.course.createMany({
    data: Array.from({ length: 30 }, (_, i) => ({
      platformId: platform.id,
      source: "COURSERA" as const,
      courseraContentId: `c-${tag}-${i}`,
      title: `Course ${String(i).padStart(2, "0")}${i % 5 === 0 ? " Kubernetes" : ""}`,
      contentType: i % 3 === 0 ? ("SPECIALIZATION" as const) : ("COURSE" as const),
      language: i % 2 === 0 ? "fr" : "en",
      level: i % 2 === 0 ? "ADVANCED" : "BEGINNER",
      retiredAt: i % 10 === 9 ? new Date() : null,
    })),
  });
  await db.course.create({
    data: { platformId: other.id, source: "COURSERA", courseraContentId: `o-${tag}`, title: "Course 00 Kubernetes elsewhere" },
  });
  const skill = await db.skill.create({ data: { platformId: platform.id, name: "Containers", nameKey: "containers" } });
  const tagged = await db.course.findFirstOrThrow({ where: { platformId: platform.id, title: "Course 05 Kubernetes" } });
  await db.courseSkill.create({ data: { courseId: tagged.id, skillId: skill.id } });
  const user = async (role: "ADMIN" | "LEARNER" | "CSM", platformId: string | null, name: string) =>
    (await db.user.create({ data: { email: `${name}-${tag}@courses-route.test`, name, role, platformId } })).id;
  w = {
    platformId: platform.id,
    otherPlatformId: other.id,
    admin: await user("ADMIN", platform.id, "admin"),
    otherAdmin: await user("ADMIN", other.id, "other-admin"),
    learner: await user("LEARNER", platform.id, "learner"),
    csm: await user("CSM", null, "csm"),
    skillId: skill.id,
  };
});

afterAll(async () => (await import("@/lib/db")).disconnectDb());

async function get(caller: string | null, query: string, platformId = w.platformId): Promise<Response> {
  session.current = caller ? { user: { id: caller } } : null;
  const route = await import("@/app/api/platforms/[platformId]/courses/route");
  return route.GET(new Request(`http://localhost/api/platforms/${platformId}/courses?${query}`), {
    params: Promise.resolve({ platformId }),
  });
}

async function page(query: string, caller = w.admin): Promise<CourseTablePage> {
  const response = await get(caller, query);
  expect(response.status).toBe(200);
  return response.json();
}

const titles = (p: CourseTablePage) => p.rows.map((r) => r.title);

describe("GET /api/platforms/[platformId]/courses", () => {
  it("refuses the signed out, learners and another platform's admin, with no rows", async () => {
    const signedOut = await get(null, "");
    expect(signedOut.status).toBe(401);
    const learner = await get(w.learner, "");
    expect(learner.status).toBe(403);
    expect(await learner.json()).toEqual({ error: "FORBIDDEN", message: "You do not have access to this." });
    // Another platform's admin asking for this platform's courses, and for a search that only matches elsewhere.
    expect((await get(w.otherAdmin, "q=kubernetes")).status).toBe(403);
    // Not the shape of an id: refused before any query.
    expect((await get(w.admin, "", "../../etc")).status).toBe(403);
  });

  it("gives the platform's admin their platform's rows only (and a CSM any platform's)", async () => {
    const first = await page("");
    // 27 active courses; the other platform's "Course 00 Kubernetes elsewhere" is never among them.
    expect(first).toMatchObject({ total: 27, totalIsLowerBound: false, page: 1, pageSize: 25 });
    expect(first.rows).toHaveLength(25);
    expect(titles(first)[0]).toBe("Course 00 Kubernetes");
    expect(first.rows.find((r) => r.title === "Course 05 Kubernetes")).toEqual({
      id: expect.any(String),
      title: "Course 05 Kubernetes",
      contentType: "COURSE",
      language: "en",
      level: "BEGINNER",
      retired: false,
      skills: [{ id: w.skillId, name: "Containers" }],
    });
    expect(titles(await page("q=kubernetes", w.csm))).toEqual([
      "Course 00 Kubernetes",
      "Course 05 Kubernetes",
      "Course 10 Kubernetes",
      "Course 15 Kubernetes",
      "Course 20 Kubernetes",
      "Course 25 Kubernetes",
    ]);
  });

  it("searches, filters, sorts and pages on the server", async () => {
    // The search ignores case; status and type narrow it.
    expect(titles(await page("q=KUBER&type=SPECIALIZATION"))).toEqual(["Course 00 Kubernetes", "Course 15 Kubernetes"]);
    expect(titles(await page("status=retired"))).toEqual(["Course 09", "Course 19", "Course 29"]);
    expect((await page("status=all")).total).toBe(30);
    expect(titles(await page("language=fr&level=ADVANCED&q=kubernetes"))).toEqual([
      "Course 00 Kubernetes",
      "Course 10 Kubernetes",
      "Course 20 Kubernetes",
    ]);
    expect(titles(await page(`skill=${w.skillId}`))).toEqual(["Course 05 Kubernetes"]);
    expect((await page("noSkills=1")).total).toBe(26);
    // Sorted descending, second page of 25: the two smallest titles, last first.
    const second = await page("sort=title&dir=desc&page=2");
    expect(second).toMatchObject({ page: 2, total: 27 });
    expect(titles(second)).toEqual(["Course 01", "Course 00 Kubernetes"]);
    // Page size 50 holds all of them; a bad size falls back to 25 without dropping the sort.
    expect((await page("size=50")).rows).toHaveLength(27);
    const bad = await page("size=7&sort=title&dir=desc");
    expect(bad.pageSize).toBe(25);
    expect(titles(bad)[0]).toBe("Course 28");
  });
});
