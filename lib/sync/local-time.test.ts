import { Cron } from "croner";
import { describe, expect, it } from "vitest";
import { canonicalTimeZone, instantOfLocalTime, nextLocalOccurrence, offsetAt, timeZoneNames } from "@/lib/sync/local-time";

/**
 * Daily local times across daylight-saving changes, in 2026:
 *   Europe/Paris      spring forward Sun 29 March at 02:00 CET → 03:00 CEST (01:00 UTC)
 *                     fall back      Sun 25 October at 03:00 CEST → 02:00 CET (01:00 UTC)
 *   America/New_York  spring forward Sun 8 March at 02:00 EST → 03:00 EDT (07:00 UTC)
 *                     fall back      Sun 1 November at 02:00 EDT → 01:00 EST (06:00 UTC)
 */
const iso = (d: Date) => d.toISOString();
const on = (year: number, month: number, day: number) => ({ year, month, day });

describe("a daily local time on a given day", () => {
  it("is that wall-clock time on ordinary days, winter and summer", () => {
    expect(iso(instantOfLocalTime(on(2026, 1, 15), "02:30", "Europe/Paris"))).toBe("2026-01-15T01:30:00.000Z");
    expect(iso(instantOfLocalTime(on(2026, 7, 15), "02:30", "Europe/Paris"))).toBe("2026-07-15T00:30:00.000Z");
    expect(iso(instantOfLocalTime(on(2026, 1, 15), "02:30", "America/New_York"))).toBe("2026-01-15T07:30:00.000Z");
    expect(iso(instantOfLocalTime(on(2026, 7, 15), "02:30", "America/New_York"))).toBe("2026-07-15T06:30:00.000Z");
    expect(iso(instantOfLocalTime(on(2026, 7, 15), "23:59", "UTC"))).toBe("2026-07-15T23:59:00.000Z");
  });

  describe("Europe/Paris", () => {
    it("spring forward: 02:30 does not exist and runs at the first valid instant after it, 03:00 CEST", () => {
      expect(iso(instantOfLocalTime(on(2026, 3, 29), "02:30", "Europe/Paris"))).toBe("2026-03-29T01:00:00.000Z");
      expect(iso(instantOfLocalTime(on(2026, 3, 29), "02:00", "Europe/Paris"))).toBe("2026-03-29T01:00:00.000Z");
      // Times either side of the gap are themselves.
      expect(iso(instantOfLocalTime(on(2026, 3, 29), "01:59", "Europe/Paris"))).toBe("2026-03-29T00:59:00.000Z");
      expect(iso(instantOfLocalTime(on(2026, 3, 29), "03:00", "Europe/Paris"))).toBe("2026-03-29T01:00:00.000Z");
      expect(iso(instantOfLocalTime(on(2026, 3, 29), "03:30", "Europe/Paris"))).toBe("2026-03-29T01:30:00.000Z");
    });

    it("fall back: 02:30 happens twice and runs once, at its first occurrence (CEST)", () => {
      expect(iso(instantOfLocalTime(on(2026, 10, 25), "02:30", "Europe/Paris"))).toBe("2026-10-25T00:30:00.000Z");
      expect(iso(instantOfLocalTime(on(2026, 10, 25), "03:00", "Europe/Paris"))).toBe("2026-10-25T02:00:00.000Z");
    });
  });

  describe("America/New_York", () => {
    it("spring forward: 02:30 does not exist and runs at 03:00 EDT", () => {
      expect(iso(instantOfLocalTime(on(2026, 3, 8), "02:30", "America/New_York"))).toBe("2026-03-08T07:00:00.000Z");
      expect(iso(instantOfLocalTime(on(2026, 3, 8), "01:59", "America/New_York"))).toBe("2026-03-08T06:59:00.000Z");
    });

    it("fall back: 01:30 happens twice and runs once, at its first occurrence (EDT)", () => {
      expect(iso(instantOfLocalTime(on(2026, 11, 1), "01:30", "America/New_York"))).toBe("2026-11-01T05:30:00.000Z");
      expect(iso(instantOfLocalTime(on(2026, 11, 1), "02:00", "America/New_York"))).toBe("2026-11-01T07:00:00.000Z");
    });
  });
});

/** Every occurrence of a daily time in [from, to), walking as the schedule does: each one strictly after the last. */
function occurrences(time: string, timeZone: string, from: string, to: string): string[] {
  const out: string[] = [];
  let at = new Date(from);
  for (;;) {
    at = nextLocalOccurrence(time, timeZone, at);
    if (at >= new Date(to)) return out;
    out.push(iso(at));
  }
}

describe("the next occurrences of a daily local time", () => {
  it("run exactly once on each day around both changes, in both zones", () => {
    expect(occurrences("02:30", "Europe/Paris", "2026-03-27T12:00:00Z", "2026-03-31T12:00:00Z")).toEqual([
      "2026-03-28T01:30:00.000Z", // 02:30 CET
      "2026-03-29T01:00:00.000Z", // 03:00 CEST: 02:30 was skipped
      "2026-03-30T00:30:00.000Z", // 02:30 CEST
      "2026-03-31T00:30:00.000Z",
    ]);
    expect(occurrences("02:30", "Europe/Paris", "2026-10-23T12:00:00Z", "2026-10-27T12:00:00Z")).toEqual([
      "2026-10-24T00:30:00.000Z", // 02:30 CEST
      "2026-10-25T00:30:00.000Z", // the first 02:30 (CEST); the second (01:30 UTC) does not run
      "2026-10-26T01:30:00.000Z", // 02:30 CET
      "2026-10-27T01:30:00.000Z",
    ]);
    expect(occurrences("02:30", "America/New_York", "2026-03-06T12:00:00Z", "2026-03-10T12:00:00Z")).toEqual([
      "2026-03-07T07:30:00.000Z",
      "2026-03-08T07:00:00.000Z", // 03:00 EDT: 02:30 was skipped
      "2026-03-09T06:30:00.000Z",
      "2026-03-10T06:30:00.000Z",
    ]);
    expect(occurrences("01:30", "America/New_York", "2026-10-30T12:00:00Z", "2026-11-03T12:00:00Z")).toEqual([
      "2026-10-31T05:30:00.000Z",
      "2026-11-01T05:30:00.000Z", // the first 01:30 (EDT); the second (06:30 UTC) does not run
      "2026-11-02T06:30:00.000Z",
      "2026-11-03T06:30:00.000Z",
    ]);
  });

  it("asked from between the two occurrences of a repeated time, waits for the next day", () => {
    // 01:00 UTC on 25 October is 02:00 CET, between the first 02:30 (00:30 UTC) and the second (01:30 UTC).
    expect(iso(nextLocalOccurrence("02:30", "Europe/Paris", new Date("2026-10-25T01:00:00Z")))).toBe("2026-10-26T01:30:00.000Z");
  });

  it("at midnight and on zones with half-hour offsets", () => {
    expect(iso(nextLocalOccurrence("00:00", "Asia/Kolkata", new Date("2026-06-01T00:00:00Z")))).toBe("2026-06-01T18:30:00.000Z");
    expect(iso(nextLocalOccurrence("00:00", "UTC", new Date("2026-06-01T00:00:00Z")))).toBe("2026-06-02T00:00:00.000Z");
  });
});

describe("time zone names", () => {
  it("are checked against the runtime's IANA database and canonicalised", () => {
    expect(canonicalTimeZone("Europe/Paris")).toBe("Europe/Paris");
    expect(canonicalTimeZone("europe/paris")).toBe("Europe/Paris");
    expect(canonicalTimeZone("UTC")).toBe("UTC");
    for (const bad of ["", "Mars/Olympus", "Europe/Paris; DROP", "<script>", "x".repeat(100)]) expect(canonicalTimeZone(bad)).toBeNull();
    expect(timeZoneNames()[0]).toBe("UTC");
    expect(timeZoneNames()).toContain("America/New_York");
    expect(offsetAt(Date.UTC(2026, 0, 1), "Europe/Paris")).toBe(3_600_000);
  });
});

/**
 * Why the schedules do not hand local times to croner: its behaviour on the same days, pinned so a
 * croner upgrade that changes it is noticed. A skipped time runs as much later as the clocks jumped
 * (03:30, not 03:00), and a repeated time runs at its second occurrence in Paris but its first in
 * New York.
 */
describe("croner 9 on the same days (not used for local times)", () => {
  const cron = (expr: string, timeZone: string, from: string) =>
    iso(new Cron(expr, { timezone: timeZone, paused: true }).nextRun(new Date(from))!);
  it("differs from the rule above", () => {
    expect(cron("30 2 * * *", "Europe/Paris", "2026-03-28T12:00:00Z")).toBe("2026-03-29T01:30:00.000Z"); // 03:30 CEST
    expect(cron("30 2 * * *", "Europe/Paris", "2026-10-24T12:00:00Z")).toBe("2026-10-25T01:30:00.000Z"); // the second 02:30
    expect(cron("30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z")).toBe("2026-03-08T07:30:00.000Z"); // 03:30 EDT
    expect(cron("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z")).toBe("2026-11-01T05:30:00.000Z"); // the first 01:30
  });
});
