import "server-only";
import { db, Prisma } from "@/lib/db";
import type { ProblemKind, SyncKind, SyncMode, SyncRunEventKind, SyncStatus, SyncTrigger } from "@/lib/generated/prisma/enums";
import { recordAudit } from "@/lib/audit/mutations";
import { assertWriteAllowed } from "@/lib/database/write-guard";
import { newRowId } from "@/lib/database/row-id";
import { workerIdentity, workerLabel } from "@/lib/sync/worker-identity";

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
  | "duplicates"
  | "excluded"
  | "matched"
  | "unmatched"
  | "heldRetirements"
  | "progressDone";

const RUN_COUNTERS: readonly RunCounter[] = [
  "pages",
  "fetched",
  "created",
  "updated",
  "unchanged",
  "retired",
  "restored",
  "invalid",
  "duplicates",
  "excluded",
  "matched",
  "unmatched",
  "heldRetirements",
  "progressDone",
];

/** Per-item problems kept in detail; past this, only the counters grow. */
export const MAX_PROBLEMS_PER_RUN = 200;

export interface SyncRequest {
  connectorId: string;
  kind: SyncKind;
  /** DRY_RUN (catalogue only): what a sync would change, nothing written. Default FULL. */
  mode?: Extract<SyncMode, "FULL" | "DRY_RUN">;
  trigger: SyncTrigger;
  triggeredBy?: { id: string; email: string } | null;
}

/** An opened run, with what the job engine needs to schedule it (the organisation is a concurrency key). */
export interface OpenedRun {
  runId: string;
  connectorId: string;
  orgId: string;
  alreadyRunning: boolean;
}

export type RequestSyncResult =
  ({ ok: true } & OpenedRun) | { ok: false; code: "CONNECTOR_NOT_READY" | "QUEUE_UNAVAILABLE"; message: string };

/**
 * Starts a sync: opens its run (openSyncRun) and hands it to the job engine.
 * The domain never talks to the job engine itself, so code of lib/ that starts a
 * sync (saving credentials) is given one by its caller: inngest/dispatch.ts's
 * requestSync.
 */
export type SyncStarter = (request: SyncRequest) => Promise<RequestSyncResult>;

export const QUEUE_UNAVAILABLE_MESSAGE = "The sync could not be queued. Try again in a minute.";

const readyConnector = {
  enabled: true,
  clientSecretEncrypted: { not: null },
  orgId: { not: null },
  clientId: { not: null },
} satisfies Prisma.CourseraConnectorWhereInput;

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
  const opened = { connectorId: connector.id, orgId: connector.orgId };

  let runId: string;
  try {
    const run = await db.syncRun.create({
      data: {
        platformId: connector.platformId,
        connectorId: connector.id,
        kind: input.kind,
        mode: input.mode ?? "FULL",
        trigger: input.trigger,
        triggeredById: input.triggeredBy?.id ?? null,
      },
      select: { id: true },
    });
    runId = run.id;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const active = await findActiveRun(connector.id, input.kind);
    if (active) return { ok: true, ...opened, runId: active.id, alreadyRunning: true };
    throw error;
  }

  if (input.triggeredBy) {
    await recordAudit({
      platformId: connector.platformId,
      actor: input.triggeredBy,
      action: "sync.started",
      targetType: "SyncRun",
      targetId: runId,
      details: { kind: input.kind, trigger: input.trigger, ...(input.mode === "DRY_RUN" ? { mode: "DRY_RUN" } : {}) },
    });
  }
  return { ok: true, ...opened, runId, alreadyRunning: false };
}

/**
 * The schedules' version of openSyncRun for many connectors at once, in two
 * statements whatever their number: a run is opened for each ready connector
 * that has none queued or running; the others report the run they already have
 * (of either mode: a connector runs one statistics sync at a time, so the daily
 * full sync waits for an hourly incremental one to end, and is due again on the
 * next tick).
 */
export async function openScheduledRuns(connectorIds: string[], kind: SyncKind, mode: SyncMode = "FULL"): Promise<OpenedRun[]> {
  if (connectorIds.length === 0) return [];
  const proposed = connectorIds.map((connectorId) => ({ id: newRowId(), connectorId }));
  const opened = await db.$queryRaw<{ id: string; connectorId: string; orgId: string }[]>`
    WITH inserted AS (
      INSERT INTO "SyncRun" ("id", "platformId", "connectorId", "kind", "mode", "trigger", "status", "queuedAt")
      SELECT p."id", c."platformId", c."id", ${kind}::"SyncKind", ${mode}::"SyncMode", 'SCHEDULE'::"SyncTrigger", 'QUEUED'::"SyncStatus", ${new Date().toISOString()}::timestamp(3)
        FROM json_to_recordset(${JSON.stringify(proposed)}::json) AS p("id" text, "connectorId" text)
        JOIN "CourseraConnector" c ON c."id" = p."connectorId"
       WHERE c."enabled" AND c."clientSecretEncrypted" IS NOT NULL AND c."orgId" IS NOT NULL AND c."clientId" IS NOT NULL
       ORDER BY c."id"
      ON CONFLICT DO NOTHING
      RETURNING "id", "connectorId")
    SELECT i."id", i."connectorId", c."orgId" FROM inserted i JOIN "CourseraConnector" c ON c."id" = i."connectorId"`;
  const openedIds = new Set(opened.map((r) => r.connectorId));
  const active = await db.syncRun.findMany({
    where: { connectorId: { in: connectorIds.filter((id) => !openedIds.has(id)) }, kind, status: { in: ["QUEUED", "RUNNING"] } },
    select: { id: true, connectorId: true, connector: { select: { orgId: true } } },
  });
  return [
    ...opened.map((r) => ({ runId: r.id, connectorId: r.connectorId, orgId: r.orgId, alreadyRunning: false })),
    ...active.map((r) => ({ runId: r.id, connectorId: r.connectorId, orgId: r.connector.orgId ?? "", alreadyRunning: true })),
  ];
}

/** A run the job engine refused to take: closed FAILED, so the connector is free for the next trigger. */
export async function failUndispatchedRun(runId: string): Promise<void> {
  await finishRun(runId, "FAILED", { code: "QUEUE_UNAVAILABLE", message: QUEUE_UNAVAILABLE_MESSAGE });
}

export function findActiveRun(connectorId: string, kind: SyncKind) {
  return db.syncRun.findFirst({ where: { connectorId, kind, status: { in: ["QUEUED", "RUNNING"] } }, select: { id: true, status: true } });
}

/** Connectors that can sync: enabled, with credentials. */
export function readyConnectors<S extends Prisma.CourseraConnectorSelect>(select: S) {
  return db.courseraConnector.findMany({ where: readyConnector, select });
}

/** QUEUED → RUNNING. Idempotent, so a retried function step can call it again. Returns false when the run is already over. */
export async function markRunStarted(runId: string): Promise<boolean> {
  const now = new Date();
  const { count } = await db.syncRun.updateMany({
    where: { id: runId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "RUNNING", heartbeatAt: now },
  });
  if (count === 1) {
    const first = await db.syncRun.updateMany({
      where: { id: runId, startedAt: null },
      data: { startedAt: now, workerId: workerIdentity() },
    });
    if (first.count === 1) await recordRunEvent(runId, "STARTED", `Started on ${workerLabel(workerIdentity())}.`);
  }
  return count === 1;
}

/** One line in the run's timeline (the sync history's run page). */
export async function recordRunEvent(
  runId: string,
  kind: SyncRunEventKind,
  message: string,
  tx: Prisma.TransactionClient = db,
): Promise<void> {
  await tx.syncRunEvent.create({ data: { runId, kind, message, workerId: workerIdentity() } });
}

/**
 * Adds to the run's counters atomically and refreshes its heartbeat (what the live progress bar
 * reads). Also records which worker wrote the page: when it is not the one that wrote the
 * previous page, the run's timeline says the run moved. Returns the run's rows-written counters
 * after the addition.
 */
export async function addToRunCounters(
  runId: string,
  increments: Partial<Record<RunCounter, number>>,
  progressTotal?: number | null,
  tx: Prisma.TransactionClient = db,
): Promise<{ created: number; updated: number }> {
  const sets = RUN_COUNTERS.filter((key) => increments[key]).map(
    (key) => Prisma.sql`${Prisma.raw(`"${key}"`)} = s.${Prisma.raw(`"${key}"`)} + ${increments[key]!}`,
  );
  if (progressTotal !== undefined) sets.push(Prisma.sql`"progressTotal" = ${progressTotal}`);
  const me = workerIdentity();
  // NO KEY UPDATE, the lock a plain UPDATE takes: a FOR UPDATE here would conflict with the
  // key-share lock the other page's transaction holds through its foreign keys, and deadlock.
  const [row] = await tx.$queryRaw<{ created: number; updated: number; previousWorker: string | null }[]>`
    WITH previous AS (SELECT "workerId" FROM "SyncRun" WHERE "id" = ${runId} FOR NO KEY UPDATE)
    UPDATE "SyncRun" s SET ${Prisma.join([...sets, Prisma.sql`"heartbeatAt" = ${new Date().toISOString()}::timestamp(3)`, Prisma.sql`"workerId" = ${me}`], ", ")}
      FROM previous
     WHERE s."id" = ${runId}
    RETURNING s."created", s."updated", previous."workerId" AS "previousWorker"`;
  if (!row) throw new Error(`Sync run ${runId} does not exist.`);
  if (row.previousWorker && row.previousWorker !== me) {
    await recordRunEvent(runId, "RESUMED", `Continued on ${workerLabel(me)} (it ran on ${workerLabel(row.previousWorker)} before).`, tx);
  }
  return { created: row.created, updated: row.updated };
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
 * so its writes are there and its counts already added. Whoever runs the step
 * may also refuse the write here (lib/database/write-guard.ts): a worker that
 * lost the run to another one writes nothing.
 */
export async function claimRunPage(tx: Prisma.TransactionClient, runId: string, start: number): Promise<boolean> {
  await assertWriteAllowed(tx);
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
