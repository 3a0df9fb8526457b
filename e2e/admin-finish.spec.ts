import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousAxeViolation } from "./axe";
import { signIn } from "./fixtures";
import { createAdminWorld, insertCourses, insertHistoryAndStats, insertUnmatchedPat } from "./admin-factories";
import { demoOrgCopy } from "./admin-flows";
import { newId, query } from "./database";

/**
 * The finish of the admin pages (issue 18): statistics bars and legend, the credentials form's one
 * error per problem, linking an unmatched learner with the keyboard alone, the audit log's filters and
 * CSV, and the navigation at a phone's width. Axe scans each page in the state the test leaves it.
 */

// Axe alone takes tens of seconds a page on a busy two-core machine.
test.describe.configure({ timeout: 240_000 });

async function downloadCsv(page: Page, link: ReturnType<Page["getByRole"]>): Promise<string[]> {
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  return (await readFile((await download.path())!, "utf8"))
    .replace(/^\uFEFF/, "")
    .trim()
    .split(/\r\n/);
}

test("statistics: progress bars with their value, a status legend, and a CSV in the page's column order", async ({ page }) => {
  const world = await createAdminWorld({ connector: "enabled" });
  const courses = await insertCourses(world.platformId, [{ title: "Negotiation Skills" }, { title: "Data Visualization" }]);
  // The learner: Negotiation Skills completed (100 %, 120 min), Data Visualization in progress (40 %, 30 min).
  await insertHistoryAndStats(world, courses);

  await signIn(page, world.admin.email);
  await page.goto(`/p/${world.platformId}/statistics`);
  const table = page.getByRole("table", { name: /Statistics per learner and course/ });
  const completed = table.getByRole("row").filter({ hasText: "Negotiation Skills" });
  const inProgress = table.getByRole("row").filter({ hasText: "Data Visualization" });
  await expect(completed.getByRole("progressbar", { name: "Progress" })).toHaveAttribute("aria-valuenow", "100");
  await expect(inProgress.getByRole("progressbar", { name: "Progress" })).toHaveAttribute("aria-valuetext", "40%");
  await expect(inProgress).toContainText("40%");
  await expect(completed).toContainText("Completed");
  await expect(completed).toContainText("2 h");
  await expect(inProgress).toContainText("30 min");

  // The legend names each colour in words.
  const legend = page.getByRole("list", { name: "Colour key" });
  await expect(legend.getByRole("listitem")).toHaveText([/Completed/, /In progress/, /Not started/]);
  await expectNoSeriousAxeViolation(page, "statistics");

  const csv = await downloadCsv(page, page.getByRole("link", { name: /Export CSV/ }));
  expect(csv[0]).toBe(
    "Learner,Email,Course,Coursera content id,Status,Progress (%),Score (%),Time spent (minutes),Last activity (UTC),Enrolled (UTC),Completed (UTC),Reported by Coursera (UTC)",
  );
  const negotiation = csv.find((line) => line.includes("Negotiation Skills"))!.split(",");
  expect(negotiation.slice(4, 8)).toEqual(["Completed", "100", "88", "120"]);
  expect(negotiation[8]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
});

test("credentials: a refusal shows once, next to its field, goes when the field changes, and is audited without the secret", async ({
  page,
}) => {
  const world = await createAdminWorld({ connector: "enabled" });
  const org = await demoOrgCopy(world.tag);
  const wrongSecret = `wrong-${world.tag}-secret`;
  await signIn(page, world.admin.email);
  await page.goto(`/p/${world.platformId}/connector`);
  await page.getByLabel("Organisation id").fill(org.orgId);
  await page.getByLabel("Client id").fill(org.clientId);
  const secret = page.getByLabel("Client secret");
  await secret.fill(wrongSecret);
  await page.getByRole("button", { name: "Save credentials" }).click();

  const refusal = page.getByText("Coursera rejected the client ID or client secret");
  await expect(refusal).toHaveCount(1, { timeout: 30_000 });
  await expect(secret).toHaveAttribute("aria-invalid", "true");
  await expect(secret).toBeFocused();
  await expectNoSeriousAxeViolation(page, "connector with an error");

  await secret.press("Backspace");
  await expect(refusal).toHaveCount(0);
  await expect(secret).not.toHaveAttribute("aria-invalid", "true");

  const audit = await query<{ actorEmail: string; details: Record<string, unknown> }>(
    `SELECT "actorEmail", "details" FROM "AuditLog" WHERE "platformId" = $1 AND "action" = 'credentials.rejected'`,
    [world.platformId],
  );
  expect(audit).toHaveLength(1);
  expect(audit[0].actorEmail).toBe(world.admin.email);
  expect(audit[0].details).toMatchObject({ orgId: org.orgId, courseraCode: "BAD_CREDENTIALS" });
  expect(JSON.stringify(audit[0].details)).not.toContain(wrongSecret);
});

test("unmatched inbox: an identity is linked with the keyboard alone, and an empty search says so", async ({ page }) => {
  const world = await createAdminWorld({ connector: "enabled" });
  const [course] = await insertCourses(world.platformId, [{ title: "Data Visualization" }]);
  const pat = await insertUnmatchedPat(world, course);

  await signIn(page, world.admin.email);
  await page.goto(`/p/${world.platformId}/unmatched`);
  const row = page.getByRole("table", { name: "Unmatched Coursera identities" }).getByRole("row", { name: /Pat Former/ });
  await expect(row).toBeVisible();
  // From here on, only keys.
  await row.getByRole("button", { name: "Link Pat Former to a user" }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Link Pat Former" });
  const combobox = dialog.getByRole("combobox", { name: "Find a user" });
  await expect(combobox).toBeFocused();

  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("nobody-by-that-name");
  await expect(dialog.getByText("No user matches “nobody-by-that-name”.")).toBeVisible();
  await expect(dialog.getByRole("option")).toHaveCount(0);
  await expectNoSeriousAxeViolation(page, "link dialog, nothing found");

  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("Pat Former");
  const option = dialog.getByRole("option", { name: new RegExp(pat.email.replace(/[.]/g, "\\.")) });
  await expect(option).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await expect(combobox).toHaveAttribute("aria-activedescendant", (await option.getAttribute("id"))!);
  await page.keyboard.press("Enter");
  await expect(option).toHaveAttribute("aria-selected", "true");
  await expect(dialog.getByText(`Picked: Pat Former (${pat.email})`)).toBeVisible();
  await expectNoSeriousAxeViolation(page, "link dialog, a user picked");
  // Tab to the Link button (past Cancel) and press it.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Link", exact: true })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByText("Linked. 1 record applied.")).toBeVisible();
  await expect(row).toHaveCount(0);
  const links = await query<{ userId: string }>(`SELECT "userId" FROM "LearnerIdentityLink" WHERE "platformId" = $1`, [world.platformId]);
  expect(links).toEqual([{ userId: pat.id }]);
  await expectNoSeriousAxeViolation(page, "unmatched");
});

test("audit log: filters by actor, dates and text on the server, and exports exactly the filtered entries", async ({ page }) => {
  const world = await createAdminWorld({ connector: "enabled" });
  const other = `other.${world.tag}@admin-e2e.test`;
  const entries: [string | null, string, Record<string, unknown>, string][] = [
    [world.admin.email, "credentials.rejected", { orgId: `org-${world.tag}`, courseraCode: "BAD_CREDENTIALS" }, "2027-03-01T10:00:00Z"],
    [world.admin.email, "skills.changed", { added: ["Negotiation"], courseTitle: "Negotiation Skills" }, "2027-03-02T10:00:00Z"],
    [other, "skills.changed", { added: ["Statistics"], courseTitle: "Data Visualization" }, "2027-03-02T11:00:00Z"],
    [null, "sync.started", { kind: "CATALOGUE", trigger: "SCHEDULE" }, "2027-03-05T10:00:00Z"],
  ];
  for (const [actorEmail, action, details, at] of entries) {
    await query(
      `INSERT INTO "AuditLog" ("id", "platformId", "actorEmail", "action", "details", "createdAt") VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
      [newId(), world.platformId, actorEmail, action, JSON.stringify(details), at],
    );
  }

  await signIn(page, world.admin.email);
  await page.goto(`/p/${world.platformId}/audit`);
  const rows = page.getByRole("table", { name: "Audit entries, newest first" }).locator("tbody tr");
  await expect(rows).toHaveCount(4);
  await page.getByLabel("Who", { exact: true }).selectOption(world.admin.email);
  await expect(page).toHaveURL(/actor=/);
  await expect(rows).toHaveCount(2);
  await page.getByLabel("From", { exact: true }).fill("2027-03-02");
  await page.getByLabel("To", { exact: true }).fill("2027-03-03");
  await expect(page).toHaveURL(/to=2027-03-03/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Negotiation Skills");

  // The text search reads the details too; with the other filters cleared it finds the refused credentials.
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).not.toHaveURL(/from=|actor=/);
  await expect(rows).toHaveCount(4);
  await page.getByLabel("Search", { exact: true }).fill("BAD_CREDENTIALS");
  await expect(page).toHaveURL(/q=BAD_CREDENTIALS/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Tried credentials Coursera refused");
  await expect(rows.first()).toContainText("wrong client id or secret");
  await expectNoSeriousAxeViolation(page, "audit, filtered");

  const csv = await downloadCsv(page, page.getByRole("link", { name: "Export CSV (1 entry)" }));
  expect(csv[0]).toBe("When (UTC),Who,What,Details,Action code,Target type,Target id");
  expect(csv).toHaveLength(2);
  expect(csv[1]).toBe(
    `2027-03-01 10:00:00,${world.admin.email},Tried credentials Coursera refused,organisation org-${world.tag}: wrong client id or secret,credentials.rejected,,`,
  );
});

test("at a phone's width the sections are one menu away, filters fold, and the table is on the first screen", async ({ page }) => {
  const world = await createAdminWorld({ connector: "enabled" });
  await insertHistoryAndStats(
    world,
    await insertCourses(world.platformId, [{ title: "Negotiation Skills" }, { title: "Data Visualization" }]),
  );
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, world.admin.email);
  await page.goto(`/p/${world.platformId}/statistics`);

  const nav = page.getByRole("navigation", { name: "Platform" });
  const sections = nav.getByRole("button", { name: /Sections: Learner statistics/ });
  await expect(sections).toHaveAttribute("aria-expanded", "false");
  await expect(nav.getByRole("link", { name: "Audit log" })).toBeHidden();
  // Nothing sticks out of the screen sideways (wide tables scroll inside their own box).
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // The filters are folded; the table's first row is on the first screen.
  const filters = page.getByRole("button", { name: "Filters" });
  await expect(filters).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByLabel("Search learners")).toBeHidden();
  const firstRow = page
    .getByRole("table", { name: /Statistics per learner and course/ })
    .locator("tbody tr")
    .first();
  const box = (await firstRow.boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(844);
  await filters.click();
  await expect(page.getByLabel("Search learners")).toBeVisible();
  await expectNoSeriousAxeViolation(page, "statistics at 390 px");

  // Every section is reachable: open the menu, every link is on screen, choose one.
  await sections.click();
  await expect(sections).toHaveAttribute("aria-expanded", "true");
  for (const name of ["Overview", "Connector", "Courses", "Sync history", "Learner statistics", "Unmatched learners", "Audit log"]) {
    await expect(nav.getByRole("link", { name, exact: true })).toBeInViewport();
  }
  await expectNoSeriousAxeViolation(page, "menu open at 390 px");
  await nav.getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(nav.getByRole("button", { name: /Sections: Audit log/ })).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("table", { name: "Audit entries, newest first" })).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectNoSeriousAxeViolation(page, "audit at 390 px");

  // Sync history: the runs come before the charts on a phone.
  await nav.getByRole("button", { name: /Sections: Audit log/ }).click();
  await nav.getByRole("link", { name: "Sync history" }).click();
  const runs = page.getByRole("table", { name: "Sync runs, newest first" });
  await expect(runs.locator("tbody tr").first()).toBeInViewport();
  const [runsBox, chartBox] = [(await runs.boundingBox())!, (await page.getByTestId("time-chart").first().boundingBox())!];
  expect(chartBox.y).toBeGreaterThan(runsBox.y + runsBox.height);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
