import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousAxeViolation } from "./axe";
import { signIn } from "./fixtures";
import { createLearnerWorld, createSession, recordSyncedStat, type LearnerWorld } from "./learner-factories";

let world: LearnerWorld;
let sessionId: string;

test.beforeEach(async () => {
  world = await createLearnerWorld();
  sessionId = (await createSession(world, world.learners.grace.id)).sessionId;
  await recordSyncedStat({
    platformId: world.platformId,
    userId: world.learners.grace.id,
    courseId: world.course.id,
    status: "IN_PROGRESS",
    progressPercent: 40,
    scorePercent: null,
    lastActivityAt: new Date("2026-01-10T08:00:00Z"),
    timeSpentMinutes: 75,
  });
});

test("the learner's pages have no serious or critical accessibility violations", async ({ page }) => {
  await signIn(page, world.learners.grace.email);
  for (const path of [
    "/learn",
    `/learn?q=${encodeURIComponent("orbital")}`,
    `/learn/courses/${world.course.id}`,
    "/learn/sessions",
    `/learn/sessions/${sessionId}`,
  ]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSeriousAxeViolation(page, path);
  }
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  async function expectNoSideways(page: Page) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  }

  test("the catalogue and a course page fit the screen and work", async ({ page, context }) => {
    await signIn(page, world.learners.grace.email);
    await page.goto("/learn");
    await expectNoSideways(page);
    const box = page.getByRole("searchbox", { name: "Search courses" });
    await expect(box).toBeInViewport();
    await box.fill("orbital");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.getByRole("link", { name: world.course.title }).click();
    await expect(page.getByRole("heading", { level: 1, name: world.course.title })).toBeVisible();
    await expectNoSideways(page);
    // START (here "Continue": Grace is in progress on it) comes before the description on a small screen, within reach.
    const start = page.getByRole("button", { name: /^Continue .* on Coursera/ });
    await expect(start).toBeInViewport();
    const [coursera] = await Promise.all([context.waitForEvent("page"), start.tap()]);
    await coursera.waitForLoadState();
    expect(coursera.url()).toBe(world.course.launchUrl);
    await coursera.close();
    await page.goto(`/learn/sessions/${sessionId}`);
    await expectNoSideways(page);
  });
});
