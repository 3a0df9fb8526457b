import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { CourseraEnrollment } from "@/lib/coursera/schema";
import { db, disconnectDb } from "@/lib/db";
import { processEnrollmentPage } from "@/lib/statistics/sync";

afterAll(() => disconnectDb());

const record = (contentId: string, email: string): CourseraEnrollment => ({
  recordId: `rec-${randomUUID()}`,
  externalId: null,
  email,
  fullName: "Ada",
  programId: null,
  contentId,
  contentType: "COURSE",
  contentName: "Replayed course",
  enrolledAt: new Date("2026-10-01T08:00:00Z"),
  lastActivityAt: new Date("2026-11-01T08:00:00Z"),
  isCompleted: false,
  completedAt: null,
  progressPercent: 40,
  scorePercent: null,
  timeSpentMinutes: 30,
  membershipState: "MEMBER",
});

describe("statistics page writer", () => {
  it("a page replayed after its commit (its step result lost) is neither written nor counted again", async () => {
    const tag = randomUUID().slice(0, 8);
    const platform = await db.platform.create({ data: { name: `Replay ${tag}`, slug: `replay-${tag}` } });
    const connector = await db.courseraConnector.create({ data: { platformId: platform.id, enabled: true } });
    const user = await db.user.create({ data: { platformId: platform.id, email: `ada@replay-${tag}.test`, name: "Ada", role: "LEARNER" } });
    await db.course.create({
      data: { platformId: platform.id, source: "COURSERA", courseraContentId: `content-${tag}`, title: "Replayed course" },
    });
    const run = await db.syncRun.create({
      data: { platformId: platform.id, connectorId: connector.id, kind: "STATISTICS", trigger: "MANUAL", status: "RUNNING" },
    });
    const page = {
      start: 0,
      items: [record(`content-${tag}`, user.email), record(`content-${tag}`, `nobody@replay-${tag}.test`)],
      invalid: [],
      rawCount: 2,
      total: 2,
    };

    expect(await processEnrollmentPage({ platformId: platform.id, runId: run.id, page })).toMatchObject({
      fetched: 2,
      matched: 1,
      updated: 1,
      unmatched: 1,
    });
    expect(await processEnrollmentPage({ platformId: platform.id, runId: run.id, page })).toMatchObject({
      fetched: 0,
      matched: 0,
      updated: 0,
      unmatched: 0,
    });

    expect(await db.syncRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      pages: 1,
      fetched: 2,
      matched: 1,
      updated: 1,
      unmatched: 1,
    });
    expect(await db.learnerCourseStat.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.unmatchedLearnerRecord.count({ where: { platformId: platform.id } })).toBe(1);
  });
});
