import "server-only";
import { env } from "@/lib/env";
import { inngest } from "@/inngest/client";
import type { AppEvent } from "@/inngest/events";
import { functions } from "@/inngest/functions";
import { EmbeddedRunner } from "@/inngest/runner";

/**
 * The one way the product sends events: to the Inngest server when one is
 * configured, else into the embedded runner's queue in PostgreSQL, where a
 * worker process (`npm run worker`) claims them. Sending never runs a
 * function: the web server only queues work.
 */
const globalForRunner = globalThis as unknown as { courseraRunner?: EmbeddedRunner };

/** This process's embedded runner: used to queue events everywhere, and started (to run them) only by workers. */
export function getRunner(): EmbeddedRunner {
  globalForRunner.courseraRunner ??= new EmbeddedRunner(functions, {
    concurrency: env().RUNNER_CONCURRENCY,
    leaseMs: env().RUNNER_LEASE_MS,
  });
  return globalForRunner.courseraRunner;
}

export async function sendEvent(event: AppEvent | AppEvent[]): Promise<void> {
  if (env().inngestMode === "server") {
    await inngest.send([event].flat());
    return;
  }
  await getRunner().send(event);
}
