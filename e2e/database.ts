import { randomUUID } from "node:crypto";
import pg from "pg";

/**
 * The e2e tests' access to what scripts/test.ts hands Playwright: its
 * variables, and the database the app under test uses (to shape per-test data
 * and to check what a page did).
 */

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the e2e tests through scripts/test.ts`);
  return value;
}

export async function withDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: requiredEnv("DATABASE_URL") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  return withDb(async (db) => (await db.query<T>(sql, params)).rows);
}

/** A row id no other test and no demo row uses. */
export const newId = () => `e2e${randomUUID().replace(/-/g, "")}`;
