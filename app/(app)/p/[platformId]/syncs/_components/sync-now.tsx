"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { syncNowAction } from "../actions";

/** "Sync now" for one kind; disabled while a run of that kind is queued or running. */
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
  const label = kind === "CATALOGUE" ? "Sync catalogue now" : "Sync statistics now";
  return (
    <Button
      variant="secondary"
      disabled={running || pending || !ready}
      aria-describedby={running ? `${kind}-running` : undefined}
      onClick={() =>
        startTransition(async () => {
          const result = await syncNowAction(platformId, { kind });
          if (!result.ok) toast.error(result.message);
          else {
            toast.success(
              result.alreadyRunning
                ? "A sync of this kind is already running."
                : `${kind === "CATALOGUE" ? "Catalogue" : "Statistics"} sync started.`,
            );
            router.push(`/p/${platformId}/syncs/${result.runId}`);
          }
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
