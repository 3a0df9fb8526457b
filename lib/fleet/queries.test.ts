import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { listFleet } from "@/lib/fleet/queries";
import { FLEET_PAGE_SIZE, fleetParamsSchema, type FleetParams } from "@/lib/fleet/schema";
import { parseSearchParams } from "@/lib/input/text";

/**
 * The fleet view's query against the real database: 1,000 healthy platforms
 * (seeded with createMany) and one platform in each kind of trouble, all named
 * with this run's tag so that the search isolates them from other tests' data.
 */

const session = vi.hoisted(() => ({ current: null as null | { user: { id: string } } }));
vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), getServerSession: async () => session.current }));

const tag = randomUUID().slice(0, 8);
// The route reads the real clock: the seeded ages are relative to it.
const NOW = new Date();
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const HEALTHY = 1000;
const trouble: Record<string, string> = {};

const params = (query: Record<string, string> = {}): FleetParams => parseSearchParams(fleetParamsSchema, { q: `Fleet ${tag}`, ...query });
const namesOf = (rows: { name: string }[]) => rows.map((r) => r.name);

beforeAll(async () => {
  const id = (name: string) => `fl${tag}${name}`;
  const platform = (key: string) => ({ id: id(key), name: `Fleet ${tag} ${key}`, slug: `fleet-${tag}-${key}`.toLowerCase() });
  const healthy = Array.from({ length: HEALTHY }, (_, i) => platform(`h${String(i).padStart(4, "0")}`));
  const special = ["failing", "recovered", "stale", "review", "unmatched", "disabled", "nocreds", "notsetup", "running"];
  for (const key of special) trouble[key] = `Fleet ${tag} ${key}`;
  await db.platform.createMany({ data: [...healthy, ...special.map(platform)] });
  const credentials = { orgId: "org", clientId: "client", clientSecretEncrypted: "x", clientSecretLast4: "abcd" };
  const connector = (key: string, extra: object = {}) => ({
    id: id(`c${key}`),
    platformId: id(key),
    enabled: true,
    enabledAt: hoursAgo(24 * 30),
    createdAt: hoursAgo(24 * 30),
    credentialsUpdatedAt: hoursAgo(24 * 10),
    staleAfterHours: 36,
    ...credentials,
    ...extra,
  });
  await db.courseraConnector.createMany({
    data: [
      ...healthy.map((p) => connector(p.id.slice(`fl${tag}`.length))),
      ...["failing", "recovered", "stale", "review", "unmatched", "running"].map((k) => connector(k)),
      connector("disabled", { enabled: false }),
      connector("nocreds", {
        orgId: null,
        clientId: null,
        clientSecretEncrypted: null,
        clientSecretLast4: null,
        credentialsUpdatedAt: null,
      }),
    ],
  });
  type Run = {
    key: string;
    kind: "CATALOGUE" | "STATISTICS";
    status: "SUCCEEDED" | "FAILED" | "NEEDS_REVIEW" | "RUNNING";
    h: number | null;
  };
  const run = (r: Run, extra: object = {}) => ({
    platformId: id(r.key),
    connectorId: id(`c${r.key}`),
    kind: r.kind,
    trigger: "SCHEDULE" as const,
    status: r.status,
    queuedAt: hoursAgo((r.h ?? 0) + 0.1),
    finishedAt: r.h === null ? null : hoursAgo(r.h),
    errorMessage: r.status === "FAILED" ? "Coursera answered 503." : null,
    ...extra,
  });
  const fresh = (key: string, h = 1): Run[] => [
    { key, kind: "CATALOGUE", status: "SUCCEEDED", h },
    { key, kind: "STATISTICS", status: "SUCCEEDED", h },
  ];
  await db.syncRun.createMany({
    data: [
      ...healthy.flatMap((p, i) => fresh(p.id.slice(`fl${tag}`.length), 1 + (i % 10))).map((r) => run(r)),
      // Failing: succeeded three days ago, then failed twice (the streak starts 48 h ago); statistics fine.
      ...[
        { key: "failing", kind: "CATALOGUE", status: "SUCCEEDED", h: 72 },
        { key: "failing", kind: "CATALOGUE", status: "FAILED", h: 48 },
        { key: "failing", kind: "CATALOGUE", status: "FAILED", h: 24 },
        { key: "failing", kind: "STATISTICS", status: "SUCCEEDED", h: 2 },
      ].map((r) => run(r as Run)),
      // Recovered: failed, then succeeded.
      ...[
        { key: "recovered", kind: "CATALOGUE", status: "FAILED", h: 30 },
        { key: "recovered", kind: "CATALOGUE", status: "SUCCEEDED", h: 3 },
        { key: "recovered", kind: "STATISTICS", status: "SUCCEEDED", h: 3 },
      ].map((r) => run(r as Run)),
      // Stale: the statistics last succeeded 50 h ago (threshold 36 h).
      ...[
        { key: "stale", kind: "CATALOGUE", status: "SUCCEEDED", h: 2 },
        { key: "stale", kind: "STATISTICS", status: "SUCCEEDED", h: 50 },
      ].map((r) => run(r as Run)),
      ...fresh("review").map((r) => run(r)),
      run({ key: "review", kind: "CATALOGUE", status: "NEEDS_REVIEW", h: 0.5 }, { heldRetirements: 7 }),
      ...fresh("unmatched").map((r) => run(r)),
      ...fresh("running").map((r) => run(r)),
      run({ key: "running", kind: "STATISTICS", status: "RUNNING", h: null }),
      // Disabled, with an old failure: disabled, not failing.
      run({ key: "disabled", kind: "CATALOGUE", status: "FAILED", h: 5 }),
    ],
  });
  await db.unmatchedLearnerRecord.createMany({
    data: [
      ["a@x.test", "c1"],
      ["a@x.test", "c2"],
      ["b@x.test", "c1"],
    ].map(([identityKey, contentId]) => ({ platformId: id("unmatched"), identityKey, contentId, reason: "NO_USER" as const, record: {} })),
  });
  // A resolved record waits for nobody.
  await db.unmatchedLearnerRecord.create({
    data: { platformId: id("recovered"), identityKey: "c@x.test", contentId: "c1", reason: "NO_USER", record: {}, resolvedAt: NOW },
  });
}, 120_000);

afterAll(() => disconnectDb());

describe("listFleet", () => {
  it("finds each kind of trouble, and only it", async () => {
    const only = async (t: string, extra: Record<string, string> = {}) =>
      namesOf((await listFleet(params({ trouble: t, ...extra }), NOW)).rows);
    expect(await only("failing")).toEqual([trouble.failing]);
    // A failing catalogue is stale too (its last success is 72 h old); worst first.
    expect(await only("stale")).toEqual([trouble.failing, trouble.stale]);
    expect(await only("needs_review")).toEqual([trouble.review]);
    expect(await only("unmatched")).toEqual([trouble.unmatched]);
    expect(await only("running")).toEqual([trouble.running]);
    expect(await only("disabled")).toEqual([trouble.disabled, trouble.notsetup]);
    expect(await only("no_credentials")).toEqual([trouble.nocreds]);
    // Worst first: failing, needs review, stale, unmatched, no credentials.
    expect(await only("any")).toEqual([trouble.failing, trouble.review, trouble.stale, trouble.unmatched, trouble.nocreds]);
    // "Stale > N hours": N replaces each connector's own threshold.
    expect(await only("stale", { staleHours: "72" })).toEqual([]);
    expect(await only("stale", { staleHours: "49" })).toEqual([trouble.failing, trouble.stale]);
    // Healthy platforms last synced 1 to 10 h ago (i % 10 + 1): 400 of them more than 6 h ago, plus the two above.
    expect((await listFleet(params({ trouble: "stale", staleHours: "6" }), NOW)).total).toBe(402);
  });

  it("reports the facts of a platform in trouble", async () => {
    const [failing] = (await listFleet(params({ q: trouble.failing }), NOW)).rows;
    expect(failing).toMatchObject({
      health: "failing",
      enabled: true,
      running: false,
      failingSince: hoursAgo(48).toISOString(),
      failingError: "Coursera answered 503.",
      lastCatalogueAt: hoursAgo(72).toISOString(),
      lastStatisticsAt: hoursAgo(2).toISOString(),
      credentialsSavedAt: hoursAgo(240).toISOString(),
      hasCredentials: true,
    });
    const [recovered] = (await listFleet(params({ q: trouble.recovered }), NOW)).rows;
    expect(recovered).toMatchObject({ health: "healthy", failingSince: null, failingError: null, unmatchedWaiting: 0 });
    const [review] = (await listFleet(params({ q: trouble.review }), NOW)).rows;
    expect(review).toMatchObject({ health: "needs_review", heldRetirements: 7, lastCatalogueAt: hoursAgo(0.5).toISOString() });
    const [unmatched] = (await listFleet(params({ q: trouble.unmatched }), NOW)).rows;
    expect(unmatched).toMatchObject({ health: "unmatched", unmatchedWaiting: 2 });
    const [notSetUp] = (await listFleet(params({ q: trouble.notsetup }), NOW)).rows;
    expect(notSetUp).toMatchObject({ health: "not_set_up", connectorId: null, enabled: false, lastCatalogueAt: null });
    const [disabled] = (await listFleet(params({ q: trouble.disabled }), NOW)).rows;
    expect(disabled).toMatchObject({ health: "disabled", failingSince: expect.any(String) });
  });

  it("counts every kind of trouble among the platforms searched", async () => {
    const page = await listFleet(params(), NOW);
    expect(page.total).toBe(HEALTHY + 9);
    expect(page.counts).toEqual({
      any: 5,
      failing: 1,
      stale: 2,
      needs_review: 1,
      unmatched: 1,
      running: 1,
      disabled: 2,
      no_credentials: 1,
    });
  });

  it("pages and sorts on the server", async () => {
    const first = await listFleet(params({ sort: "name" }), NOW);
    expect(first.rows).toHaveLength(FLEET_PAGE_SIZE);
    expect(first.rows[0].name).toBe(`Fleet ${tag} disabled`);
    const names = namesOf(first.rows);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    const last = await listFleet(params({ sort: "name", page: String(Math.ceil((HEALTHY + 9) / FLEET_PAGE_SIZE)) }), NOW);
    expect(last.rows).toHaveLength((HEALTHY + 9) % FLEET_PAGE_SIZE);
    expect(last.rows.at(-1)!.name).toBe(`Fleet ${tag} unmatched`);
    const second = await listFleet(params({ sort: "name", page: "2" }), NOW);
    expect(new Set([...names, ...namesOf(second.rows)]).size).toBe(2 * FLEET_PAGE_SIZE);

    const desc = await listFleet(params({ sort: "name", dir: "desc" }), NOW);
    expect(desc.rows[0].name).toBe(`Fleet ${tag} unmatched`);

    // The default sort is health, worst first.
    expect(namesOf((await listFleet(params(), NOW)).rows.slice(0, 3))).toEqual([trouble.failing, trouble.review, trouble.stale]);
    // Oldest catalogue first, "never" before anything.
    const oldest = await listFleet(params({ sort: "lastCatalogue" }), NOW);
    expect(namesOf(oldest.rows.slice(0, 4))).toEqual([trouble.disabled, trouble.nocreds, trouble.notsetup, trouble.failing]);
    expect(namesOf((await listFleet(params({ sort: "unmatched", dir: "desc" }), NOW)).rows.slice(0, 1))).toEqual([trouble.unmatched]);
    expect(namesOf((await listFleet(params({ sort: "failingSince" }), NOW)).rows.slice(0, 1))).toEqual([trouble.failing]);
  });

  it("searches names literally (wildcards are text)", async () => {
    expect((await listFleet(params({ q: `Fleet ${tag} h00` }), NOW)).total).toBe(100);
    expect((await listFleet(params({ q: `Fleet ${tag} %` }), NOW)).total).toBe(0);
    expect((await listFleet(params({ q: `Fleet ${tag} h_00` }), NOW)).total).toBe(0);
  });

  it("answers for 1,000 platforms in one quick statement", async () => {
    await listFleet(params(), NOW);
    const started = performance.now();
    await listFleet(params({ trouble: "any", sort: "lastStatistics" }), NOW);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});

describe("the fleet statement's plan", () => {
  it("reads each connector's runs through indexes, never by scanning the runs", async () => {
    const { fleetStatement } = await import("@/lib/fleet/queries");
    const { Prisma } = await import("@/lib/db");
    await db.$executeRawUnsafe(`ANALYZE "SyncRun"`);
    const plan = (
      await db.$queryRaw<{ "QUERY PLAN": string }[]>(
        Prisma.sql`EXPLAIN (ANALYZE, COSTS OFF) ${fleetStatement(params({ trouble: "any", sort: "lastCatalogue" }), NOW)}`,
      )
    )
      .map((r) => r["QUERY PLAN"])
      .join("\n");
    expect(plan).toContain("SyncRun_last_success_idx");
    expect(plan).not.toMatch(/Seq Scan on "SyncRun"/);
  });
});

describe("GET /api/fleet", () => {
  it("applies the parameters it can read and falls back, one at a time, on those it cannot", async () => {
    const csm = await db.user.create({ data: { email: `csm-${tag}@fleet.test`, name: "CSM", role: "CSM" } });
    session.current = { user: { id: csm.id } };
    const { GET } = await import("@/app/api/fleet/route");
    const get = async (query: string) => {
      const response = await GET(new Request(`http://localhost/api/fleet?q=${encodeURIComponent(`Fleet ${tag}`)}&${query}`));
      expect(response.status).toBe(200);
      return response.json();
    };
    expect(namesOf((await get("trouble=failing")).rows)).toEqual([trouble.failing]);
    // An unknown trouble is no filter; the valid sort next to it still applies.
    const fallback = await get("trouble=everything&sort=name&dir=desc&page=abc");
    expect(fallback).toMatchObject({ total: HEALTHY + 9, page: 1 });
    expect(fallback.rows[0].name).toBe(trouble.unmatched);
    expect((await get("trouble=stale&staleHours=-3")).total).toBe(2);
    session.current = null;
  });
});
