import "server-only";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startEmbeddedPostgres } from "@/lib/database/embedded";
import { migrate } from "@/lib/database/migrate";

/**
 * Where the database comes from: the server named by DATABASE_URL, or the
 * embedded PGlite when none is given. Used by the run command, the test
 * command and the benchmarks.
 */
export interface ProvisionedDatabase {
  url: string;
  embedded: boolean;
  /** Stops the embedded server, or drops the throwaway database. */
  release(): Promise<void>;
}

export async function provisionDatabase(options: {
  serverUrl?: string;
  /** Persistent folder for the embedded database; in memory when absent. */
  embeddedDir?: string;
  embeddedPort?: number;
  /** On a server: create a fresh, uniquely named database and drop it on release. */
  fresh?: boolean;
  freshPrefix?: string;
}): Promise<ProvisionedDatabase> {
  let result: ProvisionedDatabase;
  if (options.serverUrl && options.fresh) {
    const name = `${options.freshPrefix ?? "connector_test"}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
    await adminQuery(options.serverUrl, `CREATE DATABASE "${name}"`);
    const url = new URL(options.serverUrl);
    url.pathname = `/${name}`;
    result = {
      url: url.toString(),
      embedded: false,
      release: () => adminQuery(options.serverUrl!, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    };
  } else if (options.serverUrl) {
    result = { url: options.serverUrl, embedded: false, release: async () => {} };
  } else {
    const server = await startEmbeddedPostgres({ dataDir: options.embeddedDir, port: options.embeddedPort });
    result = { url: server.url, embedded: true, release: () => server.stop() };
  }
  await migrate(result.url);
  return result;
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
