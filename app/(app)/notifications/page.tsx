import type { Metadata } from "next";
import Link from "next/link";
import { requireRole } from "@/lib/auth/session";
import { listNotifications } from "@/lib/alerts/queries";
import { Badge } from "@/components/badge";
import { formatDateTime } from "@/components/format";
import { Pagination } from "@/components/pagination";
import { MarkAllReadButton, MarkReadButton } from "./_components/notification-actions";

export const metadata: Metadata = { title: "Notifications" };

/** The signed-in admin's or CSM's alerts, newest first: what happened, on which platform, and the page that explains. */
export default async function NotificationsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const user = await requireRole("ADMIN", "CSM");
  const params = await searchParams;
  const unreadOnly = params.show === "unread";
  const page = Number.parseInt(typeof params.page === "string" ? params.page : "1", 10);
  const shownAt = new Date().toISOString();
  const list = await listNotifications(user.id, { unreadOnly, page: Number.isFinite(page) ? page : 1 });
  const anyUnread = list.rows.some((n) => !n.read);

  return (
    <main className="mx-auto max-w-4xl space-y-6 px-4 py-6">
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Notifications</h1>
          <p className="mt-1 text-sm text-slate-600">
            Alerts about the Coursera connector{user.role === "CSM" ? " of every platform" : ""}: failed syncs, refused credentials, syncs
            that need a review, stale connectors, and when each is resolved.{" "}
            <Link href="/settings/alerts" className="text-brand-700 underline">
              Choose which alerts you receive
            </Link>
          </p>
        </div>
        <MarkAllReadButton upTo={shownAt} disabled={!anyUnread} />
      </header>
      <nav aria-label="Filter" className="flex gap-2 text-sm">
        {[
          { href: "/notifications", label: "All", current: !unreadOnly },
          { href: "/notifications?show=unread", label: "Unread", current: unreadOnly },
        ].map((tab) => (
          <Link
            key={tab.label}
            href={tab.href}
            aria-current={tab.current ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 ${tab.current ? "bg-brand-50 font-medium text-brand-800" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      {list.rows.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-600">
          {unreadOnly ? "Nothing unread." : "No alerts yet. When something needs attention, it shows here and in your email."}
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Notifications">
          {list.rows.map((n) => (
            <li key={n.id} className={`space-y-1 p-4 ${n.read ? "" : "bg-brand-50/40"}`} data-testid="notification" data-read={n.read}>
              <div className="flex flex-wrap items-center gap-2 text-sm">
                {n.event === "RESOLVED" ? <Badge tone="success">Resolved</Badge> : <Badge tone="danger">Alert</Badge>}
                <span className={n.read ? "font-medium" : "font-semibold"}>{n.title}</span>
                <span className="text-slate-600">· {n.platformName}</span>
                <span className="text-slate-600">· {formatDateTime(n.createdAt)}</span>
                {!n.read && <span className="sr-only">(unread)</span>}
              </div>
              <p className="text-sm text-slate-700">{n.event === "RESOLVED" && n.resolution ? n.resolution : n.summary}</p>
              <div className="flex flex-wrap items-center gap-3 text-sm">
                <Link href={n.path} className="text-brand-700 underline">
                  {n.event === "RESOLVED" ? "See the details" : "See what happened and what to do"}
                </Link>
                {!n.read && <MarkReadButton notificationId={n.id} title={n.title} />}
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={list.page} pageSize={list.pageSize} total={list.total} label="notifications" />
    </main>
  );
}
