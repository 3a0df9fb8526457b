import { db } from "@/lib/db";

/** How the sync benchmarks time a scenario and watch its memory. */

const MB = 1024 * 1024;
const round1 = (n: number) => Math.round(n * 10) / 10;

export interface Measured<T> {
  value: T;
  wallMs: number;
  /** Highest RSS seen while `work` ran (sampled every 25 ms), above the RSS before it. */
  peakRssMb: number;
  /**
   * Heap still in use once `work` is over and a full GC has run, above the same before it: what
   * the work kept. The peak above is mostly garbage V8 has not collected yet (it lets the heap grow
   * to a few times its live size before a full collection), so the two together tell "needs a lot
   * while running" from "keeps what it read". Needs --expose-gc (NaN without).
   */
  retainedMb: number;
}

/** Times `work` from a settled database (see settleDatabase), watching its memory. */
export async function measure<T>(work: () => Promise<T>): Promise<Measured<T>> {
  await settleDatabase();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage();
  let peak = base.rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 25);
  const started = performance.now();
  try {
    const value = await work();
    const wallMs = performance.now() - started;
    peak = Math.max(peak, process.memoryUsage.rss());
    gc?.();
    const retained = gc ? (process.memoryUsage().heapUsed - base.heapUsed) / MB : NaN;
    return { value, wallMs, peakRssMb: round1((peak - base.rss) / MB), retainedMb: round1(retained) };
  } finally {
    clearInterval(timer);
  }
}

/**
 * A CHECKPOINT before a timed scenario, so that none of them pays for flushing the WAL an earlier
 * one wrote (the naive baseline, run after 100,000-row syncs, was otherwise slowed by whichever
 * checkpoint happened to fall in it, and swung 2× between runs). Skipped where not allowed.
 */
export async function settleDatabase(): Promise<void> {
  try {
    await db.$executeRawUnsafe("CHECKPOINT");
  } catch {
    // A role without pg_checkpoint: the scenario just runs unsettled.
  }
}
