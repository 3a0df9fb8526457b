import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { connectorsDueForStatistics, isScheduleDue } from "@/lib/statistics/schedule";

afterAll(() => disconnectDb());

const utc = (d: number, h: number, m = 0) => new Date(Date.UTC(2026, 10, d, h, m));

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

describe("statistics schedule", () => {
  it("is due when an occurrence of the cron (UTC) fell after the last run and by now", () => {
    expect(isScheduleDue("0 4 * * *", utc(20, 4, 0), utc(20, 23, 59))).toBe(false);
    expect(isScheduleDue("0 4 * * *", utc(20, 4, 0), utc(21, 4, 0))).toBe(true);
    expect(isScheduleDue("30 6 * * 1", utc(20, 0), utc(23, 6, 29))).toBe(false); // Monday 23rd, 06:30 not reached
    expect(isScheduleDue("30 6 * * 1", utc(20, 0), utc(23, 6, 30))).toBe(true);
    // An unreadable schedule falls back to the daily default rather than never syncing.
    expect(isScheduleDue("not a cron", utc(20, 5), utc(21, 4, 1))).toBe(true);
  });

  it("picks enabled connectors with credentials whose own schedule came due since their last scheduled run", async () => {
    const now = utc(21, 4, 5);
    const due = await connector("0 4 * * *", { enabledAt: utc(19, 12) });
    const enabledAfterOccurrence = await connector("0 4 * * *", { enabledAt: utc(21, 4, 1) });
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

    const ids = new Set((await connectorsDueForStatistics(now)).map((c) => c.id));

    expect(ids.has(due.id)).toBe(true);
    expect(ids.has(ranYesterday.id)).toBe(true);
    expect(ids.has(enabledAfterOccurrence.id)).toBe(false);
    expect(ids.has(ranToday.id)).toBe(false);
    expect(ids.has(disabled.id)).toBe(false);
    expect(ids.has(noCredentials.id)).toBe(false);
    expect(ids.has(weekly.id)).toBe(false);
  });
});
