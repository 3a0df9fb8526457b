import "server-only";
import { db } from "@/lib/db";
import { courseraClientForConnector } from "@/lib/connectors/coursera-client";
import type { CourseraClient } from "@/lib/coursera/client";
import { isCourseraError } from "@/lib/coursera/errors";
import type { SyncKind, SyncMode } from "@/lib/generated/prisma/enums";
import { syncBudget } from "@/lib/sync/budget";
import { SyncStepError, isSyncStepError } from "@/lib/sync/errors";
import { runPageStep, type ListingPage } from "@/lib/sync/page-step";
import { dropReadAhead } from "@/lib/sync/read-ahead";
import { finishRun, markRunStarted, recordRunEvent } from "@/lib/sync/runs";

/**
 * The one pipeline of a paged sync, which the catalogue and the statistics
 * syncs configure (lib/catalogue/sync.ts, lib/statistics/sync.ts):
 *
 *   start → page steps (lib/sync/page-step.ts) → complete (e.g. retire) → finish
 *                         └── on failure: the reason noted on the run, then failRun
 *
 * Every function here is one step of the job that runs the sync
 * (inngest/functions/sync.ts): each is idempotent, takes the run's id, and
 * returns only small JSON. Failures are SyncStepErrors worded for the admin;
 * whether the engine retries them is the job layer's translation.
 */

export type Counts = Record<string, number>;

/**
 * What a run asks of Coursera's listing. FULL: all of it, and the work that needs all of it
 * (`complete`) runs. INCREMENTAL (statistics only): the records changed since `changedSince`
 * (null: no earlier success to count from, so all of it), written by the same page writer under the
 * same rules; nothing that reasons about records absent from the listing may run.
 */
export interface ListingScope {
  mode: SyncMode;
  changedSince: Date | null;
}

export interface PagedSync<Page extends ListingPage, C extends Counts, Outcome = unknown> {
  kind: SyncKind;
  /** "catalogue", "statistics": how messages name the sync. */
  noun: string;
  /** What a failed run leaves as it was, for its messages ("Nothing was retired"). */
  keptOnFailure: string;
  zeroCounts(): C;
  fetchPage(client: CourseraClient, start: number, scope: ListingScope): Promise<Page>;
  /** Whether the sync can run INCREMENTAL (a listing narrowed to changed records); else every run is FULL. */
  incremental?: true;
  /** Whether the sync can run DRY_RUN (the whole listing compared, nothing written: writePage and complete only count). */
  dryRun?: true;
  /** Writes one page in its own transaction; a page already written by the run counts zero (claimRunPage). */
  writePage(run: { runId: string; platformId: string; mode: SyncMode }, page: Page, start: number): Promise<C>;
  /** Extra work once the run is RUNNING. */
  onStart?(run: { runId: string; connectorId: string; platformId: string }): Promise<void>;
  /** Work that needs the complete listing (the catalogue's retirement, or its count in a DRY_RUN), as its own step; never run by an INCREMENTAL run. */
  complete?: { stepId: string; run(runId: string): Promise<Outcome> };
  /** Closes a complete run. */
  finish(runId: string, outcome: Outcome | null): Promise<"SUCCEEDED" | "NEEDS_REVIEW">;
  /** Clean-up after the run was marked FAILED. */
  onFailed?(runId: string): Promise<void>;
}

export type AnyPagedSync = PagedSync<ListingPage, Counts, unknown>;

export function addCounts<C extends Counts>(a: C, b: C): C {
  const out = { ...a };
  for (const key of Object.keys(b) as (keyof C)[]) out[key] = ((out[key] ?? 0) + b[key]) as C[keyof C];
  return out;
}

export type StartResult = { started: true } | { started: false; reason: "RUN_OVER" | "CONNECTOR_NOT_READY"; message: string };

/** QUEUED → RUNNING, after checking the connector can still sync. */
export async function startSyncRun(sync: AnyPagedSync, runId: string): Promise<StartResult> {
  const run = await db.syncRun.findUnique({
    where: { id: runId },
    select: {
      kind: true,
      mode: true,
      connectorId: true,
      platformId: true,
      connector: { select: { enabled: true, orgId: true, clientId: true, clientSecretEncrypted: true } },
    },
  });
  if (!run || run.kind !== sync.kind) return { started: false, reason: "RUN_OVER", message: `No such ${sync.noun} run.` };
  if ((run.mode === "INCREMENTAL" && !sync.incremental) || (run.mode === "DRY_RUN" && !sync.dryRun)) {
    // Nothing opens one (only the statistics schedule opens incremental runs, only the catalogue dry runs); closed, so it cannot hold the connector.
    const message = `The ${sync.noun} sync has no ${run.mode === "DRY_RUN" ? "dry run" : "incremental mode"}.`;
    await finishRun(runId, "FAILED", { code: `NO_${run.mode}_MODE`, message });
    return { started: false, reason: "RUN_OVER", message };
  }
  const c = run.connector;
  if (!c.enabled || !c.orgId || !c.clientId || !c.clientSecretEncrypted) {
    return {
      started: false,
      reason: "CONNECTOR_NOT_READY",
      message: `The Coursera connector was disabled or lost its credentials before the ${sync.noun} sync started.`,
    };
  }
  if (!(await markRunStarted(runId))) return { started: false, reason: "RUN_OVER", message: "The run is already over." };
  await sync.onStart?.({ runId, connectorId: run.connectorId, platformId: run.platformId });
  return { started: true };
}

/**
 * One page step: fetches and writes pages from `start` until the step budget
 * is spent (lib/sync/budget.ts). Returns only what the next step needs: the
 * next offset and the counts.
 */
export async function syncPages<C extends Counts>(
  sync: PagedSync<ListingPage, C, unknown>,
  input: { runId: string; connectorId: string; start: number },
): Promise<{ next: number | null; counts: C }> {
  const run = await db.syncRun.findUnique({
    where: { id: input.runId },
    select: {
      status: true,
      kind: true,
      mode: true,
      changedSince: true,
      platformId: true,
      connectorId: true,
      errorCode: true,
      connector: { select: { enabled: true, orgId: true, clientId: true, clientSecretEncrypted: true } },
    },
  });
  if (!run || run.kind !== sync.kind || run.connectorId !== input.connectorId) {
    throw new SyncStepError("RUN_NOT_FOUND", `${sync.noun} run ${input.runId} of connector ${input.connectorId} does not exist.`, false);
  }
  if (run.status !== "RUNNING" && run.status !== "QUEUED") return { next: null, counts: sync.zeroCounts() };
  const connector = run.connector;
  if (!connector.enabled) {
    await stopRun(
      input.runId,
      "CONNECTOR_DISABLED",
      `The Coursera connector was disabled while the ${sync.noun} sync was running. ${sync.keptOnFailure}.`,
    );
  }
  if (!connector.orgId || !connector.clientId || !connector.clientSecretEncrypted) {
    await stopRun(
      input.runId,
      "CONNECTOR_NOT_READY",
      `The Coursera credentials were removed while the ${sync.noun} sync was running. ${sync.keptOnFailure}.`,
    );
  }

  const client = courseraClientForConnector({ ...connector, platformId: run.platformId });
  let step: { next: number | null; counts: C[] };
  try {
    step = await runPageStep({
      runId: input.runId,
      start: input.start,
      fetch: (start) => sync.fetchPage(client, start, { mode: run.mode, changedSince: run.changedSince }),
      write: (page, start) => sync.writePage({ runId: input.runId, platformId: run.platformId, mode: run.mode }, page, start),
      budget: syncBudget().step,
    });
  } catch (error) {
    if (!isCourseraError(error)) throw error;
    // Coursera failures that waiting cannot fix (bad credentials, no API access, unknown
    // organisation) end the run at once; the others are retried from the failed step.
    await noteRunFailure(input.runId, { code: error.code, message: error.message }, error.retryable);
    throw new SyncStepError(error.code, error.message, error.retryable, { cause: error });
  }
  // A failure noted by an earlier attempt is over once pages come through.
  if (run.errorCode) await db.syncRun.updateMany({ where: { id: input.runId }, data: { errorCode: null, errorMessage: null } });
  return { next: step.next, counts: step.counts.reduce(addCounts, sync.zeroCounts()) };
}

/** A continuation of the run in a fresh job run, in its timeline. */
export async function noteContinuation(runId: string, segment: number, start: number): Promise<void> {
  await recordRunEvent(
    runId,
    "CONTINUED",
    `Continued from item ${start.toLocaleString("en")} in a fresh job run (part ${segment + 1}), to stay within the job engine's limits per run.`,
  );
}

/**
 * The work that needs the complete listing (the catalogue's retirement), for a run whose listing
 * completed; null when the sync has none, or when the run read only changed records: what is absent
 * from an incremental listing is unchanged, not gone. A DRY_RUN runs it too: it counts instead.
 */
export async function completeSyncRun<O>(sync: PagedSync<ListingPage, Counts, O>, runId: string): Promise<O | null> {
  if (!sync.complete) return null;
  const run = await db.syncRun.findUnique({ where: { id: runId }, select: { mode: true } });
  if (!run || run.mode === "INCREMENTAL") return null;
  return sync.complete.run(runId);
}

/** Closes a run whose listing completed. */
export async function finishSyncRun<O>(sync: PagedSync<ListingPage, Counts, O>, runId: string, outcome: O | null) {
  dropReadAhead(`${runId}:`);
  return sync.finish(runId, outcome);
}

/**
 * Marks a run FAILED once the engine gave up on it. What the admin reads is
 * the reason a step noted (or carried), never raw exception text; anything
 * else is logged and reported with a generic message.
 */
export async function failSyncRun(sync: AnyPagedSync, runId: string, error: unknown): Promise<void> {
  dropReadAhead(`${runId}:`);
  await finishRun(runId, "FAILED", await failureReason(sync, runId, error));
  await sync.onFailed?.(runId);
}

async function failureReason(sync: AnyPagedSync, runId: string, error: unknown): Promise<{ code: string; message: string }> {
  const e = error as { cause?: unknown; message?: string; name?: string } | null;
  for (const candidate of [e, e?.cause]) {
    if (isSyncStepError(candidate) || isCourseraError(candidate)) {
      const known = candidate as { code: string; message: string };
      return { code: known.code, message: known.message };
    }
  }
  const run = await db.syncRun.findUnique({ where: { id: runId }, select: { errorCode: true, errorMessage: true } });
  if (run?.errorCode && run.errorMessage) return { code: run.errorCode, message: run.errorMessage };
  // Not a known failure (the database, a bug): its raw text is logged, never shown.
  console.error(`${sync.noun} sync ${runId} failed: ${e?.name ?? "Error"}: ${e?.message ?? String(error)}`);
  return {
    code: "UNEXPECTED",
    message: `The ${sync.noun} sync stopped on an unexpected error. ${sync.keptOnFailure}; the next sync will try again.`,
  };
}

/**
 * Keeps the latest failure on a running run: the history shows why it is
 * retrying, and failSyncRun reuses it where the engine does not hand back the
 * original error (Inngest serialises errors between attempts).
 */
async function noteRunFailure(runId: string, reason: { code: string; message: string }, retrying: boolean): Promise<void> {
  await db.syncRun.updateMany({
    where: { id: runId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { errorCode: reason.code, errorMessage: reason.message, heartbeatAt: new Date() },
  });
  if (retrying) await recordRunEvent(runId, "RETRYING", `${reason.message} The sync tries again from the last page it wrote.`);
}

/** Ends the run for a reason no retry can fix, keeping that reason for the history. */
async function stopRun(runId: string, code: string, message: string): Promise<never> {
  await noteRunFailure(runId, { code, message }, false);
  throw new SyncStepError(code, message, false);
}
