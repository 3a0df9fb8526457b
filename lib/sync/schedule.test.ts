import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { SPREAD_MINUTES, connectorsDue, isScheduleDue, nextScheduledAt, spreadOffsetMs } from "@/lib/sync/schedule";

afterAll(() => disconnectDb());

const utc = (d: number, h: number, m = 0, s = 0) => new Date(Date.UTC(2026, 10, d, h, m, s));

async function connector(schedule: string, options: { enabledAt: Date; enabled?: boolean; credentials?: boolean }) {
  const tag = randomUUID().slice(0, 8);
  const platform = await db.platform.create({ data: { name: `Schedule ${tag}`, slug: `schedule-${tag}` } });
  return db.courseraConnector.create({
    data: {
      platformId: platform.id,
      enabled: options.enabled ?? true,
      enabledAt: options.enabledAt,
      statisticsSchedule: schedule,
      ...(options.credentials === false ? {} : { orgId: `org-${tag}`, clientId: "client", clientSecretEncrypted: "v1:x:y:z:w" }),
    },
  });
}

const STATISTICS = { kind: "STATISTICS" } as const;

describe("sync schedule", () => {
  it("is due when an occurrence of the cron (UTC) fell after the last run and by now", () => {
    expect(isScheduleDue("0 4 * * *", utc(20, 4, 0), utc(20, 23, 59), STATISTICS)).toBe(false);
    expect(isScheduleDue("0 4 * * *", utc(20, 4, 0), utc(21, 4, 0), STATISTICS)).toBe(true);
    expect(isScheduleDue("30 6 * * 1", utc(20, 0), utc(23, 6, 29), STATISTICS)).toBe(false); // Monday 23rd, 06:30 not reached
    expect(isScheduleDue("30 6 * * 1", utc(20, 0), utc(23, 6, 30), STATISTICS)).toBe(true);
    // An unreadable schedule falls back to the kind's daily default rather than never syncing.
    expect(isScheduleDue("not a cron", utc(20, 5), utc(21, 4, 1), STATISTICS)).toBe(true);
    expect(isScheduleDue("not a cron", utc(20, 5), utc(21, 2, 1), { kind: "CATALOGUE" })).toBe(true);
    // A connector's offset moves its occurrences later, never earlier.
    expect(isScheduleDue("0 4 * * *", utc(20, 5), utc(21, 4, 9), { ...STATISTICS, offsetMs: 10 * 60_000 })).toBe(false);
    expect(isScheduleDue("0 4 * * *", utc(20, 5), utc(21, 4, 10), { ...STATISTICS, offsetMs: 10 * 60_000 })).toBe(true);
  });

  it("spreads connectors sharing a schedule over the spread window, each on the same offset every day", () => {
    const offsets = Array.from({ length: 1000 }, (_, i) => spreadOffsetMs(`connector-${i}`));
    expect(offsets.every((o) => o >= 0 && o < SPREAD_MINUTES * 60_000)).toBe(true);
    expect(spreadOffsetMs("connector-7")).toBe(offsets[7]);
    // A thousand connectors on the default 04:00: no minute of the window holds more than a few percent of them.
    const perMinute = new Map<number, number>();
    for (const o of offsets) perMinute.set(Math.floor(o / 60_000), (perMinute.get(Math.floor(o / 60_000)) ?? 0) + 1);
    expect(perMinute.size).toBe(SPREAD_MINUTES);
    expect(Math.max(...perMinute.values())).toBeLessThan(1000 * 0.07);
    // The overview's next run is the schedule's occurrence plus the offset.
    const offset = spreadOffsetMs("connector-7");
    expect(nextScheduledAt("0 4 * * *", "connector-7", "STATISTICS", utc(20, 5))!.getTime()).toBe(utc(21, 4).getTime() + offset);
    expect(nextScheduledAt(null, "connector-7", "CATALOGUE", utc(20, 5))!.getTime()).toBe(utc(21, 2).getTime() + offset);
  });

  it("picks enabled connectors with credentials whose own schedule came due since their last scheduled run", async () => {
    // After every connector's offset: the spread is tested above.
    const now = utc(21, 4, SPREAD_MINUTES);
    const due = await connector("0 4 * * *", { enabledAt: utc(19, 12) });
    const enabledAfterOccurrence = await connector("0 4 * * *", { enabledAt: utc(21, 4, 0, 1) });
    const ranToday = await connector("0 4 * * *", { enabledAt: utc(1, 0) });
    await db.syncRun.create({
      data: {
        platformId: ranToday.platformId,
        connectorId: ranToday.id,
        kind: "STATISTICS",
        trigger: "SCHEDULE",
        status: "SUCCEEDED",
        queuedAt: utc(21, 4, 0),
      },
    });
    const ranYesterday = await connector("0 4 * * *", { enabledAt: utc(1, 0) });
    await db.syncRun.create({
      data: {
        platformId: ranYesterday.platformId,
        connectorId: ranYesterday.id,
        kind: "STATISTICS",
        trigger: "SCHEDULE",
        status: "SUCCEEDED",
        queuedAt: utc(20, 4, 0),
      },
    });
    const disabled = await connector("0 4 * * *", { enabledAt: utc(19, 12), enabled: false });
    const noCredentials = await connector("0 4 * * *", { enabledAt: utc(19, 12), credentials: false });
    const weekly = await connector("0 4 * * 1", { enabledAt: utc(19, 12) }); // the 21st is a Saturday

    // Synced on schedule two days ago on a weekly schedule: due anyway, statistics are promised daily.
    const weeklyStale = await connector("0 4 * * 1", { enabledAt: utc(1, 0) });
    await db.syncRun.create({
      data: {
        platformId: weeklyStale.platformId,
        connectorId: weeklyStale.id,
        kind: "STATISTICS",
        trigger: "SCHEDULE",
        status: "SUCCEEDED",
        queuedAt: utc(19, 4, 0),
      },
    });

    const ids = new Set((await connectorsDue("STATISTICS", now)).map((c) => c.id));

    expect(ids.has(due.id)).toBe(true);
    expect(ids.has(ranYesterday.id)).toBe(true);
    expect(ids.has(enabledAfterOccurrence.id)).toBe(false);
    expect(ids.has(ranToday.id)).toBe(false);
    expect(ids.has(disabled.id)).toBe(false);
    expect(ids.has(noCredentials.id)).toBe(false);
    expect(ids.has(weekly.id)).toBe(false);
    expect(ids.has(weeklyStale.id)).toBe(true);
  });
});
