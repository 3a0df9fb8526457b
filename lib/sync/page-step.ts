import "server-only";
import { dropReadAhead, startReadAhead, takeReadAhead } from "@/lib/sync/read-ahead";

/**
 * One step of a paged sync (catalogue or statistics): consecutive pages of a
 * Coursera listing, each written in its own transaction, until the step's
 * budget is spent — a number of pages or an elapsed time, whichever comes
 * first — or the listing ends. Steps are sized by the work done, so a listing
 * served 50 items a page takes as few steps as one served 1,000 a page, and
 * a run stays far within the job engine's step limit.
 *
 * Reading a page is this process's work (HTTP, JSON, validation) and writing it
 * is PostgreSQL's, so the two are overlapped: the next page is fetched while
 * earlier ones are being written, with up to WRITES_IN_FLIGHT writes running at
 * once, so PostgreSQL works on two cores instead of one. The page after the
 * step's last is read ahead for the next step (lib/sync/read-ahead.ts).
 *
 * Each page's transaction records the page as written for the run (SyncRunPage),
 * so a step that fails after some of its pages committed is retried without
 * writing or counting those pages twice. A step never returns, nor throws,
 * while one of its writes is still running.
 */

export const WRITES_IN_FLIGHT = 2;

export interface StepBudget {
  /** At most this many pages in one step. */
  maxPages: number;
  /** No new page is started once the step has run this long. */
  maxMs: number;
}

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
  budget: StepBudget;
}): Promise<{ next: number | null; counts: C[] }> {
  const startedAt = Date.now();
  const aheadKey = (start: number) => `${input.runId}:${start}`;
  const inFlight: Promise<C>[] = [];
  const counts: C[] = [];
  try {
    let start = input.start;
    let page = (await takeReadAhead<P>(aheadKey(start))) ?? (await input.fetch(start));
    for (let pages = 1; ; pages++) {
      const write = input.write(page, start);
      // Observed at once so that a write failing while the next page is fetched is not an
      // unhandled rejection; its error is still thrown below.
      write.catch(() => {});
      inFlight.push(write);
      const next = page.next;
      if (next === null || pages >= input.budget.maxPages || Date.now() - startedAt >= input.budget.maxMs) {
        if (next !== null) startReadAhead(aheadKey(next), () => input.fetch(next));
        counts.push(...(await allOrFirstError(inFlight.splice(0))));
        return { next, counts };
      }
      page = await input.fetch(next);
      start = next;
      if (inFlight.length >= WRITES_IN_FLIGHT) counts.push(...(await allOrFirstError(inFlight.splice(0, 1))));
    }
  } catch (error) {
    dropReadAhead(`${input.runId}:`);
    await Promise.allSettled(inFlight);
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
