import { expect, type Page } from "@playwright/test";
import { DEMO_COURSERA } from "../prisma/demo-data";

/** Steps several admin specs share, done through the UI as a person would. */

export const FINAL = /^(SUCCEEDED|NEEDS_REVIEW|FAILED)$/;

/** Saves the sandbox's demo credentials on the connector page and follows the sync it starts; returns the run id. */
export async function saveDemoCredentials(page: Page, platformId: string): Promise<string> {
  await page.goto(`/p/${platformId}/connector`);
  await page.getByLabel("Organisation id").fill(DEMO_COURSERA.orgId);
  await page.getByLabel("Client id").fill(DEMO_COURSERA.clientId);
  await page.getByLabel("Client secret").fill(DEMO_COURSERA.clientSecret);
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
