/**
 * `npm test`: every test, in one command.
 *   1. lint (ESLint, then Prettier's check of the formatting), 2. type-check,
 *   3. Vitest (unit + integration, on a fresh database: vitest.global-setup.ts),
 *   4. Playwright in real Chromium against a production build (`next build` +
 *      `next start`) on its own fresh database, seeded with the demo, and the
 *      Coursera sandbox.
 *   5. `npm run dev` itself on the embedded default, stopped by SIGINT, SIGTERM,
 *      SIGHUP and SIGKILL (scripts/dev-supervision.test.ts).
 * The database is the server in DATABASE_URL when set (a new database per run,
 * dropped afterwards), else an embedded in-memory PGlite.
 * `npm test -- --only lint|types|vitest|e2e|dev` runs one stage.
 * NEXT_TELEMETRY_DISABLED: the build must not try to reach the network.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, openSync, rmSync } from "node:fs";
import path from "node:path";
import { assertPortsFree } from "@/lib/process/ports";
import { run, startDetached, stopGroup, waitForHttp } from "./run-command";

const ROOT = process.cwd();
const bin = (name: string) => path.join(ROOT, "node_modules", ".bin", name);
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
// Spec files named on the command line narrow the Playwright run (e.g. `--only e2e e2e/auth.spec.ts`).
const specs = process.argv.slice(2).filter((a) => a.endsWith(".spec.ts"));
// E2E_PORT lets two checkouts on one machine test side by side.
const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);

type Stage = { name: string; run: () => Promise<number> };
const results: { name: string; ok: boolean; seconds: number }[] = [];

const stages: Stage[] = [
  {
    name: "lint",
    run: async () =>
      (await run(bin("eslint"), [".", "--max-warnings=0"])) || (await run(bin("prettier"), ["--check", "--log-level=warn", "."])),
  },
  { name: "types", run: () => run(bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]) },
  { name: "vitest", run: () => run(bin("vitest"), ["run"]) },
  { name: "e2e", run: e2e },
  // The README's run command itself, started and stopped every way a terminal or an IDE stops it.
  { name: "dev", run: () => run(bin("vitest"), ["run", "--config", "vitest.dev.config.ts"]) },
];

async function e2e(): Promise<number> {
  await assertPortsFree([{ port: E2E_PORT, variable: "E2E_PORT", what: "the end-to-end tests' app server" }], "npm test");
  const { provisionDatabase } = await import("@/lib/database/provision");
  const database = await provisionDatabase({ serverUrl: process.env.DATABASE_URL || undefined, fresh: true, freshPrefix: "connector_e2e" });
  const { startCourseraSandbox } = await import("@/sandbox/server");
  const sandbox = await startCourseraSandbox({ port: 0 });
  // Alert emails go to a real SMTP server in this process; each message is kept as JSON for the specs.
  const mailDir = path.join(ROOT, "test-results", "e2e-mail");
  rmSync(mailDir, { recursive: true, force: true });
  const { startSmtpCatcher } = await import("./smtp-catcher");
  const smtp = await startSmtpCatcher({ saveTo: mailDir });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: database.url,
    NEXTAUTH_URL: `http://127.0.0.1:${E2E_PORT}`,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    COURSERA_API_BASE_URL: sandbox.url,
    // The sandbox serves its own launch pages and images: accepted like Coursera's hosts (lib/coursera/urls.ts).
    COURSERA_ALLOWED_LINK_ORIGINS: new URL(sandbox.url).origin,
    RUNNER_SCHEDULES: "0",
    // Its own build folder: a test run never changes what a developer's `npm run dev` (.next/dev) or
    // a production build (.next) serves.
    NEXT_DIST_DIR: ".next-e2e",
    E2E_BASE_URL: `http://127.0.0.1:${E2E_PORT}`,
    SMTP_URL: smtp.url,
    E2E_MAIL_DIR: mailDir,
  };
  let server: ReturnType<typeof startDetached> | undefined;
  let worker: ReturnType<typeof startDetached> | undefined;
  try {
    // The seed reads the environment through lib/env, so it runs in a child with the e2e environment.
    if ((await run(bin("tsx"), ["--conditions=react-server", "prisma/seed.ts"], env)) !== 0) return 1;
    if ((await run(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], env)) !== 0) return 1;
    mkdirSync(path.join(ROOT, "test-results"), { recursive: true });
    // The server's log is kept: the secret-hygiene checks read it.
    const log = openSync(path.join(ROOT, "test-results", "e2e-server.log"), "w");
    server = startDetached(
      process.execPath,
      [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(E2E_PORT), "-H", "127.0.0.1"],
      env,
      log,
    );
    // The two tiers, as deployed: the web server only queues work, a worker process runs it.
    const workerLog = openSync(path.join(ROOT, "test-results", "e2e-worker.log"), "w");
    worker = startDetached(
      process.execPath,
      ["--conditions=react-server", "--experimental-websocket", "--import", "tsx", path.join(ROOT, "inngest/worker.ts")],
      { ...env, RUNNER_LEASE_MS: "15000", WORKER_NAME: "e2e-worker" },
      workerLog,
    );
    await waitForHttp(`http://127.0.0.1:${E2E_PORT}/api/health`, 120_000);
    return await run(bin("playwright"), ["test", ...specs], env);
  } finally {
    await stopGroup(worker, 30_000);
    await stopGroup(server);
    await sandbox.close();
    await smtp.close();
    await database.release();
  }
}

async function main() {
  if ((await run(bin("prisma"), ["generate"], { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath })) !== 0) process.exit(1);
  for (const stage of stages) {
    if (only && stage.name !== only) continue;
    console.log(`\n━━━ ${stage.name} ━━━`);
    const started = Date.now();
    let code: number;
    try {
      code = await stage.run();
    } catch (error) {
      console.error(error);
      code = 1;
    }
    results.push({ name: stage.name, ok: code === 0, seconds: Math.round((Date.now() - started) / 1000) });
    if (code !== 0) break;
  }
  console.log("\n━━━ summary ━━━");
  for (const r of results) console.log(`${r.ok ? "✔" : "✘"} ${r.name.padEnd(8)} ${r.seconds}s`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed === 0 && results.length > 0 ? 0 : 1);
}

void main();
