import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type BrowserContext, type Page, type Response } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS, signIn } from "./fixtures";
import { createAdminWorld } from "./admin-factories";
import { createLearnerWorld } from "./learner-factories";
import { query } from "./database";

/**
 * Issue 14, probed from the browser against the production build:
 * - #1 signing in with a hostile callbackUrl lands on our origin;
 * - #6 every page carries the security headers, a fresh nonce per response,
 *   and Chromium reports no Content-Security-Policy violation on the main
 *   pages (forms, tables, Recharts, sonner, Radix dialogs, START);
 * - #7 a form on another origin of the same site cannot make START record a
 *   launch or redirect;
 * - #5 too many failed sign-ins: the same message as a wrong password, and an
 *   admin unlocks the account from the platform overview page;
 * - #4 NUL in a page's URL or a route's query: no 500.
 */

const BASE = process.env.E2E_BASE_URL ?? "http://127.0.0.1:3100";

// ─── #1 open redirect ─────────────────────────────────────────────────────

test("signing in with a hostile callbackUrl always lands on our own origin", async ({ page, context }) => {
  test.setTimeout(180_000);
  const offsite: string[] = [];
  context.on("request", (request) => {
    if (!request.url().startsWith(BASE)) offsite.push(request.url());
  });
  for (const hostile of [
    "/%5Cevil.example/x",
    "/%09/evil.example/x",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "https%3A%2F%2Fevil.example%2Fx",
    "/%255Cevil.example",
    "/.//evil.example",
    "javascript%3Aalert(document.domain)",
    "/%E2%88%95%E2%88%95evil.example",
  ]) {
    await page.context().clearCookies();
    await page.goto(`/sign-in?callbackUrl=${hostile}`);
    await page.getByLabel("Email").fill(DEMO_USERS.grace.email);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByTestId("signed-in-user"), hostile).toBeVisible();
    expect(new URL(page.url()).origin, hostile).toBe(new URL(BASE).origin);
  }
  expect(offsite).toEqual([]);
});

// ─── #6 headers and the Content-Security-Policy ──────────────────────────

function expectSecurityHeaders(response: Response | null, label: string): string {
  expect(response, label).not.toBeNull();
  const headers = response!.headers();
  const csp = headers["content-security-policy"] ?? "";
  expect(csp, label).toMatch(/script-src [^;]*'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(csp, label).toContain("frame-ancestors 'none'");
  expect(csp, label).toContain("object-src 'none'");
  expect(csp, label).toContain("base-uri 'none'");
  expect(csp, label).not.toContain("unsafe-eval");
  expect(csp, label).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers["strict-transport-security"], label).toMatch(/max-age=\d{7,}/);
  expect(headers["x-content-type-options"], label).toBe("nosniff");
  expect(headers["referrer-policy"], label).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], label).toContain("camera=()");
  expect(headers["x-frame-options"], label).toBe("DENY");
  return /'nonce-([^']+)'/.exec(csp)![1];
}

/** Collects what Chromium reports: securitypolicyviolation events and CSP console errors. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __csp: string[] }).__csp ??= [];
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
  });
  return violations;
}

async function pageViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []).catch(() => []);
}

test("every main page carries the security headers and runs under the policy without a violation", async ({ page, context }) => {
  test.setTimeout(300_000);
  const violations = await watchViolations(page);
  const seen: string[] = [];
  const visit = async (url: string, check?: () => Promise<void>) => {
    const response = await page.goto(url);
    const nonce = expectSecurityHeaders(response, url);
    // Next.js put the nonce on its scripts, so they ran: the page is interactive.
    const scripts = await page.locator("script[nonce]").count();
    expect(scripts, url).toBeGreaterThan(0);
    expect(
      await page
        .locator("script[nonce]")
        .first()
        .evaluate((s) => (s as HTMLScriptElement).nonce),
    ).toBe(nonce);
    seen.push(nonce);
    if (check) await check();
    violations.push(...(await pageViolations(page)).map((v) => `${url}: ${v}`));
  };

  await visit("/sign-in");
  await visit("/sign-in");
  expect(new Set(seen).size, "a fresh nonce per response").toBe(seen.length);

  // An admin's pages: forms, the courses table and its search (client navigation), Recharts, dialogs.
  const world = await createAdminWorld({ connector: "enabled" });
  await signIn(page, world.admin.email);
  const p = `/p/${world.platformId}`;
  await visit(p);
  await visit(`${p}/connector`, async () => {
    await page.getByLabel("Organisation id").fill("x");
    await page.getByRole("button", { name: "Save credentials" }).click();
    await expect(page.getByText("Enter the client id.")).toBeVisible();
  });
  await visit(`${p}/courses`, async () => {
    await page.getByRole("searchbox").first().fill("python");
    await expect(page).toHaveURL(/q=python/);
  });
  await visit(`${p}/statistics`);
  await visit(`${p}/syncs`);
  await visit(`${p}/unmatched`);
  await visit(`${p}/audit`);
  await context.clearCookies();

  // A CSM's list of platforms.
  await signIn(page, DEMO_USERS.csm.email);
  await visit("/platforms");
  await context.clearCookies();

  // A learner: catalogue, a course, START (a form whose answer redirects to Coursera), sessions.
  const learning = await createLearnerWorld();
  await signIn(page, learning.learners.grace.email);
  await visit("/learn");
  await visit(`/learn/courses/${learning.course.id}`, async () => {
    const [coursera] = await Promise.all([
      context.waitForEvent("page"),
      page.getByRole("button", { name: /^Start .* on Coursera/ }).click(),
    ]);
    await coursera.waitForLoadState();
    expect(coursera.url()).toBe(learning.course.launchUrl);
    await coursera.close();
  });
  await visit("/learn/sessions");

  // A route handler's JSON has its own fixed policy.
  const api = await page.request.get("/api/health");
  expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");

  expect(violations).toEqual([]);
});

test("the app cannot be framed", async ({ page }) => {
  await page.setContent(`<iframe id="f" src="${BASE}/sign-in" width="400" height="300"></iframe>`);
  const frame = page.frameLocator("#f");
  await expect(frame.getByLabel("Email")).toHaveCount(0, { timeout: 5_000 });
});

// ─── #7 cross-site START ─────────────────────────────────────────────────

test("a form on another origin of the same site cannot START a course for a signed-in learner", async ({ page }) => {
  const world = await createLearnerWorld();
  const learner = world.learners.grace;
  await signIn(page, learner.email);
  // Another origin of the same site: the same host on another port (the session cookie, SameSite=Lax, is sent).
  const attacker: Server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(
      `<form id="f" method="POST" action="${BASE}/learn/courses/${world.course.id}/start"></form><script>document.getElementById("f").submit()</script>`,
    );
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
  try {
    const attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
    const start = page.waitForResponse((r) => r.url().includes(`/learn/courses/${world.course.id}/start`));
    await page.goto(attackerUrl);
    const response = await start;
    expect(response.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "This link did not come from the platform" })).toBeVisible();
    expect(page.url()).not.toBe(world.course.launchUrl);
  } finally {
    attacker.close();
  }
  expect(await query(`SELECT 1 FROM "CourseLaunch" WHERE "userId" = $1`, [learner.id])).toHaveLength(0);
});

// ─── #5 sign-in throttling in the browser ────────────────────────────────

test("after repeated wrong passwords the right one gets the same message; the platform's admin unlocks the account", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const world = await createAdminWorld();
  // A client address of this test's own (our proxy's X-Forwarded-For entry), so other tests' sign-ins are not slowed.
  const learnerContext = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "192.0.2.77" } });
  const page = await learnerContext.newPage();
  const attempt = async (email: string, password: string) => {
    await page.goto("/sign-in");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    const alert = page.getByRole("alert").filter({ hasText: /\S/ });
    await expect(alert).toBeVisible();
    return (await alert.textContent())!.trim();
  };
  const wrong = await attempt(world.learner.email, "not-the-password");
  for (let i = 0; i < 11; i++) await attempt(world.learner.email, `still-wrong-${i}`);
  // Locked: the right password is refused with exactly the wrong password's message, as is an unknown email.
  expect(await attempt(world.learner.email, DEMO_PASSWORD)).toBe(wrong);
  expect(await attempt(`nobody.${world.tag}@admin-e2e.test`, DEMO_PASSWORD)).toBe(wrong);

  // The platform's admin sees the locked account on the overview page and unlocks it.
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, world.admin.email);
  await admin.goto(`/p/${world.platformId}`);
  const locked = admin.getByRole("region", { name: "Locked sign-ins" });
  await expect(locked.getByText(world.learner.email)).toBeVisible();
  await locked.getByRole("button", { name: `Unlock ${world.learner.email}` }).click();
  await expect(admin.getByText(`${world.learner.email} can sign in again.`)).toBeVisible();
  await admin.goto(`/p/${world.platformId}/audit`);
  await expect(admin.getByRole("row").filter({ hasText: "Unlocked a sign-in" }).filter({ hasText: world.learner.email })).toBeVisible();

  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(world.learner.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-user")).toBeVisible();
  await learnerContext.close();
  await adminContext.close();
});

// ─── #4 NUL in URLs ──────────────────────────────────────────────────────

test("NUL and control characters in a URL are a 400 or an ordinary answer, never a 500", async ({ page }) => {
  const world = await createAdminWorld({ connector: "enabled" });
  await signIn(page, world.admin.email);
  const p = `/p/${world.platformId}`;
  for (const url of [
    `${p}/courses?q=%00`,
    `${p}/statistics?q=a%00b&status=COMPLETED`,
    `/p/%00/courses`,
    `${p}/courses/%00`,
    `${p}/syncs/%00`,
    `/learn?q=%00`,
    `/learn/courses/%00`,
    `${p}/courses?q=${"x".repeat(5000)}`,
  ]) {
    const response = await page.request.get(url, { maxRedirects: 0 });
    expect(response.status(), url).toBeLessThan(500);
  }
  for (const url of [`/api/platforms/${world.platformId}/skills?q=%00`, `/api/platforms/${world.platformId}/users?q=%00`]) {
    const response = await page.request.get(url);
    expect(response.status(), url).toBe(200);
  }
  const csv = await page.request.get(`/api/platforms/${world.platformId}/statistics/export?q=%00&status=COMPLETED`);
  expect(csv.status()).toBe(200);
  expect((await csv.text()).split("\n")[0]).toContain("Email");
});

// ─── secrets typed before the page's scripts run ────────────────────────────

test("a password or client secret submitted before the page's scripts run never goes into a URL", async ({ browser }) => {
  test.setTimeout(120_000);
  const world = await createAdminWorld({ connector: "enabled" });
  const urls: string[] = [];
  const statuses: number[] = [];
  /** A context before the page's scripts have loaded (a slow network): the HTML and its inline streaming scripts run,
   * React never hydrates, and the browser submits the forms itself. */
  const beforeScripts = async (storageState?: Awaited<ReturnType<BrowserContext["storageState"]>>) => {
    const context = await browser.newContext({ storageState });
    await context.route("**/_next/static/**/*.js", (route) => route.abort());
    context.on("request", (request) => urls.push(request.url()));
    context.on("response", (response) => statuses.push(response.status()));
    return context;
  };

  const password = `no-script-password-${Date.now().toString(36)}`;
  const signedOut = await beforeScripts();
  const signInPage = await signedOut.newPage();
  await signInPage.goto("/sign-in");
  await signInPage.getByLabel("Email").fill(world.admin.email);
  await signInPage.getByLabel("Password").fill(password);
  await signInPage.getByRole("button", { name: "Sign in", exact: true }).click();
  await signInPage.waitForLoadState();
  await signedOut.close();

  const signedIn = await browser.newContext();
  await signIn(await signedIn.newPage(), world.admin.email);
  const admin = await beforeScripts(await signedIn.storageState());
  await signedIn.close();
  const secret = `no-script-secret-${Date.now().toString(36)}`;
  const page = await admin.newPage();
  await page.goto(`/p/${world.platformId}/connector`);
  await page.getByLabel("Client secret").fill(secret);
  await page.getByRole("button", { name: "Save credentials" }).click();
  await page.waitForLoadState();
  await admin.close();

  expect(urls.length).toBeGreaterThan(2);
  for (const url of urls) {
    expect(decodeURIComponent(url)).not.toContain(secret);
    expect(decodeURIComponent(url)).not.toContain(password);
  }
  expect(statuses.filter((status) => status >= 500)).toEqual([]);
});
