"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The platform's sections. */
export function PlatformNav({ platformId }: { platformId: string }) {
  const pathname = usePathname();
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
  return (
    <nav aria-label="Platform" className="md:w-52 md:shrink-0">
      <ul className="flex gap-1 overflow-x-auto md:flex-col">
        {items.map((item) => {
          const active = item.href === base ? pathname === base : pathname.startsWith(item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={active ? "page" : undefined}
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
