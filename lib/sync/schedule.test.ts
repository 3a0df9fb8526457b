import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { SPREAD_MINUTES, connectorsDue, dueAt, scheduleOf, spreadOffsetMs, type ScheduledConnector } from "@/lib/sync/schedule";

afterAll(() => disconnectDb());

const utc = (d: number, h: number, m = 0, s = 0) => new Date(Date.UTC(2026, 10, d, h, m, s));

async function connector(
  statisticsTime: string | null,
  options: { enabledAt: Date; enabled?: boolean; credentials?: boolean; timeZone?: string },
) {
  const tag = randomUUID().slice(0, 8);
  const platform = await db.platform.create({
    data: { name: `Schedule ${tag}`, slug: `schedule-${tag}`, timeZone: options.timeZone ?? "UTC" },
  });
  return db.courseraConnector.create({
    data: {
      platformId: platform.id,
      enabled: options.enabled ?? true,
      enabledAt: options.enabledAt,
      statisticsTime,
      ...(options.credentials === false ? {} : { orgId: `org-${tag}`, clientId: "client", clientSecretEncrypted: "v1:x:y:z:w" }),
    },
  });
}

const base = {
  timeZone: null as string | null,
  catalogueTime: null as string | null,
  statisticsTime: null as string | null,
  scheduleChangedAt: null as Date | null,
  createdAt: utc(1, 0),
};
const paris: ScheduledConnector = { ...base, id: "connector-paris", platform: { timeZone: "Europe/Paris" }, enabledAt: utc(1, 0) };

describe("sync schedule", () => {
  it("is due when an occurrence of the local time fell after the last run and by now", () => {
    const c = { ...paris, statisticsTime: "04:00" };
    // 04:00 in Paris is 03:00 UTC in November.
    expect(dueAt(c, "STATISTICS", utc(20, 3, 0), utc(21, 2, 59)) <= utc(21, 2, 59)).toBe(false);
    expect(dueAt(c, "STATISTICS", utc(20, 3, 0), utc(21, 3, 0)).getTime()).toBe(utc(21, 3).getTime());
    // The connector's own zone wins over the platform's.
    expect(dueAt({ ...c, timeZone: "America/New_York" }, "STATISTICS", utc(20, 9), utc(21, 8)).getTime()).toBe(utc(21, 9).getTime());
    // A zone no longer known falls back to the platform's, a time no longer readable to the default.
    expect(scheduleOf({ ...c, timeZone: "Mars/Olympus" }, "STATISTICS").timeZone).toBe("Europe/Paris");
    expect(scheduleOf({ ...c, statisticsTime: "25:99" }, "STATISTICS")).toMatchObject({ time: "04:00", chosen: false });
  });

  it("spreads connectors on the default time over the spread window, each on the same offset every day; a chosen time runs at its minute", () => {
    const offsets = Array.from({ length: 1000 }, (_, i) => spreadOffsetMs(`connector-${i}`));
    expect(offsets.every((o) => o >= 0 && o < SPREAD_MINUTES * 60_000)).toBe(true);
    expect(spreadOffsetMs("connector-7")).toBe(offsets[7]);
    // A thousand connectors on the default 04:00: no minute of the window holds more than a few percent of them.
    const perMinute = new Map<number, number>();
    for (const o of offsets) perMinute.set(Math.floor(o / 60_000), (perMinute.get(Math.floor(o / 60_000)) ?? 0) + 1);
    expect(perMinute.size).toBe(SPREAD_MINUTES);
    expect(Math.max(...perMinute.values())).toBeLessThan(1000 * 0.07);
    // The default's next run is the default hour, local, plus the offset; a chosen time has none.
    const c = { ...paris, id: "connector-7" };
    const offset = spreadOffsetMs("connector-7");
    expect(dueAt(c, "STATISTICS", utc(20, 5), utc(20, 6)).getTime()).toBe(utc(21, 3).getTime() + offset);
    expect(dueAt(c, "CATALOGUE", utc(20, 5), utc(20, 6)).getTime()).toBe(utc(21, 1).getTime() + offset);
    expect(dueAt({ ...c, catalogueTime: "02:00" }, "CATALOGUE", utc(20, 5), utc(20, 6)).getTime()).toBe(utc(21, 1).getTime());
  });

  it("runs once on each day across daylight-saving changes, and at the first valid instant when the time is skipped", () => {
    const days = (c: typeof paris, kind: "CATALOGUE" | "STATISTICS", from: Date, n: number) => {
      const out: string[] = [];
      let last = from;
      for (let i = 0; i < n; i++) {
        // The fan-out ticks every five minutes: the run is queued at the first tick at or after the due time.
        const due = dueAt(c, kind, last, last);
        last = new Date(Math.ceil(due.getTime() / 300_000) * 300_000);
        out.push(last.toISOString());
      }
      return out;
    };
    const springParis = { ...paris, catalogueTime: "02:30" };
    expect(days(springParis, "CATALOGUE", new Date("2026-03-28T01:30:00Z"), 3)).toEqual([
      "2026-03-29T01:00:00.000Z", // 03:00 CEST: 02:30 does not exist that day
      "2026-03-30T00:30:00.000Z",
      "2026-03-31T00:30:00.000Z",
    ]);
    expect(days(springParis, "CATALOGUE", new Date("2026-10-24T00:30:00Z"), 2)).toEqual([
      "2026-10-25T00:30:00.000Z", // the first 02:30; the second one (01:30 UTC) runs nothing
      "2026-10-26T01:30:00.000Z",
    ]);
    const newYork = { ...paris, platform: { timeZone: "America/New_York" }, statisticsTime: "01:30" };
    expect(days(newYork, "STATISTICS", new Date("2026-10-31T05:30:00Z"), 2)).toEqual([
      "2026-11-01T05:30:00.000Z",
      "2026-11-02T06:30:00.000Z",
    ]);
    expect(days({ ...newYork, statisticsTime: "02:30" }, "STATISTICS", new Date("2026-03-07T07:30:00Z"), 2)).toEqual([
      "2026-03-08T07:00:00.000Z",
      "2026-03-09T06:30:00.000Z",
    ]);
  });

  it("counts from a schedule change, not from occurrences of the old schedule", () => {
    // Ran at 02:00 UTC; at 10:00 the admin moves the sync to 06:00: today's 06:00 is not owed, tomorrow's is.
    const c = {
      ...base,
      id: "c-change",
      platform: { timeZone: "UTC" },
      enabledAt: utc(1, 0),
      catalogueTime: "06:00",
      scheduleChangedAt: utc(20, 10),
    };
    expect(dueAt(c, "CATALOGUE", utc(20, 2), utc(20, 10, 5)).getTime()).toBe(utc(21, 6).getTime());
    // Without the change it would be due at once.
    expect(dueAt({ ...c, scheduleChangedAt: null }, "CATALOGUE", utc(20, 2), utc(20, 10, 5)).getTime()).toBe(utc(20, 6).getTime());
  });

  it("picks enabled connectors with credentials whose own schedule came due since their last scheduled run", async () => {
    // After every connector's offset: the spread is tested above.
    const now = utc(21, 4, SPREAD_MINUTES);
    const scheduledRun = (c: { id: string; platformId: string }, queuedAt: Date) =>
      db.syncRun.create({
        data: { platformId: c.platformId, connectorId: c.id, kind: "STATISTICS", trigger: "SCHEDULE", status: "SUCCEEDED", queuedAt },
      });
    const due = await connector("04:00", { enabledAt: utc(19, 12) });
    const enabledAfterOccurrence = await connector("04:00", { enabledAt: utc(21, 4, 0, 1) });
    const ranToday = await connector("04:00", { enabledAt: utc(1, 0) });
    await scheduledRun(ranToday, utc(21, 4, 0));
    const ranYesterday = await connector("04:00", { enabledAt: utc(1, 0) });
    await scheduledRun(ranYesterday, utc(20, 4, 0));
    const disabled = await connector("04:00", { enabledAt: utc(19, 12), enabled: false });
    const noCredentials = await connector("04:00", { enabledAt: utc(19, 12), credentials: false });
    const laterToday = await connector("05:00", { enabledAt: utc(21, 0) });
    // 04:00 in New York is 09:00 UTC; the default 04:00 in Paris (plus at most 30 minutes) is 03:00–03:30 UTC.
    const newYork = await connector("04:00", { enabledAt: utc(21, 0), timeZone: "America/New_York" });
    const parisDefault = await connector(null, { enabledAt: utc(19, 12), timeZone: "Europe/Paris" });
    // Its admin moved the sync from 04:00 to 04:20 at 04:10, after it ran at 04:00: nothing is owed until tomorrow.
    const moved = await connector("04:20", { enabledAt: utc(1, 0) });
    await scheduledRun(moved, utc(20, 4, 0));
    await db.courseraConnector.update({ where: { id: moved.id }, data: { scheduleChangedAt: utc(21, 4, 25) } });

    const ids = new Set((await connectorsDue("STATISTICS", now)).map((c) => c.id));

    expect(ids.has(due.id)).toBe(true);
    expect(ids.has(ranYesterday.id)).toBe(true);
    expect(ids.has(parisDefault.id)).toBe(true);
    expect(ids.has(enabledAfterOccurrence.id)).toBe(false);
    expect(ids.has(ranToday.id)).toBe(false);
    expect(ids.has(disabled.id)).toBe(false);
    expect(ids.has(noCredentials.id)).toBe(false);
    expect(ids.has(laterToday.id)).toBe(false);
    expect(ids.has(newYork.id)).toBe(false);
    expect(ids.has(moved.id)).toBe(false);
  });
});
