import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env, requireEnv } from "@/lib/env";

/**
 * The one Prisma client of the process, created on first use. Kept on
 * globalThis so that Next.js hot reloads in development do not open a new pool
 * each time.
 */
const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

function createClient(): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: requireEnv("DATABASE_URL"),
    max: env().DATABASE_POOL_SIZE,
    connectionTimeoutMillis: 15_000,
    // A session left idle inside a transaction — its process hung, or was paused — is ended by
    // the server and its locks released; otherwise a job taken over from a hung worker could
    // wait on them for ever. No transaction of ours idles that long between two statements.
    // JIT compilation is off: it costs tens to hundreds of milliseconds per statement whose estimated
    // cost crosses its threshold (a learner's search over a large catalogue does), far more than
    // anything here gains from it.
    options: `-c idle_in_transaction_session_timeout=${Math.max(10_000, env().RUNNER_LEASE_MS)} -c jit=off`,
  });
  return new PrismaClient({ adapter });
}

export function getDb(): PrismaClient {
  globalForPrisma.prisma ??= createClient();
  return globalForPrisma.prisma;
}

/** Lazily-bound proxy so modules can `import { db }` without connecting at import time. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, prop) {
    const client = getDb();
    const value = Reflect.get(client, prop, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

export async function disconnectDb(): Promise<void> {
  if (globalForPrisma.prisma) {
    await globalForPrisma.prisma.$disconnect();
    globalForPrisma.prisma = undefined;
  }
}

export { Prisma } from "@/lib/generated/prisma/client";
