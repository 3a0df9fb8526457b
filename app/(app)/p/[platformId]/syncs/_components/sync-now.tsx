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
}: {
  platformId: string;
  kind: "CATALOGUE" | "STATISTICS";
  running: boolean;
  ready: boolean;
}) {
  const [pending, startTransition] = useTransition();
  const router = useRouter();
  const queryClient = useQueryClient();
  const noun = kind === "CATALOGUE" ? "Catalogue" : "Statistics";
  const label = kind === "CATALOGUE" ? "Sync catalogue now" : "Sync statistics now";
  return (
    <Button
      variant="secondary"
      disabled={running || pending || !ready}
      aria-describedby={running ? `${kind}-running` : undefined}
      onClick={() =>
        startTransition(async () => {
          const result = await syncNowAction(platformId, { kind });
          if (!result.ok) {
            toast.error(result.message);
            return;
          }
          // A run already going may have moved on since this page last read it.
          await queryClient.invalidateQueries({ queryKey: ["sync-run", platformId, result.runId] });
          toast.success(
            result.alreadyRunning
              ? `A ${noun.toLowerCase()} sync is already running: its row is at the top of the history.`
              : `${noun} sync queued: its progress is at the top of the history.`,
            { action: { label: "View run", onClick: () => router.push(`/p/${platformId}/syncs/${result.runId}`) } },
          );
        })
      }
    >
      {pending ? "Starting…" : label}
      {running && (
        <span id={`${kind}-running`} className="sr-only">
          (a run is in progress)
        </span>
      )}
    </Button>
  );
}
