"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { Dialog } from "@/components/dialog";
import { decideHeldRetirementsAction } from "../actions";

/** The admin's decision on a mass retirement the sync held back. */
export function HeldRetirements({ platformId, runId, held }: { platformId: string; runId: string; held: number }) {
  const [decision, setDecision] = useState<"apply" | "dismiss" | null>(null);
  const [pending, startTransition] = useTransition();
  function decide() {
    if (!decision) return;
    startTransition(async () => {
      const result = await decideHeldRetirementsAction(platformId, { runId, decision });
      setDecision(null);
      if (result.ok) toast.success(decision === "apply" ? `${result.retired} course(s) retired.` : "Nothing was retired.");
      else toast.error(result.message);
    });
  }
  return (
    <div className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm">
      <p className="font-medium text-amber-900">
        {held} course{held === 1 ? "" : "s"} vanished from Coursera&apos;s catalogue at once; their retirement is waiting for your decision.
      </p>
      <div className="mt-3 flex gap-3">
        <Button variant="danger" onClick={() => setDecision("apply")} disabled={pending}>
          Retire them
        </Button>
        <Button variant="secondary" onClick={() => setDecision("dismiss")} disabled={pending}>
          Keep them
        </Button>
      </div>
      <Dialog
        open={decision !== null}
        onOpenChange={(open) => !open && setDecision(null)}
        title={decision === "apply" ? `Retire ${held} course(s)?` : "Keep every course?"}
        description={
          decision === "apply"
            ? "Retired courses disappear from learners' catalogue. Statistics, skills and programs keep them; a course that comes back is restored."
            : "Nothing is retired. The next sync reads the catalogue again."
        }
      >
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={() => setDecision(null)}>
            Cancel
          </Button>
          <Button variant={decision === "apply" ? "danger" : "primary"} onClick={decide} disabled={pending}>
            {decision === "apply" ? "Retire them" : "Keep them"}
          </Button>
        </div>
      </Dialog>
    </div>
  );
}
