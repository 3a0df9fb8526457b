import { expect, test } from "@playwright/test";
import { DEMO_USERS, signIn } from "./fixtures";
import { createAdminWorld } from "./admin-factories";
import { query } from "./database";
import { demoOrgCopy, saveDemoCredentials, waitForRunToFinish } from "./admin-flows";

test.describe("connector setup and credentials", () => {
  test("a CSM enables the connector on a nested group after previewing the receiving groups", async ({ page }) => {
    const world = await createAdminWorld({ connector: "none" });
    await signIn(page, DEMO_USERS.csm.email);
    await page.goto(`/p/${world.platformId}/connector`);
    await expect(page.getByRole("heading", { name: "Coursera connector" })).toBeVisible();

    // Search narrows the tree to the matches and their ancestors.
    await page.getByLabel("Search groups").fill("platform");
    await expect(page.getByRole("radio", { name: "Platform Team" })).toBeVisible();
    await expect(page.getByRole("radio", { name: "Sales" })).toHaveCount(0);
    await page.getByLabel("Search groups").fill("");

    // Collapse and expand with the keyboard.
    const toggle = page.getByRole("button", { name: "Collapse Engineering" });
    await toggle.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("radio", { name: "Platform Team" })).toHaveCount(0);
    await page.getByRole("button", { name: "Expand Engineering" }).press("Enter");

    await page.getByRole("radio", { name: "Platform Team" }).check();
    const preview = page.getByTestId("receiving-groups");
    await expect(preview.getByRole("listitem")).toHaveText(["Platform Team", "SRE Guild"]);
    await expect(preview).not.toContainText("Incident Board");
    await expect(preview).not.toContainText("Postmortem Writers");

    await page.getByRole("button", { name: "Enable connector on Platform Team" }).click();
    await expect(page.getByText("Connector enabled on Platform Team.")).toBeVisible();
    await expect(page.getByRole("main").getByText("Enabled", { exact: true })).toBeVisible();
    const [connector] = await query<{ enabled: boolean; syncGroupId: string }>(
      `SELECT "enabled", "syncGroupId" FROM "CourseraConnector" WHERE "platformId" = $1`,
      [world.platformId],
    );
    expect(connector).toEqual({ enabled: true, syncGroupId: world.groups.platformTeam });

    await page.getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("cell", { name: "Enabled the connector" })).toBeVisible();
    await expect(page.getByRole("cell", { name: "Group: Platform Team" })).toBeVisible();
  });

  test("an admin reads the precise error for wrong credentials, then saves the right ones and watches the first sync bring the courses", async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const world = await createAdminWorld({ connector: "enabled" });
    // The demo organisation's catalogue under an org id of this test's own (an organisation belongs to one platform).
    const DEMO_COURSERA = await demoOrgCopy(world.tag);
    const bodies: string[] = [];
    page.on("response", async (response) => {
      const type = response.headers()["content-type"] ?? "";
      if (/html|json|text\/x-component|text\/plain|csv/.test(type)) bodies.push(await response.text().catch(() => ""));
    });

    await signIn(page, world.admin.email);
    await page.goto(`/p/${world.platformId}/connector`);
    // Admins do not choose the group.
    await expect(page.getByRole("radio")).toHaveCount(0);

    await page.getByLabel("Organisation id").fill(DEMO_COURSERA.orgId);
    await page.getByLabel("Client id").fill(DEMO_COURSERA.clientId);
    await page.getByLabel("Client secret").fill("not-the-secret");
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Coursera rejected the client ID or client secret" })).toBeVisible();
    await expect(page.getByLabel("Client secret")).toHaveAttribute("aria-invalid", "true");

    await page.getByLabel("Organisation id").fill("acme-demo-typo");
    await page.getByLabel("Client secret").fill(DEMO_COURSERA.clientSecret);
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByRole("alert").filter({ hasText: 'Coursera does not know the organisation ID "acme-demo-typo"' })).toBeVisible();

    await page.getByLabel("Organisation id").fill("acme demo");
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByText("without spaces")).toBeVisible();

    await page.getByLabel("Organisation id").fill(DEMO_COURSERA.orgId);
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByText(/Connection works/)).toBeVisible();

    const runId = await saveDemoCredentials(page, world.platformId, DEMO_COURSERA);
    await expect(page.getByRole("heading", { name: /Catalogue sync of/ })).toBeVisible();
    expect(await waitForRunToFinish(page)).toBe("SUCCEEDED");
    const [run] = await query<{ created: number; trigger: string }>(`SELECT "created", "trigger"::text FROM "SyncRun" WHERE "id" = $1`, [
      runId,
    ]);
    expect(run.trigger).toBe("CREDENTIALS");
    expect(run.created).toBeGreaterThan(0);

    await page.getByRole("link", { name: "Courses" }).first().click();
    await expect(page.getByText(new RegExp(`of ${run.created} courses`))).toBeVisible();

    // The secret is write-only: the page shows that one is set, never the value.
    await page.goto(`/p/${world.platformId}/connector`);
    await expect(page.getByLabel("Client secret")).toHaveValue("");
    await expect(page.getByText(`A secret is set (ending in ${DEMO_COURSERA.clientSecret.slice(-4)})`)).toBeVisible();
    // Replacing the client id alone does not need the secret again.
    await page.getByLabel("Client id").fill(`${DEMO_COURSERA.clientId}`);
    await page.getByRole("button", { name: "Save credentials" }).click();
    await expect(page.getByRole("status").filter({ hasText: "These are already the stored credentials; nothing changed." })).toBeVisible();

    const [audit] = await query<{ details: unknown }>(
      `SELECT "details" FROM "AuditLog" WHERE "platformId" = $1 AND "action" = 'credentials.replaced'`,
      [world.platformId],
    );
    expect(JSON.stringify(audit.details)).not.toContain(DEMO_COURSERA.clientSecret);
    for (const body of bodies) expect(body).not.toContain(DEMO_COURSERA.clientSecret);
  });
});
