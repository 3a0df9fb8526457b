import "server-only";
import { createServer } from "node:net";

/** A port a command is about to listen on, and the variable that moves it. */
export type PlannedPort = { port: number; variable: string; what: string };

/**
 * Checks, before anything starts, that every port is free, and stops with one
 * line naming the taken port and the variable that changes it. A taken port
 * found later (after the database and the sandbox started) would leave a half
 * started product and an error from deep inside Next.js.
 */
export async function assertPortsFree(ports: PlannedPort[], program: string): Promise<void> {
  for (const planned of ports) {
    if (planned.port === 0) continue;
    const problem = await portProblem(planned.port);
    if (problem) {
      console.error(
        `${program}: port ${planned.port} (${planned.what}) is ${problem}; stop what uses it or choose another port with ${planned.variable}=…`,
      );
      process.exit(1);
    }
  }
}

/** Whether nothing listens on the port (on any address). */
export async function isPortFree(port: number): Promise<boolean> {
  return (await portProblem(port)) === null;
}

/** Why the port cannot be listened on (any address, IPv6 or IPv4), or null when it can. */
async function portProblem(port: number): Promise<string | null> {
  for (const host of ["::", "0.0.0.0"]) {
    const code = await tryListen(port, host);
    if (code === null) return null;
    if (code === "EADDRINUSE") return "already in use";
    if (code === "EACCES") return "not allowed for this user";
    // EAFNOSUPPORT / EADDRNOTAVAIL: no IPv6 here, try IPv4.
  }
  return null;
}

function tryListen(port: number, host: string): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "ERROR"));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}
