import { defineConfig, devices } from "@playwright/test";
import { systemChromiumLaunchOptions } from "./e2e/system-chromium";

/**
 * End-to-end tests in real Chromium against a production build. scripts/test.ts
 * builds the app, starts it on its own database with the Coursera sandbox, and
 * passes the address in E2E_BASE_URL.
 */
const DEV_SERVER_SPECS = /secret-hygiene-dev\.spec\.ts/;

const chromium = { ...devices["Desktop Chrome"], launchOptions: systemChromiumLaunchOptions() };

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results/e2e",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: process.env.E2E_BASE_URL ?? "http://127.0.0.1:3100",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    { name: "chromium", use: chromium, testIgnore: DEV_SERVER_SPECS },
    // `next dev` compiles for minutes and would starve the specs running beside it: these run last, alone.
    { name: "dev-server", use: chromium, testMatch: DEV_SERVER_SPECS, dependencies: ["chromium"] },
  ],
});
