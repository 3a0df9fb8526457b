"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId, useState } from "react";

/**
 * The platform's sections: a column beside the page from the md breakpoint up; on a phone, one
 * "Sections" button naming the current section, which unfolds the full list (no tab is ever cut off
 * at the screen's edge). Choosing a section folds it again.
 */
export function PlatformNav({ platformId }: { platformId: string }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const [openedAt, setOpenedAt] = useState(pathname);
  // Arriving on another section folds the phone menu.
  if (openedAt !== pathname) {
    setOpenedAt(pathname);
    setOpen(false);
  }
  const listId = useId();
  const base = `/p/${platformId}`;
  const items = [
    { href: base, label: "Overview" },
    { href: `${base}/connector`, label: "Connector" },
    { href: `${base}/courses`, label: "Courses" },
    { href: `${base}/syncs`, label: "Sync history" },
    { href: `${base}/statistics`, label: "Learner statistics" },
    { href: `${base}/unmatched`, label: "Unmatched learners" },
    { href: `${base}/audit`, label: "Audit log" },
  ];
  const isActive = (href: string) => (href === base ? pathname === base : pathname.startsWith(href));
  const current = items.find((item) => isActive(item.href));
  return (
    <nav aria-label="Platform" className="md:w-52 md:shrink-0">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((v) => !v)}
        className="flex w-full items-center justify-between rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-800 md:hidden"
      >
        <span>
          Sections<span className="font-normal text-slate-600">{current ? `: ${current.label}` : ""}</span>
        </span>
        <span aria-hidden="true">{open ? "▴" : "▾"}</span>
      </button>
      <ul
        id={listId}
        className={`${open ? "mt-2 flex rounded-md border border-slate-200 bg-white p-1" : "hidden"} flex-col gap-1 md:mt-0 md:flex md:border-0 md:bg-transparent md:p-0`}
      >
        {items.map((item) => {
          const active = isActive(item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
                onClick={() => setOpen(false)}
                className={`block whitespace-nowrap rounded-md px-3 py-2 text-sm ${active ? "bg-brand-50 font-medium text-brand-800" : "text-slate-700 hover:bg-slate-100"}`}
              >
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
