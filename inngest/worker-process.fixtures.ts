import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/**
 * Real worker processes for the tests of the worker tier: `inngest/worker.ts`
 * started exactly as `npm run worker` starts it, with its output kept so a
 * test can read what it said, and signals sent to its pid (never by name:
 * other processes run on the machine).
 */
export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  signal(signal: NodeJS.Signals): void;
  /** Resolves once the output contains `text` (rejects after `timeoutMs`). */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, "..");

export function startWorker(name: string, env: NodeJS.ProcessEnv): WorkerProcess {
  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--experimental-websocket", "--import", "tsx", path.join(ROOT, "inngest/worker.ts")],
    {
      cwd: ROOT,
      env: { ...env, WORKER_NAME: name },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    name,
    child,
    pid: child.pid!,
    output: () => output,
    exited,
    signal: (signal) => {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, signal);
    },
    waitForOutput: (text, timeoutMs = 60_000) =>
      waitFor(
        () => (typeof text === "string" ? output.includes(text) : text.test(output)),
        timeoutMs,
        `${name} to print ${text}\n${output}`,
      ),
  };
}

/** Polls until `check` is true. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Stops every worker still running (after each test), with SIGKILL after a grace period. */
export async function stopAll(workers: WorkerProcess[]): Promise<void> {
  await Promise.all(
    workers.map(async (w) => {
      w.signal("SIGCONT");
      w.signal("SIGTERM");
      const killed = setTimeout(() => w.signal("SIGKILL"), 10_000);
      await w.exited;
      clearTimeout(killed);
    }),
  );
}
