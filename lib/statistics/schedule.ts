import "server-only";
import { Cron } from "croner";
import { db } from "@/lib/db";

/** The schema's default: daily at 04:00 UTC, after Coursera's reports are refreshed. */
export const DEFAULT_STATISTICS_SCHEDULE = "0 4 * * *";
const DAY_MS = 86_400_000;

/**
 * Whether a cron schedule (UTC) had an occurrence after `since` and at or
 * before `now`. An unreadable expression falls back to the default schedule
 * rather than silently never syncing.
 */
export function isScheduleDue(schedule: string, since: Date, now: Date): boolean {
  let cron: Cron;
  try {
    cron = new Cron(schedule, { timezone: "UTC", paused: true });
  } catch {
    cron = new Cron(DEFAULT_STATISTICS_SCHEDULE, { timezone: "UTC", paused: true });
  }
  const next = cron.nextRun(since);
  return next !== null && next.getTime() <= now.getTime();
}

/**
 * Enabled connectors with credentials whose statisticsSchedule came due since
 * their last scheduled statistics run. A connector never synced on schedule
 * counts from when it was enabled, at most a day back, so a long outage
 * yields one catch-up run, not one per missed day.
 */
export async function connectorsDueForStatistics(now: Date): Promise<{ id: string; platformId: string }[]> {
  const connectors = await db.courseraConnector.findMany({
    where: { enabled: true, clientSecretEncrypted: { not: null }, orgId: { not: null }, clientId: { not: null } },
    select: { id: true, platformId: true, statisticsSchedule: true, enabledAt: true, createdAt: true },
  });
  if (connectors.length === 0) return [];
  const last = await db.syncRun.groupBy({
    by: ["connectorId"],
    where: { connectorId: { in: connectors.map((c) => c.id) }, kind: "STATISTICS", trigger: "SCHEDULE" },
    _max: { queuedAt: true },
  });
  const lastByConnector = new Map(last.map((l) => [l.connectorId, l._max.queuedAt]));
  const dayAgo = new Date(now.getTime() - DAY_MS);
  return connectors
    .filter((c) => {
      const lastRun = lastByConnector.get(c.id);
      const enabledAt = c.enabledAt ?? c.createdAt;
      const since = lastRun ?? (enabledAt > dayAgo ? enabledAt : dayAgo);
      return isScheduleDue(c.statisticsSchedule || DEFAULT_STATISTICS_SCHEDULE, since, now);
    })
    .map((c) => ({ id: c.id, platformId: c.platformId }));
}
