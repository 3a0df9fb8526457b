import { expect, test, type Page } from "@playwright/test";
import { createAdminWorld } from "./admin-factories";
import { saveDemoCredentials, waitForRunToFinish } from "./admin-flows";
import { query } from "./database";
import { expectNoSeriousAxeViolation } from "./axe";
import { signIn } from "./fixtures";

/**
 * Issue 19, part 1, through the admin pages: a dry run of a plain sync; the admin narrows what is
 * imported to one of the organisation's two programs, reads the dry run, saves;
 * the catalogue sync that follows holds the retirements (more than the share a
 * sync retires on its own) with the selection named as the cause, and retires
 * exactly the dry run's number once the admin confirms. Widening back adds
 * exactly as many again.
 */

async function axe(page: Page, label: string) {
  // Scanned once the preview has settled (a preview still loading is shown with a dashed border, not faded).
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await expectNoSeriousAxeViolation(page, label);
}

/** "… would add 0 courses, retire 57 courses (…), and keep 63 courses." → the three numbers. */
async function previewFigures(page: Page) {
  await expect(page.getByTestId("selection-preview")).not.toHaveAttribute("aria-busy", "true");
  const text = (await page.getByTestId("selection-preview").locator("p").first().textContent()) ?? "";
  const n = (re: RegExp) => Number(text.match(re)?.[1]?.replace(/,/g, "") ?? NaN);
  return { add: n(/add ([\d,]+) course/), retire: n(/retire ([\d,]+) course/), keep: n(/keep ([\d,]+) course/) };
}

const activeCourses = async (platformId: string) =>
  (await query<{ n: number }>(`SELECT count(*)::int AS n FROM "Course" WHERE "platformId" = $1 AND "retiredAt" IS NULL`, [platformId]))[0]
    .n;

test("an admin narrows the import to one program with a dry run, confirms the held retirements, then widens back", async ({ page }) => {
  test.setTimeout(360_000);
  const world = await createAdminWorld({ connector: "enabled" });
  await signIn(page, world.admin.email);
  await saveDemoCredentials(page, world.platformId);
  expect(await waitForRunToFinish(page)).toBe("SUCCEEDED");
  const all = await activeCourses(world.platformId);
  expect(all).toBe(120);

  // The dry run of a plain sync: Coursera's listing read again, nothing to change, nothing written.
  await page.goto(`/p/${world.platformId}/syncs`);
  await page.getByRole("button", { name: "Preview the next catalogue sync" }).click();
  await page.getByRole("button", { name: "View run" }).click();
  expect(await waitForRunToFinish(page)).toBe("SUCCEEDED");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Catalogue dry run");
  await expect(page.getByTestId("dry-run-summary")).toContainText(
    "would add 0, update 0, restore 0 and retire 0 courses, and leave 120 unchanged",
  );

  await page.goto(`/p/${world.platformId}/connector`);
  await expect(page.getByTestId("import-summary")).toContainText("Everything Coursera offers your organisation");
  await page.getByRole("link", { name: "Choose programs, content types and languages" }).click();
  await expect(page.getByRole("heading", { name: "What is imported" })).toBeVisible();
  await expect(page.getByTestId("listing-basis")).toContainText("Coursera's last complete listing");
  const programs = page.getByTestId("selection-programs");
  // The programs come from Coursera's programs listing, by name, with their items in the last listing.
  await expect(programs.getByText("Acme Learning")).toBeVisible();
  await expect(programs.getByText("Acme Leadership Academy")).toBeVisible();
  await axe(page, "import selection");

  // Narrow to one program: nothing checked yet is not a selection.
  await programs.getByRole("radio", { name: "Only the programs checked below" }).check();
  await expect(page.getByText("Check at least one program")).toBeVisible();
  await programs.getByRole("checkbox", { name: /Acme Leadership Academy/ }).check();
  await expect(page.getByTestId("selection-preview")).toContainText("The next catalogue sync would add 0 courses");
  const narrowing = await previewFigures(page);
  expect(narrowing.retire + narrowing.keep).toBe(all);
  expect(narrowing.retire).toBeGreaterThan(0.2 * all);
  await expect(page.getByTestId("selection-preview")).toContainText("nothing will be retired until you choose “Retire them”");
  await axe(page, "import selection");

  await page.getByRole("button", { name: "Save and sync the catalogue" }).click();
  await page.getByRole("link", { name: "follow the sync" }).click();
  expect(await waitForRunToFinish(page)).toBe("NEEDS_REVIEW");
  await expect(page.getByRole("heading", { name: `${narrowing.retire} courses would leave the catalogue at once` })).toBeVisible();
  await expect(page.getByTestId("held-explanation")).toContainText("The import selection leaves them out");
  await expect(page.getByText("Import selection changed by")).toBeVisible();
  expect(await activeCourses(world.platformId)).toBe(all);

  await page.locator("#held-retirements").getByRole("button", { name: "Retire them" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Retire them" }).click();
  await expect(page.getByText(`${narrowing.retire} courses retired.`)).toBeVisible();
  expect(await activeCourses(world.platformId)).toBe(narrowing.keep);

  // The connector page says what is imported now; the audit log has the change with its dry run.
  await page.goto(`/p/${world.platformId}/connector`);
  await expect(page.getByTestId("import-summary")).toHaveText("Only: 1 program.");
  const [audit] = await query<{ details: { retire: number; keep: number } }>(
    `SELECT "details" FROM "AuditLog" WHERE "platformId" = $1 AND "action" = 'connector.import_selection_changed'`,
    [world.platformId],
  );
  expect(audit.details).toMatchObject({ retire: narrowing.retire, keep: narrowing.keep });

  // Widen back: the dry run counts what the last listing left out, and the sync restores exactly that.
  await page.goto(`/p/${world.platformId}/connector/import`);
  await page.getByTestId("selection-programs").getByRole("radio", { name: "All programs" }).check();
  await expect(page.getByTestId("selection-preview")).toContainText(`would add ${narrowing.retire} courses, retire 0 courses`);
  await page.getByRole("button", { name: "Save and sync the catalogue" }).click();
  await page.getByRole("link", { name: "follow the sync" }).click();
  expect(await waitForRunToFinish(page)).toBe("SUCCEEDED");
  expect(await activeCourses(world.platformId)).toBe(all);
});
