"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";

/** Typing pauses this long before the results follow: one request per pause, not per key. */
const DEBOUNCE_MS = 200;

/**
 * The catalogue's search box: results follow as the learner types (the URL is
 * replaced, so the server renders the new page and the back button is not
 * flooded). Without JavaScript it is a plain field of the GET form around it.
 */
export function LiveSearchInput({ defaultValue }: { defaultValue: string }) {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [value, setValue] = useState(defaultValue);
  const [pending, startTransition] = useTransition();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => () => clearTimeout(timer.current), []);
  // A new query from elsewhere (Did you mean, Clear, back button) replaces the text, but never
  // under the learner's fingers: while they type, the page catching up must not move the caret.
  useEffect(() => {
    if (document.activeElement !== input.current) setValue(defaultValue);
  }, [defaultValue]);

  function onChange(next: string) {
    setValue(next);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const params = new URLSearchParams(searchParams.toString());
      if (next.trim()) params.set("q", next);
      else params.delete("q");
      params.delete("page"); // new words: back to the first page
      const query = params.toString();
      startTransition(() => router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false }));
    }, DEBOUNCE_MS);
  }

  return (
    <div className="relative mt-1">
      <input
        ref={input}
        id="catalogue-q"
        type="search"
        name="q"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        maxLength={200}
        autoComplete="off"
        placeholder="Title, skill, partner or topic"
        aria-describedby="catalogue-q-hint"
        className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm focus:border-brand-600"
      />
      {pending && (
        <span className="pointer-events-none absolute inset-y-0 right-8 flex items-center text-xs text-slate-500" aria-hidden="true">
          Searching…
        </span>
      )}
    </div>
  );
}
