import "server-only";
import { db } from "@/lib/db";
import { recordAudit } from "@/lib/audit/mutations";
import { fieldErrors } from "@/lib/connectors/schema";
import { scheduleSchema, type ScheduleInput } from "@/lib/schedules/schema";
import { canonicalTimeZone } from "@/lib/sync/local-time";
import type { Failure as Failure_ } from "@/lib/result";

type Failure = Failure_<"INVALID_INPUT" | "NO_CONNECTOR">;

/**
 * Saves the connector's time zone and daily local times, and the hours after
 * which its alerts call it stale (admins and CSMs; the caller checked). A change restarts the schedule's count from now
 * (scheduleChangedAt, lib/sync/schedule.ts): occurrences of the old schedule
 * are not owed. The audit entry carries the values before and after.
 */
export async function saveSchedule(input: {
  platformId: string;
  schedule: ScheduleInput;
  actor: { id: string; email: string };
}): Promise<{ ok: true; changed: boolean } | Failure> {
  const parsed = scheduleSchema.safeParse(input.schedule);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return { ok: false, code: "INVALID_INPUT", message: Object.values(errors)[0] ?? "Check the highlighted fields.", fieldErrors: errors };
  }
  const next = {
    timeZone: parsed.data.timeZone === "" ? null : canonicalTimeZone(parsed.data.timeZone),
    catalogueTime: parsed.data.catalogueTime || null,
    statisticsTime: parsed.data.statisticsTime || null,
    staleAfterHours: Number(parsed.data.staleAfterHours),
  };
  return db.$transaction(async (tx) => {
    const before = await tx.courseraConnector.findUnique({
      where: { platformId: input.platformId },
      select: { id: true, timeZone: true, catalogueTime: true, statisticsTime: true, staleAfterHours: true },
    });
    if (!before) return { ok: false, code: "NO_CONNECTOR", message: "Customer success enables the connector first." } satisfies Failure;
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((key) => before[key] !== next[key]);
    if (changed.length === 0) return { ok: true, changed: false };
    // Only a change of when the syncs run restarts the schedule's count.
    const scheduleChanged = changed.some((key) => key !== "staleAfterHours");
    await tx.courseraConnector.update({
      where: { id: before.id },
      data: { ...next, ...(scheduleChanged ? { scheduleChangedAt: new Date() } : {}) },
    });
    await recordAudit(
      {
        platformId: input.platformId,
        actor: input.actor,
        action: "connector.schedule_changed",
        targetType: "CourseraConnector",
        targetId: before.id,
        details: Object.fromEntries(changed.map((key) => [key, { from: before[key], to: next[key] }])),
      },
      tx,
    );
    return { ok: true, changed: true };
  });
}
