import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPortFree } from "@/lib/process/ports";
import { DEMO_PASSWORD, DEMO_USERS } from "../prisma/demo-data";
import { signInOverHttp } from "./sign-in-over-http";

/**
 * The README's run command, `npm run dev`, on the embedded default, stopped
 * every way a terminal, an IDE or the system stops it (issue 22): each time,
 * within a few seconds, no process it started is left and its ports are free;
 * each next start signs the demo admin in with every earlier change still in
 * the embedded database, a hard kill included. And a start on a taken port says
 * which port and which variable in one line, before starting anything.
 *
 * Real processes throughout: npm, the supervisor, `next dev`, the worker,
 * PGlite, the sandbox. Every process of a run carries a marker in its
 * environment (inherited by whatever it starts), so the test finds each one
 * in /proc, however it was reparented.
 */

const ROOT = process.cwd();
const MARKER_NAME = "DEV_SUPERVISION_RUN";
const MARKER = `${MARKER_NAME}=${randomUUID()}`;
const LEFT_WITHIN_MS = 10_000;

type Ports = { app: number; sandbox: number; database: number };
type Dev = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

let dataDir: string;
let ports: Ports;
let nextEnvBefore: string | null;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "dev-supervision-"));
  ports = { app: await freePort(), sandbox: await freePort(), database: await freePort() };
  // next dev points next-env.d.ts at its build folder: put the developer's back afterwards.
  nextEnvBefore = existsSync("next-env.d.ts") ? await readFile("next-env.d.ts", "utf8") : null;
});

afterAll(async () => {
  for (const p of await processesOfThisTest()) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  await rm(dataDir, { recursive: true, force: true });
  if (nextEnvBefore !== null) await writeFile("next-env.d.ts", nextEnvBefore);
});

function devEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [MARKER_NAME]: MARKER.slice(MARKER_NAME.length + 1),
    PORT: String(ports.app),
    COURSERA_SANDBOX_PORT: String(ports.sandbox),
    EMBEDDED_DB_PORT: String(ports.database),
    DEV_DATA_DIR: dataDir,
    NEXT_DIST_DIR: ".next-dev-test",
    NEXT_TELEMETRY_DISABLED: "1",
    ...extra,
  };
  // The embedded default: no database server, the local Coursera sandbox.
  for (const key of ["DATABASE_URL", "COURSERA_API_BASE_URL", "NEXTAUTH_URL", "NEXTAUTH_SECRET", "ENCRYPTION_KEY", "NODE_ENV"]) {
    if (!(key in extra)) delete env[key];
  }
  return env;
}

/** `npm run dev` in its own process group, as a terminal starts a foreground job. */
function startDev(env: NodeJS.ProcessEnv, script = "dev"): Dev {
  const child = spawn("npm", ["run", "--silent", script], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function untilRunning(dev: Dev): Promise<void> {
  const deadline = Date.now() + 240_000;
  let exited = false;
  void dev.exited.then(() => (exited = true));
  while (!dev.output().includes("Coursera connector is running at")) {
    if (exited || Date.now() > deadline) throw new Error(`npm run dev did not come up:\n${dev.output()}`);
    await sleep(500);
  }
}

async function signInAsDemoAdmin(): Promise<string | undefined> {
  const base = `http://localhost:${ports.app}`;
  const cookie = await signInOverHttp(base, DEMO_USERS.acmeAdmin.email, DEMO_PASSWORD);
  const session = (await (await fetch(`${base}/api/auth/session`, { headers: { cookie } })).json()) as { user?: { email?: string } };
  return session.user?.email;
}

/** A change made while the product runs, straight in the embedded database, as any committed write. */
async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `postgresql://postgres:postgres@127.0.0.1:${ports.database}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const recordChange = (name: string) =>
  withDatabase(async (client) => {
    await client.query(`CREATE TABLE IF NOT EXISTS dev_supervision_change (name text PRIMARY KEY)`);
    await client.query(`INSERT INTO dev_supervision_change (name) VALUES ($1)`, [name]);
  });

const earlierChanges = () =>
  withDatabase(async (client) => {
    const table = await client.query(`SELECT to_regclass('dev_supervision_change') IS NOT NULL AS "exists"`);
    if (!table.rows[0].exists) return [];
    return (await client.query<{ name: string }>(`SELECT name FROM dev_supervision_change ORDER BY name`)).rows.map((r) => r.name);
  });

/** Every live process started by this test's runs (zombies have no environment left). */
async function processesOfThisTest(): Promise<{ pid: number; command: string }[]> {
  const found: { pid: number; command: string }[] = [];
  for (const entry of await readdir("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = await readFile(`/proc/${pid}/environ`, "utf8");
      if (!environ.split("\0").includes(MARKER)) continue;
      const command = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0").join(" ").trim();
      found.push({ pid, command });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

async function takenPorts(): Promise<string[]> {
  const taken: string[] = [];
  for (const [name, port] of Object.entries(ports)) if (!(await isPortFree(port))) taken.push(`${name} ${port}`);
  return taken;
}

/** Waits until nothing of the run is left; what is left at the deadline fails the test, named. */
async function expectNothingLeftWithin(ms: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    const left = await processesOfThisTest();
    const taken = left.length === 0 ? await takenPorts() : ["(not checked)"];
    if (left.length === 0 && taken.length === 0) return Date.now() - started;
    if (Date.now() - started > ms) {
      expect({ processesLeft: left, portsTaken: taken }, `still there ${ms / 1000} s after the stop`).toEqual({
        processesLeft: [],
        portsTaken: [],
      });
    }
    await sleep(250);
  }
}

const stops = [
  { name: "Ctrl-C (SIGINT to the terminal's process group)", signal: "SIGINT", toGroup: true },
  { name: "SIGTERM to npm", signal: "SIGTERM", toGroup: false },
  { name: "SIGHUP to the process group (the terminal window closed)", signal: "SIGHUP", toGroup: true },
  { name: "SIGKILL of npm alone (an IDE's stop button)", signal: "SIGKILL", toGroup: false },
  { name: "SIGKILL of npm and the supervisor (the OOM killer)", signal: "SIGKILL", toGroup: true },
] as const;

describe.sequential("npm run dev, stopped every way", () => {
  for (const [index, stop] of stops.entries()) {
    it(`${stop.name}: nothing left within seconds, ports free, every change kept`, async () => {
      const dev = startDev(devEnv());
      await untilRunning(dev);
      expect(await signInAsDemoAdmin()).toBe(DEMO_USERS.acmeAdmin.email);
      expect(await earlierChanges()).toEqual(
        stops
          .slice(0, index)
          .map((s) => s.name)
          .sort(),
      );
      await recordChange(stop.name);

      process.kill(stop.toGroup ? -dev.child.pid! : dev.child.pid!, stop.signal);
      const tookMs = await expectNothingLeftWithin(LEFT_WITHIN_MS);
      console.log(`${stop.name}: everything stopped ${(tookMs / 1000).toFixed(1)} s after the signal`);
    });
  }

  it("starts again after all of them and signs the demo admin in, every change still there", async () => {
    const dev = startDev(devEnv());
    await untilRunning(dev);
    expect(await signInAsDemoAdmin()).toBe(DEMO_USERS.acmeAdmin.email);
    expect(await earlierChanges()).toEqual(stops.map((s) => s.name).sort());
    process.kill(-dev.child.pid!, "SIGINT");
    await expectNothingLeftWithin(LEFT_WITHIN_MS);
  });
});

describe("a port already taken", () => {
  const cases = [
    { variable: "PORT", port: () => ports.app, script: "dev" },
    { variable: "COURSERA_SANDBOX_PORT", port: () => ports.sandbox, script: "dev" },
    { variable: "EMBEDDED_DB_PORT", port: () => ports.database, script: "dev" },
    { variable: "WORKER_HEALTH_PORT", port: () => ports.app, script: "worker" },
  ];
  for (const c of cases) {
    it(`npm run ${c.script} with ${c.variable} taken: one line naming the port and ${c.variable}, exit 1, nothing started`, async () => {
      const blocker = await listenOn(c.port());
      const fresh = await mkdtemp(path.join(tmpdir(), "dev-supervision-taken-"));
      try {
        const run = startDev(devEnv({ DEV_DATA_DIR: fresh, WORKER_HEALTH_PORT: String(ports.app) }), c.script);
        expect(await run.exited).toBe(1);
        const lines = run
          .output()
          .split("\n")
          .filter((line) => line.trim());
        expect(lines, run.output()).toHaveLength(1);
        expect(lines[0]).toContain(`port ${c.port()}`);
        expect(lines[0]).toContain(`${c.variable}=`);
        // Before anything: not even the secrets or the database folder.
        expect(await readdir(fresh)).toEqual([]);
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
        await rm(fresh, { recursive: true, force: true });
      }
      await expectNothingLeftWithin(LEFT_WITHIN_MS);
    });
  }
});

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
