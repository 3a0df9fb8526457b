"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { Dialog } from "@/components/dialog";
import { formatCount, formatNumber } from "@/components/format";
import type { GroupMoveImpact, ImpactGroup } from "@/lib/connectors/queries";
import { moveSyncGroupAction, undoSyncGroupMoveAction } from "../connector/actions";

/** A move to `groupId`, or the undo of the move recorded in audit entry `auditId`. */
export type GroupMoveRequest = { kind: "move"; groupId: string } | { kind: "undo"; auditId: string };

const SHOWN = 12;

async function fetchImpact(platformId: string, request: GroupMoveRequest): Promise<GroupMoveImpact> {
  const query = request.kind === "move" ? `groupId=${encodeURIComponent(request.groupId)}` : `undo=${encodeURIComponent(request.auditId)}`;
  const response = await fetch(`/api/platforms/${platformId}/groups/move-impact?${query}`, { cache: "no-store" });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(typeof body.message === "string" ? body.message : "The summary could not be loaded.");
  return body.impact;
}

function GroupList({ groups, pathOf, testId }: { groups: ImpactGroup[]; pathOf?: (id: string) => string | null; testId: string }) {
  const [all, setAll] = useState(false);
  const shown = all ? groups : groups.slice(0, SHOWN);
  return (
    <>
      <ul className="mt-1 max-h-40 space-y-0.5 overflow-auto text-sm" data-testid={testId}>
        {shown.map((g) => (
          <li key={g.id}>{pathOf?.(g.id) ?? g.name}</li>
        ))}
      </ul>
      {groups.length > SHOWN && !all && (
        <button type="button" className="mt-1 text-xs text-brand-700 underline" onClick={() => setAll(true)}>
          Show all {formatNumber(groups.length)} groups
        </button>
      )}
    </>
  );
}

/**
 * The confirmation of a move (or of its undo): what changes, computed on the
 * server — the groups that gain and lose the Coursera courses, the learners
 * who lose access and how many of them are in the middle of a Coursera course
 * — then confirm. The server checks the impact again when it is confirmed; if
 * the tree changed meanwhile, the new impact replaces this one and says so.
 */
export function GroupMoveDialog({
  platformId,
  request,
  onClose,
  pathOf,
}: {
  platformId: string;
  request: GroupMoveRequest | null;
  onClose: () => void;
  pathOf?: (id: string) => string | null;
}) {
  const queryClient = useQueryClient();
  const [changedNotice, setChangedNotice] = useState(false);
  const [pending, startTransition] = useTransition();
  const queryKey = ["group-move-impact", platformId, request];
  const impact = useQuery({
    queryKey,
    queryFn: () => fetchImpact(platformId, request!),
    enabled: request !== null,
    staleTime: 0,
    retry: false,
  });
  const data = impact.data;
  const undo = request?.kind === "undo";

  function close() {
    setChangedNotice(false);
    onClose();
  }

  function confirm() {
    if (!request || !data) return;
    startTransition(async () => {
      const result =
        request.kind === "move"
          ? await moveSyncGroupAction(platformId, { groupId: request.groupId, impact: data.fingerprint })
          : await undoSyncGroupMoveAction(platformId, { auditId: request.auditId, impact: data.fingerprint });
      if (result.ok) {
        close();
        toast.success(
          undo
            ? `Move undone: Coursera courses go to ${data.toGroup.name} again.`
            : `Coursera courses now go to ${data.toGroup.name}. You can undo this move on the connector page.`,
        );
        return;
      }
      if (result.code === "IMPACT_CHANGED" && "impact" in result) {
        queryClient.setQueryData(queryKey, result.impact);
        setChangedNotice(true);
        return;
      }
      toast.error(result.message);
    });
  }

  const title = undo ? "Undo the last move of the synchronized group?" : "Move the synchronized group?";
  const description = data
    ? `Coursera courses will go to ${data.toGroup.name} and its public subgroups${data.fromGroup ? ` instead of ${data.fromGroup.name}` : ""}.`
    : "What changes for the platform's groups and learners.";

  return (
    <Dialog open={request !== null} onOpenChange={(open) => !open && close()} title={title} description={description}>
      <div className="space-y-4 text-sm" aria-busy={impact.isFetching}>
        {impact.isLoading && (
          <div className="space-y-2" data-testid="impact-loading">
            <p className="sr-only">Computing what changes…</p>
            <div className="h-4 w-2/3 animate-pulse rounded bg-slate-200" />
            <div className="h-4 w-1/2 animate-pulse rounded bg-slate-200" />
            <div className="h-4 w-3/4 animate-pulse rounded bg-slate-200" />
          </div>
        )}
        {impact.isError && (
          <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-red-800">
            {impact.error.message}
          </p>
        )}
        {changedNotice && (
          <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-900" data-testid="impact-changed">
            <strong>The impact changed</strong> since you opened this summary: the group tree or its members changed. Nothing was moved.
            Review the new numbers below, then confirm again.
          </p>
        )}
        {data && (
          <div data-testid="move-impact" className="space-y-4">
            {!data.enabled && (
              <p className="rounded-md bg-slate-50 p-3 text-slate-700">
                The connector is disabled: Coursera courses are visible in no group until it is enabled again.
              </p>
            )}
            <dl className="grid gap-3 sm:grid-cols-2">
              <div className="rounded-md border border-emerald-200 bg-emerald-50 p-3">
                <dt className="font-medium text-emerald-900">Groups that gain the courses: {formatNumber(data.gaining.length)}</dt>
                <dd>{data.gaining.length > 0 ? <GroupList groups={data.gaining} pathOf={pathOf} testId="groups-gaining" /> : "None"}</dd>
              </div>
              <div className="rounded-md border border-red-200 bg-red-50 p-3">
                <dt className="font-medium text-red-900">Groups that lose the courses: {formatNumber(data.losing.length)}</dt>
                <dd>{data.losing.length > 0 ? <GroupList groups={data.losing} pathOf={pathOf} testId="groups-losing" /> : "None"}</dd>
              </div>
            </dl>
            <ul className="space-y-1" data-testid="learner-impact">
              <li>
                <strong data-testid="learners-losing">{formatCount(data.learnersLosing, "learner loses", "learners lose")}</strong> access
                to the Coursera courses
                {data.learnersLosing > 0 && (
                  <>
                    {", "}
                    <strong data-testid="learners-in-progress" className={data.learnersLosingInProgress > 0 ? "text-red-800" : undefined}>
                      {formatNumber(data.learnersLosingInProgress)} of them with a course in progress
                    </strong>
                  </>
                )}
                .
              </li>
              <li data-testid="learners-gaining">{formatCount(data.learnersGaining, "learner gains", "learners gain")} access.</li>
            </ul>
            {data.learnersLosingInProgress > 0 && (
              <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-900">
                <span aria-hidden="true">⚠ </span>
                Learners in the middle of a course lose the link to it on the platform; their progress stays on Coursera and comes back if
                the group is moved back.
              </p>
            )}
          </div>
        )}
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={close}>
            Cancel
          </Button>
          <Button onClick={confirm} disabled={!data || pending || impact.isFetching}>
            {undo ? "Undo the move" : data ? `Move to ${data.toGroup.name}` : "Move"}
          </Button>
        </div>
      </div>
    </Dialog>
  );
}
