import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousAxeViolation } from "./axe";
import { DEMO_USERS, signIn } from "./fixtures";
import { createAdminWorld, insertCourses, insertHistoryAndStats } from "./admin-factories";

/** An axe scan of every admin page reports no serious or critical violation. */

async function scan(page: Page, url: string) {
  await page.goto(url);
  await expect(page.getByRole("main")).toBeVisible();
  await page.waitForLoadState("networkidle");
  await expectNoSeriousAxeViolation(page, url);
}

test("admin pages have no serious accessibility violations", async ({ page }) => {
  test.setTimeout(180_000);
  const world = await createAdminWorld({ connector: "enabled" });
  const courseIds = await insertCourses(world.platformId, [
    { title: `Accessible course ${world.tag}`, courseraSkills: [{ id: "s1", name: "Inclusive Design" }] },
    { title: `Second course ${world.tag}`, contentType: "SPECIALIZATION" },
  ]);
  const { runId } = await insertHistoryAndStats(world, courseIds);
  const base = `/p/${world.platformId}`;

  await signIn(page, world.admin.email);
  for (const url of [
    base,
    `${base}/connector`,
    `${base}/courses`,
    `${base}/courses/${courseIds[0]}`,
    `${base}/syncs`,
    `${base}/syncs/${runId}`,
    `${base}/statistics`,
    `${base}/statistics?view=courses`,
    `${base}/unmatched`,
    `${base}/audit`,
  ]) {
    await scan(page, url);
  }

  await page.context().clearCookies();
  await signIn(page, DEMO_USERS.csm.email);
  await scan(page, "/platforms");
  await scan(page, `${base}/connector`);
});
