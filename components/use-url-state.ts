"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState, useTransition } from "react";

/**
 * Table state (page, sort, filters) lives in the URL's search params: the
 * server renders exactly what the URL says, and links, back and reload keep it.
 *
 * A navigation takes a moment to commit, and `useSearchParams` only changes
 * then: a second filter chosen in the meantime must build on the first, not on
 * the URL still shown. The last URL pushed is kept (shared by every table
 * control of the page) until the navigation to it commits.
 */
let lastPushed: { pathname: string; query: string; at: number } | null = null;
const PENDING_MS = 10_000;

export function useUrlState() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();
  const current = searchParams.toString();

  useEffect(() => {
    if (lastPushed && lastPushed.pathname === pathname && lastPushed.query === current) lastPushed = null;
  }, [pathname, current]);

  const setParams = useCallback(
    (updates: Record<string, string | null | undefined>, options: { resetPage?: boolean } = { resetPage: true }) => {
      const base = lastPushed && lastPushed.pathname === pathname && Date.now() - lastPushed.at < PENDING_MS ? lastPushed.query : current;
      const next = new URLSearchParams(base);
      for (const [key, value] of Object.entries(updates)) {
        if (value === null || value === undefined || value === "") next.delete(key);
        else next.set(key, value);
      }
      if (options.resetPage !== false && !("page" in updates)) next.delete("page");
      const query = next.toString();
      lastPushed = { pathname, query, at: Date.now() };
      startTransition(() => router.push(query ? `${pathname}?${query}` : pathname, { scroll: false }));
    },
    [pathname, router, current],
  );

  return { searchParams, setParams, pending };
}

/**
 * The `q` search box of a table page: the text being typed, pushed to the URL
 * a beat (300 ms) after the last key, never on mount. Takes the page's
 * useUrlState() so the box and the other filters share one navigation.
 */
export function useUrlSearch({ searchParams, setParams }: ReturnType<typeof useUrlState>): [string, (q: string) => void] {
  const [q, setQ] = useState(searchParams.get("q") ?? "");
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const t = setTimeout(() => {
      if ((searchParams.get("q") ?? "") !== q.trim()) setParams({ q: q.trim() || null });
    }, 300);
    return () => clearTimeout(t);
  }, [q]); // eslint-disable-line react-hooks/exhaustive-deps
  return [q, setQ];
}
