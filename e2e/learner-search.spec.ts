import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./fixtures";
import { newId, query } from "./database";
import { createLearnerWorld, type LearnerWorld } from "./learner-factories";

/**
 * The learner's search as a search engine (issue 20): results follow the
 * typing, typos are forgiven with a "Did you mean", facets count what they
 * keep, and nobody outside the synchronized branch finds a Coursera course.
 */
let world: LearnerWorld;
let tag: string;

/** Extra Coursera courses of the world, in known languages and levels, all holding the world's tag in their title. */
const EXTRA = [
  { title: "Jardinage orbital", language: "fr", level: "BEGINNER", minutes: 45 },
  { title: "Botanique des comètes", language: "fr", level: "ADVANCED", minutes: 600 },
  { title: "Huertos en órbita", language: "es", level: "BEGINNER", minutes: 240 },
];

test.beforeAll(async () => {
  world = await createLearnerWorld();
  tag = world.course.title.split(" ").pop()!;
  for (const course of EXTRA) {
    await query(
      `INSERT INTO "Course" ("id", "platformId", "source", "courseraContentId", "title", "language", "level", "durationMinutes", "updatedAt")
       VALUES ($1, $2, 'COURSERA', $3, $4, $5, $6, $7, now())`,
      [
        newId(),
        world.platformId,
        `e2e-search-${tag}-${course.title}`,
        `${course.title} ${tag}`,
        course.language,
        course.level,
        course.minutes,
      ],
    );
  }
});

const searchBox = (page: Page) => page.getByRole("searchbox", { name: "Search courses" });
const courseLinks = (page: Page) => page.getByRole("main").getByRole("list").getByRole("link");

test("typing a misspelt word shows the right course as you type, with a Did you mean", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, world.learners.grace.email);
  await page.goto("/learn");
  // Typed key by key, no Enter: the results follow.
  await searchBox(page).pressSequentially("orbtal mechancs", { delay: 40 });
  await expect(page).toHaveURL(/q=orbtal/);
  await expect(page.getByRole("link", { name: world.course.title })).toBeVisible();
  await expect(page.getByText(/Nothing matches “orbtal mechancs” exactly/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "1 close match for “orbtal mechancs”" })).toBeVisible();
  await page.getByRole("link", { name: "orbital mechanics", exact: true }).click();
  await expect(page.getByRole("heading", { name: /1 course matches “orbital mechanics”/ })).toBeVisible();

  // Accents and case ignored, partner names found.
  await page.goto("/learn");
  await searchBox(page).fill(`UNIVERSITE lumiere ${tag}`);
  await expect(page.getByRole("link", { name: world.course.title })).toBeVisible();
});

test("text with no word in it shows the catalogue and says why, never 'N courses match'", async ({ page }) => {
  await signIn(page, world.learners.grace.email);
  for (const q of ["?!", "<b>"]) {
    await page.goto(`/learn?q=${encodeURIComponent(q)}`);
    await expect(page.getByText(`“${q}” holds no word to search for, so every course is shown.`)).toBeVisible();
    await expect(page.getByRole("heading", { name: /^\d[\d,]*\+? courses?$/ })).toBeVisible();
    await expect(page.getByRole("link", { name: world.course.title })).toBeVisible();
  }
});

test("each filter's count is the number of courses it keeps", async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, world.learners.grace.email);
  await page.goto(`/learn?q=${tag}`);
  // The three above, the world's Coursera course and its native course all hold the tag.
  await expect(page.getByRole("heading", { name: `5 courses match “${tag}”` })).toBeVisible();
  for (const label of ["Language", "Level", "Duration"]) {
    // The options as the unfiltered search offers them (the previous filter's page narrows them).
    await page.goto(`/learn?q=${tag}`);
    const select = page.getByRole("combobox", { name: label });
    const readOptions = () =>
      select
        .locator("option")
        .evaluateAll((nodes) =>
          nodes.map((n) => ({ value: (n as HTMLOptionElement).value, text: n.textContent ?? "" })).filter((o) => o.value),
        );
    // The filters' counts stream in after the courses: wait for them.
    await expect.poll(async () => (await readOptions()).length, { message: label }).toBeGreaterThan(1);
    const options = await readOptions();
    for (const option of options) {
      const count = Number(/\((\d+)\)$/.exec(option.text)?.[1]);
      await page.goto(`/learn?q=${tag}`);
      await page.getByRole("combobox", { name: label }).selectOption(option.value);
      await expect(page).toHaveURL(new RegExp(`${label.toLowerCase()}=${encodeURIComponent(option.value)}`));
      await expect(page.getByRole("heading", { name: new RegExp(`^${count} courses? match`) }), `${label} ${option.text}`).toBeVisible();
      await expect(courseLinks(page)).toHaveCount(count);
    }
  }
});

test("a learner outside the synchronized branch never finds a Coursera course, whatever they type, and is told why", async ({ page }) => {
  test.setTimeout(240_000); // 37 pages
  await signIn(page, world.learners.margaret.email);
  await page.goto("/learn");
  await expect(page.getByRole("note")).toContainText("offers Coursera courses to the members of Engineering");
  const forms = [
    world.course.title, // exact title
    "orbital mechanics", // words
    "orbi", // prefix
    "orbitl mechancs", // typos
    world.course.partner, // partner
    "universite lumiere", // partner without accents
    "celestial", // Coursera's skill
    tag,
    `jardinage ${tag}`,
  ];
  for (const words of forms) {
    for (const sort of ["relevance", "title", "newest", "duration"]) {
      await page.goto(`/learn?q=${encodeURIComponent(words)}&sort=${sort}`);
      await expect(page.getByRole("heading", { name: /^0 courses match/ }), `${words} (${sort})`).toBeVisible();
    }
  }
  // Her own catalogue still works: the native course of her groups is not Coursera's, and she sees none.
  await page.goto(`/learn?source=COURSERA`);
  await expect(page.getByRole("heading", { name: "0 courses" })).toBeVisible();
});
