import "server-only";
import type { Prisma } from "@/lib/db";
import type { CompletionStatus } from "@/lib/generated/prisma/enums";
import { mergeStat, sameStat, type StatReport, type StatValues } from "@/lib/statistics/rules";
import { newRowId } from "@/lib/database/row-id";
import { upsertStepProgressFromStats } from "@/lib/statistics/programs";

/**
 * Applies Coursera reports to LearnerCourseStat in bulk: one query reads the
 * stored rows of the batch, the never-backwards rules (rules.ts) run in memory,
 * and only rows whose values actually change are written, in one multi-row
 * INSERT … ON CONFLICT DO UPDATE. Used by the sync (a page at a time) and by an
 * admin linking an unmatched identity (its held records at once).
 */

export interface StatToApply {
  userId: string;
  courseId: string;
  report: StatReport;
  /** When the record was read from Coursera: the "as of" of what gets written. */
  readAt: Date;
}

export interface ApplyResult {
  /** Per input item, in order: whether its row was created or changed. */
  written: boolean[];
  rowsWritten: number;
  rowsCreated: number;
  stepProgressWritten: number;
}

const pairKey = (userId: string, courseId: string) => `${userId}\u0000${courseId}`;

interface StoredRow extends StatValues {
  userId: string;
  courseId: string;
}

async function loadStoredStats(
  tx: Prisma.TransactionClient,
  pairs: { userId: string; courseId: string }[],
): Promise<Map<string, StatValues>> {
  if (pairs.length === 0) return new Map();
  const rows = await tx.$queryRaw<StoredRow[]>`
    SELECT s."userId", s."courseId", s."status"::text AS "status", s."progressPercent", s."scorePercent", s."lastActivityAt",
           s."timeSpentMinutes", s."enrolledAt", s."completedAt"
    FROM unnest(${pairs.map((p) => p.userId)}::text[], ${pairs.map((p) => p.courseId)}::text[]) AS k("userId", "courseId")
    -- LATERAL … LIMIT 1 keeps this a unique-index lookup per pair: as a plain join the planner
    -- hashes the whole table once it is a few hundred thousand rows, per page.
    CROSS JOIN LATERAL (
      SELECT * FROM "LearnerCourseStat" t WHERE t."userId" = k."userId" AND t."courseId" = k."courseId" LIMIT 1
    ) s`;
  return new Map(rows.map((r) => [pairKey(r.userId, r.courseId), r]));
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function applyStats(
  tx: Prisma.TransactionClient,
  input: { platformId: string; runId: string | null; items: StatToApply[] },
): Promise<ApplyResult> {
  const { platformId, runId, items } = input;
  const written = items.map(() => false);
  if (items.length === 0) return { written, rowsWritten: 0, rowsCreated: 0, stepProgressWritten: 0 };

  // Several records can land on one row (the same learner in two programs, or
  // matched once by externalId and once by email): fold them in order first,
  // since one INSERT … ON CONFLICT cannot touch a row twice.
  const groups = new Map<string, { userId: string; courseId: string; indices: number[] }>();
  items.forEach((item, i) => {
    const key = pairKey(item.userId, item.courseId);
    const group = groups.get(key);
    if (group) group.indices.push(i);
    else groups.set(key, { userId: item.userId, courseId: item.courseId, indices: [i] });
  });
  const stored = await loadStoredStats(tx, [...groups.values()]);

  const changes: ({ userId: string; courseId: string } & Record<string, unknown>)[] = [];
  const indicesByKey = new Map<string, number[]>();
  for (const [key, group] of groups) {
    const before = stored.get(key) ?? null;
    let merged: StatValues | null = before;
    let readAt = items[group.indices[0]].readAt;
    for (const i of group.indices) {
      merged = mergeStat(merged, items[i].report);
      if (items[i].readAt > readAt) readAt = items[i].readAt;
    }
    if (!merged || (before && sameStat(before, merged))) continue;
    indicesByKey.set(key, group.indices);
    changes.push({
      // A stored row keeps its id; a new one gets a time-ordered id (ids.ts). The fallback in SQL
      // only serves a row deleted between the read and the write.
      id: before ? null : newRowId(),
      userId: group.userId,
      courseId: group.courseId,
      status: merged.status,
      progressPercent: merged.progressPercent,
      scorePercent: merged.scorePercent,
      lastActivityAt: iso(merged.lastActivityAt),
      timeSpentMinutes: merged.timeSpentMinutes,
      enrolledAt: iso(merged.enrolledAt),
      completedAt: iso(merged.completedAt),
      reportedAt: readAt.toISOString(),
    });
  }
  if (changes.length === 0) return { written, rowsWritten: 0, rowsCreated: 0, stepProgressWritten: 0 };
  // In key order: index pages are visited in one sweep, and two writers lock rows in the same order.
  changes.sort((a, b) =>
    a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : a.courseId < b.courseId ? -1 : a.courseId > b.courseId ? 1 : 0,
  );

  // The SET clause re-applies the rules against the row as it is now (not as
  // it was read), and the WHERE clause skips rows another writer already
  // brought to these values, so a race can neither regress nor churn a row.
  const rows = await tx.$queryRaw<
    {
      userId: string;
      courseId: string;
      status: CompletionStatus;
      lastActivityAt: Date | null;
      completedAt: Date | null;
      reportedAt: Date;
      inserted: boolean;
    }[]
  >`
    INSERT INTO "LearnerCourseStat" AS s
      ("id", "platformId", "userId", "courseId", "status", "progressPercent", "scorePercent", "lastActivityAt",
       "timeSpentMinutes", "enrolledAt", "completedAt", "reportedAt", "lastRunId", "createdAt", "updatedAt")
    SELECT COALESCE(x."id", gen_random_uuid()::text), ${platformId}, x."userId", x."courseId", x."status"::"CompletionStatus", x."progressPercent",
           x."scorePercent", x."lastActivityAt" AT TIME ZONE 'UTC', x."timeSpentMinutes", x."enrolledAt" AT TIME ZONE 'UTC',
           x."completedAt" AT TIME ZONE 'UTC', x."reportedAt" AT TIME ZONE 'UTC', ${runId}, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) AS x(
      "id" text, "userId" text, "courseId" text, "status" text, "progressPercent" double precision, "scorePercent" double precision,
      "lastActivityAt" timestamptz, "timeSpentMinutes" integer, "enrolledAt" timestamptz, "completedAt" timestamptz, "reportedAt" timestamptz)
    ON CONFLICT ("userId", "courseId") DO UPDATE SET
      "status" = GREATEST(s."status", EXCLUDED."status"),
      "progressPercent" = GREATEST(s."progressPercent", EXCLUDED."progressPercent"),
      "scorePercent" = CASE
        WHEN EXCLUDED."scorePercent" IS NOT NULL
         AND (s."lastActivityAt" IS NULL OR EXCLUDED."lastActivityAt" IS NULL OR EXCLUDED."lastActivityAt" >= s."lastActivityAt")
        THEN EXCLUDED."scorePercent"
        ELSE COALESCE(s."scorePercent", EXCLUDED."scorePercent") END,
      "lastActivityAt" = GREATEST(s."lastActivityAt", EXCLUDED."lastActivityAt"),
      "timeSpentMinutes" = GREATEST(s."timeSpentMinutes", EXCLUDED."timeSpentMinutes"),
      "enrolledAt" = COALESCE(s."enrolledAt", EXCLUDED."enrolledAt"),
      "completedAt" = COALESCE(s."completedAt", EXCLUDED."completedAt"),
      "reportedAt" = GREATEST(s."reportedAt", EXCLUDED."reportedAt"),
      "lastRunId" = EXCLUDED."lastRunId",
      "updatedAt" = EXCLUDED."updatedAt"
    WHERE (s."status", s."progressPercent", s."scorePercent", s."lastActivityAt", s."timeSpentMinutes", s."enrolledAt", s."completedAt")
      IS DISTINCT FROM
          (EXCLUDED."status", EXCLUDED."progressPercent", EXCLUDED."scorePercent", EXCLUDED."lastActivityAt",
           EXCLUDED."timeSpentMinutes", EXCLUDED."enrolledAt", EXCLUDED."completedAt")
    RETURNING s."userId", s."courseId", s."status", s."lastActivityAt", s."completedAt", s."reportedAt", (xmax = 0) AS "inserted"`;

  for (const row of rows) for (const i of indicesByKey.get(pairKey(row.userId, row.courseId)) ?? []) written[i] = true;
  const stepProgressWritten = await upsertStepProgressFromStats(tx, platformId, rows);
  return { written, rowsWritten: rows.length, rowsCreated: rows.filter((r) => r.inserted).length, stepProgressWritten };
}
