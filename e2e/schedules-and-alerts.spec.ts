import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { createAdminWorld } from "./admin-factories";
import { query, requiredEnv } from "./database";
import { DEMO_USERS, signIn } from "./fixtures";

/**
 * Issue 19, parts 2 and 3, through the admin pages: the sync schedule in the
 * customer's time zone (chosen in local time, the next runs shown in local
 * time), and alerts (Coursera refusing credentials alerts the platform's admin
 * and the CSMs in the app and by email through the SMTP server scripts/test.ts
 * runs; the bell, the notifications list, mark as read, opting out of a kind's
 * emails; the recovery when customer success disables the connector).
 */

interface Mail {
  to: string[];
  subject: string;
  text: string;
  raw: string;
}

function mailsTo(address: string): Mail[] {
  const dir = requiredEnv("E2E_MAIL_DIR");
  let files: string[] = [];
  try {
    files = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(path.join(dir, f), "utf8")) as Mail).filter((m) => m.to.includes(address));
}

async function expectUnread(page: Page, count: number) {
  // The bell asks on each page load (and every minute): reload until the worker has done its part.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-unread", String(count), { timeout: 2_000 });
  }).toPass({ timeout: 45_000 });
}

test("an admin chooses the sync times in their time zone, and the next syncs show in local time", async ({ page }) => {
  const world = await createAdminWorld({ connector: "enabled" });
  // Credentials as stored (never used here): the overview shows the next syncs of a connector that can sync.
  await query(
    `UPDATE "CourseraConnector" SET "orgId" = 'org', "clientId" = 'client', "clientSecretEncrypted" = 'x', "clientSecretLast4" = 'abcd' WHERE "platformId" = $1`,
    [world.platformId],
  );
  await signIn(page, world.admin.email);
  await page.goto(`/p/${world.platformId}/connector`);
  const schedule = page.getByRole("region", { name: "Sync schedule" });
  // The platform's zone (UTC) and the default hours to begin with.
  await expect(schedule.getByTestId("next-catalogue-sync")).toContainText("Daily at the default time (02:00–02:30), UTC");
  await expect(schedule.getByText(/a time they skip runs at the first time that exists \(02:30 runs at 03:00\)/)).toBeVisible();

  await schedule.getByLabel("Time zone").selectOption("Europe/Paris");
  await schedule.getByLabel("Catalogue sync, daily at").fill("06:15");
  await schedule.getByLabel("Statistics sync, daily at").fill("23:45");
  await schedule.getByLabel("Alert when no sync has succeeded for (hours)").fill("48");
  await schedule.getByRole("button", { name: "Save schedule" }).click();
  await expect(page.getByText("Sync schedule saved.")).toBeVisible();

  // Shown in Paris time (CET in winter, CEST in summer), whatever the server's zone.
  await expect(schedule.getByTestId("next-catalogue-sync")).toContainText(/06:15 (CET|CEST)/);
  await expect(schedule.getByTestId("next-catalogue-sync")).toContainText("Daily at 06:15, Europe/Paris");
  await expect(schedule.getByTestId("next-statistics-sync")).toContainText(/23:45 (CET|CEST)/);
  const [row] = await query<{ timeZone: string; catalogueTime: string; statisticsTime: string; staleAfterHours: number }>(
    `SELECT "timeZone", "catalogueTime", "statisticsTime", "staleAfterHours" FROM "CourseraConnector" WHERE "platformId" = $1`,
    [world.platformId],
  );
  expect(row).toEqual({ timeZone: "Europe/Paris", catalogueTime: "06:15", statisticsTime: "23:45", staleAfterHours: 48 });
  const [audit] = await query<{ actorEmail: string; details: Record<string, { from: unknown; to: unknown }> }>(
    `SELECT "actorEmail", "details" FROM "AuditLog" WHERE "platformId" = $1 AND "action" = 'connector.schedule_changed'`,
    [world.platformId],
  );
  expect(audit.actorEmail).toBe(world.admin.email);
  expect(audit.details.catalogueTime).toEqual({ from: null, to: "06:15" });

  // The overview says the same, in local time.
  await page.goto(`/p/${world.platformId}`);
  await expect(page.getByTestId("next-catalogue-sync")).toContainText(/06:15 (CET|CEST)/);
  // A time that is not a time is refused at the field.
  await page.goto(`/p/${world.platformId}/connector`);
  // Typed until it holds (the page streams in: a value typed before hydration is reset).
  const staleHours = schedule.getByLabel("Alert when no sync has succeeded for (hours)");
  await expect(async () => {
    await staleHours.fill("1");
    await expect(staleHours).toHaveValue("1", { timeout: 1_000 });
  }).toPass();
  await schedule.getByRole("button", { name: "Save schedule" }).click();
  await expect(schedule.getByText("Enter a whole number of hours between 2 and 720.")).toBeVisible();
});

test("refused credentials alert the admin and the CSMs in the app and by email, once, until resolved; opt-out by kind", async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000); // two roles, two Coursera refusals and the worker's alert round trips
  const world = await createAdminWorld({ connector: "enabled" });
  const csmEmail = DEMO_USERS.csm.email;
  const wrongSecret = `wrong-${world.tag}-secret`;
  await signIn(page, world.admin.email);
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-unread", "0");

  // The admin tests credentials Coursera refuses (the sandbox's organisation without API access knows this client, not this secret).
  const testRefused = async () => {
    await page.goto(`/p/${world.platformId}/connector`);
    await page.getByLabel("Organisation id").fill("acme-demo-noapi");
    await page.getByLabel("Client id").fill("noapi-client");
    await page.getByLabel("Client secret").fill(wrongSecret);
    await page.getByRole("button", { name: "Test connection" }).click();
    await expect(page.getByRole("alert").filter({ hasText: /Coursera rejected/ })).toBeVisible({ timeout: 30_000 });
  };
  await testRefused();
  await expectUnread(page, 1);
  // Refused a second time: the same incident, no second alert.
  await testRefused();

  // The email: to the admin and to the CSM, with the link that explains, and no secret.
  await expect.poll(() => mailsTo(world.admin.email).length, { timeout: 30_000 }).toBe(1);
  await expect.poll(() => mailsTo(csmEmail).filter((m) => m.subject.includes(world.platformName)).length, { timeout: 30_000 }).toBe(1);
  const [mail] = mailsTo(world.admin.email);
  expect(mail.subject).toBe(`[${world.platformName}] Coursera rejected the credentials`);
  expect(mail.text).toContain(`${requiredEnv("E2E_BASE_URL")}/p/${world.platformId}/connector`);
  expect(mail.raw).not.toContain(wrongSecret);
  expect(mailsTo(world.learner.email)).toEqual([]);

  // The bell leads to the list; the notification leads to the page that explains.
  await page.getByTestId("notification-bell").click();
  await expect(page).toHaveURL(/\/notifications$/);
  const item = page.getByTestId("notification").filter({ hasText: world.platformName });
  await expect(item).toHaveCount(1);
  await expect(item).toContainText("Coursera rejected the credentials");
  await expect(item).toHaveAttribute("data-read", "false");
  await item.getByRole("button", { name: /Mark as read/ }).click();
  await expect(item).toHaveAttribute("data-read", "true");
  await expect(page.getByTestId("notification-bell")).toHaveAttribute("data-unread", "0");
  const [read] = await query<{ readAt: Date | null }>(`SELECT "readAt" FROM "AlertNotification" WHERE "userId" = $1`, [world.admin.id]);
  expect(read.readAt).not.toBeNull();
  await item.getByRole("link", { name: "See what happened and what to do" }).click();
  await expect(page).toHaveURL(new RegExp(`/p/${world.platformId}/connector$`));

  // The admin keeps credentials alerts in the app but stops their emails.
  await page.goto("/settings/alerts");
  await page.getByRole("checkbox", { name: "Credentials rejected: by email" }).uncheck();
  await page.getByRole("button", { name: "Save my choices" }).click();
  await expect(page.getByText("Your alert choices are saved.")).toBeVisible();

  // Customer success disables the connector: the incident closes, with a recovery message to each.
  const csmContext = await browser.newContext();
  try {
    const csm = await csmContext.newPage();
    await signIn(csm, csmEmail);
    await csm.goto(`/p/${world.platformId}/connector`);
    await csm.getByRole("button", { name: "Disable connector" }).click();
    await csm.getByRole("dialog").getByRole("button", { name: "Disable connector" }).click();
    await expect
      .poll(
        () => mailsTo(csmEmail).filter((m) => m.subject === `[${world.platformName}] Resolved: Coursera rejected the credentials`).length,
        {
          timeout: 45_000,
        },
      )
      .toBe(1);
    await csm.goto("/notifications");
    await expect(csm.getByTestId("notification").filter({ hasText: world.platformName }).first()).toContainText("Resolved");
  } finally {
    await csmContext.close();
  }
  await expectUnread(page, 1);
  await page.goto("/notifications?show=unread");
  await expect(page.getByTestId("notification").filter({ hasText: world.platformName })).toContainText("The connector was disabled.");
  // In the app, not by email: the admin's emails are still the one from before.
  expect(mailsTo(world.admin.email)).toHaveLength(1);
  const statuses = await query<{ event: string; emailStatus: string }>(
    `SELECT "event", "emailStatus" FROM "AlertNotification" WHERE "userId" = $1 ORDER BY "createdAt"`,
    [world.admin.id],
  );
  expect(statuses).toEqual([
    { event: "OPENED", emailStatus: "SENT" },
    { event: "RESOLVED", emailStatus: "SKIPPED" },
  ]);
});

test("learners have no bell and no alert pages", async ({ page }) => {
  const world = await createAdminWorld();
  await signIn(page, world.learner.email);
  await expect(page.getByTestId("notification-bell")).toHaveCount(0);
  const response = await page.goto("/notifications");
  expect(response?.status()).toBe(403);
  expect((await page.request.get("/api/notifications")).status()).toBe(403);
});
