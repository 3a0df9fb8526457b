import type { AnyPagedSync } from "@/lib/sync/pipeline";
import { randomUUID } from "node:crypto";
import { beforeAll, afterAll, describe, expect, it, vi } from "vitest";
import { startCourseraSandbox, type CourseraSandbox } from "@/sandbox/server";

/**
 * START (POST /learn/courses/[courseId]/start) is a public endpoint that writes
 * (a CourseLaunch, session progress) and redirects the learner's browser:
 * - it refuses a request another site made the browser send (issue 14 #7):
 *   SameSite=Lax keeps the cookie off cross-site POSTs, but not off POSTs from
 *   another origin of the same site (another port, a sibling subdomain);
 * - it redirects only to a launch URL of Coursera's (issue 14 #3), whatever the
 *   catalogue holds, checked again at the moment of redirecting.
 * The one mock is next-auth's getServerSession (the learner's session).
 */

const session = vi.hoisted(() => ({ current: null as null | { user: { id: string } } }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => session.current }));

const GOOD_LAUNCH = "https://www.coursera.org/programs/acme-program?productId=abc&productType=course&showMiniModal=true";
const HOSTILE_LAUNCH = [
  "https://evil.example/programs/x",
  "javascript:alert(document.cookie)",
  "data:text/html,<script>alert(1)</script>",
  "http://www.coursera.org/programs/x",
  "https://www.coursera.org.evil.example/programs/x",
  "https://evil.example@www.coursera.org/programs/x",
  "https://www.coursera.org:8443/programs/x",
  "//evil.example/programs/x",
  "/\\evil.example/x",
  "https://www.cоursera.org/programs/x",
  " https://evil.example/x",
];

let w: { learner: string; courses: Record<string, string>; good: string };

beforeAll(async () => {
  const { db } = await import("@/lib/db");
  const tag = randomUUID().slice(0, 8);
  const platform = await db.platform.create({ data: { name: `Start ${tag}`, slug: `start-${tag}` } });
  const group = await db.group.create({ data: { platformId: platform.id, name: "Everyone", isPublic: true } });
  await db.courseraConnector.create({ data: { platformId: platform.id, enabled: true, syncGroupId: group.id } });
  const course = (launchUrl: string, n: number) =>
    db.course.create({
      data: { platformId: platform.id, source: "COURSERA", courseraContentId: `c-${tag}-${n}`, title: `Course ${n}`, launchUrl },
      select: { id: true },
    });
  const good = (await course(GOOD_LAUNCH, 0)).id;
  const courses: Record<string, string> = {};
  for (const [i, url] of HOSTILE_LAUNCH.entries()) courses[url] = (await course(url, i + 1)).id;
  const learner = await db.user.create({
    data: { email: `learner-${tag}@start.test`, name: "Learner", role: "LEARNER", platformId: platform.id },
  });
  await db.groupMembership.create({ data: { userId: learner.id, groupId: group.id } });
  w = { learner: learner.id, courses, good };
  session.current = { user: { id: learner.id } };
});

let sandbox: CourseraSandbox | undefined;
afterAll(async () => {
  (await import("@/lib/connectors/coursera-client")).setCourseraClientOverrides({});
  await sandbox?.close();
  await (await import("@/lib/db")).disconnectDb();
});

const APP = "http://localhost:3000";
const start = async (courseId: string, headers: Record<string, string>) =>
  (await import("@/app/(app)/learn/courses/[courseId]/start/route")).POST(
    new Request(`${APP}/learn/courses/${courseId}/start`, { method: "POST", headers }),
    { params: Promise.resolve({ courseId }) },
  );
const launches = async (courseId: string) => (await import("@/lib/db")).db.courseLaunch.count({ where: { userId: w.learner, courseId } });

describe("START refuses requests another site made the browser send", () => {
  it("a form posted from our own pages starts the course", async () => {
    const res = await start(w.good, { origin: APP, "sec-fetch-site": "same-origin" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(GOOD_LAUNCH);
  });

  it.each([
    ["another site", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }],
    ["another origin of the same site (another port)", { origin: "http://localhost:4444", "sec-fetch-site": "same-site" }],
    ["a sibling subdomain", { origin: "http://evil.localhost:3000", "sec-fetch-site": "same-site" }],
    ["an opaque origin (sandboxed frame, data: URL)", { origin: "null", "sec-fetch-site": "cross-site" }],
    ["a browser that only sends Sec-Fetch-Site", { "sec-fetch-site": "cross-site" }],
    ["a browser that only sends Origin", { origin: "https://evil.example" }],
    ["a matching Origin but a cross-site fetch", { origin: APP, "sec-fetch-site": "cross-site" }],
    ["neither header (not a browser's own form post)", {}],
  ])("%s: 403, nothing recorded", async (_label, headers) => {
    const before = await launches(w.good);
    const res = await start(w.good, headers as Record<string, string>);
    expect(res.status).toBe(403);
    expect(res.headers.get("location")).toBeNull();
    expect(await launches(w.good)).toBe(before);
  });
});

describe("START only ever redirects to Coursera", () => {
  it.each(HOSTILE_LAUNCH)("a stored launch URL %j is not followed", async (url) => {
    const courseId = w.courses[url];
    const res = await start(courseId, { origin: APP, "sec-fetch-site": "same-origin" });
    expect(res.status).not.toBe(303);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("no Coursera launch link");
    expect(await launches(courseId)).toBe(0);
  });
});

describe("a catalogue with hostile links, synced then STARTed", () => {
  it("keeps the items without those links, tells the admin, and START never follows one", async () => {
    const { db } = await import("@/lib/db");
    const { encryptSecret } = await import("@/lib/crypto/secrets");
    const { setCourseraClientOverrides } = await import("@/lib/connectors/coursera-client");
    const { openSyncRun } = await import("@/lib/sync/runs");
    const { catalogueSync } = await import("@/lib/catalogue/sync");
    const { runSyncInThisProcess } = await import("@/lib/sync/run-in-process.fixtures");
    sandbox = await startCourseraSandbox({ port: 0, includeDemoOrg: false });
    setCourseraClientOverrides({ baseUrl: sandbox.url, requestsPerSecond: 0 });

    // A Coursera org of 3 ordinary contents, plus the sandbox's hostile ones (a control call).
    const tag = randomUUID().slice(0, 8);
    const orgId = `hostile-${tag}`;
    sandbox.control.addOrg({
      orgId,
      clientId: `client-${tag}`,
      clientSecret: `secret-${tag}`,
      catalogueSize: 3,
      programs: 1,
      enrollmentCount: 0,
    });
    const control = await fetch(`${sandbox.url}/__control/orgs/${orgId}/hostile-links`, { method: "POST" });
    const { added } = (await control.json()) as {
      added: { contentId: string; label: string; url: string; validLaunchUrl: string | null }[];
    };
    expect(added.length).toBeGreaterThan(10);

    const platform = await db.platform.create({ data: { name: `Hostile ${tag}`, slug: `hostile-${tag}` } });
    const group = await db.group.create({ data: { platformId: platform.id, name: "Everyone", isPublic: true } });
    const connector = await db.courseraConnector.create({
      data: {
        platformId: platform.id,
        enabled: true,
        syncGroupId: group.id,
        orgId,
        clientId: `client-${tag}`,
        clientSecretEncrypted: encryptSecret(`secret-${tag}`),
        clientSecretLast4: tag.slice(-4),
      },
    });
    const opened = await openSyncRun({ connectorId: connector.id, kind: "CATALOGUE", trigger: "MANUAL" });
    if (!opened.ok) throw new Error(opened.message);
    expect(await runSyncInThisProcess(catalogueSync as AnyPagedSync, { runId: opened.runId, connectorId: connector.id })).toBe("SUCCEEDED");

    const courses = await db.course.findMany({ where: { platformId: platform.id } });
    expect(courses).toHaveLength(3 + added.length);
    const byContent = new Map(courses.map((c) => [c.courseraContentId, c]));
    for (const item of added) {
      const course = byContent.get(item.contentId)!;
      expect(course, item.label).toBeTruthy();
      expect(course.launchUrl, item.label).toBe(item.validLaunchUrl);
      expect(course.imageUrl, item.label).toBeNull();
      expect(course.partners, item.label).toEqual([{ name: "Hostile University", logoUrl: null }]);
      expect(course.instructors, item.label).toEqual([{ name: "Mallory", title: null, photoUrl: null }]);
    }
    // The ordinary contents keep the sandbox's own links.
    const ordinary = courses.filter((c) => !c.courseraContentId!.startsWith("hostile-"));
    expect(ordinary.every((c) => c.launchUrl?.startsWith(`${sandbox!.url}/programs/`) && c.imageUrl?.startsWith(sandbox!.url))).toBe(true);

    // The run says, item by item, what was dropped and what it means; nothing was counted invalid.
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: opened.runId }, include: { problems: true } });
    expect(run).toMatchObject({ status: "SUCCEEDED", invalid: 0, created: 3 + added.length });
    const problems = new Map<string, string[]>();
    for (const p of run.problems) problems.set(p.itemId!, [...(problems.get(p.itemId!) ?? []), p.message]);
    expect([...problems.keys()].sort()).toEqual(added.map((a) => a.contentId).sort());
    expect(run.problems.every((p) => p.kind === "WARNING")).toBe(true);
    const missingLaunch = problems.get("hostile-0")!.join(" ");
    expect(missingLaunch).toContain("kept without a launch link");
    expect(missingLaunch).toContain("https://evil.example");
    expect(missingLaunch).toContain("Learners cannot start it");
    expect(problems.get("hostile-1")!.join(" ")).toContain("javascript: link");
    expect(problems.get("hostile-then-valid")!.join(" ")).not.toContain("launch link");

    // START: the hostile items cannot be started; the one with a link of Coursera's goes there.
    const learner = await db.user.create({
      data: { email: `learner-${tag}@hostile.test`, name: "L", role: "LEARNER", platformId: platform.id },
    });
    await db.groupMembership.create({ data: { userId: learner.id, groupId: group.id } });
    session.current = { user: { id: learner.id } };
    for (const item of added) {
      const res = await start(byContent.get(item.contentId)!.id, { origin: APP, "sec-fetch-site": "same-origin" });
      if (item.validLaunchUrl) {
        expect(res.status, item.label).toBe(303);
        expect(res.headers.get("location")).toBe(item.validLaunchUrl);
      } else {
        expect(res.status, item.label).toBe(409);
        expect(res.headers.get("location"), item.label).toBeNull();
      }
    }
    session.current = { user: { id: w.learner } };
  });
});
