import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures";
import { createAdminWorld, insertCourses } from "./admin-factories";
import { query } from "./database";
import { saveDemoCredentials, waitForRunToFinish } from "./admin-flows";

test.describe("courses and skills", () => {
  test("search, filters, sort and paging return the right rows", async ({ page }) => {
    const world = await createAdminWorld({ connector: "enabled" });
    const filler = Array.from({ length: 30 }, (_, i) => ({
      title: `Filler course ${String(i).padStart(2, "0")}`,
      language: "en",
      level: "BEGINNER",
    }));
    await insertCourses(world.platformId, [
      { title: "Kubernetes for Operators", contentType: "SPECIALIZATION", language: "en", level: "ADVANCED" },
      { title: "Kubernetes Basics", contentType: "COURSE", language: "fr", level: "BEGINNER" },
      { title: "Retired Kubernetes", contentType: "COURSE", retired: true },
      { title: "Gardening 101", contentType: "GUIDED_PROJECT", language: "es", level: "INTERMEDIATE" },
      ...filler,
    ]);
    await signIn(page, world.admin.email);
    await page.goto(`/p/${world.platformId}/courses`);
    const table = page.getByRole("table", { name: "Coursera courses" });
    await expect(page.getByText("1–25 of 33 courses")).toBeVisible();

    await page.getByLabel("Search titles").fill("KUBER");
    await expect(page).toHaveURL(/q=KUBER/);
    await expect(table.getByRole("link")).toHaveText(["Kubernetes Basics", "Kubernetes for Operators"]);

    await page.getByLabel("Status").selectOption("all");
    await expect(table.getByRole("link")).toHaveText(["Kubernetes Basics", "Kubernetes for Operators", "Retired Kubernetes"]);
    await page.getByLabel("Status").selectOption("retired");
    await expect(table.getByRole("link")).toHaveText(["Retired Kubernetes"]);
    await page.getByLabel("Status").selectOption("active");

    await page.getByLabel("Type").selectOption("SPECIALIZATION");
    await expect(table.getByRole("link")).toHaveText(["Kubernetes for Operators"]);
    await page.getByLabel("Type").selectOption("");
    await page.getByLabel("Language").selectOption("fr");
    await expect(table.getByRole("link")).toHaveText(["Kubernetes Basics"]);

    // Clear the search and filters; sort by title descending; page 2.
    await page.goto(`/p/${world.platformId}/courses`);
    await page.getByLabel("Level").selectOption("INTERMEDIATE");
    await expect(table.getByRole("link")).toHaveText(["Gardening 101"]);
    await page.goto(`/p/${world.platformId}/courses`);
    // Titles are sorted ascending by default: the first click reverses them.
    await expect(page.getByRole("columnheader", { name: /^Title/ })).toHaveAttribute("aria-sort", "ascending");
    await page.getByRole("button", { name: /^Title/ }).click();
    await expect(page).toHaveURL(/sort=title&dir=desc/);
    await expect(page.getByRole("columnheader", { name: /^Title/ })).toHaveAttribute("aria-sort", "descending");
    await expect(table.getByRole("link").first()).toHaveText("Kubernetes for Operators");
    await page.getByRole("button", { name: "Next page" }).click();
    await expect(page.getByText("26–33 of 33 courses")).toBeVisible();
    await expect(table.getByRole("link").last()).toHaveText("Filler course 00");
  });

  test("the table's search, filters and paging fetch its rows as JSON, not the page; back and forward bring them back", async ({
    page,
  }) => {
    const world = await createAdminWorld({ connector: "enabled" });
    await insertCourses(world.platformId, [
      { title: "Quantum Basics", contentType: "COURSE" },
      { title: "Quantum Computing", contentType: "SPECIALIZATION" },
      { title: "Gardening 101", contentType: "GUIDED_PROJECT" },
    ]);
    await signIn(page, world.admin.email);
    await page.goto(`/p/${world.platformId}/courses`);
    const table = page.getByRole("table", { name: "Coursera courses" });
    const box = page.getByLabel("Search titles");
    await expect(table.getByRole("link")).toHaveText(["Gardening 101", "Quantum Basics", "Quantum Computing"]);
    // Any request for a server render of a page (not a link's prefetch) while the table changes.
    const pageRenders: string[] = [];
    page.on("request", (request) => {
      const headers = request.headers();
      if (headers["rsc"] === "1" && !headers["next-router-prefetch"]) pageRenders.push(request.url());
    });

    const answer = page.waitForResponse((r) => r.url().includes(`/api/platforms/${world.platformId}/courses?q=quantum`));
    await box.fill("quantum");
    expect((await answer).status()).toBe(200);
    await expect(page).toHaveURL(/q=quantum/);
    await expect(table.getByRole("link")).toHaveText(["Quantum Basics", "Quantum Computing"]);
    await page.getByLabel("Type").selectOption("SPECIALIZATION");
    await expect(page).toHaveURL(/q=quantum&type=SPECIALIZATION/);
    await expect(table.getByRole("link")).toHaveText(["Quantum Computing"]);
    expect(pageRenders).toEqual([]);

    // Back: the search without the filter, then the first page with an empty box; forward: the search again.
    await page.goBack();
    await expect(page).toHaveURL(/q=quantum$/);
    await expect(page.getByLabel("Type")).toHaveValue("");
    await expect(table.getByRole("link")).toHaveText(["Quantum Basics", "Quantum Computing"]);
    await page.goBack();
    await expect(box).toHaveValue("");
    await expect(table.getByRole("link")).toHaveText(["Gardening 101", "Quantum Basics", "Quantum Computing"]);
    await page.goForward();
    await expect(box).toHaveValue("quantum");
    await expect(table.getByRole("link")).toHaveText(["Quantum Basics", "Quantum Computing"]);

    // The URL is a link: opened anew, the server renders the same rows.
    await page.goto(`/p/${world.platformId}/courses?q=quantum&type=SPECIALIZATION`);
    await expect(box).toHaveValue("quantum");
    await expect(table.getByRole("link")).toHaveText(["Quantum Computing"]);
  });

  test("skills added singly, in bulk and from Coursera's suggestions survive a re-sync", async ({ page }) => {
    test.setTimeout(360_000);
    const world = await createAdminWorld({ connector: "enabled" });
    const tag = world.tag;
    await signIn(page, world.admin.email);
    await saveDemoCredentials(page, world.platformId);
    expect(await waitForRunToFinish(page)).toBe("SUCCEEDED");

    // Single: on a course's page, with the typeahead (a new skill created inline).
    await page.goto(`/p/${world.platformId}/courses?sort=title`);
    const table = page.getByRole("table", { name: "Coursera courses" });
    const firstTitle = (await table.getByRole("link").first().textContent())!;
    await table.getByRole("link").first().click();
    await expect(page.getByRole("heading", { level: 1, name: firstTitle })).toBeVisible();
    // Coursera's title and description are read-only text with a lock and why, not disabled fields.
    await expect(page.getByTestId("locked-title")).toHaveText(/Coursera.s title, kept in sync; cannot be edited/);
    await expect(page.getByTestId("locked-description")).toHaveText(/Coursera.s description, kept in sync; cannot be edited/);
    await expect(page.getByTestId("course-description")).not.toBeEmpty();
    await expect(page.locator("main input:disabled, main textarea")).toHaveCount(0);
    const single = `Skill single ${tag}`;
    const input = page.getByRole("combobox", { name: "Add a skill" });
    await input.fill(single);
    await expect(page.getByRole("option", { name: `Create “${single}”` })).toBeVisible();
    await input.press("Enter");
    await expect(page.getByRole("list", { name: "Attached skills" }).getByText(single)).toBeVisible();
    // The same name in other letters is the same skill.
    await input.fill(single.toUpperCase());
    await input.press("Enter");
    await expect(page.getByText("is already attached")).toBeVisible();
    // One click on a Coursera suggestion, when the course has some.
    const suggestion = page.getByRole("list", { name: "Skills suggested by Coursera" }).getByRole("button").first();
    let accepted: string | null = null;
    if (await suggestion.count()) {
      accepted = (await suggestion.textContent())!.replace(/^\+\s*/, "");
      await suggestion.click();
      await expect(page.getByRole("list", { name: "Attached skills" }).getByText(accepted, { exact: true })).toBeVisible();
    }

    // Bulk: select three courses in the table and add a skill to all of them.
    await page.goto(`/p/${world.platformId}/courses?sort=title`);
    const titles = await table.getByRole("link").allTextContents();
    for (const title of titles.slice(1, 4)) await page.getByRole("checkbox", { name: `Select ${title}` }).check();
    await expect(page.getByText("3 courses selected")).toBeVisible();
    await page.getByRole("button", { name: "Add skills to selected" }).click();
    const dialog = page.getByRole("dialog");
    const bulk = `Skill bulk ${tag}`;
    await dialog.getByRole("combobox", { name: "Skill" }).fill(bulk);
    await dialog.getByRole("combobox", { name: "Skill" }).press("Enter");
    await dialog.getByRole("button", { name: "Add 1 skill" }).click();
    await expect(page.getByText(`${bulk} added to 3 courses.`)).toBeVisible();
    await page.getByLabel("Skill", { exact: true }).selectOption({ label: `${bulk} (3)` });
    await expect(table.getByRole("link")).toHaveText(titles.slice(1, 4));

    // Re-sync, then everything is still there.
    await page.goto(`/p/${world.platformId}/syncs`);
    await page.getByRole("button", { name: "Sync catalogue now" }).click();
    // The new run is the history's first row at once; its page follows it to the end.
    const newest = page.getByTestId("run-row").first();
    await expect(newest.getByTestId("run-trigger")).toHaveText(/^Sync now by /);
    await newest.getByRole("link").first().click();
    await expect(page).toHaveURL(/\/syncs\/[^/]+$/);
    expect(await waitForRunToFinish(page)).toBe("SUCCEEDED");
    const [{ n }] = await query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "SyncRun" WHERE "platformId" = $1 AND "kind" = 'CATALOGUE'`,
      [world.platformId],
    );
    expect(n).toBe(2);

    await page.goto(`/p/${world.platformId}/courses?sort=title`);
    await page.getByLabel("Skill", { exact: true }).selectOption({ label: `${bulk} (3)` });
    await expect(table.getByRole("link")).toHaveText(titles.slice(1, 4));
    await page.goto(`/p/${world.platformId}/courses?sort=title`);
    await table.getByRole("link", { name: firstTitle, exact: true }).click();
    await expect(page.getByRole("list", { name: "Attached skills" }).getByText(single)).toBeVisible();
    if (accepted) await expect(page.getByRole("list", { name: "Attached skills" }).getByText(accepted, { exact: true })).toBeVisible();
  });
});
