import "server-only";
import { db, Prisma } from "@/lib/db";
import type { AlertKind, SyncKind } from "@/lib/generated/prisma/enums";
import { newRowId } from "@/lib/database/row-id";

/**
 * Alerts as a function of the database's state. For each connector in scope,
 * the conditions worth an alert are derived from its runs, its inbox and its
 * last credentials check; an incident opens when a condition appears and
 * closes when it clears. So an incident opens on the first failure and stays
 * open (no new alert) however many retries or failing runs follow; it closes
 * on recovery, with a message saying how; a missed nudge is caught by the next
 * sweep; and reconciling twice changes nothing.
 *
 * Conditions, for an enabled connector:
 *   SYNC_FAILED (per kind)     its latest finished run of that kind FAILED, for a reason other than credentials;
 *   CREDENTIALS_REJECTED       the latest verdict Coursera gave on its credentials — a run that failed on them
 *                              or got through, a test or save in the admin pages — was a refusal;
 *   NEEDS_REVIEW (CATALOGUE)   a catalogue run holds retirements back (mass drop) for an admin's decision;
 *   NEEDS_REVIEW (STATISTICS)  learners its latest successful statistics run could not match still wait in the inbox;
 *   STALE (per kind)           with credentials, no successful sync of that kind for more than staleAfterHours
 *                              (counted from when it was enabled or its credentials were saved, if never).
 * "Runs" are FULL runs: the hourly incremental statistics runs bring freshness between two daily full
 * syncs, but the full sync is the promise the alerts watch (a failing daily sync is not hidden by
 * the incremental run that succeeds after it, and the inbox's review is the full listing's verdict).
 *
 * The whole fleet is reconciled in a fixed number of statements (one read of
 * every connector's facts, one of the open incidents, one write of each
 * kind), so a sweep is one step of one job run at any fleet size. Each opened
 * or resolved incident gets one notification per recipient: the platform's
 * admins and every CSM, minus those who opted out of that kind; their emails
 * go out from the delivery function (lib/alerts/delivery.ts).
 */

export const CREDENTIAL_CODES = ["BAD_CREDENTIALS", "API_ACCESS_DISABLED", "UNKNOWN_ORG"] as const;
const SYNC_KINDS: SyncKind[] = ["CATALOGUE", "STATISTICS"];
const NOUN: Record<SyncKind, string> = { CATALOGUE: "catalogue", STATISTICS: "statistics" };
/** Any constant: reconciliations take turns (two at once would both try to open the same incidents). */
const RECONCILE_LOCK_ID = 7_340_021;

const REFUSAL_MESSAGES: Record<string, string> = {
  BAD_CREDENTIALS: "Coursera rejected the client ID or client secret.",
  UNKNOWN_ORG: "Coursera does not know the organisation ID.",
  API_ACCESS_DISABLED: "API access is not enabled for the Coursera organisation, or the credentials belong to another organisation.",
};

export type AlertScope = "all" | { platformId: string } | { connectorId: string };

interface Run {
  id: string;
  status: string;
  errorCode: string | null;
  errorMessage: string | null;
  finishedAt: Date;
  unmatched: number;
}

export interface ConnectorFacts {
  connectorId: string;
  platformId: string;
  timeZone: string;
  enabled: boolean;
  ready: boolean;
  staleAfterHours: number;
  watchedSince: Date;
  credentialsCheckedAt: Date | null;
  credentialsRefusal: string | null;
  latest: Record<SyncKind, Run | null>;
  lastSuccess: Record<SyncKind, Run | null>;
  held: { runId: string; count: number } | null;
  unmatchedWaiting: boolean;
}

export interface DesiredIncident {
  kind: AlertKind;
  scope: string;
  summary: string;
  path: string;
  runId: string | null;
}

const isSuccess = (status: string | undefined) => status === "SUCCEEDED" || status === "NEEDS_REVIEW";
const isCredentialFailure = (run: Run | null) =>
  run?.status === "FAILED" && (CREDENTIAL_CODES as readonly string[]).includes(run.errorCode ?? "");

function formatIn(date: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone, timeZoneName: "short" }).format(date);
  } catch {
    return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  }
}

/** The latest verdict Coursera gave on the connector's credentials, if any. */
function credentialsVerdict(
  f: ConnectorFacts,
): { refused: boolean; code: string | null; during: string; at: Date; runId: string | null } | null {
  const verdicts: { refused: boolean; code: string | null; during: string; at: Date; runId: string | null }[] = [];
  for (const kind of SYNC_KINDS) {
    const run = f.latest[kind];
    if (!run) continue;
    if (isCredentialFailure(run))
      verdicts.push({ refused: true, code: run.errorCode, during: `during the ${NOUN[kind]} sync`, at: run.finishedAt, runId: run.id });
    else if (isSuccess(run.status))
      verdicts.push({ refused: false, code: null, during: `the ${NOUN[kind]} sync`, at: run.finishedAt, runId: run.id });
  }
  if (f.credentialsCheckedAt) {
    verdicts.push({
      refused: f.credentialsRefusal !== null,
      code: f.credentialsRefusal,
      during: "when they were tested or saved in the admin pages",
      at: f.credentialsCheckedAt,
      runId: null,
    });
  }
  return verdicts.sort((a, b) => b.at.getTime() - a.at.getTime())[0] ?? null;
}

/** The incidents a connector's facts call for (pure: the tests drive it with hand-made facts). */
export function desiredIncidents(f: ConnectorFacts, now: Date): DesiredIncident[] {
  if (!f.enabled) return [];
  const base = `/p/${f.platformId}`;
  const out: DesiredIncident[] = [];
  for (const kind of SYNC_KINDS) {
    const latest = f.latest[kind];
    if (latest?.status === "FAILED" && !isCredentialFailure(latest)) {
      out.push({
        kind: "SYNC_FAILED",
        scope: kind,
        summary: `The ${NOUN[kind]} sync failed (${formatIn(latest.finishedAt, f.timeZone)}): ${latest.errorMessage ?? "no reason was recorded."}`,
        path: `${base}/syncs/${latest.id}`,
        runId: latest.id,
      });
    }
    if (f.ready) {
      const success = f.lastSuccess[kind];
      const since = success?.finishedAt ?? f.watchedSince;
      if (now.getTime() - since.getTime() > f.staleAfterHours * 3_600_000) {
        out.push({
          kind: "STALE",
          scope: kind,
          summary:
            `No ${kind === "STATISTICS" ? "full statistics" : NOUN[kind]} sync has succeeded for more than ${f.staleAfterHours} hours ` +
            (success
              ? `(the last one finished ${formatIn(success.finishedAt, f.timeZone)}).`
              : `(none has, since the connector was set up ${formatIn(f.watchedSince, f.timeZone)}).`),
          path: `${base}/syncs`,
          runId: success?.id ?? null,
        });
      }
    }
  }
  const verdict = credentialsVerdict(f);
  if (verdict?.refused) {
    out.push({
      kind: "CREDENTIALS_REJECTED",
      scope: "",
      summary:
        `${REFUSAL_MESSAGES[verdict.code ?? ""] ?? "Coursera refused the credentials."} This happened ${verdict.during} ` +
        `(${formatIn(verdict.at, f.timeZone)}). Syncs cannot run until the credentials are corrected on the connector page.`,
      path: `${base}/connector`,
      runId: verdict.runId,
    });
  }
  if (f.held) {
    out.push({
      kind: "NEEDS_REVIEW",
      scope: "CATALOGUE",
      summary:
        `A catalogue sync found ${f.held.count} course${f.held.count === 1 ? "" : "s"} missing from Coursera's listing at once and held ` +
        "their retirement back. An admin decides on the run's page: “Retire them” or “Keep them”.",
      path: `${base}/syncs/${f.held.runId}`,
      runId: f.held.runId,
    });
  }
  const statistics = f.lastSuccess.STATISTICS;
  if (f.unmatchedWaiting && statistics) {
    out.push({
      kind: "NEEDS_REVIEW",
      scope: "STATISTICS",
      summary:
        `The statistics sync of ${formatIn(statistics.finishedAt, f.timeZone)} could not match ${statistics.unmatched} Coursera ` +
        `record${statistics.unmatched === 1 ? "" : "s"} to a learner or a course. They wait in the unmatched learners inbox.`,
      path: `${base}/unmatched`,
      runId: statistics.id,
    });
  }
  return out;
}

/** Why an open incident no longer holds, in words for its recovery message. */
export function resolutionOf(incident: { kind: AlertKind; scope: string; openedAt: Date }, f: ConnectorFacts | undefined): string {
  if (!f || !f.enabled) return "The connector was disabled.";
  const kind = incident.scope as SyncKind;
  switch (incident.kind) {
    case "SYNC_FAILED": {
      const latest = f.latest[kind];
      if (isCredentialFailure(latest))
        return `The ${NOUN[kind]} sync now fails because Coursera refuses the credentials (a separate alert).`;
      return isSuccess(latest?.status) ? `The ${NOUN[kind]} sync succeeded again.` : "The failure is over.";
    }
    case "STALE": {
      if (!f.ready) return "The connector no longer has credentials.";
      const success = f.lastSuccess[kind];
      return success && success.finishedAt > incident.openedAt
        ? `A ${NOUN[kind]} sync succeeded (${formatIn(success.finishedAt, f.timeZone)}).`
        : "The connector's staleness threshold was raised.";
    }
    case "CREDENTIALS_REJECTED":
      return "Coursera accepts the credentials again.";
    case "NEEDS_REVIEW":
      return kind === "CATALOGUE"
        ? "The held retirements were decided, or a later catalogue sync replaced them."
        : "The unmatched records of the latest statistics sync were resolved, or a later sync matched them.";
  }
}

interface FactRow {
  connectorId: string;
  platformId: string;
  timeZone: string;
  enabled: boolean;
  ready: boolean;
  staleAfterHours: number;
  watchedSince: Date;
  credentialsCheckedAt: Date | null;
  credentialsRefusal: string | null;
  runs:
    | {
        slot: "latest" | "success";
        kind: SyncKind;
        id: string;
        status: string;
        errorCode: string | null;
        errorMessage: string | null;
        finishedAt: string;
        unmatched: number;
      }[]
    | null;
  heldRunId: string | null;
  held: number | null;
  unmatchedWaiting: boolean;
}

function scopeSql(scope: AlertScope, column: { connector: string; platform: string }): Prisma.Sql {
  if (scope === "all") return Prisma.sql`TRUE`;
  if ("connectorId" in scope) return Prisma.sql`${Prisma.raw(column.connector)} = ${scope.connectorId}`;
  return Prisma.sql`${Prisma.raw(column.platform)} = ${scope.platformId}`;
}

async function loadFacts(tx: Prisma.TransactionClient, scope: AlertScope): Promise<ConnectorFacts[]> {
  const rows = await tx.$queryRaw<FactRow[]>`
    SELECT c."id" AS "connectorId", c."platformId", p."timeZone", c."enabled",
           (c."orgId" IS NOT NULL AND c."clientId" IS NOT NULL AND c."clientSecretEncrypted" IS NOT NULL) AS "ready",
           c."staleAfterHours", GREATEST(c."enabledAt", c."credentialsUpdatedAt", c."createdAt") AS "watchedSince",
           c."credentialsCheckedAt", c."credentialsRefusal",
           (SELECT json_agg(x) FROM (
              SELECT 'latest' AS "slot", k.kind, r."id", r."status", r."errorCode", r."errorMessage", r."finishedAt", r."unmatched"
                FROM (VALUES ('CATALOGUE'::"SyncKind"), ('STATISTICS'::"SyncKind")) AS k(kind),
                LATERAL (SELECT * FROM "SyncRun" r WHERE r."connectorId" = c."id" AND r."kind" = k.kind AND r."finishedAt" IS NOT NULL AND r."mode" = 'FULL'
                          ORDER BY r."finishedAt" DESC LIMIT 1) r
              UNION ALL
              SELECT 'success', k.kind, r."id", r."status", r."errorCode", r."errorMessage", r."finishedAt", r."unmatched"
                FROM (VALUES ('CATALOGUE'::"SyncKind"), ('STATISTICS'::"SyncKind")) AS k(kind),
                LATERAL (SELECT * FROM "SyncRun" r WHERE r."connectorId" = c."id" AND r."kind" = k.kind AND r."finishedAt" IS NOT NULL AND r."mode" = 'FULL'
                            AND r."status" IN ('SUCCEEDED', 'NEEDS_REVIEW')
                          ORDER BY r."finishedAt" DESC LIMIT 1) r) x) AS "runs",
           held."id" AS "heldRunId", held."heldRetirements" AS "held",
           EXISTS (SELECT 1 FROM "UnmatchedLearnerRecord" u
                    WHERE u."platformId" = c."platformId" AND u."resolvedAt" IS NULL
                      AND u."lastRunId" = (SELECT r."id" FROM "SyncRun" r
                                            WHERE r."connectorId" = c."id" AND r."kind" = 'STATISTICS' AND r."finishedAt" IS NOT NULL AND r."mode" = 'FULL'
                                              AND r."status" IN ('SUCCEEDED', 'NEEDS_REVIEW')
                                            ORDER BY r."finishedAt" DESC LIMIT 1)) AS "unmatchedWaiting"
      FROM "CourseraConnector" c
      JOIN "Platform" p ON p."id" = c."platformId"
      LEFT JOIN LATERAL (SELECT r."id", r."heldRetirements" FROM "SyncRun" r
                          WHERE r."connectorId" = c."id" AND r."kind" = 'CATALOGUE' AND r."status" = 'NEEDS_REVIEW' AND r."heldRetirements" > 0
                          ORDER BY r."finishedAt" DESC NULLS LAST LIMIT 1) held ON TRUE
     WHERE ${scopeSql(scope, { connector: 'c."id"', platform: 'c."platformId"' })}
       AND (c."enabled" OR EXISTS (SELECT 1 FROM "AlertIncident" i WHERE i."connectorId" = c."id" AND i."resolvedAt" IS NULL))`;
  return rows.map((row) => {
    const latest: Record<SyncKind, Run | null> = { CATALOGUE: null, STATISTICS: null };
    const lastSuccess: Record<SyncKind, Run | null> = { CATALOGUE: null, STATISTICS: null };
    for (const r of row.runs ?? []) {
      // json_agg renders timestamp(3) without a zone: they are UTC, as Prisma stores them.
      const run: Run = { ...r, finishedAt: new Date(`${r.finishedAt}Z`) };
      (r.slot === "latest" ? latest : lastSuccess)[r.kind] = run;
    }
    return {
      connectorId: row.connectorId,
      platformId: row.platformId,
      timeZone: row.timeZone,
      enabled: row.enabled,
      ready: row.ready,
      staleAfterHours: row.staleAfterHours,
      watchedSince: new Date(row.watchedSince),
      credentialsCheckedAt: row.credentialsCheckedAt ? new Date(row.credentialsCheckedAt) : null,
      credentialsRefusal: row.credentialsRefusal,
      latest,
      lastSuccess,
      held: row.heldRunId ? { runId: row.heldRunId, count: row.held ?? 0 } : null,
      unmatchedWaiting: row.unmatchedWaiting,
    };
  });
}

export interface ReconcileResult {
  opened: number;
  resolved: number;
  notifications: number;
}

/** Opens and resolves the incidents of the connectors in scope (the rule above), and notifies their recipients. */
export async function reconcileAlerts(scope: AlertScope, now = new Date()): Promise<ReconcileResult> {
  const at = now.toISOString();
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RECONCILE_LOCK_ID})`;
      const facts = await loadFacts(tx, scope);
      const factsByConnector = new Map(facts.map((f) => [f.connectorId, f]));
      const open = await tx.alertIncident.findMany({
        where: {
          resolvedAt: null,
          ...(scope === "all" ? {} : "connectorId" in scope ? { connectorId: scope.connectorId } : { platformId: scope.platformId }),
        },
        select: { id: true, connectorId: true, kind: true, scope: true, openedAt: true, runId: true, path: true, summary: true },
      });
      const key = (connectorId: string, kind: string, s: string) => `${connectorId}|${kind}|${s}`;
      const openByKey = new Map(open.map((i) => [key(i.connectorId, i.kind, i.scope), i]));

      const toOpen: {
        id: string;
        platformId: string;
        connectorId: string;
        kind: AlertKind;
        scope: string;
        summary: string;
        path: string;
        runId: string | null;
      }[] = [];
      const toRefresh: { id: string; summary: string; path: string; runId: string | null }[] = [];
      const wanted = new Set<string>();
      for (const f of facts) {
        for (const d of desiredIncidents(f, now)) {
          const k = key(f.connectorId, d.kind, d.scope);
          wanted.add(k);
          const existing = openByKey.get(k);
          if (!existing) toOpen.push({ id: newRowId(), platformId: f.platformId, connectorId: f.connectorId, ...d });
          // Still the same incident; its link follows the run that now explains it (no new alert).
          else if (existing.runId !== d.runId || existing.path !== d.path)
            toRefresh.push({ id: existing.id, summary: d.summary, path: d.path, runId: d.runId });
        }
      }
      const toResolve = open
        .filter((i) => !wanted.has(key(i.connectorId, i.kind, i.scope)))
        .map((i) => ({ id: i.id, resolution: resolutionOf(i, factsByConnector.get(i.connectorId)) }));

      const opened =
        toOpen.length === 0
          ? []
          : await tx.$queryRaw<{ id: string }[]>`
              INSERT INTO "AlertIncident" ("id", "platformId", "connectorId", "kind", "scope", "summary", "path", "runId", "openedAt")
              SELECT x."id", x."platformId", x."connectorId", x."kind"::"AlertKind", x."scope", x."summary", x."path", x."runId", ${at}::timestamp(3)
                FROM json_to_recordset(${JSON.stringify(toOpen)}::json)
                  AS x("id" text, "platformId" text, "connectorId" text, "kind" text, "scope" text, "summary" text, "path" text, "runId" text)
              ON CONFLICT DO NOTHING
              RETURNING "id"`;
      const resolved =
        toResolve.length === 0
          ? []
          : await tx.$queryRaw<{ id: string }[]>`
              UPDATE "AlertIncident" i SET "resolvedAt" = ${at}::timestamp(3), "resolution" = x."resolution"
                FROM json_to_recordset(${JSON.stringify(toResolve)}::json) AS x("id" text, "resolution" text)
               WHERE i."id" = x."id" AND i."resolvedAt" IS NULL
              RETURNING i."id"`;
      if (toRefresh.length > 0) {
        await tx.$executeRaw`
          UPDATE "AlertIncident" i SET "summary" = x."summary", "path" = x."path", "runId" = x."runId"
            FROM json_to_recordset(${JSON.stringify(toRefresh)}::json) AS x("id" text, "summary" text, "path" text, "runId" text)
           WHERE i."id" = x."id" AND i."resolvedAt" IS NULL`;
      }
      const events = [
        ...opened.map((i) => ({ incidentId: i.id, event: "OPENED" })),
        ...resolved.map((i) => ({ incidentId: i.id, event: "RESOLVED" })),
      ];
      const notifications = events.length === 0 ? 0 : await notifyRecipients(tx, events, at);
      return { opened: opened.length, resolved: resolved.length, notifications };
    },
    { timeout: 120_000, maxWait: 60_000 },
  );
}

/**
 * One notification per recipient of each event: the incident's platform's
 * admins and every CSM, and nobody else; a recipient who opted out of the
 * kind in the app and by email gets none, one who opted out of one channel
 * gets the other.
 */
async function notifyRecipients(
  tx: Prisma.TransactionClient,
  events: { incidentId: string; event: string }[],
  at: string,
): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO "AlertNotification" ("id", "incidentId", "userId", "event", "createdAt", "inApp", "emailStatus", "emailNextAttemptAt")
    SELECT 'n' || substr(md5(i."id" || ':' || u."id" || ':' || e."event"), 1, 24), i."id", u."id", e."event"::"AlertEvent", ${at}::timestamp(3),
           COALESCE(pref."inApp", TRUE),
           (CASE WHEN COALESCE(pref."email", TRUE) THEN 'PENDING' ELSE 'SKIPPED' END)::"AlertEmailStatus",
           ${at}::timestamp(3)
      FROM json_to_recordset(${JSON.stringify(events)}::json) AS e("incidentId" text, "event" text)
      JOIN "AlertIncident" i ON i."id" = e."incidentId"
      JOIN "User" u ON u."role" = 'CSM' OR (u."role" = 'ADMIN' AND u."platformId" = i."platformId")
      LEFT JOIN "AlertPreference" pref ON pref."userId" = u."id" AND pref."kind" = i."kind"
     WHERE COALESCE(pref."inApp", TRUE) OR COALESCE(pref."email", TRUE)
    ON CONFLICT DO NOTHING`;
}
