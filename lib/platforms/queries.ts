import "server-only";
import { db } from "@/lib/db";

export async function listPlatformsForSwitcher() {
  return db.platform.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
}

/** Every platform with its connector state at a glance (the CSM's landing page). */
export async function listPlatformsWithConnectorState() {
  const platforms = await db.platform.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      slug: true,
      connector: {
        select: { enabled: true, orgId: true, clientSecretLast4: true, syncGroup: { select: { name: true } } },
      },
      _count: { select: { users: true } },
    },
  });
  const ids = platforms.map((p) => p.id);
  const [courseCounts, lastRuns] = await Promise.all([
    db.course.groupBy({ by: ["platformId"], where: { platformId: { in: ids }, source: "COURSERA", retiredAt: null }, _count: true }),
    db.syncRun.findMany({
      // A dry run changed nothing: the last sync is the last real one.
      where: { platformId: { in: ids }, mode: { not: "DRY_RUN" } },
      orderBy: { queuedAt: "desc" },
      distinct: ["platformId", "kind"],
      select: { platformId: true, kind: true, status: true, queuedAt: true, finishedAt: true, errorMessage: true },
    }),
  ]);
  return platforms.map((p) => ({
    ...p,
    courseraCourses: courseCounts.find((c) => c.platformId === p.id)?._count ?? 0,
    lastCatalogueRun: lastRuns.find((r) => r.platformId === p.id && r.kind === "CATALOGUE") ?? null,
    lastStatisticsRun: lastRuns.find((r) => r.platformId === p.id && r.kind === "STATISTICS") ?? null,
  }));
}

export type PlatformRow = Awaited<ReturnType<typeof listPlatformsWithConnectorState>>[number];

/** The admin's overview of one platform. */
export async function getPlatformOverview(platformId: string) {
  const [platform, courseraCourses, retiredCourses, learners, openUnmatched, recentRuns] = await Promise.all([
    db.platform.findUnique({
      where: { id: platformId },
      select: {
        id: true,
        name: true,
        connector: {
          select: {
            enabled: true,
            orgId: true,
            clientId: true,
            clientSecretLast4: true,
            credentialsUpdatedAt: true,
            syncGroup: { select: { id: true, name: true } },
          },
        },
      },
    }),
    db.course.count({ where: { platformId, source: "COURSERA", retiredAt: null } }),
    db.course.count({ where: { platformId, source: "COURSERA", retiredAt: { not: null } } }),
    db.user.count({ where: { platformId, role: "LEARNER" } }),
    db.unmatchedLearnerRecord.count({ where: { platformId, resolvedAt: null } }),
    db.syncRun.findMany({
      where: { platformId },
      orderBy: { queuedAt: "desc" },
      take: 5,
      select: {
        id: true,
        kind: true,
        status: true,
        trigger: true,
        queuedAt: true,
        finishedAt: true,
        fetched: true,
        errorMessage: true,
        heldRetirements: true,
        excluded: true,
        unmatched: true,
      },
    }),
  ]);
  return platform ? { ...platform, courseraCourses, retiredCourses, learners, openUnmatched, recentRuns } : null;
}
