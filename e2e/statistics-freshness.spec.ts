import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolation } from "./axe";
import { signIn } from "./fixtures";
import { createAdminWorld } from "./admin-factories";
import { newId, withDb } from "./database";

/**
 * The statistics page says how fresh its figures are: the last successful statistics sync (here the
 * hourly incremental one), when it read Coursera's report, and the last full sync, in the
 * connector's time zone; the sync history tells incremental runs from full ones.
 */
test("the statistics page shows how fresh the statistics are, and the history tells incremental runs from full ones", async ({ page }) => {
  test.setTimeout(120_000);
  const world = await createAdminWorld({ connector: "enabled" });
  const [fullRun, incrementalRun, failedRun] = [newId(), newId(), newId()];
  await withDb(async (db) => {
    // Tokyo (UTC+9, no daylight saving): 01:05 UTC is 10:05 there.
    await db.query(`UPDATE "CourseraConnector" SET "timeZone" = 'Asia/Tokyo' WHERE "platformId" = $1`, [world.platformId]);
    const { rows } = await db.query<{ id: string }>(`SELECT "id" FROM "CourseraConnector" WHERE "platformId" = $1`, [world.platformId]);
    const run = (id: string, mode: string, status: string, started: string, finished: string, changedSince: string | null) =>
      db.query(
        `INSERT INTO "SyncRun" ("id", "platformId", "connectorId", "kind", "mode", "changedSince", "trigger", "status", "queuedAt", "startedAt", "finishedAt", "fetched", "matched", "pages")
         VALUES ($1, $2, $3, 'STATISTICS', $4::"SyncMode", $5, 'SCHEDULE', $6::"SyncStatus", $7, $7, $8, 42, 42, 1)`,
        [id, world.platformId, rows[0].id, mode, changedSince, status, started, finished],
      );
    await run(fullRun, "FULL", "SUCCEEDED", "2026-11-30T19:00:00Z", "2026-11-30T19:12:00Z", null);
    await run(incrementalRun, "INCREMENTAL", "SUCCEEDED", "2026-12-01T01:04:00Z", "2026-12-01T01:05:00Z", "2026-11-29T17:00:00Z");
    // A later failure does not make the statistics any fresher.
    await run(failedRun, "INCREMENTAL", "FAILED", "2026-12-01T02:04:00Z", "2026-12-01T02:05:00Z", "2026-11-29T23:04:00Z");
  });

  await signIn(page, world.admin.email);
  await page.goto(`/p/${world.platformId}/statistics`);
  const freshness = page.getByTestId("statistics-freshness");
  // The connector's zone, not the browser's nor UTC.
  await expect(freshness).toContainText("As of Tue, 1 Dec 2026, 10:05 GMT+9, from Coursera’s report of Tue, 1 Dec 2026, 10:04 GMT+9");
  await expect(freshness).toContainText("(incremental sync: the records that changed)");
  await expect(freshness).toContainText("Last full sync: Tue, 1 Dec 2026, 04:12 GMT+9.");
  await expect(freshness.locator("time").first()).toHaveAttribute("datetime", "2026-12-01T01:05:00.000Z");
  await expectNoSeriousAxeViolation(page, "statistics");

  await page.goto(`/p/${world.platformId}/syncs?kind=STATISTICS`);
  const runs = page.getByRole("table", { name: "Sync runs, newest first" }).locator("tbody tr");
  await expect(runs).toHaveCount(3);
  await expect(runs.nth(0).locator("td").nth(1)).toHaveText("StatisticsIncremental");
  await expect(runs.nth(1).locator("td").nth(1)).toHaveText("StatisticsIncremental");
  await expect(runs.nth(2).locator("td").nth(1)).toHaveText("StatisticsFull");

  await page.goto(`/p/${world.platformId}/syncs/${incrementalRun}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Incremental statistics sync of");
  await expect(page.getByTestId("run-mode")).toContainText("Incremental: only the records with activity or a completion after");
});
