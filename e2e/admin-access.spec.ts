import { expect, test, type Page } from "@playwright/test";
import { DEMO_USERS, signIn } from "./fixtures";
import { createAdminWorld, insertCourses, insertHistoryAndStats } from "./admin-factories";
import { query } from "./database";

/**
 * A learner and an admin of another platform are refused every admin page,
 * route handler and server action of a platform. Server actions are public
 * endpoints: the test records a real action call made by an allowed user and
 * replays it, byte for byte, as someone who is not.
 */

async function pagesOf(platformId: string, courseId: string, runId: string) {
  const base = `/p/${platformId}`;
  return [
    base,
    `${base}/connector`,
    `${base}/courses`,
    `${base}/courses/${courseId}`,
    `${base}/syncs`,
    `${base}/syncs/${runId}`,
    `${base}/statistics`,
    `${base}/statistics?view=courses`,
    `${base}/unmatched`,
    `${base}/audit`,
  ];
}

function apisOf(platformId: string, runId: string, groupId: string) {
  const base = `/api/platforms/${platformId}`;
  return [
    `${base}/syncs/${runId}`,
    `${base}/statistics/export`,
    `${base}/skills?q=a`,
    `${base}/users?q=a`,
    `${base}/groups/preview?groupId=${groupId}`,
  ];
}

/** Records the next server action call the page makes while `act` runs. */
async function recordAction(page: Page, act: () => Promise<void>) {
  const request = page.waitForRequest((r) => r.method() === "POST" && Boolean(r.headers()["next-action"]));
  await act();
  const r = await request;
  return {
    url: r.url(),
    headers: {
      "next-action": r.headers()["next-action"],
      "content-type": r.headers()["content-type"] ?? "text/plain;charset=UTF-8",
      accept: "text/x-component",
    },
    body: r.postData() ?? "",
  };
}

test.describe("admin pages are refused to outsiders", () => {
  test("a learner and another platform's admin get no page and no data", async ({ page }) => {
    const world = await createAdminWorld({ connector: "enabled" });
    const [courseId] = await insertCourses(world.platformId, [{ title: `Secret course ${world.tag}` }]);
    const { runId } = await insertHistoryAndStats(world, [courseId]);

    for (const [who, email, heading] of [
      ["learner", world.learner.email, "You do not have access to this page"],
      ["other admin", DEMO_USERS.globexAdmin.email, "Page not found"],
    ] as const) {
      await page.context().clearCookies();
      await signIn(page, email);
      for (const url of await pagesOf(world.platformId, courseId, runId)) {
        await page.goto(url);
        await expect(page.getByRole("heading", { name: heading }), `${who} ${url}`).toBeVisible();
        await expect(page.getByText(`Secret course ${world.tag}`)).toHaveCount(0);
      }
      for (const url of apisOf(world.platformId, runId, world.groups.engineering)) {
        const response = await page.request.get(url);
        expect(response.status(), `${who} ${url}`).toBe(403);
        expect(await response.text()).not.toContain(world.tag);
      }
    }

    // Signed out, a route handler answers 401 in JSON, not a redirect to the sign-in page.
    await page.context().clearCookies();
    for (const url of apisOf(world.platformId, runId, world.groups.engineering)) {
      const response = await page.request.get(url, { maxRedirects: 0 });
      expect(response.status(), `signed out ${url}`).toBe(401);
      expect(await response.json()).toMatchObject({ error: "UNAUTHENTICATED" });
    }
  });

  test("server actions replayed by a learner, another platform's admin or (for CSM-only ones) an admin do nothing", async ({
    page,
    browser,
  }) => {
    test.setTimeout(180_000); // six sign-ins, each in its own browser context
    const world = await createAdminWorld({ connector: "none" });
    const [courseId] = await insertCourses(world.platformId, [{ title: `Course ${world.tag}` }]);

    // The CSM enables the connector: record that call.
    await signIn(page, DEMO_USERS.csm.email);
    await page.goto(`/p/${world.platformId}/connector`);
    await page.getByRole("radio", { name: "Sales" }).check();
    const enable = await recordAction(page, () => page.getByRole("button", { name: "Enable connector on Sales" }).click());
    await expect(page.getByText("Connector enabled on Sales.")).toBeVisible();
    await query(`UPDATE "CourseraConnector" SET "enabled" = false WHERE "platformId" = $1`, [world.platformId]);

    // The admin attaches a skill: record that call, then remove the skill again.
    await page.context().clearCookies();
    await signIn(page, world.admin.email);
    await page.goto(`/p/${world.platformId}/courses/${courseId}`);
    const skill = page.getByRole("combobox", { name: "Add a skill" });
    await skill.fill(`Replayed ${world.tag}`);
    const attach = await recordAction(page, () => skill.press("Enter"));
    await expect(page.getByRole("list", { name: "Attached skills" }).getByText(`Replayed ${world.tag}`)).toBeVisible();
    await query(`DELETE FROM "CourseSkill" WHERE "courseId" = $1`, [courseId]);

    async function replayAs(email: string, call: { url: string; headers: Record<string, string>; body: string }) {
      const context = await browser.newContext();
      const other = await context.newPage();
      await signIn(other, email);
      const response = await other.request.post(call.url, { headers: call.headers, data: call.body });
      const text = await response.text();
      await context.close();
      return text;
    }

    for (const email of [world.learner.email, DEMO_USERS.globexAdmin.email]) {
      expect(await replayAs(email, attach)).toContain("You do not have access to this.");
      expect(await replayAs(email, enable)).toContain("You do not have access to this.");
    }
    // Enabling is for CSMs only, even for the platform's own admin.
    expect(await replayAs(world.admin.email, enable)).toContain("You do not have access to this.");

    const [{ n }] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM "CourseSkill" WHERE "courseId" = $1`, [courseId]);
    expect(n).toBe(0);
    const [connector] = await query<{ enabled: boolean }>(`SELECT "enabled" FROM "CourseraConnector" WHERE "platformId" = $1`, [
      world.platformId,
    ]);
    expect(connector.enabled).toBe(false);
  });
});
