import { expect, type Page } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS } from "../prisma/demo-data";

export { DEMO_PASSWORD, DEMO_USERS };

/** Signs in through the real form, as a person would. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("signed-in-user")).toBeVisible();
}

/** The id of a platform, read from the URL an admin lands on. */
export async function platformIdOfAdmin(page: Page, adminEmail: string): Promise<string> {
  await signIn(page, adminEmail);
  await expect(page).toHaveURL(/\/p\/[^/]+$/);
  const id = new URL(page.url()).pathname.split("/")[2];
  await page.context().clearCookies();
  return id;
}
