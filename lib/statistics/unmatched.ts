import "server-only";
import { Prisma } from "@/lib/db";
import type { UnmatchedReason } from "@/lib/generated/prisma/enums";
import type { CourseraEnrollment } from "@/lib/coursera/schema";
import { newRowId } from "@/lib/database/row-id";
import type { StatReport } from "@/lib/statistics/rules";

/**
 * The unmatched inbox: Coursera records that matched no platform user
 * (NO_USER) or no platform course (NO_COURSE). They are data an admin
 * resolves, never noise: one row per (platform, identity, content), holding the
 * latest record received, so linking the identity later applies exactly what
 * Coursera last said.
 *
 * Resolution states: open (resolvedAt null); resolved to a user (resolvedAt and
 * resolvedUserId set: linked by an admin, or matched by a later sync once the
 * user or course existed); dismissed by an admin (resolvedAt set,
 * resolvedUserId null). A dismissed record stays dismissed when Coursera sends
 * it again; a resolved one that stops matching is re-opened.
 */

/** The JSON kept in UnmatchedLearnerRecord.record: the normalised record and when it was read. */
export interface HeldRecord extends Omit<CourseraEnrollment, "enrolledAt" | "lastActivityAt" | "completedAt"> {
  enrolledAt: string | null;
  lastActivityAt: string | null;
  completedAt: string | null;
  readAt: string;
}

export function toHeldRecord(record: CourseraEnrollment, readAt: Date): HeldRecord {
  return {
    ...record,
    enrolledAt: record.enrolledAt?.toISOString() ?? null,
    lastActivityAt: record.lastActivityAt?.toISOString() ?? null,
    completedAt: record.completedAt?.toISOString() ?? null,
    readAt: readAt.toISOString(),
  };
}

const dateOrNull = (v: unknown) => (typeof v === "string" && !Number.isNaN(Date.parse(v)) ? new Date(v) : null);
const numberOr = <T>(v: unknown, fallback: T) => (typeof v === "number" && Number.isFinite(v) ? v : fallback);

/** Reads a held record back (defensively: it is JSON from an earlier version of the code, maybe). */
export function reportFromHeld(json: unknown): { report: StatReport; readAt: Date | null } {
  const r = (json ?? {}) as Record<string, unknown>;
  const isCompleted = r.isCompleted === true;
  return {
    report: {
      isCompleted,
      completedAt: isCompleted ? dateOrNull(r.completedAt) : null,
      lastActivityAt: dateOrNull(r.lastActivityAt),
      enrolledAt: dateOrNull(r.enrolledAt),
      progressPercent: Math.min(100, Math.max(0, numberOr(r.progressPercent, isCompleted ? 100 : 0))),
      scorePercent: numberOr<number | null>(r.scorePercent, null),
      timeSpentMinutes: numberOr<number | null>(r.timeSpentMinutes, null),
    },
    readAt: dateOrNull(r.readAt),
  };
}

export interface RecordToHold {
  identityKey: string;
  reason: UnmatchedReason;
  record: CourseraEnrollment;
}

/** Upserts the held records of one page (de-duplicated: the last one of an identity and content wins). */
export async function holdUnmatched(
  tx: Prisma.TransactionClient,
  input: { platformId: string; runId: string | null; readAt: Date; records: RecordToHold[] },
): Promise<number> {
  const byKey = new Map<string, RecordToHold>();
  for (const r of input.records) byKey.set(`${r.identityKey}\u0000${r.record.contentId}`, r);
  if (byKey.size === 0) return 0;
  // In key order: two pages written at once take their row locks in the same order (no deadlock).
  const ordered = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
  const payload = JSON.stringify(
    ordered.map((r) => ({
      id: newRowId(),
      identityKey: r.identityKey,
      externalId: r.record.externalId?.trim() || null,
      email: r.record.email?.trim() || null,
      fullName: r.record.fullName,
      contentId: r.record.contentId,
      contentName: r.record.contentName,
      reason: r.reason,
      record: toHeldRecord(r.record, input.readAt),
    })),
  );
  const seenAt = input.readAt.toISOString();
  return tx.$executeRaw`
    INSERT INTO "UnmatchedLearnerRecord" AS u
      ("id", "platformId", "identityKey", "externalId", "email", "fullName", "contentId", "contentName", "reason", "record",
       "firstSeenAt", "lastSeenAt", "lastRunId")
    SELECT x."id", ${input.platformId}, x."identityKey", x."externalId", x."email", x."fullName", x."contentId",
           x."contentName", x."reason"::"UnmatchedReason", x."record",
           ${seenAt}::timestamptz AT TIME ZONE 'UTC', ${seenAt}::timestamptz AT TIME ZONE 'UTC', ${input.runId}
    FROM jsonb_to_recordset(${payload}::jsonb) AS x(
      "id" text, "identityKey" text, "externalId" text, "email" text, "fullName" text, "contentId" text, "contentName" text, "reason" text, "record" jsonb)
    ON CONFLICT ("platformId", "identityKey", "contentId") DO UPDATE SET
      "externalId" = EXCLUDED."externalId",
      "email" = EXCLUDED."email",
      "fullName" = EXCLUDED."fullName",
      "contentName" = EXCLUDED."contentName",
      "reason" = EXCLUDED."reason",
      "record" = EXCLUDED."record",
      "lastSeenAt" = GREATEST(u."lastSeenAt", EXCLUDED."lastSeenAt"),
      "lastRunId" = EXCLUDED."lastRunId",
      "resolvedAt" = CASE WHEN u."resolvedAt" IS NOT NULL AND u."resolvedUserId" IS NULL THEN u."resolvedAt" END,
      "resolvedById" = CASE WHEN u."resolvedAt" IS NOT NULL AND u."resolvedUserId" IS NULL THEN u."resolvedById" END,
      "resolvedUserId" = NULL`;
}

/**
 * Marks open held records as resolved once a sync matches them (the user was
 * created, or the catalogue brought the course): the inbox only shows what
 * still needs a person. Skipped cheaply when the platform has nothing open.
 */
export async function resolveMatchedHeld(
  tx: Prisma.TransactionClient,
  input: { platformId: string; readAt: Date; matched: { identityKey: string; contentId: string; userId: string }[] },
): Promise<number> {
  if (input.matched.length === 0) return 0;
  const open = await tx.$queryRaw<{ one: number }[]>`
    SELECT 1 AS "one" FROM "UnmatchedLearnerRecord" WHERE "platformId" = ${input.platformId} AND "resolvedAt" IS NULL LIMIT 1`;
  if (open.length === 0) return 0;
  const payload = JSON.stringify(input.matched);
  return tx.$executeRaw`
    UPDATE "UnmatchedLearnerRecord" u
    SET "resolvedAt" = ${input.readAt.toISOString()}::timestamptz AT TIME ZONE 'UTC', "resolvedUserId" = x."userId"
    FROM (SELECT DISTINCT ON ("identityKey", "contentId") * FROM jsonb_to_recordset(${payload}::jsonb)
          AS r("identityKey" text, "contentId" text, "userId" text)) x
    WHERE u."platformId" = ${input.platformId} AND u."identityKey" = x."identityKey" AND u."contentId" = x."contentId"
      AND u."resolvedAt" IS NULL`;
}
