import { describe, expect, it } from "vitest";
import {
  formatAge,
  formatCount,
  formatContentType,
  formatDateTime,
  formatLanguage,
  formatLevel,
  formatMinutes,
  formatNumber,
} from "@/components/format";

describe("formatDateTime", () => {
  const at = "2026-11-29T23:30:00.000Z";

  it("shows a moment in the zone asked for, each zone with its own formatter", () => {
    expect(formatDateTime(at, "UTC")).toBe("29 Nov 2026, 23:30");
    expect(formatDateTime(at, "Europe/Paris")).toBe("30 Nov 2026, 00:30");
    // Asked again after another zone: the first zone's formatter is not reused for the second.
    expect(formatDateTime(at, "UTC")).toBe("29 Nov 2026, 23:30");
    expect(formatDateTime(new Date(at), "America/New_York")).toBe("29 Nov 2026, 18:30");
  });

  it("shows a dash for no date, and refuses a zone that does not exist", () => {
    expect(formatDateTime(null, "UTC")).toBe("—");
    expect(() => formatDateTime(at, "Mars/Olympus_Mons")).toThrow(RangeError);
    expect(formatDateTime(at, "UTC")).toBe("29 Nov 2026, 23:30");
  });
});

describe("formatNumber", () => {
  it("groups thousands", () => {
    expect(formatNumber(1234567)).toBe("1,234,567");
    expect(formatNumber(0)).toBe("0");
  });
});

describe("formatCount", () => {
  it("puts the noun in the singular for one only", () => {
    expect(formatCount(1, "row")).toBe("1 row");
    expect(formatCount(0, "row")).toBe("0 rows");
    expect(formatCount(1200, "entry", "entries")).toBe("1,200 entries");
    expect(formatCount(1, "learner loses", "learners lose")).toBe("1 learner loses");
  });
});

describe("formatAge", () => {
  const now = new Date("2026-12-02T12:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);
  it("says how long ago in an admin's words", () => {
    expect(formatAge(null, now)).toBe("—");
    expect(formatAge(ago(20_000), now)).toBe("just now");
    expect(formatAge(ago(12 * 60_000), now)).toBe("12 min ago");
    expect(formatAge(ago(3 * 3_600_000 + 59 * 60_000), now)).toBe("3 h ago");
    expect(formatAge(ago(47 * 3_600_000), now)).toBe("47 h ago");
    expect(formatAge(ago(5 * 86_400_000), now)).toBe("5 d ago");
    expect(formatAge(ago(90 * 86_400_000).toISOString(), now)).toBe("3 months ago");
  });
});

describe("formatMinutes", () => {
  it("writes durations in hours and minutes, as learners and admins read them", () => {
    expect(formatMinutes(0)).toBe("0 min");
    expect(formatMinutes(45)).toBe("45 min");
    expect(formatMinutes(60)).toBe("1 h");
    expect(formatMinutes(135)).toBe("2 h 15 min");
    expect(formatMinutes(2400)).toBe("40 h");
    expect(formatMinutes(null)).toBe("—");
  });
});

describe("course facts, one spelling for admins and learners", () => {
  it("writes content types in sentence case, unknown ones like the others", () => {
    expect(formatContentType("PROFESSIONAL_CERTIFICATE")).toBe("Professional certificate");
    expect(formatContentType("GUIDED_PROJECT")).toBe("Guided project");
    expect(formatContentType("COURSE")).toBe("Course");
    expect(formatContentType("PODCAST_SERIES")).toBe("Podcast series");
    expect(formatContentType(null)).toBe("—");
  });

  it("writes levels the same whatever case Coursera sent", () => {
    for (const level of ["BEGINNER", "beginner", " Beginner "]) expect(formatLevel(level)).toBe("Beginner");
    expect(formatLevel("MIXED")).toBe("Mixed");
    expect(formatLevel("VERY_HARD")).toBe("Very hard");
    expect(formatLevel("")).toBe("—");
    expect(formatLevel(null)).toBe("—");
  });

  it("names languages from their codes, and shows an unknown code as it is", () => {
    expect(formatLanguage("es")).toBe("Spanish");
    expect(formatLanguage("zh-CN")).toBe("Chinese (China)");
    expect(formatLanguage("not a code!")).toBe("not a code!");
    expect(formatLanguage(null)).toBe("—");
  });
});
