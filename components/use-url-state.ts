"use client";

import { useIsFetching } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useRef, useState, useTransition } from "react";

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

/**
 * Set around a table whose rows come from a route handler through TanStack
 * Query (the key names its queries): its controls then change the URL in
 * place (history.pushState, which Next's router follows: useSearchParams
 * changes, back and forward restore it) instead of asking the server to render
 * the page again, and they are busy while those queries fetch.
 */
export const UrlStateQueryContext = createContext<{ queryKey: readonly unknown[] } | null>(null);
// A key no query has: useIsFetching is a hook, called whether or not a table query serves the state.
const NO_QUERY = ["url-state: no query"] as const;

/** How long the search box waits after the last key: a page render is dearer than a page of JSON. */
const SEARCH_DEBOUNCE_MS = { render: 300, query: 150 } as const;

export function useUrlState() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [navigating, startTransition] = useTransition();
  const served = useContext(UrlStateQueryContext);
  const fetching = useIsFetching({ queryKey: served?.queryKey ?? NO_QUERY }) > 0;
  const pending = served ? fetching : navigating;
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
      const href = query ? `${pathname}?${query}` : pathname;
      if (served) window.history.pushState(null, "", href);
      else startTransition(() => router.push(href, { scroll: false }));
    },
    [pathname, router, current, served],
  );

  return { searchParams, setParams, pending, searchDebounceMs: served ? SEARCH_DEBOUNCE_MS.query : SEARCH_DEBOUNCE_MS.render };
}

/**
 * The `q` search box of a table page: the text being typed, pushed to the URL
 * a beat after the last key (300 ms when the server renders the page, 150 ms
 * when a query fetches JSON), never on mount. Takes the page's useUrlState()
 * so the box and the other filters share one navigation.
 */
export function useUrlSearch({ searchParams, setParams, searchDebounceMs }: ReturnType<typeof useUrlState>): [string, (q: string) => void] {
  const [q, setQ] = useState(searchParams.get("q") ?? "");
  const first = useRef(true);
  // Back and forward bring an earlier search back: the box shows it, and that is no new search to push.
  const fromHistory = useRef(false);
  useEffect(() => {
    const onPopState = () => {
      const restored = new URLSearchParams(window.location.search).get("q") ?? "";
      setQ((typed) => {
        if (typed !== restored) fromHistory.current = true;
        return restored;
      });
    };
    window.addEventListener("popstate", onPopState);
    return () => window.removeEventListener("popstate", onPopState);
  }, []);
  useEffect(() => {
    if (first.current || fromHistory.current) {
      first.current = false;
      fromHistory.current = false;
      return;
    }
    const t = setTimeout(() => {
      if ((searchParams.get("q") ?? "") !== q.trim()) setParams({ q: q.trim() || null });
    }, searchDebounceMs);
    return () => clearTimeout(t);
  }, [q]); // eslint-disable-line react-hooks/exhaustive-deps
  return [q, setQ];
}
