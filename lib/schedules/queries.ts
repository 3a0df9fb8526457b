import "server-only";
import { db } from "@/lib/db";
import { nextScheduledRuns } from "@/lib/sync/schedule";

/** What the connector page's schedule form and the overview's "next syncs" show. */
export async function getScheduleSettings(platformId: string, now = new Date()) {
  const [connector, next] = await Promise.all([
    db.courseraConnector.findUnique({
      where: { platformId },
      select: {
        timeZone: true,
        catalogueTime: true,
        statisticsTime: true,
        staleAfterHours: true,
        platform: { select: { timeZone: true } },
      },
    }),
    nextScheduledRuns(platformId, now),
  ]);
  if (!connector || !next) return null;
  return {
    /** The connector's own zone; null: the platform's. */
    timeZone: connector.timeZone,
    platformTimeZone: connector.platform.timeZone,
    catalogueTime: connector.catalogueTime,
    statisticsTime: connector.statisticsTime,
    staleAfterHours: connector.staleAfterHours,
    next,
  };
}

export type ScheduleSettings = NonNullable<Awaited<ReturnType<typeof getScheduleSettings>>>;
