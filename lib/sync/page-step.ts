import "server-only";
import { dropReadAhead, startReadAhead, takeReadAhead } from "@/lib/sync/read-ahead";

/**
 * One step of a paged sync (catalogue or statistics): up to PAGES_PER_STEP
 * consecutive pages of a Coursera listing, each written in its own transaction.
 *
 * Reading a page is this process's work (HTTP, JSON, validation) and writing it
 * is PostgreSQL's, so the two are overlapped: the next page is fetched while
 * the previous one is being written, and its write starts as soon as it has
 * arrived, alongside the other one still running. With two writes in flight,
 * PostgreSQL works on two cores instead of one. The page after the step's last
 * is read ahead for the next step (lib/sync/read-ahead.ts).
 *
 * Each page's transaction records the page as written for the run (SyncRunPage),
 * so a step that fails after one of its pages committed is retried without
 * writing or counting that page twice. A step never returns, nor throws, while
 * one of its writes is still running.
 */

export const PAGES_PER_STEP = 2;

export interface ListingPage {
  /** The offset of the page after this one, or null at the end of the listing. */
  next: number | null;
}

export async function runPageStep<P extends ListingPage, C>(input: {
  /** Scopes the read-ahead: the run's id. */
  runId: string;
  start: number;
  fetch(start: number): Promise<P>;
  write(page: P, start: number): Promise<C>;
  pagesPerStep?: number;
}): Promise<{ next: number | null; counts: C[] }> {
  const pagesPerStep = input.pagesPerStep ?? PAGES_PER_STEP;
  const aheadKey = (start: number) => `${input.runId}:${start}`;
  const writes: Promise<C>[] = [];
  try {
    let start = input.start;
    let page = (await takeReadAhead<P>(aheadKey(start))) ?? (await input.fetch(start));
    for (;;) {
      const write = input.write(page, start);
      // Observed at once so that a write failing while the next page is fetched is not an
      // unhandled rejection; its error is still thrown below.
      write.catch(() => {});
      writes.push(write);
      const next = page.next;
      if (next === null || writes.length >= pagesPerStep) {
        if (next !== null) startReadAhead(aheadKey(next), () => input.fetch(next));
        return { next, counts: await allOrFirstError(writes) };
      }
      page = await input.fetch(next);
      start = next;
    }
  } catch (error) {
    dropReadAhead(`${input.runId}:`);
    await Promise.allSettled(writes);
    throw error;
  }
}

/** Every write's result once all have settled, or the first failure. */
async function allOrFirstError<C>(writes: Promise<C>[]): Promise<C[]> {
  const results = await Promise.allSettled(writes);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<C>).value);
}
