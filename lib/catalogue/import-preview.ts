import "server-only";
import { createHash } from "node:crypto";
import { db, Prisma } from "@/lib/db";
import type { CourseraContentType } from "@/lib/coursera/schema";
import { canonical, type ImportSelection } from "@/lib/catalogue/import-selection";

/**
 * The dry run of an import selection: what the next catalogue sync would do
 * if the selection were saved, computed without asking Coursera, against
 *   - the stored catalogue (the active Coursera courses: what the last listing
 *     imported), and
 *   - the items the last complete listing left out (CatalogueExcludedItem).
 * Together they are Coursera's last complete listing. So the figures are what
 * the sync then does, as long as Coursera's catalogue has not changed since.
 */

/** `isSelected` (import-selection.ts) as SQL over a row alias with "contentType", "language" and "programIds". */
export function selectedSql(selection: ImportSelection, alias: string): Prisma.Sql {
  const col = (name: string) => Prisma.raw(`${alias}."${name}"`);
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (selection.programIds.length > 0) conditions.push(Prisma.sql`${col("programIds")} && ${selection.programIds}::text[]`);
  if (selection.contentTypes.length > 0) conditions.push(Prisma.sql`${col("contentType")}::text = ANY(${selection.contentTypes}::text[])`);
  if (selection.languages.length > 0)
    conditions.push(Prisma.sql`coalesce(lower(${col("language")}) = ANY(${selection.languages}::text[]), false)`);
  return Prisma.sql`(${Prisma.join(conditions, " AND ")})`;
}

/** The connector's last complete listing, as rows: stored (an active course) or left out (an excluded item). */
function listingCte(platformId: string, connectorId: string): Prisma.Sql {
  return Prisma.sql`
    last_run AS (
      SELECT r."id", r."finishedAt" FROM "SyncRun" r
       WHERE r."connectorId" = ${connectorId} AND r."kind" = 'CATALOGUE' AND r."mode" = 'FULL'
         AND r."status" IN ('SUCCEEDED', 'NEEDS_REVIEW')
       ORDER BY r."finishedAt" DESC NULLS LAST LIMIT 1
    ),
    listing AS (
      SELECT c."id" AS "courseId", c."courseraContentId" AS "contentId", c."title", c."contentType", c."language", c."programIds"
        FROM "Course" c
       WHERE c."platformId" = ${platformId} AND c."source" = 'COURSERA' AND c."retiredAt" IS NULL
      UNION ALL
      SELECT NULL, e."contentId", e."title", e."contentType", e."language", e."programIds"
        FROM "CatalogueExcludedItem" e JOIN last_run ON e."runId" = last_run."id"
       WHERE NOT EXISTS (SELECT 1 FROM "Course" c WHERE c."platformId" = ${platformId} AND c."source" = 'COURSERA'
                           AND c."courseraContentId" = e."contentId" AND c."retiredAt" IS NULL)
    )`;
}

/** A stored course learners rely on: a step of a program with a session not over, or one a learner is in the middle of. */
export function inUseSql(platformId: string, courseId: Prisma.Sql): Prisma.Sql {
  // The platform narrows the statistics lookup to its (platformId, courseId) index.
  return Prisma.sql`(
    EXISTS (SELECT 1 FROM "ProgramStep" ps JOIN "ProgramSession" ss ON ss."programId" = ps."programId"
             WHERE ps."courseId" = ${courseId} AND (ss."endsAt" IS NULL OR ss."endsAt" > now()))
    OR EXISTS (SELECT 1 FROM "LearnerCourseStat" st
                WHERE st."platformId" = ${platformId} AND st."courseId" = ${courseId} AND st."status" = 'IN_PROGRESS'))`;
}

export interface ImportPreview {
  /** When the listing compared with was read; null: no complete listing yet (the stored catalogue alone). */
  listedAt: Date | null;
  add: number;
  retire: number;
  /** Of `retire`: courses in a program session that is not over or in progress for a learner. */
  retireInUse: number;
  keep: number;
  /** Whether the sync would hold the retirements for an admin's decision (the mass-drop rule). */
  held: boolean;
  samples: { add: string[]; retire: { title: string; inUse: boolean }[]; keep: string[] };
  /** Changes when the selection or any figure does: a save confirms the preview it was shown. */
  fingerprint: string;
}

const SAMPLES = 5;

export async function previewImportSelection(input: {
  platformId: string;
  connectorId: string;
  selection: ImportSelection;
  massRetirementThreshold: number;
}): Promise<ImportPreview> {
  const selection = canonical(input.selection);
  const selected = selectedSql(selection, "l");
  const IN_USE = inUseSql(input.platformId, Prisma.raw(`l."courseId"`));
  const listing = listingCte(input.platformId, input.connectorId);
  // The listing is read once (it holds every active course, 100,000 in the benchmark's catalogue): each
  // row's fate under the selection, then the figures and the samples from that.
  const [figures] = await db.$queryRaw<
    {
      add: number;
      retire: number;
      retireInUse: number;
      keep: number;
      listedAt: Date | null;
      addSamples: string[];
      retireSamples: { title: string; inUse: boolean }[];
      keepSamples: string[];
    }[]
  >`
    WITH ${listing},
    fates AS MATERIALIZED (
      SELECT l."title",
             CASE WHEN l."courseId" IS NULL THEN CASE WHEN ${selected} THEN 'add' END
                  WHEN ${selected} THEN 'keep' ELSE 'retire' END AS fate,
             l."courseId" IS NOT NULL AND NOT ${selected} AND ${IN_USE} AS "inUse"
        FROM listing l
    )
    SELECT (SELECT count(*) FROM fates WHERE fate = 'add')::int AS add,
           (SELECT count(*) FROM fates WHERE fate = 'retire')::int AS retire,
           (SELECT count(*) FROM fates WHERE fate = 'retire' AND "inUse")::int AS "retireInUse",
           (SELECT count(*) FROM fates WHERE fate = 'keep')::int AS keep,
           (SELECT "finishedAt" FROM last_run) AS "listedAt",
           (SELECT coalesce(json_agg(s."title" ORDER BY s."title"), '[]') FROM
              (SELECT "title" FROM fates WHERE fate = 'add' ORDER BY "title" LIMIT ${SAMPLES}) s) AS "addSamples",
           -- The courses learners rely on first: those are the ones an admin must not retire by accident.
           (SELECT coalesce(json_agg(json_build_object('title', s."title", 'inUse', s."inUse") ORDER BY s."inUse" DESC, s."title"), '[]') FROM
              (SELECT "title", "inUse" FROM fates WHERE fate = 'retire' ORDER BY "inUse" DESC, "title" LIMIT ${SAMPLES}) s) AS "retireSamples",
           (SELECT coalesce(json_agg(s."title" ORDER BY s."title"), '[]') FROM
              (SELECT "title" FROM fates WHERE fate = 'keep' ORDER BY "title" LIMIT ${SAMPLES}) s) AS "keepSamples"`;
  // The same rule as the retirement step (lib/catalogue/mutations.ts): the catalogue before the run is what is kept and retired.
  const before = figures.keep + figures.retire;
  const held = figures.retire > 0 && figures.retire > input.massRetirementThreshold * before;
  const counts = { add: figures.add, retire: figures.retire, retireInUse: figures.retireInUse, keep: figures.keep };
  return {
    listedAt: figures.listedAt,
    ...counts,
    held,
    samples: { add: figures.addSamples, retire: figures.retireSamples, keep: figures.keepSamples },
    fingerprint: createHash("sha256")
      .update(JSON.stringify({ selection, counts, listedAt: figures.listedAt?.toISOString() ?? null }))
      .digest("hex")
      .slice(0, 16),
  };
}

export interface ImportOptions {
  listedAt: Date | null;
  /** How many items of the last listing have each value (a program: the items in it). */
  programs: { id: string; items: number }[];
  contentTypes: { value: CourseraContentType; items: number }[];
  languages: { value: string | null; items: number }[];
}

/** The values the last listing holds, with how many items each: the choices the selection form offers. */
export async function importOptions(platformId: string, connectorId: string): Promise<ImportOptions> {
  const listing = listingCte(platformId, connectorId);
  const [programs, contentTypes, languages, last] = await Promise.all([
    db.$queryRaw<{ id: string; items: number }[]>`
      WITH ${listing} SELECT p AS id, count(*)::int AS items FROM listing l, unnest(l."programIds") AS p GROUP BY p ORDER BY p`,
    db.$queryRaw<{ value: CourseraContentType; items: number }[]>`
      WITH ${listing} SELECT l."contentType"::text AS value, count(*)::int AS items FROM listing l GROUP BY 1 ORDER BY 2 DESC, 1`,
    db.$queryRaw<{ value: string | null; items: number }[]>`
      WITH ${listing} SELECT lower(l."language") AS value, count(*)::int AS items FROM listing l GROUP BY 1 ORDER BY 2 DESC, 1`,
    db.$queryRaw<{ listedAt: Date | null }[]>`WITH ${listing} SELECT (SELECT "finishedAt" FROM last_run) AS "listedAt"`,
  ]);
  return { listedAt: last[0]?.listedAt ?? null, programs, contentTypes, languages };
}
