"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { Dialog } from "@/components/dialog";
import { dismissIdentityAction, linkIdentityAction } from "../actions";
import { UserCombobox, type PlatformUser } from "./user-combobox";

async function fetchUsers(platformId: string, q: string): Promise<PlatformUser[]> {
  const response = await fetch(`/api/platforms/${platformId}/users?q=${encodeURIComponent(q)}`, { cache: "no-store" });
  if (!response.ok) return [];
  return (await response.json()).users;
}

/** "Link to a user" and "Dismiss" for one unmatched Coursera identity. */
export function IdentityActions({
  platformId,
  identityKey,
  label,
  suggestion,
}: {
  platformId: string;
  identityKey: string;
  label: string;
  suggestion: string;
}) {
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState(suggestion);
  const [chosen, setChosen] = useState<PlatformUser | null>(null);
  const [pending, startTransition] = useTransition();
  const deferred = useDeferredValue(q);
  const users = useQuery({
    queryKey: ["users", platformId, deferred],
    queryFn: () => fetchUsers(platformId, deferred),
    enabled: open,
    // The list stays while the next search runs, so that it does not flicker at every key.
    placeholderData: keepPreviousData,
  });

  function link() {
    if (!chosen) return;
    startTransition(async () => {
      const result = await linkIdentityAction(platformId, { identityKey, userId: chosen.id });
      if (!result.ok) {
        toast.error(result.message);
        return;
      }
      setOpen(false);
      toast.success(
        `Linked. ${result.applied} record${result.applied === 1 ? "" : "s"} applied${result.stillHeld ? `, ${result.stillHeld} waiting for their course` : ""}.`,
      );
    });
  }

  function dismiss() {
    startTransition(async () => {
      const result = await dismissIdentityAction(platformId, { identityKey });
      if (result.ok) toast.success("Dismissed.");
      else toast.error(result.message);
    });
  }

  return (
    <div className="flex flex-nowrap justify-end gap-2 whitespace-nowrap">
      <Button variant="secondary" onClick={() => setOpen(true)} aria-label={`Link ${label} to a user`}>
        Link to a user
      </Button>
      <Button variant="ghost" onClick={dismiss} disabled={pending} aria-label={`Dismiss ${label}`}>
        Dismiss
      </Button>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Link ${label}`}
        description="Future syncs match this Coursera identity to the user directly; held statistics are applied now."
      >
        <div className="space-y-3">
          <UserCombobox
            query={q}
            onQueryChange={setQ}
            users={users.data}
            searching={users.isFetching}
            chosen={chosen}
            onChoose={setChosen}
          />
          <div className="flex justify-end gap-3">
            <Button variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button onClick={link} disabled={!chosen || pending}>
              {pending ? "Linking…" : "Link"}
            </Button>
          </div>
        </div>
      </Dialog>
    </div>
  );
}
