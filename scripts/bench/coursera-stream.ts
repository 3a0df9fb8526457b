/**
 * Streams a 100,000-item catalogue from the local sandbox through the production client, page by page,
 * to show that throughput is bounded by parsing and that memory stays flat (the client keeps only a
 * Set of ids). The sandbox runs in the same process, so the memory figures include it. Run alone with `npx tsx --expose-gc scripts/bench/coursera-stream.ts`, or through
 * `npm run bench`.
 */
import { pathToFileURL } from "node:url";
import { createCourseraClient, createMemoryTokenCache } from "@/lib/coursera/client";
import { benchOrgConfig } from "@/sandbox/data";
import { startCourseraSandbox } from "@/sandbox/server";

export interface CourseraStreamBenchResult {
  items: number;
  pages: number;
  invalid: number;
  /** Excludes the forced collections made for sampling when --expose-gc is on. */
  wallMs: number;
  itemsPerSec: number;
  /** Peak growth over the baseline taken before the first page. */
  heapGrowthMb: number;
  rssGrowthMb: number;
}

export interface CourseraStreamBenchOptions {
  items?: number;
  pageSize?: number;
  /** The client's default is 10, a polite production figure; the benchmark measures the pipeline, so no limit. */
  requestsPerSecond?: number;
}

const MB = 1024 * 1024;

export async function benchCourseraStream(options: CourseraStreamBenchOptions = {}): Promise<CourseraStreamBenchResult> {
  const size = options.items ?? 100_000;
  const org = benchOrgConfig({ catalogueSize: size, learners: 1_000, enrollments: 1_000 });
  const sandbox = await startCourseraSandbox({ port: 0, orgs: [org], includeDemoOrg: false });
  try {
    const client = createCourseraClient({
      baseUrl: sandbox.url,
      orgId: org.orgId,
      clientId: org.clientId,
      clientSecret: org.clientSecret,
      requestsPerSecond: options.requestsPerSecond ?? 0,
      tokenCache: createMemoryTokenCache(),
    });
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const base = process.memoryUsage();
    let peakHeap = 0;
    let peakRss = 0;
    let items = 0;
    let pages = 0;
    let invalid = 0;
    let gcMs = 0;
    const started = performance.now();
    for await (const page of client.listContents({ pageSize: options.pageSize ?? 1000 })) {
      items += page.items.length;
      invalid += page.invalid.length;
      pages++;
      if (gc) {
        // A full collection per page shows the live set, but it is not part of the pipeline's cost.
        const t = performance.now();
        gc();
        gcMs += performance.now() - t;
      }
      const now = process.memoryUsage();
      peakHeap = Math.max(peakHeap, now.heapUsed - base.heapUsed);
      peakRss = Math.max(peakRss, now.rss - base.rss);
    }
    const wallMs = performance.now() - started - gcMs;
    return {
      items,
      pages,
      invalid,
      wallMs: Math.round(wallMs),
      itemsPerSec: Math.round(items / (wallMs / 1000)),
      heapGrowthMb: Math.round((peakHeap / MB) * 10) / 10,
      rssGrowthMb: Math.round((peakRss / MB) * 10) / 10,
    };
  } finally {
    await sandbox.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const gcNote = typeof (globalThis as { gc?: unknown }).gc === "function" ? "gc exposed" : "no --expose-gc: growth includes garbage";
  const r = await benchCourseraStream();
  console.log("\nCoursera catalogue streaming (sandbox → client, page size 1000)");
  console.table([
    {
      items: r.items,
      pages: r.pages,
      invalid: r.invalid,
      "wall (s)": +(r.wallMs / 1000).toFixed(2),
      "items/s": r.itemsPerSec,
      "peak heap growth (MB)": r.heapGrowthMb,
      "peak RSS growth (MB)": r.rssGrowthMb,
      note: gcNote,
    },
  ]);
}
