/**
 * The learner's catalogue search at scale: 100,000 Coursera courses on one platform, searched
 * through the real query (lib/learning/catalogue-queries.ts listCatalogue: count + ranked page). Each query is
 * timed with the GIN indexes, then again in the same run with index and bitmap scans turned off (the
 * sequential-scan baseline), and the p95s are printed side by side with their ratio. No absolute
 * target: the ratio is the point.
 *
 * Run alone with `npx tsx scripts/bench/search.ts` (DATABASE_URL names a server to create the
 * throwaway database on; without it an embedded PGlite is used).
 */
import { randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import { provisionDatabase } from "@/lib/database/provision";
import { resetEnvCache } from "@/lib/env";
import { printTable, type BenchRow } from "./table";

const WORDS = {
  subject: [
    "Data",
    "Cloud",
    "Python",
    "Machine Learning",
    "Leadership",
    "Finance",
    "Marketing",
    "Kubernetes",
    "Statistics",
    "Design",
    "Security",
    "Biology",
    "Negotiation",
    "Writing",
    "Physics",
    "Economics",
    "SQL",
    "Project Management",
    "Psychology",
    "Networks",
  ],
  form: ["Introduction to", "Foundations of", "Advanced", "Applied", "Practical", "Essentials of", "Mastering", "Hands-on"],
  audience: ["for Everyone", "for Managers", "for Engineers", "for Beginners", "in Practice", "at Scale", "with Projects"],
  partner: [
    "University of Michigan",
    "Stanford University",
    "Google Cloud",
    "IBM",
    "Duke University",
    "Imperial College London",
    "Meta",
    "HEC Paris",
    "University of Tokyo",
    "Yale University",
  ],
  verb: ["analyse", "build", "lead", "design", "model", "secure", "present", "negotiate"],
};

function sqlArray(values: string[]): string {
  return `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]`;
}

function p95(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
}

export async function benchSearch(options: { courses?: number; runs?: number; baselineRuns?: number } = {}): Promise<BenchRow[]> {
  const courses = options.courses ?? 100_000;
  const runs = options.runs ?? 20;
  const baselineRuns = options.baselineRuns ?? 5;
  const database = await provisionDatabase({
    serverUrl: process.env.DATABASE_URL || undefined,
    fresh: true,
    freshPrefix: "connector_bench_search",
  });
  const previous = { url: process.env.DATABASE_URL, pool: process.env.DATABASE_POOL_SIZE };
  process.env.DATABASE_URL = database.url;
  // One connection: the baseline's SET applies to every query that follows.
  process.env.DATABASE_POOL_SIZE = "1";
  resetEnvCache();
  const { db, disconnectDb } = await import("@/lib/db");
  const { listCatalogue } = await import("@/lib/learning/catalogue-queries");
  try {
    const tag = randomBytes(4).toString("hex");
    const platform = await db.platform.create({ data: { name: `Search bench ${tag}`, slug: `search-bench-${tag}` } });
    const group = await db.group.create({ data: { platformId: platform.id, name: "Everyone" } });
    const learner = await db.user.create({
      data: { platformId: platform.id, email: `bench-${tag}@search.test`, name: "Bench", role: "LEARNER" },
    });
    await db.groupMembership.create({ data: { groupId: group.id, userId: learner.id } });
    await db.courseraConnector.create({ data: { platformId: platform.id, enabled: true, syncGroupId: group.id } });

    // Generated in the database: 100,000 rows in one statement, varied enough for realistic selectivity.
    const started = performance.now();
    await db.$executeRawUnsafe(`
      INSERT INTO "Course" ("id", "platformId", "source", "courseraContentId", "title", "description", "language", "partners", "courseraSkills", "updatedAt")
      SELECT 'bench-' || i, '${platform.id}', 'COURSERA', 'content-' || i,
             f.v[1 + i % array_length(f.v, 1)] || ' ' || s.v[1 + (i / 7) % array_length(s.v, 1)] || ' ' || a.v[1 + (i / 131) % array_length(a.v, 1)] || ' ' || i,
             'In this course you will ' || vb.v[1 + i % array_length(vb.v, 1)] || ' with ' || lower(s.v[1 + (i / 3) % array_length(s.v, 1)]) || '. Taught by ' || p.v[1 + (i / 11) % array_length(p.v, 1)] || '.',
             (ARRAY['en','en','en','es','fr','de','pt'])[1 + i % 7],
             jsonb_build_array(jsonb_build_object('name', p.v[1 + (i / 11) % array_length(p.v, 1)])),
             jsonb_build_array(jsonb_build_object('id', 's' || (i % 50), 'name', s.v[1 + (i / 13) % array_length(s.v, 1)] || ' Skills')),
             now()
        FROM generate_series(1, ${courses}) AS i,
             (SELECT ${sqlArray(WORDS.form)} AS v) f, (SELECT ${sqlArray(WORDS.subject)} AS v) s, (SELECT ${sqlArray(WORDS.audience)} AS v) a,
             (SELECT ${sqlArray(WORDS.partner)} AS v) p, (SELECT ${sqlArray(WORDS.verb)} AS v) vb`);
    const insertMs = performance.now() - started;
    // VACUUM as autovacuum would after a bulk load: it also flushes the GIN pending list, which searches otherwise read linearly.
    await db.$executeRawUnsafe(`VACUUM ANALYZE "Course"`);

    const queries = ["kubernetes", "machine learn", "university of michigan", "negotiate", "statistics managers", "nothing-matches-this"];
    const time = async (q: string, n: number) => {
      const samples: number[] = [];
      let total = 0;
      for (let i = 0; i < n; i++) {
        const t = performance.now();
        total = (await listCatalogue(learner.id, platform.id, { q, page: 1 })).total;
        samples.push(performance.now() - t);
      }
      return { p95: p95(samples), total };
    };

    const indexed = new Map<string, { p95: number; total: number }>();
    for (const q of queries) {
      await time(q, 2); // warm-up
      indexed.set(q, await time(q, runs));
    }
    await db.$executeRawUnsafe("SET enable_indexscan = off");
    await db.$executeRawUnsafe("SET enable_bitmapscan = off");
    const rows: BenchRow[] = [
      { scenario: "bulk insert (generated tsvector)", items: courses, wallMs: insertMs, rowsPerSec: courses / (insertMs / 1000) },
    ];
    for (const q of queries) {
      await time(q, 1);
      const scan = await time(q, baselineRuns);
      const withIndex = indexed.get(q)!;
      rows.push({
        scenario: `search "${q}"`,
        items: withIndex.total,
        wallMs: withIndex.p95,
        rowsPerSec: 1000 / withIndex.p95,
        note: `p95 ${withIndex.p95.toFixed(1)} ms vs ${scan.p95.toFixed(1)} ms sequential scan: ${(scan.p95 / withIndex.p95).toFixed(1)}× faster`,
      });
    }
    return rows;
  } finally {
    await disconnectDb();
    process.env.DATABASE_URL = previous.url;
    process.env.DATABASE_POOL_SIZE = previous.pool;
    resetEnvCache();
    await database.release();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  printTable(
    "Learner search: 100,000 Coursera courses, p95 of listCatalogue (count + ranked page) with the GIN indexes vs sequential scans",
    await benchSearch(),
  );
  process.exit(0);
}
