"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { syncNowAction } from "../actions";

/**
 * "Sync now" for one kind; disabled while a run of that kind is queued or
 * running. The admin stays on the history: the action opens the run (QUEUED)
 * before it answers and revalidates the page, so the new row arrives with the
 * answer, and its live cells poll its progress from there.
 */
export function SyncNowButton({
  platformId,
  kind,
  running,
  ready,
  dryRun = false,
}: {
  platformId: string;
  kind: "CATALOGUE" | "STATISTICS";
  running: boolean;
  ready: boolean;
  /** The catalogue's dry run: what a sync would change, nothing written. */
  dryRun?: boolean;
}) {
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  const queryClient = useQueryClient();
  const noun = dryRun ? "Catalogue dry run" : kind === "CATALOGUE" ? "Catalogue sync" : "Statistics sync";
  const label = dryRun ? "Preview the next catalogue sync" : kind === "CATALOGUE" ? "Sync catalogue now" : "Sync statistics now";
  const id = `${kind}${dryRun ? "-dry" : ""}-running`;
  return (
    <Button
      variant="secondary"
      disabled={running || pending || !ready}
      aria-describedby={running ? id : undefined}
      onClick={() =>
        startTransition(async () => {
          const result = await syncNowAction(platformId, { kind, dryRun });
          if (!result.ok) {
            toast.error(result.message);
            return;
          }
          // A run already going may have moved on since this page last read it.
          await queryClient.invalidateQueries({ queryKey: ["sync-run", platformId, result.runId] });
          toast.success(
            result.alreadyRunning
              ? `A ${kind === "CATALOGUE" ? "catalogue" : "statistics"} run is already going: its row is at the top of the history.`
              : `${noun} queued: its progress is at the top of the history.`,
            { action: { label: "View run", onClick: () => router.push(`/p/${platformId}/syncs/${result.runId}`) } },
          );
        })
      }
    >
      {pending ? "Starting…" : label}
      {running && (
        <span id={id} className="sr-only">
          (a run is in progress)
        </span>
      )}
    </Button>
  );
}
