import "server-only";
import { mkdir } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { ProtocolAwareQueryQueue } from "@/lib/database/pglite-queue";

/**
 * The embedded PostgreSQL: PGlite on a folder, served over TCP so that Prisma
 * (through @prisma/adapter-pg), the migration runner and Next.js's own process
 * all talk to it exactly as they would to a real server.
 */
export interface EmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: {
  /** A folder for persistent data, or undefined for an in-memory database. */
  dataDir?: string;
  port?: number;
  host?: string;
}): Promise<EmbeddedPostgres> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create({
    dataDir: options.dataDir,
    extensions: { pg_trgm, unaccent },
  });
  const host = options.host ?? "127.0.0.1";
  const server = new PGLiteSocketServer({
    db,
    host,
    port: options.port ?? 0,
    // The default of 1 would make the app's pool, the runner and a psql session queue for each other.
    maxConnections: 64,
  });
  // Connections are handed the server's queue when they open, so replacing it before start() covers all of them.
  (server as unknown as { queryQueue: ProtocolAwareQueryQueue }).queryQueue = new ProtocolAwareQueryQueue(db);
  await server.start();
  const address = server.getServerConn();
  const port = Number(address.split(":").pop());
  return {
    url: `postgresql://postgres:postgres@${host}:${port}/postgres?sslmode=disable`,
    port,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
