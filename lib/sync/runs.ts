import "server-only";
import { db, Prisma } from "@/lib/db";
import type { ProblemKind, SyncKind, SyncStatus, SyncTrigger } from "@/lib/generated/prisma/enums";
import { recordAudit } from "@/lib/audit/mutations";

/**
 * The life of a sync run, shared by the catalogue and statistics syncs.
 *
 * A run row is created QUEUED *before* its event is sent; a partial unique
 * index allows one QUEUED or RUNNING run per connector and kind, so two
 * triggers racing (a schedule and a "Sync now" click) yield one run, whatever
 * the job engine does.
 */

export type RunCounter =
  | "pages"
  | "fetched"
  | "created"
  | "updated"
  | "unchanged"
  | "retired"
  | "restored"
  | "invalid"
  | "matched"
  | "unmatched"
  | "heldRetirements"
  | "progressDone";

/** Per-item problems kept in detail; past this, only the counters grow. */
export const MAX_PROBLEMS_PER_RUN = 200;

export interface SyncRequest {
  connectorId: string;
  kind: SyncKind;
  trigger: SyncTrigger;
  triggeredBy?: { id: string; email: string } | null;
}

export type RequestSyncResult =
  { ok: true; runId: string; alreadyRunning: boolean } | { ok: false; code: "CONNECTOR_NOT_READY" | "QUEUE_UNAVAILABLE"; message: string };

/**
 * Starts a sync: opens its run (openSyncRun) and hands it to the job engine.
 * The domain never talks to the job engine itself, so code of lib/ that starts a
 * sync (saving credentials) is given one by its caller: inngest/dispatch.ts's
 * requestSync.
 */
export type SyncStarter = (request: SyncRequest) => Promise<RequestSyncResult>;

export const QUEUE_UNAVAILABLE_MESSAGE = "The sync could not be queued. Try again in a minute.";

/**
 * Opens a QUEUED run for a connector, or returns the one already queued or
 * running (the partial unique index decides between two racing triggers).
 */
export async function openSyncRun(input: SyncRequest): Promise<RequestSyncResult> {
  const connector = await db.courseraConnector.findUnique({
    where: { id: input.connectorId },
    select: { id: true, platformId: true, enabled: true, clientSecretEncrypted: true, orgId: true, clientId: true },
  });
  if (!connector?.enabled)
    return { ok: false, code: "CONNECTOR_NOT_READY", message: "The Coursera connector is not enabled on this platform." };
  if (!connector.clientSecretEncrypted || !connector.orgId || !connector.clientId) {
    return { ok: false, code: "CONNECTOR_NOT_READY", message: "Enter the Coursera credentials before syncing." };
  }

  let runId: string;
  try {
    const run = await db.syncRun.create({
      data: {
        platformId: connector.platformId,
        connectorId: connector.id,
        kind: input.kind,
        trigger: input.trigger,
        triggeredById: input.triggeredBy?.id ?? null,
      },
      select: { id: true },
    });
    runId = run.id;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const active = await findActiveRun(connector.id, input.kind);
    if (active) return { ok: true, runId: active.id, alreadyRunning: true };
    throw error;
  }

  if (input.triggeredBy) {
    await recordAudit({
      platformId: connector.platformId,
      actor: input.triggeredBy,
      action: "sync.started",
      targetType: "SyncRun",
      targetId: runId,
      details: { kind: input.kind, trigger: input.trigger },
    });
  }
  return { ok: true, runId, alreadyRunning: false };
}

/** A run the job engine refused to take: closed FAILED, so the connector is free for the next trigger. */
export async function failUndispatchedRun(runId: string): Promise<void> {
  await finishRun(runId, "FAILED", { code: "QUEUE_UNAVAILABLE", message: QUEUE_UNAVAILABLE_MESSAGE });
}

export function findActiveRun(connectorId: string, kind: SyncKind) {
  return db.syncRun.findFirst({ where: { connectorId, kind, status: { in: ["QUEUED", "RUNNING"] } }, select: { id: true, status: true } });
}

/** QUEUED → RUNNING. Idempotent, so a retried function step can call it again. Returns false when the run is already over. */
export async function markRunStarted(runId: string): Promise<boolean> {
  const now = new Date();
  const { count } = await db.syncRun.updateMany({
    where: { id: runId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "RUNNING", heartbeatAt: now },
  });
  if (count === 1) await db.syncRun.updateMany({ where: { id: runId, startedAt: null }, data: { startedAt: now } });
  return count === 1;
}

/**
 * Adds to the run's counters atomically and refreshes its heartbeat (what the live progress bar
 * reads). Returns the run's rows-written counters after the addition.
 */
export async function addToRunCounters(
  runId: string,
  increments: Partial<Record<RunCounter, number>>,
  progressTotal?: number | null,
  tx: Prisma.TransactionClient = db,
): Promise<{ created: number; updated: number }> {
  const data: Prisma.SyncRunUpdateInput = { heartbeatAt: new Date() };
  for (const [key, value] of Object.entries(increments)) {
    if (value) (data as Record<string, unknown>)[key] = { increment: value };
  }
  if (progressTotal !== undefined) data.progressTotal = progressTotal;
  return tx.syncRun.update({ where: { id: runId }, data, select: { created: true, updated: true } });
}

/** Records per-item problems, keeping only the first MAX_PROBLEMS_PER_RUN in detail. */
export async function addRunProblems(
  runId: string,
  problems: { kind: ProblemKind; itemId?: string | null; message: string; detail?: unknown }[],
  tx: Prisma.TransactionClient = db,
): Promise<void> {
  if (problems.length === 0) return;
  const kept = await tx.syncProblem.count({ where: { runId } });
  const room = Math.max(0, MAX_PROBLEMS_PER_RUN - kept);
  if (room === 0) return;
  await tx.syncProblem.createMany({
    data: problems.slice(0, room).map((p) => ({
      runId,
      kind: p.kind,
      itemId: p.itemId ?? null,
      message: p.message,
      detail: p.detail === undefined ? Prisma.JsonNull : (p.detail as Prisma.InputJsonValue),
    })),
  });
}

/**
 * Records, inside a page's own transaction, that the run wrote the page at
 * `start`. False when it already had: the page is being replayed after its
 * transaction committed (the process died before its step result was kept),
 * so its writes are there and its counts already added.
 */
export async function claimRunPage(tx: Prisma.TransactionClient, runId: string, start: number): Promise<boolean> {
  const rows = await tx.$queryRaw<{ one: number }[]>`
    INSERT INTO "SyncRunPage" ("runId", "start") VALUES (${runId}, ${start}) ON CONFLICT DO NOTHING RETURNING 1 AS "one"`;
  return rows.length === 1;
}

export async function finishRun(
  runId: string,
  status: Extract<SyncStatus, "SUCCEEDED" | "NEEDS_REVIEW" | "FAILED">,
  error?: { code: string; message: string },
): Promise<void> {
  await db.syncRun.updateMany({
    where: { id: runId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status, finishedAt: new Date(), heartbeatAt: new Date(), errorCode: error?.code ?? null, errorMessage: error?.message ?? null },
  });
  // Only a running run can replay a page.
  await db.syncRunPage.deleteMany({ where: { runId } });
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } }; message?: string };
  return e?.code === "P2002" || e?.meta?.driverAdapterError?.cause?.originalCode === "23505" || /unique constraint/i.test(e?.message ?? "");
}
