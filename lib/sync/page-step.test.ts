import { describe, expect, it } from "vitest";
import { runPageStep } from "@/lib/sync/page-step";

interface Page {
  start: number;
  next: number | null;
}

/** A listing of `pages` pages of 10, page i at offset 10·i. */
function listing(pages: number, options: { failFetchAt?: number } = {}) {
  const fetched: number[] = [];
  return {
    fetched,
    fetch: async (start: number): Promise<Page> => {
      fetched.push(start);
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (start === options.failFetchAt) throw new Error(`fetch ${start} failed`);
      return { start, next: start + 10 < pages * 10 ? start + 10 : null };
    },
  };
}

const runId = () => `run-${Math.random().toString(36).slice(2)}`;
const TWO_PAGES = { maxPages: 2, maxMs: 60_000 };

describe("runPageStep", () => {
  it("writes two pages per step, the second while the first is still being written", async () => {
    const source = listing(5);
    const events: string[] = [];
    const write = async (page: Page) => {
      events.push(`begin ${page.start}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`end ${page.start}`);
      return page.start;
    };
    const id = runId();
    const first = await runPageStep({ runId: id, start: 0, fetch: source.fetch, write, budget: TWO_PAGES });
    expect(first).toEqual({ next: 20, counts: [0, 10] });
    expect(events).toEqual(["begin 0", "begin 10", "end 0", "end 10"]);
    // The next step's first page was read ahead: it is not fetched again.
    const second = await runPageStep({ runId: id, start: 20, fetch: source.fetch, write, budget: TWO_PAGES });
    const third = await runPageStep({ runId: id, start: 40, fetch: source.fetch, write, budget: TWO_PAGES });
    expect([second, third]).toEqual([
      { next: 40, counts: [20, 30] },
      { next: null, counts: [40] },
    ]);
    expect(source.fetched).toEqual([0, 10, 20, 30, 40]);
  });

  it("does not throw a failed write's error before the other write has finished", async () => {
    const source = listing(2);
    let secondFinished = false;
    const write = async (page: Page) => {
      if (page.start === 0) throw new Error("page 0 could not be written");
      await new Promise((resolve) => setTimeout(resolve, 30));
      secondFinished = true;
      return 1;
    };
    await expect(runPageStep({ runId: runId(), start: 0, fetch: source.fetch, write, budget: TWO_PAGES })).rejects.toThrow(
      "page 0 could not be written",
    );
    expect(secondFinished).toBe(true);
  });

  it("sizes a step by its budget: pages, or elapsed time, with at most two writes in flight", async () => {
    const source = listing(10);
    let inFlight = 0;
    let maxInFlight = 0;
    const write = async (page: Page) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 15));
      inFlight--;
      return page.start;
    };
    const byPages = await runPageStep({ runId: runId(), start: 0, fetch: source.fetch, write, budget: { maxPages: 7, maxMs: 60_000 } });
    expect(byPages).toEqual({ next: 70, counts: [0, 10, 20, 30, 40, 50, 60] });
    expect(maxInFlight).toBe(2);
    // A time budget of zero still writes one page: every step makes progress.
    const byTime = await runPageStep({ runId: runId(), start: 0, fetch: source.fetch, write, budget: { maxPages: 100, maxMs: 0 } });
    expect(byTime).toEqual({ next: 10, counts: [0] });
  });

  it("a failed fetch of the second page fails the step once the first page's write is over", async () => {
    const source = listing(3, { failFetchAt: 10 });
    let firstFinished = false;
    const write = async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      firstFinished = true;
      return 1;
    };
    await expect(runPageStep({ runId: runId(), start: 0, fetch: source.fetch, write, budget: TWO_PAGES })).rejects.toThrow(
      "fetch 10 failed",
    );
    expect(firstFinished).toBe(true);
  });
});
