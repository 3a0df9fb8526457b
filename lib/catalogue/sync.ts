import "server-only";
import { db, Prisma } from "@/lib/db";
import type { CourseraContent, InvalidElement } from "@/lib/coursera/schema";
import { courseRowFromContent, type CourseRow, type MappingProblem } from "@/lib/catalogue/mapping";
import { newRowId } from "@/lib/database/row-id";
import { refreshPlannerStatistics, refreshPlannerStatisticsAsTableGrows } from "@/lib/database/planner-statistics";
import type { CourseraPage } from "@/lib/coursera/client";
import { completeCatalogueListing, type ListingOutcome } from "@/lib/catalogue/mutations";
import type { PagedSync } from "@/lib/sync/pipeline";
import { addRunProblems, addToRunCounters, claimRunPage, finishRun } from "@/lib/sync/runs";
import { IMPORT_EVERYTHING, isEverything, isSelected, selectionFromJson, type ImportSelection } from "@/lib/catalogue/import-selection";

/**
 * The catalogue sync's per-page work: one page of Coursera's catalogue becomes
 * course rows in one transaction, in a handful of set-based statements whatever
 * the page size:
 *   1. record the page's content ids as seen by this run (duplicates within the
 *      run fall out here: an id already seen is skipped); the items the
 *      connector's import selection leaves out are recorded apart, as excluded,
 *      so they are not seen (a stored one is retired) and a wider selection can
 *      be previewed (lib/catalogue/import-preview.ts),
 *   2. load the stored hash and retirement of those ids,
 *   3. insert the new ones, update the changed or retired ones, and leave the
 *      unchanged ones alone — not even their updatedAt moves,
 *   4. add to the run's live counters and record invalid elements.
 * Retirement (what a complete listing did not contain) is lib/catalogue/mutations.ts.
 */

export type CataloguePageCounts = {
  pages: number;
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  restored: number;
  invalid: number;
  /** Items an earlier page of the same run already had (Coursera's pages can shift while read). */
  duplicates: number;
  /** Items the connector's import selection leaves out. */
  excluded: number;
};

export const zeroPageCounts = (): CataloguePageCounts => ({
  pages: 0,
  fetched: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  restored: 0,
  invalid: 0,
  duplicates: 0,
  excluded: 0,
});

/** Interactive transactions default to 5 s; a 1,000-row page on a busy server may need more. */
export const PAGE_TRANSACTION = { maxWait: 10_000, timeout: 120_000 } as const;

/**
 * The catalogue sync's configuration of the paged-sync pipeline
 * (lib/sync/pipeline.ts): Coursera's contents listing, page by page; once it
 * is complete, what it lacked is retired (or a mass drop held for an admin).
 */
export const catalogueSync: PagedSync<CourseraPage<CourseraContent>, CataloguePageCounts, ListingOutcome> = {
  kind: "CATALOGUE",
  noun: "catalogue",
  dryRun: true,
  keptOnFailure: "Nothing was retired",
  zeroCounts: zeroPageCounts,
  fetchPage: (client, start) => client.fetchContentsPage({ start }),
  writePage: async (run, page, start) =>
    writeCataloguePage({
      runId: run.runId,
      start,
      platformId: run.platformId,
      items: page.items,
      invalid: page.invalid,
      rawCount: page.rawCount,
      total: page.total,
      selection: await runSelection(run.runId),
      dryRun: run.mode === "DRY_RUN",
    }),
  onStart: async ({ runId, connectorId }) => {
    await fixRunSelection(runId, connectorId);
    await dropStaleSeenItems(runId, connectorId);
  },
  complete: { stepId: "retire", run: completeCatalogueListing },
  finish: (runId, outcome) => finishCatalogueRun(runId, outcome ?? { held: 0 }),
  onFailed: async (runId) => {
    // Nothing is retired: the run's seen-ids are dropped without being used, and the
    // listing it did not finish is not one a dry run may compare with.
    await db.catalogueSeenItem.deleteMany({ where: { runId } });
    await db.catalogueExcludedItem.deleteMany({ where: { runId } });
  },
};

/**
 * Fixes the connector's import selection on the run as it starts: an admin
 * changing it mid-run changes the next run, never half of this one.
 */
async function fixRunSelection(runId: string, connectorId: string): Promise<void> {
  const connector = await db.courseraConnector.findUniqueOrThrow({
    where: { id: connectorId },
    select: { importProgramIds: true, importContentTypes: true, importLanguages: true },
  });
  const selection: ImportSelection = {
    programIds: connector.importProgramIds,
    contentTypes: connector.importContentTypes,
    languages: connector.importLanguages,
  };
  await db.syncRun.update({
    where: { id: runId },
    data: { importSelection: isEverything(selection) ? Prisma.DbNull : { ...selection } },
  });
}

async function runSelection(runId: string): Promise<ImportSelection> {
  const run = await db.syncRun.findUnique({ where: { id: runId }, select: { importSelection: true } });
  return run?.importSelection == null ? IMPORT_EVERYTHING : selectionFromJson(run.importSelection);
}

/**
 * The seen-ids of earlier runs of this connector that ended without cleaning
 * up (a process killed mid-run), except those of a run whose retirements still
 * wait for an admin's decision.
 */
async function dropStaleSeenItems(runId: string, connectorId: string): Promise<void> {
  await db.$executeRaw`
    DELETE FROM "CatalogueSeenItem" s USING "SyncRun" r
     WHERE s."runId" = r."id" AND r."connectorId" = ${connectorId} AND r."id" <> ${runId}
       AND r."status" NOT IN ('QUEUED', 'RUNNING')
       AND NOT (r."status" = 'NEEDS_REVIEW' AND r."heldRetirements" > 0)`;
  // The excluded items of runs that never completed: only a complete listing is compared with.
  await db.$executeRaw`
    DELETE FROM "CatalogueExcludedItem" e USING "SyncRun" r
     WHERE e."runId" = r."id" AND r."connectorId" = ${connectorId} AND r."id" <> ${runId}
       AND r."status" NOT IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'NEEDS_REVIEW')`;
}

interface ExistingRow {
  id: string;
  cid: string;
  hash: string | null;
  retired: boolean;
}

/**
 * Writes one fetched page for a run (the database half of syncCataloguePages,
 * separate so the benchmark can time it against other ways of writing).
 */
export async function writeCataloguePage(input: {
  runId: string;
  /** The page's offset in the listing: a page already written by the run is not written or counted again. */
  start: number;
  platformId: string;
  items: CourseraContent[];
  invalid: InvalidElement[];
  rawCount: number;
  total: number | null;
  /** The run's import selection; absent: everything. */
  selection?: ImportSelection;
  /** Count what would be written (new, updated, restored), and write no course. */
  dryRun?: boolean;
}): Promise<CataloguePageCounts> {
  const counts = zeroPageCounts();
  counts.pages = 1;
  counts.fetched = input.rawCount;
  counts.invalid = input.invalid.length;

  // First occurrence wins within the page, as it does across pages. Rows and
  // hashes are computed before the transaction opens, to keep it short.
  const byId = new Map<string, CourseRow>();
  const excludedById = new Map<string, CourseRow>();
  const mappingProblems = new Map<string, MappingProblem[]>();
  const selection = input.selection ?? IMPORT_EVERYTHING;
  for (const item of input.items) {
    if (byId.has(item.contentId) || excludedById.has(item.contentId)) counts.duplicates++;
    else {
      const mapped = courseRowFromContent(item);
      if (!isSelected(selection, mapped.row)) excludedById.set(item.contentId, mapped.row);
      else {
        byId.set(item.contentId, mapped.row);
        if (mapped.problems.length > 0) mappingProblems.set(item.contentId, mapped.problems);
      }
    }
  }

  const createdSoFar = await db.$transaction(async (tx) => {
    // Lets this transaction (and only it) write the Coursera-owned columns the
    // Course_lock_coursera_fields trigger protects from everyone else.
    await tx.$queryRaw`SELECT set_config('app.catalogue_sync', 'on', true)`;
    if (!(await claimRunPage(tx, input.runId, input.start))) return null;

    // An element Coursera sent but we could not read still exists on Coursera:
    // it counts as seen, so a stored course is neither updated nor retired.
    const unreadableIds = input.invalid
      .map((bad) => bad.id)
      .filter((id): id is string => id !== null && !byId.has(id) && !excludedById.has(id));
    const ids = [...byId.keys(), ...new Set(unreadableIds)];
    const inserted =
      ids.length === 0
        ? []
        : await tx.$queryRaw<{ contentId: string }[]>`
            INSERT INTO "CatalogueSeenItem" ("runId", "contentId")
            -- In id order: two pages written at once take their locks in the same order (no deadlock).
            SELECT ${input.runId}, x FROM json_array_elements_text(${JSON.stringify(ids)}::json) AS x ORDER BY x
            ON CONFLICT DO NOTHING
            RETURNING "contentId"`;
    const freshIds = inserted.map((f) => f.contentId).filter((id) => byId.has(id));
    counts.duplicates += byId.size - freshIds.length;
    if (excludedById.size > 0) {
      counts.excluded = await recordExcludedItems(tx, input.runId, [...excludedById.values()]);
      counts.duplicates += excludedById.size - counts.excluded;
    }

    const existing =
      freshIds.length === 0
        ? []
        : await tx.$queryRaw<ExistingRow[]>`
            SELECT "id", "courseraContentId" AS cid, "contentHash" AS hash, "retiredAt" IS NOT NULL AS retired
              FROM "Course"
             WHERE "platformId" = ${input.platformId}
               AND "courseraContentId" IN (SELECT x FROM json_array_elements_text(${JSON.stringify(freshIds)}::json) AS x)`;
    const existingById = new Map(existing.map((e) => [e.cid, e]));

    const inserts: (CourseRow & { id: string })[] = [];
    const updates: (CourseRow & { id: string })[] = [];
    for (const contentId of freshIds) {
      const row = byId.get(contentId)!;
      const stored = existingById.get(contentId);
      if (!stored) {
        inserts.push({ ...row, id: newRowId() });
      } else if (stored.retired) {
        updates.push({ ...row, id: stored.id });
        counts.restored++;
      } else if (stored.hash !== row.contentHash) {
        updates.push({ ...row, id: stored.id });
        counts.updated++;
      } else {
        counts.unchanged++;
      }
    }
    // Prisma stores DateTime as UTC in timestamp(3); pass the same, not now() in the session's zone.
    const now = new Date().toISOString();
    if (input.dryRun) counts.created = inserts.length;
    else {
      if (inserts.length > 0) counts.created = await insertCourses(tx, input.platformId, inserts, now);
      if (updates.length > 0) await updateCourses(tx, updates, now);
    }

    if (input.invalid.length > 0) {
      await addRunProblems(
        input.runId,
        input.invalid.map((bad) => ({
          kind: "INVALID_RECORD" as const,
          itemId: bad.id,
          message: `Coursera sent an unreadable catalogue item${bad.id ? ` (${bad.id})` : ""}: ${bad.reason}. It was skipped; the rest of the page was kept.`,
          detail: { reason: bad.reason },
        })),
        tx,
      );
    }
    // Items kept with a problem (links outside Coursera's hosts dropped), once per item and run.
    const kept = freshIds.flatMap((id) => mappingProblems.get(id) ?? []);
    if (kept.length > 0) await addRunProblems(input.runId, kept, tx);
    const totals = await addToRunCounters(
      input.runId,
      {
        pages: 1,
        fetched: counts.fetched,
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.unchanged,
        restored: counts.restored,
        invalid: counts.invalid,
        duplicates: counts.duplicates,
        excluded: counts.excluded,
        progressDone: counts.fetched,
      },
      input.total ?? undefined,
      tx,
    );
    return totals.created;
  }, PAGE_TRANSACTION);
  if (createdSoFar === null) return zeroPageCounts();
  if (!input.dryRun) await refreshPlannerStatisticsAsTableGrows("Course", createdSoFar - counts.created, createdSoFar);
  return counts;
}

/** Records the items the import selection left out; returns how many were new to the run. */
async function recordExcludedItems(tx: Prisma.TransactionClient, runId: string, rows: CourseRow[]): Promise<number> {
  const items = rows.map((r) => ({
    contentId: r.courseraContentId,
    title: r.title,
    contentType: r.contentType,
    language: r.language,
    programIds: r.programIds,
  }));
  return tx.$executeRaw`
    INSERT INTO "CatalogueExcludedItem" ("runId", "contentId", "title", "contentType", "language", "programIds")
    SELECT ${runId}, x."contentId", x."title", x."contentType"::"ContentType", x."language", x."programIds"
      FROM json_to_recordset(${JSON.stringify(items)}::json)
        AS x("contentId" text, "title" text, "contentType" text, "language" text, "programIds" text[])
     ORDER BY x."contentId"
    ON CONFLICT DO NOTHING`;
}

/** The recordset column list shared by the INSERT and the UPDATE: one JSON parameter carries the whole batch. */
const RECORDSET = Prisma.raw(`r(
  "id" text, "courseraContentId" text, "title" text, "description" text, "contentType" text,
  "language" text, "subtitleLanguages" text[], "level" text, "durationMinutes" integer,
  "imageUrl" text, "launchUrl" text, "slug" text, "partners" jsonb, "instructors" jsonb,
  "courseraSkills" jsonb, "programIds" text[], "courseraUpdatedAt" timestamp(3), "contentHash" text)`);

async function insertCourses(
  tx: Prisma.TransactionClient,
  platformId: string,
  rows: (CourseRow & { id: string })[],
  now: string,
): Promise<number> {
  // ON CONFLICT DO NOTHING: only one catalogue run per connector can be here, so
  // a conflict means a row appeared in between; the next run reconciles it.
  return tx.$executeRaw`
    INSERT INTO "Course" (
      "id", "platformId", "source", "courseraContentId", "title", "description", "contentType",
      "language", "subtitleLanguages", "level", "durationMinutes", "imageUrl", "launchUrl", "slug",
      "partners", "instructors", "courseraSkills", "programIds", "courseraUpdatedAt", "contentHash",
      "createdAt", "updatedAt")
    SELECT r."id", ${platformId}, 'COURSERA'::"CourseSource", r."courseraContentId", r."title", r."description",
      r."contentType"::"ContentType", r."language", r."subtitleLanguages", r."level", r."durationMinutes",
      r."imageUrl", r."launchUrl", r."slug", r."partners", r."instructors", r."courseraSkills", r."programIds",
      r."courseraUpdatedAt", r."contentHash", ${now}::timestamp(3), ${now}::timestamp(3)
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS ${RECORDSET}
    ON CONFLICT ("platformId", "courseraContentId") DO NOTHING`;
}

async function updateCourses(tx: Prisma.TransactionClient, rows: (CourseRow & { id: string })[], now: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE "Course" c SET
      "title" = r."title", "description" = r."description", "contentType" = r."contentType"::"ContentType",
      "language" = r."language", "subtitleLanguages" = r."subtitleLanguages", "level" = r."level",
      "durationMinutes" = r."durationMinutes", "imageUrl" = r."imageUrl", "launchUrl" = r."launchUrl",
      "slug" = r."slug", "partners" = r."partners", "instructors" = r."instructors",
      "courseraSkills" = r."courseraSkills", "programIds" = r."programIds",
      "courseraUpdatedAt" = r."courseraUpdatedAt", "contentHash" = r."contentHash",
      "retiredAt" = NULL, "updatedAt" = ${now}::timestamp(3)
    FROM json_to_recordset(${JSON.stringify(rows)}::json) AS ${RECORDSET}
    WHERE c."id" = r."id"`;
}

/** Closes a run whose listing completed: NEEDS_REVIEW when retirements are held for an admin, else SUCCEEDED. */
async function finishCatalogueRun(runId: string, outcome: { held: number }): Promise<"SUCCEEDED" | "NEEDS_REVIEW"> {
  const status = outcome.held > 0 ? "NEEDS_REVIEW" : "SUCCEEDED";
  // Before the run is reported finished: a statistics sync queued behind it must find fresh statistics.
  const counts = await db.syncRun.findUnique({
    where: { id: runId },
    select: { mode: true, created: true, updated: true, retired: true, restored: true },
  });
  if (counts && counts.mode !== "DRY_RUN")
    await refreshPlannerStatistics("Course", counts.created + counts.updated + counts.retired + counts.restored);
  await finishRun(runId, status);
  return status;
}
