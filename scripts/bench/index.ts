/**
 * `npm run bench`: the performance targets, each printed next to a baseline
 * measured in the same run (never an absolute time). Uses the PostgreSQL server
 * in DATABASE_URL when set (a fresh database per benchmark), else the embedded
 * one. `npm run bench -- catalogue` runs one benchmark.
 */
import { benchCourseraStream } from "./coursera-stream";
import { printTable, type BenchRow } from "./table";

// The sandbox serves its launch pages and images itself, on a port chosen at start: links to it are
// accepted like Coursera's (lib/coursera/urls.ts), as npm run dev and npm test do.
process.env.COURSERA_ALLOWED_LINK_ORIGINS ??= "http://127.0.0.1:*";

type Bench = { name: string; title: string; run: () => Promise<BenchRow[]> };

const benches: Bench[] = [
  {
    name: "coursera",
    title: "Coursera client: streaming 100,000 catalogue items from the sandbox (page size 1000)",
    run: async () => {
      const r = await benchCourseraStream();
      return [
        {
          scenario: "stream 100k contents",
          items: r.items,
          wallMs: r.wallMs,
          rowsPerSec: r.itemsPerSec,
          peakRssMb: r.rssGrowthMb,
          note: `heap growth ${r.heapGrowthMb} MB`,
        },
      ];
    },
  },
  {
    name: "catalogue",
    title: "Catalogue sync: 100,000 items (targets: ≥ 20× naive, ≤ 3× COPY, unchanged re-sync writes 0 rows, < 200 MB)",
    run: async () => (await import("./catalogue")).benchCatalogue(),
  },
  {
    name: "statistics",
    title:
      "Statistics sync: 500,000 records, 50,000 learners, 100,000 courses (targets: ≥ 20× naive, unchanged re-sync writes 0 rows, < 300 MB)",
    run: async () => (await import("./statistics")).benchStatistics(),
  },
  {
    name: "admin",
    title:
      "Admin pages under 20 concurrent signed-in clients against next start (100,000 courses, 500,000 statistics rows): server CPU per request vs the smallest signed-in request (target ≤ 1.5×), and keystroke → rows painted in Chromium (target p95 ≤ 300 ms)",
    run: async () => (await import("./admin-pages")).benchAdminPages(),
  },
  {
    name: "load",
    title:
      "Load: 50 signed-in admins browsing courses and statistics (next start) while a 100,000-item catalogue sync and a 500,000-record statistics sync run in a worker process, vs each alone (targets: syncs ≤ 2× alone, pages' p95 ≤ 1.5× with no sync)",
    run: async () => (await import("./load")).benchLoad(),
  },
  {
    name: "fleet",
    title:
      "Fleet: 1,000 connectors due on one tick, catalogue then statistics, on one worker then two (targets: every run SUCCEEDED with the sandbox's counts, no job run over Inngest's limits, no organisation over its request rate)",
    run: async () => (await import("./fleet")).benchFleet(),
  },
  {
    name: "search",
    title:
      "Learner search: 100,000 courses (targets: results p95 ≤ 15 ms and ≥ 8× the sequential scan in the same run; page with facets ≤ 2× results)",
    run: async () => (await import("./search")).benchSearch(),
  },
];

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
let failed = 0;
for (const bench of benches) {
  if (wanted.length > 0 && !wanted.includes(bench.name)) continue;
  try {
    printTable(bench.title, await bench.run());
  } catch (error) {
    failed++;
    console.error(`${bench.name} failed:`, error);
  }
}
process.exit(failed === 0 ? 0 : 1);
