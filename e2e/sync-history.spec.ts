import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures";
import { createAdminWorld } from "./admin-factories";
import { newId, query } from "./database";

/** The sync history's table as an admin reads it: in their own time zone, and up to date while it is open. */

// The viewer is in Tokyo (UTC+9, no daylight saving): 15:30 UTC is 00:30 there, the next day.
test.use({ timezoneId: "Asia/Tokyo" });

async function connectorOf(platformId: string): Promise<string> {
  const [{ id }] = await query<{ id: string }>(`SELECT "id" FROM "CourseraConnector" WHERE "platformId" = $1`, [platformId]);
  return id;
}

/** React's hydration errors, as the console and the page report them (a production build names them by number). */
function hydrationErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /hydrat|#418|#423|#425/i.test(message.text())) errors.push(message.text());
  });
  page.on("pageerror", (error) => {
    if (/hydrat|#418|#423|#425/i.test(error.message)) errors.push(error.message);
  });
  return errors;
}

test("the Started column reads in the viewer's time zone, with the exact instant kept, and hydrates cleanly", async ({ page }) => {
  const world = await createAdminWorld({ connector: "enabled" });
  const runId = newId();
  await query(
    `INSERT INTO "SyncRun" ("id", "platformId", "connectorId", "kind", "trigger", "status", "queuedAt", "startedAt", "finishedAt", "fetched", "created", "pages")
     VALUES ($1, $2, $3, 'CATALOGUE', 'SCHEDULE', 'SUCCEEDED', '2026-01-14T15:29:00Z', '2026-01-14T15:30:00Z', '2026-01-14T15:31:00Z', 3, 3, 1)`,
    [runId, world.platformId, await connectorOf(world.platformId)],
  );
  const errors = hydrationErrors(page);
  await signIn(page, world.admin.email);
  await page.goto(`/p/${world.platformId}/syncs`);

  await expect(page.getByRole("columnheader", { name: "Started (your time)" })).toBeVisible();
  const started = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`).getByRole("link").locator("time");
  await expect(started).toHaveText("15 Jan 2026, 00:30");
  await expect(started).toHaveAttribute("datetime", "2026-01-14T15:30:00.000Z");
  await expect(started).toHaveAttribute("title", "2026-01-14T15:30:00.000Z");
  expect(errors).toEqual([]);
});

test("a run started elsewhere appears in the open history within seconds, without a reload", async ({ page }) => {
  const world = await createAdminWorld({ connector: "enabled" });
  const connectorId = await connectorOf(world.platformId);
  await signIn(page, world.admin.email);
  await page.goto(`/p/${world.platformId}/syncs`);
  await expect(page.getByText("No sync has run yet.")).toBeVisible();
  // A marker on the window: a reload or a navigation would lose it.
  await page.evaluate(() => ((window as unknown as { historyMarker: boolean }).historyMarker = true));
  const url = page.url();

  // The schedule's statistics sync, as the worker leaves it while it runs.
  const scheduled = newId();
  await query(
    `INSERT INTO "SyncRun" ("id", "platformId", "connectorId", "kind", "trigger", "status", "queuedAt", "startedAt", "heartbeatAt", "fetched", "matched", "progressDone", "progressTotal")
     VALUES ($1, $2, $3, 'STATISTICS', 'SCHEDULE', 'RUNNING', now(), now(), now(), 10, 10, 10, 40)`,
    [scheduled, world.platformId, connectorId],
  );
  const scheduledRow = page.locator(`[data-testid="run-row"][data-run-id="${scheduled}"]`);
  await expect(scheduledRow).toBeVisible({ timeout: 10_000 });
  await expect(scheduledRow.getByTestId("run-trigger")).toHaveText("Daily schedule");
  await expect(scheduledRow.getByRole("progressbar", { name: "Statistics sync progress" })).toBeVisible();
  await expect(page.getByRole("button", { name: /Sync statistics now/ })).toBeDisabled();

  // Another admin's catalogue sync, begun and ended between two looks: it arrives too, at the top, finished.
  const quick = newId();
  await query(
    `INSERT INTO "SyncRun" ("id", "platformId", "connectorId", "kind", "trigger", "status", "queuedAt", "startedAt", "finishedAt", "fetched", "created", "pages")
     VALUES ($1, $2, $3, 'CATALOGUE', 'MANUAL', 'SUCCEEDED', now(), now(), now(), 2, 2, 1)`,
    [quick, world.platformId, connectorId],
  );
  await expect(page.getByTestId("run-row").first()).toHaveAttribute("data-run-id", quick, { timeout: 10_000 });
  await expect(page.getByTestId("run-row").first().getByTestId("row-status")).toHaveAttribute("data-status", "SUCCEEDED");
  await expect(page.getByTestId("run-row")).toHaveCount(2);

  expect(page.url()).toBe(url);
  expect(await page.evaluate(() => (window as unknown as { historyMarker?: boolean }).historyMarker)).toBe(true);
});
