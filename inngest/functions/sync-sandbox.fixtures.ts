import { setCourseraClientOverrides } from "@/lib/connectors/coursera-client";
import { createMemoryTokenCache, type CourseraClientOptions } from "@/lib/coursera/client";
import { startCourseraSandbox, type CourseraSandbox } from "@/sandbox/server";
import { disconnectDb } from "@/lib/db";
import { setSyncBudgetOverride } from "@/lib/sync/budget";

/**
 * The sandbox the sync tests run against, one per test file: the production
 * Coursera client pointed at it with no rate limit, fast backoff and its own
 * token cache. `overrides` adds what a file needs (its retry budget, a
 * recorded sleep…). Steps hold two pages, so the tests can say which step a
 * page belongs to.
 */
export async function startSyncSandbox(overrides: Partial<CourseraClientOptions> = {}): Promise<CourseraSandbox> {
  const sandbox = await startCourseraSandbox({ port: 0, includeDemoOrg: false });
  setCourseraClientOverrides({
    baseUrl: sandbox.url,
    requestsPerSecond: 0,
    backoffBaseMs: 1,
    backoffCapMs: 5,
    tokenCache: createMemoryTokenCache(),
    ...overrides,
  });
  setSyncBudgetOverride({ step: { maxPages: 2, maxMs: 60_000 } });
  return sandbox;
}

/** After each test: no fault left armed, full-size pages again. */
export function resetSyncSandbox(sandbox: CourseraSandbox): void {
  sandbox.control.clearFaults();
  sandbox.control.setMaxPageSize(1000);
}

/** After the file: the client back to its defaults, the sandbox and the database pool closed. */
export async function stopSyncSandbox(sandbox: CourseraSandbox | undefined): Promise<void> {
  setCourseraClientOverrides({});
  setSyncBudgetOverride(null);
  await sandbox?.close();
  await disconnectDb();
}
