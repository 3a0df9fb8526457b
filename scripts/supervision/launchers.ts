import { readFileSync } from "node:fs";

/**
 * The processes whose death means this one was abandoned: its parent and,
 * when that parent is the `sh -c` npm runs a script with, npm behind it (the
 * shell outlives a killed npm). Linux's /proc; elsewhere just the parent.
 */
export function launcherPids(): number[] {
  const chain = [process.ppid];
  for (let pid = process.ppid; isScriptShell(pid);) {
    pid = parentOf(pid);
    if (pid <= 1) break;
    chain.push(pid);
  }
  return chain;
}

/** Gone, or a zombie its own parent has not reaped yet. */
export function isGone(pid: number): boolean {
  try {
    return stat(pid).state === "Z";
  } catch {
    return true;
  }
}

/** Calls `onAbandoned` once, when the parent changes or a launcher is gone (polled, unref'd). */
export function whenAbandoned(onAbandoned: () => void, everyMs = 500): void {
  const parent = process.ppid;
  const launchers = launcherPids();
  const timer = setInterval(() => {
    if (process.ppid === parent && !launchers.some(isGone)) return;
    clearInterval(timer);
    onAbandoned();
  }, everyMs);
  timer.unref();
}

function isScriptShell(pid: number): boolean {
  try {
    const [command, flag] = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return /(^|\/)(sh|dash|bash)$/.test(command) && flag === "-c";
  } catch {
    return false;
  }
}

function parentOf(pid: number): number {
  try {
    return stat(pid).ppid;
  } catch {
    return 0;
  }
}

/** /proc/<pid>/stat: the command name is in parentheses and may hold spaces, so fields are read after the last one. */
function stat(pid: number): { state: string; ppid: number } {
  const text = readFileSync(`/proc/${pid}/stat`, "utf8");
  const [state, ppid] = text.slice(text.lastIndexOf(")") + 2).split(" ");
  return { state, ppid: Number(ppid) };
}
