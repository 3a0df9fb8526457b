import "server-only";
import { db, Prisma } from "@/lib/db";
import { recordAudit } from "@/lib/audit/mutations";
import { addRunProblems } from "@/lib/sync/runs";
import { inUseSql } from "@/lib/catalogue/import-preview";
import type { Actor } from "@/lib/result";

/**
 * Catalogue writes other than the per-page sync (lib/catalogue/sync.ts):
 * retirement after a complete listing, the hold on a sudden mass drop and the
 * admin's decision on it, and the refusal to edit what Coursera owns.
 *
 * Retirement only ever sets retiredAt: statistics, admin skills, program steps
 * and launches stay attached, and a course that comes back is restored by the
 * next sync that sees it.
 */

/** The Coursera courses of a platform that are active and that the run did not see. */
function unseenActiveSql(platformId: string, runId: string): Prisma.Sql {
  return Prisma.sql`
    c."platformId" = ${platformId} AND c."source" = 'COURSERA' AND c."retiredAt" IS NULL
    AND NOT EXISTS (SELECT 1 FROM "CatalogueSeenItem" s WHERE s."runId" = ${runId} AND s."contentId" = c."courseraContentId")`;
}

export type ListingOutcome = { retired: number; held: number };

/**
 * The active Coursera courses against a complete listing: how many it did not see (missing), of
 * those how many the import selection left out (Coursera still lists them) and how many learners
 * rely on (a session not over, in progress), and how many are active.
 */
async function compareWithListing(client: Prisma.TransactionClient, runId: string, platformId: string) {
  const [counts] = await client.$queryRaw<{ missing: number; leftOut: number; inUse: number; active: number }[]>`
    SELECT count(*) FILTER (WHERE NOT seen)::int AS missing,
           count(*) FILTER (WHERE NOT seen AND excluded)::int AS "leftOut",
           count(*) FILTER (WHERE NOT seen AND ${inUseSql(platformId, Prisma.raw(`listed."id"`))})::int AS "inUse",
           count(*)::int AS active
      FROM (SELECT c."id",
                   EXISTS (SELECT 1 FROM "CatalogueSeenItem" s
                            WHERE s."runId" = ${runId} AND s."contentId" = c."courseraContentId") AS seen,
                   EXISTS (SELECT 1 FROM "CatalogueExcludedItem" e
                            WHERE e."runId" = ${runId} AND e."contentId" = c."courseraContentId") AS excluded
              FROM "Course" c
             WHERE c."platformId" = ${platformId} AND c."source" = 'COURSERA' AND c."retiredAt" IS NULL) AS listed`;
  return counts;
}

/**
 * Called once a run has read Coursera's catalogue to the end (and only then: a
 * failed or partial listing never gets here, so it retires nothing). Retires
 * what the listing did not contain, unless that is more than the connector's
 * massRetirementThreshold share of the catalogue as it stood before the run:
 * then nothing is retired, the number is held on the run and a warning tells
 * the admin what to do.
 */
export async function completeCatalogueListing(runId: string): Promise<ListingOutcome> {
  const run = await db.syncRun.findUniqueOrThrow({
    where: { id: runId },
    select: {
      platformId: true,
      connectorId: true,
      status: true,
      mode: true,
      created: true,
      restored: true,
      connector: { select: { massRetirementThreshold: true } },
    },
  });
  if (run.status !== "RUNNING") return { retired: 0, held: 0 };
  if (run.mode === "DRY_RUN") return countWouldRetire(runId, run.platformId, run.connector.massRetirementThreshold);

  return db.$transaction(async (tx) => {
    const { missing, leftOut, inUse, active } = await compareWithListing(tx, runId, run.platformId);
    // Courses this run created or restored were not part of the catalogue it is compared with.
    const before = Math.max(0, active - run.created - run.restored);
    const threshold = run.connector.massRetirementThreshold;

    // A newer complete listing supersedes any decision still pending on an older one,
    // and becomes the listing a dry run of the import selection compares with.
    await supersedeHeldRuns(tx, run.connectorId, runId);
    await tx.$executeRaw`
      DELETE FROM "CatalogueExcludedItem" e USING "SyncRun" r
       WHERE e."runId" = r."id" AND r."connectorId" = ${run.connectorId} AND r."id" <> ${runId}`;

    if (missing > 0 && missing > threshold * before) {
      await tx.syncRun.update({ where: { id: runId }, data: { heldRetirements: missing } });
      await addRunProblems(
        runId,
        [
          {
            kind: "WARNING",
            message: heldMessage({ missing, leftOut, before, threshold }),
            detail: { missing, leftOut, inUse, activeBefore: before, threshold },
          },
        ],
        tx,
      );
      return { retired: 0, held: missing };
    }

    const retired = missing === 0 ? 0 : await retireUnseen(tx, run.platformId, runId);
    await tx.syncRun.update({ where: { id: runId }, data: { retired: { increment: retired } } });
    await tx.catalogueSeenItem.deleteMany({ where: { runId } });
    return { retired, held: 0 };
  });
}

/** Why nothing was retired, in the words of the held run's buttons, and whose doing the drop is. */
function heldMessage(n: { missing: number; leftOut: number; before: number; threshold: number }): string {
  const share = n.before === 0 ? 100 : Math.round((n.missing / n.before) * 100);
  const limit = `more than the ${Math.round(n.threshold * 100)}% a single sync may retire on its own. Nothing was retired.`;
  if (n.leftOut === n.missing) {
    return (
      `The new import selection leaves out ${n.missing} of ${n.before} Coursera courses (${share}%), ${limit} ` +
      "If that is what you meant, choose “Retire them” on this run's page; if not, choose “Keep them” and widen the selection on the connector's “What is imported” page."
    );
  }
  const cause =
    n.leftOut > 0
      ? `${n.missing} of ${n.before} Coursera courses (${share}%) would be retired in this sync (${n.leftOut} left out by the import selection, ` +
        `${n.missing - n.leftOut} missing from Coursera's catalogue), `
      : `${n.missing} of ${n.before} Coursera courses (${share}%) were missing from Coursera's catalogue in this sync, `;
  return (
    cause +
    limit +
    " If Coursera really removed them, choose “Retire them” on this run's page; if not (a temporary problem at Coursera), choose “Keep them” and the next sync will check again."
  );
}

/**
 * A dry run's end: how many courses the sync would retire (as the run's `retired`), and in a
 * warning, how many of those learners rely on and whether the sync would hold them. Nothing is
 * retired, no held decision superseded, and the run's seen and left-out items go.
 */
async function countWouldRetire(runId: string, platformId: string, threshold: number): Promise<ListingOutcome> {
  const { missing, leftOut, inUse, active } = await compareWithListing(db, runId, platformId);
  await db.$transaction(async (tx) => {
    await tx.syncRun.update({ where: { id: runId }, data: { retired: missing } });
    if (missing > 0) {
      const held = missing > threshold * active;
      const why =
        leftOut > 0 ? ` (${leftOut} left out by the import selection, ${missing - leftOut} missing from Coursera's catalogue)` : "";
      await addRunProblems(
        runId,
        [
          {
            kind: "WARNING",
            message:
              `A catalogue sync would retire ${missing} of ${active} Coursera courses${why}; ${inUse} of them are in a program session ` +
              `or in progress for a learner. ${held ? `That is more than the ${Math.round(threshold * 100)}% a sync retires on its own: it would hold them for an admin's decision.` : "They would be retired."}`,
            detail: { missing, leftOut, inUse, active, held, threshold },
          },
        ],
        tx,
      );
    }
    await tx.catalogueSeenItem.deleteMany({ where: { runId } });
    await tx.catalogueExcludedItem.deleteMany({ where: { runId } });
  });
  return { retired: 0, held: 0 };
}

async function retireUnseen(tx: Prisma.TransactionClient, platformId: string, runId: string): Promise<number> {
  const now = new Date().toISOString();
  return tx.$executeRaw`
    UPDATE "Course" c SET "retiredAt" = ${now}::timestamp(3), "updatedAt" = ${now}::timestamp(3)
     WHERE ${unseenActiveSql(platformId, runId)}`;
}

async function supersedeHeldRuns(tx: Prisma.TransactionClient, connectorId: string, exceptRunId: string): Promise<void> {
  const held = await tx.syncRun.findMany({
    where: { connectorId, kind: "CATALOGUE", status: "NEEDS_REVIEW", heldRetirements: { gt: 0 }, id: { not: exceptRunId } },
    select: { id: true },
  });
  for (const { id } of held) {
    await tx.syncRun.update({ where: { id }, data: { heldRetirements: 0 } });
    await addRunProblems(
      id,
      [{ kind: "WARNING", message: "A later sync read Coursera's catalogue again; its result replaced the retirements held here." }],
      tx,
    );
    await tx.catalogueSeenItem.deleteMany({ where: { runId: id } });
  }
}

export type HeldDecisionResult =
  { ok: true; retired: number } | { ok: false; code: "NOT_FOUND" | "NOTHING_HELD" | "SYNC_RUNNING"; message: string };

async function loadHeldRun(platformId: string, runId: string) {
  const run = await db.syncRun.findFirst({
    where: { id: runId, platformId, kind: "CATALOGUE" },
    select: { id: true, connectorId: true, status: true, heldRetirements: true },
  });
  if (!run) return { ok: false as const, code: "NOT_FOUND" as const, message: "This sync run does not exist." };
  if (run.status !== "NEEDS_REVIEW" || run.heldRetirements === 0) {
    return {
      ok: false as const,
      code: "NOTHING_HELD" as const,
      message: "This sync has no retirements waiting for a decision (already decided, or replaced by a later sync).",
    };
  }
  const active = await db.syncRun.findFirst({
    where: { connectorId: run.connectorId, kind: "CATALOGUE", status: { in: ["QUEUED", "RUNNING"] } },
    select: { id: true },
  });
  if (active) {
    return {
      ok: false as const,
      code: "SYNC_RUNNING" as const,
      message: "A catalogue sync is running; its result will replace this decision. Check again when it ends.",
    };
  }
  return { ok: true as const, run };
}

/**
 * The admin confirms a held mass retirement: retires the courses the run did
 * not see (those still active) and closes the run as SUCCEEDED. The caller has
 * checked that the actor is an admin of `platformId`.
 */
export async function applyHeldRetirements(input: { platformId: string; runId: string; actor: Actor }): Promise<HeldDecisionResult> {
  const loaded = await loadHeldRun(input.platformId, input.runId);
  if (!loaded.ok) return loaded;
  const retired = await db.$transaction(async (tx) => {
    // Re-checked under the row lock so two clicks cannot both apply.
    const locked = await tx.$queryRaw<{ heldRetirements: number }[]>`
      SELECT "heldRetirements" FROM "SyncRun" WHERE "id" = ${input.runId} AND "status" = 'NEEDS_REVIEW' FOR UPDATE`;
    if (!locked[0] || locked[0].heldRetirements === 0) return null;
    const n = await retireUnseen(tx, input.platformId, input.runId);
    await tx.syncRun.update({
      where: { id: input.runId },
      data: { status: "SUCCEEDED", retired: { increment: n }, heldRetirements: 0 },
    });
    await addRunProblems(
      input.runId,
      [{ kind: "WARNING", message: `${input.actor.email} applied the held retirement: ${n} course(s) retired.` }],
      tx,
    );
    await tx.catalogueSeenItem.deleteMany({ where: { runId: input.runId } });
    return n;
  });
  if (retired === null) return { ok: false, code: "NOTHING_HELD", message: "This sync has no retirements waiting for a decision." };
  await recordAudit({
    platformId: input.platformId,
    actor: input.actor,
    action: "catalogue.retirements-applied",
    targetType: "SyncRun",
    targetId: input.runId,
    details: { retired },
  });
  return { ok: true, retired };
}

/** The admin decides the held drop was not real: nothing is retired, the run is closed as SUCCEEDED. */
export async function dismissHeldRetirements(input: { platformId: string; runId: string; actor: Actor }): Promise<HeldDecisionResult> {
  const loaded = await loadHeldRun(input.platformId, input.runId);
  if (!loaded.ok) return loaded;
  const held = await db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ heldRetirements: number }[]>`
      SELECT "heldRetirements" FROM "SyncRun" WHERE "id" = ${input.runId} AND "status" = 'NEEDS_REVIEW' FOR UPDATE`;
    if (!locked[0] || locked[0].heldRetirements === 0) return null;
    await tx.syncRun.update({ where: { id: input.runId }, data: { status: "SUCCEEDED", heldRetirements: 0 } });
    await addRunProblems(
      input.runId,
      [
        {
          kind: "WARNING",
          message: `${input.actor.email} dismissed the held retirement of ${locked[0].heldRetirements} course(s); nothing was retired.`,
        },
      ],
      tx,
    );
    await tx.catalogueSeenItem.deleteMany({ where: { runId: input.runId } });
    return locked[0].heldRetirements;
  });
  if (held === null) return { ok: false, code: "NOTHING_HELD", message: "This sync has no retirements waiting for a decision." };
  await recordAudit({
    platformId: input.platformId,
    actor: input.actor,
    action: "catalogue.retirements-dismissed",
    targetType: "SyncRun",
    targetId: input.runId,
    details: { held },
  });
  return { ok: true, retired: 0 };
}

export type UpdateCourseDetailsResult = { ok: true } | { ok: false; code: "NOT_FOUND" | "LOCKED_BY_COURSERA"; message: string };

/**
 * Edits the title or description of a course. A Coursera course's are
 * Coursera's: refused here with a message for the admin, and refused again by
 * the database trigger Course_lock_coursera_fields should any other path try.
 */
export async function updateCourseDetails(input: {
  platformId: string;
  courseId: string;
  changes: { title?: string; description?: string };
  actor: Actor;
}): Promise<UpdateCourseDetailsResult> {
  const course = await db.course.findFirst({
    where: { id: input.courseId, platformId: input.platformId },
    select: { id: true, source: true },
  });
  if (!course) return { ok: false, code: "NOT_FOUND", message: "This course does not exist." };
  if (course.source === "COURSERA") {
    return {
      ok: false,
      code: "LOCKED_BY_COURSERA",
      message: "The title and description of a Coursera course come from Coursera and cannot be changed here. You can attach skills to it.",
    };
  }
  const data: { title?: string; description?: string } = {};
  if (input.changes.title !== undefined) data.title = input.changes.title;
  if (input.changes.description !== undefined) data.description = input.changes.description;
  if (Object.keys(data).length === 0) return { ok: true };
  await db.course.update({ where: { id: course.id }, data });
  await recordAudit({
    platformId: input.platformId,
    actor: input.actor,
    action: "course.details-updated",
    targetType: "Course",
    targetId: course.id,
    details: { fields: Object.keys(data) },
  });
  return { ok: true };
}

/** Whether an error is the database trigger refusing a change to a Coursera course's title or description. */
export function isCourseraLockViolation(error: unknown): boolean {
  const text = `${(error as { message?: string })?.message ?? ""} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  return /managed by Coursera and cannot be changed/.test(text);
}
