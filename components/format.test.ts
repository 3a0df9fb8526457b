import { describe, expect, it } from "vitest";
import { formatDateTime, formatNumber } from "@/components/format";

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
