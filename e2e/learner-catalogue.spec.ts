import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures";
import { query } from "./database";
import { createLearnerWorld, recordSyncedStat, type LearnerWorld } from "./learner-factories";

/** Searches the catalogue through the search box, as a learner would. */
async function search(page: Page, words: string) {
  await page.goto("/learn");
  await page.getByRole("searchbox", { name: "Search courses" }).fill(words);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page).toHaveURL(/[?&]q=/);
}

test.describe("the learner's catalogue", () => {
  let world: LearnerWorld;
  test.beforeEach(async () => {
    world = await createLearnerWorld();
  });

  test("a learner in a public subgroup finds a Coursera course by search, opens it and START takes them to the course on Coursera", async ({
    page,
    context,
  }) => {
    await signIn(page, world.learners.grace.email);
    await expect(page.getByRole("heading", { name: `Welcome, ${world.learners.grace.name}` })).toBeVisible();

    await search(page, "orbital gardeners");
    const results = page.getByRole("heading", { name: /courses? match/ });
    await expect(results).toHaveText(`1 course matches “orbital gardeners”`);
    const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: world.course.title }) });
    // Every result is Coursera's: no card says so, each names its partner instead.
    await expect(card.getByText("Coursera", { exact: true })).toHaveCount(0);
    await expect(card.getByText(world.course.partner)).toBeVisible();
    await card.getByRole("link", { name: world.course.title }).click();

    await expect(page.getByRole("heading", { level: 1, name: world.course.title })).toBeVisible();
    await expect(page.getByText(`Offered by ${world.course.partner}`)).toBeVisible();
    await expect(page.getByText("18 h")).toBeVisible();
    await expect(page.getByText("Intermediate")).toBeVisible();
    await expect(page.getByText("Coursera grants access to this course")).toBeVisible();
    await expect(page.getByTestId("my-progress")).toContainText("No numbers from Coursera yet");

    const [coursera] = await Promise.all([
      context.waitForEvent("page"),
      page.getByRole("button", { name: /^Start .* on Coursera/ }).click(),
    ]);
    await coursera.waitForLoadState();
    expect(coursera.url()).toBe(world.course.launchUrl);
    await expect(coursera.getByTestId("arrival")).toContainText(world.course.contentId);
    await expect(coursera.getByTestId("arrival")).toContainText("acme-learning");
    await coursera.close();

    // The intent is recorded, and is not shown as Coursera's progress.
    const launches = await query(`SELECT 1 FROM "CourseLaunch" WHERE "userId" = $1 AND "courseId" = $2`, [
      world.learners.grace.id,
      world.course.id,
    ]);
    expect(launches).toHaveLength(1);
    await page.reload();
    await expect(page.getByTestId("last-launch")).toBeVisible();
    await expect(page.getByRole("button", { name: /^Continue .* on Coursera/ })).toBeVisible();
    await expect(page.getByTestId("my-progress")).toContainText("No numbers from Coursera yet");
  });

  test("a card names its source only when the results mix Coursera and platform courses", async ({ page }) => {
    await signIn(page, world.learners.grace.email);
    const card = (title: string) => page.getByRole("listitem").filter({ has: page.getByRole("link", { name: title }) });
    const coursera = card(world.course.title);
    const native = card(world.nativeCourse.title);

    await search(page, "orbital gardeners");
    await expect(page.getByRole("heading", { name: /courses? match/ })).toHaveText(`1 course matches “orbital gardeners”`);
    await expect(coursera.getByText(world.course.partner)).toBeVisible();
    await expect(coursera.getByTestId("course-image-placeholder")).toBeVisible();
    await expect(coursera.getByText("Coursera", { exact: true })).toHaveCount(0);

    // Her whole catalogue is the world's two courses: one Coursera's, one the platform's own.
    await page.goto("/learn");
    await expect(page.getByRole("heading", { name: /^\d+ courses?$/ })).toHaveText("2 courses");
    await expect(coursera.getByText("Coursera", { exact: true })).toBeVisible();
    await expect(coursera.getByText(world.course.partner)).toBeVisible();
    await expect(native.getByText("Platform course", { exact: true })).toBeVisible();
    await expect(coursera.getByRole("link")).toHaveCount(1);
  });

  test("a learner two levels below the synchronized group finds it by its partner's name", async ({ page }) => {
    await signIn(page, world.learners.alan.email);
    await search(page, world.course.partner);
    await expect(page.getByRole("link", { name: world.course.title })).toBeVisible();
  });

  test("a learner in a private subgroup and one outside the synchronized branch never see it", async ({ page }) => {
    for (const learner of [world.learners.linus, world.learners.margaret]) {
      await signIn(page, learner.email);
      await search(page, "orbital gardeners");
      await expect(page.getByRole("heading", { name: /courses? match/ })).toHaveText(`0 courses match “orbital gardeners”`);
      await page.goto("/learn");
      await expect(page.getByRole("link", { name: world.course.title })).toHaveCount(0);
      await page.goto(`/learn/courses/${world.course.id}`);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expect(page.getByText(world.course.title)).toHaveCount(0);
      // As the course page's own form would post it (START refuses posts from other origins first).
      const start = await page.request.post(`/learn/courses/${world.course.id}/start`, {
        maxRedirects: 0,
        headers: { origin: new URL(page.url()).origin, "sec-fetch-site": "same-origin" },
      });
      expect(start.status()).toBe(404);
      await page.context().clearCookies();
    }
    const launches = await query(`SELECT 1 FROM "CourseLaunch" WHERE "courseId" = $1`, [world.course.id]);
    expect(launches).toHaveLength(0);
  });
});

test.describe("the learner's own Coursera numbers", () => {
  // Shown in the viewer's zone: 15:30 UTC is 10:30 in New York in January.
  test.use({ timezoneId: "America/New_York" });

  test("after a statistics sync the course page shows the learner's synced numbers", async ({ page }) => {
    const world = await createLearnerWorld();
    await recordSyncedStat({
      platformId: world.platformId,
      userId: world.learners.grace.id,
      courseId: world.course.id,
      status: "IN_PROGRESS",
      progressPercent: 62.5,
      scorePercent: 88,
      lastActivityAt: new Date("2026-01-14T15:30:00Z"),
      timeSpentMinutes: 135,
    });
    await signIn(page, world.learners.grace.email);
    await page.goto(`/learn/courses/${world.course.id}`);
    const progress = page.getByTestId("my-progress");
    await expect(progress.getByText("In progress")).toBeVisible();
    await expect(page.getByTestId("stat-progress")).toHaveText("63%");
    await expect(page.getByTestId("stat-score")).toHaveText("88%");
    await expect(page.getByTestId("stat-time")).toHaveText("2 h 15 min");
    await expect(page.getByTestId("stat-last-activity")).toHaveText("14 Jan 2026, 10:30");
    await expect(progress.getByRole("progressbar", { name: "Progress on Coursera" })).toHaveAttribute("aria-valuenow", "63");

    // The catalogue card says so too.
    await page.goto("/learn");
    const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: world.course.title }) });
    await expect(card.getByText("In progress · 63%")).toBeVisible();
  });
});
