import type { Metadata } from "next";
import Link from "next/link";
import { requirePlatformAccess } from "@/lib/auth/session";
import { getConnectorSettings, getLastGroupMove } from "@/lib/connectors/queries";
import { getGroupTree } from "@/lib/groups/queries";
import { getActiveRuns, getSyncRunProgress } from "@/lib/sync/queries";
import { getScheduleSettings } from "@/lib/schedules/queries";
import { timeZoneNames } from "@/lib/sync/local-time";
import { Badge } from "@/components/badge";
import { formatAge, formatContentType, formatDateTime, formatLanguage } from "@/components/format";
import { UndoGroupMoveButton } from "../_components/undo-group-move";
import { GroupPicker } from "./_components/group-picker";
import { CredentialsForm } from "./_components/credentials-form";
import { ScheduleForm } from "./_components/schedule-form";
import { NextSyncs } from "../_components/next-syncs";
import { ActiveRunBox } from "../_components/run-progress";

export const metadata: Metadata = { title: "Connector" };

export default async function ConnectorPage({ params }: { params: Promise<{ platformId: string }> }) {
  const { platformId } = await params;
  const user = await requirePlatformAccess(platformId);
  const isCsm = user.role === "CSM";
  const [connector, tree, active, schedule, lastMove] = await Promise.all([
    getConnectorSettings(platformId),
    isCsm ? getGroupTree(platformId) : Promise.resolve(null),
    getActiveRuns(platformId),
    getScheduleSettings(platformId),
    getLastGroupMove(platformId),
  ]);
  const now = new Date();
  const activeCatalogue = active.CATALOGUE ? await getSyncRunProgress(platformId, active.CATALOGUE.id) : null;

  return (
    <main className="space-y-8">
      <header>
        <h1 className="text-2xl font-semibold">Coursera connector</h1>
        <p className="mt-1 text-sm text-slate-600">
          {connector?.enabled ? (
            <>
              <Badge tone="success">Enabled</Badge> on <strong>{connector.syncGroup?.name ?? "no group"}</strong> since{" "}
              {formatDateTime(connector.enabledAt)}
            </>
          ) : (
            <Badge>Disabled</Badge>
          )}
        </p>
      </header>

      <section aria-labelledby="setup-heading" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="setup-heading" className="text-lg font-medium">
          Activation and synchronized group
        </h2>
        {lastMove && (
          <div
            className="mt-3 flex flex-wrap items-center justify-between gap-3 rounded-md border border-slate-200 bg-slate-50 p-3 text-sm"
            data-testid="last-group-move"
          >
            <p>
              Last move: from <strong>{lastMove.fromGroup?.name ?? "no group"}</strong> to <strong>{lastMove.toGroup.name}</strong>,{" "}
              <time dateTime={lastMove.at.toISOString()} title={formatDateTime(lastMove.at)}>
                {formatAge(lastMove.at, now)}
              </time>
              {lastMove.actorEmail && ` by ${lastMove.actorEmail}`}.
              {isCsm && (
                <span className="block text-xs text-slate-600">
                  {lastMove.undoUntil ? `It can be undone until ${formatDateTime(lastMove.undoUntil)}.` : lastMove.reason}
                </span>
              )}
            </p>
            {isCsm && lastMove.undoUntil && <UndoGroupMoveButton platformId={platformId} auditId={lastMove.auditId} />}
          </div>
        )}
        {isCsm && tree ? (
          <GroupPicker
            platformId={platformId}
            tree={tree}
            enabled={connector?.enabled ?? false}
            currentGroupId={connector?.syncGroupId ?? null}
          />
        ) : (
          <p className="mt-2 text-sm text-slate-700">
            {connector?.enabled
              ? `Coursera courses are visible in ${connector.syncGroup?.name ?? "no group yet"} and its public subgroups. Your customer success manager changes this.`
              : "Your customer success manager enables the connector and chooses the group that receives the Coursera courses."}
          </p>
        )}
      </section>

      <section aria-labelledby="credentials-heading" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="credentials-heading" className="text-lg font-medium">
          Coursera credentials
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          From Coursera for Business: the organisation id (Admin → Settings) and an API client id and secret. The secret is stored encrypted
          and never shown again.
          {connector?.credentialsUpdatedAt && ` Last changed ${formatDateTime(connector.credentialsUpdatedAt)}.`}
        </p>
        <CredentialsForm
          platformId={platformId}
          current={{
            orgId: connector?.orgId ?? "",
            clientId: connector?.clientId ?? "",
            secretSet: connector?.secretSet ?? false,
            secretLast4: connector?.clientSecretLast4 ?? null,
          }}
          enabled={connector?.enabled ?? false}
        />
        {activeCatalogue && <ActiveRunBox platformId={platformId} runId={activeCatalogue.id} initial={activeCatalogue} />}
        <p className="mt-4 text-sm">
          <Link href={`/p/${platformId}/syncs`} className="text-brand-700 underline">
            Sync history
          </Link>
        </p>
      </section>

      {connector && (
        <section aria-labelledby="import-heading" className="rounded-lg border border-slate-200 bg-white p-5">
          <h2 id="import-heading" className="text-lg font-medium">
            What is imported
          </h2>
          <p className="mt-1 text-sm text-slate-700" data-testid="import-summary">
            {importSummary(connector)}
          </p>
          <p className="mt-3 text-sm">
            <Link href={`/p/${platformId}/connector/import`} className="text-brand-700 underline">
              Choose programs, content types and languages
            </Link>
          </p>
        </section>
      )}

      <section aria-labelledby="schedule-heading" className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 id="schedule-heading" className="text-lg font-medium">
          Sync schedule
        </h2>
        {schedule ? (
          <>
            <p className="mt-1 text-sm text-slate-600">
              Both syncs run daily at a time of your choosing, in your time zone. &ldquo;Sync now&rdquo; in the sync history runs one at any
              time.
            </p>
            <div className="mt-4">
              <NextSyncs next={schedule.next} />
            </div>
            <ScheduleForm
              platformId={platformId}
              platformTimeZone={schedule.platformTimeZone}
              timeZones={timeZoneNames()}
              current={{
                timeZone: schedule.timeZone ?? "",
                catalogueTime: schedule.catalogueTime ?? "",
                statisticsTime: schedule.statisticsTime ?? "",
                staleAfterHours: String(schedule.staleAfterHours),
              }}
            />
          </>
        ) : (
          <p className="mt-2 text-sm text-slate-700">The schedule can be chosen once customer success has enabled the connector.</p>
        )}
      </section>
    </main>
  );
}

/** "Everything …", or what each kind is narrowed to, in words. */
function importSummary(c: { importProgramIds: string[]; importContentTypes: string[]; importLanguages: string[] }): string {
  const narrowed = [
    c.importProgramIds.length > 0 && `${c.importProgramIds.length} program${c.importProgramIds.length === 1 ? "" : "s"}`,
    c.importContentTypes.length > 0 && c.importContentTypes.map(formatContentType).join(", "),
    c.importLanguages.length > 0 && c.importLanguages.map(formatLanguage).join(", "),
  ].filter(Boolean);
  return narrowed.length === 0
    ? "Everything Coursera offers your organisation: every program, content type and language."
    : `Only: ${narrowed.join("; ")}.`;
}
