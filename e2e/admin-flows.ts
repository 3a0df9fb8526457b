import { expect, type Page } from "@playwright/test";
import { DEMO_ORG } from "../sandbox/data";
import { requiredEnv } from "./database";

/** Steps several admin specs share, done through the UI as a person would. */

export const FINAL = /^(SUCCEEDED|NEEDS_REVIEW|FAILED)$/;

export interface CourseraCredentials {
  orgId: string;
  clientId: string;
  clientSecret: string;
}

/**
 * A Coursera organisation of the test's own in the sandbox, with the demo
 * organisation's catalogue, programs and learners (same seed): a Coursera
 * organisation belongs to one platform, and the demo's is the seeded Acme's.
 */
export async function demoOrgCopy(tag: string): Promise<CourseraCredentials> {
  const creds = { orgId: `acme-demo-${tag}`, clientId: `acme-demo-client-${tag}`, clientSecret: DEMO_ORG.clientSecret };
  const response = await fetch(`${requiredEnv("COURSERA_API_BASE_URL")}/__control/orgs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...DEMO_ORG, ...creds }),
  });
  expect(response.status).toBe(200);
  return creds;
}

/** Saves credentials of a copy of the sandbox's demo organisation on the connector page and follows the sync it starts; returns the run id. */
export async function saveDemoCredentials(page: Page, platformId: string, creds?: CourseraCredentials): Promise<string> {
  const { orgId, clientId, clientSecret } = creds ?? (await demoOrgCopy(platformId.slice(-8)));
  await page.goto(`/p/${platformId}/connector`);
  await page.getByLabel("Organisation id").fill(orgId);
  await page.getByLabel("Client id").fill(clientId);
  await page.getByLabel("Client secret").fill(clientSecret);
  await page.getByRole("button", { name: "Save credentials" }).click();
  await expect(page.getByText("The catalogue sync has started.")).toBeVisible({ timeout: 30_000 });
  await page.getByRole("link", { name: "Follow its progress" }).click();
  await expect(page).toHaveURL(/\/syncs\/[^/]+$/);
  return new URL(page.url()).pathname.split("/").pop()!;
}

/**
 * Waits on the run's page until the run is over (the live progress refreshes
 * the page when it ends). Syncs are real background jobs here, so this can
 * take a while on a busy machine.
 */
export async function waitForRunToFinish(page: Page, timeout = 150_000): Promise<string> {
  const status = page.getByTestId("run-status");
  await expect(status).toHaveAttribute("data-status", FINAL, { timeout });
  return (await status.getAttribute("data-status"))!;
}
