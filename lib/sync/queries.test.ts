import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "@/lib/db";
import { getActiveRuns, getSyncChartSeries, getSyncRun, getSyncRunProgress, listSyncRuns } from "@/lib/sync/queries";

/** Sync history reads are scoped by platform in the query itself. */

const uid = () => randomUUID().slice(0, 8);

afterAll(async () => {
  await disconnectDb();
});

async function world() {
  const tag = uid();
  const platform = await db.platform.create({ data: { name: `Sync q ${tag}`, slug: `syncq-${tag}` } });
  const connector = await db.courseraConnector.create({ data: { platformId: platform.id, enabled: true } });
  const admin = await db.user.create({ data: { platformId: platform.id, email: `admin-${tag}@sync.test`, name: "Admin", role: "ADMIN" } });
  return { platformId: platform.id, connectorId: connector.id, adminId: admin.id, adminEmail: admin.email };
}

describe("sync history", () => {
  it("lists runs newest first with who triggered them, and a run's problems", async () => {
    const w = await world();
    const t0 = Date.UTC(2027, 0, 1);
    const old = await db.syncRun.create({
      data: {
        platformId: w.platformId,
        connectorId: w.connectorId,
        kind: "CATALOGUE",
        trigger: "SCHEDULE",
        status: "SUCCEEDED",
        queuedAt: new Date(t0),
        startedAt: new Date(t0),
        finishedAt: new Date(t0 + 90_000),
        created: 12,
      },
    });
    const recent = await db.syncRun.create({
      data: {
        platformId: w.platformId,
        connectorId: w.connectorId,
        kind: "STATISTICS",
        trigger: "MANUAL",
        triggeredById: w.adminId,
        status: "RUNNING",
        queuedAt: new Date(t0 + 3_600_000),
        startedAt: new Date(t0 + 3_600_000),
        progressDone: 40,
        progressTotal: 100,
      },
    });
    await db.syncProblem.create({ data: { runId: old.id, kind: "INVALID_RECORD", itemId: "x-1", message: "title missing" } });

    const list = await listSyncRuns(w.platformId);
    expect(list.runs.map((r) => [r.id, r.triggeredBy])).toEqual([
      [recent.id, w.adminEmail],
      [old.id, null],
    ]);
    expect((await getSyncRun(w.platformId, old.id))?.problems.map((p) => p.message)).toEqual(["title missing"]);
    expect(await getSyncRunProgress(w.platformId, recent.id)).toMatchObject({
      status: "RUNNING",
      final: false,
      progressDone: 40,
      progressTotal: 100,
    });
    expect(await getActiveRuns(w.platformId)).toMatchObject({ CATALOGUE: null, STATISTICS: { id: recent.id, status: "RUNNING" } });
    expect(await getSyncChartSeries(w.platformId, "CATALOGUE")).toEqual([
      expect.objectContaining({ id: old.id, durationSeconds: 90, created: 12 }),
    ]);
  });

  it("does not show another platform's run", async () => {
    const a = await world();
    const b = await world();
    const run = await db.syncRun.create({
      data: { platformId: b.platformId, connectorId: b.connectorId, kind: "CATALOGUE", trigger: "MANUAL" },
    });
    expect(await getSyncRun(a.platformId, run.id)).toBeNull();
    expect(await getSyncRunProgress(a.platformId, run.id)).toBeNull();
    expect((await listSyncRuns(a.platformId)).total).toBe(0);
  });
});
