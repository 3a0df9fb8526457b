"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** The learner's sections. A course page belongs to the catalogue, a session page to "My sessions". */
export function LearnerNav() {
  const pathname = usePathname();
  const items = [
    { href: "/learn", label: "Catalogue", active: pathname === "/learn" || pathname.startsWith("/learn/courses") },
    { href: "/learn/sessions", label: "My sessions", active: pathname.startsWith("/learn/sessions") },
  ];
  return (
    <nav aria-label="Learning" className="border-b border-slate-200 bg-white">
      <ul className="mx-auto flex max-w-5xl gap-1 overflow-x-auto px-4">
        {items.map((item) => (
          <li key={item.href}>
            <Link
              href={item.href}
              aria-current={item.active ? "page" : undefined}
              className={`block whitespace-nowrap border-b-2 px-3 py-3 text-sm ${item.active ? "border-brand-600 font-medium text-brand-800" : "border-transparent text-slate-700 hover:text-brand-700"}`}
            >
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
