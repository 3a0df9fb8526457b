import { fork } from "node:child_process";
import path from "node:path";
import type { BrowseJob, BrowseReport } from "./browse-worker";

export interface BrowseGroup {
  page: string;
  paths: string[];
  cookies: string[];
}

export interface Traffic {
  stop(): Promise<({ page: string } & BrowseReport)[]>;
}

/**
 * Signed-in people browsing: each group cycles through its paths with its sessions (one connection
 * per session), in a process of its own (browse-worker.ts), until stopped; then each group's
 * latencies.
 */
export async function startBrowsing(base: string, groups: BrowseGroup[]): Promise<Traffic> {
  groups = groups.filter((g) => g.cookies.length > 0);
  const workers = await Promise.all(
    groups.map(async (group) => {
      const child = fork(path.join(process.cwd(), "scripts/bench/browse-worker.ts"), [], {
        execArgv: ["--conditions=react-server", "--import", "tsx"],
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      const started = new Promise<void>((resolve, reject) => {
        child.once("message", () => resolve());
        child.once("exit", (code) => reject(new Error(`the browse worker exited (${code})`)));
      });
      child.send({ base, paths: group.paths, cookies: group.cookies } satisfies BrowseJob);
      await started;
      return { group, child };
    }),
  );
  return {
    stop: () =>
      Promise.all(
        workers.map(async ({ group, child }) => {
          const report = new Promise<BrowseReport>((resolve) => child.once("message", (m) => resolve(m as BrowseReport)));
          child.send("stop");
          const result = await report;
          // It exits once the report is sent; whatever it left open goes with it.
          const exited = new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
          const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
          await exited;
          clearTimeout(timer);
          return { page: group.page, ...result };
        }),
      ),
  };
}
