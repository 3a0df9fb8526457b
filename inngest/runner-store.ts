import "server-only";
import { db, Prisma } from "@/lib/db";
import type { JobRun } from "@/lib/generated/prisma/client";

/** Persistence of the in-process runner: job runs, memoised steps, cron ticks. */

const LOCK_MS = 60_000;
// Any constant: the same for every process sharing the database.
const CLAIM_LOCK_ID = 72_707_370;

/**
 * The runner's own bookkeeping calls are idempotent (read steps, set a status, upsert a
 * step's output), so they are tried again after a failure: a connection the
 * database dropped fails the first query that picks it from the pool, and the
 * bookkeeping must not be what turns that into a lost step result (the page
 * would then be replayed) or a run stuck as RUNNING.
 */
async function retryIdempotent<T>(call: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

export async function enqueueJob(input: {
  functionId: string;
  eventName: string;
  eventData: unknown;
  concurrencyKey: string | null;
  maxAttempts: number;
}): Promise<JobRun> {
  return db.jobRun.create({
    data: {
      functionId: input.functionId,
      eventName: input.eventName,
      eventData: input.eventData as Prisma.InputJsonValue,
      concurrencyKey: input.concurrencyKey,
      maxAttempts: input.maxAttempts,
    },
  });
}

/** Claims the oldest due run whose concurrency key is free, across every process on the database. */
export async function claimNextJob(functionIds: string[]): Promise<JobRun | null> {
  if (functionIds.length === 0) return null;
  // Claims are serialised by a transaction-scoped advisory lock: without it, two
  // workers could each see "no RUNNING run for this key" and both claim a run of
  // the same key. SKIP LOCKED alone does not prevent that.
  const [, rows] = await db.$transaction([
    db.$executeRaw`SELECT pg_advisory_xact_lock(${CLAIM_LOCK_ID})`,
    db.$queryRaw<{ id: string }[]>`
      UPDATE "JobRun" SET "status" = 'RUNNING', "attempt" = "attempt" + 1,
        "startedAt" = COALESCE("startedAt", now()), "lockedUntil" = now() + ${`${LOCK_MS} milliseconds`}::interval
      WHERE "id" = (
        SELECT j."id" FROM "JobRun" j
        WHERE j."status" = 'QUEUED' AND j."runAfter" <= now() AND j."functionId" IN (${Prisma.join(functionIds)})
          AND (j."concurrencyKey" IS NULL OR NOT EXISTS (
            SELECT 1 FROM "JobRun" r WHERE r."functionId" = j."functionId" AND r."concurrencyKey" = j."concurrencyKey"
              AND r."status" = 'RUNNING' AND r."lockedUntil" > now()))
        ORDER BY j."runAfter", j."createdAt" LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      RETURNING "id"`,
  ]);
  return rows[0] ? db.jobRun.findUnique({ where: { id: rows[0].id } }) : null;
}

export async function extendLock(runId: string): Promise<void> {
  await db.jobRun.update({ where: { id: runId }, data: { lockedUntil: new Date(Date.now() + LOCK_MS) } });
}

export async function loadSteps(runId: string): Promise<Map<string, unknown>> {
  const steps = await retryIdempotent(() => db.jobStep.findMany({ where: { runId } }));
  return new Map(steps.map((s) => [s.stepKey, s.output]));
}

export async function saveStep(runId: string, stepKey: string, output: unknown): Promise<void> {
  const value = output === undefined ? Prisma.JsonNull : (output as Prisma.InputJsonValue);
  await retryIdempotent(() =>
    db.jobStep.upsert({
      where: { runId_stepKey: { runId, stepKey } },
      create: { runId, stepKey, output: value },
      update: { output: value },
    }),
  );
}

export async function markSucceeded(runId: string): Promise<void> {
  await retryIdempotent(() =>
    db.jobRun.update({ where: { id: runId }, data: { status: "SUCCEEDED", finishedAt: new Date(), lockedUntil: null, error: null } }),
  );
}

export async function markForRetry(runId: string, error: string, runAfter: Date): Promise<void> {
  await retryIdempotent(() => db.jobRun.update({ where: { id: runId }, data: { status: "QUEUED", error, runAfter, lockedUntil: null } }));
}

export async function markFailed(runId: string, error: string): Promise<void> {
  await retryIdempotent(() =>
    db.jobRun.update({ where: { id: runId }, data: { status: "FAILED", error, finishedAt: new Date(), lockedUntil: null } }),
  );
}

/** Runs left RUNNING by a process that died: queue them again so they resume from their memoised steps. */
export async function requeueAbandonedJobs(): Promise<number> {
  const { count } = await db.jobRun.updateMany({
    where: { status: "RUNNING", lockedUntil: { lt: new Date() } },
    data: { status: "QUEUED", lockedUntil: null, runAfter: new Date() },
  });
  return count;
}

export async function countPendingJobs(functionIds: string[]): Promise<number> {
  return db.jobRun.count({ where: { functionId: { in: functionIds }, status: { in: ["QUEUED", "RUNNING"] } } });
}

export async function nextDueAt(functionIds: string[]): Promise<Date | null> {
  const next = await db.jobRun.findFirst({
    where: { functionId: { in: functionIds }, status: "QUEUED" },
    orderBy: { runAfter: "asc" },
    select: { runAfter: true },
  });
  return next?.runAfter ?? null;
}

export async function getCronTick(functionId: string): Promise<Date | null> {
  return (await db.cronTick.findUnique({ where: { functionId } }))?.lastFiredAt ?? null;
}

/** Compare-and-set, so that two processes never both fire the same occurrence. */
export async function advanceCronTick(functionId: string, previous: Date | null, firedAt: Date): Promise<boolean> {
  if (previous === null) {
    const rows = await db.$executeRaw`
      INSERT INTO "CronTick" ("functionId", "lastFiredAt") VALUES (${functionId}, ${firedAt})
      ON CONFLICT ("functionId") DO NOTHING`;
    return rows === 1;
  }
  const { count } = await db.cronTick.updateMany({ where: { functionId, lastFiredAt: previous }, data: { lastFiredAt: firedAt } });
  return count === 1;
}
