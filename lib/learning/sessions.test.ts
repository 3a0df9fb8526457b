import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { startCourse } from "@/lib/learning/mutations";
import { getLearnerCourse } from "@/lib/learning/course-queries";
import { getLearnerSession, listLearnerSessions } from "@/lib/learning/session-queries";
import { mergeStepStatus, sessionPercent, withUnlockState } from "@/lib/learning/unlock";
import { createLearningWorld, type LearningWorld } from "@/lib/learning/learning-world.fixtures";

let world: LearningWorld;

/** A program of [Coursera course, native course, Coursera course] with a session and the given learner enrolled. */
async function sessionFor(userId: string) {
  const first = await world.coursera({ title: `Step one ${Math.random()}` });
  const second = await world.native(`Step two ${Math.random()}`, [world.groups.engineering]);
  const third = await world.coursera({ title: `Step three ${Math.random()}` });
  const program = await db.program.create({
    data: {
      platformId: world.platformId,
      name: "Onboarding",
      steps: {
        create: [
          { position: 1, courseId: first },
          { position: 2, courseId: second },
          { position: 3, courseId: third },
        ],
      },
    },
    include: { steps: { orderBy: { position: "asc" } } },
  });
  const session = await db.programSession.create({ data: { programId: program.id, name: "Cohort" } });
  await db.sessionEnrollment.create({ data: { sessionId: session.id, userId } });
  return { sessionId: session.id, courses: [first, second, third], stepIds: program.steps.map((s) => s.id) };
}

beforeAll(async () => {
  world = await createLearningWorld();
});
afterAll(async () => {
  await world.dispose();
  await disconnectDb();
});

describe("unlock rules", () => {
  it("opens the first step, then each next one once the step before lets the learner continue", () => {
    const steps = withUnlockState([
      { source: "COURSERA" as const, status: "NOT_STARTED" as const },
      { source: "NATIVE" as const, status: "NOT_STARTED" as const },
    ]);
    expect(steps.map((s) => s.unlocked)).toEqual([true, false]);
  });

  it("lets a STARTED Coursera step open the next; a native step must be COMPLETED", () => {
    expect(
      withUnlockState([
        { source: "COURSERA" as const, status: "STARTED" as const },
        { source: "NATIVE" as const, status: "STARTED" as const },
        { source: "COURSERA" as const, status: "NOT_STARTED" as const },
      ]).map((s) => s.unlocked),
    ).toEqual([true, true, false]);
    expect(
      withUnlockState([
        { source: "NATIVE" as const, status: "COMPLETED" as const },
        { source: "COURSERA" as const, status: "NOT_STARTED" as const },
        { source: "NATIVE" as const, status: "NOT_STARTED" as const },
      ]).map((s) => s.unlocked),
    ).toEqual([true, true, false]);
  });

  it("keeps a step the learner already started open, whatever came before", () => {
    expect(
      withUnlockState([
        { source: "NATIVE" as const, status: "NOT_STARTED" as const },
        { source: "COURSERA" as const, status: "STARTED" as const },
        { source: "NATIVE" as const, status: "NOT_STARTED" as const },
      ]).map((s) => s.unlocked),
    ).toEqual([true, true, true]);
  });

  it("merges the recorded status with Coursera's, never going back, and counts only completed steps", () => {
    expect(mergeStepStatus("STARTED", "NOT_STARTED")).toBe("STARTED");
    expect(mergeStepStatus("COMPLETED", "IN_PROGRESS")).toBe("COMPLETED");
    expect(mergeStepStatus(null, "IN_PROGRESS")).toBe("STARTED");
    expect(mergeStepStatus("STARTED", "COMPLETED")).toBe("COMPLETED");
    expect(sessionPercent([{ status: "COMPLETED" }, { status: "STARTED" }, { status: "NOT_STARTED" }])).toEqual({
      completed: 1,
      total: 3,
      percent: 33,
    });
    expect(sessionPercent([])).toEqual({ completed: 0, total: 0, percent: 0 });
  });
});

describe("START and program sessions", () => {
  it("records the launch and returns the program-scoped launch URL, without pretending to be Coursera's progress", async () => {
    const courseId = await world.coursera({ title: "Started from the catalogue" });
    const result = await startCourse({ userId: world.users.engineer, platformId: world.platformId, courseId });
    expect(result).toMatchObject({ ok: true, stepsStarted: 0 });
    if (!result.ok) return;
    expect(result.launchUrl).toContain("productId=");
    const launch = await db.courseLaunch.findUniqueOrThrow({ where: { id: result.launchId } });
    expect(launch).toMatchObject({ userId: world.users.engineer, courseId, sessionId: null });
    expect(await db.learnerCourseStat.count({ where: { userId: world.users.engineer, courseId } })).toBe(0);
    const course = await getLearnerCourse(world.users.engineer, world.platformId, courseId);
    expect(course?.stat).toBeNull();
    expect(course?.lastLaunchedAt).toEqual(launch.launchedAt);
  });

  it("refuses a course the learner may not see, recording nothing", async () => {
    const courseId = await world.coursera({ title: "Not for sales" });
    const retired = await world.coursera({ title: "Gone", retired: true });
    for (const [userId, id] of [
      [world.users.seller, courseId],
      [world.users.security, courseId],
      [world.users.engineer, retired],
      [world.users.engineer, "no-such-course"],
    ]) {
      expect(await startCourse({ userId, platformId: world.platformId, courseId: id })).toMatchObject({ ok: false, code: "NOT_FOUND" });
    }
    expect(await db.courseLaunch.count({ where: { courseId: { in: [courseId, retired] } } })).toBe(0);
  });

  it("marks the session's Coursera step STARTED, which unlocks the next step", async () => {
    const { sessionId, courses, stepIds } = await sessionFor(world.users.sre);
    const before = await getLearnerSession(world.users.sre, world.platformId, sessionId);
    expect(before?.steps.map((s) => [s.status, s.unlocked])).toEqual([
      ["NOT_STARTED", true],
      ["NOT_STARTED", false],
      ["NOT_STARTED", false],
    ]);

    const result = await startCourse({ userId: world.users.sre, platformId: world.platformId, courseId: courses[0], sessionId });
    expect(result).toMatchObject({ ok: true, stepsStarted: 1 });
    expect(await db.courseLaunch.count({ where: { userId: world.users.sre, courseId: courses[0], sessionId } })).toBe(1);

    const after = await getLearnerSession(world.users.sre, world.platformId, sessionId);
    expect(after?.steps.map((s) => [s.status, s.unlocked])).toEqual([
      ["STARTED", true],
      ["NOT_STARTED", true],
      ["NOT_STARTED", false],
    ]);
    expect(after).toMatchObject({ completedSteps: 0, totalSteps: 3, percent: 0 });
    const progress = await db.stepProgress.findUniqueOrThrow({
      where: { sessionId_stepId_userId: { sessionId, stepId: stepIds[0], userId: world.users.sre } },
    });
    expect(progress.startedAt).not.toBeNull();
  });

  it("counts the step completed once Coursera reports completion, and never moves a completed step back", async () => {
    const { sessionId, courses, stepIds } = await sessionFor(world.users.engineer);
    await startCourse({ userId: world.users.engineer, platformId: world.platformId, courseId: courses[0], sessionId });
    await db.learnerCourseStat.create({
      data: {
        platformId: world.platformId,
        userId: world.users.engineer,
        courseId: courses[0],
        status: "COMPLETED",
        progressPercent: 100,
        completedAt: new Date(),
        reportedAt: new Date(),
      },
    });
    const completed = await getLearnerSession(world.users.engineer, world.platformId, sessionId);
    expect(completed?.steps[0]).toMatchObject({ status: "COMPLETED", unlocked: true });
    expect(completed).toMatchObject({ completedSteps: 1, totalSteps: 3, percent: 33 });
    expect((await listLearnerSessions(world.users.engineer, world.platformId)).find((s) => s.id === sessionId)).toMatchObject({
      completedSteps: 1,
      percent: 33,
    });

    // The statistics sync has written COMPLETED; pressing START again leaves it so.
    await db.stepProgress.update({
      where: { sessionId_stepId_userId: { sessionId, stepId: stepIds[0], userId: world.users.engineer } },
      data: { status: "COMPLETED", completedAt: new Date() },
    });
    expect(
      await startCourse({ userId: world.users.engineer, platformId: world.platformId, courseId: courses[0], sessionId }),
    ).toMatchObject({
      ok: true,
      stepsStarted: 0,
    });
    const row = await db.stepProgress.findUniqueOrThrow({
      where: { sessionId_stepId_userId: { sessionId, stepId: stepIds[0], userId: world.users.engineer } },
    });
    expect(row.status).toBe("COMPLETED");
  });

  it("does not mark a locked step, nor a session the learner is not enrolled in", async () => {
    const { sessionId, courses } = await sessionFor(world.users.platformer);
    // Step three is locked: starting its course (visible in the catalogue) records the launch only.
    expect(
      await startCourse({ userId: world.users.platformer, platformId: world.platformId, courseId: courses[2], sessionId }),
    ).toMatchObject({
      ok: true,
      stepsStarted: 0,
    });
    // Someone else's session: launch recorded without it, no progress written.
    const result = await startCourse({ userId: world.users.engineer, platformId: world.platformId, courseId: courses[0], sessionId });
    expect(result).toMatchObject({ ok: true, stepsStarted: 0 });
    if (result.ok) expect((await db.courseLaunch.findUniqueOrThrow({ where: { id: result.launchId } })).sessionId).toBeNull();
    expect(await db.stepProgress.count({ where: { sessionId } })).toBe(0);
    expect(await getLearnerSession(world.users.engineer, world.platformId, sessionId)).toBeNull();
  });

  it("shows a session only to its enrolled learners on its platform", async () => {
    const { sessionId } = await sessionFor(world.users.sre);
    expect(await getLearnerSession(world.users.sre, world.platformId, sessionId)).not.toBeNull();
    expect(await getLearnerSession(world.users.seller, world.platformId, sessionId)).toBeNull();
    const other = await createLearningWorld();
    try {
      expect(await getLearnerSession(world.users.sre, other.platformId, sessionId)).toBeNull();
    } finally {
      await other.dispose();
    }
  });

  it("marks a Coursera step the learner cannot open as unavailable, and lets an enrolled learner open the native steps", async () => {
    const { sessionId, courses } = await sessionFor(world.users.seller); // Sales: outside the synchronized branch
    const session = await getLearnerSession(world.users.seller, world.platformId, sessionId);
    expect(session?.steps.map((s) => s.available)).toEqual([false, true, false]);
    expect(await startCourse({ userId: world.users.seller, platformId: world.platformId, courseId: courses[0], sessionId })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });
    expect(await getLearnerCourse(world.users.seller, world.platformId, courses[1])).not.toBeNull();
  });
});
