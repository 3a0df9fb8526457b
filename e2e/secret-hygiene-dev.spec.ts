import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createAdminWorld } from "./admin-factories";
import { DEMO_PASSWORD } from "./fixtures";
import { requiredEnv } from "./database";
import { leaksIn, needlesFor } from "./secret-needles";
import { exitingWithParent } from "../scripts/run-command";

/**
 * The client secret never reaches the DEVELOPMENT server's log either (issue
 * 14 #2): `next dev` logs every server action call with its arguments unless
 * next.config.js turns that off, and the connector form sends the secret as
 * one. One `next dev` is started here, on the e2e database and sandbox; an
 * admin saves and tests credentials through the UI (real server-action calls
 * over HTTP); then its log is searched for the secret in every encoding. The
 * log is checked to be live (it recorded the connector page's requests), so
 * an empty log cannot pass for a clean one. It compiles pages for minutes:
 * playwright.config.ts runs it after every other spec, alone.
 */

const ROOT = process.cwd();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

let devServer: ChildProcess | undefined;
test.afterAll(async () => {
  if (devServer?.pid && devServer.exitCode === null) {
    try {
      process.kill(-devServer.pid, "SIGTERM");
    } catch {}
    await new Promise((resolve) => {
      const force = setTimeout(() => {
        try {
          process.kill(-devServer!.pid!, "SIGKILL");
        } catch {}
        resolve(null);
      }, 10_000);
      devServer!.once("exit", () => (clearTimeout(force), resolve(null)));
    });
  }
});

test("a client secret saved and tested through the UI never appears in the development server's log", async ({ browser }) => {
  test.setTimeout(900_000);
  const world = await createAdminWorld({ connector: "enabled" });
  const creds = {
    orgId: `dev-hygiene-${world.tag}`,
    clientId: `dev-hygiene-client-${world.tag}`,
    clientSecret: `Dev+${randomBytes(12).toString("hex")}/${randomBytes(12).toString("hex")}=z${randomBytes(2).toString("hex")}`,
  };
  const control = await fetch(`${requiredEnv("COURSERA_API_BASE_URL")}/__control/orgs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...creds, name: `Dev hygiene ${world.tag}`, seed: 9, catalogueSize: 5, enrollmentCount: 0 }),
  });
  expect(control.status).toBe(200);

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
  const logPath = path.join(ROOT, "test-results", "e2e-dev-server.log");
  const log = openSync(logPath, "w");
  devServer = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "dev", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    // Its own build folder, so it runs next to a developer's `npm run dev`; it exits if this runner dies.
    env: exitingWithParent({
      ...process.env,
      NODE_ENV: "development",
      NEXTAUTH_URL: base,
      NEXT_TELEMETRY_DISABLED: "1",
      NEXT_DIST_DIR: ".next-dev-test",
    }),
    stdio: ["ignore", log, log],
    detached: true,
  });
  await waitForHttp(`${base}/api/health`, 300_000);

  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  await page.goto("/sign-in", { timeout: 300_000 });
  await page.getByLabel("Email").fill(world.admin.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-user")).toBeVisible({ timeout: 300_000 });
  await page.goto(`/p/${world.platformId}/connector`, { timeout: 300_000 });
  await page.getByLabel("Organisation id").fill(creds.orgId);
  await page.getByLabel("Client id").fill(creds.clientId);
  await page.getByLabel("Client secret").fill(creds.clientSecret);
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText(/Connection works/)).toBeVisible({ timeout: 300_000 });
  await page.getByRole("button", { name: "Save credentials" }).click();
  await expect(page.getByText(/Credentials saved/)).toBeVisible({ timeout: 120_000 });
  await context.close();

  // Let the server finish writing what it logs after the responses.
  await new Promise((r) => setTimeout(r, 2_000));
  const text = readFileSync(logPath, "utf8");
  // The log is live: it recorded the connector page (Next.js logs each request in development).
  expect(text).toContain(`/p/${world.platformId}/connector`);
  expect(leaksIn(text, needlesFor(creds.clientSecret)), "the secret in the development server's log").toEqual([]);
});
