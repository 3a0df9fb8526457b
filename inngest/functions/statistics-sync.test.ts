import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { statisticsIncrementalSchedule } from "@/inngest/functions/sync-schedule";
import { statisticsSyncFunction } from "@/inngest/functions/sync";
import { resetSyncSandbox, startSyncSandbox, stopSyncSandbox } from "@/inngest/functions/sync-sandbox.fixtures";
import { EmbeddedRunner } from "@/inngest/runner";
import type { RawElement } from "@/sandbox/data";
import type { CourseraSandbox } from "@/sandbox/server";
import { encryptSecret } from "@/lib/crypto/secrets";
import { db } from "@/lib/db";
import { linkUnmatchedIdentity } from "@/lib/statistics/mutations";
import { getLearnerSession } from "@/lib/learning/session-queries";
import { requestSync } from "@/inngest/dispatch";
import { REPORT_LAG_OVERLAP_MS } from "@/lib/statistics/incremental";
import { openScheduledRuns } from "@/lib/sync/runs";
import { connectorsDue } from "@/lib/sync/schedule";

/**
 * The statistics sync end to end: the real Inngest function run by the
 * in-process runner, the production Coursera client over HTTP, the local
 * sandbox, and the real database. Each test has its own sandbox org, platform,
 * users and courses, so nothing depends on another test.
 */

let sandbox: CourseraSandbox;
const runner = new EmbeddedRunner([statisticsSyncFunction], { backoffMs: () => 5, log: () => {} });
const uid = () => randomUUID().slice(0, 8);

beforeAll(async () => {
  // Fast retries: the fault test exhausts the client's attempts several times.
  sandbox = await startSyncSandbox({ maxAttempts: 3 });
});
afterEach(() => resetSyncSandbox(sandbox));
afterAll(() => stopSyncSandbox(sandbox));

interface World {
  orgId: string;
  platformId: string;
  connectorId: string;
  tag: string;
  contentIds: string[];
  courseIds: string[];
  user(email: string, externalId?: string | null): Promise<string>;
}

/** A sandbox org with no generated enrollments (unless asked), a platform wired to it, and its Coursera courses. */
async function world(options: { courses?: number; missingCourses?: number; learners?: number; enrollments?: number } = {}): Promise<World> {
  const tag = uid();
  const orgId = `stats-${tag}`;
  const courses = options.courses ?? 4;
  const missing = options.missingCourses ?? 1;
  sandbox.control.addOrg({
    orgId,
    clientId: `client-${tag}`,
    clientSecret: `secret-${tag}`,
    catalogueSize: courses + missing,
    learners: { count: options.learners ?? 1, emailPattern: `learner{n}@${tag}.test` },
    enrollmentCount: options.enrollments ?? 0,
  });
  const contentIds = Array.from({ length: courses + missing }, (_, i) => sandbox.control.contentIdAt(orgId, i));
  const platform = await db.platform.create({ data: { name: `Stats ${tag}`, slug: `stats-${tag}` } });
  const connector = await db.courseraConnector.create({
    data: {
      platformId: platform.id,
      enabled: true,
      enabledAt: new Date(),
      orgId,
      clientId: `client-${tag}`,
      clientSecretEncrypted: encryptSecret(`secret-${tag}`),
      clientSecretLast4: tag.slice(-4),
    },
  });
  // The last `missing` contents exist on Coursera but not on the platform.
  const courseIds: string[] = [];
  for (const [i, contentId] of contentIds.slice(0, courses).entries()) {
    const course = await db.course.create({
      data: { platformId: platform.id, source: "COURSERA", courseraContentId: contentId, title: `Coursera course ${i + 1}` },
    });
    courseIds.push(course.id);
  }
  return {
    orgId,
    platformId: platform.id,
    connectorId: connector.id,
    tag,
    contentIds,
    courseIds,
    user: async (email, externalId = null) =>
      (await db.user.create({ data: { platformId: platform.id, email, name: email, role: "LEARNER", externalId } })).id,
  };
}

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const HOUR = 3_600_000;

/** A Coursera enrollment report element as the API sends it. */
function record(
  w: World,
  r: {
    externalId?: string;
    email?: string;
    content: number;
    progress?: number;
    completed?: boolean;
    lastActivityAt?: number;
    completedAt?: number;
    grade?: number | null;
    hours?: number;
  },
): RawElement {
  const learner = r.externalId ?? r.email ?? "nobody";
  const raw: RawElement = {
    id: `${learner}~prog-${w.tag}~${w.contentIds[r.content]}`,
    programId: `prog-${w.tag}`,
    programName: "Test program",
    email: r.email,
    fullName: `Learner ${learner.trim()}`,
    contentId: w.contentIds[r.content],
    contentType: "Course",
    contentName: `Coursera course ${r.content + 1}`,
    membershipState: "MEMBER",
    enrolledAt: T0 - 48 * HOUR,
    lastActivityAt: r.lastActivityAt ?? 0,
    isCompleted: r.completed ?? false,
    overallProgress: r.progress ?? 0,
    grade: r.grade ?? null,
    approxTotalCourseHrs: r.hours ?? 0,
  };
  if (r.externalId !== undefined) raw.externalId = r.externalId;
  if (r.completed) raw.completedAt = r.completedAt ?? r.lastActivityAt;
  return raw;
}

function setRecords(w: World, records: RawElement[]): void {
  for (const r of records) sandbox.control.setEnrollment(w.orgId, r);
}

async function sync(w: World) {
  const requested = await requestSync({ connectorId: w.connectorId, kind: "STATISTICS", trigger: "MANUAL" });
  if (!requested.ok) throw new Error(requested.message);
  await runner.runUntilIdle();
  return db.syncRun.findUniqueOrThrow({ where: { id: requested.runId }, include: { problems: true } });
}

const statOf = (userId: string, courseId: string) => db.learnerCourseStat.findUnique({ where: { userId_courseId: { userId, courseId } } });

describe("statistics sync", () => {
  it("matches records by externalId and by email, ignoring case and surrounding spaces", async () => {
    const w = await world();
    const byExternalId = await w.user(`emp1@${w.tag}.test`, "EMP-001");
    const byEmail = await w.user(`grace@${w.tag}.test`);
    const byEmailAfterUnknownExternalId = await w.user(`linus@${w.tag}.test`);
    const viaExternalIdAsEmail = await w.user(`margaret@${w.tag}.test`);
    setRecords(w, [
      record(w, {
        externalId: "  emp-001 ",
        email: `someone.else@${w.tag}.test`,
        content: 0,
        progress: 42,
        lastActivityAt: T0,
        grade: 0.9223,
        hours: 2.5,
      }),
      record(w, {
        email: `  Grace@${w.tag.toUpperCase()}.TEST `,
        content: 1,
        progress: 100,
        completed: true,
        lastActivityAt: T0 + HOUR,
        grade: 0.75,
        hours: 10,
      }),
      record(w, { externalId: "X-UNKNOWN-7", email: `LINUS@${w.tag}.test`, content: 2, lastActivityAt: T0 }),
      record(w, { externalId: ` MARGARET@${w.tag}.test`, content: 3 }),
    ]);

    const run = await sync(w);

    expect(run).toMatchObject({
      status: "SUCCEEDED",
      kind: "STATISTICS",
      fetched: 4,
      matched: 4,
      updated: 4,
      unchanged: 0,
      unmatched: 0,
      invalid: 0,
      pages: 1,
      progressDone: 4,
      progressTotal: 4,
    });
    expect(await statOf(byExternalId, w.courseIds[0])).toMatchObject({
      platformId: w.platformId,
      status: "IN_PROGRESS",
      progressPercent: 42,
      scorePercent: 92.23,
      timeSpentMinutes: 150,
      lastActivityAt: new Date(T0),
      enrolledAt: new Date(T0 - 48 * HOUR),
      completedAt: null,
      lastRunId: run.id,
    });
    expect(await statOf(byEmail, w.courseIds[1])).toMatchObject({
      status: "COMPLETED",
      progressPercent: 100,
      scorePercent: 75,
      completedAt: new Date(T0 + HOUR),
      timeSpentMinutes: 600,
    });
    // Started with progress rounded to 0: in progress, no score.
    expect(await statOf(byEmailAfterUnknownExternalId, w.courseIds[2])).toMatchObject({
      status: "IN_PROGRESS",
      progressPercent: 0,
      scorePercent: null,
    });
    // Enrolled, never active: not started.
    expect(await statOf(viaExternalIdAsEmail, w.courseIds[3])).toMatchObject({
      status: "NOT_STARTED",
      progressPercent: 0,
      lastActivityAt: null,
    });
    // Dates are stored in UTC whatever the session's zone.
    const [raw] = await db.$queryRaw<{ text: string }[]>`
      SELECT "lastActivityAt"::text AS text FROM "LearnerCourseStat" WHERE "userId" = ${byExternalId} AND "courseId" = ${w.courseIds[0]}`;
    expect(raw.text).toBe("2026-01-10 12:00:00");
    expect(await db.unmatchedLearnerRecord.count({ where: { platformId: w.platformId } })).toBe(0);
  });

  it("keeps records matching no user (NO_USER) or no platform course (NO_COURSE) in the unmatched inbox", async () => {
    const w = await world({ courses: 2, missingCourses: 1 });
    const ada = await w.user(`ada@${w.tag}.test`);
    setRecords(w, [
      record(w, {
        externalId: " Contractor-77 ",
        email: `j.doe@contractor-${w.tag}.test`,
        content: 0,
        progress: 30,
        lastActivityAt: T0,
        grade: 0.5,
        hours: 1,
      }),
      record(w, { email: `ada@${w.tag}.test`, content: 2, progress: 10, lastActivityAt: T0 }),
      record(w, { email: `ada@${w.tag}.test`, content: 1, progress: 5, lastActivityAt: T0 }),
    ]);

    const run = await sync(w);

    expect(run).toMatchObject({ status: "NEEDS_REVIEW", fetched: 3, matched: 1, updated: 1, unmatched: 2, invalid: 0 });
    expect(run.problems.some((p) => p.kind === "WARNING" && p.message.includes("2 Coursera records could not be matched"))).toBe(true);
    const held = await db.unmatchedLearnerRecord.findMany({ where: { platformId: w.platformId }, orderBy: { reason: "asc" } });
    expect(held).toHaveLength(2);
    expect(held[0]).toMatchObject({
      reason: "NO_USER",
      identityKey: "contractor-77",
      externalId: "Contractor-77",
      email: `j.doe@contractor-${w.tag}.test`,
      fullName: "Learner Contractor-77",
      contentId: w.contentIds[0],
      contentName: "Coursera course 1",
      lastRunId: run.id,
      resolvedAt: null,
    });
    expect(held[0].record).toMatchObject({
      progressPercent: 30,
      scorePercent: 50,
      timeSpentMinutes: 60,
      lastActivityAt: new Date(T0).toISOString(),
      isCompleted: false,
    });
    expect(held[1]).toMatchObject({ reason: "NO_COURSE", identityKey: `ada@${w.tag}.test`, contentId: w.contentIds[2], resolvedAt: null });
    expect(await db.learnerCourseStat.count({ where: { platformId: w.platformId } })).toBe(1);
    expect(await statOf(ada, w.courseIds[1])).toMatchObject({ progressPercent: 5 });

    // Seen again: still one row per identity and content, with the latest record.
    setRecords(w, [
      record(w, {
        externalId: " Contractor-77 ",
        email: `j.doe@contractor-${w.tag}.test`,
        content: 0,
        progress: 35,
        lastActivityAt: T0 + HOUR,
      }),
    ]);
    const again = await sync(w);
    const row = await db.unmatchedLearnerRecord.findUniqueOrThrow({
      where: { platformId_identityKey_contentId: { platformId: w.platformId, identityKey: "contractor-77", contentId: w.contentIds[0] } },
    });
    expect(row).toMatchObject({ lastRunId: again.id, firstSeenAt: held[0].firstSeenAt });
    expect(row.record).toMatchObject({ progressPercent: 35 });
    expect(await db.unmatchedLearnerRecord.count({ where: { platformId: w.platformId } })).toBe(2);
  });

  it("applies held statistics at once when an admin links the identity, and matches it directly on the next sync", async () => {
    const w = await world({ courses: 3, missingCourses: 1 });
    const jordan = await w.user(`jordan.doe@${w.tag}.test`);
    const admin = await db.user.create({ data: { platformId: w.platformId, email: `admin@${w.tag}.test`, name: "Admin", role: "ADMIN" } });
    const who = { externalId: "EXT-4471", email: `j.doe@contractor-${w.tag}.test` };
    setRecords(w, [
      record(w, { ...who, content: 0, progress: 100, completed: true, lastActivityAt: T0, grade: 0.88, hours: 12 }),
      record(w, { ...who, content: 1, progress: 20, lastActivityAt: T0 }),
      record(w, { ...who, content: 3, progress: 50, lastActivityAt: T0 }), // a course the platform does not have
    ]);
    const first = await sync(w);
    expect(first).toMatchObject({ unmatched: 3, matched: 0, status: "NEEDS_REVIEW" });
    expect(await db.learnerCourseStat.count({ where: { userId: jordan } })).toBe(0);

    const linked = await linkUnmatchedIdentity({
      platformId: w.platformId,
      identityKey: " ext-4471 ",
      userId: jordan,
      actor: { id: admin.id, email: admin.email },
    });

    expect(linked).toEqual({ ok: true, applied: 2, stillHeld: 1 });
    expect(await statOf(jordan, w.courseIds[0])).toMatchObject({
      status: "COMPLETED",
      progressPercent: 100,
      scorePercent: 88,
      completedAt: new Date(T0),
      timeSpentMinutes: 720,
      lastRunId: null,
    });
    expect(await statOf(jordan, w.courseIds[1])).toMatchObject({ status: "IN_PROGRESS", progressPercent: 20 });
    const rows = await db.unmatchedLearnerRecord.findMany({ where: { platformId: w.platformId }, orderBy: { contentId: "asc" } });
    const byContent = new Map(rows.map((r) => [r.contentId, r]));
    expect(byContent.get(w.contentIds[0])).toMatchObject({ resolvedUserId: jordan, resolvedById: admin.id });
    expect(byContent.get(w.contentIds[0])?.resolvedAt).not.toBeNull();
    expect(byContent.get(w.contentIds[3])).toMatchObject({ reason: "NO_COURSE", resolvedAt: null, resolvedUserId: null });
    expect(await db.learnerIdentityLink.findMany({ where: { platformId: w.platformId } })).toMatchObject([
      { identityKey: "ext-4471", userId: jordan, createdById: admin.id },
    ]);
    expect(await db.auditLog.count({ where: { platformId: w.platformId, action: "statistics.identity-linked", actorId: admin.id } })).toBe(
      1,
    );

    // The next sync matches the identity through the link: nothing new is held for it.
    setRecords(w, [record(w, { ...who, content: 1, progress: 60, lastActivityAt: T0 + HOUR })]);
    const next = await sync(w);
    expect(next).toMatchObject({ fetched: 3, matched: 2, updated: 1, unchanged: 1, unmatched: 1 });
    expect(await statOf(jordan, w.courseIds[1])).toMatchObject({ progressPercent: 60, lastRunId: next.id });
    expect(await db.unmatchedLearnerRecord.count({ where: { platformId: w.platformId, resolvedAt: null } })).toBe(1);
  });

  it("never moves statistics backwards: a lower progress or an older record changes nothing, a completion is not undone", async () => {
    const w = await world({ courses: 2 });
    const ada = await w.user(`ada@${w.tag}.test`);
    const email = `ada@${w.tag}.test`;
    setRecords(w, [
      record(w, { email, content: 0, progress: 60, lastActivityAt: T0 + 2 * HOUR, grade: 0.8, hours: 5 }),
      record(w, { email, content: 1, progress: 100, completed: true, lastActivityAt: T0, completedAt: T0, grade: 0.9, hours: 8 }),
    ]);
    await sync(w);
    const before = await db.learnerCourseStat.findMany({ where: { userId: ada }, orderBy: { courseId: "asc" } });

    // A stale report (rounded down, older activity, older grade) and an older report from before the completion.
    setRecords(w, [
      record(w, { email, content: 0, progress: 40, lastActivityAt: T0, grade: 0.5, hours: 3 }),
      record(w, { email, content: 1, progress: 70, completed: false, lastActivityAt: T0 - HOUR, grade: 0.6, hours: 6 }),
    ]);
    const stale = await sync(w);

    expect(stale).toMatchObject({ status: "SUCCEEDED", matched: 2, updated: 0, unchanged: 2 });
    const after = await db.learnerCourseStat.findMany({ where: { userId: ada }, orderBy: { courseId: "asc" } });
    expect(after).toEqual(before);
    expect(await statOf(ada, w.courseIds[0])).toMatchObject({
      progressPercent: 60,
      scorePercent: 80,
      lastActivityAt: new Date(T0 + 2 * HOUR),
      timeSpentMinutes: 300,
    });
    expect(await statOf(ada, w.courseIds[1])).toMatchObject({
      status: "COMPLETED",
      progressPercent: 100,
      completedAt: new Date(T0),
      scorePercent: 90,
    });

    // A newer report moves things forward again, and its newer score replaces the old one.
    setRecords(w, [record(w, { email, content: 0, progress: 75, lastActivityAt: T0 + 3 * HOUR, grade: 0.7, hours: 6 })]);
    await sync(w);
    expect(await statOf(ada, w.courseIds[0])).toMatchObject({
      progressPercent: 75,
      scorePercent: 70,
      lastActivityAt: new Date(T0 + 3 * HOUR),
      timeSpentMinutes: 360,
    });
  });

  it("changes nothing when the same sync runs again (idempotent)", async () => {
    const w = await world({ courses: 5, missingCourses: 0, learners: 6, enrollments: 30 });
    for (let n = 1; n <= 6; n++) await w.user(`learner${n}@${w.tag}.test`);
    const first = await sync(w);
    expect(first).toMatchObject({ status: "SUCCEEDED", fetched: 30, matched: 30, updated: 30, unmatched: 0 });
    const stamps = new Map(
      (await db.learnerCourseStat.findMany({ where: { platformId: w.platformId } })).map((s) => [s.id, s.updatedAt.getTime()]),
    );
    expect(stamps.size).toBe(30);

    const second = await sync(w);

    expect(second).toMatchObject({ status: "SUCCEEDED", fetched: 30, matched: 30, updated: 0, unchanged: 30 });
    const after = await db.learnerCourseStat.findMany({ where: { platformId: w.platformId } });
    expect(after).toHaveLength(30);
    for (const s of after) expect(s.updatedAt.getTime()).toBe(stamps.get(s.id));
    expect(after.every((s) => s.lastRunId === first.id)).toBe(true);
  });

  it("lets a program session continue past a started Coursera step, and counts it once completed", async () => {
    const w = await world({ courses: 2 });
    const email = `ada@${w.tag}.test`;
    const ada = await w.user(email);
    const notEnrolled = await w.user(`grace@${w.tag}.test`);
    const native = await db.course.create({ data: { platformId: w.platformId, source: "NATIVE", title: "Welcome" } });
    const program = await db.program.create({
      data: {
        platformId: w.platformId,
        name: "Onboarding",
        steps: {
          create: [
            { position: 1, courseId: w.courseIds[0] },
            { position: 2, courseId: w.courseIds[1] },
            { position: 3, courseId: native.id },
          ],
        },
      },
      include: { steps: { orderBy: { position: "asc" } } },
    });
    const session = await db.programSession.create({
      data: { programId: program.id, name: "Spring cohort", enrollments: { create: [{ userId: ada }] } },
    });
    const [step1, step2, step3] = program.steps;
    // What Ada's session page shows, and what her START is checked against.
    const sessionOfAda = () => getLearnerSession(ada, w.platformId, session.id);

    const initial = await sessionOfAda();
    expect(initial?.steps.map((s) => s.unlocked)).toEqual([true, false, false]);

    // Started on Coursera: activity recorded, progress still rounds to 0.
    setRecords(w, [
      record(w, { email, content: 0, progress: 0, lastActivityAt: T0 }),
      record(w, { email: `grace@${w.tag}.test`, content: 0, progress: 10, lastActivityAt: T0 }),
    ]);
    await sync(w);

    expect(
      await db.stepProgress.findUnique({ where: { sessionId_stepId_userId: { sessionId: session.id, stepId: step1.id, userId: ada } } }),
    ).toMatchObject({
      status: "STARTED",
      startedAt: new Date(T0),
      completedAt: null,
    });
    expect(await db.stepProgress.count({ where: { userId: notEnrolled } })).toBe(0);
    const started = await sessionOfAda();
    expect(started?.steps.map((s) => [s.status, s.unlocked])).toEqual([
      ["STARTED", true],
      ["NOT_STARTED", true],
      ["NOT_STARTED", false],
    ]);
    expect(started).toMatchObject({ completedSteps: 0, totalSteps: 3, percent: 0 });

    setRecords(w, [record(w, { email, content: 0, progress: 100, completed: true, lastActivityAt: T0 + HOUR, grade: 0.95 })]);
    await sync(w);

    expect(
      await db.stepProgress.findUnique({ where: { sessionId_stepId_userId: { sessionId: session.id, stepId: step1.id, userId: ada } } }),
    ).toMatchObject({
      status: "COMPLETED",
      startedAt: new Date(T0),
      completedAt: new Date(T0 + HOUR),
    });
    const completed = await sessionOfAda();
    expect(completed).toMatchObject({ completedSteps: 1, totalSteps: 3, percent: 33 });
    // A native step only opens the next one once completed on the platform.
    expect(completed?.steps.find((s) => s.stepId === step3.id)?.unlocked).toBe(false);
    expect(completed?.steps.find((s) => s.stepId === step2.id)?.unlocked).toBe(true);

    // A learner enrolled after their statistics arrived catches up at the end of the next run.
    await db.sessionEnrollment.create({ data: { sessionId: session.id, userId: notEnrolled } });
    await sync(w);
    expect(
      await db.stepProgress.findUnique({
        where: { sessionId_stepId_userId: { sessionId: session.id, stepId: step1.id, userId: notEnrolled } },
      }),
    ).toMatchObject({ status: "STARTED" });
  });

  it("keeps statistics applied before a mid-sync fault consistent and marks the run FAILED with its reason", async () => {
    const w = await world({ courses: 10, missingCourses: 0, learners: 5, enrollments: 50 });
    for (let n = 1; n <= 5; n++) await w.user(`learner${n}@${w.tag}.test`);
    sandbox.control.setMaxPageSize(10);
    // Two pages come through, then Coursera answers 503 to every request.
    sandbox.control.injectFault({ endpoint: "enrollmentReports", kind: "server-error-503", afterRequests: 2, times: "always" });

    const failed = await sync(w);

    expect(failed.status).toBe("FAILED");
    expect(failed.errorCode).toBe("UNAVAILABLE");
    expect(failed.errorMessage).toMatch(/Coursera did not answer properly after 3 attempts.*503/);
    expect(failed).toMatchObject({ pages: 2, fetched: 20, matched: 20, updated: 20 });
    const applied = await db.learnerCourseStat.findMany({ where: { platformId: w.platformId } });
    expect(applied).toHaveLength(20);
    // What was written is exactly what Coursera said for those 20 records.
    const org = sandbox.control.org(w.orgId);
    const firstTwenty = org.enrollmentsPage(0, 20).elements;
    const courseByContent = new Map(w.contentIds.map((c, i) => [c, w.courseIds[i]]));
    for (const raw of firstTwenty) {
      const user = await db.user.findUniqueOrThrow({ where: { email: String(raw.email) } });
      const stat = applied.find((s) => s.userId === user.id && s.courseId === courseByContent.get(String(raw.contentId)));
      expect(stat?.progressPercent).toBe(raw.overallProgress);
      expect(stat?.status).toBe(
        raw.isCompleted ? "COMPLETED" : Number(raw.lastActivityAt) > 0 || Number(raw.overallProgress) > 0 ? "IN_PROGRESS" : "NOT_STARTED",
      );
    }

    // Coursera is back: the next run completes and leaves the first 20 untouched.
    sandbox.control.clearFaults();
    const stamps = new Map(applied.map((s) => [s.id, s.updatedAt.getTime()]));
    const retry = await sync(w);
    expect(retry).toMatchObject({ status: "SUCCEEDED", pages: 5, fetched: 50, updated: 30, unchanged: 20, errorCode: null });
    const all = await db.learnerCourseStat.findMany({ where: { platformId: w.platformId } });
    expect(all).toHaveLength(50);
    for (const s of all) if (stamps.has(s.id)) expect(s.updatedAt.getTime()).toBe(stamps.get(s.id));
  });

  it("fails at once, without retrying, when Coursera rejects the credentials", async () => {
    const w = await world({ courses: 1 });
    await db.courseraConnector.update({ where: { id: w.connectorId }, data: { clientSecretEncrypted: encryptSecret("not-the-secret") } });
    const tokensBefore = sandbox.control.stats().tokensIssuedByOrg[w.orgId] ?? 0;

    const run = await sync(w);

    expect(run).toMatchObject({ status: "FAILED", errorCode: "BAD_CREDENTIALS", pages: 0 });
    expect(run.errorMessage).toMatch(/rejected the client ID or client secret/);
    expect(sandbox.control.stats().tokensIssuedByOrg[w.orgId] ?? 0).toBe(tokensBefore);
    const job = await db.jobRun.findFirstOrThrow({
      where: { functionId: "statistics-sync", eventData: { path: ["runId"], equals: run.id } },
    });
    expect(job).toMatchObject({ status: "FAILED", attempt: 1 });
  });

  it("counts a malformed record as invalid with a problem row and applies the rest of the page", async () => {
    const w = await world({ courses: 1 });
    const ada = await w.user(`ada@${w.tag}.test`);
    setRecords(w, [
      record(w, { email: `ada@${w.tag}.test`, content: 0, progress: 25, lastActivityAt: T0 }),
      { id: `broken-${w.tag}`, email: `ada@${w.tag}.test`, contentId: w.contentIds[0], overallProgress: "a lot", lastActivityAt: T0 },
      { id: `anonymous-${w.tag}`, contentId: w.contentIds[0], overallProgress: 10 },
    ]);

    const run = await sync(w);

    expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 3, matched: 1, updated: 1, invalid: 2, unmatched: 0 });
    const problems = run.problems.filter((p) => p.kind === "INVALID_RECORD").sort((a, b) => (a.itemId ?? "").localeCompare(b.itemId ?? ""));
    expect(problems.map((p) => p.itemId)).toEqual([`anonymous-${w.tag}`, `broken-${w.tag}`]);
    expect(problems[1].message).toMatch(/overallProgress/);
    expect(problems[0].message).toMatch(/no learner/);
    expect(await statOf(ada, w.courseIds[0])).toMatchObject({ progressPercent: 25 });
  });
});

/** An hourly incremental run, opened as the schedule opens it and run by the runner. */
async function incrementalSync(w: World) {
  const [opened] = await openScheduledRuns([w.connectorId], "STATISTICS", "INCREMENTAL");
  expect(opened.alreadyRunning).toBe(false);
  await runner.send({
    name: "coursera/statistics.sync-requested",
    id: `run-${opened.runId}`,
    data: { connectorId: w.connectorId, runId: opened.runId, orgId: w.orgId },
  });
  await runner.runUntilIdle();
  return db.syncRun.findUniqueOrThrow({ where: { id: opened.runId }, include: { problems: true } });
}

const lastFilter = (w: World) => sandbox.control.stats().lastEnrollmentFilterByOrg[w.orgId];
const stamps = async (platformId: string) =>
  new Map((await db.learnerCourseStat.findMany({ where: { platformId } })).map((s) => [s.id, s.updatedAt.getTime()]));

describe("incremental statistics sync", () => {
  it("asks Coursera only for what changed since the last success, less the lag overlap, and applies exactly that; the full sync still reconciles", async () => {
    const w = await world({ courses: 3, missingCourses: 0 });
    const [ada, grace, linus] = [
      await w.user(`ada@${w.tag}.test`),
      await w.user(`grace@${w.tag}.test`),
      await w.user(`linus@${w.tag}.test`),
    ];
    const who = (name: string) => ({ email: `${name}@${w.tag}.test` });
    setRecords(w, [
      record(w, { ...who("ada"), content: 0, progress: 20, lastActivityAt: T0 }),
      record(w, { ...who("grace"), content: 1, progress: 30, lastActivityAt: T0 }),
      record(w, { ...who("linus"), content: 2, progress: 100, completed: true, lastActivityAt: T0 }),
    ]);
    const full = await sync(w);
    expect(full).toMatchObject({ mode: "FULL", changedSince: null, status: "SUCCEEDED", updated: 3 });
    expect(lastFilter(w)).toBeNull();
    const before = await stamps(w.platformId);

    const recent = Date.now() - HOUR;
    setRecords(w, [
      // Active within the window: asked for and applied.
      record(w, { ...who("ada"), content: 0, progress: 60, lastActivityAt: recent }),
      // Completed within the window, last active long before it: asked for through completedAtAfter (either filter).
      record(w, { ...who("ada"), content: 1, progress: 100, completed: true, lastActivityAt: T0, completedAt: recent }),
      // Changed, but with activity dated before the window: not asked for; the next full sync brings it.
      record(w, { ...who("grace"), content: 1, progress: 35, lastActivityAt: T0 + HOUR }),
      // A learner the platform does not know, active within the window: to the inbox.
      record(w, { email: `newcomer@${w.tag}.test`, content: 2, progress: 10, lastActivityAt: recent }),
    ]);

    const incremental = await incrementalSync(w);

    expect(incremental).toMatchObject({
      mode: "INCREMENTAL",
      trigger: "SCHEDULE",
      status: "NEEDS_REVIEW",
      fetched: 3,
      matched: 2,
      updated: 2,
      unmatched: 1,
      invalid: 0,
    });
    expect(incremental.changedSince).toEqual(new Date(full.startedAt!.getTime() - REPORT_LAG_OVERLAP_MS));
    const since = incremental.changedSince!.getTime();
    expect(lastFilter(w)).toEqual({ lastActivityAfter: since, completedAtAfter: since });
    expect(await statOf(ada, w.courseIds[0])).toMatchObject({
      progressPercent: 60,
      lastActivityAt: new Date(recent),
      lastRunId: incremental.id,
    });
    expect(await statOf(ada, w.courseIds[1])).toMatchObject({
      status: "COMPLETED",
      completedAt: new Date(recent),
      lastRunId: incremental.id,
    });
    // Untouched records were not rewritten.
    const graceRow = await statOf(grace, w.courseIds[1]);
    const linusRow = await statOf(linus, w.courseIds[2]);
    expect(graceRow).toMatchObject({ progressPercent: 30, lastRunId: full.id });
    expect(graceRow!.updatedAt.getTime()).toBe(before.get(graceRow!.id));
    expect(linusRow!.updatedAt.getTime()).toBe(before.get(linusRow!.id));
    expect(await db.unmatchedLearnerRecord.findFirstOrThrow({ where: { platformId: w.platformId } })).toMatchObject({
      identityKey: `newcomer@${w.tag}.test`,
      reason: "NO_USER",
      lastRunId: incremental.id,
      resolvedAt: null,
    });
    expect(incremental.problems.some((p) => p.kind === "WARNING" && p.message.includes("1 Coursera record could not be matched"))).toBe(
      true,
    );

    // The daily full sync reads everything again and reconciles what the window could not see.
    const reconcile = await sync(w);
    expect(reconcile).toMatchObject({ mode: "FULL", fetched: 5, matched: 4, updated: 1, unchanged: 3, unmatched: 1 });
    expect(lastFilter(w)).toBeNull();
    expect(await statOf(grace, w.courseIds[1])).toMatchObject({ progressPercent: 35, lastRunId: reconcile.id });

    // The next incremental window counts from the latest success, whichever mode it was.
    const next = await incrementalSync(w);
    expect(next.changedSince).toEqual(new Date(reconcile.startedAt!.getTime() - REPORT_LAG_OVERLAP_MS));
    expect(next).toMatchObject({ fetched: 3, updated: 0, unchanged: 2 });
  });

  it("never moves statistics backwards: a lower progress or a non-completed status for a completed record changes nothing", async () => {
    const w = await world({ courses: 2 });
    const email = `ada@${w.tag}.test`;
    const ada = await w.user(email);
    const earlier = Date.now() - 3 * HOUR;
    setRecords(w, [
      record(w, { email, content: 0, progress: 100, completed: true, lastActivityAt: earlier, grade: 0.9, hours: 8 }),
      record(w, { email, content: 1, progress: 80, lastActivityAt: earlier, grade: 0.7, hours: 5 }),
    ]);
    await sync(w);
    const before = await db.learnerCourseStat.findMany({ where: { userId: ada }, orderBy: { courseId: "asc" } });

    // Reported within the window with less than what is stored: rounded-down progress, completion gone, fewer hours.
    setRecords(w, [
      record(w, { email, content: 0, progress: 50, completed: false, lastActivityAt: earlier, hours: 2 }),
      record(w, { email, content: 1, progress: 40, lastActivityAt: earlier - HOUR, grade: 0.2, hours: 1 }),
    ]);
    const run = await incrementalSync(w);

    expect(run).toMatchObject({ mode: "INCREMENTAL", status: "SUCCEEDED", fetched: 2, matched: 2, updated: 0, unchanged: 2 });
    expect(await db.learnerCourseStat.findMany({ where: { userId: ada }, orderBy: { courseId: "asc" } })).toEqual(before);
    expect(await statOf(ada, w.courseIds[0])).toMatchObject({ status: "COMPLETED", progressPercent: 100, scorePercent: 90 });
    expect(await statOf(ada, w.courseIds[1])).toMatchObject({ status: "IN_PROGRESS", progressPercent: 80, scorePercent: 70 });
  });

  it("leaves whole pages or nothing when Coursera fails mid-run, and the next run asks for the same window", async () => {
    const w = await world({ courses: 6, missingCourses: 0 });
    const users: string[] = [];
    for (let n = 1; n <= 5; n++) users.push(await w.user(`learner${n}@${w.tag}.test`));
    const all = (progress: number, at: number) =>
      users.flatMap((_, n) =>
        w.contentIds
          .slice(0, 6)
          .map((_c, content) => record(w, { email: `learner${n + 1}@${w.tag}.test`, content, progress, lastActivityAt: at })),
      );
    setRecords(w, all(10, T0));
    const full = await sync(w);
    expect(full).toMatchObject({ status: "SUCCEEDED", updated: 30 });

    setRecords(w, all(50, Date.now() - HOUR));
    sandbox.control.setMaxPageSize(10);
    // Two pages come through, then Coursera answers 503 to every request.
    sandbox.control.injectFault({ endpoint: "enrollmentReports", kind: "server-error-503", afterRequests: 2, times: "always" });
    const failed = await incrementalSync(w);

    expect(failed).toMatchObject({ mode: "INCREMENTAL", status: "FAILED", errorCode: "UNAVAILABLE", pages: 2, fetched: 20, updated: 20 });
    const rows = await db.learnerCourseStat.findMany({ where: { platformId: w.platformId } });
    // Every row is either wholly the old record or wholly the new one: 20 moved, 10 as they were.
    expect(rows.filter((r) => r.progressPercent === 50 && r.lastRunId === failed.id)).toHaveLength(20);
    expect(rows.filter((r) => r.progressPercent === 10 && r.lastRunId === full.id && r.lastActivityAt?.getTime() === T0)).toHaveLength(10);

    sandbox.control.clearFaults();
    const retry = await incrementalSync(w);
    // A failed run is no success: the window still counts from the full sync.
    expect(retry.changedSince).toEqual(failed.changedSince);
    expect(retry).toMatchObject({ status: "SUCCEEDED", fetched: 30, updated: 10, unchanged: 20 });
    expect(await db.learnerCourseStat.count({ where: { platformId: w.platformId, progressPercent: 50 } })).toBe(30);
  });

  it("reads the whole report when there is no earlier success to count from", async () => {
    const w = await world({ courses: 1 });
    const ada = await w.user(`ada@${w.tag}.test`);
    setRecords(w, [record(w, { email: `ada@${w.tag}.test`, content: 0, progress: 25, lastActivityAt: T0 })]);
    const run = await incrementalSync(w);
    expect(run).toMatchObject({ mode: "INCREMENTAL", changedSince: null, status: "SUCCEEDED", fetched: 1, updated: 1 });
    expect(lastFilter(w)).toBeNull();
    expect(await statOf(ada, w.courseIds[0])).toMatchObject({ progressPercent: 25 });
  });

  it("the hourly schedule opens incremental runs only where a success exists and no statistics run was queued within the hour", async () => {
    const due = await world({ courses: 1 });
    const recent = await world({ courses: 1 });
    const never = await world({ courses: 1 });
    for (const w of [due, recent]) {
      await w.user(`ada@${w.tag}.test`);
      setRecords(w, [record(w, { email: `ada@${w.tag}.test`, content: 0, progress: 25, lastActivityAt: T0 })]);
      await sync(w);
    }
    // The due connector was enabled days ago and its last daily (full, scheduled) sync ran 2 hours ago;
    // its daily time is 6 hours from now, so no daily tick (other test files tick the daily schedule
    // over the whole database) opens a run for it meanwhile.
    const inSixHours = new Date(Date.now() + 6 * HOUR);
    await db.courseraConnector.update({
      where: { id: due.connectorId },
      data: { enabledAt: new Date(Date.now() - 72 * HOUR), timeZone: "UTC", statisticsTime: inSixHours.toISOString().slice(11, 16) },
    });
    await db.syncRun.updateMany({
      where: { connectorId: due.connectorId },
      data: { trigger: "SCHEDULE", queuedAt: new Date(Date.now() - 2 * HOUR) },
    });

    const engine = new InngestTestEngine({
      function: statisticsIncrementalSchedule.sdk,
      events: [{ name: "inngest/scheduled.timer", data: { cron: "*/5 * * * *" }, ts: Date.now() }],
      // Other test files' connectors may be due too, enough for several batches of events.
      steps: Array.from({ length: 10 }, (_, i) => ({ id: `start-runs-${i}`, handler: () => ({ ids: [] }) })),
    });
    const { ctx } = await engine.execute();
    const sent = vi.mocked(ctx.step.sendEvent).mock.calls.flatMap((call) => call[1] ?? []) as {
      name: string;
      data: { runId: string; connectorId: string };
    }[];
    const mine = sent.filter((e) => [due, recent, never].some((w) => w.connectorId === e.data.connectorId));
    const dueRuns = await db.syncRun.findMany({
      where: { connectorId: due.connectorId },
      select: { mode: true, trigger: true, status: true, queuedAt: true },
    });
    expect(
      mine.map((e) => e.data.connectorId),
      `${sent.length} events sent; the due connector's runs: ${JSON.stringify(dueRuns)}`,
    ).toEqual([due.connectorId]);
    const opened = await db.syncRun.findUniqueOrThrow({ where: { id: mine[0].data.runId } });
    expect(opened).toMatchObject({ kind: "STATISTICS", mode: "INCREMENTAL", trigger: "SCHEDULE", status: "QUEUED" });
    await runner.send(mine as never);
    await runner.runUntilIdle();
    expect(await db.syncRun.findUniqueOrThrow({ where: { id: opened.id } })).toMatchObject({ status: "SUCCEEDED", fetched: 0 });

    // An incremental run on schedule does not stand in for the daily full one: once its daily time
    // comes, the daily rule finds it due (its last full scheduled run was before that time).
    const dailyDue = await connectorsDue("STATISTICS", new Date(inSixHours.getTime() + 5 * 60_000));
    expect(dailyDue.map((c) => c.id)).toContain(due.connectorId);
  });
});
