"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";

export const UNREAD_QUERY_KEY = ["notifications", "unread"] as const;

async function fetchUnread(): Promise<number> {
  const response = await fetch("/api/notifications", { cache: "no-store" });
  if (!response.ok) throw new Error(`notifications ${response.status}`);
  return ((await response.json()) as { unread: number }).unread;
}

/** The header's bell: the unread count, kept fresh every minute (and when a notification is marked read). */
export function NotificationBell({ initialUnread }: { initialUnread?: number }) {
  const { data: unread } = useQuery({
    queryKey: UNREAD_QUERY_KEY,
    queryFn: fetchUnread,
    initialData: initialUnread,
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
  });
  const count = unread ?? 0;
  const label = count === 0 ? "Notifications, none unread" : `Notifications, ${count} unread`;
  return (
    <Link
      href="/notifications"
      aria-label={label}
      title={label}
      data-testid="notification-bell"
      data-unread={count}
      className="relative inline-flex h-9 w-9 items-center justify-center rounded-full text-slate-700 hover:bg-slate-100 hover:text-brand-700"
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="1.8">
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinecap="round" strokeLinejoin="round" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      {count > 0 && (
        <span className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-semibold leading-5 text-white">
          {count > 99 ? "99+" : count}
        </span>
      )}
    </Link>
  );
}
