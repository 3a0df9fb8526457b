import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";
import { createAdminWorld } from "./admin-factories";
import { saveDemoCredentials, waitForRunToFinish } from "./admin-flows";
import { query } from "./database";

/**
 * The two tiers as deployed: `next start` serves pages and queues work, a
 * worker process (scripts/test.ts starts one, named e2e-worker) runs it. The
 * web server never runs a step: every run of the suite was written by the
 * worker, and only the worker ever held a job.
 */
test("a sync started from the web page runs on the worker, never on the web server", async ({ page }) => {
  const world = await createAdminWorld({ connector: "enabled" });
  await signIn(page, world.admin.email);
  const runId = await saveDemoCredentials(page, world.platformId);
  expect(await waitForRunToFinish(page)).toBe("SUCCEEDED");
  await expect(page.getByTestId("run-worker")).toContainText("Worker: e2e-worker");

  const [run] = await query<{ workerId: string }>(`SELECT "workerId" FROM "SyncRun" WHERE "id" = $1`, [runId]);
  expect(run.workerId).toMatch(/^e2e-worker:/);
  const writers = await query<{ workerId: string }>(`SELECT DISTINCT "workerId" FROM "SyncRun" WHERE "workerId" IS NOT NULL`);
  expect(writers.every((w) => w.workerId.startsWith("e2e-worker:"))).toBe(true);
  const workers = await query<{ id: string }>(`SELECT "id" FROM "Worker"`);
  expect(workers.length).toBeGreaterThan(0);
  expect(workers.every((w) => w.id.startsWith("e2e-worker:"))).toBe(true);
  const holders = await query<{ lockedBy: string }>(`SELECT DISTINCT "lockedBy" FROM "JobRun" WHERE "lockedBy" IS NOT NULL`);
  expect(holders.every((h) => h.lockedBy.startsWith("e2e-worker:"))).toBe(true);
});
