import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import type { SyncKind } from "@/lib/generated/prisma/enums";
import { canonicalTimeZone, nextLocalOccurrence, parseLocalTime } from "@/lib/sync/local-time";
import { readyConnectors } from "@/lib/sync/runs";

/**
 * The one schedule rule of both syncs. Each connector has a daily local time
 * per kind, in its time zone (its own, else its platform's, else UTC); the
 * schedules' fan-out (inngest/functions/sync-schedule.ts) asks every few
 * minutes which connectors are due:
 *
 * - due when an occurrence of its local time fell after its last scheduled run
 *   (or after its schedule last changed, whichever is later) and by now. The
 *   local time becomes an instant by lib/sync/local-time.ts, right across
 *   daylight-saving changes: a time the clocks skip runs at the first valid
 *   instant after it, a time that happens twice runs once, the first time;
 * - a connector never synced on schedule counts from when it was enabled, at
 *   most a day back, so an outage yields one catch-up run, not one per day;
 * - both syncs are promised daily, and a daily local time keeps that promise
 *   by construction: its next occurrence is never more than 25 hours (a day
 *   the clocks go back) after the last run or change. (The 25-hour rule of the
 *   UTC crons, which could be weekly, is gone with them.) A zone no longer
 *   known falls back to the platform's, then UTC; a time no longer readable, to
 *   the default.
 *
 * The spread: a connector on the default time (no time chosen) runs at the
 * kind's default hour plus its own stable offset in [0, SPREAD_MINUTES), a
 * hash of its id, so the thousand connectors nobody configured — most of
 * them in the platforms' default zone, UTC — do not all start at 02:00:00. A
 * connector whose admin chose a time runs at that minute, as the admin pages
 * promise: the choice is the customer's, times chosen by many customers at
 * once are spread over zones and minutes by the choosing itself, and a tick
 * that does start many runs at once is what the fleet benchmark measures
 * (the queue and the per-organisation concurrency absorb it).
 */

export const DEFAULT_LOCAL_TIMES: Record<SyncKind, string> = {
  CATALOGUE: "02:00",
  // After Coursera's reports are refreshed.
  STATISTICS: "04:00",
};

export const SPREAD_MINUTES = 30;
const DAY_MS = 86_400_000;

/** The connector's stable delay after each default-time occurrence, in [0, SPREAD_MINUTES). */
export function spreadOffsetMs(connectorId: string): number {
  const hash = createHash("sha256").update(connectorId).digest().readUInt32BE(0);
  return Math.floor((hash / 0x1_0000_0000) * SPREAD_MINUTES * 60) * 1000;
}

/** What the rule needs of a connector. */
export interface ScheduledConnector {
  id: string;
  timeZone: string | null;
  catalogueTime: string | null;
  statisticsTime: string | null;
  scheduleChangedAt: Date | null;
  enabledAt: Date | null;
  createdAt: Date;
  platform: { timeZone: string };
}

export interface KindSchedule {
  /** "HH:MM" in `timeZone`. */
  time: string;
  timeZone: string;
  /** Whether an admin chose the time (else the kind's default, spread by offsetMs). */
  chosen: boolean;
  offsetMs: number;
}

/** The connector's schedule of `kind`, resolved: its zone or its platform's, its time or the default. */
export function scheduleOf(
  connector: Omit<ScheduledConnector, "scheduleChangedAt" | "enabledAt" | "createdAt">,
  kind: SyncKind,
): KindSchedule {
  const timeZone = canonicalTimeZone(connector.timeZone ?? "") ?? canonicalTimeZone(connector.platform.timeZone) ?? "UTC";
  const own = kind === "CATALOGUE" ? connector.catalogueTime : connector.statisticsTime;
  if (own && parseLocalTime(own)) return { time: own, timeZone, chosen: true, offsetMs: 0 };
  return { time: DEFAULT_LOCAL_TIMES[kind], timeZone, chosen: false, offsetMs: spreadOffsetMs(connector.id) };
}

/** The first instant after `since` at which the schedule comes due (its occurrence plus its offset). */
export function occurrenceAfter(schedule: KindSchedule, since: Date): Date {
  const next = nextLocalOccurrence(schedule.time, schedule.timeZone, new Date(since.getTime() - schedule.offsetMs));
  return new Date(next.getTime() + schedule.offsetMs);
}

/**
 * When the connector's `kind` sync is (or was) due by the rule above, given its
 * last scheduled run. At or before `now`: due now.
 */
export function dueAt(connector: ScheduledConnector, kind: SyncKind, lastRun: Date | null, now: Date): Date {
  const schedule = scheduleOf(connector, kind);
  const enabledAt = connector.enabledAt ?? connector.createdAt;
  const dayAgo = new Date(now.getTime() - DAY_MS);
  let since = lastRun ?? (enabledAt > dayAgo ? enabledAt : dayAgo);
  if (connector.scheduleChangedAt && connector.scheduleChangedAt > since) since = connector.scheduleChangedAt;
  return occurrenceAfter(schedule, since);
}

const scheduleSelect = {
  id: true,
  platformId: true,
  timeZone: true,
  catalogueTime: true,
  statisticsTime: true,
  scheduleChangedAt: true,
  enabledAt: true,
  createdAt: true,
  platform: { select: { timeZone: true } },
} as const;

async function lastScheduledRuns(connectorIds: string[], kind: SyncKind): Promise<Map<string, Date | null>> {
  const last = await db.syncRun.groupBy({
    by: ["connectorId"],
    // The daily schedule counts its own (FULL) runs: the hourly incremental ones do not stand in for it.
    where: { connectorId: { in: connectorIds }, kind, trigger: "SCHEDULE", mode: "FULL" },
    _max: { queuedAt: true },
  });
  return new Map(last.map((l) => [l.connectorId, l._max.queuedAt]));
}

/** Enabled connectors with credentials whose `kind` sync is due at `now` (see the rule above). */
export async function connectorsDue(kind: SyncKind, now: Date): Promise<{ id: string; platformId: string }[]> {
  const connectors = await readyConnectors(scheduleSelect);
  if (connectors.length === 0) return [];
  const lastByConnector = await lastScheduledRuns(
    connectors.map((c) => c.id),
    kind,
  );
  return connectors
    .filter((c) => {
      const lastRun = lastByConnector.get(c.id) ?? null;
      if (lastRun && lastRun > now) return false;
      return dueAt(c, kind, lastRun, now) <= now;
    })
    .map((c) => ({ id: c.id, platformId: c.platformId }));
}

/** The overview's "next runs": per kind, when the connector's sync will next be due, and the schedule that says so. */
export async function nextScheduledRuns(
  platformId: string,
  now: Date,
): Promise<Record<SyncKind, { at: Date; schedule: KindSchedule }> | null> {
  const connector = await db.courseraConnector.findUnique({ where: { platformId }, select: scheduleSelect });
  if (!connector) return null;
  const out = {} as Record<SyncKind, { at: Date; schedule: KindSchedule }>;
  for (const kind of ["CATALOGUE", "STATISTICS"] as const) {
    const last = (await lastScheduledRuns([connector.id], kind)).get(connector.id) ?? null;
    out[kind] = { at: dueAt(connector, kind, last, now), schedule: scheduleOf(connector, kind) };
  }
  return out;
}

/**
 * The hourly incremental statistics sync's rule (lib/statistics/incremental.ts): a ready connector
 * is due when it has synced its statistics successfully at least once (the window counts from
 * there; before that the daily full sync brings everything) and no statistics run of any mode or
 * trigger was queued in the last `everyMinutes` (a full sync or "Sync now" an hour ago makes an
 * incremental one pointless). Intervals, not local times: an hour is an hour in every time zone,
 * and the daily full sync keeps its local time. One statement whatever the fleet's size.
 */
export async function connectorsDueIncremental(now: Date, everyMinutes: number): Promise<{ id: string; platformId: string }[]> {
  if (everyMinutes <= 0) return [];
  const since = new Date(now.getTime() - everyMinutes * 60_000);
  return db.$queryRaw<{ id: string; platformId: string }[]>`
    SELECT c."id", c."platformId" FROM "CourseraConnector" c
     WHERE c."enabled" AND c."clientSecretEncrypted" IS NOT NULL AND c."orgId" IS NOT NULL AND c."clientId" IS NOT NULL
       AND EXISTS (SELECT 1 FROM "SyncRun" r WHERE r."connectorId" = c."id" AND r."kind" = 'STATISTICS'
                      AND r."status" IN ('SUCCEEDED', 'NEEDS_REVIEW'))
       AND NOT EXISTS (SELECT 1 FROM "SyncRun" r WHERE r."connectorId" = c."id" AND r."kind" = 'STATISTICS'
                          AND r."queuedAt" > ${since.toISOString()}::timestamp(3))
     ORDER BY c."id"`;
}
