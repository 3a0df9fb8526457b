import "server-only";
/**
 * Read-ahead of the next Coursera page while the current one is written (the
 * catalogue and the statistics syncs).
 *
 * Fetching a page is work for this process (HTTP, JSON, validation) while
 * writing one is work for PostgreSQL, so overlapping them nearly halves a
 * long sync. Pages are still read by Inngest steps (lib/sync/page-step.ts):
 * the next step takes the page fetched ahead when it runs in the same process
 * (the in-process runner), and simply fetches it itself otherwise (a serverless
 * Inngest invocation, a retry, a restart). A failed read-ahead is forgotten:
 * the step fetches again and reports the failure itself. At most a few pages
 * are held, briefly.
 */

const MAX_ENTRIES = 4;
const MAX_AGE_MS = 2 * 60_000;

interface Entry<T> {
  promise: Promise<T | null>;
  at: number;
}

const entries = new Map<string, Entry<unknown>>();

export function startReadAhead<T>(key: string, fetch: () => Promise<T>): void {
  if (entries.has(key)) return;
  while (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  entries.set(key, { promise: fetch().catch(() => null), at: Date.now() });
}

/** The page fetched ahead under `key`, or null (none, too old, or its fetch failed). */
export async function takeReadAhead<T>(key: string): Promise<T | null> {
  const entry = entries.get(key) as Entry<T> | undefined;
  if (!entry) return null;
  entries.delete(key);
  if (Date.now() - entry.at > MAX_AGE_MS) return null;
  return entry.promise;
}

/** Drops what is held for a run (it finished or failed). */
export function dropReadAhead(prefix: string): void {
  for (const key of [...entries.keys()]) if (key.startsWith(prefix)) entries.delete(key);
}
