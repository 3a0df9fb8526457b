/**
 * `npm run dev`: the whole product on one machine.
 *   database  DATABASE_URL, else an embedded PGlite in .data/pglite
 *   Coursera  COURSERA_API_BASE_URL, else the local sandbox (demo org included)
 *   jobs      a worker process (inngest/worker.ts): connected to an Inngest server when
 *             configured, else the embedded runner on the database
 * then migrations, the idempotent demo seed, `next dev` and the worker.
 *
 * Stopping: Ctrl-C (SIGINT), SIGTERM and SIGHUP (the terminal closed) stop
 * everything this script started and shut the embedded database down cleanly.
 * If this script is killed outright (SIGKILL), or the npm that started it is,
 * its children notice and exit on their own within a few seconds
 * (scripts/supervision/exit-with-parent.mjs), and the embedded database
 * recovers on the next start like PostgreSQL after a power cut.
 *
 * DEV_DATA_DIR moves the folder of the embedded database and the generated
 * secrets (default .data/); NEXT_DIST_DIR moves Next.js's build folder.
 */
import type { ChildProcess } from "node:child_process";
import path from "node:path";
import { assertPortsFree, type PlannedPort } from "@/lib/process/ports";
import { loadDevSecrets } from "./dev-secrets";
import { startDetached, stopGroup, waitForHttp } from "./run-command";
import { warmPages } from "./dev-warm-up";
import { signInOverHttp } from "./sign-in-over-http";
import { whenAbandoned } from "./supervision/launchers";

const ROOT = process.cwd();
const DATA_DIR = path.resolve(process.env.DEV_DATA_DIR ?? path.join(ROOT, ".data"));
const APP_PORT = Number(process.env.PORT ?? 3000);
const SANDBOX_PORT = Number(process.env.COURSERA_SANDBOX_PORT ?? 4010);
const EMBEDDED_PORT = Number(process.env.EMBEDDED_DB_PORT ?? 54329);
// On a developer's machine the worker's current step gets a few seconds to finish, not production's 25.
process.env.WORKER_SHUTDOWN_GRACE_MS ??= "5000";
const WORKER_GRACE_MS = Number(process.env.WORKER_SHUTDOWN_GRACE_MS);

const cleanups: (() => Promise<void>)[] = [];
let next: ChildProcess | undefined;
let worker: ChildProcess | undefined;
let stopping = false;

// After SIGHUP the terminal is gone: writing to it fails (EIO), which must not stop the clean-up.
for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping…");
  // Both at once: Next.js stops at once, the worker finishes its current step (its jobs go back to the queue).
  await Promise.all([stopGroup(worker, WORKER_GRACE_MS + 2_000), stopGroup(next, 5_000)]);
  for (const cleanup of cleanups.reverse()) await cleanup().catch((e) => console.error(e));
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));
// The npm that started this script killed outright (an IDE's stop button): stop as if told to.
whenAbandoned(() => void shutdown(0));

function plannedPorts(): PlannedPort[] {
  const ports: PlannedPort[] = [{ port: APP_PORT, variable: "PORT", what: "the app" }];
  if (!process.env.COURSERA_API_BASE_URL)
    ports.push({ port: SANDBOX_PORT, variable: "COURSERA_SANDBOX_PORT", what: "the Coursera sandbox" });
  if (!process.env.DATABASE_URL) ports.push({ port: EMBEDDED_PORT, variable: "EMBEDDED_DB_PORT", what: "the embedded database" });
  if (process.env.WORKER_HEALTH_PORT) {
    ports.push({ port: Number(process.env.WORKER_HEALTH_PORT), variable: "WORKER_HEALTH_PORT", what: "the worker's health check" });
  }
  return ports;
}

async function main() {
  await assertPortsFree(plannedPorts(), "npm run dev");

  const secrets = await loadDevSecrets(DATA_DIR);
  process.env.NEXTAUTH_SECRET ??= secrets.NEXTAUTH_SECRET;
  process.env.ENCRYPTION_KEY ??= secrets.ENCRYPTION_KEY;
  process.env.NEXTAUTH_URL ??= `http://localhost:${APP_PORT}`;

  const { provisionDatabase } = await import("@/lib/database/provision");
  const embeddedDir = path.join(DATA_DIR, "pglite");
  const database = await provisionDatabase({
    serverUrl: process.env.DATABASE_URL || undefined,
    embeddedDir,
    embeddedPort: EMBEDDED_PORT,
  }).catch((error: Error) => {
    if (process.env.DATABASE_URL) throw error;
    const relative = path.relative(ROOT, embeddedDir) || embeddedDir;
    console.error(
      `npm run dev: the embedded database in ${relative} cannot be opened (${error.message.split("\n")[0]}); move it aside to start afresh with the demo data: mv ${relative} ${relative}-broken`,
    );
    process.exit(1);
  });
  cleanups.push(() => database.release());
  process.env.DATABASE_URL = database.url;
  console.log(database.embedded ? `Database: embedded PGlite in ${embeddedDir} (${database.url})` : "Database: DATABASE_URL");

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
  // credentials would have done: the demo shows Coursera courses within a minute. The history says it came
  // from the demo (trigger DEMO), not from a credentials change nobody made.
  const { requestSync } = await import("@/inngest/dispatch");
  const neverSynced = await db.courseraConnector.findMany({
    where: { enabled: true, clientSecretEncrypted: { not: null }, syncRuns: { none: {} } },
  });
  for (const connector of neverSynced) await requestSync({ connectorId: connector.id, kind: "CATALOGUE", trigger: "DEMO" });
  const { DEMO_PASSWORD, DEMO_USERS } = await import("../prisma/demo-data");
  const demoAdmin = await db.user.findUnique({ where: { email: DEMO_USERS.acmeAdmin.email }, select: { platformId: true } });
  await disconnectDb();
  if (stopping) return;

  // Each in its own process group (stopped with every process it starts), each exiting by itself if this script dies.
  next = startDetached(
    process.execPath,
    [path.join(ROOT, "node_modules/next/dist/bin/next"), "dev", "--port", String(APP_PORT)],
    process.env,
  );
  next.once("exit", (code) => {
    if (!stopping) {
      console.error(`Next.js exited (${code}).`);
      void shutdown(code ?? 1);
    }
  });

  // The background functions run in their own process, as in production: the web server only queues work.
  worker = startDetached(
    process.execPath,
    ["--conditions=react-server", "--experimental-websocket", "--import", "tsx", path.join(ROOT, "inngest/worker.ts")],
    process.env,
  );
  worker.once("exit", (code) => {
    if (!stopping) {
      console.error(`The worker exited (${code}).`);
      void shutdown(code ?? 1);
    }
  });

  await waitForHttp(`http://localhost:${APP_PORT}/api/health`, 180_000);
  console.log(
    [
      "",
      `  Coursera connector is running at http://localhost:${APP_PORT}`,
      "",
      `  Demo log-ins (password for all: ${DEMO_PASSWORD}), as in the README`,
      `    CSM (our staff)   ${DEMO_USERS.csm.email.padEnd(20)} every platform`,
      `    Acme admin        ${DEMO_USERS.acmeAdmin.email.padEnd(20)} Acme's connector`,
      `    Globex admin      ${DEMO_USERS.globexAdmin.email.padEnd(20)} Globex only`,
      `    Acme learners     ${DEMO_USERS.ada.email} (Engineering), ${DEMO_USERS.grace.email} (Platform Team, public),`,
      `                      ${DEMO_USERS.alan.email} (SRE Guild, public), ${DEMO_USERS.linus.email} (Security, private),`,
      `                      ${DEMO_USERS.margaret.email} (Sales, outside the synchronized branch)`,
      "",
      "  Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
  if (demoAdmin?.platformId) void warmMainPages(demoAdmin.platformId, DEMO_USERS.acmeAdmin.email, DEMO_PASSWORD);
}

/** The first visit of a page compiles it (seconds each): the main ones are compiled now, in the background. */
async function warmMainPages(platformId: string, email: string, password: string): Promise<void> {
  const base = `http://localhost:${APP_PORT}`;
  const admin = ["", "/connector", "/syncs", "/courses", "/statistics", "/unmatched", "/audit"].map((p) => `/p/${platformId}${p}`);
  try {
    console.log("  Compiling the main pages in the background, so your first clicks are fast…");
    const cookie = await signInOverHttp(base, email, password);
    const seconds = await warmPages(base, cookie, ["/sign-in", ...admin, "/learn", "/notifications"]);
    if (!stopping) console.log(`  Main pages compiled (${Math.round(seconds)} s).`);
  } catch {
    // Best effort: each page then compiles on its first visit.
  }
}

main().catch((error) => {
  console.error(error);
  void shutdown(1);
});
