import "server-only";
import { db, Prisma } from "@/lib/db";
import { courseraClientForConnector } from "@/lib/connectors/coursera-client";
import type { CourseraContent, InvalidElement } from "@/lib/coursera/schema";
import { courseRowFromContent, type CourseRow } from "@/lib/catalogue/mapping";
import { newRowId } from "@/lib/database/row-id";
import { refreshPlannerStatistics, refreshPlannerStatisticsAsTableGrows } from "@/lib/database/planner-statistics";
import { runPageStep } from "@/lib/sync/page-step";
import { dropReadAhead } from "@/lib/sync/read-ahead";
import { addRunProblems, addToRunCounters, claimRunPage, finishRun, markRunStarted } from "@/lib/sync/runs";

/**
 * The catalogue sync's per-page work: one page of Coursera's catalogue becomes
 * course rows in one transaction, in a handful of set-based statements whatever
 * the page size:
 *   1. record the page's content ids as seen by this run (duplicates within the
 *      run fall out here: an id already seen is skipped),
 *   2. load the stored hash and retirement of those ids,
 *   3. insert the new ones, update the changed or retired ones, and leave the
 *      unchanged ones alone — not even their updatedAt moves,
 *   4. add to the run's live counters and record invalid elements.
 * Retirement (what a complete listing did not contain) is lib/catalogue/mutations.ts.
 */

export interface CataloguePageCounts {
  pages: number;
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  restored: number;
  invalid: number;
  /** Items an earlier page of the same run already had (Coursera's pages can shift while read). */
  duplicates: number;
}

export const zeroPageCounts = (): CataloguePageCounts => ({
  pages: 0,
  fetched: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  restored: 0,
  invalid: 0,
  duplicates: 0,
});

export function addPageCounts(a: CataloguePageCounts, b: CataloguePageCounts): CataloguePageCounts {
  const out = { ...a };
  for (const key of Object.keys(out) as (keyof CataloguePageCounts)[]) out[key] += b[key];
  return out;
}

/** Interactive transactions default to 5 s; a 1,000-row page on a busy server may need more. */
export const PAGE_TRANSACTION = { maxWait: 10_000, timeout: 120_000 } as const;

export type StartResult =
  { started: true; platformId: string } | { started: false; reason: "RUN_OVER" | "CONNECTOR_NOT_READY"; message: string };

/**
 * QUEUED → RUNNING, after checking the connector can still sync. Also drops the
 * seen-ids of earlier runs of this connector that ended without cleaning up
 * (a process killed mid-run), except those of a run whose retirements still
 * wait for an admin's decision.
 */
export async function startCatalogueRun(runId: string): Promise<StartResult> {
  const run = await db.syncRun.findUnique({
    where: { id: runId },
    select: {
      kind: true,
      connectorId: true,
      platformId: true,
      connector: { select: { enabled: true, orgId: true, clientId: true, clientSecretEncrypted: true } },
    },
  });
  if (!run || run.kind !== "CATALOGUE") return { started: false, reason: "RUN_OVER", message: "No such catalogue run." };
  const c = run.connector;
  if (!c.enabled || !c.orgId || !c.clientId || !c.clientSecretEncrypted) {
    return {
      started: false,
      reason: "CONNECTOR_NOT_READY",
      message: "The Coursera connector was disabled or lost its credentials before the sync started.",
    };
  }
  if (!(await markRunStarted(runId))) return { started: false, reason: "RUN_OVER", message: "The run is already over." };
  await db.$executeRaw`
    DELETE FROM "CatalogueSeenItem" s USING "SyncRun" r
     WHERE s."runId" = r."id" AND r."connectorId" = ${run.connectorId} AND r."id" <> ${runId}
       AND r."status" NOT IN ('QUEUED', 'RUNNING')
       AND NOT (r."status" = 'NEEDS_REVIEW' AND r."heldRetirements" > 0)`;
  return { started: true, platformId: run.platformId };
}

export class ConnectorNotReadyError extends Error {
  readonly code = "CONNECTOR_NOT_READY";
}

/**
 * Fetches and writes the catalogue pages of one step, from `start`
 * (lib/sync/page-step.ts: two pages, written concurrently). Returns only what
 * the next step needs: the next offset and the counts. Coursera failures
 * propagate as CourseraError (the function decides on retries).
 */
export async function syncCataloguePages(input: {
  runId: string;
  connectorId: string;
  start: number;
}): Promise<{ next: number | null; counts: CataloguePageCounts }> {
  const connector = await db.courseraConnector.findUnique({
    where: { id: input.connectorId },
    select: { platformId: true, enabled: true, orgId: true, clientId: true, clientSecretEncrypted: true },
  });
  if (!connector?.enabled)
    throw new ConnectorNotReadyError("The Coursera connector was disabled while the catalogue sync ran. Nothing was retired.");
  if (!connector.orgId || !connector.clientId || !connector.clientSecretEncrypted) {
    throw new ConnectorNotReadyError("The Coursera credentials were removed while the catalogue sync ran. Nothing was retired.");
  }
  const client = courseraClientForConnector(connector);
  const step = await runPageStep({
    runId: input.runId,
    start: input.start,
    fetch: (start) => client.fetchContentsPage({ start }),
    write: (page, start) =>
      writeCataloguePage({
        runId: input.runId,
        start,
        platformId: connector.platformId,
        items: page.items,
        invalid: page.invalid,
        rawCount: page.rawCount,
        total: page.total,
      }),
  });
  return { next: step.next, counts: step.counts.reduce(addPageCounts, zeroPageCounts()) };
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
}): Promise<CataloguePageCounts> {
  const counts = zeroPageCounts();
  counts.pages = 1;
  counts.fetched = input.rawCount;
  counts.invalid = input.invalid.length;

  // First occurrence wins within the page, as it does across pages. Rows and
  // hashes are computed before the transaction opens, to keep it short.
  const byId = new Map<string, CourseRow>();
  for (const item of input.items) {
    if (byId.has(item.contentId)) counts.duplicates++;
    else byId.set(item.contentId, courseRowFromContent(item));
  }

  const createdSoFar = await db.$transaction(async (tx) => {
    // Lets this transaction (and only it) write the Coursera-owned columns the
    // Course_lock_coursera_fields trigger protects from everyone else.
    await tx.$queryRaw`SELECT set_config('app.catalogue_sync', 'on', true)`;
    if (!(await claimRunPage(tx, input.runId, input.start))) return null;

    // An element Coursera sent but we could not read still exists on Coursera:
    // it counts as seen, so a stored course is neither updated nor retired.
    const unreadableIds = input.invalid.map((bad) => bad.id).filter((id): id is string => id !== null && !byId.has(id));
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
    if (inserts.length > 0) counts.created = await insertCourses(tx, input.platformId, inserts, now);
    if (updates.length > 0) await updateCourses(tx, updates, now);

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
        progressDone: counts.fetched,
      },
      input.total ?? undefined,
      tx,
    );
    return totals.created;
  }, PAGE_TRANSACTION);
  if (createdSoFar === null) return zeroPageCounts();
  await refreshPlannerStatisticsAsTableGrows("Course", createdSoFar - counts.created, createdSoFar);
  return counts;
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
export async function finishCatalogueRun(runId: string, outcome: { held: number }): Promise<"SUCCEEDED" | "NEEDS_REVIEW"> {
  dropReadAhead(`${runId}:`);
  const status = outcome.held > 0 ? "NEEDS_REVIEW" : "SUCCEEDED";
  // Before the run is reported finished: a statistics sync queued behind it must find fresh statistics.
  const counts = await db.syncRun.findUnique({
    where: { id: runId },
    select: { created: true, updated: true, retired: true, restored: true },
  });
  if (counts) await refreshPlannerStatistics("Course", counts.created + counts.updated + counts.retired + counts.restored);
  await finishRun(runId, status);
  return status;
}

export const UNEXPECTED_FAILURE_MESSAGE =
  "The catalogue sync stopped on an unexpected error. Nothing was retired; the next sync will try again.";

/**
 * Marks a run FAILED (the function's retries are exhausted, or the failure
 * cannot be retried). Nothing is retired: the run's seen-ids are dropped
 * without being used. `reason` must be fit for an admin to read; the caller
 * passes the generic message for anything that is not a known failure.
 */
export async function failCatalogueRun(runId: string, reason: { code: string; message: string }): Promise<void> {
  dropReadAhead(`${runId}:`);
  await finishRun(runId, "FAILED", reason);
  await db.catalogueSeenItem.deleteMany({ where: { runId } });
}

/**
 * Remembers on the run why a step failed, so the failure handler can report a
 * person-readable reason even where the job engine does not hand back the
 * original error object (Inngest serialises errors between attempts).
 */
export async function noteRunFailure(runId: string, reason: { code: string; message: string }): Promise<void> {
  await db.syncRun.updateMany({ where: { id: runId, status: "RUNNING" }, data: { errorCode: reason.code, errorMessage: reason.message } });
}

export async function readNotedFailure(runId: string): Promise<{ code: string; message: string } | null> {
  const run = await db.syncRun.findUnique({ where: { id: runId }, select: { errorCode: true, errorMessage: true } });
  return run?.errorCode && run.errorMessage ? { code: run.errorCode, message: run.errorMessage } : null;
}
