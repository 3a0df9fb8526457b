import "server-only";
import { db, Prisma } from "@/lib/db";
import { containsPattern } from "@/lib/sql/like";
import { FLEET_PAGE_SIZE, type FleetPage, type FleetParams, type FleetRow, type FleetSort, type FleetTrouble } from "@/lib/fleet/schema";

/**
 * The CSM's fleet view: every platform's connector and its health, in one
 * statement at any fleet size. Each connector's facts come from index probes
 * (the last success of each kind through the partial index of successful runs,
 * the first failure after it through (connectorId, kind, finishedAt), a running
 * run through the one-active-run index, the inbox through (platformId,
 * resolvedAt)); the facts are computed once (a CTE), then filtered, sorted and
 * cut to a page, and counted per kind of trouble for the filter's choices.
 *
 * Definitions (the alerts' own, lib/alerts/reconcile.ts):
 * - last successful sync: the latest SUCCEEDED or NEEDS_REVIEW run of the kind (dry runs change nothing: not counted);
 * - failing since: the first FAILED run after the last success of its kind (the
 *   current streak), the earlier of the two kinds;
 * - needs review: a catalogue run holds retirements back for an admin;
 * - unmatched waiting: Coursera identities in the inbox, unresolved;
 * - stale: enabled with credentials, and a kind without success for more than
 *   `staleHours` (else the connector's own threshold), counted from when it was
 *   enabled or its credentials saved if it never succeeded.
 */

const TROUBLE_SQL: Record<Exclude<FleetTrouble, "any">, Prisma.Sql> = {
  failing: Prisma.sql`f."enabled" AND f."failingSince" IS NOT NULL`,
  stale: Prisma.sql`f."stale"`,
  needs_review: Prisma.sql`f."enabled" AND f."heldRetirements" > 0`,
  unmatched: Prisma.sql`f."unmatchedWaiting" > 0`,
  running: Prisma.sql`f."running"`,
  disabled: Prisma.sql`NOT f."enabled"`,
  no_credentials: Prisma.sql`f."connectorId" IS NOT NULL AND NOT f."hasCredentials"`,
};
const ANY_TROUBLE = Prisma.sql`f."health" NOT IN ('healthy', 'disabled', 'not_set_up')`;

function sortSql(sort: FleetSort, dir: "asc" | "desc"): Prisma.Sql {
  const d = Prisma.raw(dir === "desc" ? "DESC" : "ASC");
  // Ages: oldest first ascending, and "never" is older than anything.
  const age = (column: string) => Prisma.raw(`f."${column}" ${dir === "desc" ? "DESC NULLS LAST" : "ASC NULLS FIRST"}`);
  const by: Record<FleetSort, Prisma.Sql> = {
    name: Prisma.sql`lower(f."name") ${d}`,
    health: Prisma.sql`f."healthRank" ${d}, f."failingSince" ASC NULLS LAST`,
    lastCatalogue: Prisma.sql`${age("lastCatalogueAt")}`,
    lastStatistics: Prisma.sql`${age("lastStatisticsAt")}`,
    // Failing the longest first ascending; platforms not failing last either way.
    failingSince: Prisma.raw(`f."failingSince" ${dir === "desc" ? "DESC" : "ASC"} NULLS LAST`),
    unmatched: Prisma.sql`f."unmatchedWaiting" ${d}`,
    credentials: Prisma.sql`${age("credentialsSavedAt")}`,
  };
  return Prisma.sql`${by[sort]}, lower(f."name") ASC, f."id" ASC`;
}

interface Row extends Omit<FleetRow, "lastCatalogueAt" | "lastStatisticsAt" | "failingSince" | "credentialsSavedAt"> {
  lastCatalogueAt: Date | null;
  lastStatisticsAt: Date | null;
  failingSince: Date | null;
  credentialsSavedAt: Date | null;
}

/** The one statement of listFleet (exported for its test, which reads its plan). */
export function fleetStatement(params: FleetParams, now: Date): Prisma.Sql {
  const staleHours = params.staleHours ?? null;
  const search = params.q ? Prisma.sql`p."name" ILIKE ${containsPattern(params.q)}` : Prisma.sql`TRUE`;
  const trouble = !params.trouble ? Prisma.sql`TRUE` : params.trouble === "any" ? ANY_TROUBLE : TROUBLE_SQL[params.trouble];
  const offset = (params.page - 1) * FLEET_PAGE_SIZE;
  return Prisma.sql`
    WITH base AS MATERIALIZED (
      SELECT p."id", p."name", c."id" AS "connectorId", COALESCE(c."enabled", false) AS "enabled", g."name" AS "syncGroupName",
             c."credentialsUpdatedAt" AS "credentialsSavedAt", c."staleAfterHours",
             (c."orgId" IS NOT NULL AND c."clientId" IS NOT NULL AND c."clientSecretEncrypted" IS NOT NULL) AS "hasCredentials",
             GREATEST(c."enabledAt", c."credentialsUpdatedAt", c."createdAt") AS "watchedSince",
             cat."finishedAt" AS "lastCatalogueAt", st."finishedAt" AS "lastStatisticsAt",
             EXISTS (SELECT 1 FROM "SyncRun" r WHERE r."connectorId" = c."id" AND r."status" IN ('QUEUED', 'RUNNING')) AS "running",
             LEAST(fc."since", fs."since") AS "failingSince",
             (SELECT r."errorMessage" FROM "SyncRun" r
               WHERE r."connectorId" = c."id" AND r."status" = 'FAILED' AND r."finishedAt" IS NOT NULL
               ORDER BY r."finishedAt" DESC LIMIT 1) AS "lastError",
             COALESCE((SELECT sum(r."heldRetirements") FROM "SyncRun" r
                        WHERE r."connectorId" = c."id" AND r."kind" = 'CATALOGUE' AND r."status" = 'NEEDS_REVIEW'
                          AND r."heldRetirements" > 0), 0)::int AS "heldRetirements",
             (SELECT count(DISTINCT u."identityKey") FROM "UnmatchedLearnerRecord" u
               WHERE u."platformId" = p."id" AND u."resolvedAt" IS NULL)::int AS "unmatchedWaiting"
        FROM "Platform" p
        LEFT JOIN "CourseraConnector" c ON c."platformId" = p."id"
        LEFT JOIN "Group" g ON g."id" = c."syncGroupId"
        LEFT JOIN LATERAL (SELECT r."finishedAt" FROM "SyncRun" r
                            WHERE r."connectorId" = c."id" AND r."kind" = 'CATALOGUE' AND r."status" IN ('SUCCEEDED', 'NEEDS_REVIEW')
                              AND r."mode" <> 'DRY_RUN' AND r."finishedAt" IS NOT NULL
                            ORDER BY r."finishedAt" DESC LIMIT 1) cat ON TRUE
        LEFT JOIN LATERAL (SELECT r."finishedAt" FROM "SyncRun" r
                            WHERE r."connectorId" = c."id" AND r."kind" = 'STATISTICS' AND r."status" IN ('SUCCEEDED', 'NEEDS_REVIEW')
                              AND r."finishedAt" IS NOT NULL
                            ORDER BY r."finishedAt" DESC LIMIT 1) st ON TRUE
        LEFT JOIN LATERAL (SELECT min(r."finishedAt") AS "since" FROM "SyncRun" r
                            WHERE r."connectorId" = c."id" AND r."kind" = 'CATALOGUE' AND r."status" = 'FAILED' AND r."mode" <> 'DRY_RUN'
                              AND r."finishedAt" > COALESCE(cat."finishedAt", '-infinity'::timestamp)) fc ON TRUE
        LEFT JOIN LATERAL (SELECT min(r."finishedAt") AS "since" FROM "SyncRun" r
                            WHERE r."connectorId" = c."id" AND r."kind" = 'STATISTICS' AND r."status" = 'FAILED'
                              AND r."finishedAt" > COALESCE(st."finishedAt", '-infinity'::timestamp)) fs ON TRUE
       WHERE ${search}
    ),
    staleness AS (
      SELECT b.*,
             (b."enabled" AND b."hasCredentials" AND (
                COALESCE(b."lastCatalogueAt", b."watchedSince") < ${now}::timestamp - make_interval(hours => COALESCE(${staleHours}::int, b."staleAfterHours"))
             OR COALESCE(b."lastStatisticsAt", b."watchedSince") < ${now}::timestamp - make_interval(hours => COALESCE(${staleHours}::int, b."staleAfterHours"))
             )) AS "stale",
             (b."enabled" AND b."hasCredentials" AND (
                COALESCE(b."lastCatalogueAt", b."watchedSince") < ${now}::timestamp - make_interval(hours => b."staleAfterHours")
             OR COALESCE(b."lastStatisticsAt", b."watchedSince") < ${now}::timestamp - make_interval(hours => b."staleAfterHours")
             )) AS "staleOwn"
        FROM base b
    ),
    facts AS (
      SELECT s.*,
             CASE WHEN s."connectorId" IS NULL THEN 'not_set_up'
                  WHEN NOT s."enabled" THEN 'disabled'
                  WHEN NOT s."hasCredentials" THEN 'no_credentials'
                  WHEN s."failingSince" IS NOT NULL THEN 'failing'
                  WHEN s."heldRetirements" > 0 THEN 'needs_review'
                  WHEN s."staleOwn" THEN 'stale'
                  WHEN s."unmatchedWaiting" > 0 THEN 'unmatched'
                  ELSE 'healthy' END AS "health"
        FROM staleness s
    ),
    ranked AS (
      SELECT f.*, array_position(ARRAY['failing', 'needs_review', 'stale', 'unmatched', 'no_credentials', 'healthy', 'disabled', 'not_set_up'], f."health") AS "healthRank"
        FROM facts f
    ),
    filtered AS (SELECT f.* FROM ranked f WHERE ${trouble}),
    page AS (
      SELECT f."id", f."name", f."health", f."connectorId", f."enabled", f."syncGroupName",
             f."lastCatalogueAt" AT TIME ZONE 'UTC' AS "lastCatalogueAt", f."lastStatisticsAt" AT TIME ZONE 'UTC' AS "lastStatisticsAt",
             f."running", f."failingSince" AT TIME ZONE 'UTC' AS "failingSince",
             CASE WHEN f."failingSince" IS NOT NULL THEN f."lastError" END AS "failingError",
             f."heldRetirements", f."unmatchedWaiting", f."hasCredentials",
             f."credentialsSavedAt" AT TIME ZONE 'UTC' AS "credentialsSavedAt", f."staleAfterHours", f."stale"
        FROM filtered f
       ORDER BY ${sortSql(params.sort, params.dir)}
       LIMIT ${FLEET_PAGE_SIZE} OFFSET ${offset}
    )
    SELECT (SELECT json_agg(page) FROM page) AS "rows",
           (SELECT count(*)::int FROM filtered) AS "total",
           (SELECT json_build_object(
              'any', count(*) FILTER (WHERE ${ANY_TROUBLE}),
              'failing', count(*) FILTER (WHERE ${TROUBLE_SQL.failing}),
              'stale', count(*) FILTER (WHERE ${TROUBLE_SQL.stale}),
              'needs_review', count(*) FILTER (WHERE ${TROUBLE_SQL.needs_review}),
              'unmatched', count(*) FILTER (WHERE ${TROUBLE_SQL.unmatched}),
              'running', count(*) FILTER (WHERE ${TROUBLE_SQL.running}),
              'disabled', count(*) FILTER (WHERE ${TROUBLE_SQL.disabled}),
              'no_credentials', count(*) FILTER (WHERE ${TROUBLE_SQL.no_credentials})) FROM ranked f) AS "counts"`;
}

export async function listFleet(params: FleetParams, now = new Date()): Promise<FleetPage> {
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  const [result] = await db.$queryRaw<{ rows: Row[] | null; total: number; counts: Record<FleetTrouble, number> }[]>(
    fleetStatement(params, now),
  );

  return {
    rows: (result?.rows ?? []).map((r) => ({
      ...r,
      lastCatalogueAt: iso(r.lastCatalogueAt),
      lastStatisticsAt: iso(r.lastStatisticsAt),
      failingSince: iso(r.failingSince),
      credentialsSavedAt: iso(r.credentialsSavedAt),
    })),
    total: result?.total ?? 0,
    page: params.page,
    pageSize: FLEET_PAGE_SIZE,
    counts: result.counts,
    now: now.toISOString(),
  };
}
