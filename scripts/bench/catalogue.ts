/**
 * The catalogue sync at scale: a 100,000-item Coursera catalogue served by the local sandbox (bench
 * org, no added latency), synced through the real Inngest function run by the in-process runner, on
 * a fresh database. Scenarios: the first sync, an unchanged re-sync (must write no course row), a
 * re-sync with 1% changed; then the naive way (one Prisma upsert per item) on a subset, and
 * PostgreSQL's COPY of the same rows into a scratch copy of the Course table (same columns, indexes
 * and generated search column) as the ceiling. Targets: first sync ≥ 20× naive, within 3× of COPY,
 * 0 course rows written by the unchanged re-sync, peak RSS growth < 200 MB.
 *
 * Run alone with `npx tsx --expose-gc scripts/bench/catalogue.ts` (DATABASE_URL names a server to
 * create the throwaway database on; without it an embedded PGlite is used), or through `npm run bench`.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { catalogueSyncFunction } from "@/inngest/functions/sync";
import { EmbeddedRunner } from "@/inngest/runner";
import { courseRowFromContent } from "@/lib/catalogue/mapping";
import { courseraClientForConnector, setCourseraClientOverrides } from "@/lib/connectors/coursera-client";
import { createMemoryTokenCache } from "@/lib/coursera/client";
import { SandboxOrg, benchOrgConfig } from "@/sandbox/data";
import { encryptSecret } from "@/lib/crypto/secrets";
import { provisionDatabase } from "@/lib/database/provision";
import { db, disconnectDb } from "@/lib/db";
import { resetEnvCache } from "@/lib/env";
import { requestSync } from "@/inngest/dispatch";
import { prerenderListing, startSandboxProcess } from "./bench-org";
import { measure } from "./measure";
import { printTable, type BenchRow } from "./table";

export type Row = BenchRow;

export interface CatalogueBenchOptions {
  items?: number;
  /** Items synced the naive way, for the baseline rate. */
  naiveSample?: number;
  /** Share of the catalogue changed before the third scenario. */
  changedShare?: number;
}

/** A call to the sandbox's control API (sandbox//server.ts, loopback only). */
async function sandboxControl(base: string, method: string, route: string, body: unknown): Promise<void> {
  const response = await fetch(`${base}/__control/${route}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`sandbox control ${method} ${route} answered ${response.status}: ${await response.text()}`);
}

/** Course rows of a platform whose current version was written after `sinceXid` (any insert or update makes a new version). */
async function rowsWrittenSince(platformId: string, sinceXid: bigint): Promise<number> {
  const [{ n }] = await db.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM "Course" WHERE "platformId" = ${platformId} AND xmin::text::bigint >= ${sinceXid}`;
  return n;
}

async function currentXid(): Promise<bigint> {
  const [{ x }] = await db.$queryRaw<{ x: bigint }[]>`SELECT (txid_current() % 4294967296)::bigint AS x`;
  return BigInt(x);
}

export async function benchCatalogue(options: CatalogueBenchOptions = {}): Promise<Row[]> {
  const items = options.items ?? 100_000;
  const naiveSample = Math.min(options.naiveSample ?? 5_000, items);
  const changed = Math.max(1, Math.round(items * (options.changedShare ?? 0.01)));

  // A throwaway database; the process is pointed at it for the duration of the benchmark.
  const database = await provisionDatabase({
    serverUrl: process.env.DATABASE_URL || undefined,
    fresh: true,
    freshPrefix: "connector_bench_catalogue",
  });
  const previousUrl = process.env.DATABASE_URL;
  process.env.DATABASE_URL = database.url;
  process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  resetEnvCache();
  await disconnectDb();

  const org = benchOrgConfig({ catalogueSize: items, learners: 10, enrollments: 0 });
  // A small org synced once before measuring, so one-time costs (module loading, Prisma's query
  // compiler, JIT) are not counted as growth of the 100,000-item sync.
  const warmOrg = {
    ...benchOrgConfig({ catalogueSize: 2_000, learners: 10, enrollments: 0 }),
    orgId: "bench-warm-up",
    clientId: "warm-client",
    clientSecret: "warm-secret",
  };
  // In its own process, as Coursera is another machine: generating and serialising 100,000 items is
  // the sandbox's CPU and memory, not the sync's (the peak RSS measured here is the sync's alone).
  const sandbox = await startSandboxProcess({ courses: items, learners: 10, enrollments: 0 }, { cachePages: true });
  await sandboxControl(sandbox.url, "POST", "orgs", warmOrg);
  // No rate limit: the benchmark measures the pipeline, not Coursera's politeness budget.
  setCourseraClientOverrides({ baseUrl: sandbox.url, requestsPerSecond: 0, tokenCache: createMemoryTokenCache() });
  const runner = new EmbeddedRunner([catalogueSyncFunction], { log: (m) => console.log(`[runner] ${m}`) });
  const tmp = mkdtempSync(path.join(tmpdir(), "bench-catalogue-"));
  const rows: Row[] = [];

  async function newConnector(label: string, source: { orgId: string; clientId: string; clientSecret: string } = org) {
    const platform = await db.platform.create({
      data: { name: `Bench ${label}`, slug: `bench-${label}-${randomBytes(3).toString("hex")}` },
    });
    const group = await db.group.create({ data: { platformId: platform.id, name: "Everyone" } });
    return db.courseraConnector.create({
      data: {
        platformId: platform.id,
        enabled: true,
        enabledAt: new Date(),
        syncGroupId: group.id,
        orgId: source.orgId,
        // Each scenario syncs the same Coursera organisation into a fresh platform: a sharing a CSM allowed.
        sharedOrgAllowedFor: source.orgId,
        clientId: source.clientId,
        clientSecretEncrypted: encryptSecret(source.clientSecret),
        clientSecretLast4: source.clientSecret.slice(-4),
        // The 1% scenario must not trip the mass-drop hold; nothing vanishes here anyway.
        massRetirementThreshold: 0.2,
      },
    });
  }

  async function syncOnce(connectorId: string) {
    const requested = await requestSync({ connectorId, kind: "CATALOGUE", trigger: "MANUAL" });
    if (!requested.ok) throw new Error(requested.message);
    await runner.runUntilIdle(30 * 60_000);
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: requested.runId } });
    if (run.status !== "SUCCEEDED") throw new Error(`catalogue run ended ${run.status}: ${run.errorMessage ?? ""}`);
    return run;
  }

  try {
    await syncOnce((await newConnector("warm-up", warmOrg)).id);
    const connector = await newConnector("sync");
    const platformId = connector.platformId;
    // Every page rendered by the sandbox before anything is timed (Coursera's cost is not ours),
    // and again after the 1% change below.
    const reader = courseraClientForConnector(connector);
    const prerender = () => prerenderListing((start) => reader.fetchContentsPage({ start }));
    await prerender();

    // ── 1. First sync ─────────────────────────────────────────────────────────────────────────
    const first = await measure(() => syncOnce(connector.id));
    const firstRun = first.value;
    rows.push({
      scenario: "first sync (runner, 1,000/page)",
      items: firstRun.fetched,
      wallMs: first.wallMs,
      rowsPerSec: firstRun.created / (first.wallMs / 1000),
      peakRssMb: first.peakRssMb,
      note: `created ${firstRun.created}, ${firstRun.pages} pages`,
    });
    if (firstRun.created !== items) throw new Error(`expected ${items} created, got ${firstRun.created}`);

    // ── 2. Unchanged re-sync ───────────────────────────────────────────────────────────────────
    const beforeUnchanged = await currentXid();
    const unchanged = await measure(() => syncOnce(connector.id));
    const writtenUnchanged = await rowsWrittenSince(platformId, beforeUnchanged);
    rows.push({
      scenario: "re-sync, nothing changed",
      items: unchanged.value.fetched,
      wallMs: unchanged.wallMs,
      rowsPerSec: unchanged.value.fetched / (unchanged.wallMs / 1000),
      peakRssMb: unchanged.peakRssMb,
      note: `course rows written: ${writtenUnchanged} (unchanged ${unchanged.value.unchanged})`,
    });
    if (writtenUnchanged !== 0 || unchanged.value.updated !== 0)
      throw new Error(`the unchanged re-sync wrote ${writtenUnchanged} course rows`);

    // ── 3. Re-sync with 1% changed ──────────────────────────────────────────────────────────────
    // The sandbox derives its items from the org's seed alone, so the same ones are computed here and sent back revised.
    const generator = new SandboxOrg(org);
    const step = Math.floor(items / changed);
    for (let i = 0; i < changed; i++) {
      const raw = generator.contentAtIndex(i * step, sandbox.url);
      await sandboxControl(sandbox.url, "POST", `orgs/${org.orgId}/contents`, {
        ...raw,
        description: `${String(raw.description)} (revised)`,
      });
    }
    const beforeChanged = await currentXid();
    await prerender();
    const changedRun = await measure(() => syncOnce(connector.id));
    const writtenChanged = await rowsWrittenSince(platformId, beforeChanged);
    rows.push({
      scenario: `re-sync, ${Math.round((changed / items) * 1000) / 10}% changed`,
      items: changedRun.value.fetched,
      wallMs: changedRun.wallMs,
      rowsPerSec: changedRun.value.fetched / (changedRun.wallMs / 1000),
      peakRssMb: changedRun.peakRssMb,
      note: `updated ${changedRun.value.updated}, course rows written: ${writtenChanged}`,
    });

    // ── 4. The naive way on a subset: fetch pages, one Prisma upsert per item ──────────────────
    const naiveConnector = await newConnector("naive");
    const client = courseraClientForConnector(naiveConnector);
    const naive = await measure(async () => {
      let done = 0;
      let start: number | null = 0;
      while (start !== null && done < naiveSample) {
        const page = await client.fetchContentsPage({ start, limit: Math.min(1000, naiveSample - done) });
        for (const item of page.items) {
          const { contentHash, ...fields } = courseRowFromContent(item).row;
          const data = { ...fields, courseraUpdatedAt: fields.courseraUpdatedAt ? new Date(fields.courseraUpdatedAt) : null, contentHash };
          await db.course.upsert({
            where: { platformId_courseraContentId: { platformId: naiveConnector.platformId, courseraContentId: item.contentId } },
            create: { ...data, platformId: naiveConnector.platformId, source: "COURSERA" },
            update: data,
          });
          done++;
        }
        start = page.next;
      }
      return done;
    });
    const naiveRate = naive.value / (naive.wallMs / 1000);
    rows.push({
      scenario: `naive: one Prisma upsert per item (${naive.value})`,
      items: naive.value,
      wallMs: naive.wallMs,
      rowsPerSec: naiveRate,
      peakRssMb: naive.peakRssMb,
      note: `≈ ${Math.round(items / naiveRate)} s for ${items.toLocaleString("en")} (extrapolated)`,
    });

    // ── 5. COPY of the same rows into a scratch copy of Course: the ceiling ────────────────────
    const copyMs = await copyCeiling(database.url, platformId, tmp);
    const copyRate = items / (copyMs / 1000);
    rows.push({
      scenario: "PostgreSQL COPY of the same rows",
      items,
      wallMs: copyMs,
      rowsPerSec: copyRate,
      note: 'scratch table LIKE "Course" INCLUDING ALL (same indexes, generated search column)',
    });

    const firstRate = firstRun.created / (first.wallMs / 1000);
    rows.push({
      scenario: "ratios",
      items,
      wallMs: 0,
      rowsPerSec: 0,
      note:
        `first sync = ${(firstRate / naiveRate).toFixed(1)}× naive (target ≥ 20×); ` +
        `${(first.wallMs / copyMs).toFixed(2)}× COPY's time (target ≤ 3×); ` +
        `unchanged re-sync wrote ${writtenUnchanged} rows (target 0); ` +
        `peak RSS growth ${Math.max(first.peakRssMb, unchanged.peakRssMb, changedRun.peakRssMb)} MB (target < 200), ` +
        `heap retained after GC ${Math.max(first.retainedMb, unchanged.retainedMb, changedRun.retainedMb)} MB`,
    });
    return rows;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    setCourseraClientOverrides({});
    await sandbox.stop();
    await disconnectDb();
    await database.release();
    if (previousUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previousUrl;
    resetEnvCache();
  }
}

/**
 * Exports the synced rows to a file (not timed), then times COPY FROM of that file into a table
 * created LIKE "Course" INCLUDING ALL, so the load pays for the same indexes and generated column.
 */
async function copyCeiling(url: string, platformId: string, dir: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: cols } = await client.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'Course' AND is_generated = 'NEVER' ORDER BY ordinal_position`,
    );
    const list = cols.map((c) => `"${c.column_name}"`).join(", ");
    const file = path.join(dir, "courses.copy");
    const quoted = platformId.replace(/'/g, "''");
    await pipeline(
      client.query(copyTo(`COPY (SELECT ${list} FROM "Course" WHERE "platformId" = '${quoted}') TO STDOUT`)),
      createWriteStream(file),
    );
    if (statSync(file).size === 0) throw new Error("nothing to COPY");
    await client.query(`DROP TABLE IF EXISTS "BenchCourseCopy"; CREATE TABLE "BenchCourseCopy" (LIKE "Course" INCLUDING ALL)`);
    const started = performance.now();
    await pipeline(createReadStream(file), client.query(copyFrom(`COPY "BenchCourseCopy" (${list}) FROM STDIN`)));
    const ms = performance.now() - started;
    await client.query(`DROP TABLE "BenchCourseCopy"`);
    return ms;
  } finally {
    await client.end();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const gcNote = typeof (globalThis as { gc?: unknown }).gc === "function" ? "" : " (no --expose-gc: RSS growth includes garbage)";
  // An optional scale, e.g. `0.2` for a 20,000-item catalogue while profiling.
  const scale = Number(process.argv[2] ?? 1);
  const items = Math.round(100_000 * scale);
  const rows = await benchCatalogue({ items });
  printTable(`Catalogue sync: ${items.toLocaleString("en")} Coursera items, sandbox with no added latency${gcNote}`, rows);
  // The sandbox process and the database pool are closed; exit without waiting on idle timers.
  process.exit(0);
}
