import "server-only";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { env } from "@/lib/env";

/**
 * This process, as the sync history and the job leases name it: WORKER_NAME
 * when set (a container's name), else host and pid, plus a random suffix so a
 * restarted process with a recycled pid is a different worker.
 */
let identity: string | undefined;

export function workerIdentity(): string {
  identity ??= `${env().WORKER_NAME ?? `${hostname()}:${process.pid}`}:${randomBytes(3).toString("hex")}`;
  return identity;
}

/** The part a person reads: "host:pid" or the configured name. */
export function workerLabel(id: string | null | undefined): string {
  if (!id) return "an unknown worker";
  return id.replace(/:[0-9a-f]{6}$/, "");
}
