/**
 * `npm run dev`: the whole product on one machine.
 *   database  DATABASE_URL, else an embedded PGlite in .data/pglite
 *   Coursera  COURSERA_API_BASE_URL, else the local sandbox (demo org included)
 *   jobs      a worker process (inngest/worker.ts): connected to an Inngest server when
 *             configured, else the embedded runner on the database
 * then migrations, the idempotent demo seed, `next dev` and the worker.
 * Ctrl-C stops everything this script started.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { loadDevSecrets } from "./dev-secrets";

const ROOT = process.cwd();
const DATA_DIR = path.join(ROOT, ".data");
const APP_PORT = Number(process.env.PORT ?? 3000);
const SANDBOX_PORT = Number(process.env.COURSERA_SANDBOX_PORT ?? 4010);
const EMBEDDED_PORT = Number(process.env.EMBEDDED_DB_PORT ?? 54329);

const cleanups: (() => Promise<void>)[] = [];
let next: ChildProcess | undefined;
let worker: ChildProcess | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log("\nStopping…");
    if (worker?.pid && worker.exitCode === null) {
      // The worker drains: the step it is in finishes, its job goes back to the queue.
      try {
        process.kill(-worker.pid, "SIGTERM");
      } catch {}
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          try {
            process.kill(-worker!.pid!, "SIGKILL");
          } catch {}
          resolve();
        }, 30_000);
        worker!.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
      });
    }
    if (next?.pid && next.exitCode === null) {
      // next dev runs in its own process group: stop the group so no worker is orphaned.
      try {
        process.kill(-next.pid, "SIGTERM");
      } catch {}
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          try {
            process.kill(-next!.pid!, "SIGKILL");
          } catch {}
          resolve();
        }, 5_000);
        next!.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
      });
    }
    for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error(e));
  }
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function main() {
  const secrets = await loadDevSecrets(DATA_DIR);
  process.env.NEXTAUTH_SECRET ??= secrets.NEXTAUTH_SECRET;
  process.env.ENCRYPTION_KEY ??= secrets.ENCRYPTION_KEY;
  process.env.NEXTAUTH_URL ??= `http://localhost:${APP_PORT}`;

  const { provisionDatabase } = await import("@/lib/database/provision");
  const database = await provisionDatabase({
    serverUrl: process.env.DATABASE_URL || undefined,
    embeddedDir: path.join(DATA_DIR, "pglite"),
    embeddedPort: EMBEDDED_PORT,
  });
  cleanups.push(() => database.release());
  process.env.DATABASE_URL = database.url;
  console.log(database.embedded ? `Database: embedded PGlite in .data/pglite (${database.url})` : "Database: DATABASE_URL");

  if (!process.env.COURSERA_API_BASE_URL) {
    const { startCourseraSandbox } = await import("@/sandbox/server");
    const sandbox = await startCourseraSandbox({ port: SANDBOX_PORT });
    cleanups.push(() => sandbox.close());
    process.env.COURSERA_API_BASE_URL = sandbox.url;
    // Its launch pages and images are accepted like Coursera's own (lib/coursera/urls.ts).
    process.env.COURSERA_ALLOWED_LINK_ORIGINS ??= new URL(sandbox.url).origin;
    console.log(`Coursera: local sandbox at ${sandbox.url}`);
  } else {
    console.log(`Coursera: ${process.env.COURSERA_API_BASE_URL}`);
  }

  const { db, disconnectDb } = await import("@/lib/db");
  const { seedDemo } = await import("../prisma/seed");
  await seedDemo(db);
  // A connector that never synced gets its first catalogue sync now, as saving
  // credentials would have done: the demo shows Coursera courses within a minute.
  const { requestSync } = await import("@/inngest/dispatch");
  const neverSynced = await db.courseraConnector.findMany({
    where: { enabled: true, clientSecretEncrypted: { not: null }, syncRuns: { none: {} } },
  });
  for (const connector of neverSynced) await requestSync({ connectorId: connector.id, kind: "CATALOGUE", trigger: "CREDENTIALS" });
  await disconnectDb();

  next = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "dev", "--port", String(APP_PORT)], {
    stdio: ["ignore", "inherit", "inherit"],
    env: process.env,
    detached: true,
  });
  next.once("exit", (code) => {
    if (!stopping) {
      console.error(`Next.js exited (${code}).`);
      void shutdown(code ?? 1);
    }
  });

  // The background functions run in their own process, as in production: the web server only queues work.
  worker = spawn(
    process.execPath,
    ["--conditions=react-server", "--experimental-websocket", "--import", "tsx", path.join(ROOT, "inngest/worker.ts")],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: process.env,
      detached: true,
    },
  );
  worker.once("exit", (code) => {
    if (!stopping) {
      console.error(`The worker exited (${code}).`);
      void shutdown(code ?? 1);
    }
  });

  await waitForHttp(`http://localhost:${APP_PORT}/api/health`, 180_000);
  const { DEMO_PASSWORD, DEMO_USERS } = await import("../prisma/demo-data");
  console.log(
    [
      "",
      `  Coursera connector is running at http://localhost:${APP_PORT}`,
      "",
      `  Demo log-ins (password for all: ${DEMO_PASSWORD})`,
      `    CSM (our staff)      ${DEMO_USERS.csm.email}`,
      `    Acme admin           ${DEMO_USERS.acmeAdmin.email}`,
      `    Acme learners        ${DEMO_USERS.ada.email}, ${DEMO_USERS.grace.email}, ${DEMO_USERS.linus.email}`,
      `    Globex admin         ${DEMO_USERS.globexAdmin.email}`,
      "",
      "  Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

main().catch((error) => {
  console.error(error);
  void shutdown(1);
});
