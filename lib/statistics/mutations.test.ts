import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { CourseraEnrollment } from "@/lib/coursera/schema";
import { db, disconnectDb } from "@/lib/db";
import { dismissUnmatched, linkUnmatchedIdentity } from "@/lib/statistics/mutations";
import { holdUnmatched } from "@/lib/statistics/unmatched";

afterAll(() => disconnectDb());

async function platformWithAdmin() {
  const tag = randomUUID().slice(0, 8);
  const platform = await db.platform.create({ data: { name: `Inbox ${tag}`, slug: `inbox-${tag}` } });
  const admin = await db.user.create({ data: { platformId: platform.id, email: `admin@${tag}.test`, name: "Admin", role: "ADMIN" } });
  const course = await db.course.create({
    data: { platformId: platform.id, source: "COURSERA", courseraContentId: `content-${tag}`, title: "Course" },
  });
  return { tag, platform, admin, actor: { id: admin.id, email: admin.email }, course };
}

const enrollment = (contentId: string, r: Partial<CourseraEnrollment> = {}): CourseraEnrollment => ({
  recordId: `former@old.test~p~${contentId}`,
  externalId: null,
  email: "Former@Old.test",
  fullName: "Pat Former",
  programId: "p",
  contentId,
  contentType: "COURSE",
  contentName: "Course",
  enrolledAt: new Date(Date.UTC(2026, 0, 1)),
  lastActivityAt: new Date(Date.UTC(2026, 0, 5)),
  isCompleted: false,
  completedAt: null,
  progressPercent: 40,
  scorePercent: null,
  timeSpentMinutes: 90,
  membershipState: "MEMBER",
  ...r,
});

describe("unmatched inbox mutations", () => {
  it("keeps a dismissed record dismissed when Coursera sends it again, and still applies it if the identity is linked later", async () => {
    const { platform, actor, course, tag } = await platformWithAdmin();
    const hold = (progress: number) =>
      db.$transaction((tx) =>
        holdUnmatched(tx, {
          platformId: platform.id,
          runId: null,
          readAt: new Date(),
          records: [
            {
              identityKey: "former@old.test",
              reason: "NO_USER",
              record: enrollment(course.courseraContentId!, { progressPercent: progress }),
            },
          ],
        }),
      );
    await hold(40);

    expect(await dismissUnmatched({ platformId: platform.id, identityKey: " FORMER@old.test", actor })).toEqual({ ok: true, dismissed: 1 });
    await hold(55);
    const row = await db.unmatchedLearnerRecord.findFirstOrThrow({ where: { platformId: platform.id } });
    expect(row.resolvedAt).not.toBeNull();
    expect(row).toMatchObject({ resolvedUserId: null, resolvedById: actor.id });
    expect(row.record).toMatchObject({ progressPercent: 55 });
    expect(await dismissUnmatched({ platformId: platform.id, identityKey: "former@old.test", actor })).toMatchObject({
      ok: false,
      code: "NOT_FOUND",
    });

    const pat = await db.user.create({ data: { platformId: platform.id, email: `pat@${tag}.test`, name: "Pat", role: "LEARNER" } });
    expect(await linkUnmatchedIdentity({ platformId: platform.id, identityKey: "former@old.test", userId: pat.id, actor })).toEqual({
      ok: true,
      applied: 1,
      stillHeld: 0,
    });
    expect(
      await db.learnerCourseStat.findUniqueOrThrow({ where: { userId_courseId: { userId: pat.id, courseId: course.id } } }),
    ).toMatchObject({
      status: "IN_PROGRESS",
      progressPercent: 55,
      timeSpentMinutes: 90,
      lastActivityAt: new Date(Date.UTC(2026, 0, 5)),
    });
    expect(
      await db.auditLog.count({
        where: { platformId: platform.id, action: { in: ["statistics.identity-linked", "statistics.unmatched-dismissed"] } },
      }),
    ).toBe(2);
  });

  it("refuses a user of another platform and an identity nothing waits for", async () => {
    const a = await platformWithAdmin();
    const b = await platformWithAdmin();
    await db.$transaction((tx) =>
      holdUnmatched(tx, {
        platformId: a.platform.id,
        runId: null,
        readAt: new Date(),
        records: [{ identityKey: "former@old.test", reason: "NO_USER", record: enrollment(a.course.courseraContentId!) }],
      }),
    );
    expect(
      await linkUnmatchedIdentity({ platformId: a.platform.id, identityKey: "former@old.test", userId: b.admin.id, actor: a.actor }),
    ).toMatchObject({ ok: false, code: "USER_NOT_FOUND" });
    expect(
      await linkUnmatchedIdentity({ platformId: a.platform.id, identityKey: "nobody@nowhere.test", userId: a.admin.id, actor: a.actor }),
    ).toMatchObject({ ok: false, code: "NOTHING_TO_LINK" });
    expect(await db.learnerIdentityLink.count({ where: { platformId: a.platform.id } })).toBe(0);
    expect(await db.learnerCourseStat.count({ where: { platformId: { in: [a.platform.id, b.platform.id] } } })).toBe(0);
  });
});
