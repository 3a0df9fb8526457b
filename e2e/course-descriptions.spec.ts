import { expect, test, type Page } from "@playwright/test";
import { DEMO_ORG, HOSTILE_DESCRIPTION_HTML, HOSTILE_DESCRIPTION_INDEX, SandboxOrg } from "../sandbox/data";
import { signIn } from "./fixtures";
import { requiredEnv } from "./database";
import { createAdminWorld, insertCourses } from "./admin-factories";
import { createLearnerWorld } from "./learner-factories";

/**
 * Coursera's descriptions can be HTML. The sandbox's demo organisation serves
 * a hostile one (sandbox/data.ts): here it is shown to a learner and to an
 * admin, and nothing in it may run, style the page or link anywhere but https.
 */

const sandboxBase = () => requiredEnv("COURSERA_API_BASE_URL");

// The description exactly as the sandbox serves it to a catalogue sync.
const hostileDescription = () => String(new SandboxOrg(DEMO_ORG).generatedContent(HOSTILE_DESCRIPTION_INDEX, sandboxBase()).description);

/** Everything in the hostile description that could run sets this global; dialogs would be alerts. */
async function expectNothingRan(page: Page, dialogs: string[]) {
  expect(await page.evaluate(() => (window as unknown as { __hostileDescriptionRan?: string }).__hostileDescriptionRan)).toBeUndefined();
  expect(dialogs).toEqual([]);
}

async function expectHarmlessDescription(page: Page, dialogs: string[]) {
  const description = page.getByTestId("course-description");
  await expect(description.getByText("hostile on purpose")).toBeVisible();
  await expect(description.getByText("Hovering here does nothing.")).toBeVisible();
  await expect(description).toContainText("& an entity <3");
  // The javascript: and data: links are text; the https one is a link with a safe rel.
  await expect(description.getByText("A javascript: link, kept as text")).toBeVisible();
  await expect(description.getByRole("link")).toHaveCount(1);
  const link = description.getByRole("link", { name: "An https link to Coursera" });
  await expect(link).toHaveAttribute("href", "https://www.coursera.org/");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer nofollow");
  // Nothing but the allowed elements survived, and no element of the page has an event-handler attribute.
  await expect(description.locator("script, style, iframe, svg, img, [style]")).toHaveCount(0);
  const handlers = await page.evaluate(() =>
    [...document.querySelectorAll("*")].flatMap((el) =>
      [...el.attributes].filter((a) => a.name.toLowerCase().startsWith("on")).map((a) => `${el.tagName}[${a.name}]`),
    ),
  );
  expect(handlers).toEqual([]);
  // Hovering and clicking what used to carry handlers does nothing; the page is still shown (no injected style).
  await description.getByText("Hovering here does nothing.").hover();
  await description.getByText("A javascript: link, kept as text").click();
  await expect(page.locator("body")).toBeVisible();
  await expectNothingRan(page, dialogs);
}

test("a hostile HTML description renders harmlessly on the learner's course page, with its text", async ({ page }) => {
  const description = hostileDescription();
  expect(description).toBe(HOSTILE_DESCRIPTION_HTML);
  const world = await createLearnerWorld(HOSTILE_DESCRIPTION_INDEX, {
    description,
    imageUrl: `${sandboxBase()}/assets/promo/${new SandboxOrg(DEMO_ORG).contentIdAt(HOSTILE_DESCRIPTION_INDEX)}.svg`,
  });
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signIn(page, world.learners.grace.email);
  await page.goto(`/learn/courses/${world.course.id}`);
  await expect(page.getByRole("heading", { level: 1, name: world.course.title })).toBeVisible();
  await expectHarmlessDescription(page, dialogs);
  // The page's meta description is the text alone.
  const meta = await page.locator('meta[name="description"]').getAttribute("content");
  expect(meta).toMatch(/^This description is hostile on purpose/);
  expect(meta).not.toMatch(/<\/?[a-z]/i);

  // The course's picture loads; a course without one (the native course) shows a placeholder, never a broken image.
  const image = page.getByTestId("course-image");
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await page.goto("/learn");
  const nativeCard = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: world.nativeCourse.title }) });
  await expect(nativeCard.getByTestId("course-image-placeholder")).toBeAttached();
  await expect(nativeCard.getByTestId("course-image")).toHaveCount(0);
});

test("an image that does not load shows the placeholder, on the card and the course page", async ({ page }) => {
  const world = await createLearnerWorld(3, { imageUrl: `${sandboxBase()}/assets/missing/nothing-here.png` });
  await signIn(page, world.learners.grace.email);
  await page.goto(`/learn/courses/${world.course.id}`);
  await expect(page.getByTestId("course-image-placeholder")).toBeAttached();
  await expect(page.getByTestId("course-image")).toHaveCount(0);
  await page.goto("/learn");
  const card = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: world.course.title }) });
  await expect(card.getByTestId("course-image-placeholder")).toBeAttached();
  await expect(card.getByTestId("course-image")).toHaveCount(0);
});

test("the admin's course page shows the hostile description harmlessly, as locked text", async ({ page }) => {
  const world = await createAdminWorld({ connector: "enabled" });
  const [courseId] = await insertCourses(world.platformId, [
    { title: `Hostile description ${world.tag}`, description: hostileDescription() },
  ]);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await signIn(page, world.admin.email);
  await page.goto(`/p/${world.platformId}/courses/${courseId}`);
  await expect(page.getByRole("heading", { level: 1, name: `Hostile description ${world.tag}` })).toBeVisible();
  await expect(page.getByTestId("locked-description")).toHaveText(/Coursera.s description, kept in sync; cannot be edited/);
  await expectHarmlessDescription(page, dialogs);
  // No image: a placeholder, not a broken one.
  await expect(page.getByTestId("course-image-placeholder")).toBeAttached();
});
