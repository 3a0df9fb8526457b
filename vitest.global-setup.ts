import { randomBytes } from "node:crypto";
import { provisionDatabase, type ProvisionedDatabase } from "./lib/database/provision";

/**
 * Every test run gets its own database: a fresh one on the server named by
 * DATABASE_URL (dropped afterwards), else an in-memory embedded PGlite that
 * lives as long as the run. Test workers are forked after this, so they
 * inherit the variables set here.
 */
let database: ProvisionedDatabase | undefined;

export async function setup() {
  database = await provisionDatabase({ serverUrl: process.env.DATABASE_URL || undefined, fresh: true, freshPrefix: "connector_vitest" });
  process.env.DATABASE_URL = database.url;
  // The embedded PGlite is one backend behind a socket: a test cannot drop "its" connection there.
  process.env.TEST_DATABASE_EMBEDDED = database.embedded ? "1" : "0";
  process.env.ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
  process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("base64url");
  process.env.RUNNER_SCHEDULES = "0";
  // The tests' Coursera sandboxes listen on random ports and serve their own launch pages and images.
  process.env.COURSERA_ALLOWED_LINK_ORIGINS ??= "http://127.0.0.1:*";
}

export async function teardown() {
  await database?.release();
}
