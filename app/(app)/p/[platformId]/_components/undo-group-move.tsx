"use client";

import { useState } from "react";
import { Button } from "@/components/button";
import { GroupMoveDialog, type GroupMoveRequest } from "./group-move-dialog";

/** The "Undo" of the last move of the synchronized group: opens the summary of what undoing changes, then confirms. */
export function UndoGroupMoveButton({
  platformId,
  auditId,
  label = "Undo this move",
}: {
  platformId: string;
  auditId: string;
  label?: string;
}) {
  const [request, setRequest] = useState<GroupMoveRequest | null>(null);
  return (
    <>
      <Button variant="secondary" onClick={() => setRequest({ kind: "undo", auditId })}>
        {label}
      </Button>
      <GroupMoveDialog platformId={platformId} request={request} onClose={() => setRequest(null)} />
    </>
  );
}
