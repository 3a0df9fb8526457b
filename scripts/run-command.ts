import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

const EXIT_WITH_PARENT = pathToFileURL(path.join(import.meta.dirname, "supervision", "exit-with-parent.mjs")).href;

/**
 * The environment for a Node child that must not outlive the process that
 * started it, even one killed outright: it and its own Node children watch
 * their parent (scripts/supervision/exit-with-parent.mjs).
 */
export function exitingWithParent(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_OPTIONS: [env.NODE_OPTIONS, `--import=${EXIT_WITH_PARENT}`].filter(Boolean).join(" ") };
}

/** Runs a command with inherited output; resolves with its exit code. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on("error", () => resolve(1));
  });
}

/**
 * Starts a long-running Node process in its own process group, so it can be
 * stopped with all its children, and so that it exits by itself if this
 * process dies without stopping it.
 */
export function startDetached(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  output: "inherit" | number = "inherit",
): ChildProcess {
  return spawn(command, args, { stdio: ["ignore", output, output], env: exitingWithParent(env), detached: true });
}

/** SIGTERM to the child's process group, SIGKILL after `graceMs`; resolves once the child exited. */
export async function stopGroup(child: ChildProcess | undefined, graceMs = 5_000): Promise<void> {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {}
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}
