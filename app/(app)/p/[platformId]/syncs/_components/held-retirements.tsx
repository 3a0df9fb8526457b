"use client";

import Link from "next/link";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { Dialog } from "@/components/dialog";
import { decideHeldRetirementsAction } from "../actions";

/**
 * The admin's decision on a mass retirement the sync held back. The banner,
 * the dialog and the toasts name the two buttons by their words ("Retire
 * them", "Keep them"), so what is asked and what is clicked read the same.
 */
export function HeldRetirements({
  platformId,
  runId,
  held,
  bySelection,
}: {
  platformId: string;
  runId: string;
  held: number;
  /** The run's import selection left courses out: the drop is (at least partly) the admin's own choice, not Coursera's. */
  bySelection: boolean;
}) {
  const courses = `${held} course${held === 1 ? "" : "s"}`;
  const [decision, setDecision] = useState<"apply" | "dismiss" | null>(null);
  const [pending, startTransition] = useTransition();
  function decide() {
    if (!decision) return;
    startTransition(async () => {
      const result = await decideHeldRetirementsAction(platformId, { runId, decision });
      setDecision(null);
      if (result.ok)
        toast.success(
          decision === "apply"
            ? `${result.retired} course${result.retired === 1 ? "" : "s"} retired.`
            : `The ${courses} were kept: nothing was retired.`,
        );
      else toast.error(result.message);
    });
  }
  return (
    <section id="held-retirements" aria-labelledby="held-heading" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm">
      <h2 id="held-heading" className="font-medium text-amber-900">
        {bySelection ? `${courses} would leave the catalogue at once` : `${courses} vanished from Coursera's catalogue at once`}
      </h2>
      {bySelection ? (
        <p className="mt-1 text-amber-900" data-testid="held-explanation">
          The import selection leaves them out (the run&apos;s problems say how many Coursera itself stopped listing). That is more than one
          sync may retire on its own, so nothing was retired yet. <strong>Retire them</strong> if that is what you meant: they leave
          learners&apos; catalogue. <strong>Keep them</strong> and widen the selection on the{" "}
          <Link href={`/p/${platformId}/connector/import`} className="underline">
            What is imported
          </Link>{" "}
          page if not: otherwise the next sync holds them again.
        </p>
      ) : (
        <p className="mt-1 text-amber-900" data-testid="held-explanation">
          That is more than one sync may retire on its own, so nothing was retired yet. <strong>Retire them</strong> if Coursera really
          removed them: they leave learners&apos; catalogue. <strong>Keep them</strong> if it looks like a problem at Coursera: nothing is
          retired and the next sync checks again.
        </p>
      )}
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
        title={decision === "apply" ? `Retire the ${courses}?` : `Keep the ${courses}?`}
        description={
          decision === "apply"
            ? "Retired courses leave learners' catalogue. Statistics, skills and programs keep them; a course that comes back is restored."
            : "Nothing is retired. The next sync reads the catalogue again."
        }
      >
        <div className="flex justify-end gap-3">
          <Button variant="secondary" onClick={() => setDecision(null)}>
            Cancel
          </Button>
          <Button variant={decision === "apply" ? "danger" : "primary"} onClick={decide} disabled={pending}>
            {pending ? (decision === "apply" ? "Retiring…" : "Keeping…") : decision === "apply" ? "Retire them" : "Keep them"}
          </Button>
        </div>
      </Dialog>
    </section>
  );
}
