import "server-only";
import { db, Prisma } from "@/lib/db";
import type { JobRun } from "@/lib/generated/prisma/client";
import { newRowId } from "@/lib/database/row-id";

/**
 * Persistence of the embedded runner: job runs and their leases, memoised
 * steps, cron ticks, and the workers' heartbeat rows. Every process that runs
 * background work shares these tables, so any number of workers on any number
 * of machines share one queue.
 *
 * A RUNNING job is owned by one worker (`lockedBy`) until `lockedUntil`; the
 * owner renews the lease while it works. A lease that expired means the owner
 * died or hung: the next worker to claim takes the job over (a new attempt,
 * counted against the retry budget), and every write of the old owner that
 * comes later — a step output, a status, a page of a sync (through the write
 * guard) — is refused, because it is conditioned on still holding the lease.
 */

// Any constant: the same for every process sharing the database.
const CLAIM_LOCK_ID = 72_707_370;

export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`This worker no longer owns job run ${jobId}: another worker took it over.`);
    this.name = "LeaseLostError";
  }
}

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
      if (attempt >= attempts || error instanceof LeaseLostError) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

const utc = (date: Date) => date.toISOString();
const later = (ms: number) => new Date(Date.now() + ms).toISOString();

export interface NewJob {
  functionId: string;
  eventName: string;
  eventData: unknown;
  eventId: string | null;
  concurrencyKeys: string[];
  maxAttempts: number;
}

/** Queues jobs; a job whose function already has one with the same event id is not queued again. Returns the ids queued. */
export async function enqueueJobs(jobs: NewJob[]): Promise<string[]> {
  if (jobs.length === 0) return [];
  const rows = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "JobRun" ("id", "functionId", "eventName", "eventData", "eventId", "concurrencyKeys", "maxAttempts", "status", "runAfter", "createdAt")
    SELECT j."id", j."functionId", j."eventName", j."eventData", j."eventId", j."concurrencyKeys", j."maxAttempts",
           'QUEUED'::"JobStatus", ${utc(new Date())}::timestamp(3), ${utc(new Date())}::timestamp(3)
      FROM jsonb_to_recordset(${JSON.stringify(jobs.map((j) => ({ ...j, id: newRowId() })))}::jsonb)
        AS j("id" text, "functionId" text, "eventName" text, "eventData" jsonb, "eventId" text, "concurrencyKeys" text[], "maxAttempts" int)
    ON CONFLICT ("functionId", "eventId") DO NOTHING
    RETURNING "id"`;
  return rows.map((r) => r.id);
}

export type ClaimedJob = JobRun & { previousOwner: string | null; takenOver: boolean };

/**
 * Claims the oldest due run whose concurrency keys are free, for `workerId`,
 * across every process on the database: a QUEUED run whose time has come, or
 * a RUNNING one whose lease expired (taken over from a worker that stopped
 * renewing it). Either way the attempt count goes up.
 */
export async function claimNextJob(functionIds: string[], workerId: string, leaseMs: number): Promise<ClaimedJob | null> {
  if (functionIds.length === 0) return null;
  const now = utc(new Date());
  // Claims are serialised by a transaction-scoped advisory lock: without it, two
  // workers could each see "no RUNNING run for this key" and both claim a run of
  // the same key. SKIP LOCKED alone does not prevent that.
  const [, rows] = await db.$transaction([
    db.$executeRaw`SELECT pg_advisory_xact_lock(${CLAIM_LOCK_ID})`,
    db.$queryRaw<{ id: string; previousOwner: string | null; previousStatus: string }[]>`
      WITH candidate AS (
        SELECT j."id", j."lockedBy" AS "previousOwner", j."status"::text AS "previousStatus"
          FROM "JobRun" j
         WHERE j."functionId" IN (${Prisma.join(functionIds)})
           AND ((j."status" = 'QUEUED' AND j."runAfter" <= ${now}::timestamp(3))
             OR (j."status" = 'RUNNING' AND j."lockedUntil" < ${now}::timestamp(3)))
           AND NOT EXISTS (
             SELECT 1 FROM "JobRun" r
              WHERE r."status" = 'RUNNING' AND r."lockedUntil" >= ${now}::timestamp(3) AND r."id" <> j."id"
                AND r."concurrencyKeys" && j."concurrencyKeys")
         ORDER BY LEAST(j."runAfter", COALESCE(j."lockedUntil", j."runAfter")), j."createdAt"
         LIMIT 1
         FOR UPDATE SKIP LOCKED)
      UPDATE "JobRun" u SET "status" = 'RUNNING', "attempt" = u."attempt" + 1, "lockedBy" = ${workerId},
             "startedAt" = COALESCE(u."startedAt", ${now}::timestamp(3)), "lockedUntil" = ${later(leaseMs)}::timestamp(3)
        FROM candidate c
       WHERE u."id" = c."id"
      RETURNING u."id", c."previousOwner", c."previousStatus"`,
  ]);
  const claimed = rows[0];
  if (!claimed) return null;
  const job = await db.jobRun.findUniqueOrThrow({ where: { id: claimed.id } });
  const takenOver = claimed.previousStatus === "RUNNING";
  return { ...job, previousOwner: takenOver ? claimed.previousOwner : null, takenOver };
}

/** Renews the lease; false when this worker no longer owns the job. */
export async function renewLease(jobId: string, workerId: string, leaseMs: number): Promise<boolean> {
  const { count } = await db.jobRun.updateMany({
    where: { id: jobId, lockedBy: workerId, status: "RUNNING" },
    data: { lockedUntil: new Date(Date.now() + leaseMs) },
  });
  return count === 1;
}

/**
 * The write guard of a step (lib/database/write-guard.ts): inside a sync page's
 * transaction, holds the job's row FOR SHARE while confirming this worker owns
 * it, so a takeover cannot complete between the check and the page's commit.
 */
export async function assertLeaseHeld(tx: Prisma.TransactionClient, jobId: string, workerId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ one: number }[]>`
    SELECT 1 AS "one" FROM "JobRun" WHERE "id" = ${jobId} AND "lockedBy" = ${workerId} AND "status" = 'RUNNING' FOR SHARE`;
  if (rows.length === 0) throw new LeaseLostError(jobId);
}

export async function loadSteps(jobId: string): Promise<Map<string, unknown>> {
  const steps = await retryIdempotent(() => db.jobStep.findMany({ where: { runId: jobId } }));
  return new Map(steps.map((s) => [s.stepKey, s.output]));
}

/** Keeps a step's output, if (and only if) this worker still owns the job. */
export async function saveStep(jobId: string, workerId: string, stepKey: string, output: unknown): Promise<void> {
  const value = output === undefined || output === null ? Prisma.JsonNull : (output as Prisma.InputJsonValue);
  await retryIdempotent(() =>
    db.$transaction(async (tx) => {
      await assertLeaseHeld(tx, jobId, workerId);
      await tx.jobStep.upsert({
        where: { runId_stepKey: { runId: jobId, stepKey } },
        create: { runId: jobId, stepKey, output: value },
        update: { output: value },
      });
    }),
  );
}

async function finishOwned(jobId: string, workerId: string, data: Prisma.JobRunUpdateManyMutationInput): Promise<boolean> {
  const { count } = await retryIdempotent(() =>
    db.jobRun.updateMany({
      where: { id: jobId, lockedBy: workerId, status: "RUNNING" },
      data: { ...data, lockedBy: null, lockedUntil: null },
    }),
  );
  return count === 1;
}

export const markSucceeded = (jobId: string, workerId: string) =>
  finishOwned(jobId, workerId, { status: "SUCCEEDED", finishedAt: new Date(), error: null });

export const markForRetry = (jobId: string, workerId: string, error: string, runAfter: Date) =>
  finishOwned(jobId, workerId, { status: "QUEUED", error, runAfter });

export const markFailed = (jobId: string, workerId: string, error: string) =>
  finishOwned(jobId, workerId, { status: "FAILED", error, finishedAt: new Date() });

/**
 * Hands a job back to the queue without counting an attempt: this worker is
 * shutting down before the job's next step. Another worker resumes it from its
 * memoised steps at once.
 */
export const releaseJob = (jobId: string, workerId: string) =>
  finishOwned(jobId, workerId, { status: "QUEUED", attempt: { decrement: 1 }, runAfter: new Date() });

export async function countPendingJobs(functionIds: string[]): Promise<number> {
  return db.jobRun.count({ where: { functionId: { in: functionIds }, status: { in: ["QUEUED", "RUNNING"] } } });
}

/** When the next job could be claimed: a queued job's time, or a running job's lease end. */
export async function nextDueAt(functionIds: string[]): Promise<Date | null> {
  const [queued, running] = await Promise.all([
    db.jobRun.findFirst({
      where: { functionId: { in: functionIds }, status: "QUEUED" },
      orderBy: { runAfter: "asc" },
      select: { runAfter: true },
    }),
    db.jobRun.findFirst({
      where: { functionId: { in: functionIds }, status: "RUNNING" },
      orderBy: { lockedUntil: "asc" },
      select: { lockedUntil: true },
    }),
  ]);
  const times = [queued?.runAfter, running?.lockedUntil].filter((d): d is Date => d instanceof Date);
  return times.length === 0 ? null : new Date(Math.min(...times.map((d) => d.getTime())));
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

/** The worker's own row: created at start, refreshed with what it runs, marked when it stops. */
export async function recordWorker(worker: {
  id: string;
  host: string;
  pid: number;
  mode: string;
  running: string[];
  stopping?: boolean;
  stopped?: boolean;
}): Promise<void> {
  const now = new Date();
  const state = {
    heartbeatAt: now,
    running: worker.running,
    ...(worker.stopping ? { stoppingAt: now } : {}),
    ...(worker.stopped ? { stoppedAt: now, running: [] } : {}),
  };
  await db.worker.upsert({
    where: { id: worker.id },
    create: { id: worker.id, host: worker.host, pid: worker.pid, mode: worker.mode, startedAt: now, ...state },
    update: state,
  });
}

/** Workers recorded as running on `host`, other than `exceptId`. */
export function runningWorkersOn(host: string, exceptId: string) {
  return db.worker.findMany({ where: { host, stoppedAt: null, id: { not: exceptId } }, select: { id: true, pid: true } });
}

/**
 * A worker known to be gone (its process no longer exists): recorded stopped,
 * and the leases it held expired now, so the next claim takes its jobs over
 * at once instead of after the lease period. Returns how many jobs it held.
 */
export async function expireLeasesOfDeadWorker(workerId: string): Promise<number> {
  const now = new Date();
  await db.worker.updateMany({ where: { id: workerId, stoppedAt: null }, data: { stoppedAt: now, running: [] } });
  const { count } = await db.jobRun.updateMany({
    where: { lockedBy: workerId, status: "RUNNING" },
    data: { lockedUntil: new Date(now.getTime() - 1) },
  });
  return count;
}
