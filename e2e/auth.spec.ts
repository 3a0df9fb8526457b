import { expect, test } from "@playwright/test";
import { DEMO_USERS, platformIdOfAdmin, signIn } from "./fixtures";

test.describe("signing in", () => {
  test("a CSM lands on the platforms list and can switch platform", async ({ page }) => {
    await signIn(page, DEMO_USERS.csm.email);
    await expect(page).toHaveURL(/\/platforms$/);
    await expect(page.getByRole("heading", { name: "Customer platforms" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Acme" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Globex" })).toBeVisible();
    await page.getByLabel("Platform").selectOption({ label: "Globex" });
    await expect(page.getByRole("heading", { name: "Globex" })).toBeVisible();
  });

  test("an admin lands on their own platform's overview", async ({ page }) => {
    await signIn(page, DEMO_USERS.acmeAdmin.email);
    await expect(page).toHaveURL(/\/p\/[^/]+$/);
    await expect(page.getByRole("heading", { name: "Acme" })).toBeVisible();
    await expect(page.getByTestId("signed-in-user")).toHaveText(DEMO_USERS.acmeAdmin.name);
  });

  test("a learner lands on the learning home", async ({ page }) => {
    await signIn(page, DEMO_USERS.ada.email);
    await expect(page).toHaveURL(/\/learn$/);
    await expect(page.getByRole("heading", { name: `Welcome, ${DEMO_USERS.ada.name}` })).toBeVisible();
  });

  test("a wrong password is refused with a clear message", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(DEMO_USERS.acmeAdmin.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    // (Next.js adds its own empty route-announcer "alert"; ours is the one with text.)
    await expect(page.getByRole("alert").filter({ hasText: "That email and password do not match an account." })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("signing out ends the session", async ({ page }) => {
    await signIn(page, DEMO_USERS.ada.email);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.goto("/learn");
    await expect(page).toHaveURL(/\/sign-in/);
  });
});

test.describe("access control", () => {
  test("a signed-out visitor is sent to sign in, then back where they were going", async ({ page }) => {
    await page.goto("/platforms");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
    await page.getByLabel("Email").fill(DEMO_USERS.csm.email);
    await page.getByLabel("Password").fill("connector-demo");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page).toHaveURL(/\/platforms$/);
  });

  test("a session cookie that signs no one in opens no page and leads to the sign-in page", async ({ page, baseURL }) => {
    // The proxy lets requests with a session cookie through: the page's own gate must refuse a forged one.
    await page.context().addCookies([{ name: "next-auth.session-token", value: "forged.not-a-token", url: baseURL! }]);
    for (const path of ["/platforms", "/learn"]) {
      await page.goto(path);
      await expect(page).toHaveURL(/\/sign-in/);
      await expect(page.getByRole("button", { name: "Sign in", exact: true })).toBeVisible();
    }
  });

  test("a learner is refused admin pages and admin data", async ({ page }) => {
    const acmeId = await platformIdOfAdmin(page, DEMO_USERS.acmeAdmin.email);
    await signIn(page, DEMO_USERS.ada.email);
    await page.goto("/platforms");
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    await page.goto(`/p/${acmeId}`);
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    const api = await page.request.get(`/api/platforms/${acmeId}/overview`);
    expect(api.status()).toBe(403);
    expect(await api.text()).not.toContain("acme-demo");
  });

  test("an admin of another platform sees nothing of Acme", async ({ page }) => {
    const acmeId = await platformIdOfAdmin(page, DEMO_USERS.acmeAdmin.email);
    await signIn(page, DEMO_USERS.globexAdmin.email);
    await page.goto(`/p/${acmeId}`);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(page.getByText("Acme")).toHaveCount(0);
    const api = await page.request.get(`/api/platforms/${acmeId}/overview`);
    expect(api.status()).toBe(403);
    await page.goto("/platforms");
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
  });

  test("an admin reads their own platform's data over the API, without the client secret", async ({ page }) => {
    const acmeId = await platformIdOfAdmin(page, DEMO_USERS.acmeAdmin.email);
    await signIn(page, DEMO_USERS.acmeAdmin.email);
    const api = await page.request.get(`/api/platforms/${acmeId}/overview`);
    expect(api.status()).toBe(200);
    const body = await api.json();
    expect(body.name).toBe("Acme");
    expect(JSON.stringify(body)).not.toContain("acme-demo-secret");
  });
});
