import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousAxeViolation } from "./axe";
import { signIn } from "./fixtures";
import { createAdminWorld } from "./admin-factories";
import { FINAL, saveDemoCredentials, waitForRunToFinish } from "./admin-flows";
import { query } from "./database";

/**
 * What an admin sees of the syncs: "Sync now" puts the new run at the top of
 * the history at once, live, without leaving or reloading the page; the
 * charts have a time axis; each run says who started it; the run page's
 * counts add up; the overview says what a run needing review waits for.
 */

async function axe(page: Page, label: string) {
  await page.waitForLoadState("networkidle");
  await expectNoSeriousAxeViolation(page, label);
}

/** Clicks "Sync now" for a kind and follows the new row in the history to its end, on the same page. */
async function syncNowAndFollowRow(page: Page, kind: "CATALOGUE" | "STATISTICS", adminName: string): Promise<string> {
  const known = await page.getByTestId("run-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-run-id")));
  // A marker on the window: a reload or a navigation away would lose it.
  await page.evaluate(() => ((window as unknown as { syncFeedbackMarker: boolean }).syncFeedbackMarker = true));
  const url = page.url();
  await page.getByRole("button", { name: kind === "CATALOGUE" ? "Sync catalogue now" : "Sync statistics now" }).click();

  const newest = page.getByTestId("run-row").first();
  await expect(newest).toHaveAttribute("data-kind", kind);
  const runId = (await newest.getAttribute("data-run-id"))!;
  expect(known).not.toContain(runId);
  await expect(newest.getByTestId("run-trigger")).toHaveText(`Sync now by ${adminName}`);
  // Queued or running at first (with its bar), then final, all in place.
  const status = newest.getByTestId("row-status");
  await expect(status).toHaveAttribute("data-status", FINAL, { timeout: 150_000 });
  await expect(page.getByTestId("run-row").first()).toHaveAttribute("data-run-id", runId);
  await expect(page.getByTestId("run-row").first().getByRole("progressbar")).toHaveCount(0);
  expect(page.url()).toBe(url);
  expect(await page.evaluate(() => (window as unknown as { syncFeedbackMarker?: boolean }).syncFeedbackMarker)).toBe(true);
  await expect(page.getByRole("button", { name: kind === "CATALOGUE" ? "Sync catalogue now" : "Sync statistics now" })).toBeEnabled();

  const [row] = await query<{ trigger: string; triggeredById: string | null; status: string }>(
    `SELECT "trigger"::text, "triggeredById", "status"::text FROM "SyncRun" WHERE "id" = $1`,
    [runId],
  );
  expect(row.trigger).toBe("MANUAL");
  expect(row.status).toMatch(FINAL);
  return runId;
}

test("Sync now shows the new run in the history at once and follows it live; charts, counts and review hints read well", async ({
  page,
}) => {
  test.setTimeout(480_000);
  const world = await createAdminWorld({ connector: "enabled" });
  const [{ name: adminName }] = await query<{ name: string }>(`SELECT "name" FROM "User" WHERE "id" = $1`, [world.admin.id]);
  const base = `/p/${world.platformId}`;
  await signIn(page, world.admin.email);

  // Saving credentials starts the first catalogue sync: the connector page's box follows it and
  // never says "in progress" once it has ended.
  await saveDemoCredentials(page, world.platformId);
  expect(await waitForRunToFinish(page)).toBe("SUCCEEDED");
  await expect(page.getByTestId("run-trigger")).toHaveText(`Started by: Credentials saved by ${adminName}`);
  await page.goto(`${base}/connector`);
  const box = page.getByTestId("active-run-box");
  if ((await box.count()) > 0) await expect(box).not.toContainText("in progress");

  await page.goto(`${base}/syncs`);
  await expect(page.getByRole("heading", { name: "Sync history" })).toBeVisible();
  const statisticsRunId = await syncNowAndFollowRow(page, "STATISTICS", adminName);
  await syncNowAndFollowRow(page, "CATALOGUE", adminName);

  // The charts: a time axis (dates, not "#1"), a dot for a kind's single run.
  const charts = page.getByTestId("time-chart");
  await expect(charts).toHaveCount(3);
  // Recharts 3 draws tick labels in its own layer: read every text of the first chart's drawing.
  const texts = () => charts.first().locator("svg text").allTextContents();
  await expect.poll(async () => (await texts()).filter((t) => /^\d{1,2} [A-Z][a-z]{2}(, \d{2}:\d{2})?$/.test(t)).length).toBeGreaterThan(1);
  expect((await texts()).filter((t) => t.startsWith("#"))).toEqual([]);
  // The statistics chart has one run: its points are drawn.
  const statisticsChart = charts.filter({ hasText: "Statistics syncs: records per run" });
  await expect(statisticsChart.locator("svg .recharts-dot").first()).toBeVisible();
  await axe(page, "sync history");

  // The run page: who started it and counts that add up.
  await page.goto(`${base}/syncs/${statisticsRunId}`);
  await expect(page.getByTestId("run-trigger")).toHaveText(`Started by: Sync now by ${adminName}`);
  const [run] = await query<{ fetched: number; updated: number; unchanged: number; unmatched: number; invalid: number; status: string }>(
    `SELECT "fetched", "updated", "unchanged", "unmatched", "invalid", "status"::text FROM "SyncRun" WHERE "id" = $1`,
    [statisticsRunId],
  );
  expect(run.updated + run.unchanged + run.unmatched + run.invalid).toBe(run.fetched);
  await expect(page.getByTestId("counts-equation")).toHaveText(new RegExp(`^${run.fetched.toLocaleString("en-GB")} fetched = `));
  await expect(page.getByTestId("counts-equation")).not.toContainText("not accounted for");
  await axe(page, "run page");

  // The overview: a run that needs review says what for, and links to where to act.
  await page.goto(base);
  if (run.status === "NEEDS_REVIEW") {
    const hint = page.locator(`[data-testid="recent-run"][data-status="NEEDS_REVIEW"]`).first().getByTestId("review-hint");
    await expect(hint).toContainText("could not be matched");
    await hint.getByRole("link", { name: "Resolve them in the unmatched inbox" }).click();
    await expect(page).toHaveURL(new RegExp(`${base}/unmatched$`));
    await page.goto(base);
  }
  await expect(page.getByTestId("next-syncs")).toBeVisible();
  await axe(page, "overview");
  await page.goto(`${base}/connector`);
  await axe(page, "connector");
});
