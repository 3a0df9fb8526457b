import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures";
import { createAdminWorld } from "./admin-factories";
import { newId, query } from "./database";

/** The sync history's table as an admin reads it: in their own time zone. */

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
