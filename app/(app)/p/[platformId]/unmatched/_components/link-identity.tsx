"use client";

import { useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { Dialog } from "@/components/dialog";
import { dismissIdentityAction, linkIdentityAction } from "../actions";

type User = { id: string; name: string; email: string; role: string };

async function fetchUsers(platformId: string, q: string): Promise<User[]> {
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
  const [chosen, setChosen] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const deferred = useDeferredValue(q);
  const id = useId();
  const users = useQuery({ queryKey: ["users", platformId, deferred], queryFn: () => fetchUsers(platformId, deferred), enabled: open });

  function link() {
    if (!chosen) return;
    startTransition(async () => {
      const result = await linkIdentityAction(platformId, { identityKey, userId: chosen });
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
    <div className="flex flex-wrap gap-2">
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
          <label htmlFor={id} className="block text-sm font-medium text-slate-800">
            Find a user
          </label>
          <input
            id={id}
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
          />
          <fieldset>
            <legend className="sr-only">Users</legend>
            <ul className="max-h-60 space-y-1 overflow-auto">
              {(users.data ?? []).map((u) => (
                <li key={u.id}>
                  <label className="flex cursor-pointer items-center gap-2 rounded px-2 py-1 text-sm hover:bg-slate-50">
                    <input type="radio" name={`${id}-user`} value={u.id} checked={chosen === u.id} onChange={() => setChosen(u.id)} />
                    <span>
                      {u.name} <span className="text-slate-600">({u.email})</span>
                    </span>
                  </label>
                </li>
              ))}
              {users.data?.length === 0 && <li className="text-sm text-slate-600">No user matches.</li>}
            </ul>
          </fieldset>
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
