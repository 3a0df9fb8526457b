"use client";

import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/button";
import { formatDateTime } from "@/components/format";

export interface LockedAccountRow {
  userId: string;
  email: string;
  name: string;
  failures: number;
  lockedUntil: Date | null;
  paused: boolean;
}

/**
 * Accounts whose sign-in is paused after too many failed attempts, each with
 * an Unlock button (the page passes the server action, bound to its platform).
 */
export function LockedAccounts({
  accounts,
  unlock,
}: {
  accounts: LockedAccountRow[];
  unlock: (input: { userId: string }) => Promise<{ ok: true; unlocked: boolean } | { ok: false; message: string }>;
}) {
  const [rows, setRows] = useState(accounts);
  const [pending, startTransition] = useTransition();
  if (rows.length === 0) return <p className="mt-2 text-sm text-slate-600">No account is locked.</p>;
  return (
    <ul className="mt-3 divide-y divide-slate-100 text-sm">
      {rows.map((account) => (
        <li key={account.userId} className="flex flex-wrap items-center gap-3 py-2">
          <span className="font-medium">{account.name}</span>
          <span className="text-slate-600">{account.email}</span>
          <span className="text-slate-600">
            {account.failures} failed attempts
            {account.paused && account.lockedUntil
              ? ` · paused until ${formatDateTime(account.lockedUntil)}`
              : " · the next failure pauses sign-in"}
          </span>
          <Button
            variant="secondary"
            disabled={pending}
            aria-label={`Unlock ${account.email}`}
            onClick={() =>
              startTransition(async () => {
                const result = await unlock({ userId: account.userId });
                if (!result.ok) {
                  toast.error(result.message);
                  return;
                }
                setRows((current) => current.filter((r) => r.userId !== account.userId));
                toast.success(`${account.email} can sign in again.`);
              })
            }
          >
            {pending ? "Unlocking…" : "Unlock"}
          </Button>
        </li>
      ))}
    </ul>
  );
}
