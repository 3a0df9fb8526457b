import "server-only";
import { db, type Prisma } from "@/lib/db";
import type { SyncKind, SyncStatus } from "@/lib/generated/prisma/enums";

/** Reads of the sync history for the admin pages. Every read is scoped by platform in the query itself. */

const runListSelect = {
  id: true,
  kind: true,
  mode: true,
  changedSince: true,
  trigger: true,
  status: true,
  triggeredById: true,
  queuedAt: true,
  startedAt: true,
  finishedAt: true,
  heartbeatAt: true,
  pages: true,
  fetched: true,
  created: true,
  updated: true,
  unchanged: true,
  retired: true,
  restored: true,
  invalid: true,
  duplicates: true,
  excluded: true,
  matched: true,
  unmatched: true,
  heldRetirements: true,
  progressDone: true,
  progressTotal: true,
  errorCode: true,
  errorMessage: true,
  workerId: true,
} as const;

export const RUNS_PAGE_SIZE = 25;

export function isFinal(status: SyncStatus): boolean {
  return status === "SUCCEEDED" || status === "NEEDS_REVIEW" || status === "FAILED";
}

/** Milliseconds from start (or queue) to finish, or to now for a run still going. */
export function runDurationMs(run: { queuedAt: Date; startedAt: Date | null; finishedAt: Date | null }, now = new Date()): number {
  const from = run.startedAt ?? run.queuedAt;
  return Math.max(0, (run.finishedAt ?? now).getTime() - from.getTime());
}

/** The people who started runs, by id: their name for the history, their email to tell two of a name apart. */
async function peopleOf(ids: (string | null)[]): Promise<Map<string, { name: string; email: string }>> {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (unique.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((u) => [u.id, { name: u.name, email: u.email }]));
}

/** `triggeredBy` (the email, or "deleted user") and `triggeredByName` of a run started by a person; null for the others. */
function withStarter<R extends { triggeredById: string | null }>(run: R, people: Map<string, { name: string; email: string }>) {
  const person = run.triggeredById ? people.get(run.triggeredById) : undefined;
  return {
    ...run,
    triggeredBy: run.triggeredById ? (person?.email ?? "deleted user") : null,
    triggeredByName: run.triggeredById ? (person?.name ?? "a deleted user") : null,
  };
}

/** Runs newest first, paged. */
export async function listSyncRuns(platformId: string, options: { page?: number; kind?: SyncKind } = {}) {
  const page = Math.max(1, options.page ?? 1);
  const where = { platformId, ...(options.kind ? { kind: options.kind } : {}) };
  const [rows, total] = await Promise.all([
    db.syncRun.findMany({
      where,
      orderBy: [{ queuedAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * RUNS_PAGE_SIZE,
      take: RUNS_PAGE_SIZE,
      select: runListSelect,
    }),
    db.syncRun.count({ where }),
  ]);
  const people = await peopleOf(rows.map((r) => r.triggeredById));
  return { total, page, pageSize: RUNS_PAGE_SIZE, runs: rows.map((r) => withStarter(r, people)) };
}

export type SyncRunRow = Awaited<ReturnType<typeof listSyncRuns>>["runs"][number];

/**
 * The ids of the history's first page, in its order: what an open history
 * polls every few seconds to notice a run started elsewhere. Ids only (one
 * index read): no count, no people, none of the rows' figures.
 */
export async function newestSyncRunIds(platformId: string, options: { kind?: SyncKind } = {}): Promise<string[]> {
  const rows = await db.syncRun.findMany({
    where: { platformId, ...(options.kind ? { kind: options.kind } : {}) },
    orderBy: [{ queuedAt: "desc" }, { id: "desc" }],
    take: RUNS_PAGE_SIZE,
    select: { id: true },
  });
  return rows.map((row) => row.id);
}

/** One run with its problems, or null when the run is not this platform's. */
export async function getSyncRun(platformId: string, runId: string) {
  const run = await db.syncRun.findFirst({
    where: { id: runId, platformId },
    select: {
      ...runListSelect,
      problems: {
        orderBy: { createdAt: "asc" },
        take: 200,
        select: { id: true, kind: true, itemId: true, message: true, detail: true, createdAt: true },
      },
      // Where the run went: started, retried, interrupted and resumed on another worker, continued.
      events: { orderBy: { at: "asc" }, take: 200, select: { id: true, at: true, kind: true, workerId: true, message: true } },
    },
  });
  if (!run) return null;
  return withStarter(run, await peopleOf([run.triggeredById]));
}

/**
 * What the live progress bar polls: small, so polling every second or two is
 * cheap. Dates go out as ISO strings.
 */
export async function getSyncRunProgress(platformId: string, runId: string) {
  const run = await db.syncRun.findFirst({ where: { id: runId, platformId }, select: runListSelect });
  return run ? progressOf(run) : null;
}

type RunListRow = Prisma.SyncRunGetPayload<{ select: typeof runListSelect }>;

/**
 * A run as the live progress reads it (what getSyncRunProgress answers), from
 * a row already read: the history renders its running rows' first frame
 * without asking again. Only the selected columns go out.
 */
export function progressOf(row: RunListRow) {
  const run = Object.fromEntries(Object.keys(runListSelect).map((key) => [key, row[key as keyof RunListRow]])) as RunListRow;
  return {
    ...run,
    final: isFinal(run.status),
    durationMs: runDurationMs(run),
    queuedAt: run.queuedAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    heartbeatAt: run.heartbeatAt?.toISOString() ?? null,
  };
}

export type SyncRunProgress = NonNullable<Awaited<ReturnType<typeof getSyncRunProgress>>>;

/** The QUEUED or RUNNING run of each kind, for "Sync now" (disabled while one runs). */
export async function getActiveRuns(platformId: string): Promise<Record<SyncKind, { id: string; status: SyncStatus } | null>> {
  const runs = await db.syncRun.findMany({
    where: { platformId, status: { in: ["QUEUED", "RUNNING"] } },
    select: { id: true, kind: true, status: true },
  });
  return {
    CATALOGUE: runs.find((r) => r.kind === "CATALOGUE") ?? null,
    STATISTICS: runs.find((r) => r.kind === "STATISTICS") ?? null,
  };
}

/** The last finished full runs of a kind, oldest first, for the history chart. */
export async function getSyncChartSeries(platformId: string, kind: SyncKind, limit = 30) {
  const rows = await db.syncRun.findMany({
    // Full runs only: a day's 24 incremental runs would push the daily runs out of the chart, and
    // their few records next to the full listing's would read as a collapse.
    where: { platformId, kind, mode: "FULL", finishedAt: { not: null } },
    orderBy: { queuedAt: "desc" },
    take: limit,
    select: {
      id: true,
      status: true,
      queuedAt: true,
      startedAt: true,
      finishedAt: true,
      fetched: true,
      created: true,
      updated: true,
      retired: true,
      invalid: true,
      matched: true,
      unmatched: true,
    },
  });
  return rows.reverse().map((r) => ({
    id: r.id,
    status: r.status,
    at: r.queuedAt.toISOString(),
    durationSeconds: Math.round(runDurationMs(r) / 100) / 10,
    fetched: r.fetched,
    created: r.created,
    updated: r.updated,
    retired: r.retired,
    invalid: r.invalid,
    matched: r.matched,
    unmatched: r.unmatched,
  }));
}
