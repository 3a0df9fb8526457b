import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";
import { query } from "./database";
import { createLearnerWorld, createSession, recordSyncedStat } from "./learner-factories";

test("a program session's next step unlocks once the Coursera step is started, and counts it completed after Coursera reports completion", async ({
  page,
  context,
}) => {
  const world = await createLearnerWorld(5);
  const session = await createSession(world, world.learners.alan.id);
  await signIn(page, world.learners.alan.email);

  await page.getByRole("navigation", { name: "Learning" }).getByRole("link", { name: "My sessions" }).click();
  await page.getByRole("link", { name: session.name }).click();
  await expect(page.getByRole("heading", { level: 1, name: session.name })).toBeVisible();
  await expect(page.getByTestId("session-progress")).toHaveText("0 of 2 steps completed (0%)");

  const steps = page.getByTestId("session-step");
  await expect(steps).toHaveCount(2);
  const [courseraStep, nativeStep] = [steps.nth(0), steps.nth(1)];
  await expect(courseraStep).toContainText(world.course.title);
  await expect(courseraStep.getByText("Coursera", { exact: true })).toBeVisible();
  await expect(nativeStep.getByText("Locked")).toBeVisible();
  await expect(nativeStep).toContainText(`Unlocks once you start step 1, “${world.course.title}”.`);
  await expect(nativeStep.getByRole("link", { name: world.nativeCourse.title })).toHaveCount(0);

  const [coursera] = await Promise.all([
    context.waitForEvent("page"),
    courseraStep.getByRole("button", { name: /^Start .* on Coursera/ }).click(),
  ]);
  await coursera.waitForLoadState();
  expect(coursera.url()).toBe(world.course.launchUrl);
  await expect(coursera.getByTestId("arrival")).toContainText(world.course.contentId);
  await coursera.close();
  await page.bringToFront();

  // Back on the session (it refreshes itself): the step is started, the next one open.
  await expect(courseraStep.getByText("Started", { exact: true })).toBeVisible();
  await expect(nativeStep.getByText("Locked")).toHaveCount(0);
  await expect(nativeStep.getByRole("link", { name: world.nativeCourse.title })).toBeVisible();
  await expect(courseraStep.getByRole("button", { name: `Continue ${world.course.title} on Coursera (opens in a new tab)` })).toBeVisible();
  await expect(page.getByTestId("session-progress")).toHaveText("0 of 2 steps completed (0%)");
  const progress = await query<{ status: string }>(`SELECT "status" FROM "StepProgress" WHERE "sessionId" = $1 AND "userId" = $2`, [
    session.sessionId,
    world.learners.alan.id,
  ]);
  expect(progress).toEqual([{ status: "STARTED" }]);

  // The daily statistics sync reports the course completed on Coursera.
  await recordSyncedStat({
    platformId: world.platformId,
    userId: world.learners.alan.id,
    courseId: world.course.id,
    status: "COMPLETED",
    progressPercent: 100,
    scorePercent: 94,
    lastActivityAt: new Date("2026-01-20T12:00:00Z"),
    timeSpentMinutes: 1010,
    completedAt: new Date("2026-01-20T12:00:00Z"),
  });
  await page.reload();
  await expect(page.getByTestId("session-progress")).toHaveText("1 of 2 steps completed (50%)");
  await expect(courseraStep.getByText("Completed", { exact: true })).toBeVisible();
  await expect(courseraStep.getByTestId("step-coursera-progress")).toContainText("On Coursera: Completed, 100%");
  await expect(courseraStep.getByRole("button", { name: /^(Start|Continue)/ })).toHaveCount(0);

  await page.goto("/learn/sessions");
  await expect(page.getByText("1 of 2 steps completed")).toBeVisible();
});

test("a learner cannot open a session they are not enrolled in", async ({ page }) => {
  const world = await createLearnerWorld();
  const session = await createSession(world, world.learners.alan.id);
  await signIn(page, world.learners.grace.email);
  await page.goto(`/learn/sessions/${session.sessionId}`);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  await page.goto("/learn/sessions");
  await expect(page.getByText("You are not enrolled in any session yet.")).toBeVisible();
});
