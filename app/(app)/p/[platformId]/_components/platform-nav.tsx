"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The platform's sections. Later pages add themselves here. */
export function PlatformNav({ platformId }: { platformId: string }) {
  const pathname = usePathname();
  const base = `/p/${platformId}`;
  const items = [{ href: base, label: "Overview" }];
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
                className={`block rounded-md px-3 py-2 text-sm ${active ? "bg-brand-50 font-medium text-brand-800" : "text-slate-700 hover:bg-slate-100"}`}
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
