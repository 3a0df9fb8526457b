import { expect, test } from "@playwright/test";
import { expectNoSeriousAxeViolation } from "./axe";
import { DEMO_USERS, signIn } from "./fixtures";
import { createAdminWorld, insertCourses } from "./admin-factories";
import { newId, query } from "./database";

/**
 * Customer success's two tools of issue 18, as a CSM uses them: moving a
 * connector's synchronized group through the summary of what changes (groups
 * gaining and losing the courses, learners losing access, those in the middle
 * of a course), a summary that notices a tree changed under it, the undo from
 * the connector page and from the audit log; and the fleet view with platforms
 * in trouble, filtered, sorted, with no serious accessibility violation.
 */

const syncGroupOf = async (platformId: string) =>
  (await query<{ syncGroupId: string }>(`SELECT "syncGroupId" FROM "CourseraConnector" WHERE "platformId" = $1`, [platformId]))[0]
    .syncGroupId;

test("a CSM moves the synchronized group after reviewing its impact, and undoes it", async ({ page }) => {
  test.setTimeout(180_000);
  // Connector on Engineering: Engineering, Platform Team and SRE Guild receive the courses (Incident Board is private).
  const world = await createAdminWorld({ connector: "enabled" });
  const [courseId] = await insertCourses(world.platformId, [{ title: `Moving course ${world.tag}` }]);
  const salesLearner = newId();
  await query(
    `INSERT INTO "User" ("id", "platformId", "email", "name", "role", "updatedAt") VALUES ($1, $2, $3, 'Sam Sales', 'LEARNER', now())`,
    [salesLearner, world.platformId, `sales.${world.tag}@admin-e2e.test`],
  );
  await query(`INSERT INTO "GroupMembership" ("groupId", "userId") VALUES ($1, $2), ($3, $4)`, [
    world.groups.sre,
    world.learner.id,
    world.groups.sales,
    salesLearner,
  ]);
  await query(
    `INSERT INTO "LearnerCourseStat" ("id", "platformId", "userId", "courseId", "status", "progressPercent", "updatedAt")
     VALUES ($1, $2, $3, $4, 'IN_PROGRESS', 40, now())`,
    [newId(), world.platformId, world.learner.id, courseId],
  );

  await signIn(page, DEMO_USERS.csm.email);
  await page.goto(`/p/${world.platformId}/connector`);
  await page.getByRole("radio", { name: "Sales" }).check();
  await page.getByRole("button", { name: "Move synchronized group to Sales…" }).click();

  const dialog = page.getByRole("dialog", { name: "Move the synchronized group?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("groups-gaining")).toHaveText("Company › Sales");
  await expect(dialog.getByTestId("groups-losing").getByRole("listitem")).toHaveText([
    "Company › Engineering",
    "Company › Engineering › Platform Team",
    "Company › Engineering › Platform Team › SRE Guild",
  ]);
  await expect(dialog.getByTestId("learners-losing")).toHaveText("1 learner loses");
  await expect(dialog.getByTestId("learners-in-progress")).toHaveText("1 of them with a course in progress");
  await expect(dialog.getByTestId("learners-gaining")).toHaveText("1 learner gains access.");
  await expectNoSeriousAxeViolation(page, "the confirmation dialog");
  // Nothing moved yet.
  expect(await syncGroupOf(world.platformId)).toBe(world.groups.engineering);

  // Someone adds a public subgroup under Sales before the CSM confirms: the summary says it changed.
  const salesEmea = newId();
  await query(
    `INSERT INTO "Group" ("id", "platformId", "parentId", "name", "isPublic", "updatedAt") VALUES ($1, $2, $3, 'Sales EMEA', true, now())`,
    [salesEmea, world.platformId, world.groups.sales],
  );
  await dialog.getByRole("button", { name: "Move to Sales" }).click();
  await expect(dialog.getByTestId("impact-changed")).toContainText("The impact changed");
  await expect(dialog.getByTestId("groups-gaining").getByRole("listitem")).toHaveText(["Company › Sales", "Sales EMEA"]);
  expect(await syncGroupOf(world.platformId)).toBe(world.groups.engineering);

  await dialog.getByRole("button", { name: "Move to Sales" }).click();
  await expect(page.getByText("Coursera courses now go to Sales.")).toBeVisible();
  await expect(dialog).toBeHidden();
  expect(await syncGroupOf(world.platformId)).toBe(world.groups.sales);
  const [moved] = await query<{ id: string; details: Record<string, unknown> }>(
    `SELECT "id", "details" FROM "AuditLog" WHERE "platformId" = $1 AND "action" = 'connector.sync_group_changed'`,
    [world.platformId],
  );
  expect(moved.details).toMatchObject({ fromGroupName: "Engineering", groupName: "Sales", learnersLosing: 1, learnersLosingInProgress: 1 });

  // Undo from the connector page.
  const lastMove = page.getByTestId("last-group-move");
  await expect(lastMove).toContainText("Last move: from Engineering to Sales");
  await lastMove.getByRole("button", { name: "Undo this move" }).click();
  const undo = page.getByRole("dialog", { name: "Undo the last move of the synchronized group?" });
  await expect(undo.getByTestId("groups-gaining").getByRole("listitem")).toHaveText(["Engineering", "Platform Team", "SRE Guild"]);
  await expect(undo.getByTestId("learners-losing")).toHaveText("1 learner loses");
  await undo.getByRole("button", { name: "Undo the move" }).click();
  await expect(page.getByText("Move undone: Coursera courses go to Engineering again.")).toBeVisible();
  expect(await syncGroupOf(world.platformId)).toBe(world.groups.engineering);
  await expect(page.getByTestId("last-group-move")).toHaveCount(0);

  // Move again, then undo from the audit log entry.
  await page.getByRole("radio", { name: "SRE Guild" }).check();
  await page.getByRole("button", { name: "Move synchronized group to SRE Guild…" }).click();
  await expect(page.getByRole("dialog").getByTestId("learners-losing")).toHaveText("0 learners lose");
  await page.getByRole("dialog").getByRole("button", { name: "Move to SRE Guild" }).click();
  await expect(page.getByText("Coursera courses now go to SRE Guild.")).toBeVisible();
  await page.goto(`/p/${world.platformId}/audit`);
  const entry = page.getByRole("row").filter({ hasText: "Engineering → SRE Guild" });
  await entry.getByRole("button", { name: "Undo this move" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Undo the move" }).click();
  await expect(page.getByText("Move undone: Coursera courses go to Engineering again.")).toBeVisible();
  expect(await syncGroupOf(world.platformId)).toBe(world.groups.engineering);
  await expect(page.getByRole("button", { name: "Undo this move" })).toHaveCount(0);
  const actions = await query<{ action: string; actorEmail: string }>(
    `SELECT "action", "actorEmail" FROM "AuditLog" WHERE "platformId" = $1 ORDER BY "createdAt"`,
    [world.platformId],
  );
  expect(actions).toEqual(
    [
      "connector.sync_group_changed",
      "connector.sync_group_move_undone",
      "connector.sync_group_changed",
      "connector.sync_group_move_undone",
    ].map((action) => ({ action, actorEmail: DEMO_USERS.csm.email })),
  );

  // The platform's admin sees the moves, never an undo.
  await page.context().clearCookies();
  await signIn(page, world.admin.email);
  await page.goto(`/p/${world.platformId}/audit`);
  const entries = page.getByRole("table", { name: "Audit entries, newest first" });
  await expect(entries.getByText("Undid a move of the synchronized group").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Undo this move" })).toHaveCount(0);
});

test("the fleet view shows the platforms in trouble, filtered and sorted, to customer success only", async ({ page }) => {
  test.setTimeout(120_000);
  const tag = newId().slice(-8);
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
  const platforms: Record<string, { id: string; name: string; connector: string }> = {};
  for (const key of ["Failing", "Review", "Healthy", "Disabled"]) {
    const id = newId();
    platforms[key] = { id, name: `Fleet ${tag} ${key}`, connector: newId() };
    await query(`INSERT INTO "Platform" ("id", "name", "slug", "updatedAt") VALUES ($1, $2, $3, now())`, [
      id,
      platforms[key].name,
      `fleet-${tag}-${key}`.toLowerCase(),
    ]);
    await query(
      `INSERT INTO "CourseraConnector" ("id", "platformId", "enabled", "enabledAt", "orgId", "clientId", "clientSecretEncrypted", "clientSecretLast4", "credentialsUpdatedAt", "updatedAt")
       VALUES ($1, $2, $3, $4, 'org', 'client', 'sealed', 'abcd', $4, now())`,
      [platforms[key].connector, id, key !== "Disabled", hoursAgo(24 * 5)],
    );
  }
  const run = (key: string, kind: string, status: string, h: number, held = 0) =>
    query(
      `INSERT INTO "SyncRun" ("id", "platformId", "connectorId", "kind", "trigger", "status", "queuedAt", "finishedAt", "heldRetirements", "errorMessage")
       VALUES ($1, $2, $3, $4::"SyncKind", 'SCHEDULE', $5::"SyncStatus", $6, $6, $7, $8)`,
      [
        newId(),
        platforms[key].id,
        platforms[key].connector,
        kind,
        status,
        hoursAgo(h),
        held,
        status === "FAILED" ? "Coursera answered 503." : null,
      ],
    );
  for (const key of ["Failing", "Review", "Healthy"]) await run(key, "STATISTICS", "SUCCEEDED", 2);
  await run("Failing", "CATALOGUE", "SUCCEEDED", 80);
  await run("Failing", "CATALOGUE", "FAILED", 50);
  await run("Failing", "CATALOGUE", "FAILED", 3);
  await run("Review", "CATALOGUE", "NEEDS_REVIEW", 1, 7);
  await run("Healthy", "CATALOGUE", "SUCCEEDED", 3);

  // An admin has no fleet.
  const world = await createAdminWorld();
  await signIn(page, world.admin.email);
  await expect(page.getByRole("link", { name: "Fleet health" })).toHaveCount(0);
  expect((await page.goto("/fleet"))?.status()).toBe(403);
  expect((await page.request.get("/api/fleet")).status()).toBe(403);
  await page.context().clearCookies();

  await signIn(page, DEMO_USERS.csm.email);
  await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Fleet health" }).click();
  await expect(page.getByRole("heading", { name: "Fleet health" })).toBeVisible();
  await page.getByLabel("Search platforms").fill(`Fleet ${tag}`);
  const table = page.getByTestId("fleet-table").getByRole("table");
  const rows = table.locator("tbody tr");
  // Worst first by default.
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0)).toContainText(platforms.Failing.name);
  await expect(rows.nth(0).getByTestId("fleet-health")).toContainText("Failing");
  await expect(rows.nth(0)).toContainText("Coursera answered 503.");
  // Failing since the first failure of the streak (50 h ago), not the last one.
  await expect(rows.nth(0)).toContainText("2 d ago");
  await expect(rows.nth(1)).toContainText(platforms.Review.name);
  await expect(rows.nth(1)).toContainText("7 retirements held");
  await expect(rows.nth(3)).toContainText(platforms.Disabled.name);
  await expect(rows.nth(3)).toContainText("Disabled");

  await page.getByLabel("Trouble").selectOption("failing");
  await expect(page).toHaveURL(/trouble=failing/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(platforms.Failing.name);
  await page.getByLabel("Trouble").selectOption("needs_review");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(platforms.Review.name);
  await page.getByLabel("Trouble").selectOption("disabled");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(platforms.Disabled.name);
  // Stale over 10 hours: the failing catalogue last succeeded 80 h ago.
  await page.getByLabel("Trouble").selectOption("stale");
  await page.getByLabel("Stale after (hours)").fill("10");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/staleHours=10/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(platforms.Failing.name);

  await page.getByLabel("Trouble").selectOption("");
  await expect(rows).toHaveCount(4);
  await table.getByRole("button", { name: "Platform" }).click();
  await expect(page).toHaveURL(/sort=name/);
  await expect(rows.nth(0)).toContainText(platforms.Disabled.name);
  await expect(rows.nth(3)).toContainText(platforms.Review.name);
  await expect(table.getByRole("columnheader", { name: "Platform" })).toHaveAttribute("aria-sort", "ascending");

  await expectNoSeriousAxeViolation(page, "/fleet");

  // At a phone's width the filters fold behind one button that says they are in use, and the table is on the first screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const filters = page.getByRole("button", { name: /^Filters/ });
  await expect(filters).toContainText("2 in use");
  await expect(page.getByLabel("Search platforms")).toBeHidden();
  await expect(rows.first()).toBeInViewport();
  await filters.click();
  await expect(page.getByLabel("Search platforms")).toHaveValue(`Fleet ${tag}`);
  await expectNoSeriousAxeViolation(page, "/fleet at 390 px");
});
