import "server-only";
import { createServer, type Server } from "node:http";
import { env } from "@/lib/env";
import { db, disconnectDb } from "@/lib/db";
import { assertPortsFree } from "@/lib/process/ports";
import { workerIdentity } from "@/lib/sync/worker-identity";

/**
 * `npm run worker`: a process that runs every background function, and
 * nothing else (no Next.js). Run as many as the work needs, on as many
 * machines: they share the queue.
 *
 * - No Inngest server configured (the default): the embedded runner claims
 *   jobs from PostgreSQL (inngest/runner.ts), fires the schedules, and drains
 *   on SIGTERM/SIGINT: current steps finish, their jobs go back to the queue.
 * - INNGEST_EVENT_KEY / INNGEST_SIGNING_KEY (or INNGEST_DEV=1) set: the worker
 *   connects to Inngest with the SDK's long-running worker API
 *   (`inngest/connect`, an outbound WebSocket: no inbound port, no request
 *   timeouts for long steps) and Inngest schedules the functions.
 *
 * A misconfiguration (no database, a wrong DATABASE_URL, Inngest unreachable)
 * prints one line saying what to fix and exits 1.
 */

function fail(message: string): never {
  console.error(`worker: ${message}`);
  process.exit(1);
}

async function checkDatabase(): Promise<void> {
  let url: string | undefined;
  try {
    url = env().DATABASE_URL;
  } catch (error) {
    fail((error as Error).message);
  }
  if (!url) fail("DATABASE_URL is not set: point it at the PostgreSQL server the web tier uses (see the README's deployment section).");
  try {
    await Promise.race([
      db.$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 10 s")), 10_000).unref()),
    ]);
  } catch (error) {
    const reason = (error as Error).message.split("\n").find((line) => line.trim()) ?? "unknown error";
    fail(`cannot reach the database in DATABASE_URL (${new URL(url).host}): ${reason.trim()}`);
  }
  const [{ migrated }] = await db.$queryRaw<{ migrated: boolean }[]>`SELECT to_regclass('"JobRun"') IS NOT NULL AS "migrated"`;
  if (!migrated) fail("the database has no schema yet: run `npm run migrate` first.");
}

async function runEmbedded(): Promise<void> {
  const { getRunner } = await import("@/inngest/send");
  const runner = getRunner();
  await runner.start({ schedules: env().RUNNER_SCHEDULES === "1" });
  const health = startHealthEndpoint(() => ({ mode: "embedded", worker: runner.workerId, running: runner.runningJobs }));
  console.log(`worker ${runner.workerId}: running background functions from PostgreSQL (embedded runner)`);

  let stopping = false;
  const stop = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`worker ${runner.workerId}: ${reason}; finishing current steps (at most ${env().WORKER_SHUTDOWN_GRACE_MS / 1000} s)…`);
    await runner.stop({ graceMs: env().WORKER_SHUTDOWN_GRACE_MS });
    health?.close();
    await disconnectDb();
    console.log(`worker ${runner.workerId}: stopped`);
    process.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.on(signal, () => void stop(`${signal} received`));
  // Started by a supervisor with an IPC channel (npm run dev, the test command): stop when it goes away.
  if (process.send) process.on("disconnect", () => void stop("its supervisor went away"));
}

/** Inngest's API answers at all (any HTTP status): checked before connecting, so a wrong address is one clear line. */
async function checkInngestReachable(): Promise<void> {
  const base = env().INNGEST_BASE_URL ?? (env().INNGEST_DEV ? "http://localhost:8288" : "https://api.inngest.com");
  try {
    await fetch(base, { signal: AbortSignal.timeout(5_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    fail(
      `cannot connect to Inngest (${base}): ${cause?.code ?? cause?.message ?? (error as Error).message}. Check INNGEST_* or unset them to use the embedded runner.`,
    );
  }
  // Inngest's connect protocol is a WebSocket: global on Node 22; on Node 20 behind --experimental-websocket (npm run worker passes it).
  if (typeof globalThis.WebSocket === "undefined") {
    fail(
      "connecting to Inngest needs WebSocket support: run on Node 22, or start with `node --experimental-websocket` (npm run worker does).",
    );
  }
}

async function runConnected(): Promise<void> {
  await checkInngestReachable();
  const [{ connect }, { inngest }, { functions }] = await Promise.all([
    import("inngest/connect"),
    import("@/inngest/client"),
    import("@/inngest/functions"),
  ]);
  let connection: Awaited<ReturnType<typeof connect>>;
  try {
    connection = await Promise.race([
      connect({
        apps: [{ client: inngest, functions: functions.map((f) => f.sdk) }],
        instanceId: workerIdentity(),
        maxWorkerConcurrency: env().RUNNER_CONCURRENCY,
        handleShutdownSignals: [],
      }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no connection within 20 s")), 20_000).unref()),
    ]);
  } catch (error) {
    fail(
      `cannot connect to Inngest (${env().INNGEST_BASE_URL ?? "Inngest Cloud"}): ${(error as Error).message.split("\n")[0]}. Check INNGEST_* or unset them to use the embedded runner.`,
    );
  }
  const health = startHealthEndpoint(() => ({ mode: "inngest", worker: workerIdentity(), state: connection.state }));
  console.log(`worker ${workerIdentity()}: connected to Inngest (connection ${connection.connectionId})`);
  const stop = async (reason: string) => {
    console.log(`worker: ${reason}; closing the Inngest connection after in-flight steps…`);
    await connection.close();
    health?.close();
    await disconnectDb();
    process.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.once(signal, () => void stop(`${signal} received`));
  if (process.send) process.on("disconnect", () => void stop("its supervisor went away"));
}

/** GET /healthz on WORKER_HEALTH_PORT: liveness and what the worker runs (for orchestrators). */
function startHealthEndpoint(state: () => Record<string, unknown>): Server | undefined {
  const port = env().WORKER_HEALTH_PORT;
  if (port === undefined) return undefined;
  const server = createServer((req, res) => {
    if (req.url !== "/healthz") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, ...state() }));
  });
  server.on("error", (error) => fail(`cannot serve /healthz on WORKER_HEALTH_PORT ${port}: ${error.message}`));
  server.listen(port, "0.0.0.0");
  return server;
}

async function main(): Promise<void> {
  const healthPort = env().WORKER_HEALTH_PORT;
  // Before claiming any work: a taken port found later would stop a worker that holds jobs.
  if (healthPort !== undefined)
    await assertPortsFree([{ port: healthPort, variable: "WORKER_HEALTH_PORT", what: "the health check" }], "worker");
  await checkDatabase();
  if (env().inngestMode === "server") await runConnected();
  else await runEmbedded();
}

main().catch((error) => fail((error as Error).message));
