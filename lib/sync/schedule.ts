import "server-only";
import { createHash } from "node:crypto";
import { Cron } from "croner";
import { db } from "@/lib/db";
import type { SyncKind } from "@/lib/generated/prisma/enums";
import { readyConnectors } from "@/lib/sync/runs";

/**
 * The one schedule rule of both syncs. Each connector has a cron schedule per
 * kind (UTC), daily by default; the schedules' fan-out (inngest/functions/
 * sync-schedule.ts) asks every few minutes which connectors are due:
 *
 * - due when an occurrence of its schedule, moved by the connector's own
 *   stable offset (below), fell after its last scheduled run and by now;
 * - a connector never synced on schedule counts from when it was enabled, at
 *   most a day back, so an outage yields one catch-up run, not one per day;
 * - both syncs are promised daily: whatever a schedule says (weekly, or an
 *   expression that no longer parses — which falls back to the default), a
 *   connector whose last scheduled run is older than 25 hours is due.
 *
 * The offset spreads connectors that share a schedule (every new connector
 * gets the default) over SPREAD_MINUTES, so a thousand customers do not all
 * start at 02:00:00. It is a hash of the connector's id: the same every day.
 */

export const DEFAULT_SCHEDULES: Record<SyncKind, string> = {
  CATALOGUE: "0 2 * * *",
  // After Coursera's reports are refreshed.
  STATISTICS: "0 4 * * *",
};

export const SPREAD_MINUTES = 30;
const DAY_MS = 86_400_000;
const AT_LEAST_EVERY_MS = DAY_MS + 60 * 60_000;

/** The connector's stable delay after each occurrence of its schedules, in [0, SPREAD_MINUTES). */
export function spreadOffsetMs(connectorId: string): number {
  const hash = createHash("sha256").update(connectorId).digest().readUInt32BE(0);
  return Math.floor((hash / 0x1_0000_0000) * SPREAD_MINUTES * 60) * 1000;
}

function cronOf(schedule: string, kind: SyncKind): Cron {
  try {
    return new Cron(schedule, { timezone: "UTC", paused: true });
  } catch {
    return new Cron(DEFAULT_SCHEDULES[kind], { timezone: "UTC", paused: true });
  }
}

/** Whether an occurrence of `schedule` after `since`, plus `offsetMs`, fell at or before `now`. */
export function isScheduleDue(schedule: string, since: Date, now: Date, options: { kind: SyncKind; offsetMs?: number }): boolean {
  const next = cronOf(schedule, options.kind).nextRun(since);
  return next !== null && next.getTime() + (options.offsetMs ?? 0) <= now.getTime();
}

/** The next time a connector's sync of `kind` will be due by its schedule (for the overview). */
export function nextScheduledAt(schedule: string | null, connectorId: string, kind: SyncKind, after: Date): Date | null {
  const offset = spreadOffsetMs(connectorId);
  const next = cronOf(schedule || DEFAULT_SCHEDULES[kind], kind).nextRun(new Date(after.getTime() - offset));
  return next ? new Date(next.getTime() + offset) : null;
}

/** Enabled connectors with credentials whose `kind` sync is due at `now` (see the rule above). */
export async function connectorsDue(kind: SyncKind, now: Date): Promise<{ id: string; platformId: string }[]> {
  const connectors = await readyConnectors({
    id: true,
    platformId: true,
    catalogueSchedule: true,
    statisticsSchedule: true,
    enabledAt: true,
    createdAt: true,
  });
  if (connectors.length === 0) return [];
  const last = await db.syncRun.groupBy({
    by: ["connectorId"],
    where: { connectorId: { in: connectors.map((c) => c.id) }, kind, trigger: "SCHEDULE" },
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
      const schedule = (kind === "CATALOGUE" ? c.catalogueSchedule : c.statisticsSchedule) || DEFAULT_SCHEDULES[kind];
      return isScheduleDue(schedule, since, now, { kind, offsetMs: spreadOffsetMs(c.id) });
    })
    .map((c) => ({ id: c.id, platformId: c.platformId }));
}
