import "server-only";
import { Cron } from "croner";
import { db } from "@/lib/db";

/** The schema's default: daily at 02:00 UTC. */
export const DEFAULT_CATALOGUE_SCHEDULE = "0 2 * * *";
const DAY_MS = 86_400_000;
/**
 * The catalogue is promised to be current daily: whatever a connector's own
 * schedule says (a weekly one, or an expression that no longer parses), a
 * connector whose last scheduled sync is older than this is due.
 */
const AT_LEAST_EVERY_MS = DAY_MS + 60 * 60_000;

/** Whether a cron schedule (UTC) had an occurrence after `since` and at or before `now`. */
export function hadOccurrence(schedule: string, since: Date, now: Date): boolean {
  let cron: Cron;
  try {
    cron = new Cron(schedule, { timezone: "UTC", paused: true });
  } catch {
    cron = new Cron(DEFAULT_CATALOGUE_SCHEDULE, { timezone: "UTC", paused: true });
  }
  const next = cron.nextRun(since);
  return next !== null && next.getTime() <= now.getTime();
}

/**
 * Enabled connectors with credentials whose catalogueSchedule came due since
 * their last scheduled catalogue run, or whose last one is more than a day
 * old. A connector never synced on schedule counts from when it was enabled,
 * at most a day back (its first sync ran when its credentials were saved), so
 * an outage yields one catch-up run, not one per missed day.
 */
export async function connectorsDueForCatalogue(now: Date): Promise<{ id: string; platformId: string }[]> {
  const connectors = await db.courseraConnector.findMany({
    where: { enabled: true, clientSecretEncrypted: { not: null }, orgId: { not: null }, clientId: { not: null } },
    select: { id: true, platformId: true, catalogueSchedule: true, enabledAt: true, createdAt: true },
  });
  if (connectors.length === 0) return [];
  const last = await db.syncRun.groupBy({
    by: ["connectorId"],
    where: { connectorId: { in: connectors.map((c) => c.id) }, kind: "CATALOGUE", trigger: "SCHEDULE" },
    _max: { queuedAt: true },
  });
  const lastByConnector = new Map(last.map((l) => [l.connectorId, l._max.queuedAt]));
  const dayAgo = new Date(now.getTime() - DAY_MS);
  return connectors
    .filter((c) => {
      const lastRun = lastByConnector.get(c.id) ?? null;
      if (lastRun && lastRun > now) return false;
      if (lastRun && now.getTime() - lastRun.getTime() >= AT_LEAST_EVERY_MS) return true;
      const enabledAt = c.enabledAt ?? c.createdAt;
      const since = lastRun ?? (enabledAt > dayAgo ? enabledAt : dayAgo);
      return hadOccurrence(c.catalogueSchedule || DEFAULT_CATALOGUE_SCHEDULE, since, now);
    })
    .map((c) => ({ id: c.id, platformId: c.platformId }));
}
