import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIResponse, type BrowserContext, type Response } from "@playwright/test";
import { DEMO_USERS, signIn } from "./fixtures";
import { createAdminWorld } from "./admin-factories";
import { query, requiredEnv, withDb } from "./database";
import { waitForRunToFinish } from "./admin-flows";
import { leaksIn, needlesFor } from "./secret-needles";

/**
 * Secret hygiene (issue 8): a Coursera client secret made up for this run is
 * entered once through the UI, then the whole admin side of the platform is
 * used — test, save, first catalogue sync, a statistics sync, every page and
 * JSON route — and the secret must show up in no response the browser got, not
 * in the server's log and not in any database row (the encrypted column holds
 * ciphertext only). The demo credentials would not do: they are known, so
 * finding them proves nothing about where they came from.
 */

const TEXT_TYPE = /html|json|x-component|text\/|javascript|xml|csv/;

interface Body {
  url: string;
  text: string;
}

/** Keeps the text of every non-binary response the context's pages receive. */
function recordResponses(context: BrowserContext, bodies: Body[], pending: Promise<void>[]): void {
  context.on("response", (response: Response) => {
    const type = response.headers()["content-type"] ?? "";
    if (!TEXT_TYPE.test(type)) return;
    pending.push(
      response
        .text()
        .then((text) => void bodies.push({ url: response.url(), text }))
        // Redirects and aborted navigations have no body to read.
        .catch(() => undefined),
    );
  });
}

async function recordApi(bodies: Body[], response: APIResponse): Promise<void> {
  expect(response.status(), response.url()).toBe(200);
  bodies.push({ url: response.url(), text: await response.text() });
}

test("a client secret entered in the UI never leaves the server, is never logged and is stored only encrypted", async ({
  page,
  browser,
}) => {
  test.setTimeout(360_000);
  const world = await createAdminWorld({ connector: "enabled" });
  const creds = {
    orgId: `hygiene-org-${world.tag}`,
    clientId: `hygiene-client-${world.tag}`,
    // Characters that change under URL- and base64-encoding, so every form is really searched for.
    clientSecret: `Hyg+${randomBytes(12).toString("hex")}/${randomBytes(12).toString("hex")}=z${randomBytes(2).toString("hex")}`,
  };
  const needles = needlesFor(creds.clientSecret);
  const last4 = creds.clientSecret.slice(-4);
  // The search itself works: the secret is found inside base64 at every alignment and inside URL-encoded text.
  for (const prefix of ["", "a", "ab"])
    expect(leaksIn(Buffer.from(`${prefix}${creds.clientSecret}!`).toString("base64"), needles)).not.toEqual([]);
  expect(leaksIn(`secret=${encodeURIComponent(creds.clientSecret)}&x=1`, needles)).not.toEqual([]);

  // A Coursera org of its own in the sandbox, with our learner and a stranger enrolled.
  const control = await fetch(`${requiredEnv("COURSERA_API_BASE_URL")}/__control/orgs`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      ...creds,
      name: `Hygiene ${world.tag}`,
      seed: 8,
      catalogueSize: 12,
      learners: [
        { email: world.learner.email, externalId: world.learner.email, fullName: "Hygiene Learner" },
        { email: `stranger.${world.tag}@elsewhere.test`, externalId: null, fullName: "Hygiene Stranger" },
      ],
      enrollmentCount: 6,
    }),
  });
  expect(control.status).toBe(200);

  const bodies: Body[] = [];
  const pending: Promise<void>[] = [];
  recordResponses(page.context(), bodies, pending);
  // What the browser sent: the secret must be in there (the check below would otherwise prove nothing).
  const sent: string[] = [];
  page.context().on("request", (request) => {
    if (request.method() === "POST") sent.push(request.postData() ?? "");
  });

  // --- the admin enters, tests and saves the credentials --------------------------------------
  await signIn(page, world.admin.email);
  const base = `/p/${world.platformId}`;
  await page.goto(`${base}/connector`);
  await page.getByLabel("Organisation id").fill(creds.orgId);
  await page.getByLabel("Client id").fill(creds.clientId);
  await page.getByLabel("Client secret").fill(creds.clientSecret);
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText(/Connection works/)).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "Save credentials" }).click();
  await expect(page.getByText("The catalogue sync has started.")).toBeVisible({ timeout: 30_000 });
  await page.getByRole("link", { name: "Follow its progress" }).click();
  await expect(page).toHaveURL(/\/syncs\/[^/]+$/);
  const catalogueRunId = new URL(page.url()).pathname.split("/").pop()!;
  expect(await waitForRunToFinish(page)).toBe("SUCCEEDED");

  // The history lists the finished run, and statistics can now be synchronised.
  await page.goto(`${base}/syncs`);
  await expect(page.getByRole("heading", { name: "Sync history" })).toBeVisible();
  await expect(page.locator(`main a[href$="/syncs/${catalogueRunId}"]`).first()).toBeVisible();
  const syncStatistics = page.getByRole("button", { name: "Sync statistics now" });
  await expect(syncStatistics).toBeEnabled();
  await syncStatistics.click();
  // The new run is the history's first row at once; its page follows it to the end.
  const newest = page.getByTestId("run-row").first();
  await expect(newest).toHaveAttribute("data-kind", "STATISTICS", { timeout: 30_000 });
  const statisticsRunId = (await newest.getAttribute("data-run-id"))!;
  await newest.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/syncs\/[^/]+$/);
  expect(statisticsRunId).not.toBe(catalogueRunId);
  expect(await waitForRunToFinish(page)).toMatch(/^(SUCCEEDED|NEEDS_REVIEW)$/);

  // --- every admin page of the platform ---------------------------------------------------------
  const [course] = await query<{ id: string }>(
    `SELECT "id" FROM "Course" WHERE "platformId" = $1 AND "source" = 'COURSERA' ORDER BY "title" LIMIT 1`,
    [world.platformId],
  );
  expect(course, "the catalogue sync created courses").toBeTruthy();
  const pages = [
    base,
    `${base}/connector`,
    `${base}/courses`,
    `${base}/courses/${course.id}`,
    `${base}/syncs`,
    `${base}/syncs/${catalogueRunId}`,
    `${base}/syncs/${statisticsRunId}`,
    `${base}/statistics`,
    `${base}/statistics?view=courses`,
    `${base}/unmatched`,
    `${base}/audit`,
    "/notifications",
    "/settings/alerts",
  ];
  for (const url of pages) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(200);
    await expect(page.getByRole("main")).toBeVisible();
    // Client-side queries (TanStack Query) answer after the page: their bodies count too.
    await page.waitForLoadState("networkidle");
  }

  // The credentials page shows that a secret is set and its last 4 characters, nothing more.
  await page.goto(`${base}/connector`);
  await expect(page.getByLabel("Client secret")).toHaveValue("");
  await expect(page.getByText(`A secret is set (ending in ${last4})`)).toBeVisible();
  const connectorText = await page.locator("body").innerText();
  expect(connectorText).not.toContain(creds.clientSecret.slice(-5));

  // --- the JSON routes, with the admin's session ------------------------------------------------
  const api = `/api/platforms/${world.platformId}`;
  for (const url of [
    `${api}/overview`,
    `${api}/skills?q=a`,
    `${api}/users?q=a`,
    `${api}/statistics/export`,
    `${api}/syncs/${catalogueRunId}`,
    `${api}/syncs/${statisticsRunId}`,
    "/api/notifications",
  ]) {
    await recordApi(bodies, await page.request.get(url));
  }

  // --- the CSM's view: the platforms list, the connector page and the group preview -------------
  const csmContext = await browser.newContext();
  try {
    recordResponses(csmContext, bodies, pending);
    const csmPage = await csmContext.newPage();
    await signIn(csmPage, DEMO_USERS.csm.email);
    await csmPage.goto("/platforms");
    await expect(csmPage.getByRole("heading", { name: "Customer platforms" })).toBeVisible();
    await csmPage.waitForLoadState("networkidle");
    await csmPage.goto(`${base}/connector`);
    await expect(csmPage.getByText(`A secret is set (ending in ${last4})`)).toBeVisible();
    await csmPage.waitForLoadState("networkidle");
    await recordApi(bodies, await csmPage.request.get(`${api}/groups/preview?groupId=${world.groups.engineering}`));
    await recordApi(bodies, await csmPage.request.get(`${api}/overview`));
  } finally {
    await Promise.all(pending);
    await csmContext.close();
  }
  await Promise.all(pending);

  // --- 1. nothing the browser received carries the secret --------------------------------------
  expect(
    sent.some((body) => body.includes(creds.clientSecret)),
    "the browser sent the secret to the server",
  ).toBe(true);
  expect(bodies.length).toBeGreaterThan(pages.length);
  const leakingBodies = bodies.map((b) => ({ url: b.url, leaks: leaksIn(b.text, needles) })).filter((b) => b.leaks.length > 0);
  expect(leakingBodies).toEqual([]);

  // --- 2. nor the server's log -------------------------------------------------------------------
  const logPath = path.join(process.cwd(), "test-results", "e2e-server.log");
  expect(existsSync(logPath), `${logPath} is written by scripts/test.ts`).toBe(true);
  expect(leaksIn(readFileSync(logPath, "utf8"), needles)).toEqual([]);

  // --- 2b. nor any alert email (every message the SMTP server received, as it crossed the wire) -------
  const mailDir = process.env.E2E_MAIL_DIR;
  if (mailDir && existsSync(mailDir)) {
    for (const file of readdirSync(mailDir)) expect(leaksIn(readFileSync(path.join(mailDir, file), "utf8"), needles), file).toEqual([]);
  }

  // --- 3. nor any database row; the secret column holds ciphertext only ---------------------------
  const leakingRows = await withDb(async (db) => {
    const { rows: tables } = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toContain("CourseraConnector");
    const found: { table: string; leaks: string[] }[] = [];
    let rowsWithClientId = 0;
    for (const { table_name: table } of tables) {
      const quoted = `"${table.replace(/"/g, '""')}"`;
      // The one column allowed to derive from the secret is checked on its own below.
      const sql =
        table === "CourseraConnector"
          ? `SELECT (to_jsonb(t) - 'clientSecretEncrypted')::text AS row FROM ${quoted} t`
          : `SELECT t::text AS row FROM ${quoted} t`;
      const { rows } = await db.query<{ row: string }>(sql);
      for (const { row } of rows) {
        if (row.includes(creds.clientId)) rowsWithClientId++;
        const leaks = leaksIn(row, needles);
        if (leaks.length > 0) found.push({ table, leaks });
      }
    }
    // The non-secret client id is found, so the scan does read the rows the secret would be in.
    expect(rowsWithClientId).toBeGreaterThan(0);
    return found;
  });
  expect(leakingRows).toEqual([]);

  const [stored] = await query<{ clientSecretEncrypted: string | null; clientId: string | null }>(
    `SELECT "clientSecretEncrypted"::text AS "clientSecretEncrypted", "clientId" FROM "CourseraConnector" WHERE "platformId" = $1`,
    [world.platformId],
  );
  expect(stored.clientId).toBe(creds.clientId);
  expect(stored.clientSecretEncrypted, "the secret is stored").toBeTruthy();
  expect(leaksIn(stored.clientSecretEncrypted!, needles)).toEqual([]);
});
