/**
 * The admin pages at scale: 100,000 Coursera courses and 500,000 learner
 * statistics rows (50,000 learners) bulk-inserted into a fresh database, the
 * production build (`.next`, from `next build`) served by `next start`, and
 * autocannon with 20 concurrent connections, signed in as the platform's
 * admin. Measured in one run: the courses table with a title search and the
 * learner statistics page, next to baselines of what serving costs on this
 * machine: a static page (the prerendered 404 page, requested signed in like
 * the admin pages); the smallest dynamic page (the sign-in page, signed out:
 * one server render, no database query), the floor of any server-rendered
 * page; and the smallest signed-in route handler (the skills typeahead: the
 * session, the user, one query on a near-empty table, a few bytes of JSON),
 * the floor of any signed-in request. The title search is measured twice: as
 * a page load, and as what the browser asks when an admin types in the search
 * box (the page segment alone, see searchNavigation). Each row also gives the
 * CPU a request cost the server and the whole machine. Target: p95 < 150 ms
 * for both admin pages.
 *
 * Run alone with `npx tsx scripts/bench/admin-pages.ts` after `next build`
 * (DATABASE_URL names a server to create the throwaway database on; without it
 * an embedded PGlite is used), or through `npm run bench`.
 */
import { randomBytes } from "node:crypto";
import { existsSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import pg from "pg";
import { hashPassword } from "@/lib/auth/password";
import { provisionDatabase } from "@/lib/database/provision";
import { startDetached, stopGroup, waitForHttp } from "../run-command";
import { signInOverHttp } from "../sign-in-over-http";
import { cpuTime } from "./cpu-time";
import { percentile, printTable, type BenchRow } from "./table";

export type Row = BenchRow;

export interface AdminPagesBenchOptions {
  courses?: number;
  learners?: number;
  statsRows?: number;
  connections?: number;
  durationSeconds?: number;
  port?: number;
}

const ROOT = process.cwd();
export const PASSWORD = "bench-password";
const TARGET_P95_MS = 150;

/** Words the generated titles are made of; "Python" lands in 1 title of 20. */
const WORDS = [
  "Data",
  "Science",
  "Python",
  "Leadership",
  "Marketing",
  "Cloud",
  "Security",
  "Design",
  "Finance",
  "Writing",
  "Statistics",
  "Machine",
  "Learning",
  "Project",
  "Management",
  "Negotiation",
  "Kubernetes",
  "Excel",
  "Biology",
  "History",
];

/**
 * Platform "bench-platform": its admin (admin@<emailDomain>, password PASSWORD), and `courses`
 * courses, `learners` learners and `statsRows` statistics rows, set-based.
 */
export async function seedAdminBench(
  url: string,
  o: Required<Pick<AdminPagesBenchOptions, "courses" | "learners" | "statsRows">> & { emailDomain?: string },
): Promise<{ platformId: string; email: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const domain = o.emailDomain ?? "bench.test";
  try {
    const platformId = "bench-platform";
    const email = `admin@${domain}`;
    await client.query(`INSERT INTO "Platform" ("id", "name", "slug", "updatedAt") VALUES ($1, 'Bench', 'bench', now())`, [platformId]);
    await client.query(`INSERT INTO "Group" ("id", "platformId", "name", "updatedAt") VALUES ('bench-root', $1, 'Everyone', now())`, [
      platformId,
    ]);
    await client.query(
      `INSERT INTO "CourseraConnector" ("id", "platformId", "enabled", "syncGroupId", "updatedAt") VALUES ('bench-connector', $1, true, 'bench-root', now())`,
      [platformId],
    );
    await client.query(
      `INSERT INTO "User" ("id", "platformId", "email", "name", "role", "passwordHash", "updatedAt") VALUES ('bench-admin', $1, $2, 'Bench Admin', 'ADMIN', $3, now())`,
      [platformId, email, await hashPassword(PASSWORD)],
    );
    // Set-based inserts: the point is the pages, not the loading.
    await client.query(
      `INSERT INTO "Course" ("id", "platformId", "source", "courseraContentId", "title", "description", "contentType", "language", "level", "updatedAt")
       SELECT 'c' || g, $1, 'COURSERA', 'content-' || g,
              ($2::text[])[1 + g % 20] || ' ' || ($2::text[])[1 + (g / 20) % 20] || ' ' || ($2::text[])[1 + (g / 400) % 20] || ' ' || g,
              'Generated course ' || g,
              (ARRAY['COURSE','SPECIALIZATION','GUIDED_PROJECT','PROFESSIONAL_CERTIFICATE'])[1 + g % 4]::"ContentType",
              (ARRAY['en','fr','es','de','pt'])[1 + g % 5],
              (ARRAY['BEGINNER','INTERMEDIATE','ADVANCED'])[1 + g % 3],
              now()
         FROM generate_series(0, $3::int - 1) g`,
      [platformId, WORDS, o.courses],
    );
    await client.query(
      `INSERT INTO "User" ("id", "platformId", "email", "name", "role", "updatedAt")
       SELECT 'u' || g, $1, 'learner' || g || '@' || $3, 'Learner ' || g, 'LEARNER', now() FROM generate_series(0, $2::int - 1) g`,
      [platformId, o.learners, domain],
    );
    // Each learner on statsRows/learners distinct courses.
    const perLearner = Math.ceil(o.statsRows / o.learners);
    await client.query(
      `INSERT INTO "LearnerCourseStat" ("id", "platformId", "userId", "courseId", "status", "progressPercent", "scorePercent", "lastActivityAt", "timeSpentMinutes", "updatedAt")
       SELECT 's' || g, $1, 'u' || (g % $2::int), 'c' || (((g / $2::int) * ($3::int / $4::int) + (g % $2::int)) % $3::int),
              (ARRAY['NOT_STARTED','IN_PROGRESS','IN_PROGRESS','COMPLETED'])[1 + g % 4]::"CompletionStatus",
              CASE g % 4 WHEN 0 THEN 0 WHEN 3 THEN 100 ELSE (g * 37) % 100 END,
              CASE WHEN g % 4 = 3 THEN 50 + g % 50 ELSE NULL END,
              now() - ((g % 365) || ' days')::interval - ((g % 1440) || ' minutes')::interval,
              g % 600, now()
         FROM generate_series(0, $5::int - 1) g
       ON CONFLICT DO NOTHING`,
      [platformId, o.learners, o.courses, perLearner, o.statsRows],
    );
    // What autovacuum does on a live database: statistics and the visibility map (index-only counts).
    await client.query("VACUUM ANALYZE");
    return { platformId, email };
  } finally {
    await client.end();
  }
}

/** A session cookie for a benchmark user (password PASSWORD). */
export const signIn = (base: string, email: string): Promise<string> => signInOverHttp(base, email, PASSWORD);

/**
 * The request the app router makes when the courses table's search box changes
 * the URL: `RSC: 1` with the tree of segments the browser already shows (as
 * Chromium sends it from the courses page), so the server renders the page
 * segment alone, not the layouts, and answers with its React payload. Next
 * names the exact URL (a cache-busting `_rsc` parameter) by redirecting a
 * request without it. Checked: the answer is a React payload without the
 * platform's navigation, i.e. the layouts were not rendered again.
 */
async function searchNavigation(
  base: string,
  platformId: string,
  cookie: string,
  query: string,
): Promise<{ url: string; headers: Record<string, string> }> {
  const segment = (name: unknown, children: unknown) => [name, { children }, null, null, 0];
  const tree = [
    "",
    {
      children: segment(
        "(app)",
        segment("p", segment(["platformId", platformId, "d", null], segment("courses", ["__PAGE__", {}, null, "refetch", 0]))),
      ),
    },
    null,
    null,
    16,
  ];
  const headers = {
    cookie,
    rsc: "1",
    "next-router-state-tree": encodeURIComponent(JSON.stringify(tree)),
    "next-url": `/p/${platformId}/courses`,
  };
  const path = `/p/${platformId}/courses?${query}`;
  const redirect = await fetch(`${base}${path}`, { headers, redirect: "manual" });
  const location = redirect.headers.get("location");
  if (redirect.status !== 307 || !location)
    throw new Error(`search navigation: expected Next's redirect to the _rsc URL, got ${redirect.status}`);
  const url = new URL(location, base).toString();
  const answer = await fetch(url, { headers });
  const body = await answer.text();
  if (answer.status !== 200 || !answer.headers.get("content-type")?.includes("text/x-component") || body.includes("Sync history")) {
    throw new Error(
      `search navigation: expected the page segment's React payload, got ${answer.status} ${answer.headers.get("content-type")}`,
    );
  }
  return { url, headers };
}

async function load(
  url: string,
  headers: Record<string, string>,
  expectedStatus: number,
  connections: number,
  durationSeconds: number,
  serverGroup: number,
) {
  const latencies: number[] = [];
  const cpuBefore = cpuTime(serverGroup);
  let unexpected = 0;
  const instance = autocannon({ url, connections, duration: durationSeconds, headers });
  instance.on("response", (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode !== expectedStatus) unexpected++;
    latencies.push(responseTime);
  });
  const result = await instance;
  const cpuAfter = cpuTime(serverGroup);
  latencies.sort((a, b) => a - b);
  const perRequest = (ms: number) => Math.round((10 * ms) / Math.max(1, latencies.length)) / 10;
  return {
    requests: latencies.length,
    wallMs: result.duration * 1000,
    rps: latencies.length / result.duration,
    p50: Math.round(percentile(latencies, 50)),
    p95: Math.round(percentile(latencies, 95)),
    unexpected: unexpected + result.errors + result.timeouts,
    cpu:
      cpuBefore && cpuAfter
        ? { serverMs: perRequest(cpuAfter.groupMs - cpuBefore.groupMs), machineMs: perRequest(cpuAfter.machineMs - cpuBefore.machineMs) }
        : null,
  };
}

export async function benchAdminPages(options: AdminPagesBenchOptions = {}): Promise<Row[]> {
  const o = { courses: 100_000, learners: 50_000, statsRows: 500_000, connections: 20, durationSeconds: 15, port: 3190, ...options };
  if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("No production build in .next: run `npx next build` first.");
  const database = await provisionDatabase({
    serverUrl: process.env.DATABASE_URL || undefined,
    fresh: true,
    freshPrefix: "connector_bench_admin",
  });
  let server: ReturnType<typeof startDetached> | undefined;
  try {
    const seeded = await seedAdminBench(database.url, o);
    const base = `http://127.0.0.1:${o.port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      DATABASE_URL: database.url,
      NEXTAUTH_URL: base,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      RUNNER_SCHEDULES: "0",
    };
    server = startDetached(
      process.execPath,
      [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(o.port), "-H", "127.0.0.1"],
      env,
      openSync(path.join(tmpdir(), `bench-admin-pages-${process.pid}.log`), "w"),
    );
    await waitForHttp(`${base}/api/health`, 120_000);
    const cookie = await signIn(base, seeded.email);

    type Scenario = {
      scenario: string;
      url: string;
      headers: Record<string, string>;
      status: number;
      kind: "static" | "floor" | "signedInFloor" | "admin";
    };
    const signedIn = { cookie };
    const search = await searchNavigation(base, seeded.platformId, cookie, "q=python");
    const scenarios: Scenario[] = [
      // A path no route matches: Next answers with the 404 page prerendered at build time.
      {
        scenario: "baseline: static page (prerendered 404)",
        url: `${base}/bench-static-baseline`,
        headers: signedIn,
        status: 404,
        kind: "static",
      },
      { scenario: "floor: smallest dynamic page (sign-in)", url: `${base}/sign-in`, headers: {}, status: 200, kind: "floor" },
      {
        scenario: "floor: smallest signed-in request (skills typeahead JSON)",
        url: `${base}/api/platforms/${seeded.platformId}/skills?q=py`,
        headers: signedIn,
        status: 200,
        kind: "signedInFloor",
      },
      {
        scenario: 'courses: title search "python", page load',
        url: `${base}/p/${seeded.platformId}/courses?q=python`,
        headers: signedIn,
        status: 200,
        kind: "admin",
      },
      {
        scenario: 'courses: title search "python" typed in the table',
        url: search.url,
        headers: search.headers,
        status: 200,
        kind: "admin",
      },
      {
        scenario: "statistics page (500k rows)",
        url: `${base}/p/${seeded.platformId}/statistics`,
        headers: signedIn,
        status: 200,
        kind: "admin",
      },
    ];
    // Warm up: JIT, connection pools, and the statistics aggregates' cache (they only change with a sync).
    for (const s of scenarios) {
      for (let i = 0; i < 5; i++) {
        const r = await fetch(s.url, { headers: s.headers });
        if (r.status !== s.status) throw new Error(`${s.url} answered ${r.status}, expected ${s.status}`);
        await r.text();
      }
    }
    const rows: Row[] = [];
    const p95 = { static: NaN, floor: NaN };
    for (const s of scenarios) {
      const r = await load(s.url, s.headers, s.status, o.connections, o.durationSeconds, server.pid!);
      if (s.kind === "static" || s.kind === "floor") p95[s.kind] = r.p95;
      // The ratios say what the page itself costs, whatever the machine's speed that day.
      const verdict =
        s.kind === "admin"
          ? `; ${(r.p95 / p95.static).toFixed(1)}× the static page's p95, ${(r.p95 / p95.floor).toFixed(1)}× the smallest dynamic page's; p95 < ${TARGET_P95_MS} ms: ${r.p95 < TARGET_P95_MS ? "target met" : "TARGET MISSED"}`
          : "";
      // CPU per request: the server's own, and the whole machine's (the server, PostgreSQL and the load generator share its cores).
      const cpu = r.cpu ? `; CPU per request: server ${r.cpu.serverMs} ms, machine ${r.cpu.machineMs} ms` : "";
      rows.push({
        scenario: s.scenario,
        items: r.requests,
        wallMs: r.wallMs,
        rowsPerSec: r.rps,
        note: `p50 ${r.p50} ms, p95 ${r.p95} ms, ${o.connections} connections${r.unexpected ? `, ${r.unexpected} unexpected status/errors` : ""}${cpu}${verdict}`,
      });
    }
    return rows;
  } finally {
    await stopGroup(server);
    await database.release();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const rows = await benchAdminPages();
  printTable("Admin pages: 100,000 courses, 500,000 statistics rows, 20 connections (target p95 < 150 ms)", rows);
  process.exit(0);
}
