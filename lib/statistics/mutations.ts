import "server-only";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/mutations";
import { applyStats, type StatToApply } from "@/lib/statistics/apply";
import { loadCourseIds, normaliseIdentityPart } from "@/lib/statistics/matching";
import { reportFromHeld } from "@/lib/statistics/unmatched";
import type { Actor } from "@/lib/result";

/**
 * What an admin does with the unmatched learners inbox. The caller (a server
 * action) has already checked that the actor is an admin of `platformId`.
 */

export type LinkIdentityResult =
  | {
      ok: true;
      /** Held records whose statistics were applied to the user now. */
      applied: number;
      /** Held records still waiting because the platform has no such Coursera course yet. */
      stillHeld: number;
    }
  | { ok: false; code: "USER_NOT_FOUND" | "NOTHING_TO_LINK"; message: string };

/**
 * Remembers that a Coursera identity is a given platform user (future syncs
 * match it directly, ahead of externalId and email) and applies every held
 * record of that identity at once, with the same never-backwards rules as the
 * sync. Records for a course the platform does not have stay held (reason
 * NO_COURSE) and are applied by the first sync after the course arrives.
 * Linking again to another user corrects a mistake: the link moves, but
 * statistics already applied to the first user are not taken back.
 */
export async function linkUnmatchedIdentity(input: {
  platformId: string;
  identityKey: string;
  userId: string;
  actor: Actor;
}): Promise<LinkIdentityResult> {
  const identityKey = normaliseIdentityPart(input.identityKey);
  if (!identityKey) return { ok: false, code: "NOTHING_TO_LINK", message: "This Coursera identity is empty." };
  const user = await db.user.findFirst({ where: { id: input.userId, platformId: input.platformId }, select: { id: true, email: true } });
  if (!user) return { ok: false, code: "USER_NOT_FOUND", message: "Choose a user of this platform." };

  const outcome = await db.$transaction(
    async (tx) => {
      const held = await tx.unmatchedLearnerRecord.findMany({
        where: { platformId: input.platformId, identityKey, resolvedUserId: null },
        select: { id: true, contentId: true, record: true, lastRunId: true, resolvedAt: true },
      });
      const known = await tx.learnerIdentityLink.findUnique({
        where: { platformId_identityKey: { platformId: input.platformId, identityKey } },
        select: { userId: true },
      });
      if (held.length === 0 && !known) return null;

      await tx.learnerIdentityLink.upsert({
        where: { platformId_identityKey: { platformId: input.platformId, identityKey } },
        create: { platformId: input.platformId, identityKey, userId: user.id, createdById: input.actor.id },
        update: { userId: user.id, createdById: input.actor.id },
      });

      const courses = await loadCourseIds(
        input.platformId,
        held.map((h) => h.contentId),
        tx,
      );
      const now = new Date();
      const items: StatToApply[] = [];
      const appliedIds: string[] = [];
      const waitingIds: string[] = [];
      for (const h of held) {
        const courseId = courses.get(h.contentId);
        if (!courseId) {
          waitingIds.push(h.id);
          continue;
        }
        const { report, readAt } = reportFromHeld(h.record);
        items.push({ userId: user.id, courseId, report, readAt: readAt ?? now });
        appliedIds.push(h.id);
      }
      const result = await applyStats(tx, { platformId: input.platformId, runId: null, items });
      if (appliedIds.length > 0) {
        await tx.unmatchedLearnerRecord.updateMany({
          where: { id: { in: appliedIds } },
          data: { resolvedAt: now, resolvedUserId: user.id, resolvedById: input.actor.id },
        });
      }
      if (waitingIds.length > 0) {
        // The learner is known now; what is missing is the course. Re-opened if it had been dismissed.
        await tx.unmatchedLearnerRecord.updateMany({
          where: { id: { in: waitingIds } },
          data: { reason: "NO_COURSE", resolvedAt: null, resolvedById: null },
        });
      }
      return {
        applied: appliedIds.length,
        stillHeld: waitingIds.length,
        rowsWritten: result.rowsWritten,
        previousUserId: known?.userId ?? null,
      };
    },
    { timeout: 60_000 },
  );
  if (!outcome) return { ok: false, code: "NOTHING_TO_LINK", message: "No Coursera records are waiting for this identity." };

  await recordAudit({
    platformId: input.platformId,
    actor: input.actor,
    action: "statistics.identity-linked",
    targetType: "User",
    targetId: user.id,
    details: {
      identityKey,
      userEmail: user.email,
      applied: outcome.applied,
      stillHeld: outcome.stillHeld,
      statisticsWritten: outcome.rowsWritten,
      ...(outcome.previousUserId && outcome.previousUserId !== user.id ? { previousUserId: outcome.previousUserId } : {}),
    },
  });
  return { ok: true, applied: outcome.applied, stillHeld: outcome.stillHeld };
}

export type DismissResult = { ok: true; dismissed: number } | { ok: false; code: "NOT_FOUND"; message: string };

/**
 * Sets held records aside (a former employee, someone outside the company):
 * they leave the inbox and stay dismissed when Coursera sends them again. With
 * `contentId` only that course's record of the identity is dismissed.
 * Linking the identity later still applies them.
 */
export async function dismissUnmatched(input: {
  platformId: string;
  identityKey: string;
  contentId?: string;
  actor: Actor;
}): Promise<DismissResult> {
  const identityKey = normaliseIdentityPart(input.identityKey) ?? "";
  const { count } = await db.unmatchedLearnerRecord.updateMany({
    where: {
      platformId: input.platformId,
      identityKey,
      resolvedAt: null,
      ...(input.contentId ? { contentId: input.contentId } : {}),
    },
    data: { resolvedAt: new Date(), resolvedById: input.actor.id, resolvedUserId: null },
  });
  if (count === 0) return { ok: false, code: "NOT_FOUND", message: "Nothing is waiting for this identity any more." };
  await recordAudit({
    platformId: input.platformId,
    actor: input.actor,
    action: "statistics.unmatched-dismissed",
    targetType: "UnmatchedLearnerRecord",
    targetId: identityKey,
    details: { identityKey, contentId: input.contentId ?? null, dismissed: count },
  });
  return { ok: true, dismissed: count };
}
