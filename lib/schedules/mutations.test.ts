import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { saveSchedule } from "@/lib/schedules/mutations";
import { getScheduleSettings } from "@/lib/schedules/queries";

afterAll(() => disconnectDb());

async function world(platformTimeZone = "Europe/Paris") {
  const tag = randomUUID().slice(0, 8);
  const platform = await db.platform.create({ data: { name: `Schedules ${tag}`, slug: `schedules-${tag}`, timeZone: platformTimeZone } });
  const connector = await db.courseraConnector.create({ data: { platformId: platform.id, enabled: true, enabledAt: new Date() } });
  const actor = await db.user.create({
    data: { email: `admin-${tag}@schedules.test`, name: "Admin", role: "ADMIN", platformId: platform.id },
  });
  return { platformId: platform.id, connectorId: connector.id, actor: { id: actor.id, email: actor.email } };
}

describe("the connector's sync schedule", () => {
  it("saves a time zone and local times, audited with before and after, and the next runs follow in local time", async () => {
    const w = await world();
    const before = await getScheduleSettings(w.platformId, new Date("2026-12-02T12:00:00Z"));
    // Defaults: the platform's zone, the kinds' default hours plus the connector's spread.
    expect(before).toMatchObject({ timeZone: null, platformTimeZone: "Europe/Paris", catalogueTime: null, statisticsTime: null });
    expect(before!.next.CATALOGUE.schedule).toMatchObject({ time: "02:00", timeZone: "Europe/Paris", chosen: false });

    const saved = await saveSchedule({
      platformId: w.platformId,
      schedule: { timeZone: "america/new_york", catalogueTime: "06:15", statisticsTime: "", staleAfterHours: "36" },
      actor: w.actor,
    });
    expect(saved).toEqual({ ok: true, changed: true });
    const row = await db.courseraConnector.findUniqueOrThrow({ where: { id: w.connectorId } });
    expect(row).toMatchObject({ timeZone: "America/New_York", catalogueTime: "06:15", statisticsTime: null });
    expect(row.scheduleChangedAt).not.toBeNull();
    const audit = await db.auditLog.findFirstOrThrow({ where: { platformId: w.platformId, action: "connector.schedule_changed" } });
    expect(audit).toMatchObject({ actorEmail: w.actor.email, targetId: w.connectorId });
    expect(audit.details).toEqual({ timeZone: { from: null, to: "America/New_York" }, catalogueTime: { from: null, to: "06:15" } });

    // 06:15 in New York on 3 December (EST) is 11:15 UTC; the schedule counts from the change.
    const after = await getScheduleSettings(w.platformId, new Date(row.scheduleChangedAt!.getTime() + 1000));
    expect(after!.next.CATALOGUE.schedule).toEqual({ time: "06:15", timeZone: "America/New_York", chosen: true, offsetMs: 0 });
    const next = after!.next.CATALOGUE.at;
    expect(new Intl.DateTimeFormat("en-GB", { timeZone: "America/New_York", hour: "2-digit", minute: "2-digit" }).format(next)).toBe(
      "06:15",
    );
    expect(next.getTime()).toBeGreaterThan(row.scheduleChangedAt!.getTime());
    expect(next.getTime() - row.scheduleChangedAt!.getTime()).toBeLessThanOrEqual(25 * 3_600_000);

    // The same values again change nothing and write no audit entry.
    expect(
      await saveSchedule({
        platformId: w.platformId,
        schedule: { timeZone: "America/New_York", catalogueTime: "06:15", statisticsTime: "", staleAfterHours: "36" },
        actor: w.actor,
      }),
    ).toEqual({ ok: true, changed: false });
    expect(await db.auditLog.count({ where: { platformId: w.platformId, action: "connector.schedule_changed" } })).toBe(1);
  });

  it("refuses unknown zones and times that are not HH:MM, field by field, and stores nothing", async () => {
    const w = await world();
    for (const [schedule, field] of [
      [{ timeZone: "Mars/Olympus", catalogueTime: "", statisticsTime: "", staleAfterHours: "36" }, "timeZone"],
      [{ timeZone: "", catalogueTime: "24:00", statisticsTime: "", staleAfterHours: "36" }, "catalogueTime"],
      [{ timeZone: "", catalogueTime: "", statisticsTime: "7:5", staleAfterHours: "36" }, "statisticsTime"],
      [{ timeZone: "", catalogueTime: "02:30pm", statisticsTime: "", staleAfterHours: "36" }, "catalogueTime"],
      [{ timeZone: "", catalogueTime: "", statisticsTime: "", staleAfterHours: "1" }, "staleAfterHours"],
      [{ timeZone: "", catalogueTime: "", statisticsTime: "", staleAfterHours: "36.5" }, "staleAfterHours"],
    ] as const) {
      const result = await saveSchedule({ platformId: w.platformId, schedule, actor: w.actor });
      expect(result).toMatchObject({ ok: false, code: "INVALID_INPUT" });
      expect(Object.keys((result as { fieldErrors: object }).fieldErrors)).toEqual([field]);
    }
    expect(await db.courseraConnector.findUniqueOrThrow({ where: { id: w.connectorId } })).toMatchObject({
      timeZone: null,
      catalogueTime: null,
      statisticsTime: null,
      scheduleChangedAt: null,
      staleAfterHours: 36,
    });
  });
});
