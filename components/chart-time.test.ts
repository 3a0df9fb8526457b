import { describe, expect, it } from "vitest";
import { formatChartTime, timeDomain, timeTickFormatter, timeTicks } from "./chart-time";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t0 = Date.UTC(2026, 11, 2, 9, 30);

describe("time axis", () => {
  it("one run sits in the middle of a two-hour domain, with ticks around it", () => {
    const domain = timeDomain([t0]);
    expect(domain).toEqual([t0 - HOUR, t0 + HOUR]);
    const ticks = timeTicks(domain, "Europe/Paris");
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(ticks.every((t) => t >= domain[0] && t <= domain[1])).toBe(true);
    // Round local times: Paris is UTC+1 in December, so 10:00 local is 09:00 UTC.
    expect(ticks.map((t) => formatChartTime(t, "Europe/Paris"))).toContain("2 Dec, 10:00");
  });

  it("200 daily runs span their whole range with a few readable day ticks at the zone's midnight", () => {
    const times = Array.from({ length: 200 }, (_, i) => t0 + i * DAY);
    const domain = timeDomain(times);
    expect(domain[0]).toBeLessThan(times[0]);
    expect(domain[1]).toBeGreaterThan(times[199]);
    const ticks = timeTicks(domain, "America/New_York");
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(ticks.length).toBeLessThanOrEqual(7);
    const format = timeTickFormatter(domain, "America/New_York");
    // Days apart: dates only, and each one is local midnight in New York (across the March DST change).
    expect(format(ticks[0])).toMatch(/^\d{1,2} [A-Z][a-z]{2}$/);
    for (const t of ticks) {
      const clock = new Intl.DateTimeFormat("en-GB", {
        timeZone: "America/New_York",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      });
      expect(clock.format(new Date(t))).toBe("00:00");
    }
  });

  it("five runs over an afternoon get hour ticks with times", () => {
    const times = [0, 1, 2, 3, 4].map((i) => t0 + i * HOUR);
    const domain = timeDomain(times);
    const ticks = timeTicks(domain, "UTC");
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(timeTickFormatter(domain, "UTC")(ticks[0])).toMatch(/^2 Dec, \d{2}:\d{2}$/);
  });

  it("two runs minutes apart still get several ticks", () => {
    const domain = timeDomain([t0, t0 + 2 * 60_000]);
    expect(domain[1] - domain[0]).toBe(2 * HOUR);
    expect(timeTicks(domain, "UTC").length).toBeGreaterThanOrEqual(3);
  });

  it("an empty chart still has a domain", () => {
    const [from, to] = timeDomain([]);
    expect(to - from).toBe(2 * HOUR);
  });
});
