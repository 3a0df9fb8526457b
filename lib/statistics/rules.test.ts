import { describe, expect, it } from "vitest";
import { mergeStat, sameStat, statusOf, type StatReport, type StatValues } from "@/lib/statistics/rules";
import { identityKeyOf, normaliseIdentityPart } from "@/lib/statistics/matching";

const at = (h: number) => new Date(Date.UTC(2026, 0, 10, h));
const report = (r: Partial<StatReport>): StatReport => ({
  isCompleted: false,
  completedAt: null,
  lastActivityAt: null,
  progressPercent: 0,
  scorePercent: null,
  timeSpentMinutes: null,
  enrolledAt: at(0),
  ...r,
});

describe("statistics rules", () => {
  it("derives the status: completed, started by activity or progress, else not started", () => {
    expect(statusOf({ completed: true, progressPercent: 0, lastActivityAt: null })).toBe("COMPLETED");
    expect(statusOf({ completed: false, progressPercent: 0, lastActivityAt: at(1) })).toBe("IN_PROGRESS");
    expect(statusOf({ completed: false, progressPercent: 3, lastActivityAt: null })).toBe("IN_PROGRESS");
    expect(statusOf({ completed: false, progressPercent: 0, lastActivityAt: new Date(0) })).toBe("NOT_STARTED");
    expect(statusOf({ completed: false, progressPercent: 0, lastActivityAt: null })).toBe("NOT_STARTED");
  });

  it("never lowers progress, time spent or last activity, and keeps a completion and its date", () => {
    const stored = mergeStat(
      null,
      report({
        isCompleted: true,
        completedAt: at(5),
        lastActivityAt: at(5),
        progressPercent: 100,
        scorePercent: 90,
        timeSpentMinutes: 300,
      }),
    );
    const merged = mergeStat(
      stored,
      report({ lastActivityAt: at(3), progressPercent: 40, scorePercent: 50, timeSpentMinutes: 100, enrolledAt: at(2) }),
    );
    expect(merged).toEqual(stored);
    expect(merged).toMatchObject({
      status: "COMPLETED",
      progressPercent: 100,
      completedAt: at(5),
      scorePercent: 90,
      timeSpentMinutes: 300,
      enrolledAt: at(0),
    });
  });

  it("takes the newest non-null score, and keeps a known one when a report brings none", () => {
    const stored = mergeStat(null, report({ lastActivityAt: at(2), progressPercent: 50, scorePercent: 60 }));
    expect(mergeStat(stored, report({ lastActivityAt: at(4), progressPercent: 55, scorePercent: 70 })).scorePercent).toBe(70);
    expect(mergeStat(stored, report({ lastActivityAt: at(4), progressPercent: 55, scorePercent: null })).scorePercent).toBe(60);
    expect(mergeStat(stored, report({ lastActivityAt: at(1), progressPercent: 55, scorePercent: 10 })).scorePercent).toBe(60);
  });

  it("keeps a status written elsewhere even when the figures would not justify it", () => {
    const stored: StatValues = {
      status: "IN_PROGRESS",
      progressPercent: 0,
      scorePercent: null,
      lastActivityAt: null,
      timeSpentMinutes: 0,
      enrolledAt: null,
      completedAt: null,
    };
    expect(mergeStat(stored, report({})).status).toBe("IN_PROGRESS");
  });

  it("is idempotent: merging the same report twice changes nothing the second time", () => {
    const r = report({ lastActivityAt: at(3), progressPercent: 33.33, scorePercent: 92.23, timeSpentMinutes: 179 });
    const once = mergeStat(null, r);
    expect(sameStat(once, mergeStat(once, r))).toBe(true);
  });

  it("normalises identities: trimmed, lower-cased, externalId before email", () => {
    expect(normaliseIdentityPart("  Grace@ACME.test ")).toBe("grace@acme.test");
    expect(normaliseIdentityPart("   ")).toBeNull();
    expect(identityKeyOf({ externalId: " EXT-4471 ", email: "j.doe@contractor.test" })).toBe("ext-4471");
    expect(identityKeyOf({ externalId: null, email: " Linus@Acme.test" })).toBe("linus@acme.test");
    expect(identityKeyOf({ externalId: " ", email: null })).toBeNull();
  });
});
