import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";
import { createAdminWorld, insertCourses, insertHistoryAndStats, insertUnmatchedPat } from "./admin-factories";
import { newId, query } from "./database";

test.describe("learner statistics, the unmatched inbox and sync history", () => {
  test("filters drive the table, the charts and a CSV of exactly the filtered rows; an unmatched learner linked to a user brings their statistics in", async ({
    page,
  }) => {
    const world = await createAdminWorld({ connector: "enabled" });
    const [negotiation, visualization] = await insertCourses(world.platformId, [
      { title: "Negotiation Skills" },
      { title: "Data Visualization" },
    ]);
    // The world's learner: Negotiation Skills completed (100 %, score 88), Data Visualization in progress (40 %).
    await insertHistoryAndStats(world, [negotiation, visualization]);
    // Coursera reported Pat's progress on Data Visualization under an email the platform does not know.
    const pat = await insertUnmatchedPat(world, visualization);

    await signIn(page, world.admin.email);
    await page.goto(`/p/${world.platformId}/statistics`);
    const summary = page.getByRole("region", { name: "Summary" });
    await expect(summary).toContainText("Enrollments2");
    await expect(summary).toContainText("Completion rate50%");
    const statusChart = page.getByRole("table", { name: "Completion: learner × course rows by status" });
    await expect(statusChart.getByRole("row", { name: "Completed" })).toContainText("1");
    await expect(statusChart.getByRole("row", { name: "In progress" })).toContainText("1");

    const rows = page.getByRole("table", { name: /Statistics per learner and course/ }).locator("tbody tr");
    await expect(rows).toHaveCount(2);
    await page.getByLabel("Status").selectOption("COMPLETED");
    await expect(page).toHaveURL(/status=COMPLETED/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Negotiation Skills");
    await expect(rows.first()).toContainText("Completed");
    await expect(summary).toContainText("Enrollments1");

    // The export carries the filter: exactly the one completed row, every column.
    const exportLink = page.getByRole("link", { name: "Export CSV (1 row)" });
    const [download] = await Promise.all([page.waitForEvent("download"), exportLink.click()]);
    const csv = (await readFile((await download.path())!, "utf8"))
      .replace(/^\uFEFF/, "")
      .trim()
      .split(/\r?\n/);
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain("Negotiation Skills");
    expect(csv[1]).toContain(world.learner.email);
    expect(csv.join("\n")).not.toContain("Data Visualization");

    await page.getByRole("link", { name: "Per course" }).click();
    const perCourse = page.getByRole("table", { name: /Statistics per course/ }).locator("tbody tr");
    await expect(perCourse).toHaveCount(1);
    await expect(perCourse.first()).toContainText("Negotiation Skills");

    // The inbox: link Pat's Coursera identity to the platform's Pat; the held record is applied at once.
    await page.getByRole("link", { name: "Unmatched learners" }).click();
    const inbox = page.getByRole("table", { name: "Unmatched Coursera identities" });
    await expect(inbox.getByRole("row", { name: /Pat Former/ })).toBeVisible();
    await page.getByRole("button", { name: "Link Pat Former to a user" }).click();
    const dialog = page.getByRole("dialog", { name: "Link Pat Former" });
    await expect(dialog.getByRole("combobox", { name: "Find a user" })).toHaveValue("Pat");
    await dialog.getByRole("option", { name: new RegExp(pat.email.replace(/[.]/g, "\\.")) }).click();
    await dialog.getByRole("button", { name: "Link", exact: true }).click();
    await expect(page.getByText("Linked. 1 record applied.")).toBeVisible();
    await expect(inbox.getByRole("row", { name: /Pat Former/ })).toHaveCount(0);
    await expect(inbox.getByRole("row", { name: /Ghost Learner/ })).toBeVisible();

    await page.goto(`/p/${world.platformId}/statistics`);
    await page.getByLabel("Search learners").fill("pat.");
    await expect(page).toHaveURL(/q=pat\./);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Data Visualization");
    await expect(rows.first()).toContainText("In progress");
    await expect(rows.first()).toContainText("70%");
  });

  test("before any statistics sync the page says so and where to run one, not that filters match nothing", async ({ page }) => {
    const world = await createAdminWorld({ connector: "enabled" });
    await signIn(page, world.admin.email);
    await page.goto(`/p/${world.platformId}/statistics`);
    await expect(page.getByTestId("statistics-freshness")).toContainText("No statistics sync has succeeded yet");
    const rows = page.getByRole("table", { name: /Statistics per learner and course/ }).locator("tbody tr");
    await expect(rows).toHaveText(["No statistics yet."]);
    await page.getByLabel("Status").selectOption("COMPLETED");
    await expect(rows).toHaveText(["No statistics match these filters."]);
    await page.getByTestId("statistics-freshness").getByRole("link", { name: "Sync history" }).click();
    await expect(page).toHaveURL(new RegExp(`/p/${world.platformId}/syncs`));
  });

  test("the filters, the view and a course pick fetch the view as JSON, not the page; back brings the earlier view back", async ({
    page,
  }) => {
    const world = await createAdminWorld({ connector: "enabled" });
    // The world's learner: Negotiation Skills completed, Data Visualization in progress.
    await insertHistoryAndStats(
      world,
      await insertCourses(world.platformId, [{ title: "Negotiation Skills" }, { title: "Data Visualization" }]),
    );
    await signIn(page, world.admin.email);
    await page.goto(`/p/${world.platformId}/statistics`);
    const summary = page.getByRole("region", { name: "Summary" });
    const rows = page.getByRole("table", { name: /Statistics per learner and course/ }).locator("tbody tr");
    await expect(rows).toHaveCount(2);
    // Any request for a server render of a page (not a link's prefetch) while the view changes.
    const pageRenders: string[] = [];
    page.on("request", (request) => {
      const headers = request.headers();
      if (headers["rsc"] === "1" && !headers["next-router-prefetch"]) pageRenders.push(request.url());
    });

    const answer = page.waitForResponse((r) => r.url().includes(`/api/platforms/${world.platformId}/statistics?status=IN_PROGRESS`));
    await page.getByLabel("Status").selectOption("IN_PROGRESS");
    expect((await answer).status()).toBe(200);
    await expect(page).toHaveURL(/status=IN_PROGRESS/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Data Visualization");
    await expect(summary).toContainText("Enrollments1");
    await expect(page.getByRole("link", { name: "Export CSV (1 row)" })).toHaveAttribute("href", /export\?status=IN_PROGRESS$/);

    await page.getByLabel("Status").selectOption("");
    await page.getByRole("link", { name: "Per course" }).click();
    await expect(page).toHaveURL(/view=courses/);
    const perCourse = page.getByRole("table", { name: /Statistics per course/ });
    await perCourse.getByRole("link", { name: "Negotiation Skills" }).click();
    await expect(page).toHaveURL(/course=/);
    await expect(page).not.toHaveURL(/view=courses/);
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText("Negotiation Skills");
    await expect(page.getByText("Negotiation Skills").first()).toBeVisible();
    await expect(summary).toContainText("Completion rate100%");
    expect(pageRenders).toEqual([]);

    // Back: the per-course view again, its two courses.
    await page.goBack();
    await expect(page).toHaveURL(/view=courses/);
    await expect(perCourse.locator("tbody tr")).toHaveCount(2);
    await expect(summary).toContainText("Enrollments2");
  });

  test("a running sync shows live progress, its Sync now waits until it ends, and the history charts and lists its runs with their problems", async ({
    page,
  }) => {
    const world = await createAdminWorld({ connector: "enabled" });
    await insertHistoryAndStats(world, await insertCourses(world.platformId, [{ title: "Any course" }]));
    // Credentials as saved (the value is never decrypted here: nothing is synchronised in this test).
    await query(
      `UPDATE "CourseraConnector" SET "orgId" = 'org-e2e', "clientId" = 'client-e2e', "clientSecretEncrypted" = 'e2e-unused', "clientSecretLast4" = 'used' WHERE "platformId" = $1`,
      [world.platformId],
    );
    const [{ id: connectorId }] = await query<{ id: string }>(`SELECT "id" FROM "CourseraConnector" WHERE "platformId" = $1`, [
      world.platformId,
    ]);
    const runId = newId();
    await query(
      `INSERT INTO "SyncRun" ("id", "platformId", "connectorId", "kind", "trigger", "status", "queuedAt", "startedAt", "heartbeatAt", "fetched", "matched", "progressDone", "progressTotal")
       VALUES ($1, $2, $3, 'STATISTICS', 'SCHEDULE', 'RUNNING', now(), now(), now(), 1000, 990, 1000, 4000)`,
      [runId, world.platformId, connectorId],
    );

    await signIn(page, world.admin.email);
    await page.goto(`/p/${world.platformId}/syncs`);
    await expect(page.getByRole("button", { name: /Sync statistics now/ })).toBeDisabled();
    await expect(page.getByRole("button", { name: /Sync catalogue now/ })).toBeEnabled();
    // The running run's row in the history carries its live status, bar and counters.
    const running = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
    const bar = running.getByRole("progressbar", { name: "Statistics sync progress" });
    await expect(bar).toHaveAttribute("aria-valuenow", "1000");

    // The sync moves on: the bar follows without a reload.
    await query(`UPDATE "SyncRun" SET "fetched" = 3000, "matched" = 2990, "progressDone" = 3000 WHERE "id" = $1`, [runId]);
    await expect(bar).toHaveAttribute("aria-valuenow", "3000");
    await expect(running.getByTestId("run-counts")).toContainText("3,000 fetched");

    // It ends: the page refreshes itself, the run joins the history and Sync now is offered again.
    await query(
      `UPDATE "SyncRun" SET "status" = 'SUCCEEDED', "fetched" = 4000, "matched" = 3990, "unmatched" = 10, "progressDone" = 4000, "finishedAt" = now() WHERE "id" = $1`,
      [runId],
    );
    await expect(page.getByRole("button", { name: /Sync statistics now/ })).toBeEnabled({ timeout: 15_000 });
    await expect(running.getByTestId("row-status")).toHaveAttribute("data-status", "SUCCEEDED");
    await expect(running.getByRole("progressbar")).toHaveCount(0);
    // The finished run is charted: its matched and unmatched records, as the chart's table gives them.
    const chart = page.getByRole("table", { name: "Statistics syncs: records per run" });
    await expect(chart.getByRole("row").last()).toContainText("3990");
    await expect(chart.getByRole("row").last()).toContainText("10");

    // Newest first: the statistics run, then the catalogue run, whose page lists its per-item problems.
    const runs = page.getByRole("table", { name: "Sync runs, newest first" }).locator("tbody tr");
    await expect(runs).toHaveCount(2);
    await expect(runs.nth(0)).toContainText("Statistics");
    await expect(runs.nth(1)).toContainText("Catalogue");
    await runs.nth(1).getByRole("link").click();
    const problems = page.getByRole("table", { name: "Problems recorded during this run" });
    await expect(problems).toContainText("bad-item-1");
    await expect(problems).toContainText("The element has no title.");
  });
});
